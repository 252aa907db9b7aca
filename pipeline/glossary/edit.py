"""``briefing glossary add``: append one entry without touching the rest of the file.

Where it goes (``add_to_glossary``): ``--file``, else inside a project (a
``glossary/`` folder here or above, found as runs find it) the project file for
the entry's category, else the user's glossary folder
(``$XDG_CONFIG_HOME/briefing/glossary``), which runs layer over the starter
glossary.  It never creates a project folder that would hide the glossary
beneath it.  An entry for a source an earlier layer already has is added and
reported as an override; a clash inside the layer written to is refused.

The new row follows the file's own header: its columns in its order, any
column we do not know left empty.  A file whose header has no source or no
target column is refused, as is a value for a column the file does not have
(it would be lost).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.fsutil import atomic_write_bytes
from pipeline.glossary import ALIAS_SEPARATOR, COLUMNS, GlossaryEntry, load_glossary
from pipeline.glossary.entry import requires_problem
from pipeline.glossary.formats import format_of
from pipeline.glossary.formats.csv_format import table_line
from pipeline.glossary.formats.rows import header_columns


@dataclass
class Added:
    path: Path
    layer: str  # where the file is, for the message: "user glossary", "project folder ...", "--file"
    entry: GlossaryEntry
    # One line per entry of an earlier layer that the new one overrides (file:line: ...).
    overrides: list[str] = field(default_factory=list)


def add_to_glossary(source: str, target: str, aliases: str = "", category: str = "", note: str = "",
                    requires: str = "", file: Path | None = None, start: Path | None = None,
                    environ: Mapping[str, str] | None = None) -> Added:
    """``glossary add``: choose the file (see the module docstring) and append the entry to it."""
    from pipeline.glossary.base import GLOSSARY_ENV, default_layers, layered_source

    environ = os.environ if environ is None else environ
    if file is None and environ.get(GLOSSARY_ENV, "").strip():
        raise BriefingError(f"glossary add: ${GLOSSARY_ENV} chooses the glossary files; "
                            f"say which one to add to with --file; nothing added")
    layers = default_layers(start, environ)
    if file is not None:
        index = next((i for i, layer in enumerate(layers) if _holds(layer, file)), None)
        layer_name = layers[index].origin if index is not None else "--file"
        path, header = file, None
    else:
        index = len(layers) - 1  # the project's layer, or the user's outside any project
        folder = layers[index].folder
        beneath = [layer.folder for layer in layers[:index] if layer.folder is not None]
        path, header = category_file(folder, category, beneath), project_header(folder)
        layer_name = layers[index].origin
    # A file outside every layer stands alone (runs read it with --glossary, which replaces the layers).
    below = layered_source(layers[:index] if index is not None else [])
    same = list(layers[index].paths) if index is not None else []
    entry = add_entry(path, source, target, aliases, category, note,
                      others=[p for p in same if p.resolve() != path.resolve()], requires=requires, header=header)
    return Added(path, layer_name, entry, _overridden(entry, below))


def _holds(layer, file: Path) -> bool:
    """Whether ``file`` is one of the layer's files or in its folder."""
    resolved = file.resolve()
    folder = layer.folder.resolve() if layer.folder is not None else None
    return resolved.parent == folder or any(resolved == p.resolve() for p in layer.paths)


def category_file(folder: Path, category: str, beneath: list[Path] = ()) -> Path:
    """The CSV or TSV file of ``folder`` that holds the category's entries (most of them, the first
    such file on a tie).  Failing that, a file named like the one that holds them in a folder
    ``beneath`` (the starter's companies.csv for "company"), else ``<category>.csv``; without a
    category, ``terms.csv``."""
    wanted = category.strip().lower()
    if not wanted:
        return folder / "terms.csv"
    found = _file_for(folder, wanted) or next(filter(None, (_file_for(f, wanted) for f in reversed(beneath))), None)
    if found is not None:
        return folder / found.name
    name = re.sub(r"[^\w-]+", "-", wanted).strip("-") or "terms"
    return folder / f"{name}.csv"


def _file_for(folder: Path, category: str) -> Path | None:
    """The CSV/TSV file of ``folder`` with the most entries of ``category`` (lower case), or None."""
    from pipeline.glossary.base import glossary_files
    from pipeline.glossary.formats import read_glossary_file

    counts = []
    for path in glossary_files(folder):
        if format_of(path) in ("csv", "tsv"):
            entries, _problems = read_glossary_file(path)  # problems surface when the entry is added
            counts.append((sum(e.category.lower() == category for e in entries), path))
    count, path = max(counts, key=lambda c: c[0], default=(0, None))
    return path if count else None


def project_header(folder: Path) -> list[str] | None:
    """The header row of the folder's first CSV file, so a new file reads like its neighbours."""
    from pipeline.glossary.base import glossary_files

    for path in glossary_files(folder):
        if format_of(path) == "csv":
            try:
                return _Table(path).header
            except BriefingError:
                continue  # a neighbour we cannot read gives no header
    return None


def _overridden(entry: GlossaryEntry, below) -> list[str]:
    """The earlier layers' entries the new one overrides, each with where it is."""
    if not below.paths:
        return []
    from pipeline.glossary.base import load_source
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    mine = {fold(s) for s in entry.spellings}
    lines = []
    for old in load_source(below).entries:
        if mine & {fold(s) for s in old.spellings}:
            same = (old.source, old.target) == (entry.source, entry.target)
            lines.append(f"{old.where}: {'the same entry is in' if same else 'overrides'} "
                         f"'{old.source}' → '{old.target}' of the glossary below")
    return lines


def add_entry(
    path: Path,
    source: str,
    target: str,
    aliases: str = "",
    category: str = "",
    note: str = "",
    others: list[Path] | None = None,
    requires: str = "",
    header: list[str] | None = None,
) -> GlossaryEntry:
    """Append a row to ``path`` (created with a header if missing); refuses duplicates with
    ``path`` and ``others`` (the files of the same layer).

    ``requires``: context words separated by | (the file needs a ``requires``
    column; a new file gets one).  ``header``: a new file's header row (default
    the five usual columns).  The existing bytes are kept exactly (BOM, line
    endings, quoting) and the file is replaced atomically, so an editor's file is
    never half-written.
    """
    source, target = source.strip(), target.strip()
    alias_list = [a.strip() for a in aliases.split(ALIAS_SEPARATOR) if a.strip()]
    context_words = [w.strip() for w in requires.split(ALIAS_SEPARATOR) if w.strip()]
    if not source or not target:
        raise BriefingError("glossary add: source and target must not be empty")
    if any(ch in source + target for ch in "\r\n"):
        raise BriefingError("glossary add: source and target must be one line each")
    table = _Table(path, header)
    if context_words and not table.raw.strip() and "requires" not in table.columns:
        table.header.append("requires")
        table.columns.append("requires")
    values = {"source": source, "target": target, "aliases": ALIAS_SEPARATOR.join(alias_list),
              "category": category.strip(), "note": note.strip(), "requires": ALIAS_SEPARATOR.join(context_words)}
    row = table.row(values)  # refuses a file it cannot map before anything else
    existing = [p for p in [path, *(others or [])] if p.exists()]
    glossary = load_glossary(existing)  # refuses to add to an invalid glossary
    candidate = GlossaryEntry(source, target, tuple(alias_list), requires=tuple(context_words))
    from pipeline.translate.normalise import ScriptFolder

    problem = requires_problem(candidate, ScriptFolder())
    if problem:
        raise BriefingError(f"glossary add: {problem}; nothing added")
    for entry in glossary.entries:
        clash = _clash(entry, candidate)
        if clash:
            raise BriefingError(f"glossary add: {clash} ({entry.where}: {entry.source} → {entry.target}); nothing added")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, table.appended(row))
    return candidate


class _Table:
    """The target file's bytes, delimiter, line ending and header columns."""

    def __init__(self, path: Path, header: list[str] | None = None):
        kind = format_of(path) or "csv"
        if kind not in ("csv", "tsv"):
            raise BriefingError(f"{path}: glossary add writes CSV or TSV files; "
                                f"convert this one with `briefing glossary import {path} --output FILE.csv`")
        self.path = path
        self.delimiter = "\t" if kind == "tsv" else ","
        self.raw = path.read_bytes() if path.exists() else b""
        if self.raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise BriefingError(f"{path}: glossary add writes UTF-8; this file is UTF-16 (save it as 'CSV UTF-8')")
        self.newline = "\r\n" if b"\r\n" in self.raw else "\n"
        if self.raw.strip():
            self.header = self._read_header()
        else:
            self.header = list(header or COLUMNS)
        self.columns = header_columns(self.header, f"{path}:1")[0]  # each column's role

    def _read_header(self) -> list[str]:
        try:
            text = self.raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BriefingError(f"{self.path}: not UTF-8 (save it as 'CSV UTF-8'); nothing added") from None
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True))
        except (csv.Error, StopIteration) as err:
            raise BriefingError(f"{self.path}:1: cannot read the header ({err}); nothing added") from None
        columns, problems = header_columns(header, f"{self.path}:1")  # zh-TW / en-US name the source / target
        missing = [c for c in ("source", "target") if c not in columns]
        if missing:
            raise BriefingError(f"{self.path}:1: cannot add: the header ({self.delimiter.join(header)}) has no "
                                f"{' or '.join(repr(m) for m in missing)} column; nothing added")
        if problems:
            raise BriefingError(f"{problems[0]}; nothing added")
        return header

    def row(self, values: dict[str, str]) -> list[str]:
        """``values`` laid out in the file's column order; unknown columns empty."""
        lost = [col for col, value in values.items() if value and col not in self.columns]
        if lost:
            raise BriefingError(f"{self.path}:1: the header has no {', '.join(repr(c) for c in lost)} column, "
                                f"so that value would be lost; add the column or leave it out; nothing added")
        placed: set[str] = set()
        cells = []
        for col in self.columns:
            cells.append(values.get(col, "") if col not in placed else "")
            placed.add(col)  # a repeated column name: the first one is the one read
        if cells and cells[0].lstrip().startswith("#"):
            raise BriefingError(f"{self.path}: '{cells[0]}' would be the first field and read as a comment; nothing added")
        return cells

    def appended(self, cells: list[str]) -> bytes:
        # As the exporter writes it: a spreadsheet must not run a cell, and reading strips the quote again.
        line = table_line(cells, self.delimiter, self.newline)
        prefix = b""
        if not self.raw.strip():
            header = io.StringIO()
            csv.writer(header, delimiter=self.delimiter, lineterminator=self.newline).writerow(self.header)
            return header.getvalue().encode("utf-8") + line.encode("utf-8")
        if not self.raw.endswith(b"\n"):
            prefix = self.newline.encode()
        return self.raw + prefix + line.encode("utf-8")


def _clash(entry: GlossaryEntry, new: GlossaryEntry) -> str | None:
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    existing = {fold(s) for s in entry.spellings}
    for spelling in new.spellings:
        if fold(spelling) in existing:
            which = "source" if fold(spelling) == fold(entry.source) else "alias"
            return f"'{spelling}' is already a {which} in the glossary"
    return None
