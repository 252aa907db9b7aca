"""Quantities and dates in the source, in the English a financial journalist writes.

Chinese counts in 萬 (10^4), 億 (10^8) and 兆 (10^12 in Taiwan usage); engines
routinely turn 5000億美元 into "500 million".  Each quantity found here becomes
a constraint (kind "number") enforced by the same decoder guarantee as
glossary terms: a quantity is a term the article defines on the fly.

Everything that varies is in the tables below (``NumberTables``), so an editor
can extend currencies, counters or qualifiers without touching the parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pipeline.translate.prepare import Constraint

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True)
class Currency:
    prefix: str = ""  # "US$"
    suffix: str = ""  # " yen"


@dataclass(frozen=True)
class NumberTables:
    """The editable part: what each word means and how it is written in English."""

    magnitudes: Mapping[str, int] = field(default_factory=lambda: {"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12})
    currencies: Mapping[str, Currency] = field(default_factory=lambda: {
        "美元": Currency("US$"), "美金": Currency("US$"),
        "新台幣": Currency("NT$"), "新臺幣": Currency("NT$"), "台幣": Currency("NT$"), "臺幣": Currency("NT$"),
        "日圓": Currency(suffix=" yen"), "日元": Currency(suffix=" yen"), "日幣": Currency(suffix=" yen"),
        "人民幣": Currency("CNY "), "人民币": Currency("CNY "),
        "歐元": Currency("€"), "港幣": Currency("HK$"), "港元": Currency("HK$"), "韓元": Currency(suffix=" won"),
    })
    # Bare 元 in a Taiwan article is New Taiwan dollars (configurable).
    default_currency: Currency = Currency("NT$")
    # Counters written after the figure ("7,000 people"); "" keeps the figure alone.
    counters: Mapping[str, str] = field(default_factory=lambda: {"人": "people", "名": "people", "片": "", "點": "", "台": "", "家": ""})
    prefix_qualifiers: Mapping[str, str] = field(default_factory=lambda: {
        "超過": "more than", "超逾": "more than", "逾": "more than", "多達": "as many as", "高達": "as much as",
        "將近": "nearly", "接近": "nearly", "近": "nearly", "大約": "about", "約": "about", "上": "more than",
    })
    suffix_qualifiers: Mapping[str, str] = field(default_factory=lambda: {"多": "more than", "餘": "more than", "以上": "more than"})


DEFAULT_TABLES = NumberTables()

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CN_NUM = r"[零〇一二兩两三四五六七八九十百千]+"


def _qualifier_alt(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


class NumberFinder:
    """Finds quantities in a sentence and renders each as an English constraint."""

    def __init__(self, tables: NumberTables = DEFAULT_TABLES):
        self.tables = tables
        mags = "".join(tables.magnitudes)
        cur = _qualifier_alt(tables.currencies)
        pre = _qualifier_alt(tables.prefix_qualifiers)
        suf = _qualifier_alt(tables.suffix_qualifiers)
        counters = "".join(tables.counters)
        value = rf"(?:{_NUM}|{_CN_NUM})"
        # A quantity: [qualifier] value [千|百] [magnitude [digit]] [多] [currency|元|counter] [以上]
        self._quantity = re.compile(
            rf"(?P<pre>{pre})?(?P<value>{value})(?P<small>[千百])?(?:(?P<mag>[{mags}])(?P<tail>\d(?![\d.,%]))?)?"
            rf"(?P<more>{suf})?(?P<unit>{cur}|元|[{counters}](?![\u4e00-\u9fff]{{0,0}}[長為立]))?"
        )
        self._percent = re.compile(
            rf"(?P<pre>{pre})?(?P<a>{_NUM})\s*%(?:\s*(?:至|到|~|－|-)\s*(?P<b>{_NUM})\s*%)?|"
            rf"(?P<pre2>{pre})?(?P<c>{_NUM}|{_CN_NUM})成(?![長为為立功本交員员果效])"
        )
        self._times = re.compile(rf"(?P<pre>{pre})?(?P<a>{_NUM})(?:\s*(?:至|到|~|-)\s*(?P<b>{_NUM}))?倍(?P<more>以上)?")
        self._date_full = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
        self._date_ym = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?![\d份])")
        self._date_md = re.compile(r"(?<![\d/年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
        self._date_slash = re.compile(r"(?<![\d/.])(?:(?P<y>\d{4})/)?(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/.])")

    # -- public
    def find(self, text: str) -> list[tuple[int, int, Constraint]]:
        """Non-overlapping (start, end, constraint) in text order; dates first, then
        percentages, multiples and quantities, the earlier-found span winning."""
        found: list[tuple[int, int, Constraint]] = []
        for finder in (self._dates, self._percents, self._multiples, self._quantities):
            for start, end, target in finder(text):
                if not any(s < end and start < e for s, e, _ in found):
                    found.append((start, end, Constraint(text[start:end], target, "number")))
        return sorted(found, key=lambda f: f[0])

    def constraints(self, text: str) -> list[Constraint]:
        return [c for _, _, c in self.find(text)]

    # -- finders
    def _dates(self, text):
        for m in self._date_full.finditer(text):
            if (month := _month(m["m"])) and 1 <= int(m["d"]) <= 31:
                yield m.start(), m.end(), f"{month} {int(m['d'])}, {m['y']}"
        for m in self._date_ym.finditer(text):
            if month := _month(m["m"]):
                yield m.start(), m.end(), f"{month} {m['y']}"
        for m in self._date_md.finditer(text):
            if (month := _month(m["m"])) and 1 <= int(m["d"]) <= 31:
                yield m.start(), m.end(), f"{month} {int(m['d'])}"
        for m in self._date_slash.finditer(text):
            if (month := _month(m["m"])) and 1 <= int(m["d"]) <= 31:
                yield m.start(), m.end(), f"{month} {int(m['d'])}" + (f", {m['y']}" if m["y"] else "")

    def _percents(self, text):
        for m in self._percent.finditer(text):
            if m["a"]:
                target = f"{_plain(m['a'])}%" + (f" to {_plain(m['b'])}%" if m["b"] else "")
                yield m.start(), m.end(), self._qualified(m["pre"], target)
            else:
                value = _to_decimal(m["c"])
                if value is None or not 0 < value <= 10:
                    continue
                yield m.start(), m.end(), self._qualified(m["pre2"], f"{_fmt(value * 10)}%")

    def _multiples(self, text):
        for m in self._times.finditer(text):
            target = f"{_plain(m['a'])}" + (f" to {_plain(m['b'])}" if m["b"] else "") + " times"
            qualifier = self.tables.prefix_qualifiers.get(m["pre"] or "") or ("more than" if m["more"] else "")
            yield m.start(), m.end(), f"{qualifier} {target}".strip()

    def _quantities(self, text):
        t = self.tables
        for m in self._quantity.finditer(text):
            value = _to_decimal(m["value"])
            if value is None:
                continue
            unit = m["unit"] or ""
            mag = m["mag"]
            is_cn = not re.match(r"\d", m["value"])
            if not (mag or unit or m["small"]) or (is_cn and not mag):
                continue  # a bare number: the QA check covers it, no constraint
            if m["small"]:
                value *= _CN_UNITS[m["small"]]
            if mag:
                value *= t.magnitudes[mag]
                if m["tail"]:  # 2萬8 = 28,000: the digit after the magnitude is the next place
                    value += int(m["tail"]) * t.magnitudes[mag] // 10
            if unit and unit not in t.currencies and unit != "元" and not mag and value < 1000 and not m["more"]:
                continue  # "3人", "5家": small counts need no enforcement
            start = m.start()
            # a year or ticker is never a quantity: 2027年, 鴻海（2317）
            if not mag and not unit and not m["small"]:
                continue
            qualifier = ""
            if m["pre"]:
                qualifier = t.prefix_qualifiers[m["pre"]]
            if m["more"]:
                qualifier = qualifier or t.suffix_qualifiers[m["more"]]
            if m["pre"] == "上" and not is_cn:
                start += 1  # 上千億 is "more than"; 市場上10萬片 is a preposition
                qualifier = ""
            english = self._amount(value, unit)
            yield start, m.end(), f"{qualifier} {english}".strip()

    # -- rendering
    def _amount(self, value: Decimal, unit: str) -> str:
        figure = _scaled(value)
        if unit in self.tables.currencies or unit == "元":
            cur = self.tables.currencies.get(unit, self.tables.default_currency)
            return f"{cur.prefix}{figure}{cur.suffix}"
        counter = self.tables.counters.get(unit, "")
        return f"{figure} {counter}".strip()

    def _qualified(self, pre: str | None, target: str) -> str:
        qualifier = self.tables.prefix_qualifiers.get(pre or "", "")
        return f"{qualifier} {target}".strip()


def _month(m: str) -> str | None:
    n = int(m)
    return MONTHS[n - 1] if 1 <= n <= 12 else None


def _to_decimal(text: str) -> Decimal | None:
    if re.match(r"\d", text):
        return Decimal(text.replace(",", ""))
    return _cn_to_int(text)


def _cn_to_int(text: str) -> Decimal | None:
    """三千五百 -> 3500, 十二 -> 12, 兩 -> 2; None when it is not a number."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:  # 一二 is not a number
                return None
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return Decimal(total + (digit or 0))


def _fmt(value: Decimal) -> str:
    """61.80 -> 61.8, 500.0 -> 500."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plain(text: str) -> str:
    return text  # percentages and multiples keep the author's digits (49.7%)


def _scaled(value: Decimal) -> str:
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{_fmt(value / size)} {word}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return _fmt(value)


def with_default_currency(tables: NumberTables, prefix: str) -> NumberTables:
    """Tables whose bare 元 is ``prefix`` (e.g. "US$" for an article from abroad)."""
    return replace(tables, default_currency=Currency(prefix))
