"""Dates: 2025年12月2日 -> December 2, 2025; 11/21 -> November 21, unless the slash is a fraction (約占1/3)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.numbers.tables import NumberTables

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# a year of four digits, or of the Republic (民國114年, 114年: 2025)
_FULL = re.compile(r"(?:(?P<y>\d{4})|(?P<roc>民國\s*\d{2,3}|(?<!\d)1[0-4]\d))\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_YEAR_MONTH = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?![\d份])")
_MONTH_DAY = re.compile(r"(?<![\d/年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
# 6月1日至2日: a span of days in one month (HKMA 2016 writes 1–2 June)
_DAY_RANGE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?<![\d/])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?\s*"
                        r"(?:至|到|-|–|～|~)\s*(?P<d2>\d{1,2})\s*日")
_SLASH = re.compile(r"(?<![\d/.])(?:(?P<y>\d{4}|1[0-4]\d)/)?(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/.])")


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    target: str | None  # None: a fraction or a date, and the sentence does not say which
    value: str  # ISO: 2025-12-02, --11-21 (no year), 2024-09
    unsure: str = ""
    fraction: bool = False
    variants: tuple[str, ...] = ()  # day-month order: 15 August 1940  # 1/3 read as a fraction: the figure reader renders it


class DateFinder:
    def __init__(self, tables: NumberTables):
        self.tables = tables

    def find(self, text: str) -> Iterator[DateSpan]:
        for m in _DAY_RANGE.finditer(text):  # first: it wins over the single dates inside it
            if span := _day_range(m):
                yield span
        for m in _FULL.finditer(text):
            year = _year(m)
            if (month := _month(m["m"])) and _valid_day(year, int(m["m"]), int(m["d"])):
                yield DateSpan(m.start(), m.end(), f"{month} {int(m['d'])}, {year}",
                               f"{year}-{int(m['m']):02d}-{int(m['d']):02d}",
                               variants=(f"{int(m['d'])} {month} {year}", f"{month} {int(m['d'])} {year}"))
        for m in _YEAR_MONTH.finditer(text):
            if month := _month(m["m"]):
                yield DateSpan(m.start(), m.end(), f"{month} {m['y']}", f"{m['y']}-{int(m['m']):02d}")
        for m in _MONTH_DAY.finditer(text):
            if (month := _month(m["m"])) and _valid_day(None, int(m["m"]), int(m["d"])):
                yield DateSpan(m.start(), m.end(), f"{month} {int(m['d'])}", f"--{int(m['m']):02d}-{int(m['d']):02d}",
                               variants=(f"{int(m['d'])} {month}",))
        for m in _SLASH.finditer(text):
            if span := self._slash(text, m):
                yield span

    def _slash(self, text: str, m: re.Match) -> DateSpan | None:
        """M/D is a date where the sentence treats it as one (於11/21, 5/10的記者會) and a
        fraction only in a proportional context (約占1/3, 比例為3/4, 1/3以上, 1/3的股份);
        a fraction is written in lowest terms, so 5/10 is never five tenths."""
        month, day = int(m["m"]), int(m["d"])
        year = None if not m["y"] else int(m["y"]) + (1911 if len(m["y"]) == 3 else 0)  # 114/5/31: ROC 114 is 2025
        is_date = bool(_month(m["m"])) and _valid_day(year, month, day)
        if m["y"]:
            return self._date(m, month, day, year) if is_date else None
        fraction = 0 < month < day and math.gcd(month, day) == 1
        dated = self._says(text, m.start(), m.end(), self.tables.date_before, self.tables.date_after) \
            or self._event_after(text, m.end())
        proportional = self._says(text, m.start(), m.end(), self.tables.fraction_before, self.tables.fraction_after)
        of_a_share = text[m.end():].lstrip().startswith("的") and not dated  # 1/3的股份
        if dated and is_date:
            return self._date(m, month, day)
        if fraction and (proportional or of_a_share and day <= 10):
            return DateSpan(m.start(), m.end(), None, f"{month}/{day}", fraction=True)
        if proportional or of_a_share:
            if not is_date:
                return None
            return DateSpan(m.start(), m.end(), None, f"--{month:02d}-{day:02d}",
                            f"{m.group()}: a date ({_month(m['m'])} {day}) or a share")
        if not is_date:
            return None
        if fraction and day <= 10:
            return DateSpan(m.start(), m.end(), None, f"--{month:02d}-{day:02d}",
                            f"{m.group()}: a date ({_month(m['m'])} {day}) or a fraction")
        return self._date(m, month, day)

    @staticmethod
    def _date(m: re.Match, month: int, day: int, year: int | None = None) -> DateSpan:
        english = f"{MONTHS[month - 1]} {day}" + (f", {year}" if year else "")
        value = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        return DateSpan(m.start(), m.end(), english, value)

    def _event_after(self, text: str, end: int) -> bool:
        """5/10的記者會: what happens on a day (the tables' date_events) follows 的."""
        rest = text[end:].lstrip()
        return rest.startswith("的") and rest[1:].startswith(tuple(self.tables.date_events))

    @staticmethod
    def _says(text: str, start: int, end: int, before, after) -> bool:
        left, right = text[:start].rstrip(), text[end:].lstrip()  # 比例為 3/4
        return any(left.endswith(w) for w in before) or any(right.startswith(w) for w in after)


def _year(m: re.Match) -> int:
    """The year written: four digits, or a year of the Republic (民國114年 is 2025)."""
    if m["y"]:
        return int(m["y"])
    return int(re.sub(r"\D", "", m["roc"])) + 1911


def _valid_day(year: int | None, month: int, day: int) -> bool:
    """A day the calendar has (no February 30; February 29 when the year allows it)."""
    import calendar

    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(year or 2024, month)[1]  # 2024: a leap year, when no year is written


def _day_range(m: re.Match) -> DateSpan | None:
    """June 1-2 (also June 1 to 2, 1–2 June), with the year when written: June 1-2, 2018."""
    month, first, last = _month(m["m"]), int(m["d"]), int(m["d2"])
    if not month or not 1 <= first < last <= 31:
        return None
    year = f", {m['y']}" if m["y"] else ""
    forms = [f"{month} {first}-{last}{year}", f"{month} {first}–{last}{year}", f"{month} {first} to {last}{year}",
             f"{month} {first} to {month} {last}{year}", f"{first}-{last} {month}{year.replace(',', '')}",
             f"{first}–{last} {month}{year.replace(',', '')}"]
    iso = f"{m['y']}-{int(m['m']):02d}" if m["y"] else f"--{int(m['m']):02d}"
    return DateSpan(m.start(), m.end(), forms[0], f"{iso}-{first:02d} to {iso}-{last:02d}", variants=tuple(forms[1:]))


def _month(m: str) -> str | None:
    n = int(m)
    return MONTHS[n - 1] if 1 <= n <= 12 else None
