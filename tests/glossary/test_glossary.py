"""Glossary files: matching, script variants, overlaps, validation, add, suggest."""

import csv
import io

import pytest

from pipeline.errors import BriefingError, GlossaryError
from pipeline.glossary import Glossary, GlossaryEntry, check_glossary, load_glossary
from pipeline.glossary.edit import add_entry
from pipeline.glossary.suggest import suggest

from tests.conftest import SEEDS

HEADER = "source,target,aliases,category,note\n"


def write(tmp_path, name, body, header=HEADER, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes((header + body).encode(encoding))
    return path


def entries(*rows):
    return Glossary([GlossaryEntry(s, t, tuple(a)) for s, t, *a in rows])


def test_longest_match_wins_and_inner_terms_are_not_matched_twice():
    g = entries(("三菱", "Mitsubishi"), ("三菱電機", "Mitsubishi Electric"), ("電機", "electrical machinery"))
    found = [(m.surface, m.entry.target) for m in g.match("三菱電機與三菱合作")]
    assert found == [("三菱電機", "Mitsubishi Electric"), ("三菱", "Mitsubishi")]


def test_simplified_traditional_and_alias_spellings_match():
    g = entries(("臺積電", "TSMC", "台積公司"), ("鴻海", "Hon Hai (Foxconn)"))
    text = "台积电、台積電、臺積電、台積公司與鸿海"
    found = [m.surface for m in g.match(text)]
    assert found == ["台积电", "台積電", "臺積電", "台積公司", "鸿海"]
    for m in g.match(text):
        assert text[m.start:m.end] == m.surface


def test_latin_sources_match_on_word_boundaries_only():
    g = entries(("AI", "AI"), ("OpenAI", "OpenAI"))
    assert [m.surface for m in g.match("OpenAI與AI，SAID")] == ["OpenAI", "AI"]


def test_latin_sources_match_any_case_and_full_width():
    g = entries(("OpenAI", "OpenAI"))
    assert [m.surface for m in g.match("openai、OPENAI與ＯｐｅｎＡＩ")] == ["openai", "OPENAI", "ＯｐｅｎＡＩ"]


def test_seed_glossary_loads_and_covers_the_seed_names(seed_glossary):
    targets = {e.source: e.target for e in seed_glossary.entries}
    assert targets["鴻海"] == "Hon Hai (Foxconn)"
    assert targets["輝達"] == "NVIDIA"
    assert targets["劉揚偉"] == "Young Liu"
    assert targets["亞灣超算"] == "Visionbay"
    text = (SEEDS / "000_58b913a21f0d624b.txt").read_text(encoding="utf-8")
    assert {"鴻海", "輝達", "劉揚偉", "亞灣超算", "OpenAI"} <= {m.entry.source for m in seed_glossary.match(text)}


def test_digest_depends_on_content_not_order():
    a = entries(("甲", "A"), ("乙", "B"))
    b = entries(("乙", "B"), ("甲", "A"))
    c = entries(("甲", "A"), ("乙", "C"))
    assert a.digest == b.digest != c.digest


def test_bom_and_quoted_commas_are_accepted(tmp_path):
    path = write(tmp_path, "g.csv", '東元電機,"TECO Electric & Machinery, Ltd.",,company,\n', header="\ufeff" + HEADER)
    g = load_glossary([path])
    assert g.entries[0].target == "TECO Electric & Machinery, Ltd."
    assert g.entries[0].line == 2


@pytest.mark.parametrize(
    "body,header,expected",
    [
        ("鴻海,Hon Hai\n", "source,aliases\n", "g.csv:1: missing column 'target'"),
        ("鴻海,Hon Hai\n,NVIDIA\n", HEADER, "g.csv:3: empty source"),
        ("鴻海,\n", HEADER, "g.csv:2: empty target"),
        ("鴻海,Hon Hai\n鴻海,Foxconn\n", HEADER, "g.csv:3: source '鴻海' has two targets"),
        ("鸿海,Hon Hai\n鴻海,Foxconn\n", HEADER, "g.csv:3: source '鴻海' has two targets"),
        ("台積電,TSMC,鴻海\n鴻海,Hon Hai\n", HEADER, "g.csv:2: alias '鴻海' is the source of another entry"),
        ('鴻海,"Hon Hai\n輝達,NVIDIA\n', HEADER, "g.csv:"),
        ("鴻海,Hon Hai,a,b,c,d,e\n", HEADER, "g.csv:2: 7 fields but the header has 5"),
        ("", "", "g.csv:1: empty file"),
    ],
)
def test_malformed_glossaries_name_file_and_line(tmp_path, body, header, expected):
    path = write(tmp_path, "g.csv", body, header=header)
    problems = check_glossary([path])
    assert problems, "expected a problem"
    assert any(p.startswith(str(tmp_path / expected) if expected.startswith("g.csv") else expected) for p in problems), problems
    with pytest.raises(GlossaryError):
        load_glossary([path])


def test_bad_quoting_is_reported(tmp_path):
    path = write(tmp_path, "g.csv", '鴻海,"Hon "Hai",,\n')
    problems = check_glossary([path])
    assert problems and "bad quoting" in problems[0] and problems[0].startswith(f"{path}:2:")


def test_undecodable_bytes_give_the_line(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(HEADER.encode() + "鴻海,Hon Hai\n".encode() + "輝達,NVIDIA\n".encode("big5"))
    assert check_glossary([path]) == [f"{path}:3: undecodable bytes (the glossary must be UTF-8; save as 'CSV UTF-8')"]


def test_conflicts_across_files_name_both_places(tmp_path):
    a = write(tmp_path, "a.csv", "鴻海,Hon Hai\n")
    b = write(tmp_path, "b.csv", "鴻海,Foxconn\n")
    problems = check_glossary([a, b])
    assert problems == [f"{b}:2: source '鴻海' has two targets: 'Hon Hai' ({a}:2) and 'Foxconn'"]


def test_add_appends_without_rewriting_and_refuses_duplicates(tmp_path):
    path = write(tmp_path, "g.csv", '東元電機,"TECO Electric & Machinery",,company,keep "this" quoting\r\n', header="\ufeff" + HEADER.replace("\n", "\r\n"))
    before = path.read_bytes()
    add_entry(path, "輝達", "NVIDIA", aliases="辉达", category="company")
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before):] == "輝達,NVIDIA,辉达,company,\r\n".encode()
    with pytest.raises(BriefingError, match="already a source"):
        add_entry(path, "輝達", "Nvidia")
    with pytest.raises(BriefingError, match="already a alias|already a source"):
        add_entry(path, "辉达", "Nvidia")
    assert path.read_bytes() == after
    assert load_glossary([path]).entries[-1].target == "NVIDIA"


def test_add_creates_a_new_file_with_header(tmp_path):
    path = tmp_path / "new.csv"
    add_entry(path, "OpenAI", "OpenAI", category="company")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows == [["source", "target", "aliases", "category", "note"], ["OpenAI", "OpenAI", "", "company", ""]]


def test_suggest_finds_the_bracketed_name_pairs_of_the_seeds():
    suggestions, problems = suggest(sorted(SEEDS.glob("*.txt")), Glossary())
    pairs = {(s.source, s.target) for s in suggestions}
    assert problems == []
    for pair in [("輝達", "NVIDIA"), ("超微", "AMD"), ("甲骨文", "Oracle"), ("亞灣超算", "Visionbay"),
                 ("循環融資", "circular financing"), ("東元西屋", "TECO Westinghouse"), ("中鼎集團", "CTCI")]:
        assert pair in pairs, pair
    example = next(s for s in suggestions if s.source == "輝達")
    assert "輝達（NVIDIA）" in example.example and example.count >= 2


def test_suggest_skips_what_the_glossary_has(seed_glossary):
    suggestions, _ = suggest(sorted(SEEDS.glob("*.txt")), seed_glossary)
    sources = {s.source for s in suggestions}
    assert "輝達" not in sources and "亞灣超算" not in sources
