"""The translation memory as TMX 1.4, the interchange format of CAT tools.

Export writes one ``<tu>`` per memory entry (``human_only``: the human
entries alone): a ``zh-TW`` variant (the sentence as written) and an
``en-US`` variant (both languages are options), with the memory's key fields as
``<prop type="x-...">`` properties, so that importing the file into another
memory recreates the same keys and a run there translates nothing again.
Human entries carry ``x-origin=human`` and the reviewer as ``creationid``
and ``changeid``; the reviewer's notes become ``<note>``.  No local path
leaves the machine: an absolute ``x-document`` is written as the file's name
(a path relative to the project stays as it is).

Import reads our own files back exactly (a model entry whose key no longer
matches its properties is reported and skipped) and any other tool's TMX
as human translations of its Chinese segments: what a CAT tool's memory
holds is a translator's work.  Languages are matched by their primary tag
(``zh-TW``, ``zh-Hant``, ``ZH-TW`` and ``zh`` are Chinese; ``en-US``, ``en-GB``
and ``en`` English), preferring the exact tags asked for.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath, PureWindowsPath

from lxml import etree

from pipeline import __version__
from pipeline.errors import BriefingError
from pipeline.fsutil import atomic_write_bytes
from pipeline.translate.memory import HumanEntry, MemoryContext, TranslationMemory, requirements_from_json
from pipeline.translate.prepare import TranslationRequest

SOURCE_LANG = "zh-TW"
TARGET_LANG = "en-US"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTEXT_PROPS = ("x-model-id", "x-model-revision", "x-opencc-config", "x-decoding", "x-version")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NATIVE_CODES = {"bpt", "ept", "it", "ph", "ut"}  # inline markup holding the original format's codes, not text
# tmx/body/tu/tuv/seg is 5 deep and inline markup adds a few; far deeper is a hostile file
# (reading a <seg> recurses, and Python's stack ends near 1,000).
MAX_DEPTH = 100


def _tmx_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def export_tmx(memory: TranslationMemory, path: Path, human_only: bool = False,
               source_lang: str = SOURCE_LANG, target_lang: str = TARGET_LANG) -> dict[str, int]:
    """Write the entries of ``memory`` (``human_only``: its human entries) to ``path``
    (atomically), tagged ``source_lang`` / ``target_lang``; returns counts per origin."""
    buffer = io.BytesIO()
    counts = {"model": 0, "human": 0}
    langs = (source_lang, target_lang)
    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        with xf.element("tmx", version="1.4"):
            xf.write(etree.Element("header", creationtool="briefing", creationtoolversion=__version__,
                                   segtype="sentence", **{"o-tmf": "briefing translation memory (SQLite)"},
                                   adminlang="en", srclang=source_lang, datatype="plaintext",
                                   creationdate=_tmx_date(datetime.now(timezone.utc))))
            with xf.element("body"):
                for entry in () if human_only else memory.model_entries():
                    xf.write(_model_tu(entry, langs), pretty_print=True)
                    counts["model"] += 1
                for entry in memory.human_entries():
                    xf.write(_human_tu(entry, langs), pretty_print=True)
                    counts["human"] += 1
    atomic_write_bytes(path, buffer.getvalue())
    return counts


def _tu(attributes: dict[str, str], props: list[tuple[str, str]], source: str, english: str,
        langs: tuple[str, str], note: str = ""):
    tu = etree.Element("tu", {k: v for k, v in attributes.items() if v})
    if note:
        etree.SubElement(tu, "note").text = _safe(note)
    for kind, value in props:
        etree.SubElement(tu, "prop", type=kind).text = _safe(value)
    for lang, text in zip(langs, (source, english)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = _safe(text)
    return tu


def document_name(document: str) -> str:
    """A document as it may leave this machine: an absolute path (POSIX or Windows)
    becomes the file's name; a relative one stays as it is."""
    if PurePosixPath(document).is_absolute() or PureWindowsPath(document).is_absolute() or document.startswith("~"):
        return PureWindowsPath(document).name  # splits on / and \ alike
    return document


def _model_tu(entry, langs: tuple[str, str]):
    c, r = entry.context, entry.request
    props = [("x-origin", "model"), ("x-key", entry.key), ("x-model-id", c.model_id),
             ("x-model-revision", c.model_revision), ("x-opencc-config", c.opencc_config),
             ("x-decoding", c.decoding), ("x-version", c.version), ("x-model-input", r.text),
             ("x-constraints", json.dumps(list(r.constraints), ensure_ascii=False))]
    created = _tmx_date(datetime.fromtimestamp(entry.created, timezone.utc))
    # Rows written before the memory kept the original: the model input (OpenCC output) is all there is.
    lang = langs[0] if r.source else "zh"
    return _tu({"tuid": entry.key, "srclang": lang, "creationdate": created, "creationid": "briefing",
                "creationtool": "briefing", "creationtoolversion": c.version},
               props, r.source or r.text, entry.translation, (lang, langs[1]))


def _human_tu(entry: HumanEntry, langs: tuple[str, str]):
    props = [("x-origin", "human"), ("x-constraints", json.dumps(list(entry.constraints), ensure_ascii=False)),
             ("x-document", document_name(entry.document)), ("x-reviewed-at", entry.reviewed_at)]
    when = _iso_to_tmx(entry.reviewed_at)
    key = TranslationMemory.human_key(entry.source)
    return _tu({"tuid": key, "srclang": langs[0], "creationdate": when, "creationid": entry.reviewer,
                "changedate": when, "changeid": entry.reviewer}, props, entry.source, entry.translation, langs,
               entry.note)


def _iso_to_tmx(value: str) -> str:
    try:
        return _tmx_date(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return ""


# ---------------------------------------------------------------- import


def import_tmx(path: Path, memory: TranslationMemory, source_lang: str = SOURCE_LANG,
               target_lang: str = TARGET_LANG, prefer: str = "memory") -> dict:
    """Add the units of ``path`` to ``memory``; returns counts and one line per problem.
    A unit's Chinese is its ``source_lang`` variant, else any Chinese one; its English
    likewise (``target_lang``, else any English).  A human unit for a sentence the memory
    already holds other human English for is a conflict: the memory's English is kept
    (``prefer="memory"``) or replaced (``prefer="tmx"``), and each is named in ``conflicts``."""
    counts = {"model": 0, "human": 0, "skipped": 0, "problems": [], "conflicts": [], "kept": 0}
    model: dict[MemoryContext, list] = {}
    human: list[HumanEntry] = []
    langs = (source_lang.lower(), target_lang.lower())
    for unit in _units(path):
        entry = _entry(path, unit, langs)
        if isinstance(entry, str):
            counts["skipped"] += 1
            counts["problems"].append(entry)
        elif entry is None:
            counts["skipped"] += 1
        elif isinstance(entry, HumanEntry):
            human.append(entry)
        else:
            context, key, request, english = entry
            model.setdefault(context, []).append((key, request, english))
    human = _settle_conflicts(path, memory, human, prefer, counts)
    # Every unit is read before anything is written, and all is written in one transaction:
    # a file that fails halfway, or a process killed midway, leaves the memory as it was.
    memory.put_all(model, human)
    counts["model"] = sum(len(items) for items in model.values())
    counts["human"] = len(human)
    return counts


def _settle_conflicts(path: Path, memory: TranslationMemory, human: list[HumanEntry], prefer: str,
                      counts: dict) -> list[HumanEntry]:
    """The human units to write: a reviewer's English already in the memory is never replaced
    without saying so (a CAT tool's older memory must not undo a later correction)."""
    keys = [TranslationMemory.human_key(e.source, ()) for e in human]
    held = memory.get_human_entries(keys)
    kept = []
    for key, entry in zip(keys, human):
        old = held.get(key)
        if old is not None and " ".join(old.translation.split()) != " ".join(entry.translation.split()):
            action = "kept the memory's English" if prefer == "memory" else "replaced it with the TMX's"
            counts["conflicts"].append(f"{path}: {entry.source[:40]}: the memory holds other human English "
                                       f"({old.reviewer or 'unknown reviewer'}); {action}")
            if prefer == "memory":
                counts["kept"] += 1
                continue
        kept.append(entry)
    return kept


def _units(path: Path):
    """(line, props, notes, attributes, {lang: text}) per <tu>, streamed (a memory may be large)."""
    parser = dict(events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        context = etree.iterparse(str(path), **parser)
        _, root = next(context)
        if root.tag != "tmx":
            raise BriefingError(f"{path}: not a TMX file (root element <{root.tag}>)")
        depth = 1
        for event, element in context:
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                raise BriefingError(f"{path}:{element.sourceline}: elements nested more than {MAX_DEPTH} deep "
                                    "(not a translation memory); nothing imported")
            if event == "end" and element.tag == "tu":
                props = {p.get("type"): p.text or "" for p in element.findall("prop")}
                notes = [n.text or "" for n in element.findall("note")]
                variants = {}
                for tuv in element.findall("tuv"):
                    lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
                    seg = tuv.find("seg")
                    if seg is not None:
                        variants.setdefault(lang, _seg_text(seg))
                yield element.sourceline, props, notes, dict(element.attrib), variants
                element.clear()
    except etree.XMLSyntaxError as err:
        raise BriefingError(f"{path}:{err.lineno}: not well-formed XML ({err.msg})") from None
    except StopIteration:
        raise BriefingError(f"{path}: empty file") from None


def _seg_text(seg) -> str:
    """The text of a <seg>: inline native codes (bpt, ept, it, ph) are formatting, not words."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _NATIVE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _pick(variants: dict[str, str], prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        for lang, text in variants.items():
            if lang == prefix or lang.startswith(prefix + "-"):
                return text
    return None


def _entry(path: Path, unit, langs: tuple[str, str] = (SOURCE_LANG.lower(), TARGET_LANG.lower())):
    line, props, notes, attributes, variants = unit
    chinese = _pick(variants, (langs[0], "zh-tw", "zh-hant", "zh"))
    english = _pick(variants, (langs[1], "en"))
    if chinese is None or english is None:
        return None  # not a Chinese-English unit
    constraints = _constraints(path, line, props.get("x-constraints") or "[]")
    if props.get("x-origin") == "model":
        if any(p not in props for p in (*_CONTEXT_PROPS, "x-key", "x-model-input")):
            return f"{path}:{line}: model unit without its key properties; skipped"
        context = MemoryContext(*(props[p] for p in _CONTEXT_PROPS))
        source = "" if "zh" in variants else chinese  # a bare "zh" variant is the model input: no original kept
        request = TranslationRequest(props["x-model-input"], constraints, source=source)
        key = TranslationMemory.key(context, request)
        if key != props["x-key"]:
            return f"{path}:{line}: the unit's key does not match its properties (edited?); skipped"
        return context, key, request, english
    reviewer = attributes.get("changeid") or attributes.get("creationid") or ""
    when = attributes.get("changedate") or attributes.get("creationdate") or ""
    return HumanEntry(chinese.strip(), constraints, english.strip(), reviewer,
                      props.get("x-reviewed-at") or _tmx_to_iso(when), document_name(props.get("x-document") or path.name),
                      " | ".join(n for n in notes if n))


def _constraints(path: Path, line: int, text: str) -> tuple:
    """A unit's ``x-constraints``: a JSON list whose items are a term or a list of accepted forms.
    Anything else is a broken file, refused whole (``BriefingError`` naming the unit's line)."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(_is_requirement(item) for item in value):
        raise BriefingError(f"{path}:{line}: x-constraints is not a JSON list of terms ({text[:60]!r}); "
                            "nothing imported")
    return requirements_from_json(text)


def _is_requirement(item) -> bool:
    return isinstance(item, str) or (isinstance(item, list) and all(isinstance(form, str) for form in item))


def _tmx_to_iso(value: str) -> str:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).isoformat()
    except ValueError:
        return ""
