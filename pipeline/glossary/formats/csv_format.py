"""The glossary's CSV format: header row mapped by name, UTF-8 (BOM allowed)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.glossary.base import ALIAS_SEPARATOR, COLUMNS, OPTIONAL_COLUMNS, REQUIRED, GlossaryEntry


def read_csv(path: Path) -> tuple[list[GlossaryEntry], list[str]]:
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
    index = {c: columns.index(c) for c in COLUMNS + OPTIONAL_COLUMNS if c in columns}
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
        def listed(col: str) -> tuple[str, ...]:
            return tuple(a.strip() for a in cell(col).split(ALIAS_SEPARATOR) if a.strip())

        match = cell("match").lower()
        if match not in ("", "always", "word"):
            problems.append(f"{name}:{line}: match must be 'always', 'word' or empty, not '{cell('match')}'")
            continue
        entries.append(GlossaryEntry(source, target, listed("aliases"), cell("category"), cell("note"), name, line,
                                     variants=listed("variants"), not_in=listed("not_in"), match=match))
    return entries, problems
