"""A qualifier, unit or 成 counts only as a word of its own: the tables first, then jieba's dictionary."""

import pytest

from pipeline.numbers import DEFAULT_TABLES, NumberFinder, NumberTables
from pipeline.numbers.words import WordBoundaries

WORDS = WordBoundaries(DEFAULT_TABLES)


@pytest.mark.parametrize(
    "text,start,end,outward,alone",
    [
        ("節約1億", 1, 2, -1, False),  # 約 of 節約 (listed)
        ("大約1億", 1, 2, -1, False),  # the one-character 約 inside 大約: the two-character qualifier is read instead
        ("約1億", 0, 1, -1, True),
        ("最近5000人", 1, 2, -1, False),
        ("共有5元素", 3, 4, +1, False),  # 元 of 元素
        ("共有5元，", 3, 4, +1, True),
        ("賣超5000張", 1, 2, -1, False),
        ("簽約5億元", 1, 2, -1, False),  # not listed: jieba knows 签约
        ("5000人次", 4, 5, +1, False),  # jieba knows 人次
        ("營收成長7成，", 6, 7, +1, True),
        ("3成長", 1, 2, +1, False),
    ],
)
def test_stands_alone(text, start, end, outward, alone):
    assert WORDS.stands_alone(text, start, end, outward) is alone


def test_the_dictionary_only_takes_readings_away():
    # with no listed words, jieba still stops 節約 and 元素; it never turns a non-word into a qualifier
    bare = NumberFinder(NumberTables(not_figure_words=frozenset()))
    assert [c.target for c in bare.constraints("每年可節約1億元")] == ["NT$100 million"]
    assert bare.constraints("共有5元素") == []
    assert [c.target for c in bare.constraints("約1億元")] == ["about NT$100 million"]
