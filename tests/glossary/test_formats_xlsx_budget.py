"""The XLSX budget (pipeline/glossary/formats/xlsx_budget.py): parts found by content type as
openpyxl finds them, cell references read as Excel numbers them.  Workbooks are generated
by tests/ingest/readers/hostile.py; refusals through load_glossary are in test_formats_xlsx.py."""

import io
import zipfile

import pytest

from pipeline.glossary.formats.xlsx_budget import column_number, parts_of_type, row_number, workbook_problem
from tests.ingest.readers import hostile


@pytest.mark.parametrize("ref, number", [("A1", 1), ("Z9", 26), ("AA3", 27), ("AZ1", 52), ("XFD1048576", 16384),
                                         ("xfd2", 16384)])
def test_column_numbers_are_excels(ref, number):
    assert column_number(ref) == number


@pytest.mark.parametrize("ref, default, number", [("7", 3, 7), ("7.0", 3, 7), (None, 3, 3), ("x", 3, 3)])
def test_row_numbers_follow_openpyxl(ref, default, number):
    assert row_number(ref, default) == number


def _moved(path, old: str, new: str):
    """The workbook with part ``old`` renamed ``new`` everywhere it is named (content types, relationships)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith((".rels", ".xml")) and info.filename != old:
                data = data.replace(old.encode(), new.encode()).replace(old.split("/", 1)[1].encode(),
                                                                         new.split("/", 1)[1].encode())
            dst.writestr(new if info.filename == old else info.filename, data)
    path.write_bytes(out.getvalue())
    return path


def test_a_sheet_under_an_unusual_name_is_found_by_its_content_type(tmp_path):
    import openpyxl

    path = _moved(hostile.xlsx_workbook(tmp_path, "moved.xlsx", hostile.xlsx_rows(3_000, far="XFD")),
                  "xl/worksheets/sheet1.xml", "xl/grid/terms.xml")
    with zipfile.ZipFile(path) as archive:
        assert parts_of_type(archive, "worksheet+xml", "xl/worksheets/") == ["xl/grid/terms.xml"]
    assert openpyxl.load_workbook(path, read_only=True).worksheets[0].title == "Terms"  # openpyxl finds it too
    assert workbook_problem(path).startswith("xl/grid/terms.xml: row ")


def test_shared_strings_under_an_unusual_name_are_found_by_their_content_type(tmp_path):
    path = _moved(hostile.xlsx_workbook(tmp_path, "s.xlsx", hostile.xlsx_rows(2), ["a", "b"]),
                  "xl/sharedStrings.xml", "xl/words.xml")
    with zipfile.ZipFile(path) as archive:
        assert parts_of_type(archive, "sharedStrings+xml", "xl/sharedstrings") == ["xl/words.xml"]


def test_a_workbook_within_every_cap_has_no_problem(tmp_path):
    assert workbook_problem(hostile.xlsx_workbook(tmp_path, "ok.xlsx", hostile.xlsx_rows(5_000), ["a", "b"])) is None
