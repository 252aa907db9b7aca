"""A glossary goes CSV -> XLSX -> TBX -> CSV (and through TSV) with nothing lost:
every GlossaryEntry field, any Unicode, commas, quotes and pipes in the fields."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.glossary.base import GlossaryEntry
from pipeline.glossary.formats import read_glossary_file, write_glossary_bytes
from tests.conftest import ROOT

FIELDS = ("source", "target", "aliases", "category", "note", "variants", "not_in", "match", "status", "requires")


def content(entries):
    """What an entry says, without where it was read from (file, line, sheet)."""
    return [tuple(getattr(e, f) for f in FIELDS) for e in entries]


def chain(entries, folder: Path, kinds=("csv", "xlsx", "tbx", "csv")):
    """Write and read back through each format in turn; the entries read at each step."""
    steps = []
    for number, kind in enumerate(kinds):
        path = folder / f"step{number}.{kind}"
        path.write_bytes(write_glossary_bytes(entries, kind))
        entries, problems = read_glossary_file(path)
        assert problems == [], (kind, problems)
        steps.append(entries)
    return steps


# Printable text of every script, with the characters CSV and Excel users trip on.
_CHARS = st.characters(categories=["L", "N", "P", "S", "Zs"]) | st.sampled_from(list(',"|;\'=<>&#\t'.replace("\t", " ")))
_TEXT = st.text(_CHARS, min_size=1, max_size=16).map(str.strip).filter(bool)
_OPTIONAL = st.one_of(st.just(""), _TEXT)
# A note or category may run over lines (a quoted CSV field, Alt+Enter in Excel).
_MULTILINE = st.one_of(_OPTIONAL, st.lists(_TEXT, min_size=2, max_size=3).map("\n".join))
_ITEM = _TEXT.map(lambda s: s.replace("|", "/").strip()).filter(bool)


@st.composite
def glossary_entries(draw):
    source = draw(_TEXT.filter(lambda s: not s.startswith("#")))
    target = draw(_TEXT)
    aliases = draw(st.lists(_ITEM.filter(lambda a: a != source), unique=True, max_size=3))
    variants = draw(st.lists(_ITEM.filter(lambda v: v != target), unique=True, max_size=3))
    return GlossaryEntry(
        source, target, tuple(aliases), draw(_MULTILINE), draw(_MULTILINE),
        variants=tuple(variants),
        not_in=tuple(draw(st.lists(_ITEM, unique=True, max_size=2))),
        match=draw(st.sampled_from(["", "always", "word"])),
        status=draw(st.sampled_from(["", "", "forbidden"])),
        requires=tuple(draw(st.lists(_ITEM, unique=True, max_size=3))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(glossary_entries(), min_size=1, max_size=6))
def test_generated_glossaries_round_trip_through_every_format(tmp_path_factory, entries):
    folder = tmp_path_factory.mktemp("rt")
    for step in chain(entries, folder):
        assert content(step) == content(entries)
    (tsv,) = chain(entries, folder, kinds=("tsv",))
    assert content(tsv) == content(entries)


def test_the_starter_glossary_round_trips(tmp_path):
    files = sorted((ROOT / "glossary").glob("*.csv"))
    assert files, "the starter glossary is missing"
    for csv_file in files:
        entries, problems = read_glossary_file(csv_file)
        assert entries and problems == []
        steps = chain(entries, tmp_path)
        assert all(content(step) == content(entries) for step in steps), csv_file.name


def test_a_formula_and_a_number_stay_text_in_xlsx(tmp_path):
    entries = [GlossaryEntry("=SUM(A1)", "2330", note="0012")]
    (back,) = chain(entries, tmp_path, kinds=("xlsx",))
    assert content(back) == content(entries)


def test_an_entry_a_table_cannot_hold_is_refused_with_its_place(tmp_path):
    from pipeline.errors import BriefingError

    entry = GlossaryEntry("#hashtag", "hashtag", file="g.tbx", line=7)
    with pytest.raises(BriefingError, match=r"g.tbx:7: cannot write as CSV: .*comment"):
        write_glossary_bytes([entry], "csv")
