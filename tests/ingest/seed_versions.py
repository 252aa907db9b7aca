"""One seed article written as a saved web page (UTF-8 and Big5), a Word file and Markdown.

Built from the .txt seed at test time, so every version holds the same body
paragraphs; the page wraps the article in navigation, share buttons, related
links, comments and a footer, the debris real pages carry.
"""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.ingest.readers import read_input
from tests.conftest import SEEDS

SEED = SEEDS / "004_1e43fc4feda8cb6f.txt"  # every character of it exists in Big5/CP950
PAGE_TITLE = "從硬體王國到AI生態系 臺灣產業的關鍵時刻"
AUTHOR = "張維君"
DATE = "2025-12-21"
SITE = "產業觀察網"
NAVIGATION = ["首頁", "產業新聞", "科技趨勢", "財經動態"]
SHARE = "分享 Facebook LINE Twitter"
RELATED = ["相關新聞", "鴻海科技日揭示電動車新布局", "台積電先進封裝產能再擴充"]
COMMENTS = ["留言", "網友小林：寫得很清楚，謝謝分享", "網友阿德：期待後續報導"]
FOOTER = "Copyright 2025 產業觀察網 版權所有"
DEBRIS = NAVIGATION + [RELATED[1], RELATED[2], COMMENTS[1], COMMENTS[2], FOOTER]


def txt_article():
    return read_input(SEED)


def page_html(charset: str = "utf-8") -> str:
    article = txt_article()
    body = []
    for block in article.blocks:
        tag = "h2" if block.is_heading else "p"
        body.append(f"<{tag}>{html.escape(block.text)}</{tag}>")
    nav = " ".join(f'<a href="/{i}">{t}</a>' for i, t in enumerate(NAVIGATION))
    related = "".join(f'<li><a href="/r{i}">{t}</a></li>' for i, t in enumerate(RELATED[1:]))
    comments = "".join(f'<div class="comment">{t}</div>' for t in COMMENTS[1:])
    return f"""<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="{charset}">
<title>{PAGE_TITLE} | {SITE}</title>
<meta name="author" content="{AUTHOR}">
<meta property="og:title" content="{PAGE_TITLE}">
<meta property="og:site_name" content="{SITE}">
<meta property="article:published_time" content="{DATE}T09:30:00+08:00">
<script>var tracking = "不是內容";</script><style>p {{ margin: 0 }}</style>
</head><body>
<header class="site-header"><nav class="menu">{nav}</nav></header>
<main><article class="post">
<h1>{PAGE_TITLE}</h1>
<div class="meta">【撰文／{AUTHOR}】</div>
{chr(10).join(body)}
<div class="share-tools">{SHARE}</div>
</article>
<aside class="related-news"><h3>{RELATED[0]}</h3><ul>{related}</ul></aside>
<section id="comments"><h3>{COMMENTS[0]}</h3>{comments}</section>
</main>
<footer class="site-footer"><p>{FOOTER}</p></footer>
</body></html>
"""


def write_page(folder: Path, name: str = "seed.html", charset: str = "utf-8") -> Path:
    codec = "cp950" if charset.lower() == "big5" else charset
    path = folder / name
    path.write_bytes(page_html(charset).encode(codec))
    return path


INSERTED = "（修訂時加入的字）"
DELETED = "（修訂時刪去的字）"


def write_docx(folder: Path, name: str = "seed.docx") -> Path:
    """The seed as Word: Title style, a byline, Heading 2 for headings, one paragraph with tracked changes."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    article = txt_article()
    document = docx.Document()
    document.add_paragraph(PAGE_TITLE, style="Title")
    document.add_paragraph(f"【撰文／{AUTHOR}】")
    tracked = next(i for i, b in enumerate(article.blocks) if not b.is_heading)
    for i, block in enumerate(article.blocks):
        if block.is_heading:
            document.add_heading(block.text, level=2)
        elif i != tracked:
            document.add_paragraph(block.text)
        else:
            half = len(block.text) // 2
            paragraph = document.add_paragraph(block.text[:half])
            for kind, text, text_tag in (("w:del", DELETED, "w:delText"), ("w:ins", block.text[half:], "w:t")):
                change = OxmlElement(kind)
                change.set(qn("w:id"), str(len(kind)))
                change.set(qn("w:author"), "同事")
                run = OxmlElement("w:r")
                t = OxmlElement(text_tag)
                t.set(qn("xml:space"), "preserve")
                t.text = text
                run.append(t)
                change.append(run)
                paragraph._p.append(change)
    path = folder / name
    document.save(path)
    return path


def markdown_text() -> str:
    article = txt_article()
    parts = [f"# {PAGE_TITLE}", f"Date: {DATE}", f"【撰文／{AUTHOR}】"]
    for block in article.blocks:
        parts.append(f"## {block.text}" if block.is_heading else block.text)
    return "\n\n".join(parts) + "\n"


def write_markdown(folder: Path, name: str = "seed.md") -> Path:
    path = folder / name
    path.write_text(markdown_text(), encoding="utf-8")
    return path
