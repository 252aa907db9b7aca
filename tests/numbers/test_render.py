"""English sizes: exact beats short, negatives before the currency."""

from decimal import Decimal

import pytest

from pipeline.numbers import DEFAULT_TABLES
from pipeline.numbers.figures import Figure
from pipeline.numbers.render import Renderer, scaled


@pytest.mark.parametrize(
    "value,english",
    [
        ("23456", "23,456"), ("120000000", "120 million"), ("250000000000", "250 billion"), ("6390000000000", "6.39 trillion"),
        ("12345678", "12,345,678"), ("0.5", "0.5"), ("1234.5", "1,234.5"), ("-3500000", "-3.5 million"), ("999", "999"),
        ("3618700000000", "3,618.7 billion"),  # HKMA annual report 2016 (../shared/eval/hkma): HK$3,618.7 billion
        ("1133829000000", "1,133.829 billion"),
    ],
)
def test_scaled(value, english):
    assert scaled(Decimal(value)) == english


def test_negative_money_puts_the_sign_before_the_currency():
    english = Renderer(DEFAULT_TABLES).english(Figure(0, 1, "amount", Decimal("-0.5"), unit="元"))
    assert (english.target, english.value, english.unit) == ("-NT$0.5", "-0.5", "NT$")


def test_a_money_range_repeats_the_currency():
    figure = Figure(0, 1, "amount", Decimal(3 * 10**8), high=Decimal(5 * 10**8), unit="美元")
    assert Renderer(DEFAULT_TABLES).english(figure).target == "US$300 million to US$500 million"


@pytest.mark.parametrize("numerator,denominator,english", [(1, 3, "one third"), (2, 3, "two thirds"), (1, 4, "one quarter"),
                                                           (3, 4, "three quarters"), (1, 2, "one half"), (1, 10, "one tenth")])
def test_fractions(numerator, denominator, english):
    figure = Figure(0, 1, "fraction", Decimal(numerator), denominator=denominator)
    assert Renderer(DEFAULT_TABLES).english(figure).target == english
