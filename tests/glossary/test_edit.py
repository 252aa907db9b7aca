"""``glossary add`` follows the file's own header and leaves a valid file."""

import csv
import io

import pytest

from pipeline.errors import BriefingError
from pipeline.glossary import load_glossary
from pipeline.glossary.edit import add_entry
from tests.test_cli import briefing


def rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_a_source_target_header_gets_two_fields(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target\n鴻海,Hon Hai\n", encoding="utf-8")
    before = path.read_bytes()
    add_entry(path, "輝達", "NVIDIA")
    assert path.read_bytes() == before + "輝達,NVIDIA\n".encode()
    entry = load_glossary([path]).entries[-1]
    assert (entry.source, entry.target, entry.line) == ("輝達", "NVIDIA", 3)


def test_a_target_source_note_header_gets_the_fields_in_its_order(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("\ufefftarget,source,note\r\nHon Hai,鴻海,\r\n".encode())
    before = path.read_bytes()
    add_entry(path, "東元電機", "TECO Electric & Machinery, Ltd.", note='say "TECO"')
    after = path.read_bytes()
    assert after.startswith(before)  # BOM, CRLF and the rows above untouched
    assert after[len(before):] == '"TECO Electric & Machinery, Ltd.",東元電機,"say ""TECO"""\r\n'.encode()
    entry = load_glossary([path]).entries[-1]
    assert (entry.source, entry.target, entry.note) == ("東元電機", "TECO Electric & Machinery, Ltd.", 'say "TECO"')


def test_unknown_columns_are_left_empty_and_a_repeated_name_filled_once(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("Reviewer,Source,Target,category,category\nann,鴻海,Hon Hai,company,\n", encoding="utf-8")
    add_entry(path, "輝達", "NVIDIA", category="company")
    assert rows(path)[-1] == ["", "輝達", "NVIDIA", "company", ""]
    assert load_glossary([path]).entries[-1].category == "company"


def test_tsv_files_get_a_tab_separated_row(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\taliases\n鴻海\tHon Hai\t\n", encoding="utf-8")
    add_entry(path, "台積電", "TSMC", aliases="臺積電|台積公司")
    assert path.read_text(encoding="utf-8").endswith("台積電\tTSMC\t臺積電|台積公司\n")
    assert load_glossary([path]).entries[-1].aliases == ("臺積電", "台積公司")


@pytest.mark.parametrize("header,kwargs,message", [
    ("term,translation\n", {}, r"g.csv:1: cannot add: the header \(term,translation\) has no 'source' or 'target' column"),
    ("source,english\n", {}, r"has no 'target' column"),
    ("source,target\n", {"aliases": "輝达"}, r"g.csv:1: the header has no 'aliases' column"),
])
def test_a_file_it_cannot_map_is_refused_and_left_alone(tmp_path, header, kwargs, message):
    path = tmp_path / "g.csv"
    path.write_text(header + "鴻海,Hon Hai\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(BriefingError, match=message):
        add_entry(path, "輝達", "NVIDIA", **kwargs)
    assert path.read_bytes() == before


def test_the_command_refuses_with_one_line_and_exit_2(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("term,translation\n鴻海,Hon Hai\n", encoding="utf-8")
    out = briefing("glossary", "add", "輝達", "NVIDIA", "--file", path, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "no 'source' or 'target' column" in out.stderr
    assert "Traceback" not in out.stderr


def test_workbooks_and_term_bases_are_not_appended_to(tmp_path):
    with pytest.raises(BriefingError, match="glossary add writes CSV or TSV files; convert this one"):
        add_entry(tmp_path / "g.xlsx", "輝達", "NVIDIA")
