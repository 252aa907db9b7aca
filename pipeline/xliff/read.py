"""Read an XLIFF file back from a CAT tool (memoQ, Trados, Phrase, OmegaT) as a
``ReviewedDocument``, so that ``briefing review import`` checks and stores a
translator's changes exactly as a Word reviewer's.

translate-toolkit parses the file (1.2 with ``translate.storage.xliff``, 2.0 and
2.1 with ``translate.storage.xliff2``) and finds its units; each unit's text
comes from ``text.inline_text`` (markup and tracked deletions removed).  Notes
the export wrote (from/category ``briefing``) are not the translator's and are
left out; Trados comments (``x-sdl-comment`` markers) count as notes.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.manifest import SegmentManifest, text_hash
from pipeline.review.reader import ReviewedDocument, ReviewedRow
from pipeline.xliff import OUR_NOTES
from pipeline.xliff.embed import find_manifest
from pipeline.xliff.text import inline_text

_MQ = "{MQXliff}"
_SDL = "{http://sdl.com/FileTypes/SdlXliff/1.0}"
NO_MANIFEST = ("no briefing manifest in this XLIFF (not written by `briefing xliff export`, or the CAT tool "
               "dropped it); nothing imported: translate the file `briefing xliff export` writes")


@dataclass
class XliffUnit:
    id: str
    source: str
    target: str
    notes: list[str] = field(default_factory=list)
    state: str = ""
    note_authors: list[str] = field(default_factory=list)  # 1.2 note from= (XLIFF 2 notes name nobody)


@dataclass
class XliffDocument:
    path: Path
    version: str
    units: list[XliffUnit]
    manifest: SegmentManifest | None
    reviewer: str
    modified: str  # ISO


def read_xliff(path: Path) -> XliffDocument:
    """The units of any XLIFF 1.x or 2.x file, with the embedded manifest if it carries one."""
    from translate.storage import xliff, xliff2

    try:
        data = Path(path).read_bytes()
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except (OSError, etree.XMLSyntaxError) as err:
        raise BriefingError(f"{path}: cannot read as XLIFF ({err})") from None
    if etree.QName(root).localname != "xliff":
        raise BriefingError(f"{path}: not an XLIFF file (its root element is <{etree.QName(root).localname}>)")
    version = root.get("version") or ("2.0" if ":2." in (etree.QName(root).namespace or "") else "1.2")
    try:
        store = (xliff2.Xliff2File if version.startswith("2") else xliff.xlifffile).parsestring(data)
    except (ValueError, etree.XMLSyntaxError) as err:
        raise BriefingError(f"{path}: cannot read as XLIFF {version} ({err})") from None
    units = _units_2(store) if version.startswith("2") else _units_12(store, _sdl_comments(root))
    reviewer, modified = _who_and_when(root, units, path)
    return XliffDocument(Path(path), version, units, find_manifest(root, str(path)), reviewer, modified)


def _units_12(store, comments: dict[str, str]) -> list[XliffUnit]:
    units = []
    for u in store.units:
        element = u.xmlelement
        target = element.find(u.namespaced("target"))
        theirs = [n for n in element.findall(u.namespaced("note")) if n.get("from") != OUR_NOTES and (n.text or "").strip()]
        notes = [_note(n.get("from", ""), n.text) for n in theirs]
        notes += [comments[c] for c in _sdl_comment_ids(target) if c in comments]
        units.append(XliffUnit(element.get("id", ""), inline_text(element.find(u.namespaced("source"))),
                               inline_text(target), notes, target.get("state", "") if target is not None else "",
                               [n.get("from") for n in theirs if n.get("from")]))
    return units


def _units_2(store) -> list[XliffUnit]:
    """One per ``<unit>``: its segments' texts joined (a tool may have split or joined them)."""
    units: dict[str, XliffUnit] = {}
    for u in store.units:
        unit_element = u.getunitelement()
        key = unit_element.getroottree().getpath(unit_element)  # lxml proxies: id() of an element is not stable
        entry = units.get(key)
        if entry is None:
            notes_element = unit_element.find(u.namespaced("notes"))
            notes = [] if notes_element is None else [
                _note("", n.text) for n in notes_element.findall(u.namespaced("note"))
                if n.get("category") != OUR_NOTES and (n.text or "").strip()]
            entry = units[key] = XliffUnit(unit_element.get("id", ""), "", "", notes, u.xmlelement.get("state", ""))
        entry.source = " ".join(filter(None, [entry.source, inline_text(u.xmlelement.find(u.namespaced("source")))]))
        entry.target = " ".join(filter(None, [entry.target, inline_text(u.xmlelement.find(u.namespaced("target")))]))
    return list(units.values())


def _note(author: str, text: str) -> str:
    text = " ".join(text.split())
    return f"{author}: {text}" if author else text


def _sdl_comments(root) -> dict[str, str]:
    """Trados keeps comments in ``doc-info/cmt-defs``, referenced from the target by ``sdl:cid``."""
    found = {}
    for definition in root.iter(_SDL + "cmt-def"):
        texts = [_note(c.get("user", ""), c.text or "") for c in definition.iter(_SDL + "Comment") if (c.text or "").strip()]
        if texts:
            found[definition.get("id", "")] = " | ".join(texts)
    return found


def _sdl_comment_ids(target) -> list[str]:
    if target is None:
        return []
    return [m.get(_SDL + "cid") for m in target.iter() if isinstance(m.tag, str)
            and etree.QName(m).localname == "mrk" and m.get("mtype") == "x-sdl-comment" and m.get(_SDL + "cid")]


def _who_and_when(root, units: list[XliffUnit], path: Path) -> tuple[str, str]:
    """The translator the tool recorded most often (memoQ, Trados, a 1.2 phase, a 1.2 note's author) and the
    latest date; else "unknown reviewer" (as for a Word copy nobody signed) and the file's time."""
    people, dates = Counter(), []
    for unit in root.iter():
        if not isinstance(unit.tag, str):
            continue
        if unit.get(_MQ + "lastchanginguser"):
            people[unit.get(_MQ + "lastchanginguser")] += 1
            dates.append(unit.get(_MQ + "lastchangedtimestamp", ""))
        elif unit.tag == _SDL + "value" and unit.get("key") == "last_modified_by" and unit.getparent().tag == _SDL + "seg":
            people[(unit.text or "").strip()] += 1
        elif unit.tag == _SDL + "value" and unit.get("key") == "modified_on" and unit.getparent().tag == _SDL + "seg":
            dates.append(_sdl_date(unit.text or ""))
        elif etree.QName(unit).localname == "phase" and unit.get("contact-name"):
            people[unit.get("contact-name")] += 1
    people.update(a for u in units for a in u.note_authors)
    people.pop("", None)
    reviewer = people.most_common(1)[0][0] if people else "unknown reviewer"
    dates = sorted(d for d in dates if d and not d.startswith("0001"))
    modified = dates[-1] if dates else datetime.fromtimestamp(os.path.getmtime(path), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return reviewer, modified


def _sdl_date(text: str) -> str:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y %H:%M:%S").strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return ""


def reviewed_document(document: XliffDocument, briefing: Path | None = None) -> ReviewedDocument:
    """The XLIFF's units as a reviewer's rows, against its embedded manifest, or else that of ``briefing``
    (accepted only when every unit's ID and source text match a row of it).

    An empty or missing target is a unit nobody translated (a tool may clear one to start again), not a
    correction to nothing: the row keeps the English it had."""
    manifest = document.manifest
    if manifest is None:
        if briefing is None:
            raise BriefingError(f"{document.path}: {NO_MANIFEST}")
        manifest = _briefing_manifest(briefing)
        hashes = {r.id: r.source_hash for r in manifest.rows}
        matched = sum(hashes.get(u.id) == text_hash(u.source) for u in document.units)
        if not document.units or matched != len(document.units):
            raise BriefingError(f"{document.path}: only {matched} of {len(document.units)} units match {briefing} by "
                                "ID and source text; not the XLIFF of this briefing, nothing imported")
    return ReviewedDocument(document.path, manifest, _rows(document, manifest), document.reviewer, document.modified)


def _rows(document: XliffDocument, manifest: SegmentManifest) -> list[ReviewedRow]:
    written = {r.id: r.english for r in manifest.rows}
    return [ReviewedRow(i, u.id, u.source, u.target or written.get(u.id, ""), list(u.notes))
            for i, u in enumerate(document.units, start=1)]


def _briefing_manifest(briefing: Path) -> SegmentManifest:
    from pipeline.review.reader import read_reviewed

    return read_reviewed(briefing).manifest


def read_reviewed_xliff(path: Path, briefing: Path | None = None) -> ReviewedDocument:
    """``review import``'s reader for an XLIFF file."""
    return reviewed_document(read_xliff(path), briefing)
