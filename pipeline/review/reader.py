"""Read a reviewer's copy of a briefing: the body rows as the reviewer left them.

Tracked changes are read as if accepted (inserted text kept, deleted text
dropped): python-docx's ``.text`` would mix both.  Comments anchored in a row
(except the tool's own QA comments) become the row's notes.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from pipeline.errors import BriefingError, one_line
from pipeline.ingest.archive import check_archive
from pipeline.review.manifest import SegmentManifest, read as read_manifest

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
QA_AUTHOR = "briefing QA"
_REJECTED = {_W + "del", _W + "moveFrom"}  # tracked removals: not in the accepted text
_ID = re.compile(r"\s*(\d+(?:\.\d+)?)")


@dataclass
class ReviewedRow:
    position: int  # 1-based, in the body table as the reviewer left it
    row_id: str  # "" when the ID cell is gone or unreadable
    source: str
    english: str
    notes: list[str] = field(default_factory=list)


@dataclass
class ReviewedDocument:
    path: Path
    manifest: SegmentManifest
    rows: list[ReviewedRow]
    reviewer: str
    modified: str  # ISO


def read_reviewed(path: Path) -> ReviewedDocument:
    try:
        check_archive(path, str(path))  # parts are read whole: a zip bomb is refused before any is inflated
        with zipfile.ZipFile(path) as z:
            manifest = read_manifest(z)
            if manifest is None:
                raise BriefingError(f"{path}: no segment manifest (not a briefing written by this tool, "
                                    "or written before briefings carried one)")
            body = etree.fromstring(z.read("word/document.xml"))
            comments = _comments(z)
            core = z.read("docProps/core.xml") if "docProps/core.xml" in z.namelist() else b""
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, etree.XMLSyntaxError, OSError) as err:
        raise BriefingError(f"{path}: cannot read as a Word document ({one_line(str(err)) or type(err).__name__})") from None
    rows = _body_rows(path, body, comments)
    reviewer, modified = _reviewer(core, body)
    return ReviewedDocument(path, manifest, rows, reviewer, modified)


def accepted_text(element) -> str:
    """The text of ``element`` with every tracked change accepted."""
    parts = []
    for node in element.iter(_W + "t", _W + "tab", _W + "br"):
        if any(a.tag in _REJECTED for a in node.iterancestors()):
            continue
        parts.append((node.text or "") if node.tag == _W + "t" else " ")
    return "".join(parts)


def _paragraphs(cell) -> list[str]:
    return [accepted_text(p) for p in cell.findall(_W + "p")]


def _body_rows(path: Path, body, comments: dict[str, tuple[str, str]]) -> list[ReviewedRow]:
    table, has_id = _find_body_table(body)
    if table is None:
        raise BriefingError(f"{path}: the 原文 / English table is missing")
    rows = []
    for position, tr in enumerate(table.findall(_W + "tr")[1:], start=1):
        cells = tr.findall(_W + "tc")
        row_id = ""
        if has_id and cells:
            match = _ID.match(accepted_text(cells[-1]))
            row_id = match.group(1) if match else ""
            cells = cells[:-1]
        if not cells:
            continue
        if len(cells) == 1:  # a heading spans the text columns: original, then English
            paragraphs = _paragraphs(cells[0])
            source, english = paragraphs[0], " ".join(paragraphs[1:])
        else:
            source, english = " ".join(_paragraphs(cells[0])), " ".join(_paragraphs(cells[1]))
        rows.append(ReviewedRow(position, row_id, source, " ".join(english.split()), _notes(tr, comments)))
    return rows


def _find_body_table(body):
    for tbl in body.iter(_W + "tbl"):
        first = tbl.find(_W + "tr")
        if first is None:
            continue
        header = [accepted_text(tc).strip() for tc in first.findall(_W + "tc")]
        if header[:2] == ["原文", "English"]:
            return tbl, header[-1] == "ID"
    return None, False


def _comments(z: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    if "word/comments.xml" not in z.namelist():
        return {}
    root = etree.fromstring(z.read("word/comments.xml"))
    return {c.get(_W + "id"): (c.get(_W + "author", ""), " ".join(accepted_text(p) for p in c.findall(_W + "p")).strip())
            for c in root.findall(_W + "comment")}


def _notes(tr, comments) -> list[str]:
    ids = dict.fromkeys(e.get(_W + "id") for e in tr.iter(_W + "commentRangeStart", _W + "commentReference"))
    notes = []
    for cid in ids:
        author, text = comments.get(cid, ("", ""))
        if text and author != QA_AUTHOR:
            notes.append(f"{author}: {text}" if author else text)
    return notes


def _reviewer(core: bytes, body) -> tuple[str, str]:
    """Who and when: the last-modified-by core property, else the tracked changes' author."""
    who, when = "", ""
    if core:
        root = etree.fromstring(core)
        for el in root.iter():
            name = etree.QName(el).localname
            if name == "lastModifiedBy":
                who = (el.text or "").strip()
            elif name == "modified":
                when = (el.text or "").strip()
    if not who or who.startswith("briefing "):  # the tool's own stamp: nobody saved it since
        authors = [e.get(_W + "author") for e in body.iter(_W + "ins", _W + "del") if e.get(_W + "author")]
        who = authors[0] if authors else ""
    return who or "unknown reviewer", when or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
