"""A glossary entry, the columns that make one, and the problems between entries.

The formats (pipeline/glossary/formats/) read files into entries and the matcher
finds them in text; both need only this module, and ``base`` (which loads the
files and matches a whole glossary) builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("source", "target", "aliases", "category", "note")
# Read when present, never required: a glossary without them stays valid.
OPTIONAL_COLUMNS = ("variants", "not_in", "match", "requires")
REQUIRED = ("source", "target")
ALIAS_SEPARATOR = "|"


@dataclass(frozen=True)
class GlossaryEntry:
    source: str
    target: str
    aliases: tuple[str, ...] = ()
    category: str = ""
    note: str = ""
    file: str = ""
    line: int = 0
    # Other English forms that also satisfy the entry (data centers, Data center).
    variants: tuple[str, ...] = ()
    # Longer words in which the source is NOT this term (三星期|三星級 for 三星).
    not_in: tuple[str, ...] = ()
    # "always": the source is safe anywhere (a name), skip the word-boundary and name tests.
    match: str = ""
    # Words one of which must be in the sentence or its article for the entry to be
    # enforced (蘋果: iPhone|庫克|股價); without one the match is unsure.
    requires: tuple[str, ...] = ()
    # "", or "forbidden"/"deprecated" (TBX): English that must NOT appear.
    status: str = ""
    # XLSX: the worksheet the row is on (problems then read file:sheet!row).
    sheet: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.source, *self.aliases)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.sheet}!{self.line}" if self.sheet else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class TermMatch:
    """A glossary entry found in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    entry: GlossaryEntry
    # False when the match is not on a word boundary: reported, not enforced.
    sure: bool = True
    reason: str = ""


def entry_problems(entries: list[GlossaryEntry]) -> list[str]:
    """Problems between entries read from one or more files (clashes, forbidden English that is also required)."""
    return _cross_entry_problems(entries)


def _forbidden_problems(terms: list[GlossaryEntry], forbidden: list[GlossaryEntry]) -> list[str]:
    """A forbidden form that is also the required English of the same source can never be satisfied."""
    required = {(t.source, form) for t in terms for form in (t.target, *t.variants)}
    return [f"{f.where}: '{form}' is forbidden for '{f.source}' but also its glossary English"
            for f in forbidden for form in (f.target, *f.variants) if (f.source, form) in required]


def requires_problem(entry: GlossaryEntry, fold) -> str | None:
    """A ``requires`` word inside the entry's own spelling is in every sentence that has the
    term, so the rule would never hold anything back; None when there is none."""
    for word in entry.requires:
        spelling = next((s for s in entry.spellings if fold(word) in fold(s)), None)
        if spelling is not None:
            return f"requires '{word}' is part of '{spelling}' itself, so it is always there"
    return None


def _requires_problems(entries: list[GlossaryEntry], fold) -> list[str]:
    return [f"{e.where}: {problem}" for e in entries if (problem := requires_problem(e, fold))]


def _cross_entry_problems(entries: list[GlossaryEntry]) -> list[str]:
    forbidden = [e for e in entries if e.status]
    if forbidden:  # forbidden English shares its source with the term: checked on its own
        entries = [e for e in entries if not e.status]
        return _cross_entry_problems(entries) + _forbidden_problems(entries, forbidden)
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    problems: list[str] = _requires_problems(entries, fold)
    sources: dict[str, GlossaryEntry] = {}
    for e in entries:
        key = fold(e.source)
        first = sources.get(key)
        if first is None:
            sources[key] = e
        elif first.target != e.target:
            problems.append(
                f"{e.where}: source '{e.source}' has two targets: '{first.target}' ({first.where}) and '{e.target}'"
            )
        else:
            problems.append(f"{e.where}: duplicate of {first.where} ('{e.source}' → '{e.target}')")
    aliases: dict[str, GlossaryEntry] = {}
    for e in entries:
        for alias in e.aliases:
            key = fold(alias)
            owner = sources.get(key)
            if owner is not None and owner is not e and owner.target != e.target:
                problems.append(f"{e.where}: alias '{alias}' is the source of another entry ({owner.where})")
            other = aliases.get(key)
            if other is not None and other is not e and other.target != e.target:
                problems.append(f"{e.where}: alias '{alias}' is also an alias of '{other.source}' ({other.where})")
            aliases.setdefault(key, e)
    return problems
