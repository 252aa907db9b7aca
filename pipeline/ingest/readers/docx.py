"""Word files (.docx): paragraphs in reading order, styles give headings.

Tracked changes are read from the XML as if accepted: inserted runs (w:ins)
are kept, deleted ones (w:del, w:delText) dropped, because python-docx's
``Paragraph.text`` mixes the two.  Table cells are read row by row.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from pipeline.article import Article
from pipeline.errors import InputError
from pipeline.ingest.archive import check_archive
from pipeline.ingest.structure import RawLine, build_article
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES, clean_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIPPED = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "rPr", W + "pPr"}


def read_docx(raw: bytes, path: Path, *, name: str | None = None, reference: date | None = None,
              max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Article:
    name = name or str(path)
    try:
        import docx  # heavy-ish: only when a Word file is read

        check_archive(raw, name, max_input_bytes)  # python-docx unpacks every part into memory
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(f"{name}: not a readable Word (.docx) file ({type(err).__name__})") from None
    styles = {s.style_id: (s.name or "") for s in document.styles}
    lines: list[RawLine] = []
    for number, paragraph in enumerate(_paragraphs(document.element.body), start=1):
        text = clean_text(accepted_text(paragraph))
        hint = _hint(_style_id(paragraph), styles)
        for part in text.split("\n"):
            lines.append(RawLine(number, part, hint if part.strip() else ""))
    return build_article(lines, path, encoding="utf-8", fmt="docx", reference=reference, name=name)


def _paragraphs(body):
    """w:p elements of the body and of its tables, in reading order (deleted paragraphs' marks included)."""
    for child in body.iterchildren():
        if child.tag == W + "p":
            yield child
        elif child.tag == W + "tbl":
            yield from child.iter(W + "p")
        elif child.tag == W + "sdt":
            yield from child.iter(W + "p")


def accepted_text(paragraph) -> str:
    """The paragraph's text with every tracked change accepted."""
    out: list[str] = []
    _collect(paragraph, out)
    return "".join(out)


def _collect(element, out: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        else:
            _collect(child, out)


def _style_id(paragraph) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(W + "val", "") if style is not None else ""


def _hint(style_id: str, styles: dict[str, str]) -> str:
    label = f"{style_id} {styles.get(style_id, '')}".lower()
    if "title" in label and "subtitle" not in label:
        return "title"
    if "heading" in label or "標題" in label:
        return "heading"
    if "list" in label:
        return "list"
    if "quote" in label:
        return "quote"
    return ""
