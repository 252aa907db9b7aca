"""The segment manifest a briefing carries in a custom XML part.

Per body row: its id (also printed in the row's ID cell), the hash of its
original text and the English as written; per sentence (segment): the source
and its hash, the model input and required English (the memory keys), the
English as written, its origin (model, memory, human) and the run and model
signature.  ``review import`` reads it back to tell what a reviewer changed.

Word and LibreOffice both keep customXml parts (``customXml/itemN.xml`` with
an ``itemProps`` part, related from the main document) through editing.
"""

from __future__ import annotations

import json

import hashlib
import uuid
from dataclasses import dataclass, field

from lxml import etree

NAMESPACE = "urn:briefing:segments:1"
_N = "{%s}" % NAMESPACE
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_XML_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def text_hash(text: str) -> str:
    """SHA-256 of text with whitespace runs collapsed (an editor may re-wrap a cell), first 16 hex digits."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def article_hash(sources) -> str:
    """The article's identity: SHA-256 of its source text with all whitespace removed (so the same
    whichever way it was split into rows, paragraph or sentence), first 16 hex digits."""
    return hashlib.sha256("".join("".join(s.split()) for s in sources).encode("utf-8")).hexdigest()[:16]


@dataclass
class TermRecord:
    source: str
    target: str
    variants: tuple[str, ...] = ()
    kind: str = "term"  # term | number: must appear; forbidden: must not


@dataclass
class Segment:
    id: str
    source: str
    model_input: str
    constraints: tuple[tuple[str, ...], ...]  # per requirement, its accepted English forms
    english: str
    origin: str = "model"
    terms: list[TermRecord] = field(default_factory=list)  # enforced glossary terms (the presence test's input)

    @property
    def source_hash(self) -> str:
        return text_hash(self.source)


@dataclass
class Row:
    id: str
    kind: str  # paragraph | heading | sentence
    source: str
    english: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def source_hash(self) -> str:
        return text_hash(self.source)


@dataclass
class SegmentManifest:
    run: str
    generated: str
    article: str
    align: str
    signature: str
    context: dict[str, str]  # model_id, model_revision, opencc_config, decoding, version
    rows: list[Row] = field(default_factory=list)
    article_sha256: str = ""  # ``article_hash`` of the rows' sources; "" in manifests written before it

    def to_xml(self) -> bytes:
        root = etree.Element(_N + "briefing", nsmap={None: NAMESPACE})
        identity = self.article_sha256 or article_hash(row.source for row in self.rows)
        for name, value in (("run", self.run), ("generated", self.generated), ("article", self.article),
                            ("article-sha256", identity), ("align", self.align), ("signature", self.signature)):
            root.set(name, value)
        for name, value in sorted(self.context.items()):
            root.set(name.replace("_", "-"), value)
        for row in self.rows:
            r = etree.SubElement(root, _N + "row", {"id": row.id, "kind": row.kind, "source-sha256": row.source_hash})
            etree.SubElement(r, _N + "source").text = row.source
            etree.SubElement(r, _N + "english").text = row.english
            for seg in row.segments:
                s = etree.SubElement(r, _N + "segment", {"id": seg.id, "source-sha256": seg.source_hash,
                                     "origin": seg.origin, "run": self.run, "signature": self.signature})
                etree.SubElement(s, _N + "source").text = seg.source
                etree.SubElement(s, _N + "model-input").text = seg.model_input
                for c in seg.constraints:
                    # one requirement: its accepted English forms, canonical first (JSON list)
                    etree.SubElement(s, _N + "constraint").text = json.dumps(list(c), ensure_ascii=False)
                for t in seg.terms:
                    etree.SubElement(s, _N + "term", source=t.source, target=t.target, variants="|".join(t.variants),
                                     kind=t.kind)
                etree.SubElement(s, _N + "english").text = seg.english
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @classmethod
    def from_xml(cls, data: bytes) -> "SegmentManifest":
        root = etree.fromstring(data)
        context_names = ("model_id", "model_revision", "opencc_config", "decoding", "version")
        manifest = cls(run=root.get("run", ""), generated=root.get("generated", ""), article=root.get("article", ""),
                       align=root.get("align", "paragraph"), signature=root.get("signature", ""),
                       context={n: root.get(n.replace("_", "-"), "") for n in context_names},
                       article_sha256=root.get("article-sha256", ""))
        for r in root.iter(_N + "row"):
            row = Row(r.get("id"), r.get("kind"), _text(r, "source"), _text(r, "english"))
            for s in r.iter(_N + "segment"):
                row.segments.append(Segment(
                    id=s.get("id"), source=_text(s, "source"), model_input=_text(s, "model-input"),
                    constraints=tuple(_requirement(c.text or "") for c in s.findall(_N + "constraint")),
                    english=_text(s, "english"), origin=s.get("origin", "model"),
                    terms=[TermRecord(t.get("source", ""), t.get("target", ""),
                                      tuple(v for v in t.get("variants", "").split("|") if v), t.get("kind", "term"))
                           for t in s.findall(_N + "term")]))
            manifest.rows.append(row)
        return manifest


def _text(element, name: str) -> str:
    child = element.find(_N + name)
    return (child.text or "") if child is not None else ""


def is_manifest(data: bytes) -> bool:
    try:
        return etree.fromstring(data).tag == _N + "briefing"
    except etree.XMLSyntaxError:
        return False


def attach(doc, xml: bytes, seed: str) -> None:
    """Add ``xml`` to a python-docx Document as customXml/itemN.xml with its itemProps part."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package
    item_name = package.next_partname("/customXml/item%d.xml")
    number = str(item_name).rsplit("item", 1)[1].split(".")[0]
    item = Part(item_name, "application/xml", xml, package)
    props_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
                 f'<ds:datastoreItem ds:itemID="{{{str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + "/" + seed)).upper()}}}" xmlns:ds="{_DS}">'
                 f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>')
    props = Part(PackURI(f"/customXml/itemProps{number}.xml"), CUSTOM_XML_PROPS_TYPE, props_xml.encode(), package)
    item.relate_to(props, CUSTOM_XML_PROPS_REL)
    doc.part.relate_to(item, CUSTOM_XML_REL)


def read(zip_file) -> SegmentManifest | None:
    """The manifest in an open ``zipfile.ZipFile`` of a .docx (any customXml item), or None."""
    for name in zip_file.namelist():
        if name.startswith("customXml/item") and not name.startswith("customXml/itemProps") and name.endswith(".xml"):
            data = zip_file.read(name)
            if is_manifest(data):
                return SegmentManifest.from_xml(data)
    return None


def _requirement(text: str) -> tuple[str, ...]:
    """A requirement as written by ``to_xml`` (a JSON list of forms); a bare string is one form."""
    if text.startswith("["):
        try:
            return tuple(json.loads(text))
        except ValueError:
            pass
    return (text,)
