"""A figure read from the text: what the grammar (figures.py) hands the readings
(readings.py), the finder and the renderer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    kind: str  # amount, percent, times, fraction, several, measure, doubled
    value: Decimal
    high: Decimal | None = None  # the top of a range (3至5億)
    unit: str = ""  # the Chinese currency, counter or measure word (美元, 元, 人, 瓦), "" for none
    qualifier: str = ""  # English: "about", "more than"
    written: str = ""  # the author's Arabic digits, kept in the English (49.7%, HK$7.80)
    written_high: str = ""  # the same for the top of a range (111.0%)
    denominator: int = 0  # fractions: value is the numerator
    unsure: str = ""
    plus_minus: bool = False  # 正負3%: ±3%
    prefix: str = ""  # measures: the metric prefix word before the unit (兆 of 兆瓦)
    fu: int = -1  # where a 負 read as a minus sign stands; readings.py checks it is not the verb "bear"
    per_second: bool = False  # 每秒1000兆位元: a rate (1,000 Mbps)
