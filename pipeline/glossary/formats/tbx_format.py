"""TBX glossaries (ISO 30042): TBX-Basic as CAT tools export it.

Both forms are read, whatever the namespace: 2008 ``martif/termEntry/langSet/
tig|ntig/term`` and 2019 ``tbx/conceptEntry/langSec/termSec/term``.  One
entry is one concept:

* source-language terms (``zh``, ``zh-TW``, ``zh-Hant`` ...): the first
  preferred one is the source, the others are aliases (a deprecated Chinese
  spelling still occurs in articles, so it is an alias too);
* target-language terms (``en``, ``en-US`` ...): the first preferred one is the
  target, other admitted ones are variants; a term marked deprecated,
  superseded or forbidden (``administrativeStatus``, ``normativeAuthorization``,
  ``usageStatus``) is English that must NOT appear: it becomes a second entry
  with status "forbidden" (its first such term the target, the rest variants);
* ``descrip type="subjectField"`` is the category, concept-level ``note`` the note;
  ``not_in``, ``requires`` and ``match`` (no TBX data category) travel as ``note``s
  on the source term, prefixed ``briefing:``, so our own exports read back
  unchanged.  ``requires`` is a matching rule, not TBX's ``context`` (an example
  sentence a CAT tool shows as such), so it is not written as one.

Problems read ``file:line: termEntry 'id': ...`` with the element's line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.glossary.entry import ALIAS_SEPARATOR, GlossaryEntry
from pipeline.glossary.formats.rows import MATCH_VALUES, primary_subtag

DEFAULT_LANGUAGES = ("zh", "en")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NAMESPACE_2019 = "urn:iso:std:iso:30042:ed-2"
ENTRY_TAGS = ("termEntry", "conceptEntry")
LANG_TAGS = ("langSet", "langSec")
TERM_TAGS = ("tig", "ntig", "termSec")
STATUS_TYPES = ("administrativeStatus", "normativeAuthorization", "usageStatus", "status")
FORBIDDEN_WORDS = ("deprecated", "superseded", "forbidden", "obsolete")
PREFIX = "briefing:"
LISTED_NOTES = ("not_in", "requires")  # entry fields written as briefing:KEY=a|b notes
# What a reader may miss when a term base becomes a table: counted, never silently dropped.
INFORMATION = ("term", "descrip", "note", "termNote", "admin", "xref", "ref", "transacGrp")
PREFERRED, ADMITTED, FORBIDDEN = 0, 1, 2


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _same_language(code: str, wanted: str) -> bool:
    """``zh-TW``, ``zh-Hant``, ``ZH`` are all ``zh``: compare the primary subtag."""
    return primary_subtag(code) == primary_subtag(wanted)


def _text(element, lines: bool = False) -> str:
    """Element text with pretty-printing undone: a line break and the indentation after it become
    one space.  With ``lines`` (notes, subject fields: free text that may run over lines) a line
    break followed directly by text is the author's and stays, which is how our exports write a
    note on several lines: TBX allows no ``xml:space`` on a note, though one is honoured if present."""
    import re

    text = "".join(element.itertext())
    if "\n" in text and element.get(XML_SPACE) != "preserve":
        layout = r"[ \t]*\r?\n[ \t]+|[ \t]+\r?\n" if lines else r"[ \t]*\r?\n\s*"
        text = re.sub(layout, " ", text)
    return text.strip()


@dataclass
class _Term:
    text: str
    rank: int
    notes: list[str] = field(default_factory=list)


class _EntryReader:
    """One termEntry/conceptEntry into its entries, or the problems with it."""

    def __init__(self, element, name: str, languages: tuple[str, str]):
        self.element = element
        self.name = name
        self.source_lang, self.target_lang = languages
        self.line = element.sourceline or 0
        ident = element.get("id")
        self.where = f"{name}:{self.line}: {_local(element.tag)}" + (f" '{ident}'" if ident else "")
        self.used: set = set()  # the elements an entry field came from
        self.skip_reason = ""  # set by read(): why the concept is no entry

    def read(self) -> tuple[list[GlossaryEntry], list[str]]:
        """The concept's entries and problems; a concept without a usable term in either
        language is no entry and no problem: ``skip_reason`` says why (TbxReader.skipped names it)."""
        sources = self._terms(self.source_lang)
        targets = self._terms(self.target_lang)
        self.skip_reason = "; ".join(filter(None, (_unusable(self.source_lang, sources),
                                                   _unusable(self.target_lang, targets))))
        if self.skip_reason:
            return [], []
        sources = [t for t in sources if t.text]  # an empty term beside a real one is no spelling
        targets = [t for t in targets if t.text]
        sources.sort(key=lambda t: t.rank)  # preferred first; a deprecated spelling last
        head, *rest = sources
        options, problem = self._options(head.notes)
        if problem:
            return [], [problem]
        category, note = self._concept_fields()
        common = dict(aliases=tuple(dict.fromkeys(t.text for t in rest if t.text != head.text)), category=category,
                      note=note, file=self.name, line=self.line, **options)
        allowed = sorted((t for t in targets if t.rank != FORBIDDEN), key=lambda t: t.rank)
        forbidden = [t for t in targets if t.rank == FORBIDDEN]
        entries = []
        for group, status in ((allowed, ""), (forbidden, "forbidden")):
            if group:
                target, *others = [t.text for t in group]
                entries.append(GlossaryEntry(head.text, target, variants=tuple(dict.fromkeys(
                    o for o in others if o != target)), status=status, **common))
        return entries, []

    def _terms(self, language: str) -> list[_Term]:
        terms = []
        for lang_section in self.element:
            if _local(lang_section.tag) in LANG_TAGS and _same_language(lang_section.get(XML_LANG, ""), language):
                terms.extend(self._term(group) for group in lang_section.iter()
                             if _local(group.tag) in TERM_TAGS)
        return terms

    def _term(self, group) -> _Term:
        text, rank, notes = "", ADMITTED, []
        for child in group.iter():
            kind = _local(child.tag)
            if kind == "term" and not text:
                text = _text(child)
                self.used.add(child)
            elif kind == "note":
                notes.append(_text(child))
                if notes[-1].startswith(PREFIX):
                    self.used.add(child)
            elif kind in STATUS_TYPES or (kind == "termNote" and child.get("type") in STATUS_TYPES):
                self.used.add(child)
                value = _text(child).lower()
                if any(word in value for word in FORBIDDEN_WORDS):
                    rank = FORBIDDEN
                elif "preferred" in value and rank != FORBIDDEN:
                    rank = PREFERRED
        return _Term(text, rank, notes)

    def _options(self, notes: list[str]) -> tuple[dict, str | None]:
        options: dict = {}
        for note in notes:
            if not note.startswith(PREFIX):
                continue
            key, _, value = note[len(PREFIX):].partition("=")
            if key in LISTED_NOTES:
                options[key] = tuple(v.strip() for v in value.split(ALIAS_SEPARATOR) if v.strip())
            elif key == "match" and value.strip().lower() in MATCH_VALUES:
                options["match"] = value.strip().lower()
            else:
                return {}, (f"{self.where}: unknown note '{note}' (expected {PREFIX}not_in=..., "
                            f"{PREFIX}requires=... or {PREFIX}match=always|word)")
        return options, None

    def _concept_fields(self) -> tuple[str, str]:
        category, notes = "", []
        for child in self.element:
            kind = _local(child.tag)
            subject = (kind == "descrip" and child.get("type") == "subjectField") or kind == "subjectField"  # DCT style
            if subject and not category:
                category = _text(child, lines=True)
                self.used.add(child)
            elif kind == "note":
                notes.append(_text(child, lines=True))
                self.used.add(child)
        return category, " / ".join(n for n in notes if n)

    def not_kept(self) -> Counter:
        """The information of this concept no entry field holds: 'descrip[definition]', 'term (es)' ..."""
        counts: Counter = Counter()
        for element in self.element.iter():
            kind = _local(element.tag)
            if kind not in INFORMATION or element in self.used or _local(element.getparent().tag) == "transacGrp":
                continue
            if kind == "term":
                section = next((a for a in element.iterancestors() if _local(a.tag) in LANG_TAGS), None)
                counts[f"term ({section.get(XML_LANG, '?') if section is not None else '?'})"] += 1
            else:
                counts[f"{kind}[{element.get('type')}]" if element.get("type") else kind] += 1
        return counts


def _unusable(language: str, terms: list[_Term]) -> str:
    """Why a concept has no usable term in ``language`` ("no en term", "empty zh term"), or ""."""
    if not terms:
        return f"no {language} term"
    return "" if any(t.text for t in terms) else f"empty {language} term"


class TbxReader:
    """Reads a TBX file; ``skipped`` then names the concepts without a usable term in the source or
    target language, and why (``file:line: termEntry 'id' (no en term)``): CAT-tool term bases hold
    concepts in other languages, or not yet translated, and the rest of the file is still a glossary."""

    def __init__(self, languages: tuple[str, str] = DEFAULT_LANGUAGES):
        self.languages = languages
        self.skipped: list[str] = []
        self.not_kept: Counter = Counter()  # over the concepts that became entries

    def read(self, path: Path) -> tuple[list[GlossaryEntry], list[str]]:
        root, problem = _parse(path)
        if problem:
            return [], [problem]
        entries, problems = [], []
        for element in root.iter():
            if _local(element.tag) in ENTRY_TAGS:
                reader = _EntryReader(element, str(path), self.languages)
                found, entry_problems = reader.read()
                if reader.skip_reason:
                    self.skipped.append(f"{reader.where} ({reader.skip_reason})")
                if found:
                    self.not_kept.update(reader.not_kept())
                entries.extend(found)
                problems.extend(entry_problems)
        if not entries:
            found = sorted({e.get(XML_LANG, "?") for e in root.iter() if _local(e.tag) in LANG_TAGS})
            problems.append(f"{path}:{root.sourceline}: no concept with both {' and '.join(self.languages)} terms "
                            f"(the file's languages: {', '.join(found) or 'none'})")
        return entries, problems


def read_tbx(path: Path, languages: tuple[str, str] = DEFAULT_LANGUAGES) -> tuple[list[GlossaryEntry], list[str]]:
    return TbxReader(languages).read(path)


def _parse(path: Path):
    """(root element, None) or (None, problem)."""
    from lxml import etree

    name = str(path)
    if not path.exists():
        return None, f"{name}:0: no such file"
    # No DTD, no entities, no network: a glossary is data, never instructions.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as err:
        return None, f"{name}:{err.lineno or 0}: not well-formed XML ({err.msg})"
    except OSError as err:
        return None, f"{name}:0: cannot read ({err})"
    for entity in root.iter(etree.Entity):
        # Not expanded (that is how files are read or leaked): refuse rather than keep "&name;" as a term.
        return None, f"{name}:{entity.sourceline}: entity reference {entity.text} (entities are not read; write the text)"
    if _local(root.tag) not in ("martif", "tbx"):
        return None, f"{name}:{root.sourceline}: not a TBX file (root element <{_local(root.tag)}>, expected <tbx> or <martif>)"
    return root, None


# ---------------------------------------------------------------- writing (TBX-Basic, 2008 or 2019 form)

# The 2008 form names the TBX-Basic constraints file, as TBX-Basic's own samples do.
XCS_2008 = "TBXBasicXCSV02.xcs"


def write_tbx(entries: list[GlossaryEntry], languages: tuple[str, str] = ("zh-TW", "en"), version: str = "2008") -> bytes:
    """TBX-Basic, one concept per entry: ``version`` "2008" is ``martif/termEntry/langSet/tig``
    (ISO 30042:2008), "2019" is ``tbx/conceptEntry/langSec/termSec`` (ISO 30042:2019, DCA style).
    Both carry the same data categories, so both read back into the same entries."""
    from lxml import etree

    if version not in _FORMS:
        raise BriefingError(f"TBX version must be one of {', '.join(_FORMS)}, not {version!r}")
    form = _FORMS[version]
    root, body = form.document()
    for number, entry in enumerate(entries, start=1):
        try:
            _write_entry(body, form, f"e{number}", entry, languages)
        except ValueError as err:  # lxml refuses characters XML cannot hold
            raise BriefingError(f"{entry.where}: cannot write as TBX: {err}") from None
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class _Form:
    """The element names of one TBX edition (the data categories are the same in both)."""

    namespace: str
    root: str
    entry: str
    lang: str
    term_group: str

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name

    def document(self):
        """The root with its header, and the body that concepts go into."""
        from lxml import etree

        nsmap = {None: self.namespace} if self.namespace else None
        root = etree.Element(self.tag(self.root), nsmap=nsmap, type="TBX-Basic")
        if self.namespace:
            root.set("style", "dca")
        root.set(XML_LANG, "en")
        header = etree.SubElement(root, self.tag("tbxHeader" if self.namespace else "martifHeader"))
        source = etree.SubElement(etree.SubElement(header, self.tag("fileDesc")), self.tag("sourceDesc"))
        etree.SubElement(source, self.tag("p")).text = "briefing glossary export"
        if not self.namespace:
            encoding = etree.SubElement(header, self.tag("encodingDesc"))
            etree.SubElement(encoding, self.tag("p"), type="XCSURI").text = XCS_2008
        body = etree.SubElement(etree.SubElement(root, self.tag("text")), self.tag("body"))
        return root, body


_FORMS = {
    "2008": _Form("", "martif", "termEntry", "langSet", "tig"),
    "2019": _Form(NAMESPACE_2019, "tbx", "conceptEntry", "langSec", "termSec"),
}


def _write_entry(body, form: _Form, ident: str, entry: GlossaryEntry, languages: tuple[str, str]) -> None:
    from lxml import etree

    concept = etree.SubElement(body, form.tag(form.entry), id=ident)
    if entry.category:
        etree.SubElement(concept, form.tag("descrip"), type="subjectField").text = entry.category
    if entry.note:
        etree.SubElement(concept, form.tag("note")).text = entry.note  # line breaks kept: see _text
    source_notes = []
    for key in LISTED_NOTES:
        if getattr(entry, key):
            source_notes.append(f"{PREFIX}{key}={ALIAS_SEPARATOR.join(getattr(entry, key))}")
    if entry.match:
        source_notes.append(f"{PREFIX}match={entry.match}")
    source_terms = [(entry.source, "preferredTerm-admn-sts", source_notes)]
    source_terms += [(alias, "admittedTerm-admn-sts", []) for alias in entry.aliases]
    if entry.status:
        english = [(t, "deprecatedTerm-admn-sts", []) for t in (entry.target, *entry.variants)]
    else:
        english = [(entry.target, "preferredTerm-admn-sts", [])]
        english += [(v, "admittedTerm-admn-sts", []) for v in entry.variants]
    for language, terms in zip(languages, (source_terms, english)):
        section = etree.SubElement(concept, form.tag(form.lang))
        section.set(XML_LANG, language)
        for text, status, notes in terms:
            term_section = etree.SubElement(section, form.tag(form.term_group))
            etree.SubElement(term_section, form.tag("term")).text = text
            etree.SubElement(term_section, form.tag("termNote"), type="administrativeStatus").text = status
            for note in notes:
                etree.SubElement(term_section, form.tag("note")).text = note
