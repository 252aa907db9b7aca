"""Nothing an HTML or Markdown input holds is dropped: not by nesting, not by the extractor (issue 19).

Two properties over generated inputs, read through ``read_input`` with the real
lxml, trafilatura and markdown-it: every paragraph of a deeply nested page or
file lands in the body, the metadata or the appendix (or the file is refused
with one line); and the line-accounting property of tests/ingest/test_structure.py
(every line in exactly one place) holds for the same lines written as a web page,
a Markdown file or a Word file.  All material is generated here.
"""

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.errors import InputError
from pipeline.ingest.readers import read_input
from tests.ingest.test_structure import PARAGRAPHS, line_kinds, squash

_WORDS = "台積電鴻海聯發科營收成長法人預期資本支出先進封裝產能市場需求強勁"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def paragraph(k: int) -> str:
    """A distinct Chinese paragraph: ``第k段：`` names it, so a lost one is found by number."""
    words = "".join(_WORDS[(k * 5 + j) % len(_WORDS)] for j in range(24))
    return f"第{k}段：{words[:12]}，今年營收成長{k % 30 + 1}%，{words[12:]}表示需求強勁。"


def placed_pieces(article) -> list[str]:
    return [b.text for b in article.blocks] + [d.text for d in article.debris] + [m.text for m in article.metadata_lines]


def lost(article, count: int) -> list[int]:
    """Paragraphs 0..count-1 found in no single piece of the article."""
    pieces = [squash(p) for p in placed_pieces(article)]
    return [k for k in range(count) if not any(squash(paragraph(k)) in p for p in pieces)]


def read(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_input(path)


# ---------------------------------------------------------------- deep nesting: HTML

OPENERS = ["<div>", "<section>", "<blockquote>", "<span>", "<div class=\"content\">", "<ul><li>", "<article>"]
PAGE = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>台積電法說會</title></head><body>{}</body></html>"


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(OPENERS), st.booleans()), min_size=5, max_size=30))
def test_every_paragraph_of_a_deeply_nested_page_is_placed(tmp_path, steps):
    """Runs of unclosed openers (up to 1,200 deep: past libxml2's default 255), each then a paragraph."""
    parts = []
    for k, (opens, opener, as_p) in enumerate(steps):
        parts.append(opener * opens)
        parts.append(f"<p>{paragraph(k)}</p>" if as_p else paragraph(k))
    article = read(tmp_path, "deep.html", PAGE.format("".join(parts)))
    assert lost(article, len(steps)) == []


@pytest.mark.parametrize("depth", [300, 400, 1000])  # 2,000 reads too, in 16 s: trafilatura slows with depth
def test_paragraphs_in_unclosed_divs_are_all_read(tmp_path, depth):
    """The case of issue 19 (400 paragraphs in unclosed <div>s lost 147), and deeper."""
    article = read(tmp_path, "divs.html", PAGE.format("".join(f"<div><p>{paragraph(k)}" for k in range(depth))))
    assert lost(article, depth) == []
    assert len(article.blocks) == depth  # in the body, where they belong, not just the appendix


def test_a_page_past_the_parsers_depth_is_refused_in_one_line(tmp_path):
    with pytest.raises(InputError) as err:
        read(tmp_path, "divs.html", PAGE.format("".join(f"<div><p>{paragraph(k)}" for k in range(2100))))
    assert str(err.value).startswith(f"{tmp_path / 'divs.html'}: nested too deeply to read") and "\n" not in str(err.value)


# ---------------------------------------------------------------- deep nesting: Markdown

def markdown_nested(levels: list[str]) -> str:
    """One paragraph per entry of ``levels``: the containers (``-`` list item, ``>`` quotation) around it."""
    lines = []
    for k, path in enumerate(levels):
        prefix = ""
        for depth, kind in enumerate(path):
            last = depth == len(path) - 1
            prefix += ("- " if last else "  ") if kind == "-" else "> "
        lines += [prefix + paragraph(k), ""]
    return "\n".join(lines)


@SETTINGS
@given(st.lists(st.text(alphabet="->", max_size=60), min_size=1, max_size=20))
def test_every_paragraph_of_deeply_nested_markdown_is_placed(tmp_path, levels):
    article = read(tmp_path, "deep.md", markdown_nested(levels))
    assert lost(article, len(levels)) == []


@pytest.mark.parametrize("depth", [9, 30, 100, 150])
def test_a_deep_markdown_list_is_read_whole(tmp_path, depth):
    """Issue 19: a 30-level list kept items 0-8 and reported ok."""
    text = "".join("  " * k + f"- {paragraph(k)}\n" for k in range(depth))
    article = read(tmp_path, "list.md", text)
    assert lost(article, depth) == [] and len(article.blocks) == depth


@pytest.mark.parametrize("text", [
    "".join("  " * k + f"- {paragraph(k)}\n" for k in range(250)),
    "".join(">" * (k + 1) + f" {paragraph(k)}\n\n" for k in range(410)),
])
def test_markdown_past_the_nesting_limit_is_refused_in_one_line(tmp_path, text):
    with pytest.raises(InputError) as err:
        read(tmp_path, "deep.md", text)
    assert str(err.value).startswith(f"{tmp_path / 'deep.md'}: nested too deeply to read") and "\n" not in str(err.value)


# ---------------------------------------------------------------- line accounting in every format

def as_html(lines: list[str]) -> str:
    return PAGE.format("<article>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</article>")


def as_markdown(lines: list[str]) -> str:
    """Each line a paragraph of literal text: ASCII punctuation escaped, so ``1.`` or ``-----`` is not markup."""
    return "\n\n".join(re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", line) for line in lines) + "\n"


def as_docx(lines: list[str]) -> bytes:
    """One Normal paragraph a line, as Word writes it (python-docx)."""
    import io

    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def characters(texts) -> Counter:
    return Counter("".join(squash(t) for t in texts))


@SETTINGS
@given(st.lists(line_kinds, min_size=1, max_size=25), st.sampled_from(PARAGRAPHS[:2]),
       st.sampled_from([("page.html", as_html), ("file.md", as_markdown), ("file.docx", as_docx)]))
def test_every_line_is_placed_exactly_once_in_every_format(tmp_path, lines, anchor, fmt):
    """What each format's lines hold is what the article holds, no more and no less (character for character)."""
    name, render = fmt
    lines = [part for line in lines + [anchor] for part in line.split("\n") if part.strip()]
    path = tmp_path / name
    data = render(lines)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    try:
        article = read_input(path)
    except InputError:
        return  # nothing but metadata or debris: refused whole, with a message
    assert characters(placed_pieces(article)) == characters(lines), (lines, placed_pieces(article))


@pytest.mark.parametrize("depth", [30, 300, 1500])
def test_the_flattened_tree_trafilatura_gets_keeps_every_text_in_order(depth):
    """Below FLAT_DEPTH only tags go: the text (texts and tails, inline markup too) reads the same, in order."""
    from lxml import html as lxml_html

    from pipeline.ingest.readers.html import FLAT_DEPTH, _flattened

    body = "".join(f"<div class='c{k}'><span>{paragraph(k)}</span>尾{k}<p><b>粗{k}</b>後{k}" for k in range(depth))
    root = lxml_html.document_fromstring(PAGE.format(body).encode("utf-8"),
                                         parser=lxml_html.HTMLParser(encoding="utf-8", huge_tree=True))
    flat = _flattened(root)
    assert "".join(flat.itertext()) == "".join(root.itertext())
    deepest = max(len(list(e.iterancestors())) for e in flat.iter())
    assert deepest <= FLAT_DEPTH + 2  # a kept <p> and its <b> below the last kept container
    assert len(flat.findall(".//p")) == depth


@pytest.mark.parametrize("wrap", [("*", "*"), ("**", "**"), ("[", "](u)"), ("_", "_"), ("`", "`")])
def test_deep_inline_markdown_keeps_its_text(tmp_path, wrap):
    """Inline markup nested 300 deep: markdown-it's inline limit (20) keeps what is deeper as text, no recursion."""
    opener, closer = wrap
    texts = [paragraph(k) for k in range(20)]  # enough Chinese around the markup to be an article
    texts[10] = opener * 300 + texts[10] + closer * 300
    article = read(tmp_path, "inline.md", "\n\n".join(texts) + "\n")
    assert lost(article, 20) == []
