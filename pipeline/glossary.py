"""The editors' term base: CSV files, validation, and matching in source text.

File format (UTF-8, BOM allowed, header row required)::

    source,target,aliases,category,note
    鴻海,Hon Hai (Foxconn),鴻海精密|鴻海科技集團,company,

Matching runs on the original article text (before OpenCC, which would
rewrite 輝達 into 英伟达), through ``ScriptFolder`` so Simplified, Traditional
and mixed spellings of a source or alias all match.  Longest match wins where
entries overlap (三菱電機 over 三菱), and a term inside a longer matched term
is not matched again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import GlossaryError

COLUMNS = ("source", "target", "aliases", "category", "note")
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

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.source, *self.aliases)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class TermMatch:
    """A glossary entry found in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    entry: GlossaryEntry


@dataclass
class Glossary:
    entries: list[GlossaryEntry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._matcher: _Matcher | None = None

    @property
    def digest(self) -> str:
        """Content hash of the entries (not the files): stamps every run's signature."""
        canon = sorted((e.source, e.target, sorted(e.aliases)) for e in self.entries)
        return hashlib.sha256(json.dumps(canon, ensure_ascii=False).encode()).hexdigest()[:12]

    def match(self, text: str) -> list[TermMatch]:
        if not self.entries:
            return []
        if self._matcher is None:
            self._matcher = _Matcher(self.entries)
        return self._matcher.find(text)

    def by_category(self, category: str | None) -> list[GlossaryEntry]:
        if not category:
            return list(self.entries)
        return [e for e in self.entries if e.category.lower() == category.lower()]


class _Matcher:
    """One regex over script-folded text: alternatives longest first, so at any
    position the longest entry wins and a matched span is never matched twice."""

    def __init__(self, entries: Sequence[GlossaryEntry]):
        from pipeline.normalise import ScriptFolder

        self._fold = ScriptFolder()
        self._by_key: dict[str, GlossaryEntry] = {}
        for entry in entries:
            for spelling in entry.spellings:
                self._by_key.setdefault(self._fold(spelling), entry)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._regex = re.compile("|".join(_term_pattern(k) for k in keys)) if keys else None

    def find(self, text: str) -> list[TermMatch]:
        if self._regex is None:
            return []
        folded = self._fold(text)
        return [
            TermMatch(m.start(), m.end(), text[m.start():m.end()], self._by_key[m.group(0)])
            for m in self._regex.finditer(folded)
        ]


def _term_pattern(key: str) -> str:
    """Latin-script ends must sit on word boundaries: 'AI' must not match in 'OpenAI'.

    ``key`` is folded (ASCII lower case), and so is the text it is matched in.
    """
    pattern = re.escape(key)
    if key[:1].isascii() and key[:1].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if key[-1:].isascii() and key[-1:].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern


# ---------------------------------------------------------------- loading and validation

def default_glossary_paths(root: Path) -> list[Path]:
    folder = root / "glossary"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def load_glossary(paths: Iterable[Path]) -> Glossary:
    """Load and merge glossary files; raises ``GlossaryError`` listing every problem."""
    entries, problems, files = [], [], []
    for path in paths:
        files.append(str(path))
        file_entries, file_problems = _read_file(Path(path))
        entries.extend(file_entries)
        problems.extend(file_problems)
    problems.extend(_cross_entry_problems(entries))
    if problems:
        raise GlossaryError(problems)
    return Glossary(entries, files)


def check_glossary(paths: Iterable[Path]) -> list[str]:
    """All problems, each as ``file:line: what is wrong`` (empty when valid)."""
    try:
        load_glossary(paths)
    except GlossaryError as err:
        return err.problems
    return []


def _read_file(path: Path) -> tuple[list[GlossaryEntry], list[str]]:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [f"{name}:0: no such file"]
    except OSError as err:
        return [], [f"{name}:0: cannot read ({err.strerror or err})"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return [], [f"{name}:{line}: undecodable bytes (the glossary must be UTF-8; save as 'CSV UTF-8')"]
    if not text.strip():
        return [], [f"{name}:1: empty file (expected a header row: {','.join(COLUMNS)})"]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    entries: list[GlossaryEntry] = []
    problems: list[str] = []
    try:
        header = next(reader)
    except csv.Error as err:
        return [], [f"{name}:1: bad quoting in header ({err})"]
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return [], [
            f"{name}:1: missing column '{c}' (header must be {','.join(COLUMNS)})" for c in missing
        ]
    index = {c: columns.index(c) for c in COLUMNS if c in columns}
    start_line = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(f"{name}:{reader.line_num}: bad quoting ({err})")
            break  # the csv reader cannot resynchronise after a quoting error
        line = start_line
        start_line = reader.line_num + 1
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue  # blank line or comment
        if len(row) > len(columns):
            problems.append(
                f"{name}:{line}: {len(row)} fields but the header has {len(columns)} (quote a target that contains a comma)"
            )
            continue

        def cell(col: str) -> str:
            i = index.get(col)
            return row[i].strip() if i is not None and i < len(row) else ""

        source, target = cell("source"), cell("target")
        if not source:
            problems.append(f"{name}:{line}: empty source")
        if not target:
            problems.append(f"{name}:{line}: empty target")
        if not source or not target:
            continue
        aliases = tuple(a.strip() for a in cell("aliases").split(ALIAS_SEPARATOR) if a.strip())
        entries.append(GlossaryEntry(source, target, aliases, cell("category"), cell("note"), name, line))
    return entries, problems


def _cross_entry_problems(entries: list[GlossaryEntry]) -> list[str]:
    from pipeline.normalise import ScriptFolder

    fold = ScriptFolder()
    problems: list[str] = []
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
