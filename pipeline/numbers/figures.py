"""Read the figures of a sentence: a numeral and the words around it that make it an amount.

A figure is read by a small grammar, and only where the grammar covers the
whole expression:

    [sign | 正負] [qualifier] [currency] numeral [多/餘 scale] [成 | 分之 | % | 倍 | prefix+unit]
        [多 | 餘 | 以上] [currency | 元 [currency] | counter]  ( joiner  the same again )

Left of the numeral: a sign (負, -, −, –), ± (正負), an approximation (約, 近,
逾, 超過, 上, 數), a currency (人民幣5000億元); right of it: a scale after 多/餘
(3千多萬), 分之 (a fraction, 百分之 a percentage), 成, %, 倍, a metric unit
(500兆瓦 is 500 MW: 兆 is mega there), a suffix (多, 餘, 以上), a currency (also
after 元: 2,000億元人民幣) or a counter; then perhaps a range joiner and a
second numeral, whose scale the first borrows (3至5千萬 is 30 to 50 million).
Each word around the numeral counts only when it is a word of its own
(pipeline/numbers/words.py).  What the words around the expression say about
it (倍 after a verb of increase, 負 as the verb "bear", 八成 as "probably",
idioms, tickers) is decided in ``readings.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from pipeline.numbers.parse import (
    CN_DIGITS,
    CN_MAGNITUDES,
    CN_PLACES,
    JOIN,
    NUMERAL,
    has_digit,
    read_value,
)
from pipeline.numbers.figure import Figure
from pipeline.numbers.tables import NumberTables
from pipeline.numbers.words import WordBoundaries

# After 元 on a cheque: 壹拾壹元壹角, 壹元零壹分, 伍仟元整 (整/正: "exactly")
_CENTS = re.compile(rf"[整正]|零?(?:(?P<jiao>[{CN_DIGITS}]|\d)[角毛])?零?(?:(?P<fen>[{CN_DIGITS}]|\d)分)?")
# 3千多萬, 20餘億: "more than" before the scale that closes the amount
_MORE_THEN_SCALE = re.compile(rf"[多餘余](?P<scale>[{CN_MAGNITUDES}]+)")
# 2千幾百億, 5百數十萬, 2千來萬, 3百來人: the numeral goes on with an indefinite part
_INDEFINITE_TAIL = re.compile(rf"[幾几數数來来](?:[{CN_PLACES}{CN_MAGNITUDES}]+[元圓]?|(?=[人家名位個戶]))")
_SCALE_TAIL = re.compile(rf"[{CN_PLACES}{CN_MAGNITUDES}]+$")


@dataclass(frozen=True)
class Left:
    """What stands before the numeral."""

    start: int
    negative: bool = False
    qualifier: str = ""
    several: bool = False
    plus_minus: bool = False
    currency: str = ""  # a currency written before the amount (人民幣5000億元)
    after_currency: int = -1  # where the amount starts when the currency turns out not to be its own
    fu: int = -1  # where a 負 stands before the numeral: a sign or the verb "bear" (readings.py decides)
    unsure: str = ""  # what stands before the numeral makes the figure unsure (EPS-0.5, 數10萬, 兌美元30元)


class FigureReader:
    def __init__(self, tables: NumberTables, words: WordBoundaries, tickers=None):
        self.tables = tables
        self.words = words
        self.tickers = tickers  # pipeline.numbers.tickers.TickerTable, or None

    def read(self, text: str) -> list[Figure]:
        """Figures in text order; ``text`` is already folded (pipeline.numbers.parse.fold)."""
        from pipeline.numbers.readings import Readings

        readings = Readings(self.tables, self.words, text, self.tickers)
        figures: list[Figure] = []
        at = 0
        while match := NUMERAL.search(text, at):
            start, end, unsure = self._trim(text, match.start(), match.end())
            figure = self._figure_at(text, start, end)
            if figure is not None and unsure:
                figure = replace(figure, unsure=unsure)
            if figure is not None:
                figure = readings.decide(figure)
            if figure is not None:
                figures.append(figure)
            # what the numeral did not use (the 五 of 投資2千萬五年) is read again
            at = max(figure.end if figure is not None else end, end, match.start() + 1)
        return self._whole(text, figures)

    def _whole(self, text: str, figures: list[Figure]) -> list[Figure]:
        """A figure that is the end of a range or list the reader could not read whole
        (9千至1兆, 1、2、3萬元) or follows a comma that may group thousands (1，234億元)
        is not sure: its English alone would misstate the source."""
        whole = []
        for i, figure in enumerate(figures):
            before = text[:figure.start].rstrip(" \u3000")
            after = text[figure.end:].lstrip(" \u3000")
            joiners = self.tables.range_joiners | self.tables.loose_range_joiners
            previous = figures[i - 1] if i else None
            following = figures[i + 1] if i + 1 < len(figures) else None
            reason = ""
            if before[-1:] in joiners and _ends_a_number(before[:-1].rstrip(" \u3000")) \
                    and not self._separate(text, previous, figure) \
                    or after[:1] in joiners and re.match(rf"[ \u3000]*[\d{CN_DIGITS}]", after[1:]) \
                    and not self._separate(text, figure, following):
                reason = f"{text[max(0, figure.start - 4):figure.end + 4]}: part of a range or list not read whole"
            elif before.endswith("，") and before[-2:-1].isdigit() and re.match(r"\d{3}(?![\d,])", text[figure.start:]):
                reason = "a full-width comma between digits: a thousands separator or a clause break"
            whole.append(replace(figure, unsure=reason) if reason and not figure.unsure else figure)
        return whole

    def _trim(self, text: str, start: int, end: int) -> tuple[int, int, str]:
        """The numeral the regex matched, less what belongs to the words around it:
        a Chinese digit glued before Arabic digits (初二15萬人, 前十1萬家, 統一3千萬元),
        a second magnitude (3千億|兆豐金, 3百億|萬一), a last digit that starts the
        next word (2兆|一度, 5億|2年內, 2千萬|五年) and a year after 億 or 兆
        (營收2兆|2025年).  Also why it is not sure, where that is all it can say."""
        numeral = text[start:end]
        for i in range(len(numeral) - 1, 0, -1):  # Arabic digits after a Chinese digit start afresh
            opening_place = numeral[i - 1] in CN_PLACES and (i == 1 or not _is_digit(numeral[i - 2]))
            if numeral[i].isdigit() and (numeral[i - 1] in CN_DIGITS or opening_place):
                return self._trim(text, start + i, end)
        for i in range(1, len(numeral)):
            if numeral[i] in CN_MAGNITUDES and numeral[i - 1] in CN_MAGNITUDES and numeral[i - 1: i + 1] != "萬億":
                return self._trim(text, start, start + i)
        tail = _TAIL.search(numeral)
        if tail and not self._tail_belongs(text, end):
            return self._trim(text, start, start + tail.start("tail"))
        group = _GROUP_AFTER_LARGE.search(numeral)
        if group:
            if text.startswith("年", end):
                return self._trim(text, start, start + group.start("group"))
            return start, end, f"{numeral}: digits after 億 or 兆 with no scale of their own"
        return start, end, ""

    def _tail_belongs(self, text: str, end: int) -> bool:
        """2萬8新高, 1兆二: a last digit after 萬, 億 or 兆 is the next place down, spoken,
        unless it begins a count of its own (5億|2年內, 3千萬|2家) or a word (2兆|一度)."""
        after = text[end:end + 1]
        if after and after in self.tables.new_count_words:
            return False
        if after and after in self.tables.spoken_tail_followers:
            return True  # 三萬五元: jieba reads 五元, but the amount is 35,000
        return not (text[end - 1] in CN_DIGITS and self.words.word_across(text, end))

    # -- one figure
    def _figure_at(self, text: str, start: int, end: int) -> Figure | None:
        numeral = text[start:end]
        if _glued_to_code(text, start, end):
            return None  # GB300, A16, 5G, 第3季: a name or an ordinal
        left = self._left(text, start, numeral)
        measure = self._measure(text, left, start, end)
        if measure is not None:
            return None if self.words.cuts_a_listed_word(text, measure.start, measure.end) else measure
        value = read_value(numeral)
        if value is None and (left.several or left.qualifier) and numeral in self.tables.magnitudes:
            value = Decimal(self.tables.magnitudes[numeral])  # 數萬: tens of thousands; 上萬人: more than 10,000
        if value is None:
            return None
        figure = self._right(text, left, end, numeral, value)
        if figure is None:
            return None
        if left.unsure:
            figure = replace(figure, unsure=left.unsure)
        if left.several and left.start > 0 and NUMERAL.match(text, left.start - 1):
            begin = left.start
            while begin > 0 and NUMERAL.match(text, begin - 1):
                begin -= 1
            figure = replace(figure, start=begin, unsure="a count before 幾/數 (十幾億): how many is not certain")
        ranged = self._range(text, figure, numeral, left)
        if ranged is None and not self._worth(text, figure, numeral, left):
            return None
        figure = ranged or figure
        # the last word: a figure never cuts through a listed word (百分之九|成九是, 1億元|件)
        return None if self.words.cuts_a_listed_word(text, figure.start, figure.end) else figure

    def _left(self, text: str, start: int, numeral: str) -> Left:
        at, negative, plus_minus, fu, unsure = start, False, False, -1, ""
        for sign in self.tables.plus_minus:
            if at >= len(sign) and text.startswith(sign, at - len(sign)):
                at, plus_minus = at - len(sign), True
                break
        else:
            if at > 0 and text[at - 1] in self.tables.minus_signs:
                if _sign_position(text, at - 1):
                    at, negative = at - 1, True
                elif text[at - 2:at - 1].isalpha():  # EPS-0.5元: a minus or a hyphen
                    unsure = f"{text[at - 1]} between {text[max(0, at - 4):at - 1]} and the figure: a minus or a hyphen"
            elif at > 0 and text[at - 1] in "負负":
                at, negative, fu = at - 1, True, at - 1
            elif text[at - 2:at] in {f"{m} " for m in self.tables.minus_signs}:  # 年減 - 3%
                unsure = "a dash before the figure: a minus sign or a separator"
        several = self._several_before(text, at, numeral)
        if several is not None:
            return Left(at - 1, negative, several=not several, fu=fu, unsure=several)
        if text[at - 1:at] == "又" and at > 1 and NUMERAL.match(text, at - 2):  # 兩又二分之一: a mixed number
            unsure = "a mixed number (又): not read"
        return self._qualified(text, Left(at, negative, plus_minus=plus_minus, after_currency=at, fu=fu, unsure=unsure),
                               numeral)

    def _several_before(self, text: str, at: int, numeral: str) -> str | None:
        """數 or 幾 before the numeral: "" for 數十億 (several billion), a reason for
        數10萬 (how many tens of thousands?), None when there is none, or it ends a
        word (少數, 票數, 指數)."""
        if at == 0 or text[at - 1] not in self.tables.several or text[at - 2:at] in self.tables.words_ending_in_several:
            return None
        return f"{text[at - 1]}{numeral}: how many is not certain" if has_digit(numeral) else ""

    def _qualified(self, text: str, left: Left, numeral: str) -> Left:
        """The currency and qualifier before the amount, in either order (人民幣約500億元,
        約人民幣500億元), a space allowed before the numeral (約 2 千萬人)."""
        at = left.start - 1 if text[left.start - 1:left.start] == " " else left.start
        qualifier = self._qualifier_before(text, at)  # [currency] qualifier numeral
        currency, currency_start = self._currency_before(text, qualifier[0] if qualifier else at)
        if currency and qualifier is None:  # qualifier currency numeral
            qualifier = self._qualifier_before(text, currency_start)
        left = replace(left, currency=currency)
        if currency:
            left = replace(left, start=currency_start)
            if text[currency_start - 1:currency_start] in "兌兑對对" and currency_start > 0:
                left = replace(left, unsure=f"an exchange rate ({text[currency_start - 1]}{currency}): "
                                            "which currency the figure is in is not certain")
        if qualifier is not None:
            start = min(qualifier[0], left.start)
            return replace(left, start=start, qualifier=self.tables.prefix_qualifiers[qualifier[1]])
        if at > 0 and text[at - 1] in self.tables.round_qualifiers and not has_digit(numeral):
            return replace(left, start=at - 1, qualifier=self.tables.round_qualifiers[text[at - 1]])
        return left

    def _qualifier_before(self, text: str, at: int) -> tuple[int, str] | None:
        """(start, word) of the qualifier right before ``at``, or of an approximation one verb
        before it (約占3成, 大約有1千萬, 約排放2.3千克: the segmenter's verb of at most two
        characters between them)."""
        for word in sorted(self.tables.prefix_qualifiers, key=len, reverse=True):
            if at >= len(word) and text.startswith(word, at - len(word)) \
                    and self.words.stands_alone(text, at - len(word), at, -1) \
                    and not self._verb_complement(text, at - len(word), word):
                return at - len(word), word
        verb = self.words.word_before(text, at)
        if verb is None or verb[3] != "v" or verb[1] - verb[0] > 2:
            return None
        gap = self.words.word_before(text, verb[0])
        if gap is not None and text[gap[0]:gap[1]] in self.tables.gap_qualifiers:
            return gap[0], text[gap[0]:gap[1]]
        return None

    def _verb_complement(self, text: str, start: int, word: str) -> bool:
        """領不到3萬元, 達不到3成: 不到 after a verb says it could not be done, not "less than"."""
        return word.startswith("不") and start > 0 and text[start - 1] in self.tables.complement_verbs

    def _currency_before(self, text: str, at: int) -> tuple[str, int]:
        """人民幣5000億元, 港幣480元: a currency written right before the amount."""
        for word in sorted(self.tables.currencies, key=len, reverse=True):
            if at >= len(word) and text.startswith(word, at - len(word)) \
                    and self.words.stands_alone(text, at - len(word), at, -1):
                return word, at - len(word)
        return "", at

    def _measure(self, text: str, left: Left, start: int, end: int) -> Figure | None:
        """500兆瓦, 0.36千克, 64兆位元組, 3.5吉赫: a number, a metric prefix and a unit.
        The prefix may have been read into the numeral (500兆): it is split off again."""
        numeral = text[start:end]
        for prefix in sorted(self.tables.unit_prefixes, key=len, reverse=True):
            if numeral.endswith(prefix) and len(numeral) > len(prefix):  # 500兆|瓦
                head, after = numeral[: -len(prefix)], end
            elif text.startswith(prefix, end):  # 3.5|吉|赫
                head, after = numeral, end + len(prefix)
            else:
                continue
            unit = self._unit_word(text, after)
            value = read_value(head) if unit else None
            if value is None:
                continue
            return self._measured(text, left, start, after + len(unit), value, head, unit, prefix)
        unit = self._plain_unit(text, end, numeral)
        value = read_value(numeral) if unit else None
        if value is None:
            return None
        return self._measured(text, left, start, end + len(unit), value, numeral, unit, "")

    def _measured(self, text, left: Left, start: int, end: int, value: Decimal, head: str, unit: str,
                  prefix: str) -> Figure:
        sign = -1 if left.negative else 1
        begin = start if left.currency else left.start  # 每美元0.36千克: the currency is not the measure's
        per_second = text[:begin].endswith(("每秒", "秒傳")) or text.startswith(("/秒", "每秒"), end)
        return Figure(begin, end, "measure", sign * value, unit=unit, qualifier=left.qualifier,
                      written=_digits(head, left.negative), prefix=prefix, plus_minus=left.plus_minus, fu=left.fu,
                      per_second=per_second)

    def _plain_unit(self, text: str, at: int, numeral: str) -> str | None:
        """8千公斤, 5000萬畫素, 1.2億度: a unit with no prefix after an amount.  Small Chinese
        counts stay words (三公里), and a unit that needs a scale needs one (30度 is degrees)."""
        if not any(ch.isdigit() for ch in numeral) and not any(ch in CN_MAGNITUDES for ch in numeral):
            return None
        for word in sorted(self.tables.plain_units, key=len, reverse=True):
            unit = self.tables.plain_units[word]
            if text.startswith(word, at) and (not unit.scaled_only or numeral[-1] in CN_MAGNITUDES) \
                    and self._whole_unit(text, at, word):
                return word
        return None

    def _whole_unit(self, text: str, at: int, word: str) -> bool:
        """A unit word that is not the start of another word: the 瓦 of 3千瓦斯用戶 is gas."""
        if len(word) > 1:
            return True
        pair = text[at:at + 2]
        return not (len(pair) == 2 and self.words.is_word(pair)) and self.words.stands_alone(text, at, at + 1, +1)

    def qualifier_before(self, text: str, at: int) -> tuple[int, str] | None:
        """(start, English) of the qualifier before a figure starting at ``at`` (約占1/3: about)."""
        found = self._qualifier_before(text, at)
        return None if found is None else (found[0], self.tables.prefix_qualifiers[found[1]])

    def _unit_word(self, text: str, at: int) -> str | None:
        for word in sorted(self.tables.units, key=len, reverse=True):
            if text.startswith(word, at) and self._whole_unit(text, at, word):
                return word
        return None

    def _right(self, text, left: Left, end, numeral, value) -> Figure | None:
        sign = -1 if left.negative else 1
        kind = "several" if left.several else "amount"
        base = Figure(left.start, end, kind, sign * value, qualifier=left.qualifier, plus_minus=left.plus_minus, fu=left.fu)
        if text.startswith("分之", end):
            return self._fraction(text, base, value)
        if numeral.endswith("百") and text.startswith(("分點", "分点"), end):  # 3百分點: percentage points
            points = read_value(numeral[:-1]) if len(numeral) > 1 else None
            if points is None:
                return None
            return replace(base, end=end + 2, value=sign * points, unsure="percentage points (百分點): not enforced")
        if text.startswith("成", end) and self.words.stands_alone(text, end, end + 1, +1):
            return self._tenths(text, base, numeral, value)
        indefinite = _INDEFINITE_TAIL.match(text, end)
        if indefinite:  # 2千幾百億, 3百來人, 5百數十萬: the numeral goes on with "some"
            return replace(base, end=indefinite.end(), unsure=f"{text[left.start:indefinite.end()]}: an approximate "
                                                              "amount whose English is not certain")
        spaces = len(text[end:]) - len(text[end:].lstrip(" "))
        if text.startswith("%", end + spaces):  # 49.7% or 49.7 %
            figure = replace(base, end=end + spaces + 1, kind="several" if left.several else "percent",
                             written=_digits(numeral, left.negative))
            return self._indefinite(self._suffixed(text, figure))
        if text.startswith("倍", end):
            figure = replace(base, end=end + 1, kind="several" if left.several else "times", written=_digits(numeral, False))
            if text.startswith("半", end + 1):  # 兩倍半: 2.5 times
                figure = replace(figure, end=end + 2, value=figure.value + Decimal("0.5"), written="")
            return self._indefinite(self._suffixed(text, figure))
        base = self._more_then_scale(text, base, numeral)
        if base.end == end:  # a plain Arabic amount keeps the author's decimals (HK$7.80, not HK$7.8)
            base = replace(base, written=_digits(numeral, left.negative) if "." in numeral else "")
        figure = self._suffixed(text, self._unit(text, self._suffixed(text, base)))
        if left.currency:  # 人民幣5000億元: 元 of the currency named before it
            money = figure.unit in self.tables.default_currency_words or not figure.unit and _has_scale(text, figure)
            # 美元兌新台幣30.5 is a rate: the currency is no amount's (a range may still claim it: 新台幣3至5千萬元)
            figure = replace(figure, unit=left.currency) if money else replace(figure, start=left.after_currency)
        if figure.unit in self.tables.default_currency_words:
            cents = _with_cents(text, figure)
            # 伍仟元整 is "exactly"; 3億元正式啟動 starts 正式 ("officially")
            figure = figure if self.words.word_across(text, cents.end) else cents
        if figure.kind == "several" and self._is_currency(figure.unit):
            figure = replace(figure, unsure="an indefinite sum of money (數/幾): no safe English form")
        return figure

    @staticmethod
    def _indefinite(figure: Figure) -> Figure:
        """數十倍, 數百%: several tens of times is no figure to write."""
        if figure.kind == "several":
            return replace(figure, unsure="an indefinite multiple or share (數/幾): no safe English form")
        return figure

    def _more_then_scale(self, text: str, base: Figure, numeral: str) -> Figure:
        """3千多萬 = more than 30 million, 20餘億 = more than 2 billion: 多/餘 stands
        between the numeral and the scale that closes it."""
        more = _MORE_THEN_SCALE.match(text, base.end)
        if more is None or base.kind == "several":
            return base
        scale = read_value("1" + more["scale"])
        if scale is None:
            return base
        meaning = self.tables.suffix_qualifiers.get("多", "more than")
        qualifier = meaning if base.qualifier in ("", meaning) else ""  # 約3千多萬: the bare figure is the safe part
        return replace(base, end=more.end(), value=base.value * scale, qualifier=qualifier)

    def _fraction(self, text, base: Figure, denominator: Decimal) -> Figure | None:
        numerator = NUMERAL.match(text, base.end + 2)
        value = read_value(numerator.group()) if numerator else None
        if value is None:
            return None
        figure = replace(base, end=numerator.end(), value=value if base.value >= 0 else -value)
        if denominator == 100:  # 百分之十二: a percentage
            return replace(figure, kind="percent", written=_digits_of(figure.value))
        if denominator == 1000:  # 千分之三: 0.3%
            per_cent = figure.value / 10
            return replace(figure, kind="percent", value=per_cent, written=_digits_of(per_cent))
        unsure = "" if denominator == int(denominator) and 2 <= denominator <= 10 and 0 < value < denominator \
            else f"1/{denominator}: no usual English fraction"
        return replace(figure, kind="fraction", denominator=int(denominator), unsure=unsure)

    def _tenths(self, text, base: Figure, numeral: str, value: Decimal) -> Figure | None:
        """7成 = 70%, 3成5 = 35%, 5成多 = more than 50%."""
        if not 0 < value <= 10 or len(numeral) > 2:
            return None
        end, percent = base.end + 1, abs(base.value) * 10
        digit = text[end:end + 1]
        if digit == "半":  # 3成半: 35%
            digit, percent, end = "", percent + 5, end + 1
        next_word = text[end + 1:end + 2] in self.tables.new_count_words if text[end + 1:end + 2] else False
        if digit and not next_word and (digit.isdigit() and not text[end + 1:end + 2].isdigit()
                                        or digit in CN_DIGITS and self.words.stands_alone(text, end, end + 1, +1)):
            tail = read_value(digit)  # 3成5, 三成五; not the 一 of 七成一般
            if tail is not None and not NUMERAL.match(text, end + 1):
                percent, end = percent + tail, end + 1
        sign = -1 if base.value < 0 else 1
        figure = replace(base, end=end, kind="percent", value=sign * percent, written=_digits_of(sign * percent))
        return self._suffixed(text, figure)

    def _is_currency(self, unit: str) -> bool:
        return unit in self.tables.currencies or unit in self.tables.default_currency_words

    def _worth(self, text: str, figure: Figure, numeral: str, left: Left) -> bool:
        """Whether an amount is a figure to enforce, not a bare number or a word."""
        if figure.kind == "several" and figure.unsure:
            return True  # 數十倍: flagged for a reviewer
        if figure.kind == "several":  # 數十年 is "decades", not a figure; 數十億 is
            return abs(figure.value) >= 1000 or figure.unit in self.tables.counters and bool(self.tables.counters[figure.unit])
        if figure.kind != "amount":
            return True
        round_only = not has_digit(numeral)
        arabic = any(ch.isdigit() for ch in numeral)
        scaled = _has_scale(text, figure)
        is_currency = self._is_currency(figure.unit)
        large = any(ch in CN_MAGNITUDES for ch in text[figure.start:figure.end])
        if round_only and not (figure.unit or figure.qualifier and large and _closes(text, figure.end, self.tables)):
            return False  # 千萬別, 百, 上千萬不要: a place word alone is not an amount (上千億， is)
        if not (scaled or figure.unit):
            return False  # 2317, 2027年, 300: a bare number, which QA checks digit for digit
        if not arabic and not large and not is_currency:
            return False  # 三千, 超過二十位, 高達二十英尺: small Chinese counts are written as words, in any form
        # 3人, 5家: small counts need no enforcement
        return not (figure.unit and not is_currency and not scaled and abs(figure.value) < 1000 and not figure.qualifier)

    def _suffixed(self, text, figure: Figure) -> Figure:
        for word in sorted(self.tables.suffix_qualifiers, key=len, reverse=True):
            end = figure.end + len(word)
            if not text.startswith(word, figure.end) or len(word) > 1 and self.words.word_across(text, end):
                continue  # 3億元上下游: 上下 of 上下游 (多 and 餘 are judged below: 3億多元 is no 多元)
            if figure.unit and word in "多餘" and end < len(text) and _is_han(text[end]):
                continue  # 3億元多用於: after the unit, 多 is "mostly"
            if word in "多餘余" and self._begins_a_word(text, end - 1, word):
                continue  # 3千萬多半, 300億多少, 500萬餘款: 多 and 餘 begin another word
            if text.startswith("到", end):
                continue  # 有找到: "found"
            meaning = self.tables.suffix_qualifiers[word]
            # 約1,000多: "about" and "more than" at once; the bare figure is the safe part
            qualifier = meaning if figure.qualifier in ("", meaning) else ""
            return replace(figure, end=end, qualifier=qualifier)
        return figure

    def _begins_a_word(self, text: str, at: int, word: str) -> bool:
        """Does the 多 or 餘 at ``at`` begin another word (多半, 多少, 餘款, 餘下)?  Not before
        a currency, 元 or a scale (3億多元, 3千多萬), nor 多 before a measure word (10萬多戶)."""
        nxt = text[at + 1:at + 2]
        if word != "多":
            return text[at:at + 2] in self.tables.words_beginning_with_yu  # 1千餘戶 is more than 1,000
        if not nxt or self._unit_at(text, at + 1):
            return False
        return self.words.is_word(text[at:at + 2]) or bool(self.words.word_across(text, at + 1))

    def _unit_at(self, text: str, at: int) -> bool:
        """A currency, 元, a counter or a scale starts at ``at`` (3億多元, 3千多萬)."""
        return any(text.startswith(w, at) for w in (*self.tables.currencies, *self.tables.default_currency_words,
                                                     *self.tables.counters, *CN_MAGNITUDES)) \
            or text[at:at + 1] in self.tables.measure_words

    def _unit(self, text, figure: Figure) -> Figure:
        at = figure.end
        for word in sorted(self.tables.currencies, key=len, reverse=True):
            if text.startswith(word, at) and self.words.stands_alone(text, at, at + len(word), +1):
                return replace(figure, end=at + len(word), unit=word)
        for word in (*self.tables.default_currency_words, *self.tables.counters):
            if text.startswith(word, at) and (self.words.stands_alone(text, at, at + len(word), +1)
                                              or word in self.tables.default_currency_words
                                              and self._yuan_after_scale(text, at)
                                              or word in self.tables.default_currency_words
                                              and text[at + len(word):at + len(word) + 1] in ("整", "正")
                                              or word in self.tables.default_currency_words
                                              and self._currency_at(text, at + len(word))):
                figure = replace(figure, end=at + len(word), unit=word)
                if word in self.tables.default_currency_words and (named := self._currency_at(text, figure.end)):
                    figure = replace(figure, end=figure.end + len(named), unit=named)  # 2,000億元人民幣
                return figure
        return figure

    def _yuan_after_scale(self, text: str, at: int) -> bool:
        """500億元|年增: 元 after a scale is the currency, when the segmenter reads it so in
        this sentence (億元/年/增, but 三千/元件)."""
        return at > 0 and text[at - 1] in CN_MAGNITUDES + CN_PLACES and self.words.word_across(text, at + 1) is None

    def _currency_at(self, text: str, at: int) -> str:
        """The currency named right after 元 (元人民幣, 元港幣), or ""."""
        for word in sorted(self.tables.currencies, key=len, reverse=True):
            if text.startswith(word, at) and self.words.stands_alone(text, at, at + len(word), +1):
                return word
        return ""

    # -- ranges
    def _range(self, text: str, low: Figure, numeral: str, left: Left) -> Figure | None:
        """3至5億美元, 3-5%, 44%至46%, 2、3千億: one figure from the low end to the high end, or None."""
        joiner = _JOINER.match(text, low.end)
        if joiner is None or low.kind in ("fraction", "several"):
            return None
        loose = joiner["joiner"] in self.tables.loose_range_joiners
        if joiner["joiner"] not in self.tables.range_joiners and not loose:
            return None
        match = NUMERAL.match(text, joiner.end())
        if loose and not (match and self._loose_range(text, low, numeral, match)):
            return None  # 1、2、3 is a list; only 2、3千億 (two neighbouring digits) reads as a range
        high_value = read_value(match.group()) if match else None
        if high_value is None or _glued_to_code(text, match.start(), match.end()):
            return None
        high_left = Left(match.start())
        high = self._measure(text, high_left, match.start(), match.end()) \
            or self._right(text, high_left, match.end(), match.group(), high_value)
        if high is None or high.kind in ("fraction", "several") \
                or not self._worth(text, high, match.group(), high_left) or high.unsure:
            return None
        bare = low.kind == "amount" and not low.unit  # 約3至5千萬元: "about" reaches over the range
        if not bare and (low.kind, low.unit, low.prefix) != (high.kind, high.unit, high.prefix):
            return None
        if not bare and self._change_then_level(text, low, high, joiner):
            return None
        value, unsure = low.value, ""
        if bare:
            value, unsure = self._shared_scale(text, low, numeral, match.group(), high, match.end())
        if value >= high.value:
            return None  # 2330-5, 9千至1兆: not a range read whole (the reader says so, see read)
        if left.currency and not low.unit and high.unit in self.tables.default_currency_words:
            high = replace(high, unit=left.currency)  # 新台幣3至5千萬元
            low = replace(low, start=left.start)
        return replace(high, start=low.start, value=value, high=high.value, qualifier=low.qualifier or high.qualifier,
                       written="" if value != low.value else low.written or _digits(numeral, low.value < 0),
                       written_high=high.written, fu=low.fu, plus_minus=low.plus_minus, unsure=low.unsure or unsure)

    def _separate(self, text: str, first: Figure | None, second: Figure | None) -> bool:
        """Two figures side by side across a joiner, each whole: 3億元、5億元 (a list of
        amounts), 上漲15元至1,085元 (a change and a level)."""
        if first is None or second is None or not text[first.end:second.start].strip(" \u3000") \
                or len(text[first.end:second.start].strip(" \u3000")) > 1:
            return False
        whole = first.unit and second.unit or first.kind == second.kind != "amount"
        return bool(whole) or self.is_change_then_level(text, first, second)

    def is_change_then_level(self, text: str, low: Figure, high: Figure) -> bool:
        """股價上漲15元至1,085元, 毛利率提升2%至58%: a change by a unit, then the level it
        reached far above it, is no range (調漲3%至5% is one: its ends are close)."""
        verbs = (*self.tables.increase_verbs, *self.tables.decrease_verbs, *self.tables.change_verbs)
        return text[:low.start].endswith(verbs) and low.value > 0 and high.value / low.value > 3

    def _change_then_level(self, text: str, low: Figure, high: Figure, joiner: re.Match) -> bool:
        return joiner["joiner"] in ("至", "到") and self.is_change_then_level(text, low, high)

    def _loose_range(self, text: str, low: Figure, numeral: str, high: re.Match) -> bool:
        """2、3千億, 7、8成: two neighbouring single digits, not a list (1、2、3萬元)."""
        listed_before = re.search(r"[\d\u3007一二三四五六七八九十][、,]\s*$", text[:low.start])
        listed_after = re.match(r"\s*[、,]\s*[\d一二三四五六七八九十]", text[high.end():])
        unit_follows = high.end() < len(text) and text[high.end()] in "成%倍"
        return _consecutive_digits(numeral, high.group(), unit_follows) and not listed_before and not listed_after

    def _shared_scale(self, text, low: Figure, low_numeral: str, high_numeral: str, high: Figure,
                      high_end: int) -> tuple[Decimal, str]:
        """The low end of 3至5千萬 borrows the scale of the high end's first digits (30 to 50
        million; 2至3萬5千 is 20,000 to 35,000); 2千至3千萬 borrows what its own scale lacks
        (萬), 9百至1千億 the high end's magnitude (億).  Ends a borrowed scale puts more than
        ten times apart (3百至5千萬) are not sure.  3至5成 and 3至5倍 are tenths and times."""
        if high.kind == "percent" and text.startswith("成", high_end):
            return low.value * 10, ""
        # A numeral read whole may hold a folded space (390 萬, 5 千萬: parse.JOIN); its scale does not.
        low_numeral, high_numeral = _SPACES.sub("", low_numeral), _SPACES.sub("", high_numeral)
        first = _FIRST_SCALE.match(high_numeral)
        if high.kind == "measure" or first is None or not first["scale"]:
            return low.value, ""  # 3-5%, 8到10倍: nothing to borrow
        low_tail = _SCALE_TAIL.search(low_numeral)
        low_scale, high_scale = (low_tail.group() if low_tail else ""), first["scale"]
        if not low_scale:
            borrowed = high_scale
        elif high_scale.startswith(low_scale):
            borrowed = high_scale[len(low_scale):]
        elif not any(ch in CN_MAGNITUDES for ch in low_numeral):
            borrowed = "".join(ch for ch in high_scale if ch in CN_MAGNITUDES)
        else:
            borrowed = ""  # 3萬至5億: each end has its own scale
        factor = read_value("1" + borrowed) if borrowed else Decimal(1)
        if factor is None:
            return low.value, "a range whose scale is not certain"
        value = low.value * factor
        far = factor > 1 and value > 0 and high.value / value > 10
        return value, "the two ends of the range are too far apart to share one scale" if far else ""

# what a numeral may hold between its digits and its scale: the folded space (parse.JOIN)
_SPACES = re.compile(JOIN)
# a range joiner after a figure, spaces allowed (3 ~ 5 %)
_JOINER = re.compile(r"[ \u3000]?(?P<joiner>[至到~～\-–—、,])[ \u3000]?")
# the first digits of a numeral and the scale they carry (3萬|5千: 萬; 5千萬: 千萬)
_FIRST_SCALE = re.compile(rf"(?:[\d,.]+|[{CN_DIGITS}]+)(?P<scale>[{CN_PLACES}{CN_MAGNITUDES}]*)")
# a lone last digit after a place or magnitude: the spoken "2萬8" (28,000)
_TAIL = re.compile(rf"[{CN_MAGNITUDES}](?P<tail>[{CN_DIGITS}]|(?<![\d.,])\d)$")
# Arabic digits after 億 or 兆 ending the numeral: 3億5000, 2兆2025
_GROUP_AFTER_LARGE = re.compile(r"[億亿兆](?P<group>\d[\d,.]+)$")


def _ends_a_number(text: str) -> bool:
    """Does a number (or a figure's unit after it: 3%, 5成, 3萬元) end ``text``?"""
    return bool(re.search(rf"(?:\d|[{CN_DIGITS}{CN_PLACES}{CN_MAGNITUDES}])[%成倍元]?$", text))


def _is_digit(ch: str) -> bool:
    return ch.isdigit() or ch in CN_DIGITS


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _consecutive_digits(low: str, high: str, unit_follows: bool = False) -> bool:
    """2、3千億, 7、8成: single digits one apart, the high end carrying the scale or the unit."""
    low_value, high_digit = read_value(low), read_value(high[:1])
    return len(low) == 1 and low_value is not None and high_digit is not None and high_digit == low_value + 1 \
        and (len(high) > 1 or unit_follows)


def _has_scale(text: str, figure: Figure) -> bool:
    """A place or magnitude word in the figure (3千, 5億, 3千多萬)."""
    return any(ch in CN_PLACES + CN_MAGNITUDES for ch in text[figure.start:figure.end])


def _closes(text: str, end: int, tables: NumberTables) -> bool:
    """A bare place word (千萬) closes an amount unless the adverb reading follows it:
    上千萬不要追高 is "by all means", 上百萬加侖 and 上千億， are amounts."""
    return not text.startswith(tables.adverb_round_after, end)


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
    return not (before.isalnum() and before.isascii()) and not (before and before in "%)）") \
        and not (before and NUMERAL.fullmatch(before))


def _digits(numeral: str, negative: bool) -> str:
    """The author's Arabic digits (49.70 stays 49.70); "" for a Chinese numeral (rendered from its value)."""
    if not numeral or not all(ch.isdigit() or ch in ",." for ch in numeral):
        return ""
    return ("-" if negative else "") + numeral.replace(",", "")


def _digits_of(value: Decimal) -> str:
    from pipeline.numbers.parse import plain

    return plain(value)
