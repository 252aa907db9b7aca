"""Fuzzy matches: the nearest human unit at 75% or more, its differences marked."""

import pytest
from rapidfuzz import fuzz

from pipeline.translate.fuzzy import FuzzyIndex, mark_differences
from pipeline.translate.memory import HumanEntry, human_source

from tests.conftest import seed_paths


def _entry(source, english="E."):
    return HumanEntry(source, (), english)


def _seed_sentences(limit=400):
    from pipeline.ingest.readers import read_input

    out = []
    for path in seed_paths():
        article = read_input(path, 10**7)
        out += [s for b in article.blocks for s in b.sentences if len(s) >= 12]
    return list(dict.fromkeys(out))[:limit]


def test_a_near_unit_is_found_scored_and_its_differences_marked():
    index = FuzzyIndex([_entry("鴻海周五（11/21）一大早與OpenAI共同宣布合作。", "Hon Hai and OpenAI announced."),
                        _entry("台積電營收成長。", "TSMC revenue grew.")])
    match = index.best("鴻海周四（11/20）一大早與OpenAI共同宣布合作。")
    assert match is not None and match.entry.translation == "Hon Hai and OpenAI announced."
    assert match.score == pytest.approx(fuzz.ratio(human_source("鴻海周五（11/21）一大早與OpenAI共同宣布合作。"),
                                                   human_source("鴻海周四（11/20）一大早與OpenAI共同宣布合作。")))
    assert match.marked_source == "鴻海周[五][+四]（11/2[1][+0]）一大早與OpenAI共同宣布合作。"
    assert match.comment().startswith(f"TM {int(match.score)}%: Hon Hai and OpenAI announced.\n")


@pytest.mark.parametrize("query,found", [
    ("台積電營收大幅成長。", True),        # 2 characters more of 10: 89%
    ("台積電營收成長了。", True),
    ("台積電營收衰退。", True),            # 2 of 8 changed: 4 insertions/deletions of 16 characters, exactly 75%
    ("台積電營收衰退了。", False),          # and one more: 70.6%
    ("聯發科營收衰退了。", False),
    ("完全不同的一句話。", False),
])
def test_the_threshold_is_seventy_five_percent(query, found):
    stored = "台積電營收成長。"
    index = FuzzyIndex([_entry(stored)])
    score = fuzz.ratio(human_source(stored), human_source(query))
    assert (score >= 75) == found  # the case is what it says
    assert (index.best(query) is not None) == found


def test_an_exact_match_or_a_spelling_variant_is_no_fuzzy_match():
    index = FuzzyIndex([_entry("台積電營收成長。")])
    assert index.best("台積電營收成長。") is None
    assert index.best("臺積電 營收成長。") is None  # the same sentence for the memory: the run uses it as is
    assert mark_differences("臺積電營收成長。", "台積電營收大幅成長。") == "臺積電營收[+大幅]成長。"  # 臺/台 no difference


def test_ties_go_to_the_newest_unit_and_an_empty_index_finds_nothing():
    index = FuzzyIndex([_entry("台積電營收成長。", "old"), _entry("台積電營收成長！", "new")])
    assert index.best("台積電營收成長了").entry.translation == "new"
    assert FuzzyIndex([]).best("台積電營收成長。") is None


def test_the_index_finds_what_scoring_every_unit_finds_on_seed_sentences():
    """The bigram filter against brute force: units are seed sentences, queries the same
    sentences with a few characters changed; the index must find a unit as good as the best."""
    sentences = _seed_sentences()
    units = [_entry(s) for s in sentences]
    index = FuzzyIndex(units, common=0.02)
    texts = [human_source(s) for s in sentences]
    checked = 0
    for n, s in enumerate(sentences[::7]):
        query = s[:3] + "某某" + s[5:-4] + "表示。"  # edits at both ends
        best = max(fuzz.ratio(human_source(query), t) for t in texts)
        match = index.best(query)
        if best >= 75 and human_source(query) not in texts:
            checked += 1
            assert match is not None and match.score == pytest.approx(best), query
        elif best < 75:
            assert match is None
    assert checked >= 20
