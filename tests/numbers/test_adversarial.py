"""The figure reader over the adversarial sentences: no figure is ever enforced wrong.

tests/data/numbers/adversarial_figures.tsv (see tests/numbers/adversarial.py) gives, per
sentence, the English a careful editor would enforce for each figure, or says that no
English can be sure.  tests/data/numbers/review_figures.tsv holds, in the same form, the
sentences an adversarial review of the reader (2026-11-30) found read wrong, with the
reading the fix gives (checked by hand): a regression must not bring one back.  A figure the reader enforces must be one of those; a figure it leaves
unsure is not wrong.  How many are right and how many left unsure:

    .venv/bin/python -m tests.numbers.test_adversarial
"""

from collections import Counter

import pytest

from pipeline.numbers import NumberFinder
from tests.numbers.adversarial import DATA, load_cases, score

CASES = load_cases() + load_cases(DATA.with_name("review_figures.tsv"))
FINDER = NumberFinder()


def scored(case):
    enforced = [(c.target, tuple(c.variants)) for c in FINDER.constraints(case.sentence) if c.enforced]
    return enforced, score(enforced, case.expected)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.family}:{c.line}" for c in CASES])
def test_no_figure_is_enforced_wrong(case):
    enforced, result = scored(case)
    assert result.wrong == 0, (case.sentence, [t for t, _ in enforced], case.expected, case.note)


def test_most_figures_are_still_read():
    """A reader that enforced nothing would pass the test above: it must also read."""
    right = sum(scored(case)[1].right for case in CASES)
    known = sum(case.known for case in CASES)
    assert right >= 0.75 * known, (right, known)


def main() -> None:
    totals: Counter = Counter()
    per_family: dict[str, Counter] = {}
    for case in CASES:
        result = scored(case)[1]
        for counter in (totals, per_family.setdefault(case.family, Counter())):
            counter.update(right=result.right, wrong=result.wrong, left=result.left, cases=1)
    print(f"{'family':<22}{'cases':>6}{'right':>7}{'wrong':>7}{'unsure':>8}")
    for family, c in sorted(per_family.items()):
        print(f"{family:<22}{c['cases']:>6}{c['right']:>7}{c['wrong']:>7}{c['left']:>8}")
    print(f"{'all':<22}{totals['cases']:>6}{totals['right']:>7}{totals['wrong']:>7}{totals['left']:>8}")


if __name__ == "__main__":
    main()
