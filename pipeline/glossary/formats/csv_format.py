"""CSV and TSV glossaries: header row mapped by name, UTF-8 (BOM allowed).

TSV is the same table with tabs between fields (quoted like Excel quotes it);
a file with a UTF-16 byte-order mark (Excel's "Unicode Text") is read too.
A cell a spreadsheet would run as a formula is written with a leading ``'``,
which reading removes again (``formula_safe`` / ``formula_text`` in rows.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.glossary.entry import COLUMNS, GlossaryEntry
from pipeline.glossary.formats.rows import (
    cells_of,
    column_index,
    columns_for,
    entry_from_cells,
    formula_safe,
    formula_text,
    header_columns,
    is_skipped,
    unwritable,
)

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(path: Path) -> tuple[list[GlossaryEntry], list[str]]:
    return _read_delimited(path, ",", "comma")


def read_tsv(path: Path) -> tuple[list[GlossaryEntry], list[str]]:
    return _read_delimited(path, "\t", "tab")


def decode_table(raw: bytes, name: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, problem): UTF-8 with or without BOM, or UTF-16 with its BOM."""
    encoding = "utf-16" if raw.startswith(_UTF16_BOMS) else "utf-8-sig"
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, f"{name}:{line}: undecodable bytes (the glossary must be UTF-8; save as 'CSV UTF-8')"


def _read_delimited(path: Path, delimiter: str, what: str) -> tuple[list[GlossaryEntry], list[str]]:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [f"{name}:0: no such file"]
    except OSError as err:
        return [], [f"{name}:0: cannot read ({err.strerror or err})"]
    text, problem = decode_table(raw, name)
    if problem:
        return [], [problem]
    if not text.strip():
        return [], [f"{name}:1: empty file (expected a header row: {delimiter.join(COLUMNS)})"]

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        return [], [f"{name}:1: bad quoting in header ({err})"]
    columns, refused = header_columns(header, f"{name}:1")
    if refused:
        return [], refused
    index = column_index(columns)
    entries: list[GlossaryEntry] = []
    problems: list[str] = []
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
        if is_skipped(row[0] if row else "", row):
            continue
        if len(row) > len(columns):
            problems.append(f"{name}:{line}: {len(row)} fields but the header has {len(columns)} "
                            f"(quote a target that contains a {what})")
            continue
        cells = {col: formula_text(row[i]) for col, i in index.items() if i < len(row)}
        entry, row_problems = entry_from_cells(cells, f"{name}:{line}", name, line)
        problems.extend(row_problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def write_csv(entries: list[GlossaryEntry], delimiter: str = ",") -> bytes:
    """UTF-8, one row a line, only the columns in use: like the glossary files the project keeps."""
    for entry in entries:
        reason = unwritable(entry)
        if reason:
            raise BriefingError(f"{entry.where}: cannot write as {'TSV' if delimiter == chr(9) else 'CSV'}: {reason}")
    columns = columns_for(entries)
    lines = [table_line(list(columns), delimiter)]
    for entry in entries:
        cells = cells_of(entry)
        lines.append(table_line([cells[c] for c in columns], delimiter))
    return "".join(lines).encode("utf-8")


def table_line(cells: list[str], delimiter: str = ",", newline: str = "\n") -> str:
    """One row of a CSV/TSV glossary as written: formula cells escaped (``formula_safe``), and
    every field quoted when one holds a carriage return, which the csv module leaves bare
    under a "\\n" line end, so that a reader (and a spreadsheet) would start a new row there."""
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if any("\r" in c for c in cells) else csv.QUOTE_MINIMAL
    csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerow(
        [formula_safe(c) for c in cells])
    return out.getvalue()
