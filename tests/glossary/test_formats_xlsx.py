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


def _claim_dimension(path, ref):
    """Rewrite the first sheet's <dimension> to ``ref``, as a careless writer leaves it."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode("utf-8")
    xml = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", f'<dimension ref="{ref}"/>', xml)
    if "<dimension" not in xml:
        xml = xml.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


@pytest.mark.parametrize("ref", ["A1:B2", "A1", "A1:E3"])
def test_a_dimension_that_understates_the_sheet_loses_nothing(tmp_path, ref):
    """issue 19: <dimension> said A1:B2 for 5×5 cells, and the import kept 1 entry of 4 without aliases or notes."""
    rows = [["source", "target", "aliases", "category", "note"],
            ["台積電", "TSMC", "台積公司", "company", "2330"],
            ["鴻海", "Hon Hai (Foxconn)", "鴻海精密", "company", "2317"],
            ["聯發科", "MediaTek", "", "company", "2454"],
            ["廣達", "Quanta", "廣達電腦", "company", "2382"]]
    path = _claim_dimension(workbook(tmp_path / "g.xlsx", rows), ref)
    glossary = load_glossary([path])
    assert [(e.source, e.target, e.aliases, e.note) for e in glossary.entries] == [
        (r[0], r[1], tuple(a for a in r[2].split("|") if a), r[4]) for r in rows[1:]]


def test_a_formula_without_a_computed_value_is_named_not_read_as_empty(tmp_path):
    """issue 19: a script wrote formulas (openpyxl stores no cached value); they imported as empty aliases and notes."""
    path = workbook(tmp_path / "g.xlsx", [
        ["source", "target", "aliases", "note"],
        ["台積電", "TSMC", "=\"台積\"&\"公司\"", "ok"],
        ["鴻海", "Hon Hai (Foxconn)", "", "=B3"],
    ])
    problems = check_glossary([path])
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:Terms!2", f"{path}:Terms!3"]
    assert "cell C2 holds a formula without a computed value" in problems[0] and "cell D3" in problems[1]
    with pytest.raises(GlossaryError):
        load_glossary([path])


def test_formulas_with_computed_values_read_as_the_editor_sees_them(tmp_path):
    """The same formulas after a spreadsheet application saved them (a cached value beside each)."""
    import re
    import zipfile

    path = workbook(tmp_path / "g.xlsx", [["source", "target", "aliases"], ["台積電", "TSMC", "=\"台積\"&\"公司\""]])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet = re.sub(r'<c r="C2"([^>]*)><f>(.*?)</f><v\s*/></c>|<c r="C2"([^>]*)><f>(.*?)</f><v></v></c>',
                   lambda m: f'<c r="C2" t="str"><f>{m.group(2) or m.group(4)}</f><v>台積公司</v></c>', sheet)
    assert "<v>台積公司</v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    (entry,) = load_glossary([path]).entries
    assert entry.aliases == ("台積公司",) and check_glossary([path]) == []
