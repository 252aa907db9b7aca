"""XLSX glossaries (openpyxl): the first worksheet, header row mapped by name.

Problems read ``file:sheet!row: ...`` with the row number Excel shows.
Cells are read as the editor sees them: a number typed into a cell (2330) is
its digits, a formula its last computed value.  Nothing is dropped unsaid: the
sheet's own ``<dimension>`` is not trusted (a file that says A1:B2 may hold
5×5 cells), and a formula a script wrote without a computed value is a problem
naming the cell, not an empty alias or note.  A workbook bigger than a
glossary may be (xlsx_budget: the zip budget, rows, cells, shared strings) is
one problem, found before openpyxl opens it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from pipeline.errors import BriefingError, one_line
from pipeline.glossary.entry import GlossaryEntry
from pipeline.glossary.formats.rows import (
    cells_of,
    column_index,
    columns_for,
    entry_from_cells,
    header_columns,
    is_skipped,
    unwritable,
)
from pipeline.glossary.formats.xlsx_budget import workbook_problem

SHEET_TITLE = "Glossary"


def read_xlsx(path: Path) -> tuple[list[GlossaryEntry], list[str]]:
    name = str(path)
    if not path.exists():
        return [], [f"{name}:0: no such file"]
    try:
        import openpyxl

        refused = workbook_problem(path)  # openpyxl holds and scans what it loads: measure first
        if refused:
            return [], [f"{name}:0: {refused}"]
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError, etree.LxmlError) as err:
        return [], [f"{name}:0: not a readable .xlsx workbook ({type(err).__name__}: {one_line(str(err))})"]
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # read every row and column there is, not what <dimension> claims
        entries, problems = _read_sheet(sheet, name)
        return entries, problems + _uncomputed_formulas(book, path, name)
    finally:
        book.close()


def _uncomputed_formulas(values, path: Path, name: str) -> list[str]:
    """Formula cells whose value was never computed (no cached value: a file written by a
    script, never opened in a spreadsheet application) would read as empty.  ``values`` is
    the workbook read for its values; the formulas need a second reading."""
    import openpyxl

    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheet, raw = values.worksheets[0], formulas.worksheets[0]
        sheet.reset_dimensions()
        raw.reset_dimensions()
        problems = []
        for computed, written in zip(sheet.iter_rows(), raw.iter_rows()):
            for value, cell in zip(computed, written):
                if value.value is None and isinstance(cell.value, str) and cell.value.startswith("="):
                    problems.append(f"{name}:{sheet.title}!{cell.row}: cell {cell.coordinate} holds a formula "
                                    f"without a computed value ({cell.value[:40]}); open and save the file in a "
                                    "spreadsheet application, or type the text")
        return problems
    finally:
        formulas.close()


def _read_sheet(sheet, name: str) -> tuple[list[GlossaryEntry], list[str]]:
    rows = sheet.iter_rows(values_only=True)
    where = f"{name}:{sheet.title}!"
    header = next(rows, None)
    if header is None or not any(_text(v) for v in header):
        return [], [f"{where}1: empty sheet (expected a header row: source,target,aliases,category,note)"]
    columns, refused = header_columns([_text(v) for v in header], f"{where}1")
    if refused:
        return [], refused
    index = column_index(columns)
    entries: list[GlossaryEntry] = []
    problems: list[str] = []
    for number, values in enumerate(rows, start=2):
        row = [_text(v) for v in values]
        if is_skipped(row[0] if row else "", row):
            continue
        cells = {col: row[i] for col, i in index.items() if i < len(row)}
        entry, row_problems = entry_from_cells(cells, f"{where}{number}", name, number, sheet=sheet.title)
        problems.extend(row_problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _text(value) -> str:
    """A cell as the editor reads it: 2330 not 2330.0; dates and times in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_xlsx(entries: list[GlossaryEntry]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    for entry in entries:
        reason = unwritable(entry)
        if reason:
            raise BriefingError(f"{entry.where}: cannot write as XLSX: {reason}")
    book = openpyxl.Workbook(write_only=True)  # streams rows: a large term base stays fast
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    columns = columns_for(entries)

    def text_cell(value: str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text stays text: '=SUM(A1)' or '2330' must not become a formula or a number
        return cell

    sheet.append([text_cell(c) for c in columns])
    for entry in entries:
        cells = cells_of(entry)
        try:
            sheet.append([text_cell(cells[c]) for c in columns])
        except IllegalCharacterError:
            raise BriefingError(f"{entry.where}: cannot write as XLSX: a control character in '{entry.source}'") from None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
