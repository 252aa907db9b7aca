"""Figures in real news lines.

- seeds/ (the five Taiwan news articles the product ships): every line, every figure,
  expected in tests/data/numbers/seed_figures.tsv as source|English|value|unit, checked by hand
  against the article; a line not listed has no figure.
- FLORES-200 devtest, Taiwanese Mandarin lines with their human English reference
  (tests/data/numbers/flores200_devtest_lines.tsv, CC-BY-SA-4.0, see SOURCE.md): the values,
  and every enforced figure present in the reference in one of its accepted forms.
"""

import csv
from pathlib import Path

import pytest

from pipeline.numbers import NumberFinder
from pipeline.translate.presence import is_present

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "numbers"
FINDER = NumberFinder()


def _rows(name):
    return list(csv.DictReader((DATA / name).open(encoding="utf-8"), delimiter="\t"))


def _split(expected: str) -> list[tuple[str, ...]]:
    """source|English|value|unit per figure; English "-" for a figure left unsure (nothing enforced)."""
    if expected == "none":
        return []
    return [tuple(None if i == 1 and field == "-" else field for i, field in enumerate(part.split("|")))
            for part in expected.split(" ;; ")]


SEED_EXPECTED = {(r["seed"], int(r["line"])): _split(r["expected"]) for r in _rows("seed_figures.tsv")}
SEED_LINES = [(p.name, n, line) for p in sorted((ROOT / "seeds").glob("*.txt"))
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)]


@pytest.mark.parametrize("seed,number,line", SEED_LINES, ids=[f"{s}:{n}" for s, n, _ in SEED_LINES])
def test_seed_lines(seed, number, line):
    found = [(c.source, c.target, c.value, c.unit) for c in FINDER.constraints(line)]
    assert found == SEED_EXPECTED.get((seed, number), [])


def test_the_seed_table_is_not_empty():
    assert sum(len(v) for v in SEED_EXPECTED.values()) >= 50


FLORES = _rows("flores200_devtest_lines.tsv")


@pytest.mark.parametrize("row", FLORES, ids=[f"flores-devtest:{r['line']}" for r in FLORES])
def test_flores_lines(row):
    found = FINDER.constraints(row["zho_Hant"])
    assert [(c.source, c.value, c.unit, "enforced" if c.enforced else "unsure") for c in found] == _split(row["expected"])
    for c in found:
        if c.enforced:
            assert is_present(c.target, row["eng_Latn"], c.variants), (c.target, c.variants)
