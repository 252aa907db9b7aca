"""The digest readers open first: reopened as XML."""

import io
import zipfile
from datetime import datetime, timezone

from docx import Document
from lxml import etree

from pipeline.briefing.digest import DigestEntry, coverage, render_digest
from pipeline.signature import Signature

SIG = Signature("Helsinki-NLP/opus-mt-zh-en", "abc123", "tw2sp", "sha256:0123", 42, "beam=4", "inline")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AT = datetime(2026, 12, 1, 6, 30, tzinfo=timezone.utc)

ENTRIES = [
    DigestEntry("tsmc.docx", "TSMC revenue hits a record", "台積電營收創新高", "中央社", "2026-11-30",
                "TSMC said on Monday that revenue rose 30%.", [("NT$35 trillion", "35兆元"), ("30%", "三成")], 2),
    DigestEntry("hon hai (2).docx", "Foxconn expands into EVs", "鴻海布局電動車", "經濟日報", "2026-11-29",
                "Foxconn will build a plant.", [], 0),
]


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_titles_link_to_their_briefings_beside_the_digest():
    parts = _parts(render_digest(ENTRIES, SIG, generated_at=AT))
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): (r.get("Target"), r.get("TargetMode")) for r in rels}
    body = etree.fromstring(parts["word/document.xml"])
    links = [(targets[h.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")],
              "".join(h.itertext())) for h in body.iter(f"{W}hyperlink")]
    assert links == [(("tsmc.docx", "External"), "TSMC revenue hits a record"),
                     (("hon%20hai%20%282%29.docx", "External"), "Foxconn expands into EVs")]


def test_each_article_has_outlet_date_lead_and_key_figures_and_provenance_comes_last():
    doc = Document(io.BytesIO(render_digest(ENTRIES, SIG, not_briefed=["https://x.example/a: HTTP 404"],
                                            skipped=2, generated_at=AT)))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "News digest, 01 December 2026"
    assert "中央社 · 2026-11-30 · 台積電營收創新高" in text
    assert "TSMC said on Monday that revenue rose 30%." in text
    assert "Key figures: NT$35 trillion (35兆元); 30% (三成)" in text
    assert "2 flags to review in the briefing." in text
    assert "https://x.example/a: HTTP 404" in text
    about = text.index("About this digest")
    assert doc.paragraphs[about].style.name == "Heading 1" and about >= len(text) - 2  # provenance comes last
    last_table = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert ["Signature", SIG.short()] in last_table
    assert all(SIG.short() not in t for t in text)  # the signature is only in the last section's table
    assert len(doc.tables) == 1


def test_coverage_sentence():
    assert coverage(ENTRIES, 2, 1) == ("2 articles from 中央社, 經濟日報 dated 2026-11-29 to 2026-11-30. "
                                       "2 flags need review. 2 items briefed before were skipped. "
                                       "1 could not be briefed (listed below).")
    one = [ENTRIES[1]]
    assert coverage(one, 0, 0) == "1 article from 經濟日報 dated 2026-11-29. 0 flags need review."
    assert coverage([], 1, 0) == "0 articles. 0 flags need review. 1 item briefed before was skipped."
