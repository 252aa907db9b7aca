"""Language codes as column headers (issue 18): CAT tools and spreadsheets label the term
columns zh-TW / en-US; every table format reads them as the source and target columns
through one helper (``header_role``), and two headers for one column are refused."""

import pytest

from pipeline.errors import BriefingError
from pipeline.glossary import check_glossary, load_glossary
from pipeline.glossary.edit import add_entry
from pipeline.glossary.formats.rows import header_role

ZH = ["zh-TW", "zh-Hant", "zh_TW", "zh", "zh-Hant-TW", "ZH-tw", "Zh_hant_tw"]
EN = ["en-US", "en-GB", "en", "EN-us", "en_GB"]


@pytest.mark.parametrize("code", ZH)
def test_chinese_codes_name_the_source(code):
    assert header_role(code) == "source"
    assert header_role(f" {code} ") == "source"  # spreadsheet cells carry stray spaces


@pytest.mark.parametrize("code", EN)
def test_english_codes_name_the_target(code):
    assert header_role(code) == "target"


@pytest.mark.parametrize("name", ["Source", "TARGET", "aliases", "not_in", "note", "requires"])
def test_our_own_column_names_keep_their_meaning(name):
    assert header_role(name) == name.lower()  # not_in is no language "not"


@pytest.mark.parametrize("name", ["fr-FR", "ja", "English", "中文", "en-", "zh--TW", "comment"])
def test_other_headers_name_no_term_column(name):
    assert header_role(name) not in ("source", "target")


def _xlsx(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_an_xlsx_with_zh_tw_and_en_us_headers_loads(tmp_path):
    """The reported case: refused before with "missing column 'source'"."""
    path = _xlsx(tmp_path / "cat.xlsx", [["zh-TW", "en-US", "Note"], ["台積電", "TSMC", "2330"], ["輝達", "NVIDIA", None]])
    entries = load_glossary([path]).entries
    assert [(e.source, e.target, e.note) for e in entries] == [("台積電", "TSMC", "2330"), ("輝達", "NVIDIA", "")]


@pytest.mark.parametrize("name,text", [
    ("a.csv", "zh_TW,en,aliases\n鴻海,Hon Hai (Foxconn),鴻海精密\n"),
    ("b.csv", "EN-GB,ZH-HANT-TW\nHon Hai (Foxconn),鴻海\n"),  # any order, any case
    ("c.tsv", "zh-Hant\ten-US\tcategory\n鴻海\tHon Hai (Foxconn)\tcompany\n"),
    ("d.csv", "fr-FR,zh,en\nHon Hai,鴻海,Hon Hai (Foxconn)\n"),  # a third language is ignored
])
def test_csv_and_tsv_read_language_headers(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (entry,) = load_glossary([path]).entries
    assert (entry.source, entry.target) == ("鴻海", "Hon Hai (Foxconn)")


@pytest.mark.parametrize("header,first,second,role", [
    ("source,zh-TW,target", "source", "zh-TW", "source"),
    ("zh,zh-TW,en", "zh", "zh-TW", "source"),
    ("zh-TW,en-US,en-GB", "en-US", "en-GB", "target"),
    ("zh,target,EN", "target", "EN", "target"),
])
def test_two_headers_for_one_column_are_refused_naming_both(tmp_path, header, first, second, role):
    path = tmp_path / "g.csv"
    path.write_text(header + "\n" + ",".join(["x"] * len(header.split(","))) + "\n", encoding="utf-8")
    assert check_glossary([path]) == [f"{path}:1: columns '{first}' and '{second}' are both the {role} column; keep one"]


def test_an_xlsx_clash_names_the_sheet_and_both_headers(tmp_path):
    path = _xlsx(tmp_path / "g.xlsx", [["zh-TW", "zh-CN", "en"], ["鴻海", "鸿海", "Hon Hai"]])
    assert check_glossary([path]) == [f"{path}:Sheet!1: columns 'zh-TW' and 'zh-CN' are both the source column; keep one"]


def test_the_same_name_twice_is_still_read_from_its_first_column(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target,note,note\n鴻海,Hon Hai,first,second\n", encoding="utf-8")
    assert load_glossary([path]).entries[0].note == "first"


def test_glossary_add_writes_into_language_headed_columns(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("en-US,zh-TW,note\nTSMC,台積電,\n", encoding="utf-8")
    add_entry(path, "輝達", "NVIDIA", note="GPU")
    assert path.read_text(encoding="utf-8") == "en-US,zh-TW,note\nTSMC,台積電,\nNVIDIA,輝達,GPU\n"
    assert [e.source for e in load_glossary([path]).entries] == ["台積電", "輝達"]
    clash = tmp_path / "clash.csv"
    clash.write_text("zh,zh-TW,en\n", encoding="utf-8")
    with pytest.raises(BriefingError, match="columns 'zh' and 'zh-TW' are both the source column; keep one; nothing added"):
        add_entry(clash, "輝達", "NVIDIA")
