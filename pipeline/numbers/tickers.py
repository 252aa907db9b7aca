"""Taiwan-listed companies' codes and short names: is this number a ticker?

2886兆豐金獲利 is Mega Financial (2886) making a profit, not "2,886 trillion":
a listed code written next to that company's name is a ticker.  The table is
the exchanges' code list (data/tickers.csv, see data/SOURCE.md; refreshed by
devtools/update_tickers.py) plus a few names news uses that are not the listed
short name (data/ticker_aliases.csv).

A number is a ticker only when the name beside it is the name of the company
with exactly that code, in the forms Taiwan news writes:

    2886兆豐金 / 2886 兆豐金        code, then name ("code name")
    兆豐金(2886) / 兆豐金（2886-TW） name, then the code in brackets ("name (code)")
    (2886)兆豐金 / 【2886】兆豐金     bracketed code, then name ("(code) name")
    台積電2330 / 台積電 2330        name, then the bare code ("name code"), where
                                   no Chinese follows (台積電2330億元 is an amount)

Requiring the pair makes the answer safe even for names that begin like
ordinary text (萬海 in 1000萬海外, 元太 in 2000元太貴, 億光 in 100億光電): the
number would have to be that very company's code.  ``company_after`` answers a
looser question (some company's name follows, with another code) and is where
such names matter; see its docstring.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

TABLE_COLUMNS = ("code", "name", "market", "type")
ALIAS_COLUMNS = ("code", "alias", "note")
AMBIGUOUS_COLUMNS = ("name", "why")

# 臺 and 台 are the same character to a reader; the exchanges write both (臺企銀, 台積電).
_FOLD = str.maketrans("臺", "台")
_DIGITS = "0123456789０１２３４５６７８９"
_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACES = " \u3000\u00a0"
_CODE_TAIL = re.compile(r"[A-Z][0-9]?")  # preferred shares and active ETFs: 2881A, 2887Z1, 00981A
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OPEN = "(（[［【〔「"
_CLOSE = ")）]］】〕」"
# Decorations on listed short names that news often leaves out: 國巨* (no par value
# mark), 臻鼎-KY (foreign issuer), 鈺寶-創 (innovation board), 美德醫療-DR (depositary receipt).
_DECORATION = re.compile(r"(?:\*|-KY|-創|-DR)+$")
# What may stand between an opening bracket and the code: 台積電(股票代號：2330), (TW:2330)
_LABEL = re.compile(r"(?:(?:股票|證券|台股|臺股)?代[號碼]|TWSE|TPEx|TPEX|TWO|TW)[:：]?[ \u3000]?")
_LONGEST_LABEL = 6  # 股票代號：plus a space
# What may follow the code inside the brackets: (2330-TW), (2330.TW), (6488.TWO), (2330 TT)
_MARKET_SUFFIX = re.compile(r"(?:[-.．](?:TWO|TW)|[ \u3000]TT)(?![A-Za-z])")
# Inside brackets a list may go on: (2330、2303)
_LIST_GOES_ON = "、，,;；/"
# Words a company's fuller name adds after its short name, before the bracketed
# code: 東元電機（1504）, 鴻海科技集團（2317）, 台達電子（2308）.  At most two.
_NAME_ENDINGS = tuple(sorted("""
    股份有限公司 有限公司 公司 集團 控股 投控 金控 科技 電子 電機 精密 工業 企業 實業 國際
    電信 銀行 航空 海運 航運 汽車 鋼鐵 半導體 光電 生技 證券 人壽 建設 電腦 通訊 化學
    塑膠 材料 能源 醫療 製藥 食品 紡織 工程 電力 系統 網路 資訊""".split(), key=len, reverse=True))


@dataclass(frozen=True)
class Listing:
    """One row of data/tickers.csv."""

    code: str  # 2330, 0050, 00878, 2881A
    name: str  # the exchange's short name: 台積電, 元大台灣50, 臻鼎-KY
    market: str  # 上市 (TWSE), 上櫃 (TPEx), 上市臺灣創新板
    type: str  # 股票, ETF, 特別股, 創新板, ETN, 臺灣存託憑證(TDR), 受益證券-...


@dataclass(frozen=True)
class TickerMatch:
    """A code written beside its own company's name."""

    code: str
    name: str  # the listed short name (臻鼎-KY even where the text says 臻鼎)
    span: tuple[int, int]  # the whole expression: 兆豐金(2886-TW) with its brackets
    code_span: tuple[int, int]  # the digits (and a letter of 2881A)
    name_span: tuple[int, int]  # the name as written
    form: str  # "code name", "name (code)", "(code) name" or "name code"


@dataclass(frozen=True)
class NameMatch:
    """A listed company's name written right after a number that is not its code."""

    code: str  # the named company's code (the first, where two share a name)
    name: str  # the listed short name
    span: tuple[int, int]  # the name as written


def read_listings(text: str) -> list[Listing]:
    return [Listing(*row) for row in _rows(text, TABLE_COLUMNS, "tickers.csv")]


def read_aliases(text: str) -> dict[str, tuple[str, ...]]:
    """Code -> the other names news writes for that company."""
    aliases: dict[str, tuple[str, ...]] = {}
    for code, alias, _note in _rows(text, ALIAS_COLUMNS, "ticker_aliases.csv"):
        aliases[code] = (*aliases.get(code, ()), alias)
    return aliases


def read_ambiguous_names(text: str) -> list[str]:
    return [name for name, _why in _rows(text, AMBIGUOUS_COLUMNS, "ticker_ambiguous_names.csv")]


def _rows(text: str, columns: tuple[str, ...], what: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text))
    header = tuple(next(reader, ()))
    if header != columns:
        raise ValueError(f"{what}: columns {header}, expected {columns}")
    rows = [row for row in reader if row]
    for row in rows:
        if len(row) != len(columns) or not all(row[:2]):
            raise ValueError(f"{what}: malformed row {row}")
    return rows


def data_folder() -> Path:
    """The table shipped with the package."""
    from importlib.resources import files

    return Path(str(files("pipeline.numbers") / "data"))


class TickerTable:
    """Listed codes and the names each may be written with, indexed for the figure reader."""

    def __init__(self, listings: Iterable[Listing], aliases: Mapping[str, Iterable[str]] | None = None,
                 ambiguous_names: Iterable[str] = ()):
        self._listings = {row.code: row for row in listings}
        self._names: dict[str, tuple[str, ...]] = {}  # code -> folded names, longest first
        for code, row in self._listings.items():
            names = {row.name, _DECORATION.sub("", row.name), *(aliases or {}).get(code, ())}
            self._names[code] = tuple(sorted((n.translate(_FOLD) for n in names if n), key=len, reverse=True))
        self._ambiguous = frozenset(name.translate(_FOLD) for name in ambiguous_names)
        # first character -> (folded name, codes) longest first: company_after's candidates
        by_name: dict[str, list[str]] = {}
        for code, names in self._names.items():
            for name in names:
                by_name.setdefault(name, []).append(code)
        self._by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for name in sorted(by_name, key=len, reverse=True):
            self._by_first.setdefault(name[0], []).append((name, tuple(by_name[name])))

    @classmethod
    def load(cls, folder: Path | None = None) -> TickerTable:
        """The shipped table (about 2,400 codes; reading it takes a few milliseconds)."""
        folder = folder or data_folder()
        listings = read_listings((folder / "tickers.csv").read_text(encoding="utf-8"))
        aliases = read_aliases((folder / "ticker_aliases.csv").read_text(encoding="utf-8"))
        ambiguous = read_ambiguous_names((folder / "ticker_ambiguous_names.csv").read_text(encoding="utf-8"))
        return cls(listings, aliases, ambiguous)

    def __len__(self) -> int:
        return len(self._listings)

    def listing(self, code: str) -> Listing | None:
        return self._listings.get(code.translate(_TO_ASCII))

    def names_of(self, code: str) -> tuple[str, ...]:
        """Every name the code's company is matched by (folded: 台 for 臺), longest first."""
        return self._names.get(code.translate(_TO_ASCII), ())

    # -- the figure reader's questions
    def ticker_at(self, text: str, end: int) -> TickerMatch | None:
        """Whether the run of digits ending at ``end`` is a code written beside its company's name."""
        start = _digit_run_start(text, end)
        if start is None or _inside_a_number(text, start, end):
            return None
        code, code_end = self._code(text, start, end)
        if code is None:
            return None
        return self._bracketed(text, code, start, code_end) or self._bare(text, code, start, code_end)

    def company_after(self, text: str, end: int, glued: Callable[[str], bool] | None = None) -> NameMatch | None:
        """Some listed company's name right after the digits ending at ``end``, when they are not its code.

        The figure reader then cannot tell 1234兆豐金 (a code it does not know,
        or a typing error) from an amount, and should be unsure.  It matters
        only where the name's first character would be read into the figure
        (兆, 萬, 億, 元, 台, 年, 日 ...).  Two kinds of name are left out,
        because ordinary text after a number starts with them:

        - names listed in data/ticker_ambiguous_names.csv: ordinary words (世界,
          全新, 統一), places and better-known other companies (台南, 三星),
          and prefixes such as 萬在 (1000萬在台灣);
        - a name whose last character makes a word with the next one (萬海|外
          in 1000萬海外, 億光|電 in 100億光電, 元太|貴 in 2000元太貴), when
          ``glued(pair)`` is given: whether two characters form a dictionary
          word, the reader's jieba question (WordBoundaries).  Without it only
          the list applies.

        None too where the name is that of the code's own company (ticker_at's
        question) or the digits are part of a written-out number (1,000萬海運)."""
        start = _digit_run_start(text, end)
        if start is None or end == len(text) or _inside_a_number(text, start, end):
            return None  # 1,000萬海運: a written-out amount, whatever follows
        digits = text[start:end].translate(_TO_ASCII)
        for name, codes in self._by_first.get(text[end].translate(_FOLD), ()):
            if not _folded_at(text, end, name):
                continue
            if digits in codes:
                return None  # its own code: ticker_at's question
            if name in self._ambiguous or self._glued_after(text, end, name, glued):
                continue
            return NameMatch(codes[0], self._listings[codes[0]].name, (end, end + len(name)))
        return None

    # -- pieces
    def _code(self, text: str, start: int, end: int) -> tuple[str | None, int]:
        """The listed code at text[start:end], with a share-class tail (2881A, 2887Z1) when one follows."""
        digits = text[start:end].translate(_TO_ASCII)
        for tail_end in (end + 2, end + 1):
            tail, after = text[end:tail_end], text[tail_end:tail_end + 1]
            if len(tail) == tail_end - end and _CODE_TAIL.fullmatch(tail) and digits + tail in self._listings \
                    and not (after.isascii() and after.isalnum()):
                return digits + tail, tail_end
        return (digits, end) if digits in self._listings else (None, end)

    def _bracketed(self, text: str, code: str, start: int, end: int) -> TickerMatch | None:
        opened = _opening_bracket(text, start)
        if opened is None:
            return None
        at = end
        suffix = _MARKET_SUFFIX.match(text, at)
        if suffix:
            at = suffix.end()
        if at >= len(text) or text[at] not in _CLOSE + _LIST_GOES_ON:
            return None
        close = text[at] in _CLOSE
        name = self._name_ending(text, code, _skip_space_back(text, opened))
        if name is not None:
            return self._match(code, name, (start, end), (name[0], at + close), "name (code)")
        if not close:
            return None
        name = self._name_starting(text, code, _skip_space(text, at + 1))
        if name is not None:
            return self._match(code, name, (start, end), (opened, name[1]), "(code) name")
        return None

    def _bare(self, text: str, code: str, start: int, end: int) -> TickerMatch | None:
        name = self._name_starting(text, code, _skip_space(text, end))
        if name is not None:
            return self._match(code, name, (start, end), (start, name[1]), "code name")
        after = text[end:end + 1]
        if after and (_CJK.match(after) or after.isascii() and after.isalnum()):
            return None  # 台積電2330億元: an amount that equals the code; a bare code ends the phrase
        name = self._name_ending(text, code, _skip_space_back(text, start))
        if name is not None:
            return self._match(code, name, (start, end), (name[0], end), "name code")
        return None

    def _match(self, code: str, name_span: tuple[int, int], code_span: tuple[int, int],
               span: tuple[int, int], form: str) -> TickerMatch:
        return TickerMatch(code=code, name=self._listings[code].name, span=span,
                           code_span=code_span, name_span=name_span, form=form)

    def _name_starting(self, text: str, code: str, at: int) -> tuple[int, int] | None:
        for name in self._names[code]:
            if _folded_at(text, at, name):
                return at, at + len(name)
        return None

    def _name_ending(self, text: str, code: str, end: int) -> tuple[int, int] | None:
        """The code's name written just before ``end``, or its fuller name: 東元電機, 台達電子, 兆豐金控.

        A fuller name is the short name and one or two _NAME_ENDINGS words, which
        may share characters with it (台達電 + 電子 = 台達電子)."""
        for cut in _before_name_endings(text, end):
            for name in self._names[code]:
                # the name ends where the endings begin (東元|電機) or runs into them (台達[電]子)
                last = cut - 1 if cut < end else cut - len(name)
                for start in range(max(0, cut - len(name)), last + 1):
                    if _folded_at(text, start, name) and start + len(name) <= end:
                        return start, end
        return None

    @staticmethod
    def _glued_after(text: str, at: int, name: str, glued) -> bool:
        """萬海|外: the name's last character and the next one form a word of their own."""
        after = at + len(name)
        if glued is None or after >= len(text):
            return False
        return bool(glued(text[after - 1:after + 1]))


def _before_name_endings(text: str, end: int) -> list[int]:
    """``end``, then where the name would end without one or two of _NAME_ENDINGS (鴻海|科技|集團)."""
    ends = [end]
    for _ in range(2):
        word = next((w for w in _NAME_ENDINGS if ends[-1] >= len(w) and text.startswith(w, ends[-1] - len(w))), None)
        if word is None:
            break
        ends.append(ends[-1] - len(word))
    return ends


def _folded_at(text: str, at: int, folded: str) -> bool:
    return text[at:at + len(folded)].translate(_FOLD) == folded


def _digit_run_start(text: str, end: int) -> int | None:
    """Where the run of digits that ends at ``end`` starts; None when no run ends there."""
    if end < len(text) and text[end] in _DIGITS:
        return None
    start = end
    while start > 0 and text[start - 1] in _DIGITS:
        start -= 1
    return start if start < end else None


def _inside_a_number(text: str, start: int, end: int) -> bool:
    """2,886 / 2886.5 / 1.2886: the digits are part of a longer number."""
    before = text[start - 2:start] if start >= 2 else ""
    after = text[end:end + 2]
    return (len(before) == 2 and before[0] in _DIGITS and before[1] in ".,．") \
        or (len(after) == 2 and after[0] in ".,．" and after[1] in _DIGITS)


def _opening_bracket(text: str, start: int) -> int | None:
    """Where the bracket opens before the code, over a label such as 股票代號："""
    for at in range(start - 1, max(-1, start - 2 - _LONGEST_LABEL), -1):
        if text[at] in _OPEN and (at + 1 == start or _LABEL.fullmatch(text, at + 1, start)):
            return at
    return None


def _skip_space(text: str, at: int) -> int:
    return at + 1 if at < len(text) and text[at] in _SPACES else at


def _skip_space_back(text: str, at: int) -> int:
    return at - 1 if at > 0 and text[at - 1] in _SPACES else at
