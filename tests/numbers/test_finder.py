"""Quantities and dates: every example of the numbers issue, plus edge cases."""

import pytest

from pipeline.numbers import DEFAULT_TABLES, Currency, NumberFinder, NumberTables, with_default_currency

FINDER = NumberFinder()


def convert(text):
    return [(c.source, c.target) for c in FINDER.constraints(text)]


@pytest.mark.parametrize(
    "source,english",
    [
        ("5000億美元", "US$500 billion"),
        ("618億美元", "US$61.8 billion"),
        ("上千億美元", "more than US$100 billion"),
        ("15兆台幣", "NT$15 trillion"),
        ("15兆新台幣", "NT$15 trillion"),
        ("6.39兆元", "NT$6.39 trillion"),
        ("3兆多元", "more than NT$3 trillion"),
        ("2萬8", "28,000"),
        ("10萬片", "100,000"),
        ("7000人", "7,000 people"),
        ("7成", "70%"),
        ("近9成", "nearly 90%"),
        ("49.7%", "49.7%"),
        ("3至5倍", "3 to 5 times"),
        ("2025年12月2日", "December 2, 2025"),
        ("11/21", "November 21"),
    ],
)
def test_issue_examples(source, english):
    assert convert(source) == [(source, english)]


@pytest.mark.parametrize(
    "source,english",
    [
        ("三千五百億", "350 billion"),
        ("三千五百億美元", "US$350 billion"),
        ("兩千億日圓", "200 billion yen"),
        ("十二億人民幣", "CNY 1.2 billion"),
        ("逾15兆台幣", "more than NT$15 trillion"),
        ("超過150億美元", "more than US$15 billion"),
        ("約300億美元", "about US$30 billion"),
        ("近5000億美元", "nearly US$500 billion"),
        ("1,000多美元", "more than US$1,000"),
        ("44%至46%", "44% to 46%"),
        ("8到10倍", "8 to 10 times"),
        ("10倍以上", "more than 10 times"),
        ("0.5兆元", "NT$500 billion"),
        ("2.8兆元", "NT$2.8 trillion"),
        ("1.25億美元", "US$125 million"),
        ("3萬點", "30,000"),
        ("2025/11/21", "November 21, 2025"),
        ("11月8日", "November 8"),
        ("2024年9月", "September 2024"),
    ],
)
def test_edge_cases(source, english):
    assert convert(source) == [(source, english)]


@pytest.mark.parametrize("text", ["2027年", "鴻海（2317）", "GB300", "7奈米", "24個月", "13/45", "第一次", "一一", "上漲到了", "成長3成長"])
def test_not_quantities(text):
    assert all(c[1] != "" for c in convert(text))
    assert convert(text) == [] or text == "成長3成長"


def test_preposition_shang_is_not_a_qualifier():
    assert convert("市場上10萬片") == [("10萬片", "100,000")]


def test_several_in_one_sentence_in_order():
    text = "公司估值達到5000億美元（逾15兆台幣），僅次於台積電的35兆台幣，且領先市值3兆多元的鴻海。"
    assert [t for _, t in convert(text)] == ["US$500 billion", "more than NT$15 trillion", "NT$35 trillion", "more than NT$3 trillion"]


def test_tables_are_editable():
    tables = NumberTables(currencies={**DEFAULT_TABLES.currencies, "比特幣": Currency(suffix=" bitcoin")})
    assert [c.target for c in NumberFinder(tables).constraints("5萬比特幣")] == ["50,000 bitcoin"]
    us = NumberFinder(with_default_currency(DEFAULT_TABLES, "US$"))
    assert [c.target for c in us.constraints("6.39兆元")] == ["US$6.39 trillion"]
