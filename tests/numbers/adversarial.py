"""Adversarial figure sentences: loader and scorer (no tests here).

tests/data/numbers/adversarial_figures.tsv holds Taiwan news sentences whose figures a reader
can easily get wrong (shared scales, 多/餘 before the scale, 兆/千 as unit prefixes, tickers,
month/day slashes, 負 as "bear", idioms, 增加N倍, currencies after 元, mainland/Hong Kong 元,
dash minus signs, repeated figures) and the English a careful editor would enforce. Columns:
family, sentence, expected (JSON), note. `expected` has one entry per figure: a list of
acceptable English strings (house style first), or {"unsure": why} for a real figure whose
English the sentence does not settle, where enforcing anything is wrong. [] means no figure.

test_adversarial_data.py checks the file; the product's own test scores the figure reader with
`score`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "numbers" / "adversarial_figures.tsv"
HEADER = ("family", "sentence", "expected", "note")

# The families the issue names, one per trap; each has at least 20 cases, hard negatives included.
ISSUE_FAMILIES = (
    "range_scale",          # 約3至5千萬元: one scale shared by both ends
    "approx_scale",         # 3千多萬元 / 3百餘億元: 多/餘 before the scale
    "unit_prefix",          # 500兆瓦 / 0.36千克: 兆 as mega, 千 as kilo
    "ticker",               # 2886兆豐金: a ticker before a listed name
    "month_day",            # 5/10的記者會: month/day, not a fraction
    "sign_word",            # 須負7成 / 正負3%: 負 as "bear", 正負 as ±
    "idiom",                # 一成不變 / 八成 / 二元對立 / 千萬不要
    "times",                # 增加一倍 / 急增2.3倍: an increase by N x 100%
    "currency_after_yuan",  # 2,000億元人民幣: the currency after 元
    "yuan_context",         # bare 元 in a mainland or Hong Kong context
    "dash_minus",           # (–1.8%): en dash or U+2212 as a minus sign
    "shared_form",          # 7成多 and 7成: two figures need two matches
)
# Further families: precision kept, qualifier words, ordinary figures, names and years.
OTHER_FAMILIES = ("precision", "approx", "plain", "names_years")


class CaseError(ValueError):
    """The data file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Unsure:
    """A real figure whose English the sentence does not settle: enforce nothing."""

    why: str


# One expected figure: its acceptable English strings, or Unsure.
Entry = tuple[str, ...] | Unsure


@dataclass(frozen=True)
class Case:
    family: str
    sentence: str
    expected: tuple[Entry, ...]
    note: str
    line: int

    @property
    def known(self) -> int:
        """How many figures have a right English (a perfect reader's `right`)."""
        return sum(1 for entry in self.expected if not isinstance(entry, Unsure))


@dataclass(frozen=True)
class Score:
    """right + wrong = figures enforced; right + left = figures expected.

    `left` counts every expected figure nothing right was enforced for, Unsure ones included:
    for an Unsure figure that is the right outcome, so a perfect reader has wrong == 0 and
    left == the number of Unsure entries.
    """

    right: int
    wrong: int
    left: int


def load_cases(path: Path = DATA) -> list[Case]:
    """Every case of the file, validated; a bad line raises CaseError naming it."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise CaseError(f"{path}:1: header must be {' TAB '.join(HEADER)}")
    return [_case(raw, number, path) for number, raw in enumerate(lines[1:], 2)]


def _case(raw: str, number: int, path: Path) -> Case:
    where = f"{path}:{number}"
    fields = raw.split("\t")
    if len(fields) != len(HEADER):
        raise CaseError(f"{where}: {len(fields)} tab-separated fields, expected {len(HEADER)}")
    family, sentence, expected, note = fields
    for name, value in (("family", family), ("sentence", sentence), ("note", note)):
        if not value.strip():
            raise CaseError(f"{where}: empty {name}")
    return Case(family, sentence, parse_expected(expected, where), note, number)


def parse_expected(text: str, where: str = "expected") -> tuple[Entry, ...]:
    """The JSON `expected` column as entries; `where` prefixes any error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseError(f"{where}: expected is not JSON ({error.msg})") from None
    if not isinstance(data, list):
        raise CaseError(f"{where}: expected must be a JSON list, got {type(data).__name__}")
    return tuple(_entry(item, f"{where}: entry {i + 1}") for i, item in enumerate(data))


def _entry(item: object, where: str) -> Entry:
    if isinstance(item, dict):
        why = item.get("unsure")
        if set(item) != {"unsure"} or not isinstance(why, str) or not why.strip():
            raise CaseError(f'{where}: an object entry must be {{"unsure": "reason"}}')
        return Unsure(why)
    if not isinstance(item, list) or not item:
        raise CaseError(f"{where}: must be a non-empty list of acceptable strings or an unsure object")
    for text in item:
        if not isinstance(text, str) or not text or text != text.strip():
            raise CaseError(f"{where}: {text!r} is not a non-empty string without outer spaces")
    if len(set(item)) != len(item):
        raise CaseError(f"{where}: an acceptable string is listed twice")
    return tuple(item)


def score(enforced: Sequence[tuple[str, Sequence[str]]], expected: Sequence[Entry]) -> Score:
    """Compare what a reader enforced in one sentence, as (target, variants), with `expected`.

    An enforced figure is right when its target or a variant is an acceptable string of an
    expected figure, each expected figure answering for one enforced figure at most (so one
    "more than 70%" cannot stand for both 7成多 and 7成); the pairing is a maximum matching,
    so the order of `enforced` does not matter. Anything else enforced is wrong, including
    anything where the expectation is [] or Unsure.
    """
    fits = [[j for j, entry in enumerate(expected)
             if not isinstance(entry, Unsure) and ({target, *variants} & set(entry))]
            for target, variants in enforced]
    owner: dict[int, int] = {}  # expected index -> enforced index
    right = sum(1 for i in range(len(enforced)) if _augment(i, fits, owner, set()))
    return Score(right=right, wrong=len(enforced) - right, left=len(expected) - right)


def _augment(i: int, fits: list[list[int]], owner: dict[int, int], seen: set[int]) -> bool:
    """Kuhn's augmenting path: give enforced figure i an expected figure, moving others if need be."""
    for j in fits[i]:
        if j in seen:
            continue
        seen.add(j)
        if j not in owner or _augment(owner[j], fits, owner, seen):
            owner[j] = i
            return True
    return False
