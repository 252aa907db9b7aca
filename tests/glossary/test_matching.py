"""Glossary matching on word boundaries: a source inside a longer word is not the term.

The cases are the rows of issue 10's table (三星期後 / 超微型 / 德州儀器, tried with
the starter glossary) and lines of the seed articles (seeds/002: 經濟部長 is the
minister, not the ministry 經濟部).  The agreement with gold word boundaries is
measured on a public corpus in tests/glossary/test_words.py.
"""

import pytest

from pipeline.glossary import Glossary, GlossaryEntry
from pipeline.translate.normalise import Normaliser
from pipeline.translate.prepare import SentencePreparer

from tests.conftest import SEEDS

SAMSUNG = GlossaryEntry("三星", "Samsung")
AMD = GlossaryEntry("超微", "AMD")
TEXAS = GlossaryEntry("德州", "Texas")
MOEA = GlossaryEntry("經濟部", "Ministry of Economic Affairs")


def found(glossary, text):
    return [(m.surface, m.sure) for m in glossary.match(text)]


@pytest.mark.parametrize("text,expected", [
    ("三星期後再開會", [("三星", False)]),  # three weeks
    ("三星與台積電競爭", [("三星", True)]),
    ("超微型電腦", [("超微", False)]),  # ultra-micro
    ("超微今天發表新晶片", [("超微", True)]),
    ("德州儀器今年營收", [("德州", False)]),  # Texas Instruments
    ("台積電在美國德州設廠", [("德州", True)]),
])
def test_a_source_inside_a_longer_word_is_unsure(text, expected):
    assert found(Glossary([SAMSUNG, AMD, TEXAS]), text) == expected


def test_the_reason_quotes_the_word_as_the_author_wrote_it():
    (match,) = Glossary([TEXAS]).match("德州儀器今年營收")
    assert match.reason == "part of the name 德州儀器"
    (match,) = Glossary([AMD]).match("超微型電腦")
    assert match.reason == "cuts the word 微型"


def test_the_longer_entry_wins_when_it_is_in_the_glossary():
    ti = GlossaryEntry("德州儀器", "Texas Instruments")
    assert [(m.entry.target, m.sure) for m in Glossary([TEXAS, ti]).match("德州儀器今年營收")] == [
        ("Texas Instruments", True)]


def test_not_in_words_are_no_match_at_all():
    samsung = GlossaryEntry("三星", "Samsung", not_in=("三星期", "三星級"))
    g = Glossary([samsung])
    assert found(g, "三星期後入住三星級飯店") == []
    assert found(g, "三星今天宣布") == [("三星", True)]


def test_match_always_skips_the_word_test():
    g = Glossary([GlossaryEntry("德州", "Texas", match="always")])
    assert found(g, "德州儀器今年營收") == [("德州", True)]


def test_a_minister_is_not_the_ministry_in_a_seed_line():
    line = next(ln for ln in (SEEDS / "002_d48d952807cdddd3.txt").read_text(encoding="utf-8").splitlines()
                if "現任經濟部長龔明鑫" in ln)
    matches = [m for m in Glossary([MOEA]).match(line) if m.surface == "經濟部"]
    assert matches and all(not m.sure and m.reason == "part of the word 經濟部長" for m in matches)


def test_latin_and_mixed_terms_keep_their_ascii_rule():
    g = Glossary([GlossaryEntry("AI", "AI"), GlossaryEntry("生成式AI", "generative AI")])
    assert found(g, "OpenAI推出生成式AI服務，AI需求強勁") == [("生成式AI", True), ("AI", True)]


def test_an_unsure_term_is_shown_but_not_enforced():
    p = SentencePreparer(Normaliser(), Glossary([SAMSUNG, TEXAS])).prepare("三星期後，德州與三星簽約。")
    assert [(t.source, t.target, bool(t.unsure), t.enforced) for t in p.terms] == [
        ("三星", "Samsung", True, False), ("德州", "Texas", False, True), ("三星", "Samsung", False, True)]
    assert [forms[0] for forms in p.request.constraints] == ["Texas", "Samsung"]
    assert p.request.text.startswith("三星期后")  # the model reads the Chinese it was not told about


def test_the_seed_glossary_judges_every_seed_line_quickly(seed_glossary):
    """All five seeds, each line with its article as context: matches keep their offsets,
    and only the minister lines are unsure."""
    unsure = set()
    for path in sorted(SEEDS.glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        for line in article.splitlines():
            for m in seed_glossary.match(line, context=article):
                assert line[m.start:m.end] == m.surface
                if not m.sure:
                    unsure.add((m.surface, m.reason))
    assert unsure == {("經濟部", "part of the word 經濟部長"), ("行政院", "part of the word 行政院長")}


def test_an_unsure_term_reaches_the_reviewer_as_a_term_unsure_flag(tiny_translator):
    from pipeline.translate.sentences import SentenceTranslator

    preparer = SentencePreparer(Normaliser(), Glossary([SAMSUNG]))
    (result,) = SentenceTranslator(preparer, tiny_translator).translate(["三星期後再開會。"])
    assert [(f.name, f.reason) for f in result.flags if f.name == "term-unsure"] == [
        ("term-unsure", "term not enforced, check it: Samsung for “三星” (part of the word 三星期)")]


def test_a_lone_surrogate_next_to_a_term_does_not_crash_the_segmenter():
    # ingest replaces them, but Glossary.match is public; the segmenter is Rust and takes only valid UTF-8
    assert found(Glossary([SAMSUNG]), "\ud800三星期後") == [("三星", False)]
    assert found(Glossary([SAMSUNG]), "\udfff三星今天") == [("三星", True)]
