"""XLSX glossaries: the first sheet, header mapped by name, problems as file:sheet!row."""

import pytest

from pipeline.errors import GlossaryError
from pipeline.glossary import check_glossary, load_glossary


def workbook(path, rows, title="Terms", extra_sheet=False):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:  # only the first sheet is the glossary
        book.create_sheet("Notes").append(["source", "target"])
    book.save(path)
    return path


def test_header_is_mapped_by_name_in_any_order_and_numbers_read_as_typed(tmp_path):
    path = workbook(tmp_path / "g.xlsx", [
        ["Note", "Target", "Extra", "Source", "Aliases"],
        ["2330 on TWSE", "TSMC", "ignored", "台積電", "臺積電|台積公司"],
        [None, None, None, None, None],  # a blank row is skipped
        ["# a comment row", None, None, None, None],
        ["", "Quanta", None, 2382, None],  # a code typed as a number is its digits
    ], extra_sheet=True)
    glossary = load_glossary([path])
    tsmc, quanta = glossary.entries
    assert (tsmc.source, tsmc.target, tsmc.aliases, tsmc.note) == ("台積電", "TSMC", ("臺積電", "台積公司"), "2330 on TWSE")
    assert (quanta.source, quanta.where) == ("2382", f"{path}:Terms!5")


def test_a_bad_row_names_the_file_sheet_and_row(tmp_path):
    path = workbook(tmp_path / "g.xlsx", [
        ["source", "target", "match"],
        ["鴻海", "Hon Hai", ""],
        ["輝達", None, ""],
        [None, "AMD", ""],
        ["台積電", "TSMC", "sometimes"],
        ["鴻海", "Foxconn", ""],
    ])
    assert check_glossary([path]) == [
        f"{path}:Terms!3: empty target",
        f"{path}:Terms!4: empty source",
        f"{path}:Terms!5: match must be 'always', 'word' or empty, not 'sometimes'",
        f"{path}:Terms!6: source '鴻海' has two targets: 'Hon Hai' ({path}:Terms!2) and 'Foxconn'",
    ]


def test_a_sheet_without_the_required_columns_is_refused(tmp_path):
    path = workbook(tmp_path / "g.xlsx", [["中文", "English"], ["鴻海", "Hon Hai"]], title="Sheet1")
    assert check_glossary([path]) == [
        (f"{path}:Sheet1!1: missing column 'source' (header must be source,target,aliases,category,note; "
         "a language code such as zh-TW or en-US also names the source or target column)"),
        (f"{path}:Sheet1!1: missing column 'target' (header must be source,target,aliases,category,note; "
         "a language code such as zh-TW or en-US also names the source or target column)"),
    ]


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path):
    path = tmp_path / "g.xlsx"
    path.write_text("source,target\n鴻海,Hon Hai\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_glossary([path])
    assert len(err.value.problems) == 1 and err.value.problems[0].startswith(f"{path}:0: not a readable .xlsx workbook")


def test_an_old_excel_file_is_one_problem_that_says_what_to_do(tmp_path):
    path = tmp_path / "g.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not a real workbook")
    assert check_glossary([path]) == [
        f"{path}:0: Excel 97-2003 workbooks are not read; save it as .xlsx (Excel Workbook) or CSV UTF-8"]
