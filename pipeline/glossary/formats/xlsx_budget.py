"""How big an XLSX workbook is, measured before openpyxl opens it.

openpyxl inflates the shared strings whole when it loads a workbook, scans every
worksheet to its end when <dimension> is missing, and, with the dimension not
trusted (xlsx_format resets it), yields every row up to the last one numbered
(gaps as empty rows), each padded to its last cell: one cell at XFD1048576
costs a billion.  Here an lxml parser *target* (no tree is built) counts what
openpyxl will hold and yield, in chunks, and stops at the first cap broken.
(A target without an ``end`` method is not called for end tags: half the calls.)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from pipeline.ingest.archive import archive_limits, archive_problem

# A term base of 100,000 rows is far beyond any editors' glossary; a sheet past that
# (or padded to it by a stray far cell) is refused rather than read for minutes.
MAX_ROWS = 100_000
MAX_CELLS = 1_000_000
MAX_COLUMNS = 16_384  # Excel's own limit (XFD)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CONTENT_TYPES = "[Content_Types].xml"
_CHUNK = 1024 * 1024


class Over(Exception):
    """A cap is broken: the count stops there; ``str`` says which."""


def workbook_problem(path: Path) -> str | None:
    """Why the workbook at ``path`` is too big to read (one line), or None.

    Raises ``zipfile.BadZipFile``, ``zlib.error`` or ``etree.XMLSyntaxError`` for
    a damaged file: the reader words those.
    """
    problem = archive_problem(path, archive_limits())
    if problem:
        return problem
    with zipfile.ZipFile(path) as archive:
        try:
            for part in parts_of_type(archive, "sharedStrings+xml", "xl/sharedstrings"):
                feed(archive, part, StringCount())
            for part in parts_of_type(archive, "worksheet+xml", "xl/worksheets/"):
                feed(archive, part, SheetSize(part))
        except Over as over:
            return str(over)
    return None


def parts_of_type(archive: zipfile.ZipFile, content_type: str, name_start: str) -> list[str]:
    """The parts [Content_Types].xml gives ``content_type`` (openpyxl finds parts by their type),
    and any part named as such parts usually are (``name_start``, case-insensitive)."""
    names = archive.namelist()
    declared = Overrides(content_type, set(names))
    if _CONTENT_TYPES in names:
        feed(archive, _CONTENT_TYPES, declared)
    return [n for n in names if n in declared.parts or (n.lower().startswith(name_start.lower()) and n.endswith(".xml"))]


def feed(archive: zipfile.ZipFile, part: str, target) -> None:
    """Parse ``part`` in chunks into the parser ``target``; entities are not expanded."""
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False)
    with archive.open(part) as source:
        while chunk := source.read(_CHUNK):
            parser.feed(chunk)
    parser.close()


class Overrides:
    """Parser target: the part names [Content_Types].xml declares as ``content_type`` (only names
    the archive holds, so a padded file cannot grow the set)."""

    def __init__(self, content_type: str, names: set[str]):
        self.content_type = content_type
        self.names = names
        self.parts: set[str] = set()

    def start(self, tag, attrib):
        if tag.endswith("}Override") and attrib.get("ContentType", "").endswith(self.content_type):
            name = attrib.get("PartName", "").lstrip("/")
            if name in self.names:
                self.parts.add(name)

    def close(self):
        return None


class StringCount:
    """Parser target counting shared strings (<si>): openpyxl holds them all in memory."""

    def __init__(self):
        self.count = 0

    def start(self, tag, attrib):
        if tag == MAIN + "si":
            self.count += 1
            if self.count > MAX_CELLS:
                raise Over(f"holds over {MAX_CELLS:,} shared strings, more than a glossary sheet may have cells")

    def close(self):
        return None


class SheetSize:
    """Parser target counting what openpyxl will yield for the sheet ``part``: every row up to the
    last numbered, each as wide as its last cell (or its cell count, when references repeat)."""

    def __init__(self, part: str):
        self.part = part
        self.row = self.cells = self.column = self.count = 0

    def start(self, tag, attrib):
        if tag == MAIN + "row":
            self.row = row_number(attrib.get("r"), self.row + 1)
            self.column = self.count = 0
            if self.row > MAX_ROWS:
                self._over(f"the sheet reaches row {self.row:,}, over the {MAX_ROWS:,} rows a glossary may have")
        elif tag == MAIN + "c":
            ref = attrib.get("r")
            self.column = max(self.column, column_number(ref) if ref else self.column + 1)
            self.count += 1
            width = max(self.column, self.count)
            if width > MAX_COLUMNS:
                self._over(f"the row holds {width:,} cells, over the {MAX_COLUMNS:,} columns a sheet may have")
            if self.cells + width > MAX_CELLS:
                self._over(f"the sheet holds over {MAX_CELLS:,} cells (empty ones up to each row's last "
                           "included), more than a glossary may have")

    def end(self, tag):
        if tag == MAIN + "row":
            self.cells += max(self.column, self.count)

    def close(self):
        return None

    def _over(self, reason: str):
        raise Over(f"{self.part}: row {self.row:,}: {reason}")


def column_number(ref: str) -> int:
    """A1 -> 1, XFD5 -> 16384: the letters of a cell reference."""
    number = 0
    for ch in ref:
        if not ch.isalpha():
            break
        number = number * 26 + (ord(ch.upper()) - 64)
    return number


def row_number(ref: str | None, default: int) -> int:
    try:
        return int(float(ref)) if ref else default
    except ValueError:
        return default  # openpyxl refuses it when it reads the row
