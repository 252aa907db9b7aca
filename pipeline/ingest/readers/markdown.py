"""Markdown (.md): headings, paragraphs, list items and quotations from markdown-it-py's tokens."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.article import Article
from pipeline.errors import InputError
from pipeline.ingest.structure import RawLine, build_article
from pipeline.ingest.text import clean_text, decode_bytes

# markdown-it stops reading blocks at its nesting limit and drops the rest of the
# file without a word (the commonmark preset's 20 kept items 0-8 of a 30-level
# list).  Ours is far above any article's; a file that reaches it is refused.
MAX_NESTING = 400
# Inline markup (links in emphasis in links) nests by recursion, and past its limit
# markdown-it keeps the markup as plain text, dropping nothing: it keeps the preset's 20.
INLINE_NESTING = 20


def read_markdown(raw: bytes, path: Path, *, name: str | None = None, reference: date | None = None) -> Article:
    text, encoding = decode_bytes(raw, name or str(path))
    tokens = _tokens(clean_text(text), name or str(path))
    lines: list[RawLine] = []
    context: list[str] = []  # enclosing list/quote blocks
    first_heading = True
    for k, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            context.append("quote" if token.type == "blockquote_open" else "list")
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            context.pop()
        elif token.type == "inline":
            opener = tokens[k - 1]
            number = (opener.map or token.map or [0])[0] + 1
            if opener.type == "heading_open":
                hint = "title" if opener.tag == "h1" and first_heading and not lines else "heading"
                first_heading = False
            else:
                hint = context[-1] if context else ""  # plain paragraphs: the text rules decide, as for .txt
            lines.extend(RawLine(number, part, hint) for part in _plain(token).split("\n"))
        elif token.type in ("code_block", "fence", "html_block"):
            for i, part in enumerate(token.content.split("\n")):
                lines.append(RawLine((token.map or [0])[0] + 1 + i, part, "paragraph"))
    return build_article(lines, path, encoding=encoding, fmt="markdown", reference=reference, name=name)


def _tokens(text: str, name: str) -> list:
    """markdown-it's block tokens; ``InputError`` where its nesting limit would cut the file short."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    md.core.ruler.after("block", "inline_nesting", _inline_nesting)
    tokens = md.parse(text)
    if any(t.level >= MAX_NESTING - 1 for t in tokens):  # the parser stopped here: what follows was dropped
        raise InputError(f"{name}: nested too deeply to read (lists or quotations past markdown-it's limit of "
                         f"{MAX_NESTING} levels); refused rather than read in part")
    return tokens


def _inline_nesting(state) -> None:
    """A core rule between block and inline parsing: inline markup gets its own, lower limit."""
    state.md.options["maxNesting"] = INLINE_NESTING


def _plain(inline) -> str:
    """The inline token's text without markup; a soft line break joins Chinese without a space."""
    out: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append("" if out and out[-1][-1:] > "\u2e80" else " ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
    return "".join(out)
