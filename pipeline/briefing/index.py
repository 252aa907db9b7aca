"""``OUT/index.docx``: every briefing of a run on one page, failures included."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from pipeline.briefing.document import FLAG_FILL, _header_footer, _setup_page, _setup_styles, _shade, data_table, set_generator
from pipeline.briefing.report import ArticleRecord
from pipeline.signature import Signature

INDEX_NAME = "index.docx"
COLUMNS = ("Date", "English title", "Original title", "Terms", "Flags", "Status")
SHARES = (0.11, 0.27, 0.25, 0.08, 0.11, 0.18)


def _row(record: ArticleRecord) -> tuple[str, ...]:
    status = f"ok: {Path(record.output).name}" if record.status == "ok" and record.output else f"failed: {record.error}"
    return (
        record.date or "—",
        record.title_english or "—",
        record.title or Path(record.input).name,
        str(record.terms_required),
        ", ".join(f"{k} {v}" for k, v in sorted(record.flags.items())) or "none",
        status,
    )


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
    ordered = sorted(records, key=lambda r: (r.date or "9999-99-99", Path(r.input).name))
    table, _ = data_table(doc, section, COLUMNS, SHARES, [_row(r) for r in ordered], font_size=Pt(9))
    for row, record in zip(table.rows[1:], ordered):
        if record.status != "ok" or record.flags:
            _shade(row.cells[5], FLAG_FILL)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
