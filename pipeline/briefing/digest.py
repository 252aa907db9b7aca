"""``OUT/digest.docx``: the page readers open first, ready to forward.

One page per run: what it covers (dates, outlets), then per article its English
title linked to its briefing, outlet and date, the English of its lead
paragraph and its key figures, and how many flags need review; then what was
not briefed; provenance last ("About this digest").  Everything in it comes
from the translations the briefings were written from: no second model pass.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

from pipeline.signature import Signature

DIGEST_NAME = "digest.docx"
ABOUT_HEADING = "About this digest"
KEY_FIGURES = 4  # per article: enough to see what the story is about, few enough for one page


@dataclass
class DigestEntry:
    """What the digest says about one briefed article (plain data: the run keeps these, not the articles)."""

    briefing: str  # the briefing's file name, beside the digest
    title_english: str
    title: str
    outlet: str = ""
    date: str | None = None
    lead_english: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (English as printed, source)
    flags: int = 0

    @classmethod
    def of(cls, translated, briefing: str) -> "DigestEntry":
        article = translated.article
        return cls(briefing, translated.title_translation or article.title, article.title, outlet_of(article),
                   article.date, lead_english(translated), key_figures(translated),
                   sum(len(s.flags) for s in translated.sentences))


def outlet_of(article) -> str:
    """Who published it: the outlet the article names, its site's name, else the link's host."""
    if article.source or article.site_name:
        return article.source or article.site_name
    return urlsplit(article.source_url).hostname or "" if article.source_url else ""


def lead_english(translated) -> str:
    """The English of the first paragraph that is not a heading (a reviewer's English when there is one)."""
    for block in translated.blocks:
        if not block.block.is_heading and block.translation.strip():
            return " ".join(block.translation.split())
    return ""


def key_figures(translated, limit: int = KEY_FIGURES) -> list[tuple[str, str]]:
    """The first distinct figures the English states as required, with their units (as the briefing prints them)."""
    out: list[tuple[str, str]] = []
    for sentence in translated.sentences:
        for t in sentence.terms:
            if t.kind == "number" and t.found and t.target and t.target not in (e for e, _ in out):
                out.append((t.target, t.source))
                if len(out) == limit:
                    return out
    return out


def render_digest(entries: Sequence[DigestEntry], signature: Signature, *, not_briefed: Sequence[str] = (),
                  skipped: int = 0, page_size: str = "a4", generated_at: datetime | None = None,
                  author: str | None = None) -> bytes:
    """The digest as DOCX bytes.  ``not_briefed``: one line per failed input; ``skipped``: items briefed before."""
    from docx import Document

    from pipeline.briefing.document import (_header_footer, _setup_page, _setup_styles, label_table, provenance_rows,
                                            tag_document)
    from pipeline.briefing.properties import Properties, default_author, set_properties

    generated_at = generated_at or datetime.now(timezone.utc)
    doc = Document()
    _setup_styles(doc)
    section = _setup_page(doc, page_size)
    title = f"News digest, {generated_at.astimezone(timezone.utc):%d %B %Y}"
    _header_footer(section, title)
    set_properties(doc, Properties(title=title, author=default_author() if author is None else author,
                                   generator=f"briefing {signature.version}", created=generated_at,
                                   comments=signature.short(), category="news digest"))
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph(coverage(entries, skipped, len(not_briefed)))
    for entry in entries:
        _entry(doc, entry)
    if not_briefed:
        doc.add_heading("Not briefed", level=2)
        for line in not_briefed:
            doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(ABOUT_HEADING, level=1)
    doc.add_paragraph("Machine translation; each title opens its briefing, which shows the original beside the "
                      "English and flags what needs review.")
    label_table(doc, section, provenance_rows(signature, generated_at))
    tag_document(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def coverage(entries: Sequence[DigestEntry], skipped: int, failed: int) -> str:
    """One sentence: how many articles, from which outlets, over which dates, and what needs review."""
    dates = sorted(e.date for e in entries if e.date)
    outlets = sorted({e.outlet for e in entries if e.outlet})
    flags = sum(e.flags for e in entries)
    parts = [f"{len(entries)} article{'s' * (len(entries) != 1)}"]
    if outlets:
        parts.append("from " + ", ".join(outlets))
    if dates:
        parts.append(f"dated {dates[0]}" if dates[0] == dates[-1] else f"dated {dates[0]} to {dates[-1]}")
    text = " ".join(parts) + f". {flags} flag{'s' * (flags != 1)} need{'s' * (flags == 1)} review."
    if skipped:
        text += f" {skipped} item{'s' * (skipped != 1)} briefed before {'were' if skipped != 1 else 'was'} skipped."
    if failed:
        text += f" {failed} could not be briefed (listed below)."
    return text


def _entry(doc, entry: DigestEntry) -> None:
    from pipeline.briefing.index import add_hyperlink

    heading = doc.add_paragraph(style="Heading 2")
    add_hyperlink(heading, quote(entry.briefing), entry.title_english)
    facts = [f for f in (entry.outlet, entry.date) if f]
    meta = doc.add_paragraph(" · ".join(facts + [entry.title]))
    meta.paragraph_format.space_after = 0
    if entry.lead_english:
        doc.add_paragraph(entry.lead_english)
    if entry.figures:
        doc.add_paragraph("Key figures: " + "; ".join(f"{english} ({source})" for english, source in entry.figures))
    if entry.flags:
        doc.add_paragraph(f"{entry.flags} flag{'s' * (entry.flags != 1)} to review in the briefing.")
