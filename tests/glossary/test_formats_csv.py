"""CSV and TSV glossaries: the same rules, the status column, what the writer produces."""

import pytest

from pipeline.glossary import check_glossary, load_glossary
from pipeline.glossary.base import GlossaryEntry
from pipeline.glossary.formats import write_glossary_bytes


def test_tsv_reads_like_csv_with_tabs(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("target\tsource\tnote\nTECO Electric & Machinery, Ltd.\t東元電機\tcomma, kept\n", encoding="utf-8")
    (entry,) = load_glossary([path]).entries
    assert (entry.source, entry.target, entry.note, entry.where) == (
        "東元電機", "TECO Electric & Machinery, Ltd.", "comma, kept", f"{path}:2")


def test_tsv_problems_name_file_and_line(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\n鴻海\tHon Hai\t\textra\n輝達\t\n", encoding="utf-8")
    assert check_glossary([path]) == [
        f"{path}:2: 4 fields but the header has 2 (quote a target that contains a tab)",
        f"{path}:3: empty target",
    ]


def test_excel_unicode_text_utf16_is_read(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes("source\ttarget\r\n鴻海\tHon Hai\r\n".encode("utf-16"))
    assert [(e.source, e.target) for e in load_glossary([path]).entries] == [("鴻海", "Hon Hai")]


def test_status_forbidden_rows_are_kept_apart_from_the_terms(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target,variants,status\n輝達,NVIDIA,,\n輝達,Nvidia Corp,nVidia,forbidden\n"
                    "三星,Samsung,,deprecated\n", encoding="utf-8")
    glossary = load_glossary([path])
    assert [e.target for e in glossary.entries] == ["NVIDIA"]
    assert [(e.target, e.variants, e.status) for e in glossary.forbidden] == [
        ("Nvidia Corp", ("nVidia",), "forbidden"), ("Samsung", (), "forbidden")]
    assert [m.entry.target for m in glossary.forbidden_matches("輝達與三星")] == ["Nvidia Corp", "Samsung"]


@pytest.mark.parametrize("body,expected", [
    ("輝達,NVIDIA,sometimes\n", ":2: status must be 'forbidden' or empty, not 'sometimes'"),
    ("輝達,NVIDIA,\n輝達,NVIDIA,forbidden\n", ":3: 'NVIDIA' is forbidden for '輝達' but also its glossary English"),
])
def test_status_problems(tmp_path, body, expected):
    path = tmp_path / "g.csv"
    path.write_text("source,target,status\n" + body, encoding="utf-8")
    assert check_glossary([path]) == [f"{path}{expected}"]


def test_the_writer_uses_only_the_columns_in_use_and_quotes_what_needs_it():
    data = write_glossary_bytes([GlossaryEntry("東元", 'TECO "Electric", Ltd.', ("東元電機",), "company")], "csv")
    assert data.decode("utf-8") == 'source,target,aliases,category,note\n東元,"TECO ""Electric"", Ltd.",東元電機,company,\n'
