"""``briefing xliff export``: a briefing's rows as an XLIFF 1.2 or 2.1 file.

One unit per body row, its id the row's ID from the manifest: the original as
source (zh-TW), the English now in the briefing as target, the row's glossary
terms and QA flags as notes.  Rows with QA flags are marked for review
(1.2 ``needs-review-translation``; 2.1 ``initial`` with ``subState``
``briefing:qa-flagged``, since 2.x has no review-needed state of its own); the
others are ``translated``.  The manifest rides along (``embed``) so that
``review import`` checks the translator's changes exactly as a Word copy's.

translate-toolkit builds both versions (``translate.storage.xliff`` for 1.2,
``translate.storage.xliff2`` for 2.0/2.1).  A few things are set with lxml on
its elements, each where the toolkit's output would not validate against the
OASIS schemas (tested): the empty 1.2 file (its skeleton is XLIFF 1.1, and it
appends a ``<header>`` after ``<body>``), 2.x notes (it puts them inside
``<segment>``; XLIFF 2 has them on the ``<unit>``) and 2.x ``xml:space`` (it
sets it on ``<segment>``, which does not allow it).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.review.manifest import SegmentManifest, TermRecord
from pipeline.xliff import OUR_NOTES, SOURCE_LANG, TARGET_LANG, XLIFF12_NS, XLIFF2_NS
from pipeline.xliff.embed import embed_12, metadata_2
from pipeline.xliff.rows import ExportRow, briefing_rows

VERSIONS = ("1.2", "2.1")
QA_SUBSTATE = "briefing:qa-flagged"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def export_xliff(briefing: Path, version: str = "1.2") -> bytes:
    """The XLIFF file for the briefing at ``briefing`` (a DOCX written by this tool)."""
    if version not in VERSIONS:
        raise ValueError(f"XLIFF version {version!r}: choose one of {', '.join(VERSIONS)}")
    manifest, rows = briefing_rows(briefing)
    original = Path(briefing).name  # the file's name only: no local paths leave the machine
    build = _xliff_12 if version == "1.2" else _xliff_21
    return build(original, manifest, rows)


def row_notes(row: ExportRow) -> list[str]:
    """What the translator should know about the row: its glossary terms and figures, then its QA flags."""
    return [_term_note(t) for t in row.terms] + [f"QA flag: {flag}" for flag in row.flags]


def _term_note(t: TermRecord) -> str:
    if t.kind == "forbidden":
        return f"Glossary: {t.source} must not be translated as {t.target}"
    also = f" (also accepted: {', '.join(t.variants)})" if t.variants else ""
    what = "Figure" if t.kind == "number" else "Glossary"
    return f"{what}: {t.source} = {t.target} (required){also}"


def _xliff_12(original: str, manifest: SegmentManifest, rows: list[ExportRow]) -> bytes:
    from translate.storage.xliff import xlifffile

    store = xlifffile.parsestring(_skeleton_12(original))
    for row in rows:
        unit = store.addsourceunit(row.row.source, filename=original, createifmissing=True)
        unit.setid(row.row.id)
        unit.settarget(row.english, lang=TARGET_LANG)
        unit.xmlelement.attrib.pop("approved", None)  # the toolkit's default; nobody has signed the row off
        target = unit.xmlelement.find(unit.namespaced("target"))
        target.set("state", "needs-review-translation" if row.flags else "translated")
        for note in row_notes(row):
            unit.addnote(note, origin=OUR_NOTES)
    embed_12(store.getheadernode(store.getfilenode(original)), manifest)
    etree.cleanup_namespaces(store.document.getroot())  # the toolkit's units start out in the 1.1 namespace
    return bytes(store)


def _skeleton_12(original: str) -> bytes:
    """An empty 1.2 file (the toolkit's own skeleton is 1.1, and puts a header after the body)."""
    root = etree.Element("{%s}xliff" % XLIFF12_NS, nsmap={None: XLIFF12_NS}, version="1.2")
    etree.SubElement(root, "{%s}file" % XLIFF12_NS, original=original, datatype="plaintext",
                     attrib={"source-language": SOURCE_LANG, "target-language": TARGET_LANG})
    etree.SubElement(root[0], "{%s}header" % XLIFF12_NS)
    etree.SubElement(root[0], "{%s}body" % XLIFF12_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _xliff_21(original: str, manifest: SegmentManifest, rows: list[ExportRow]) -> bytes:
    from translate.storage.xliff2 import Xliff2File, Xliff2Unit

    store = Xliff2File(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    root = store.document.getroot()
    root.set("version", "2.1")
    root.set("srcLang", SOURCE_LANG)
    root.set("trgLang", TARGET_LANG)
    store.body.set("id", "f1")
    store.body.set("original", original)
    store.body.insert(0, metadata_2(manifest))
    for row in rows:
        unit = Xliff2Unit(row.row.source)
        store.addunit(unit)
        unit.setid(row.row.id)
        unit.settarget(row.english)
        # the toolkit marks <segment> xml:space="preserve", which XLIFF 2 allows on <unit> but not on <segment>
        unit.xmlelement.attrib.pop(_XML_SPACE, None)
        unit.getunitelement().set(_XML_SPACE, "preserve")
        unit.xmlelement.set("state", "initial" if row.flags else "translated")
        if row.flags:
            unit.xmlelement.set("subState", QA_SUBSTATE)
        _notes_2(unit.getunitelement(), row_notes(row))
    return bytes(store)


def _notes_2(unit_element, notes: list[str]) -> None:
    if not notes:
        return
    container = etree.Element("{%s}notes" % XLIFF2_NS)
    for text in notes:
        etree.SubElement(container, "{%s}note" % XLIFF2_NS, category=OUR_NOTES).text = text
    unit_element.insert(0, container)
