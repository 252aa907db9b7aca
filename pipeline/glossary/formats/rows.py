"""One glossary row (a dict of named cells) to one entry and back.

CSV, TSV and XLSX glossaries are tables with a header row mapped by name;
they share these rules so a row is accepted or refused the same way, with the
same message, whatever program the editor saved it from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline.glossary.entry import (
    ALIAS_SEPARATOR,
    COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED,
    GlossaryEntry,
)

# Every column a table glossary may have, in the order the project writes them.
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS + ("status",)
MATCH_VALUES = ("", "always", "word")
# "deprecated" is what TBX calls it; both mean English that must not appear.
STATUS_VALUES = {"": "", "forbidden": "forbidden", "deprecated": "forbidden"}
LISTED = ("aliases", "variants", "not_in", "requires")


# A language code as a header names the column by its language: CAT tools and
# spreadsheets label the term columns zh-TW / en-US rather than source / target.
LANGUAGE_ROLES = {"zh": "source", "en": "target"}
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*")


def primary_subtag(code: str) -> str:
    """``zh-TW``, ``zh_Hant``, ``ZH-Hant-TW`` -> ``zh`` (BCP 47's primary language subtag, lower case)."""
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def header_role(header: str) -> str:
    """The column a header cell names: one of ours as it is (any case), a language code by
    its primary subtag (zh -> source, en -> target); anything else stays itself (and is ignored)."""
    name = header.strip().lower()
    if name in ALL_COLUMNS or not _LANGUAGE_TAG.fullmatch(name):
        return name
    return LANGUAGE_ROLES.get(primary_subtag(name), name)


def header_columns(header: list[str], where: str) -> tuple[list[str], list[str]]:
    """The role of each header cell, and why the header cannot be mapped (``where`` names the
    header row): two different headers for one role (``source`` and ``zh-TW``), or no source or target.
    The same name twice is not a clash: the first such column is read, as before."""
    columns = [header_role(h) for h in header]
    problems = []
    first: dict[str, str] = {}
    for cell, role in zip(header, columns):
        name = cell.strip()
        if role not in ALL_COLUMNS:
            continue
        seen = first.setdefault(role, name)
        if seen.lower() != name.lower():
            problems.append(f"{where}: columns '{seen}' and '{name}' are both the {role} column; keep one")
    return columns, problems + header_problems(columns, where)


def header_problems(columns: list[str], where: str) -> list[str]:
    """Why a header (its columns' roles) has no source or target column."""
    return [f"{where}: missing column '{c}' (header must be {','.join(COLUMNS)}; "
            f"a language code such as zh-TW or en-US also names the source or target column)"
            for c in REQUIRED if c not in columns]


def column_index(columns: list[str]) -> dict[str, int]:
    """Known column -> its first position (a repeated name maps to its first column)."""
    index: dict[str, int] = {}
    for i, name in enumerate(columns):
        if name in ALL_COLUMNS:
            index.setdefault(name, i)
    return index


def is_skipped(first_cell: str, cells: list[str]) -> bool:
    """A blank row, or a comment (first cell starts with #)."""
    return not any(c.strip() for c in cells) or first_cell.lstrip().startswith("#")


def entry_from_cells(cells: Mapping[str, str], where: str, file: str, line: int, sheet: str = "") -> tuple[
        GlossaryEntry | None, list[str]]:
    """Validate one row's named cells; an entry, or None and the problems (each ``where: ...``)."""
    def cell(col: str) -> str:
        return (cells.get(col) or "").strip()

    def listed(col: str) -> tuple[str, ...]:
        return tuple(a.strip() for a in cell(col).split(ALIAS_SEPARATOR) if a.strip())

    source, target = cell("source"), cell("target")
    problems = []
    if not source:
        problems.append(f"{where}: empty source")
    if not target:
        problems.append(f"{where}: empty target")
    if problems:
        return None, problems
    match = cell("match").lower()
    if match not in MATCH_VALUES:
        return None, [f"{where}: match must be 'always', 'word' or empty, not '{cell('match')}'"]
    status = STATUS_VALUES.get(cell("status").lower())
    if status is None:
        return None, [f"{where}: status must be 'forbidden' or empty, not '{cell('status')}'"]
    return GlossaryEntry(source, target, listed("aliases"), cell("category"), cell("note"), file, line,
                         variants=listed("variants"), not_in=listed("not_in"), match=match, status=status,
                         requires=listed("requires"),
                         sheet=sheet), []


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection"):
# a term base from outside must not become a sheet that opens =HYPERLINK(...) when clicked.
FORMULA_TRIGGERS = "=+-@\t\r"
# A run of quotes before a trigger is what the escape below adds one more quote to.
_ESCAPED = re.compile(r"'*[" + re.escape(FORMULA_TRIGGERS) + "]")


def formula_safe(cell: str) -> str:
    """A cell as a CSV/TSV writer writes it: one ``'`` before a cell that a spreadsheet would run
    (``=SUM(A1)`` -> ``'=SUM(A1)``), and before one whose own text is quotes then a trigger
    (``'=x`` -> ``''=x``), so that ``formula_text`` gives every cell back exactly."""
    return "'" + cell if _ESCAPED.match(cell) else cell


def formula_text(cell: str) -> str:
    """The cell ``formula_safe`` wrote: one leading ``'`` removed where quotes precede a trigger;
    anything else (``'hello``, ``don't``) as it is."""
    return cell[1:] if cell.startswith("'") and _ESCAPED.match(cell) else cell


def cells_of(entry: GlossaryEntry) -> dict[str, str]:
    """The entry as named cells (lists joined with |)."""
    return {
        "source": entry.source,
        "target": entry.target,
        "aliases": ALIAS_SEPARATOR.join(entry.aliases),
        "category": entry.category,
        "note": entry.note,
        "variants": ALIAS_SEPARATOR.join(entry.variants),
        "not_in": ALIAS_SEPARATOR.join(entry.not_in),
        "match": entry.match,
        "requires": ALIAS_SEPARATOR.join(entry.requires),
        "status": entry.status,
    }


def columns_for(entries: list[GlossaryEntry]) -> tuple[str, ...]:
    """The five usual columns, plus each optional one that some entry uses."""
    rows = [cells_of(e) for e in entries]
    return COLUMNS + tuple(c for c in ALL_COLUMNS[len(COLUMNS):] if any(r[c] for r in rows))


def unwritable(entry: GlossaryEntry) -> str | None:
    """Why a table cannot hold this entry so that it reads back the same, or None."""
    if entry.source.lstrip().startswith("#"):
        return f"source '{entry.source}' starts with '#': it would read back as a comment"
    for col in LISTED:
        items = getattr(entry, col)
        if any(ALIAS_SEPARATOR in item or item != item.strip() or not item for item in items):
            return f"{col} of '{entry.source}' contain '{ALIAS_SEPARATOR}' or blank items"
    return None
