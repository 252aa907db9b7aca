"""Do glossary matches fall on gold word boundaries?  Measured on a public corpus.

tests/data/segmentation/zh_hk-ud-test.words.txt is the gold segmentation of
UD_Chinese-HK (Traditional Chinese; Leung & Wong, City University of Hong Kong;
CC BY-SA 4.0; see SOURCE.md there).  The protocol is devtools/segmentation_eval.py's:
a seeded sample of gold word types plays the glossary, the product's matcher
runs on the unsegmented sentences, and a match counts when it starts and ends on
gold boundaries.  The larger SIGHAN 2005 Academia Sinica figures are in the README
(that corpus may not be redistributed).
"""

import json
from pathlib import Path

import pytest

from devtools.segmentation_eval import read_gold, score, term_lists

GOLD = Path(__file__).resolve().parents[1] / "data" / "segmentation" / "zh_hk-ud-test.words.txt"


@pytest.fixture(scope="module")
def results():
    sentences = read_gold(GOLD)
    assert len(sentences) == 1004
    out = {}
    for list_name, terms in term_lists(sentences, 1000, 0).items():
        for s in score(sentences, terms, list_name):
            out[list_name, s.method] = s
    return out


@pytest.mark.parametrize("terms", ["uniform", "ambiguous"])
def test_word_boundary_matching_reaches_95_percent_precision_and_recall(results, terms):
    ours = results[terms, "word-boundary"]
    assert ours.gold_occurrences > 300 and ours.matches > 300
    assert ours.precision >= 0.95 and ours.recall >= 0.95, (ours.precision, ours.recall)


def test_it_is_the_word_test_that_gives_the_precision(results):
    substring, ours = results["ambiguous", "substring"], results["ambiguous", "word-boundary"]
    assert substring.precision < 0.90 < 0.95 <= ours.precision
    assert ours.unsure > 50  # the difference is reported, not silently dropped


def test_the_devtools_command_prints_both_methods(capsys, tmp_path):
    from devtools.segmentation_eval import main

    assert main([str(GOLD), "--terms", "50", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["terms"], r["method"]) for r in rows} == {
        (t, m) for t in ("uniform", "ambiguous") for m in ("substring", "word-boundary")}
    assert main([str(tmp_path / "missing.txt")]) == 2
