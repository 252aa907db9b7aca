"""Dates, and a slash that is a date or a fraction."""

import pytest

from pipeline.numbers import NumberFinder

FINDER = NumberFinder()


@pytest.mark.parametrize(
    "text,source,target,value",
    [
        ("2025年12月2日", "2025年12月2日", "December 2, 2025", "2025-12-02"),
        ("2024年9月", "2024年9月", "September 2024", "2024-09"),
        ("11月8日", "11月8日", "November 8", "--11-08"),
        ("鴻海周五（11/21）一大早", "11/21", "November 21", "--11-21"),  # seeds/000 line 17
        ("於3/4舉行", "3/4", "March 4", "--03-04"),  # a date word beside it
        ("3/4起實施", "3/4", "March 4", "--03-04"),
        ("約占1/3", "約占1/3", "about one third", "1/3"),  # a fraction word beside it, and its "about"
        ("僅剩2/3的", "2/3", "two thirds", "2/3"),
        ("2025/3/4", "2025/3/4", "March 4, 2025", "2025-03-04"),
    ],
)
def test_dates_and_fractions(text, source, target, value):
    [c] = FINDER.constraints(text)
    assert (c.source, c.target, c.value) == (source, target, value)


def test_a_bare_small_slash_is_unsure():
    [c] = FINDER.constraints("比例為 3/4")  # 為 reads as a fraction
    assert c.target == "three quarters"
    [c] = FINDER.constraints("3/4")
    assert c.target is None and "a date (March 4) or a fraction" in c.unsure


def test_day_month_order_is_accepted():
    [c] = FINDER.constraints("1940 年 8 月 15 日")
    assert c.target == "August 15, 1940" and "15 August 1940" in c.variants


@pytest.mark.parametrize("text,target,value", [
    ("6月1日至2日", "June 1-2", "--06-01 to --06-02"),  # HKMA 2016 line 53: the reference writes 1–2 June
    ("10月24日到25日", "October 24-25", "--10-24 to --10-25"),
    ("2018年5月3日至5日", "May 3-5, 2018", "2018-05-03 to 2018-05-05"),
    ("3月1至3日", "March 1-3", "--03-01 to --03-03"),
])
def test_a_span_of_days_is_one_date(text, target, value):
    [c] = FINDER.constraints(text)
    assert (c.source, c.target, c.value) == (text, target, value)
    assert any(v.endswith("June") or v[0].isdigit() for v in c.variants)


def test_a_span_ending_before_it_starts_is_no_span():
    assert [c.target for c in FINDER.constraints("6月5日至2日")] == ["June 5"]
