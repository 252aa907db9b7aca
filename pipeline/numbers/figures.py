"""Read the figures of a sentence: a numeral and the words around it that make it an amount.

Left of the numeral: a sign (負, -, −), an approximation (約, 近, 逾, 超過,
上, 數); right of it: 分之 (a fraction, 百分之 a percentage), 成, %, 倍, a
suffix (多, 餘, 以上), a currency or a counter; then perhaps a range joiner
(至, 到, -) and a second numeral.  Each word around the numeral counts only
when it is a word of its own (pipeline/numbers/words.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from pipeline.numbers.parse import (
    CN_DIGITS,
    CN_MAGNITUDES,
    CN_PLACES,
    NUMERAL,
    has_digit,
    magnitude_of,
    read_value,
)
from pipeline.numbers.tables import NumberTables
from pipeline.numbers.words import WordBoundaries

# After 元 on a cheque: 壹拾壹元壹角, 壹元零壹分, 伍仟元整 (整/正: "exactly")
_CENTS = re.compile(rf"[整正]|零?(?:(?P<jiao>[{CN_DIGITS}])[角毛])?零?(?:(?P<fen>[{CN_DIGITS}])分)?")


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    kind: str  # amount, percent, times, fraction, several
    value: Decimal
    high: Decimal | None = None  # the top of a range (3至5億)
    unit: str = ""  # the Chinese currency or counter word (美元, 元, 人), "" for none
    qualifier: str = ""  # English: "about", "more than"
    written: str = ""  # the author's Arabic digits, kept in the English (49.7%, HK$7.80)
    denominator: int = 0  # fractions: value is the numerator
    unsure: str = ""


@dataclass(frozen=True)
class _Left:
    start: int
    negative: bool = False
    qualifier: str = ""
    several: bool = False


class FigureReader:
    def __init__(self, tables: NumberTables, words: WordBoundaries):
        self.tables = tables
        self.words = words

    def read(self, text: str) -> list[Figure]:
        """Figures in text order; ``text`` is already folded (pipeline.numbers.parse.fold)."""
        figures: list[Figure] = []
        consumed = 0
        for match in NUMERAL.finditer(text):
            if match.start() < consumed:
                continue
            figure = self._figure_at(text, match.start(), match.end())
            if figure is not None:
                figures.append(figure)
                consumed = figure.end
        return figures

    # -- one figure
    def _figure_at(self, text: str, start: int, end: int) -> Figure | None:
        numeral = text[start:end]
        if _glued_to_code(text, start, end):
            return None  # GB300, A16, 5G, 第3季: a name or an ordinal
        left = self._left(text, start, numeral)
        value = read_value(numeral)
        if value is None and left.several and numeral in self.tables.magnitudes:
            value = Decimal(self.tables.magnitudes[numeral])  # 數萬: tens of thousands
        if value is None:
            return None
        figure = self._right(text, left, end, numeral, value)
        if figure is None:
            return None
        if left.several and left.start > 0 and NUMERAL.match(text, left.start - 1):
            begin = left.start
            while begin > 0 and NUMERAL.match(text, begin - 1):
                begin -= 1
            figure = replace(figure, start=begin, unsure="a count before 幾/數 (十幾億): how many is not certain")
        if (ranged := self._range(text, figure, numeral)) is None and not self._worth(figure, numeral, left):
            return None
        figure = ranged or figure
        # the last word: a figure never cuts through a listed word (百分之九|成九是)
        return None if self.words.cuts_a_listed_word(text, figure.start, figure.end) else figure

    def _left(self, text: str, start: int, numeral: str) -> _Left:
        at, negative = start, False
        if at > 0 and (text[at - 1] == "負" or text[at - 1] in "-−" and _sign_position(text, at - 1)):
            at, negative = at - 1, True
        if at > 0 and text[at - 1] in self.tables.several and not has_digit(numeral):
            return _Left(at - 1, negative, several=True)
        for word in sorted(self.tables.prefix_qualifiers, key=len, reverse=True):
            if at >= len(word) and text.startswith(word, at - len(word)) \
                    and self.words.stands_alone(text, at - len(word), at, -1):
                return _Left(at - len(word), negative, self.tables.prefix_qualifiers[word])
        if at > 0 and text[at - 1] in self.tables.round_qualifiers and not has_digit(numeral):
            return _Left(at - 1, negative, self.tables.round_qualifiers[text[at - 1]])
        return _Left(at, negative)

    def _right(self, text, left: _Left, end, numeral, value) -> Figure | None:
        sign = -1 if left.negative else 1
        base = Figure(left.start, end, "several" if left.several else "amount", sign * value, qualifier=left.qualifier)
        if text.startswith("分之", end):
            return self._fraction(text, base, value)
        if numeral.endswith("百") and text.startswith(("分點", "分点"), end):  # 3百分點: percentage points
            points = read_value(numeral[:-1]) if len(numeral) > 1 else None
            if points is None:
                return None
            return replace(base, end=end + 2, value=sign * points, unsure="percentage points (百分點): not enforced")
        if text.startswith("成", end) and self.words.stands_alone(text, end, end + 1, +1):
            return self._tenths(text, base, numeral, value)
        spaces = len(text[end:]) - len(text[end:].lstrip(" "))
        if text.startswith("%", end + spaces):  # 49.7% or 49.7 %
            figure = replace(base, end=end + spaces + 1, kind="percent", written=_digits(numeral, left.negative))
            return self._suffixed(text, figure)
        if text.startswith("倍", end):
            return self._suffixed(text, replace(base, end=end + 1, kind="times", written=_digits(numeral, False)))
        # a plain Arabic amount keeps the author's decimals (HK$7.80, not HK$7.8)
        base = replace(base, written=_digits(numeral, left.negative) if "." in numeral else "")
        figure = self._suffixed(text, self._unit(text, self._suffixed(text, base)))
        if figure.unit in self.tables.default_currency_words:
            figure = _with_cents(text, figure)
        if figure.kind == "several" and self._is_currency(figure.unit):
            figure = replace(figure, unsure="an indefinite sum of money (數/幾): no safe English form")
        return figure

    def _fraction(self, text, base: Figure, denominator: Decimal) -> Figure | None:
        numerator = NUMERAL.match(text, base.end + 2)
        value = read_value(numerator.group()) if numerator else None
        if value is None:
            return None
        figure = replace(base, end=numerator.end(), value=value if base.value >= 0 else -value)
        if denominator == 100:  # 百分之十二: a percentage
            return replace(figure, kind="percent", written=_digits_of(figure.value))
        unsure = "" if denominator == int(denominator) and 2 <= denominator <= 10 and 0 < value < denominator \
            else f"1/{denominator}: no usual English fraction"
        return replace(figure, kind="fraction", denominator=int(denominator), unsure=unsure)

    def _tenths(self, text, base: Figure, numeral: str, value: Decimal) -> Figure | None:
        """7成 = 70%, 3成5 = 35%, 5成多 = more than 50%."""
        if not 0 < value <= 10 or len(numeral) > 2:
            return None
        end, percent = base.end + 1, abs(base.value) * 10
        digit = text[end:end + 1]
        if digit and (digit.isdigit() and not text[end + 1:end + 2].isdigit()
                      or digit in CN_DIGITS and self.words.stands_alone(text, end, end + 1, +1)):
            tail = read_value(digit)  # 3成5, 三成五; not the 一 of 七成一般
            if tail is not None and not NUMERAL.match(text, end + 1):
                percent, end = percent + tail, end + 1
        sign = -1 if base.value < 0 else 1
        figure = replace(base, end=end, kind="percent", value=sign * percent, written=_digits_of(sign * percent))
        return self._suffixed(text, figure)

    def _is_currency(self, unit: str) -> bool:
        return unit in self.tables.currencies or unit in self.tables.default_currency_words

    def _worth(self, figure: Figure, numeral: str, left: _Left) -> bool:
        """Whether an amount is a figure to enforce, not a bare number or a word."""
        if figure.kind == "several":  # 數十年 is "decades", not a figure; 數十億 is
            return abs(figure.value) >= 1000 or figure.unit in self.tables.counters and bool(self.tables.counters[figure.unit])
        if figure.kind != "amount":
            return True
        round_only = not has_digit(numeral)
        arabic = any(ch.isdigit() for ch in numeral)
        scaled = any(ch in CN_PLACES + CN_MAGNITUDES for ch in numeral)
        is_currency = self._is_currency(figure.unit)
        large = any(ch in CN_MAGNITUDES for ch in numeral)
        if round_only and not (figure.unit or left.qualifier and large):
            return False  # 千萬別, 百: a place word alone is not an amount (上千億 is)
        if not (scaled or figure.unit):
            return False  # 2317, 2027年, 300: a bare number, which QA checks digit for digit
        if not arabic and not large and not is_currency:
            return False  # 三千, 超過二十位, 高達二十英尺: small Chinese counts are written as words, in any form
        # 3人, 5家: small counts need no enforcement
        return not (figure.unit and not is_currency and not scaled and abs(figure.value) < 1000 and not figure.qualifier)

    def _suffixed(self, text, figure: Figure) -> Figure:
        for word in sorted(self.tables.suffix_qualifiers, key=len, reverse=True):
            if text.startswith(word, figure.end):
                meaning = self.tables.suffix_qualifiers[word]
                # 約1,000多: "about" and "more than" at once; the bare figure is the safe part
                qualifier = meaning if figure.qualifier in ("", meaning) else ""
                return replace(figure, end=figure.end + len(word), qualifier=qualifier)
        return figure

    def _unit(self, text, figure: Figure) -> Figure:
        at = figure.end
        for word in sorted(self.tables.currencies, key=len, reverse=True):
            if text.startswith(word, at) and self.words.stands_alone(text, at, at + len(word), +1):
                return replace(figure, end=at + len(word), unit=word)
        for word in (*self.tables.default_currency_words, *self.tables.counters):
            if text.startswith(word, at) and (self.words.stands_alone(text, at, at + len(word), +1)
                                              or word in self.tables.default_currency_words
                                              and text[at + len(word):at + len(word) + 1] in ("整", "正")):
                return replace(figure, end=at + len(word), unit=word)
        return figure

    # -- ranges
    def _range(self, text: str, low: Figure, numeral: str) -> Figure | None:
        """3至5億美元, 3-5%, 44%至46%: one figure from the low end to the high end, or None."""
        at = low.end
        if at >= len(text) or text[at] not in self.tables.range_joiners or low.kind in ("fraction", "several"):
            return None
        match = NUMERAL.match(text, at + 1)
        high_value = read_value(match.group()) if match else None
        if high_value is None or _glued_to_code(text, match.start(), match.end()):
            return None
        high_left = _Left(match.start())
        high = self._right(text, high_left, match.end(), match.group(), high_value)
        if high is None or high.kind in ("fraction", "several") or not self._worth(high, match.group(), high_left):
            return None
        bare = low.kind == "amount" and not low.unit and not low.qualifier
        if not bare and (low.kind, low.unit) != (high.kind, high.unit):
            return None
        value = low.value
        if bare and not any(ch in CN_MAGNITUDES for ch in numeral):  # 3至5億: the low end borrows 億
            value *= magnitude_of(match.group())
        if bare and high.kind == "percent" and text.startswith("成", match.end()):
            value *= 10  # 3至5成: tenths at both ends
        if value >= high.value:
            return None  # 2330-5: not a range
        return replace(high, start=low.start, value=value, high=high.value,
                       qualifier=low.qualifier or high.qualifier, written=_digits(numeral, low.value < 0))


def _with_cents(text: str, figure: Figure) -> Figure:
    cents = _CENTS.match(text, figure.end)
    if not cents.group():
        return figure
    jiao, fen = (read_value(d) if d else Decimal(0) for d in (cents["jiao"], cents["fen"]))
    if jiao is None or fen is None or (cents.group()[0] not in "整正" and not (cents["jiao"] or cents["fen"])):
        return figure
    sign = -1 if figure.value < 0 else 1
    return replace(figure, end=cents.end(), value=figure.value + sign * (jiao / 10 + fen / 100))


def _glued_to_code(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before in ("點", "点") and start > 1 and NUMERAL.match(text[start - 2]):
        return True  # 一百點123: the decimals of a number already passed over
    return (before.isascii() and before.isalnum()) or (before != "" and before in "第./") \
        or (after.isascii() and after.isalpha()) or after == "/"


def _sign_position(text: str, at: int) -> bool:
    """A minus sign, not a joiner: nothing number-like stands right before it (3-5% is a range)."""
    before = text[at - 1] if at > 0 else ""
    return not (before.isalnum() and before.isascii()) and not (before and before in "%)）")


def _digits(numeral: str, negative: bool) -> str:
    """The author's Arabic digits (49.70 stays 49.70); "" for a Chinese numeral (rendered from its value)."""
    if not all(ch.isdigit() or ch in ",." for ch in numeral):
        return ""
    return ("-" if negative else "") + numeral.replace(",", "")


def _digits_of(value: Decimal) -> str:
    from pipeline.numbers.parse import plain

    return plain(value)
