"""What a briefing holds per row, for the XLIFF export: the manifest row, the
English now in the document (a Word reviewer may already have changed it),
its glossary terms and its QA flags (the tool's own Word comments)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.manifest import Row, SegmentManifest, TermRecord
from pipeline.review.match import match_rows
from pipeline.review.reader import QA_AUTHOR, W, accepted_text, read_reviewed

_W = "{%s}" % W
_ID = re.compile(r"\s*(\d+(?:\.\d+)?)")


@dataclass
class ExportRow:
    row: Row
    english: str  # as the briefing shows it now
    flags: list[str] = field(default_factory=list)  # "name: reason", from the QA comments

    @property
    def terms(self) -> list[TermRecord]:
        seen, terms = set(), []
        for t in (t for s in self.row.segments for t in s.terms):
            key = (t.source, t.target, t.kind)
            if key not in seen:
                seen.add(key)
                terms.append(t)
        return terms


def briefing_rows(path: Path) -> tuple[SegmentManifest, list[ExportRow]]:
    document = read_reviewed(path)
    now = {m.row.id: m.reviewed.english for m in match_rows(document.rows, document.manifest.rows).matches}
    flags = qa_flags(path)
    rows = [ExportRow(row, now.get(row.id, row.english), flags.get(row.id, [])) for row in document.manifest.rows]
    return document.manifest, rows


def qa_flags(path: Path) -> dict[str, list[str]]:
    """Row id -> the QA flags the briefing's own Word comments carry (one line each)."""
    try:
        with zipfile.ZipFile(path) as z:
            if "word/comments.xml" not in z.namelist():
                return {}
            comments = etree.fromstring(z.read("word/comments.xml"))
            body = etree.fromstring(z.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as err:
        raise BriefingError(f"{path}: cannot read as a Word document ({err})") from None
    qa = {c.get(_W + "id"): [line for p in c.findall(_W + "p") for line in accepted_text(p).splitlines() if line.strip()]
          for c in comments.findall(_W + "comment") if c.get(_W + "author") == QA_AUTHOR}
    flags: dict[str, list[str]] = {}
    for tr in body.iter(_W + "tr"):
        ids = dict.fromkeys(e.get(_W + "id") for e in tr.iter(_W + "commentRangeStart", _W + "commentReference"))
        lines = [line for cid in ids for line in qa.get(cid, [])]
        cells = tr.findall(_W + "tc")
        match = _ID.match(accepted_text(cells[-1])) if lines and cells else None
        if match:
            flags.setdefault(match.group(1), []).extend(lines)
    return flags
