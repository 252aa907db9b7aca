"""Numeral values, checked on cn2an's own test cases (tests/data/numbers/cn2an_cases.tsv, MIT; see SOURCE.md).

Each case is read inside a sentence by the whole finder: the value must be the
upstream value, and the English must say the same amount (read back here with
an independent parser of "NT$1.2 million").
"""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.numbers import NumberFinder
from pipeline.numbers.parse import fold, read_value

DATA = Path(__file__).resolve().parents[1] / "data" / "numbers"
CASES = list(csv.DictReader((DATA / "cn2an_cases.tsv").open(encoding="utf-8"), delimiter="\t"))
FINDER = NumberFinder()
_SCALES = {"trillion": 10**12, "billion": 10**9, "million": 10**6, "": 1}


def in_a_sentence(expression: str) -> str:
    return "金額為" + expression + ("" if expression[-1] in "元圓整正角分" else "元")


def english_amount(target: str) -> Decimal:
    m = re.fullmatch(r"(-?)NT\$([\d,]+(?:\.\d+)?)(?: (trillion|billion|million))?", target)
    assert m, target
    return Decimal(m[1] + m[2].replace(",", "")) * _SCALES[m[3] or ""]


def test_the_table_is_large_and_cited():
    assert len(CASES) >= 150
    assert all(row["block"].startswith(("cn2an/cn2an_test.py:", "cn2an/an2cn_test.py:")) for row in CASES)


@pytest.mark.parametrize("row", CASES, ids=[f"{r['block'].split(':')[1]}:{r['expression']}" for r in CASES])
def test_cn2an_cases(row):
    found = FINDER.constraints(in_a_sentence(row["expression"]))
    if row["expected"] == "none":
        assert found == [], row["note"]
        return
    [figure] = found
    assert figure.value == row["expected"] and figure.unit == "NT$"
    assert english_amount(figure.target) == Decimal(row["expected"])


@pytest.mark.parametrize(
    "numeral,value",
    [
        ("1億2千萬", 120000000), ("2萬3456", 23456), ("2千5百億", 250000000000), ("3.5萬", 35000),
        ("1萬2500", 12500), ("2萬8", 28000), ("1億2", 120000000), ("15兆", 15 * 10**12), ("0.5兆", 5 * 10**11),
        ("1兆2千億", 12 * 10**11), ("1,000萬", 10**7), ("兩千億", 2 * 10**11), ("貳拾萬", 200000),
        ("一百二十萬零五百", 1200500), ("三點五", Decimal("3.5")), ("千萬", 10**7),
    ],
)
def test_mixed_numerals(numeral, value):
    assert read_value(numeral) == value


@pytest.mark.parametrize("numeral", ["萬一", "一一", "二〇二五", "兆", "億萬"])
def test_words_and_codes_have_no_value(numeral):
    assert read_value(numeral) is None


def test_full_width_characters_fold_one_to_one():
    text = "成長１２．５％，約－３"
    assert fold(text) == "成長12.5%，約-3" and len(fold(text)) == len(text)
    assert [c.target for c in FINDER.constraints(text)] == ["12.5%"]
