"""The ``requires`` column in every format, and the commands that edit and convert glossaries."""

from pathlib import Path

import pytest

from pipeline.errors import BriefingError
from pipeline.glossary import GlossaryEntry, check_glossary, load_glossary
from pipeline.glossary.convert import export_glossary, import_glossary
from pipeline.glossary.edit import add_entry
from pipeline.glossary.formats import read_glossary_file, write_glossary_bytes

APPLE = GlossaryEntry("蘋果", "Apple", category="company", not_in=("蘋果派",), requires=("iPhone", "庫克", "股價"))


def test_csv_and_tsv_read_requires_by_its_header_name(tmp_path):
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("requires,source,target\niPhone| 庫克 |,蘋果,Apple\n", encoding="utf-8")
    tsv_path = tmp_path / "g.tsv"
    tsv_path.write_text("source\ttarget\trequires\n蘋果\tApple\tiPhone|庫克\n", encoding="utf-8")
    for path in (csv_path, tsv_path):
        (entry,), problems = read_glossary_file(path)
        assert problems == [] and entry.requires == ("iPhone", "庫克")


def test_xlsx_reads_requires(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["source", "target", "requires"])
    sheet.append(["蘋果", "Apple", "iPhone|庫克"])
    path = tmp_path / "g.xlsx"
    book.save(path)
    (entry,), problems = read_glossary_file(path)
    assert problems == [] and entry.requires == ("iPhone", "庫克")


def test_the_writers_add_the_column_only_when_an_entry_uses_it():
    plain = GlossaryEntry("鴻海", "Hon Hai")
    assert write_glossary_bytes([plain], "csv").decode().splitlines()[0] == "source,target,aliases,category,note"
    assert write_glossary_bytes([plain, APPLE], "csv").decode().splitlines() == [
        "source,target,aliases,category,note,not_in,requires",
        "鴻海,Hon Hai,,,,,",
        "蘋果,Apple,,company,,蘋果派,iPhone|庫克|股價"]


@pytest.mark.parametrize("kind", ["csv", "tsv", "xlsx", "tbx"])
def test_requires_round_trips_through_each_format(tmp_path, kind):
    path = tmp_path / f"g.{kind}"
    path.write_bytes(write_glossary_bytes([APPLE], kind))
    (entry,), problems = read_glossary_file(path)
    assert problems == []
    assert (entry.source, entry.not_in, entry.requires) == ("蘋果", ("蘋果派",), ("iPhone", "庫克", "股價"))


def test_tbx_carries_requires_as_a_briefing_note_on_the_source_term(tmp_path):
    text = write_glossary_bytes([APPLE], "tbx").decode()
    assert "<note>briefing:requires=iPhone|庫克|股價</note>" in text
    assert 'type="context"' not in text  # TBX's context is an example sentence, not a rule


def test_a_tbx_note_with_an_unknown_key_names_every_known_one(tmp_path):
    path = tmp_path / "g.tbx"
    path.write_text(write_glossary_bytes([APPLE], "tbx").decode().replace("briefing:requires=", "briefing:needs="),
                    encoding="utf-8")
    _, problems = read_glossary_file(path)
    assert "unknown note 'briefing:needs=iPhone|庫克|股價'" in problems[0] and "briefing:requires=..." in problems[0]


def test_export_and_import_keep_requires(tmp_path):
    source = tmp_path / "g.csv"
    source.write_bytes(write_glossary_bytes([APPLE], "csv"))
    for kind in ("xlsx", "tbx"):
        exported = tmp_path / f"out.{kind}"
        export_glossary([source], exported)
        back = tmp_path / f"back-{kind}.csv"
        import_glossary(exported, back)
        assert load_glossary([back]).entries[0].requires == ("iPhone", "庫克", "股價")


def test_add_writes_requires_into_the_files_column(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target,aliases,category,note,requires\n鴻海,Hon Hai,,,,\n", encoding="utf-8")
    add_entry(path, "蘋果", "Apple", requires="iPhone| 庫克")
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "蘋果,Apple,,,,iPhone|庫克"
    assert load_glossary([path]).entries[-1].requires == ("iPhone", "庫克")


def test_add_gives_a_new_file_the_column_and_refuses_a_file_without_it(tmp_path):
    new = tmp_path / "new.csv"
    add_entry(new, "蘋果", "Apple", requires="iPhone")
    assert new.read_text(encoding="utf-8") == "source,target,aliases,category,note,requires\n蘋果,Apple,,,,iPhone\n"
    old = tmp_path / "old.csv"
    old.write_text("source,target\n鴻海,Hon Hai\n", encoding="utf-8")
    before = old.read_bytes()
    with pytest.raises(BriefingError, match="no 'requires' column"):
        add_entry(old, "蘋果", "Apple", requires="iPhone")
    assert old.read_bytes() == before


def test_add_refuses_a_context_word_inside_the_term(tmp_path):
    path = tmp_path / "g.csv"
    with pytest.raises(BriefingError, match="requires '之門' is part of '星際之門' itself"):
        add_entry(path, "星際之門", "Stargate", requires="OpenAI|之門")
    assert not path.exists()


def test_the_starter_glossary_checks_clean_and_its_ambiguous_entries_have_a_rule(seed_glossary):
    assert check_glossary([Path(f) for f in seed_glossary.files]) == []
    ruled = {e.source for e in seed_glossary.entries if e.requires or e.not_in}
    assert {"蘋果", "甲骨文", "德州", "三星", "亞馬遜", "特斯拉", "奧特曼", "懷特", "超微", "星際之門",
            "廣達", "Intrinsic"} <= ruled
