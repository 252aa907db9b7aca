"""``OUT/index.docx``: every briefing of a run on one page, failures included."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from pipeline.docx_briefing import (
    FLAG_FILL,
    HEADER_FILL,
    _fixed_table,
    _header_footer,
    _repeat_as_header,
    _setup_page,
    _set_widths,
    _setup_styles,
    _shade,
    _usable_width,
    set_generator,
    xml_safe,
)
from pipeline.report import ArticleRecord
from pipeline.signature import Signature

INDEX_NAME = "index.docx"
COLUMNS = ("Date", "English title", "Original title", "Terms", "Flags", "Status")
SHARES = (0.11, 0.27, 0.25, 0.08, 0.11, 0.18)


def render_index(records: list[ArticleRecord], signature: Signature, page_size: str = "a4",
                 generated_at: datetime | None = None) -> bytes:
    generated_at = generated_at or datetime.now(timezone.utc)
    doc = Document()
    _setup_styles(doc)
    section = _setup_page(doc, page_size)
    # landscape: six columns of titles read better wide
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _header_footer(section, "Briefings index")
    doc.core_properties.title = "Briefings index"
    doc.core_properties.comments = signature.short()
    set_generator(doc, f"briefing {signature.version}")

    doc.add_paragraph("Briefings index", style="Title")
    ok = sum(r.status == "ok" for r in records)
    doc.add_paragraph(f"{ok} of {len(records)} articles translated, {generated_at:%Y-%m-%d %H:%M UTC}. "
                      f"Signature: {signature.short()}")
    total = _usable_width(section)
    widths = [int(total * share) for share in SHARES]
    table = _fixed_table(doc, 1, widths)
    for cell, label in zip(table.rows[0].cells, COLUMNS):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, HEADER_FILL)
    _repeat_as_header(table.rows[0])
    for record in sorted(records, key=lambda r: (r.date or "9999-99-99", Path(r.input).name)):
        row = table.add_row()
        _set_widths(row, widths)
        flags = sum(record.flags.values())
        values = (
            record.date or "—",
            record.title_english or "—",
            record.title or Path(record.input).name,
            str(record.terms_required),
            ", ".join(f"{k} {v}" for k, v in sorted(record.flags.items())) or "none",
            f"ok: {Path(record.output).name}" if record.status == "ok" and record.output else f"failed: {record.error}",
        )
        for cell, value in zip(row.cells, values):
            cell.text = xml_safe(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
        if record.status != "ok" or flags:
            _shade(row.cells[5], FLAG_FILL)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
