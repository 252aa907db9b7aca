"""The one presence test: boundary-aware, variants, sentence-initial capitals."""

from __future__ import annotations

import pytest

from pipeline.translate.presence import accepted_forms, count_present, find_spans, is_present, mark_spans


@pytest.mark.parametrize(
    "english, translation, count",
    [
        # word boundaries: a name inside a longer word is not the name
        ("AI", "OpenAI and xAI", 0),
        ("AI", "AI chips", 1),
        ("AI", "AI-driven demand", 1),
        ("TSMC", "(TSMC)", 1),
        ('TSMC', '"TSMC" said', 1),
        ("TSMC", "TSMCtt", 0),
        ("TSMC", "TSMC and TSMC", 2),
        # figures do not continue figures (the 70% inside 170%)
        ("70%", "revenue up 70%, net profit up 170%", 1),
        ("70%", "net profit up 170%", 0),
        ("3,456", "closed at 23,456 points", 0),
        ("3,456", "closed at 3,456 points", 1),
        ("5", "5.5 times", 0),
        ("1.5", "21.5", 0),
        ("NT$250 billion", "capex of NT$250 billion.", 1),
        ("NT$25 billion", "capex of NT$250 billion.", 0),
        # a sign changes the figure
        ("3.5%", "fell -3.5% year on year", 0),
        ("-3.5%", "fell -3.5% year on year", 1),
        ("NT$0.5", "EPS was -NT$0.5", 0),
        ("3.5%", "rose 3-3.5%", 1),  # a hyphenated range is not a sign
        # sentence-initial capital of a lower-case target
        ("more than", "More than half", 1),
        ("data center", "data centers", 0),
    ],
)
def test_count_present(english, translation, count):
    assert count_present(english, translation) == count
    assert is_present(english, translation) == (count > 0)


def test_variants_count_and_never_overlap():
    assert count_present("data center", "two data centers and a data center", ["data centers"]) == 2
    assert find_spans("data center", "data centers", ["data centers"]) == [(0, 12)]


def test_accepted_forms_longest_first_with_capitals():
    assert accepted_forms("data center", ["data centers"]) == ("data centers", "Data centers", "data center", "Data center")
    assert accepted_forms("TSMC") == ("TSMC",)


def test_mark_spans_prefers_longer_terms_and_keeps_boundaries():
    assert mark_spans("AI at OpenAI and AI", [("AI", ()), ("OpenAI", ())]) == [(0, 2), (6, 12), (17, 19)]
    assert mark_spans("Hon Hai (Foxconn) and Foxconn", [("Hon Hai (Foxconn)", ()), ("Foxconn", ())]) == [(0, 17), (22, 29)]
