"""The editors' term base: files, validation, and matching in source text.

Files are CSV, TSV, XLSX or TBX (pipeline/glossary/formats/, chosen by suffix).
The table formats (UTF-8, BOM allowed, header row required)::

    source,target,aliases,category,note
    鴻海,Hon Hai (Foxconn),鴻海精密|鴻海科技集團,company,

Matching runs on the original article text (before OpenCC, which would
rewrite 輝達 into 英伟达), through ``ScriptFolder`` so Simplified, Traditional
and mixed spellings of a source or alias all match.  Longest match wins where
entries overlap (三菱電機 over 三菱), and a term inside a longer matched term
is not matched again.

Which glossary a command uses (``find_glossary``): ``--glossary PATH`` (files
or folders), else ``$BRIEFING_GLOSSARY`` (files or folders, several separated
by ``os.pathsep``): exactly those files.  Otherwise, inside a project (the
nearest ``glossary/`` folder holding glossary files, from the current folder
upwards, never above the home folder) the project's files alone: the project
owns its glossary, so an entry an editor deleted there is not enforced from
elsewhere, and a run does not depend on whose account runs it.  Outside a
project the glossary is layered: the starter glossary shipped with the package
(``pipeline/glossary/data``) < the user's glossary
(``$XDG_CONFIG_HOME/briefing/glossary``, default ``~/.config/briefing/glossary``).
The user's entry replaces the starter's for the same source (or one of its
spellings); the replacement is reported (``Glossary.overrides``), so adding a
term never hides the rest of the glossary beneath it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import BriefingError, GlossaryError
from pipeline.glossary.entry import (  # noqa: F401  (the entry's names, re-exported)
    ALIAS_SEPARATOR,
    COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED,
    GlossaryEntry,
    TermMatch,
    entry_problems,
    requires_problem,
)


@dataclass
class Glossary:
    entries: list[GlossaryEntry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Where the files were found ("project folder", "BRIEFING_GLOSSARY", ...), for messages.
    origin: str = ""

    # Entries of a later layer that replaced an earlier layer's entry, as ``file:line: ...`` lines.
    overrides: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._matcher = None
        # Entries with a status (forbidden English) are never matched, enforced or inlined as terms.
        self.forbidden = [*self.forbidden, *(e for e in self.entries if e.status)]
        self.entries = [e for e in self.entries if not e.status]

    @property
    def digest(self) -> str:
        """Content hash of the entries (not the files): stamps every run's signature.  The rules
        that decide where an entry is enforced count too, when an entry has them (so a
        glossary without them keeps the hash it always had)."""
        canon = sorted([e.source, e.target, sorted(e.aliases), *_rules(e)] for e in self.entries)
        return hashlib.sha256(json.dumps(canon, ensure_ascii=False).encode()).hexdigest()[:12]

    def match(self, text: str, context: str = "") -> list[TermMatch]:
        """The entries in ``text`` (one sentence).  ``context`` is the whole article's
        text: an entry's ``requires`` words count there too (the sentence always counts)."""
        if not self.entries:
            return []
        if self._matcher is None:
            from pipeline.glossary.matching import Matcher

            self._matcher = Matcher(self.entries)
        return self._matcher.find(text, context)

    def describe(self) -> str:
        """One line for stderr: which files, how many entries, found where."""
        if not self.files:
            return f"no glossary ({self.origin})" if self.origin else "no glossary"
        files = "; ".join(self.files)
        count = f"{_plural(len(self.files), 'file', 'files')}, {_plural(len(self.entries), 'entry', 'entries')}"
        if self.overrides:  # a later layer replaced entries of an earlier one: `glossary check` lists them
            count += f", {_plural(len(self.overrides), 'override', 'overrides')}"
        return f"glossary: {count} ({self.origin}): {files}" if self.origin else f"glossary: {count}: {files}"

    def by_category(self, category: str | None) -> list[GlossaryEntry]:
        if not category:
            return list(self.entries)
        return [e for e in self.entries if e.category.lower() == category.lower()]

    # Entries with status "forbidden": their target and variants must NOT appear
    # in the English of a sentence that has their source (QA flag forbidden-term).
    forbidden: list[GlossaryEntry] = field(default_factory=list)

    def forbidden_matches(self, text: str) -> list[TermMatch]:
        """Forbidden entries whose source is in ``text``: one match per entry
        (several may share a source: each forbids other English)."""
        if not self.forbidden:
            return []
        if getattr(self, "_forbidden_matcher", None) is None:
            from pipeline.glossary.matching import Matcher
            from pipeline.translate.normalise import ScriptFolder

            fold = ScriptFolder()
            by_key: dict[str, list[GlossaryEntry]] = {}
            for entry in self.forbidden:
                for spelling in entry.spellings:
                    by_key.setdefault(fold(spelling), []).append(entry)
            self._forbidden_matcher = (Matcher(self.forbidden), fold, by_key)
        matcher, fold, by_key = self._forbidden_matcher
        return [TermMatch(m.start, m.end, m.surface, entry, m.sure, m.reason)
                for m in matcher.find(text) for entry in by_key.get(fold(m.surface), [m.entry])]


def _rules(entry: GlossaryEntry) -> list:
    """The entry's matching and enforcement rules that are set, as (name, value) pairs."""
    fields = {"variants": list(entry.variants), "not_in": sorted(entry.not_in), "match": entry.match,
              "requires": sorted(entry.requires)}
    return [[name, value] for name, value in fields.items() if value]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ---------------------------------------------------------------- loading and validation

GLOSSARY_ENV = "BRIEFING_GLOSSARY"


@dataclass(frozen=True)
class GlossaryLayer:
    """Files loaded together; a later layer's entries replace an earlier one's for the same source."""

    kind: str  # "starter", "user", "project", or "given" (--glossary, $BRIEFING_GLOSSARY, paths on the command line)
    origin: str  # for messages: "user glossary /home/me/.config/briefing/glossary"
    paths: tuple[Path, ...]
    folder: Path | None = None


@dataclass(frozen=True)
class GlossarySource:
    """The glossary files a command will load, and how they were found."""

    paths: tuple[Path, ...]  # every layer's files, earliest layer first
    origin: str
    layers: tuple[GlossaryLayer, ...] = ()  # none: ``paths`` are one layer

    def layered(self) -> tuple[GlossaryLayer, ...]:
        return self.layers or (GlossaryLayer("given", self.origin, self.paths),)

    def layer(self, kind: str) -> GlossaryLayer | None:
        return next((layer for layer in self.layered() if layer.kind == kind), None)


def layered_source(layers: Iterable[GlossaryLayer]) -> GlossarySource:
    """The source of these layers, leaving out empty ones (their origin would name nothing)."""
    layers = tuple(layer for layer in layers if layer.paths)
    return GlossarySource(tuple(p for layer in layers for p in layer.paths),
                          " + ".join(layer.origin for layer in layers), layers)


def glossary_files(folder: Path) -> list[Path]:
    """The glossary files in a folder, by name (no hidden files or Office lock files)."""
    from pipeline.glossary.formats import format_of  # the formats package knows which suffixes it reads

    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if format_of(p) and p.is_file() and not p.name.startswith((".", "~$")))


def default_glossary_paths(root: Path) -> list[Path]:
    """The files of ``root/glossary`` (a project's own glossary folder)."""
    return glossary_files(root / "glossary")


def expand_glossary_paths(paths: Iterable[Path]) -> list[Path]:
    """Files stay; a folder gives its glossary files (an empty folder is an error)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = glossary_files(path)
            if not found:
                raise BriefingError(f"{path}: no glossary files (CSV, TSV, XLSX or TBX) in this folder")
            files.extend(found)
        else:
            files.append(path)  # a missing file is reported by the loader with the others
    return files


def shipped_glossary_folder() -> Path:
    """The starter glossary installed with the package."""
    from importlib.resources import files

    return Path(str(files("pipeline.glossary") / "data"))


STARTER_ORIGIN = "starter glossary shipped with briefing"


def user_glossary_folder(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/briefing/glossary``, default ``~/.config/briefing/glossary`` (a relative
    XDG_CONFIG_HOME is ignored, as the XDG base directory specification says)."""
    from pipeline.userdirs import user_config_dir

    return user_config_dir(environ) / "glossary"


def find_glossary(start: Path | None = None, environ: Mapping[str, str] | None = None) -> GlossarySource:
    """The default glossary (see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    configured = [Path(p) for p in environ.get(GLOSSARY_ENV, "").split(os.pathsep) if p.strip()]
    if configured:
        missing = [str(p) for p in configured if not p.exists()]
        if missing:
            raise BriefingError(f"{GLOSSARY_ENV}: no such file or folder: {', '.join(missing)}")
        return GlossarySource(tuple(expand_glossary_paths(configured)), f"${GLOSSARY_ENV}")
    return layered_source(default_layers(start, environ))


def default_layers(start: Path | None = None, environ: Mapping[str, str] | None = None) -> list[GlossaryLayer]:
    """The project's files alone, or outside a project starter < user (the user's folder may hold
    no file yet)."""
    project = project_glossary_folder(start)
    user = user_glossary_folder(environ)
    if project is not None and project.resolve() != user.resolve():
        # The project owns its glossary: a term deleted there must not come back from another layer.
        return [GlossaryLayer("project", f"project folder {project}", tuple(glossary_files(project)), project)]
    starter = shipped_glossary_folder()
    return [GlossaryLayer("starter", STARTER_ORIGIN, tuple(glossary_files(starter)), starter),
            GlossaryLayer("user", f"user glossary {user}", tuple(glossary_files(user)), user)]


def project_glossary_folder(start: Path | None = None) -> Path | None:
    """The project's glossary folder: the nearest ``glossary/`` with glossary files from ``start``
    (default: the current folder) upwards, or None outside any project."""
    return _project_glossary_folder((start or Path.cwd()).resolve())


def _project_glossary_folder(start: Path) -> Path | None:
    """The nearest glossary/ folder with glossary files, from ``start`` up; not above
    the home folder (a stray ~/../glossary is nobody's project)."""
    home = Path.home().resolve()
    for folder in (start, *start.parents):
        if glossary_files(folder / "glossary"):
            return folder / "glossary"
        if folder == home:
            break
    return None


def load_glossary(paths: Iterable[Path], origin: str = "") -> Glossary:
    """Load and merge glossary files as one layer; raises ``GlossaryError`` listing every problem."""
    paths = tuple(paths)
    return load_source(GlossarySource(paths, origin))


def load_source(source: GlossarySource) -> Glossary:
    """Load a glossary layer by layer: each layer's files are merged and checked as one glossary
    (a clash inside a layer is a problem), then each layer's entries replace the earlier layers'
    for the same source (``Glossary.overrides`` says which).  Raises ``GlossaryError``."""
    entries, overrides = read_source(source)
    return Glossary(entries, [str(p) for p in source.paths], source.origin, overrides=overrides)


def read_source(source: GlossarySource) -> tuple[list[GlossaryEntry], list[str]]:
    """The entries of a layered glossary in order, forbidden ones included, and the overrides
    (see ``load_source``).  Raises ``GlossaryError``."""
    from pipeline.glossary.formats import read_glossary_file

    read: list[list[GlossaryEntry]] = []
    problems: list[str] = []
    for layer in source.layered():
        entries = []
        for path in layer.paths:
            file_entries, file_problems = read_glossary_file(Path(path))
            entries.extend(file_entries)
            problems.extend(file_problems)
        problems.extend(entry_problems(entries))
        read.append(entries)
    if problems:
        raise GlossaryError(problems)
    entries, overrides = merge_layers(read)
    problems = entry_problems(entries)  # across layers: forbidden English that another layer requires
    if problems:
        raise GlossaryError(problems)
    return entries, overrides


def merge_layers(layers: list[list[GlossaryEntry]]) -> tuple[list[GlossaryEntry], list[str]]:
    """Later layers over earlier ones: an earlier entry whose source is a spelling (source or alias)
    of a later layer's term is replaced; one that only shares an alias keeps its source and loses
    that alias.  Returns the entries and one ``file:line: ...`` line per change (none for an
    entry repeated unchanged, as when a project keeps a copy of the starter glossary)."""
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    kept: list[GlossaryEntry] = []
    overrides: list[str] = []
    for entries in layers:
        claims: dict[str, GlossaryEntry] = {}
        for entry in entries:
            if not entry.status:  # forbidden English adds to a term; it does not define one
                for spelling in entry.spellings:
                    claims.setdefault(fold(spelling), entry)
        survivors = []
        for old in kept:
            newer = claims.get(fold(old.source))
            if newer is not None:
                if _content(old) != _content(newer):
                    overrides.append(f"{newer.where}: {_show(newer)} overrides {old.where} ({_show(old)})")
                continue
            lost = [a for a in old.aliases if fold(a) in claims]
            if lost:
                old = replace(old, aliases=tuple(a for a in old.aliases if fold(a) not in claims))
                overrides.extend(f"{claims[fold(a)].where}: {_show(claims[fold(a)])} takes the spelling '{a}' "
                                 f"from {old.where} ({_show(old)})" for a in lost)
            survivors.append(old)
        kept = survivors + list(entries)
    return kept, overrides


def _content(entry: GlossaryEntry) -> GlossaryEntry:
    """The entry without where it was read: equal contents are the same entry."""
    return replace(entry, file="", line=0, sheet="")


def _show(entry: GlossaryEntry) -> str:
    if entry.status:
        return f"'{entry.source}' not '{entry.target}'"
    return f"'{entry.source}' → '{entry.target}'"


def check_glossary(paths: Iterable[Path]) -> list[str]:
    """All problems, each as ``file:line: what is wrong`` (empty when valid)."""
    return check_source(GlossarySource(tuple(paths), ""))[0]


def check_source(source: GlossarySource) -> tuple[list[str], list[str]]:
    """(problems, overrides) of a layered glossary; overrides are not problems."""
    try:
        glossary = load_source(source)
    except GlossaryError as err:
        return err.problems, []
    return [], glossary.overrides
