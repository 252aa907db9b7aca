"""The editable part of figure reading: what each word means and how it is written in English.

An editor extends a table here (a currency, a counter, a qualifier, a word
that merely contains a numeral or a qualifier), never the parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Currency:
    prefix: str = ""  # "US$"
    suffix: str = ""  # " yen"

    @property
    def unit(self) -> str:
        """The short name a figure's ``unit`` carries (US$, NT$, yen)."""
        return (self.prefix or self.suffix).strip()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class NumberTables:
    magnitudes: Mapping[str, int] = field(default_factory=lambda: {
        "萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12})
    currencies: Mapping[str, Currency] = field(default_factory=lambda: {
        "美元": Currency("US$"), "美金": Currency("US$"),
        "新台幣": Currency("NT$"), "新臺幣": Currency("NT$"), "台幣": Currency("NT$"), "臺幣": Currency("NT$"),
        "日圓": Currency(suffix=" yen"), "日元": Currency(suffix=" yen"), "日幣": Currency(suffix=" yen"),
        "人民幣": Currency("CNY "), "人民币": Currency("CNY "),
        "歐元": Currency("€"), "港幣": Currency("HK$"), "港元": Currency("HK$"), "韓元": Currency(suffix=" won"),
    })
    # Bare 元 (圓 on cheques) in a Taiwan article is New Taiwan dollars (``--default-currency``).
    default_currency: Currency = Currency("NT$")
    default_currency_words: tuple[str, ...] = ("元", "圓", "圆")
    # Counters written after the figure ("7,000 people"); "" keeps the figure alone.  名 and 位
    # are measure words: the noun follows (數十名遊客, "dozens of visitors"), so they add no English.
    counters: Mapping[str, str] = field(default_factory=lambda: {
        "人": "people", "名": "", "位": "", "片": "", "點": "", "台": "", "家": "", "張": "", "檔": ""})
    prefix_qualifiers: Mapping[str, str] = field(default_factory=lambda: {
        "超過": "more than", "超逾": "more than", "逾": "more than", "多達": "as many as", "高達": "as much as",
        "將近": "nearly", "接近": "nearly", "近": "nearly", "大約": "about", "約": "about",
    })
    # Qualifiers that read so only before a round Chinese amount: 上千億 is
    # "more than 100 billion", but 市場上10萬片 is a preposition.
    round_qualifiers: Mapping[str, str] = field(default_factory=lambda: {"上": "more than"})
    # Other English a journalist uses for the same qualifier; each also satisfies the figure.
    qualifier_variants: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {
        "more than": ("over",), "about": ("around", "approximately", "roughly"), "nearly": ("almost", "close to"),
        "as much as": ("up to", "as high as"), "as many as": ("up to",)})
    suffix_qualifiers: Mapping[str, str] = field(default_factory=lambda: {
        "多": "more than", "餘": "more than", "以上": "more than"})
    # 數十億 / 幾百萬: an indefinite amount ("several billion").
    several: frozenset[str] = field(default_factory=lambda: _words("數 幾"))
    range_joiners: frozenset[str] = field(default_factory=lambda: _words("至 到 ~ ～ - – —"))
    # Words that contain a qualifier, a unit or 成 without being one
    # (節約 is "save", 最近 "recently", 元素 "element", 成長 "growth").  A
    # figure's qualifier or unit counts only where none of these covers it.
    # jieba's dictionary is consulted as well (pipeline/numbers/words.py).
    not_figure_words: frozenset[str] = field(default_factory=lambda: _words(
        "節約 簽約 合約 條約 預約 契約 解約 違約 履約 公約 特約 約束 "
        "最近 附近 靠近 親近 "
        "賣超 買超 "
        "元素 元月 元旦 元件 元首 元老 元年 元宵 元兇 元氣 "
        "八成是 八成會 八成也 八成就 八成要 九成九是 "
        "成長 成為 成立 成功 成本 成交 成員 成果 成效 成熟 成績 成品 成就 成形 成型 成真 "
        "人次 人數 人口 人士 人員 人才 人力 人們 人工 人類 人物 "
        "名單 名稱 名義 名次 名字 名人 "
        "點數 點名 台電 台股 台灣 台積 家族 家庭 家電 張數 位置 位元 片段 檔案 檔期"))
    # A slash between two numbers is a fraction after these (約占1/3), a date
    # after or before the others (於11/21, 11/21起).
    fraction_before: frozenset[str] = field(default_factory=lambda: _words("占 佔 約 近 逾 達 僅 剩 超過 不到 的 為"))
    fraction_after: frozenset[str] = field(default_factory=lambda: _words("的 以上 以下 左右 強 弱"))
    date_before: frozenset[str] = field(default_factory=lambda: _words("於 在 自 從 截至 即日起 每逢"))
    date_after: frozenset[str] = field(default_factory=lambda: _words(
        "（ ( 起 前 止 當天 當日 晚間 上午 下午 凌晨 開盤 收盤 盤中 舉行 召開 公布 發布 登場"))


DEFAULT_TABLES = NumberTables()


def with_default_currency(tables: NumberTables, prefix: str) -> NumberTables:
    """Tables whose bare 元 is ``prefix`` (e.g. "US$" for an article from abroad)."""
    return replace(tables, default_currency=Currency(prefix))
