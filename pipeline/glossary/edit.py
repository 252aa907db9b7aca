"""``briefing glossary add``: append one entry without touching the rest of the file.

The new row follows the file's own header: its columns in its order, any
column we do not know left empty.  A file whose header has no source or no
target column is refused, as is a value for a column the file does not have
(it would be lost).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.fsutil import atomic_write_bytes
from pipeline.glossary import ALIAS_SEPARATOR, COLUMNS, GlossaryEntry, load_glossary
from pipeline.glossary.entry import requires_problem
from pipeline.glossary.formats import format_of
from pipeline.glossary.formats.rows import header_columns


def add_entry(
    path: Path,
    source: str,
    target: str,
    aliases: str = "",
    category: str = "",
    note: str = "",
    others: list[Path] | None = None,
    requires: str = "",
) -> GlossaryEntry:
    """Append a row to ``path`` (created with a header if missing); refuses duplicates.

    ``requires``: context words separated by | (the file needs a ``requires``
    column; a new file gets one).  The existing bytes are kept exactly (BOM,
    line endings, quoting) and the file is replaced atomically, so an editor's
    file is never half-written.
    """
    source, target = source.strip(), target.strip()
    alias_list = [a.strip() for a in aliases.split(ALIAS_SEPARATOR) if a.strip()]
    context_words = [w.strip() for w in requires.split(ALIAS_SEPARATOR) if w.strip()]
    if not source or not target:
        raise BriefingError("glossary add: source and target must not be empty")
    if any(ch in source + target for ch in "\r\n"):
        raise BriefingError("glossary add: source and target must be one line each")
    table = _Table(path)
    if context_words and not table.raw.strip():
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

    def __init__(self, path: Path):
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
        self.columns = self._header() if self.raw.strip() else list(COLUMNS)

    def _header(self) -> list[str]:
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
        return columns

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
        line = io.StringIO()
        csv.writer(line, delimiter=self.delimiter, lineterminator=self.newline).writerow(cells)
        prefix = b""
        if not self.raw.strip():
            header = io.StringIO()
            csv.writer(header, delimiter=self.delimiter, lineterminator=self.newline).writerow(self.columns)
            return header.getvalue().encode("utf-8") + line.getvalue().encode("utf-8")
        if not self.raw.endswith(b"\n"):
            prefix = self.newline.encode()
        return self.raw + prefix + line.getvalue().encode("utf-8")


def _clash(entry: GlossaryEntry, new: GlossaryEntry) -> str | None:
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    existing = {fold(s) for s in entry.spellings}
    for spelling in new.spellings:
        if fold(spelling) in existing:
            which = "source" if fold(spelling) == fold(entry.source) else "alias"
            return f"'{spelling}' is already a {which} in the glossary"
    return None
