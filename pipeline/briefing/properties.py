"""What a DOCX says about itself: core and app properties, thumbnail, run languages.

python-docx starts every document from its template, whose properties describe
the template, not our file: created and modified 2013-12-23, author
"python-docx", ``app.xml`` saying 1 page and 0 words, and a stock thumbnail
that file managers show as the document's preview.  ``set_properties`` replaces
all of it; ``tag_languages`` marks every run's language so Word and LibreOffice
set the Chinese in Traditional glyphs and proof each script in its language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# The document is written for English readers; its Chinese is marked per run
# (w:lang w:eastAsia).  core.xml holds one language (the OPC schema allows one dc:language).
DOCUMENT_LANGUAGE = "en-US"
LATIN_LANGUAGE = "en-US"
EAST_ASIAN_LANGUAGE = "zh-TW"
THUMBNAIL_RELTYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
# Elements that come after w:lang in a run's properties (ECMA-376 CT_RPr sequence).
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")


@dataclass(frozen=True)
class Properties:
    title: str
    author: str
    generator: str  # "briefing 1.2.3": app.xml's Application and the last-modified-by stamp
    created: datetime
    subject: str = ""
    keywords: str = ""
    comments: str = ""
    category: str = ""
    language: str = DOCUMENT_LANGUAGE


def default_author() -> str:
    """The user's full name from the passwd entry (gecos), else the login name; "" if neither is known."""
    import getpass

    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    except (ImportError, KeyError, OSError):  # Windows has no pwd; a container user may have no entry
        pass
    try:
        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return ""


def set_properties(doc, props: Properties) -> None:
    """True core properties, an app.xml without the template's counts, no thumbnail."""
    core = doc.core_properties
    core.title = fit(props.title)
    core.subject = fit(props.subject)
    core.keywords = fit(props.keywords)
    core.author = fit(props.author)
    core.comments = fit(props.comments)
    core.category = fit(props.category)
    core.language = props.language
    # review import reads this stamp as "nobody has saved it since briefing wrote it"
    core.last_modified_by = props.generator
    core.revision = 1
    stamp = as_utc(props.created)
    core.created = stamp
    core.modified = stamp
    _write_app_xml(doc, props.generator)
    _drop_thumbnail(doc)


def as_utc(moment: datetime) -> datetime:
    """A naive UTC datetime: python-docx writes naive values with a Z suffix."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def fit(value: str, limit: int = 255) -> str:
    """Core properties hold at most 255 characters (python-docx enforces Word's limit)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _write_app_xml(doc, generator: str) -> None:
    """Replace the template's app.xml (Microsoft Macintosh Word, 1 page, 0 words, an empty
    title part): page and word counts are Word's to compute on save, so none are written."""
    from xml.sax.saxutils import escape

    blob = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Application>{escape(generator)}</Application><DocSecurity>0</DocSecurity>"
            "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged></Properties>")
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = blob.encode("utf-8")
            return


def _drop_thumbnail(doc) -> None:
    """Without its relationship the part is not saved (the package saves what its rels reach)."""
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == THUMBNAIL_RELTYPE]:
        rels.pop(rid)


def tag_languages(element) -> None:
    """Set w:lang on every run under ``element``: English for Latin text, zh-TW for
    the East Asian script (Word and LibreOffice then pick Traditional glyphs and
    proofing per character, whatever the run mixes)."""
    for run in element.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        set_lang(rpr)


def set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        successor = next((rpr.find(qn(tag)) for tag in _AFTER_LANG if rpr.find(qn(tag)) is not None), None)
        if successor is None:
            rpr.append(lang)
        else:
            successor.addprevious(lang)
    lang.set(qn("w:val"), LATIN_LANGUAGE)
    lang.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)
