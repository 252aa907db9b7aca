"""XLSX glossaries (openpyxl): the first worksheet, header row mapped by name.

Problems read ``file:sheet!row: ...`` with the row number Excel shows.
Cells are read as the editor sees them: a number typed into a cell (2330) is
its digits, a formula its last computed value.  Nothing is dropped unsaid: the
sheet's own ``<dimension>`` is not trusted (a file that says A1:B2 may hold
5×5 cells), and a formula a script wrote without a computed value is a problem
naming the cell, not an empty alias or note.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from pipeline.errors import BriefingError, one_line
from pipeline.glossary.entry import GlossaryEntry
from pipeline.ingest.archive import archive_limits, archive_problem
from pipeline.glossary.formats.rows import (
    cells_of,
    column_index,
    columns_for,
    entry_from_cells,
    header_columns,
    is_skipped,
    unwritable,
)

SHEET_TITLE = "Glossary"
# A term base of 100,000 rows is far beyond any editors' glossary; a sheet past that
# (or padded to it by a stray far cell) is refused rather than read for minutes.
MAX_ROWS = 100_000
MAX_CELLS = 1_000_000
MAX_COLUMNS = 16_384  # Excel's own limit (XFD)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx(path: Path) -> tuple[list[GlossaryEntry], list[str]]:
    name = str(path)
    if not path.exists():
        return [], [f"{name}:0: no such file"]
    try:
        import openpyxl

        refused = _budget_problem(path)
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


def _budget_problem(path: Path) -> str | None:
    """Why the workbook is too big to read, before openpyxl touches it: it inflates the shared strings
    whole, and at load it scans every worksheet to its end when <dimension> is missing."""
    return archive_problem(path, archive_limits()) or _shared_strings_problem(path) or _worksheets_problem(path)


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


def _shared_strings_problem(path: Path) -> str | None:
    """More shared strings than a sheet may have cells: openpyxl would hold them all in memory."""
    with zipfile.ZipFile(path) as archive:
        for part in _shared_strings_parts(archive):
            problem = _count(archive, part, _StringCount())
            if problem:
                return problem
    return None


def _worksheets_problem(path: Path) -> str | None:
    """The first worksheet bigger than a glossary may be, counted with a streaming parse.

    Without a trusted <dimension>, openpyxl yields every row up to the last one
    numbered (gaps as empty rows) and pads each row to its last cell: one cell
    at XFD1048576 costs a billion.  Every worksheet counts, not only the first:
    openpyxl scans each of them when it loads the workbook.
    """
    with zipfile.ZipFile(path) as archive:
        for part in _parts_of_type(archive, "worksheet+xml", "xl/worksheets/"):
            problem = _count(archive, part, _SheetSize())
            if problem:
                return f"{part}: {problem}"
    return None


def _shared_strings_parts(archive: zipfile.ZipFile) -> list[str]:
    return _parts_of_type(archive, "sharedStrings+xml", "xl/sharedstrings")


def _parts_of_type(archive: zipfile.ZipFile, content_type: str, name_start: str) -> list[str]:
    """The parts [Content_Types].xml gives ``content_type`` (openpyxl finds parts by their type), and
    any part named as such parts usually are (``name_start``, case-insensitive)."""
    names = archive.namelist()
    declared: set[str] = set()
    if "[Content_Types].xml" in names:
        types = etree.fromstring(archive.read("[Content_Types].xml"), _safe_parser())
        declared = {o.get("PartName", "").lstrip("/") for o in types.iter("{*}Override")
                    if o.get("ContentType", "").endswith(content_type)}
    return [n for n in names if n in declared or (n.lower().startswith(name_start.lower()) and n.endswith(".xml"))]


def _safe_parser(target=None):
    return etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False)


class _Over(Exception):
    """A cap is broken: the count stops there; ``str`` says which."""


def _count(archive: zipfile.ZipFile, part: str, target) -> str | None:
    """Feed ``part`` to the counting ``target`` in chunks (no tree is built); the first cap broken, or None."""
    parser = _safe_parser(target)
    try:
        with archive.open(part) as source:
            while chunk := source.read(1024 * 1024):
                parser.feed(chunk)
        parser.close()
    except _Over as over:
        return str(over)
    return None


class _StringCount:
    """lxml parser target counting shared strings (<si>)."""

    def __init__(self):
        self.count = 0

    def start(self, tag, attrib):
        if tag == _MAIN + "si":
            self.count += 1
            if self.count > MAX_CELLS:
                raise _Over(f"holds over {MAX_CELLS:,} shared strings, more than a glossary sheet may have cells")

    def end(self, tag):
        pass

    def close(self):
        return None


class _SheetSize:
    """lxml parser target counting what openpyxl will yield for a sheet: every row up to the
    last numbered, each as wide as its last cell (or its cell count, when references repeat)."""

    def __init__(self):
        self.row = self.cells = self.column = self.count = 0

    def start(self, tag, attrib):
        if tag == _MAIN + "row":
            self.row = _row_number(attrib.get("r"), self.row + 1)
            self.column = self.count = 0
            if self.row > MAX_ROWS:
                raise _Over(f"row {self.row:,}: the sheet reaches row {self.row:,}, over the {MAX_ROWS:,} rows "
                            "a glossary may have")
        elif tag == _MAIN + "c":
            ref = attrib.get("r")
            self.column = max(self.column, _column_number(ref) if ref else self.column + 1)
            self.count += 1
            width = max(self.column, self.count)
            if width > MAX_COLUMNS:
                raise _Over(f"row {self.row:,}: the row holds {width:,} cells, over the {MAX_COLUMNS:,} columns "
                            "a sheet may have")
            if self.cells + width > MAX_CELLS:
                raise _Over(f"row {self.row:,}: the sheet holds over {MAX_CELLS:,} cells (empty ones up to each "
                            "row's last included), more than a glossary may have")

    def end(self, tag):
        if tag == _MAIN + "row":
            self.cells += max(self.column, self.count)

    def close(self):
        return None


def _column_number(ref: str) -> int:
    number = 0
    for ch in ref:
        if not ch.isalpha():
            break
        number = number * 26 + (ord(ch.upper()) - 64)
    return number


def _row_number(ref: str | None, default: int) -> int:
    try:
        return int(float(ref)) if ref else default
    except ValueError:
        return default  # openpyxl refuses it when it reads the row


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
