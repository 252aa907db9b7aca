"""``OUT/index.docx``: every briefing of a run on one page, failures included.

Each briefing's file name is a link to it, relative to the index (the briefings
are written beside it), so the folder can be moved or mailed as a whole.  How
the run was made (signature, model) is the last section, "About this index".
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from pipeline.briefing.document import (FLAG_FILL, _header_footer, _setup_page, _setup_styles, _shade, data_table,
                                        label_table, provenance_rows, tag_document)
from pipeline.briefing.properties import Properties, default_author, set_properties
from pipeline.briefing.report import ArticleRecord
from pipeline.signature import Signature

INDEX_NAME = "index.docx"
INDEX_TITLE = "Briefings index"
ABOUT_HEADING = "About this index"
COLUMNS = ("Date", "English title", "Original title", "Terms", "Flags", "Status")
SHARES = (0.11, 0.27, 0.25, 0.08, 0.11, 0.18)
STATUS = COLUMNS.index("Status")
OK_PREFIX = "ok: "
TEXT_SIZE = Pt(9)
LINK_BLUE = RGBColor(0x05, 0x63, 0xC1)


def _row(record: ArticleRecord) -> tuple[str, ...]:
    return (
        record.date or "—",
        record.title_english or "—",
        record.title or Path(record.input).name,
        str(record.terms_required),
        ", ".join(f"{k} {v}" for k, v in sorted(record.flags.items())) or "none",
        _status(record),
    )


def _linked(record: ArticleRecord) -> bool:
    return record.status == "ok" and bool(record.output)


def _status(record: ArticleRecord) -> str:
    if _linked(record):
        return f"{OK_PREFIX}{Path(record.output).name}"
    return f"skipped: {record.note}" if record.status == "skipped" else f"failed: {record.error}"


def render_index(records: list[ArticleRecord], signature: Signature, page_size: str = "a4",
                 generated_at: datetime | None = None, author: str | None = None) -> bytes:
    """``author`` is the document's author property (default: the user running briefing)."""
    generated_at = generated_at or datetime.now(timezone.utc)
    doc = Document()
    _setup_styles(doc)
    section = _setup_page(doc, page_size)
    # landscape: six columns of titles read better wide
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _header_footer(section, INDEX_TITLE)
    set_properties(doc, Properties(title=INDEX_TITLE, author=default_author() if author is None else author,
                                   generator=f"briefing {signature.version}", created=generated_at,
                                   comments=signature.short(), category="briefings index"))

    doc.add_paragraph(INDEX_TITLE, style="Title")
    ok = sum(r.status == "ok" for r in records)
    doc.add_paragraph(f"{ok} of {len(records)} articles translated, {generated_at.astimezone(timezone.utc):%Y-%m-%d}. "
                      "Each file name opens its briefing.")
    ordered = sorted(records, key=lambda r: (r.date or "9999-99-99", Path(r.input).name))
    table, _ = data_table(doc, section, COLUMNS, SHARES, [_row(r) for r in ordered], font_size=TEXT_SIZE,
                          fit=(STATUS,))
    for row, record in zip(table.rows[1:], ordered):
        if record.status == "error" or record.flags:
            _shade(row.cells[STATUS], FLAG_FILL)
        if _linked(record):
            _link_status(row.cells[STATUS], Path(record.output).name)
    doc.add_heading(ABOUT_HEADING, level=1)
    label_table(doc, section, provenance_rows(signature, generated_at))
    tag_document(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _link_status(cell, name: str) -> None:
    """Rewrite "ok: NAME" as "ok: " and NAME as a hyperlink to the briefing beside the index."""
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.add_run(OK_PREFIX).font.size = TEXT_SIZE
    add_hyperlink(paragraph, quote(name), name)


def add_hyperlink(paragraph, target: str, text: str) -> None:
    """A w:hyperlink to a relative ``target`` (python-docx has no API for one): an external
    relationship of the document part, and a run styled as a link (blue, underlined)."""
    rid = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(text)
    run.font.size = TEXT_SIZE
    run.font.color.rgb = LINK_BLUE
    run.font.underline = True
    run._r.getparent().remove(run._r)
    link.append(run._r)
    paragraph._p.append(link)
