"""XLSX glossaries: the first sheet, header mapped by name, problems as file:sheet!row."""

import pytest

from pipeline.errors import GlossaryError
from pipeline.glossary import check_glossary, load_glossary
from tests.ingest.readers import hostile


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


# ---------------------------------------------------------------- budgets: rows, cells, shared strings (issue 19)

def refused_quickly(path) -> str:
    """The one problem ``check_glossary`` gives, asserting it came in bounded time (a few seconds alone)."""
    import time

    started = time.monotonic()
    problems = check_glossary([path])
    assert time.monotonic() - started < 30
    assert len(problems) == 1 and "\n" not in problems[0], problems
    return problems[0]


def test_a_sheet_without_dimension_whose_rows_end_far_right_is_refused_quickly(tmp_path):
    """issue 19: a 1.8 MB XLSX without <dimension> ran `glossary import` for over 300 s at 1.2 GB.
    openpyxl pads each row to its last cell: a stray note in column XFD makes every row 16,384 cells."""
    path = hostile.xlsx_workbook(tmp_path, "far.xlsx", hostile.xlsx_rows(110_000, far="XFD"))
    assert path.stat().st_size > 1.5 * 1024 * 1024
    problem, peak = hostile.with_peak(lambda: refused_quickly(path))
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1048576:.0f} MB"
    assert problem.startswith(f"{path}:0: xl/worksheets/sheet1.xml: row ")
    assert problem.endswith("the sheet holds over 1,000,000 cells (empty ones up to each row's last included), "
                            "more than a glossary may have")


@pytest.mark.parametrize("rows, expected", [
    ([*hostile.xlsx_rows(3), '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'],
     "row 1,048,576: the sheet reaches row 1,048,576, over the 100,000 rows a glossary may have"),
    (hostile.xlsx_rows(100_001), "row 100,001: the sheet reaches row 100,001, over the 100,000 rows"),
    (["<row>" + "<c><v>1</v></c>" * 20_000 + "</row>"], "row 1: the row holds 16,385 cells, over the 16,384 columns"),
    (['<row r="2">' + '<c r="A2"><v>1</v></c>' * 20_000 + "</row>"], "row 2: the row holds 16,385 cells"),
])
def test_rows_and_cells_past_the_caps_are_refused_naming_the_row(tmp_path, rows, expected):
    path = hostile.xlsx_workbook(tmp_path, "big.xlsx", rows)
    assert refused_quickly(path).startswith(f"{path}:0: xl/worksheets/sheet1.xml: {expected}")


def test_more_shared_strings_than_cells_is_refused_before_openpyxl_loads_them(tmp_path):
    path = hostile.xlsx_workbook(tmp_path, "strings.xlsx", hostile.xlsx_rows(2), (str(i) for i in range(1_000_001)))
    assert refused_quickly(path) == f"{path}:0: holds over 1,000,000 shared strings, more than a glossary sheet may have cells"


def test_a_workbook_bomb_is_refused_by_the_zip_budget(tmp_path):
    path = hostile.xlsx_workbook(tmp_path, "bomb.xlsx", hostile.xlsx_rows(2), ("x" for _ in range(200_000)))  # 3.4 MB at ~1,000:1
    assert "xl/sharedStrings.xml compresses" in refused_quickly(path)


def test_a_large_sheet_without_dimension_loses_no_row(tmp_path):
    path = hostile.xlsx_workbook(tmp_path, "many.xlsx", hostile.xlsx_rows(3_000))
    glossary = load_glossary([path])
    assert len(glossary.entries) == 3_000
    assert (glossary.entries[0].source, glossary.entries[-1].target) == ("詞2", "Term 3001")
