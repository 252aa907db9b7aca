"""The English figure reader: what a reference translation states, as exact values with kind and unit.

Cases are our own (many from the HKMA and FLORES-200 references' styles, written
anew), plus the English phrases of numerizer's test suite (MIT, cited in
tests/data/figure_audit/SOURCE.md).
"""

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from devtools.english_figures import currency_code, english_sentences, named_currencies, read_figures
from tests.conftest import NO_SHARED, SHARED

DATA = Path(__file__).resolve().parents[1] / "data" / "figure_audit"


def figures(text):
    """The figures of text, range ends read alone left out."""
    return [f for f in read_figures(text) if not f.in_range]


def one(text):
    found = figures(text)
    assert len(found) == 1, f"{text!r}: {found}"
    return found[0]


def value(text):
    f = one(text)
    return f.value if f.high is None else (f.value, f.high)


F = Fraction


@pytest.mark.parametrize("text,expected", [
    ("1,234.5", F("1234.5")), ("23,456", 23456), ("0.82", F("0.82")), ("12345", 12345), ("7.80", F("7.8")),
    ("3.5 billion", 3_500_000_000), ("1.2 trillion", 1_200_000_000_000), ("120 million", 120_000_000),
    ("10,000 million", 10**10), ("3,618.7 billion", 3_618_700_000_000), ("15 thousand", 15000),
    ("half a million", 500_000), ("half a billion", 500_000_000), ("two million", 2_000_000), ("a million", 10**6),
    ("a hundred", 100), ("a thousand", 1000), ("a dozen", 12), ("two dozen", 24), ("ten", 10), ("twenty-five", 25),
    ("one and a half million", 1_500_000), ("two and a half", F(5, 2)), ("one-hundred", 100),
    ("three hundred and five thousand", 305_000), ("2.58 million", 2_580_000),
])
def test_amounts(text, expected):
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("amount", expected, "")


@pytest.mark.parametrize("text,expected,unit", [
    ("HK$1.2 trillion", 1_200_000_000_000, "HK$"), ("US$3bn", 3 * 10**9, "US$"), ("NT$250 billion", 25 * 10**10, "NT$"),
    ("RMB625.1 billion", 625_100_000_000, "CNY"), ("RMB 5 billion", 5 * 10**9, "CNY"), ("CNY 12 million", 12 * 10**6, "CNY"),
    ("100 million yuan", 10**8, "CNY"), ("3 billion renminbi", 3 * 10**9, "CNY"), ("€2.5 billion", 2_500_000_000, "EUR"),
    ("5 million euros", 5 * 10**6, "EUR"), ("¥7,000", 7000, "¥"), ("300 billion yen", 3 * 10**11, "JPY"),
    ("£3 billion", 3 * 10**9, "GBP"), ("5 billion dollars", 5 * 10**9, "$"), ("$40", 40, "$"),
    ("3 billion Hong Kong dollars", 3 * 10**9, "HK$"), ("one US dollar", 1, "US$"), ("2 million US dollars", 2 * 10**6, "US$"),
    ("USD 5 million", 5 * 10**6, "US$"), ("5 million USD", 5 * 10**6, "US$"), ("RMB5m", 5 * 10**6, "CNY"),
    ("HK$7.85", F("7.85"), "HK$"), ("S$10 million", 10**7, "SGD"), ("800 billion won", 8 * 10**11, "KRW"),
    ("NT$1.2 trillion", 1_200_000_000_000, "NT$"), ("10 billion New Taiwan dollars", 10**10, "NT$"),
])
def test_currencies(text, expected, unit):
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("amount", expected, unit)


@pytest.mark.parametrize("text,expected", [
    ("12%", 12), ("12 percent", 12), ("12 per cent", 12), ("12.5 pct", F("12.5")), ("49.7 %", F("49.7")),
    ("eighty percent", 80), ("thirty percent", 30), ("one-hundred percent", 100), ("0.82%", F("0.82")),
    ("109.3–111.0%", (F("109.3"), 111)), ("3% to 5%", (3, 5)), ("3-5%", (3, 5)), ("3–5 per cent", (3, 5)),
    ("between 3 and 5%", (3, 5)), ("106.3–107.5%", (F("106.3"), F("107.5"))),
])
def test_percentages(text, expected):
    f = one(text)
    assert f.kind == "percent"
    assert (f.value if f.high is None else (f.value, f.high)) == expected


@pytest.mark.parametrize("text,kind,expected,unit", [
    ("105 basis points", "points", 105, "bp"), ("50bps", "points", 50, "bp"), ("2 percentage points", "points", 2, "pp"),
    ("3 times", "times", 3, ""), ("three times", "times", 3, ""), ("twice", "times", 2, ""), ("doubled", "times", 2, ""),
    ("tripled", "times", 3, ""), ("threefold", "times", 3, ""), ("3-fold", "times", 3, ""), ("11 times", "times", 11, ""),
    ("halved", "times", F(1, 2), ""), ("100 MW", "amount", 100, "MW"), ("3 megawatts", "amount", 3, "MW"),
    ("5nm", "amount", 5, "nm"), ("19,500 km²", "amount", 19500, "km²"), ("2 GHz", "amount", 2, "GHz"),
    ("a third", "fraction", F(1, 3), ""), ("one-third", "fraction", F(1, 3), ""), ("two-thirds", "fraction", F(2, 3), ""),
    ("three quarters", "fraction", F(3, 4), ""), ("a quarter of", "fraction", F(1, 4), ""), ("1/3", "fraction", F(1, 3), ""),
    ("half of the banks", "fraction", F(1, 2), ""), ("one fifth", "fraction", F(1, 5), ""),
])
def test_other_kinds(text, kind, expected, unit):
    f = one(text)
    assert (f.kind, f.value, f.unit) == (kind, expected, unit)


@pytest.mark.parametrize("text,qualifier", [
    ("about 10%", "about"), ("around 10%", "about"), ("approximately 10%", "about"), ("roughly 10%", "about"),
    ("some HK$1 trillion", "about"), ("10,000 or so", "about"), ("an estimated 3 million", "about"),
    ("nearly 4 million people", "nearly"), ("almost 4 million", "nearly"), ("close to 4 million", "nearly"),
    ("more than 70%", "more than"), ("over 70%", "more than"), ("above 8%", "more than"), ("in excess of HK$1 billion", "more than"),
    ("10,000+ visitors", "more than"), ("10,000-plus", "more than"), ("up to 27%", "up to"), ("as much as US$5 billion", "up to"),
    ("as many as 500 people", "up to"), ("less than 1%", "less than"), ("fewer than 100", "less than"), ("under 5%", "less than"),
    ("at least 20%", "at least"), ("20% or more", "at least"), ("70%", ""), ("more than triple", "more than"),
])
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


@pytest.mark.parametrize("text,expected,direction", [
    ("-1.8%", F("-1.8"), ""), ("−1.8%", F("-1.8"), ""), ("minus 1.8%", F("-1.8"), ""), ("negative 2%", -2, ""),
    ("(-3%)", -3, ""), ("-HK$5 billion", -5 * 10**9, ""), ("-NT$0.5", F("-0.5"), ""),
    # a word that says which way leaves the value as written: "a fall of 1.8%" is 1.8, going down
    ("a fall of 1.8%", F("1.8"), "down"), ("fell 1.8%", F("1.8"), "down"), ("an 11.3% fall in income", F("11.3"), "down"),
    ("a negative rate of return of 2.4%", F("2.4"), "down"), ("rose 3%", 3, "up"), ("up by 6% to RMB657.7 billion", 6, "up"),
    ("a 10% drop", 10, "down"), ("grew 5%", 5, "up"),
])
def test_signs_and_directions(text, expected, direction):
    f = figures(text)[0]
    assert (f.value, f.direction) == (expected, direction)


def test_a_dash_between_numbers_is_a_range_not_a_minus():
    f = one("3-5%")
    assert (f.value, f.high) == (3, 5)
    assert [x.value for x in figures("HK$7.75-7.85")] == [F("7.75")]


@pytest.mark.parametrize("text,date,qualifier", [
    ("10 May", "--05-10", ""), ("May 10", "--05-10", ""), ("May 10, 2018", "2018-05-10", ""),
    ("10 May 2018", "2018-05-10", ""), ("May 2018", "2018-05", ""), ("the 10th of May", "--05-10", ""),
    ("Sept. 5", "--09-05", ""), ("4th July 1776", "1776-07-04", ""), ("the 6th October 1789", "1789-10-06", ""),
    ("December 31, 2016", "2016-12-31", ""), ("end-2018", "2018", "end"), ("end of 2018", "2018", "end"),
    ("mid-2018", "2018", "mid"), ("early 2019", "2019", "early"), ("end-June 2018", "2018-06", "end"),
    ("# 12 APR", "--04-12", ""), ("since october 1998", "1998-10", ""), ("in March", "--03", ""),
])
def test_dates(text, date, qualifier):
    f = one(text)
    assert (f.kind, f.date, f.qualifier) == ("date", date, qualifier)


def test_a_span_of_days_is_both_days():
    found = read_figures("# 1–2 June")
    assert [f.date for f in found] == ["--06-01", "--06-02"] and all(f.in_range for f in found)
    assert [f.date for f in read_figures("June 1–2, 2018")] == ["2018-06-01", "2018-06-02"]


def test_a_date_takes_the_year_of_the_date_it_runs_to():
    assert [f.date for f in read_figures("from 24 August to 5 September 2021")] == ["2021-08-24", "2021-09-05"]
    assert [f.date for f in read_figures("on 24 August, and in 2021") if f.kind == "date"] == ["--08-24"]


def test_years_are_years_not_amounts():
    assert [(f.kind, f.value) for f in figures("in 2016 and 2018")] == [("year", 2016), ("year", 2018)]
    assert [(f.kind, f.value) for f in figures("from 2016-2018")] == [("year", 2016), ("year", 2018)]


@pytest.mark.parametrize("text", [
    "May I ask", "we march on", "COVID-19", "G20", "5G", "A16 chips", "the 10th anniversary", "the third quarter",
    "a third consecutive year", "the first half", "the second half of the year", "11/02/2007", "at 7:30", "05/06",
    "double-digit growth", "pennyweight", "the fourth", "Basel III", "H1",
])
def test_not_figures(text):
    assert [f for f in read_figures(text) if f.kind not in ("year",)] == []


def test_a_range_stated_with_words_also_gives_each_end():
    found = read_figures("from 3% to 5%")
    assert [(f.value, f.high, f.in_range) for f in found] == [(3, 5, False), (3, None, True), (5, None, True)]
    assert found[0].range_words == "from-to"
    low, high = read_figures("US$300-500 million")[0].value, read_figures("US$300-500 million")[0].high
    assert (low, high) == (3 * 10**8, 5 * 10**8) and read_figures("US$300-500 million")[0].unit == "US$"
    assert [(f.value, f.high, f.unit) for f in figures("HK$7.75 to HK$7.85")] == [(F("7.75"), F("7.85"), "HK$")]


def test_figures_of_different_kinds_are_no_range():
    found = figures("fell 20.3% to 2,500")
    assert [(f.kind, f.value, f.high) for f in found] == [("percent", F("20.3"), None), ("amount", 2500, None)]


def test_spans_are_the_text_as_written():
    text = "The fund gained HK$103.5 billion, about 10%, on 10 May 2018."
    for f in read_figures(text):
        assert text[f.start:f.end] == f.text
    assert [f.text for f in read_figures(text)] == ["HK$103.5 billion", "10%", "10 May 2018"]


def _numerizer_cases():
    for line in (DATA / "numerizer_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            phrase, expected = line.split("\t")
            yield phrase, Fraction(expected)


@pytest.mark.parametrize("phrase,expected", list(_numerizer_cases()))
def test_numerizer_phrases(phrase, expected):
    """numerizer's test phrases (MIT; tests/data/figure_audit/SOURCE.md), read as values."""
    assert one(phrase).value == expected


@pytest.mark.parametrize("text", ["pennyweight", "11/02/2007", "05/06", "27 Oct 2006 7:30am"])
def test_numerizer_phrases_without_an_amount(text):
    assert [f.kind for f in read_figures(text)] in ([], ["date"])


def test_currency_codes_and_names():
    assert [currency_code(x) for x in ("US$", "USD", "RMB", "yuan", "yen", "€", "HKD", "pesos")] == \
        ["US$", "US$", "CNY", "CNY", "JPY", "EUR", "HK$", ""]
    assert named_currencies("HK$7.85 against the USD, in renminbi") == {"HK$", "US$", "CNY"}
    assert named_currencies("one US dollar and Hong Kong dollars") == {"US$", "HK$"}


def test_sentences_split_after_stops_not_abbreviations():
    text = "The U.S. economy grew 2.9%. Rates rose in Sept. 2018 by 25 bps! No. 3 is next. HK$1.2 bn was raised."
    spans = [text[s:e].strip() for s, e in english_sentences(text)]
    assert spans == ["The U.S. economy grew 2.9%.", "Rates rose in Sept. 2018 by 25 bps!", "No. 3 is next.",
                     "HK$1.2 bn was raised."]


_FIGURE_ALPHABET = st.sampled_from(list("0123456789,.-–−%$€£¥/ +()") + [
    " million", " billion", " percent", " per cent", " to ", " and ", "HK", "US", "RMB", " half", " a ", " third",
    " May ", " March ", " 2018", " over ", " about ", " twice", " twenty", "-five", " hundred", "th", " of ", "bn"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_FIGURE_ALPHABET, max_size=30).map("".join))
def test_any_text_reads_without_error_and_spans_are_the_text(text):
    for f in read_figures(text):
        assert text[f.start:f.end] == f.text and f.kind
        assert f.high is None or f.value is not None


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason=NO_SHARED)
def test_every_shared_reference_reads_without_error():
    for path in sorted((SHARED / "eval").glob("*/*.en")) + sorted((SHARED / "eval").glob("*/*.eng_Latn")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for f in read_figures(line):
                assert line[f.start:f.end] == f.text
