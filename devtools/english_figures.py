"""The figures an English sentence states, as values with their kind and unit (for the figure audit).

A reference translation says "HK$1.2 trillion", "half a million", "109.3–111.0%",
"twice", "a third", "May 10, 2018"; the audit (devtools/figure_audit.py) compares
those values with the figures the product enforces.  ``read_figures(text)``
returns every figure in text order as an ``EnglishFigure``:

* ``kind``: amount (plain numbers, money, counts, measures), percent, points
  (percentage points ``pp``, basis points ``bp``), times (3 times, twice,
  doubled, threefold), fraction (a third, two-thirds, 1/4), date, year (a
  bare 1900-2099 integer: a year, not an amount);
* ``value`` / ``high``: exact ``Fraction``s (a range has both; "a third" is 1/3
  exactly); a percentage is the number before "%" (12.5% is 12.5);
* ``unit``: a canonical currency (US$, HK$, NT$, CNY, JPY, EUR, GBP, KRW,
  SGD, AUD, CAD; ``$`` a dollar of unnamed country, ``¥`` yen or yuan) or
  measure (MW, kg, nm, ...), "" for none (counted nouns are not units);
* ``qualifier``: one class per meaning (about, more than, nearly, up to,
  less than, at least): "over" and "more than" are the same class;
* ``direction``: "down"/"up" when a word near the figure says which way
  ("a fall of 1.8%"); the value keeps the sign as written: "a fall of 1.8%" is
  1.8 with direction down, "-1.8%" and "minus 1.8%" are -1.8;
* ``date``: ISO for dates: 2018-05-10, --05-10 (no year), 2018-05, 2018
  ("end-2018" is the year with qualifier "end").

What is not read (documented, tested): ordinals ("third quarter", "10th"),
codes glued to letters (G20, 5G, COVID-19, A16), indefinite amounts
("hundreds of", "millions of", "dozens"), bare "quarter"/"half" that are
periods ("the first half", "third quarter"), and digit-slash dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

# -- tables -----------------------------------------------------------------

CURRENCIES = {  # how English writes a currency -> its canonical code
    "US$": "US$", "USD": "US$", "U.S.$": "US$", "HK$": "HK$", "HKD": "HK$", "NT$": "NT$", "TWD": "NT$", "NTD": "NT$",
    "RMB": "CNY", "Rmb": "CNY", "CNY": "CNY", "CNH": "CNY", "yuan": "CNY", "renminbi": "CNY", "Renminbi": "CNY",
    "JPY": "JPY", "yen": "JPY", "€": "EUR", "EUR": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "GBP": "GBP",
    "pounds": "GBP", "sterling": "GBP", "KRW": "KRW", "won": "KRW", "S$": "SGD", "SGD": "SGD", "A$": "AUD",
    "AUD": "AUD", "C$": "CAD", "CAD": "CAD", "$": "$", "dollars": "$", "dollar": "$", "¥": "¥",
}
DOLLARS = frozenset({"US$", "HK$", "NT$", "SGD", "AUD", "CAD"})  # what a bare "$" or "dollars" may be
YEN_OR_YUAN = frozenset({"JPY", "CNY"})  # what "¥" may be
# Words before "dollars" that name the country: "Hong Kong dollars", "US dollars".
# Currency codes written before or after the number: RMB1.2 billion, USD 5 million, 5 million USD.
_CODES = ("USD", "HKD", "RMB", "Rmb", "CNY", "CNH", "EUR", "JPY", "GBP", "TWD", "NTD", "KRW", "SGD", "AUD", "CAD")
MEASURES = {  # canonical unit -> the ways English writes it (abbreviations case-sensitive)
    "MW": ("MW", "megawatt", "megawatts"), "GW": ("GW", "gigawatt", "gigawatts"), "kW": ("kW", "kilowatt", "kilowatts"),
    "kWh": ("kWh", "kilowatt-hour", "kilowatt-hours"), "MWh": ("MWh",), "GWh": ("GWh",), "TWh": ("TWh",),
    "Hz": ("Hz", "hertz"), "kHz": ("kHz",), "MHz": ("MHz", "megahertz"), "GHz": ("GHz", "gigahertz"),
    "kg": ("kg", "kilogram", "kilograms", "kilogramme", "kilogrammes", "kilo", "kilos"),
    "tonnes": ("tonne", "tonnes", "ton", "tons"), "km": ("km", "kilometre", "kilometres", "kilometer", "kilometers"),
    "m": ("metre", "metres", "meter", "meters"), "cm": ("cm", "centimetre", "centimetres", "centimeter", "centimeters"),
    "mm": ("mm", "millimetre", "millimetres", "millimeter", "millimeters"),
    "nm": ("nm", "nanometre", "nanometres", "nanometer", "nanometers"), "ha": ("ha", "hectare", "hectares"),
    "barrels": ("barrel", "barrels", "bbl"), "GB": ("GB", "gigabyte", "gigabytes"), "TB": ("TB", "terabyte", "terabytes"),
    "acres": ("acre", "acres"), "km²": ("km²", "km2", "sq km", "square kilometres", "square kilometers"),
    "m²": ("m²", "sq m", "square metres", "square meters"), "sq ft": ("sq ft", "square feet", "square foot"),
}
_MEASURE_OF = {form: unit for unit, forms in MEASURES.items() for form in forms}
POINTS = {"pp": "percentage points", "bp": "basis points"}

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Short scales written after digits: "US$3bn", "HK$1.2 trn", "RMB5m" (m and b and k only glued to money).
_SHORT_SCALES = {"bn": 10**9, "bln": 10**9, "mn": 10**6, "mln": 10**6, "tn": 10**12, "trn": 10**12}
_GLUED_MONEY_SCALES = {"m": 10**6, "b": 10**9, "k": 10**3, "K": 10**3}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                 "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                 "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
_TIMES_WORDS = {"twice": 2, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "triple": 3, "tripled": 3,
                "triples": 3, "tripling": 3, "trebled": 3, "quadruple": 4, "quadrupled": 4, "halved": Fraction(1, 2)}
_FOLD_WORDS = {f"{word}fold": value for word, value in (*_UNITS.items(), *_TENS.items(), ("hundred", 100))}
MONTHS = {name: n for n, names in enumerate((
    ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",), ("June", "Jun"),
    ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"), ("October", "Oct"), ("November", "Nov"),
    ("December", "Dec")), start=1) for name in names}
# A month named alone is a date only after these ("in March", "since October"): May and March are also verbs.
_MONTH_ALONE_AFTER = frozenset("in since from until till to of by during last this next and early late mid - between "
                               "before after through on end".split())
_PERIOD_PARTS = {"end": "end", "mid": "mid", "early": "early", "late": "late", "start": "start", "beginning": "start"}

# Qualifiers, longest first within the lookup; each phrase -> its class.
QUALIFIERS_BEFORE = {
    ("more", "than"): "more than", ("over",): "more than", ("above",): "more than", ("exceeding",): "more than",
    ("in", "excess", "of"): "more than", ("upwards", "of"): "more than", ("just", "over"): "more than",
    ("well", "over"): "more than", ("beyond",): "more than",
    ("about",): "about", ("around",): "about", ("approximately",): "about", ("approx",): "about",
    ("roughly",): "about", ("some",): "about", ("circa",): "about", ("an", "estimated"): "about",
    ("nearly",): "nearly", ("almost",): "nearly", ("close", "to"): "nearly", ("just", "under"): "nearly",
    ("approaching",): "nearly", ("nearing",): "nearly", ("just", "shy", "of"): "nearly",
    ("up", "to"): "up to", ("as", "much", "as"): "up to", ("as", "many", "as"): "up to", ("as", "high", "as"): "up to",
    ("less", "than"): "less than", ("fewer", "than"): "less than", ("under",): "less than", ("below",): "less than",
    ("no", "more", "than"): "less than",
    ("at", "least"): "at least", ("no", "less", "than"): "at least", ("not", "less", "than"): "at least",
}
QUALIFIERS_AFTER = {("or", "so"): "about", ("or", "more"): "at least", ("or", "above"): "at least",
                    ("-", "plus"): "more than", ("+",): "more than"}
_DOWN = frozenset("fell fall falls falling fallen down decline declines declined declining decrease decreases "
                  "decreased decreasing drop drops dropped dropping lost loss losses lower contracted contraction "
                  "contract shrank shrink shrinking slid slide slump slumped plunge plunged plunging deficit "
                  "reduction reduced cut cuts eased dipped dip retreated tumbled slipped negative minus".split())
_UP = frozenset("rose rise rises rising risen up increase increases increased increasing grew grow grows growing "
                "growth gain gains gained higher climbed climb jumped jump surged surge expanded expansion "
                "positive surplus".split())
_CLAUSE_END = frozenset(",;:.!?()")


@dataclass(frozen=True)
class EnglishFigure:
    start: int
    end: int
    text: str  # as written, qualifier not included
    kind: str  # amount, percent, points, times, fraction, date, year
    value: Fraction | None = None
    high: Fraction | None = None  # the top of a range
    unit: str = ""  # canonical: US$, HK$, CNY, $, ¥, MW, pp, bp, ...; "" for none
    qualifier: str = ""  # a class of QUALIFIERS_BEFORE/AFTER, or end/mid/... for a date
    direction: str = ""  # "down" / "up": a word near the figure says which way
    date: str = ""  # ISO: 2018-05-10, --05-10, 2018-05, 2018
    spelled: bool = False  # written in words (ten, half a million, a third)
    plus_minus: bool = False  # ±0.5%
    in_range: bool = False  # an end of a range stated with words ("from 3% to 5%"): also read alone
    range_words: str = ""  # how a range was joined: "to", "from-to", "between-and", "-"


def currency_code(written: str) -> str:
    """The canonical code of a currency as written (US$, USD -> US$; yen, JPY -> JPY; € -> EUR), "" if unknown."""
    return CURRENCIES.get(written.strip(), "")


def measure_unit(written: str) -> str:
    """The canonical measure unit (megawatts -> MW), "" if unknown."""
    return _MEASURE_OF.get(written.strip(), "")


_COUNTRY_DOLLARS = {" ".join(k): v for k, v in {("US",): "US$", ("U.S.",): "US$", ("American",): "US$",
                                                 ("Hong", "Kong"): "HK$", ("HK",): "HK$", ("New", "Taiwan"): "NT$",
                                                 ("Taiwan",): "NT$", ("NT",): "NT$", ("Singapore",): "SGD",
                                                 ("Australian",): "AUD", ("Canadian",): "CAD"}.items()}
_NAMED_CURRENCY = re.compile(
    r"\b(?P<country>US|U\.S\.|American|Hong Kong|HK|New Taiwan|Taiwan|NT|Singapore|Australian|Canadian) dollars?\b"
    r"|\b(?P<word>USD|HKD|RMB|Rmb|CNY|CNH|EUR|JPY|GBP|TWD|NTD|KRW|SGD|AUD|CAD|renminbi|Renminbi|yuan|yen|euros?)\b"
    r"|(?P<sign>(?:US|HK|NT|S|A|C)\$|[€£¥])")


def named_currencies(text: str) -> set[str]:
    """The canonical codes of the currencies ``text`` names anywhere, with or without a figure ("against the USD")."""
    codes = set()
    for m in _NAMED_CURRENCY.finditer(text):
        codes.add(_COUNTRY_DOLLARS[m["country"]] if m["country"] else CURRENCIES[m["word"] or m["sign"]])
    return codes


# -- tokens -----------------------------------------------------------------

_TOKEN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9,][0-9])|[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
                    r"|[A-Za-z]+(?:['’][A-Za-z]+)*|\S")


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return self.text[0] in "0123456789" or self.text[0] == "." and len(self.text) > 1

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


@dataclass
class _Quantity:
    first: int  # token index of the first token (sign or currency included)
    next: int  # token index after the quantity
    kind: str
    value: Fraction
    unit: str = ""
    scaled: bool = False  # a scale word was written (million, bn)
    spelled: bool = False
    plus_minus: bool = False
    qualifier: str = ""  # written after: "or so", "+"
    scale: int = 1  # the size written (10**6 for million): a range's low end borrows it (US$300-500 million)


def read_figures(text: str) -> list[EnglishFigure]:
    """Every figure of ``text``, in text order (a range's word-joined ends follow the range)."""
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.toks = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]

    # -- token helpers
    def tok(self, i: int) -> str:
        return self.toks[i].text if 0 <= i < len(self.toks) else ""

    def glued(self, i: int) -> bool:
        """Token i follows token i-1 with no space."""
        return 0 < i < len(self.toks) and self.toks[i - 1].end == self.toks[i].start

    def words_at(self, i: int, words: tuple[str, ...]) -> bool:
        return all(self.tok(i + k).lower() == w.lower() for k, w in enumerate(words))

    # -- the scan
    def read(self) -> list[EnglishFigure]:
        figures: list[EnglishFigure] = []
        i = 0
        while i < len(self.toks):
            found = self._date(i) or self._fraction(i) or self._times_word(i) or self._quantities(i)
            if found is None:
                i += 1
                continue
            new, i = found
            figures.extend(new)
        return figures

    def _figure(self, first: int, next_: int, kind: str, **fields) -> EnglishFigure:
        start, end = self.toks[first].start, self.toks[next_ - 1].end
        qualifier = fields.pop("qualifier", "") or self._qualifier_before(first)
        direction = "" if kind in ("date", "year") else self._direction(first, next_)
        return EnglishFigure(start, end, self.text[start:end], kind, qualifier=qualifier, direction=direction, **fields)

    # -- context
    def _qualifier_before(self, first: int) -> str:
        for phrase in sorted(QUALIFIERS_BEFORE, key=len, reverse=True):
            at = first - len(phrase)
            if at >= 0 and self.words_at(at, phrase):
                return QUALIFIERS_BEFORE[phrase]
        return ""

    def _qualifier_after(self, i: int) -> tuple[str, int]:
        for phrase, meaning in QUALIFIERS_AFTER.items():
            if self.words_at(i, phrase) and (phrase[0] not in "-+" or self.glued(i)):
                return meaning, i + len(phrase)
        return "", i

    def _direction(self, first: int, next_: int) -> str:
        """A word that says which way: right after the figure ("an 11.3% fall"), else the nearest before it
        in its clause ("fell by 1.8%")."""
        for k in range(next_, min(len(self.toks), next_ + 2)):
            word = self.tok(k).lower()
            if word in _DOWN or word in _UP:
                return "down" if word in _DOWN else "up"
        for k in range(first - 1, max(-1, first - 7), -1):
            word = self.tok(k).lower()
            if word in _CLAUSE_END:
                break
            if word in _DOWN or word in _UP:
                return "down" if word in _DOWN else "up"
        return ""

    # -- dates
    def _month(self, i: int) -> int:
        """A month: capitalised (May, Sept), in capitals (12 APR, in headings), or a full name in lower case
        (october 1998, a slip in the HKMA reports) other than the verbs may and march."""
        word = self.tok(i)
        if word.isupper() and len(word) > 2 or word.islower() and len(word) > 5 or word in ("june", "july", "april"):
            word = word.capitalize()
        return MONTHS.get(word, 0) if word[:1].isupper() else 0

    def _day(self, i: int) -> tuple[int, int]:
        """A day number (10, 10th) at token i: (day, next index), or (0, i)."""
        word = self.tok(i)
        if not (re.fullmatch(r"[0-9]{1,2}", word) and 1 <= int(word) <= 31):
            return 0, i
        if self.tok(i + 1) in ("st", "nd", "rd", "th") and self.glued(i + 1):
            return int(word), i + 2
        if i + 1 < len(self.toks) and self.toks[i + 1].is_word and self.glued(i + 1):
            return 0, i
        return int(word), i + 1

    def _days(self, i: int) -> tuple[list[int], int]:
        """One day or a span of days (1–2, 24-25): ([days], next index)."""
        day, j = self._day(i)
        if day and self.tok(j) in ("-", "–", "—") and (other := self._day(j + 1))[0] > day:
            return [day, other[0]], other[1]
        return ([day], j) if day else ([], i)

    def _year(self, i: int) -> int:
        word = self.tok(i)
        glued_after = i + 1 < len(self.toks) and self.glued(i + 1) and self.toks[i + 1].is_word
        return int(word) if re.fullmatch(r"(1[0-9]|20)[0-9][0-9]", word) and not glued_after else 0

    def _after_month(self, i: int) -> int:
        """Skip the period of an abbreviated month (Sept. 5)."""
        return i + 2 if self.tok(i + 1) == "." and len(self.tok(i)) <= 4 and self.glued(i + 1) else i + 1

    def _date(self, i: int):
        if (part := _PERIOD_PARTS.get(self.tok(i).lower())) and (found := self._period(i, part)):
            return found
        first = i
        if self.tok(i).lower() == "the" and self._day(i + 1)[0]:
            i += 1
        days, j = self._days(i)
        if days:  # 10 May 2018, 1–2 June, the 10th of May
            if self.tok(j) == "of":
                j += 1
            month = self._month(j)
            if not month:
                return None
            j = self._after_month(j)
            year_at = j + 1 if self.tok(j) == "," and self._year(j + 1) else j
            year = self._year(year_at)
            return self._dates(first, year_at + 1 if year else j, year, month, days)
        month = self._month(i)
        if not month:
            return None
        j = self._after_month(i)
        days, k = self._days(j)
        if days and self.tok(k) != "%" and not self._unit_follows(k):  # May 10, 2018; June 1–2
            year_at = k + 1 if self.tok(k) == "," and self._year(k + 1) else k
            year = self._year(year_at)
            return self._dates(i, year_at + 1 if year else k, year, month, days)
        if year := self._year(j):  # May 2018
            return [self._figure(i, j + 1, "date", date=f"{year}-{month:02d}")], j + 1
        if len(self.tok(i)) > 3 and self.tok(i - 1).lower() in _MONTH_ALONE_AFTER:  # in March, since October
            return [self._figure(i, j, "date", date=f"--{month:02d}")], j
        return None

    def _dates(self, first: int, end: int, year: int, month: int, days: list[int]):
        """A date, or each day of a span (1–2 June: June 1 and June 2, both ends of a range).  A date without
        a year takes the year of a date it runs to: "from 24 August to 5 September 2021"."""
        if not year and self.tok(end).lower() in ("to", "-", "–", "until", "and", "through") \
                and (following := self._date(end + 1)) and following[0][0].date[:4].isdigit():
            year = int(following[0][0].date[:4])
        prefix = f"{year}-" if year else "--"
        figures = [self._figure(first, end, "date", date=f"{prefix}{month:02d}-{day:02d}", in_range=len(days) > 1,
                                range_words="-" if len(days) > 1 else "") for day in days]
        return figures, end

    def _unit_follows(self, k: int) -> bool:
        word = self.tok(k).lower()
        return word in _SCALES or word in ("percent", "per", "times") or self.tok(k) in _MEASURE_OF

    def _period(self, i: int, part: str):
        """end-2018, mid-2018, end of 2018, end-June 2018, early 2018: a year (or month) with the part it names."""
        j = i + 1
        if self.tok(j) == "-" and self.glued(j):
            j += 1
        elif self.tok(j).lower() == "of":
            j += 1
        elif part not in ("early", "late", "mid"):
            return None  # "the end" alone; "early 2018" needs no joiner
        month = self._month(j)
        if month:
            j = self._after_month(j)
        year = self._year(j)
        if not year:
            return None
        date = f"{year}-{month:02d}" if month else str(year)
        return [self._figure(i, j + 1, "date", date=date, qualifier=part)], j + 1

    # -- fractions and "twice"
    def _fraction(self, i: int):
        word = self.tok(i)
        low = word.lower()
        if self.toks[i].is_number and self.tok(i + 1) == "/" and self.glued(i + 1) and self.glued(i + 2):
            n, d = self.tok(i), self.tok(i + 2)
            if n.isdigit() and d.isdigit() and not n.startswith("0") and 0 < int(n) < int(d) <= 10 \
                    and not (self.tok(i + 3) == "/" and self.glued(i + 3)) and not (self.tok(i - 1) == "/" and self.glued(i)):
                first, _ = self._sign(i)
                sign = -1 if first < i else 1
                return [self._figure(first, i + 3, "fraction", value=sign * Fraction(int(n), int(d)))], i + 3
            return None
        numerator = {"a": 1, "an": 1, "one": 1}.get(low) or _UNITS.get(low, 0)
        if not numerator:
            if low == "half" and self._half_is_fraction(i):
                return [self._figure(i, i + 1, "fraction", value=Fraction(1, 2), spelled=True)], i + 1
            return None
        j = i + 2 if self.tok(i + 1) == "-" and self.glued(i + 1) else i + 1
        denominator = _DENOMINATORS.get(self.tok(j).lower())
        if not denominator or self.tok(i - 1).lower() == "and":  # "two and a half" is an amount
            return None
        plural = self.tok(j).lower().endswith("s")
        if plural != (numerator > 1) or numerator >= denominator:
            return None
        if low in ("a", "an") and not self._fraction_ends(j + 1):
            return None  # "a third consecutive year", "a fourth round": ordinals
        return [self._figure(i, j + 1, "fraction", value=Fraction(numerator, denominator), spelled=True)], j + 1

    def _fraction_ends(self, j: int) -> bool:
        word = self.tok(j).lower()
        return word in ("of", "", "the") or word in _CLAUSE_END or word in ("and", "or", "to", "from", "in", "on")

    def _half_is_fraction(self, i: int) -> bool:
        """half of, by half, half the: a fraction; the first half, half-year, half a million: not."""
        before, after = self.tok(i - 1).lower(), self.tok(i + 1).lower()
        if before in ("first", "second", "and", "a", "one") or after == "-":
            return False
        if after in ("a", "an") and self.tok(i + 2).lower() in (*_SCALES, "dozen", "hundred", "percent", "per"):
            return False  # half a million: an amount
        return after in ("of", "the", "its", "their", "that", "this", "a", "an", "", ".", ",", ";") \
            or before in ("by", "about", "nearly", "almost", "over", "than")

    def _times_word(self, i: int):
        low = self.tok(i).lower()
        value = _TIMES_WORDS.get(low) or _FOLD_WORDS.get(low)
        if value is None or (self.tok(i + 1) == "-" and self.glued(i + 1)):  # double-digit
            return None
        return [self._figure(i, i + 1, "times", value=Fraction(value), spelled=True)], i + 1

    # -- quantities and ranges
    def _quantities(self, i: int):
        q = self._quantity(i)
        if q is None:
            return None
        if q.kind == "year":
            return [self._figure(q.first, q.next, "year", value=q.value)], q.next
        joined = self._range(q)
        if joined is None:
            return [self._from_quantity(q)], q.next
        low, high, words = joined
        figure = self._figure(low.first, high.next, low.kind, value=low.value, high=high.value, unit=low.unit,
                              spelled=low.spelled or high.spelled, plus_minus=low.plus_minus, range_words=words,
                              qualifier=low.qualifier or high.qualifier)
        ends = [] if words == "-" else [replace(self._from_quantity(x), in_range=True, range_words=words)
                                        for x in (low, high)]
        return [figure, *ends], high.next

    def _from_quantity(self, q: _Quantity) -> EnglishFigure:
        return self._figure(q.first, q.next, q.kind, value=q.value, unit=q.unit, spelled=q.spelled,
                            plus_minus=q.plus_minus, qualifier=q.qualifier)

    def _range(self, low: _Quantity):
        """X to Y, X-Y, X–Y, between X and Y, from X to Y: (low, high, joiner) or None."""
        j, joiner = low.next, self.tok(low.next)
        between = self.tok(low.first - 1).lower() == "between"
        if joiner.lower() == "to" or joiner in ("-", "–", "—", "~") or joiner.lower() == "and" and between:
            high = self._quantity(self._number_start(j + 1), in_range=True)
        else:
            return None
        if high is None or high.kind == "year" or low.kind == "year":
            return None
        low, high = self._borrow(low, high)
        if (low.kind, low.unit) != (high.kind, high.unit) or not low.value < high.value:
            return None
        if joiner.lower() == "and":
            words = "between-and"
        elif joiner.lower() == "to":
            words = "from-to" if self.tok(low.first - 1).lower() == "from" else "to"
        else:
            words = "-"
        return low, high, words

    @staticmethod
    def _borrow(low: _Quantity, high: _Quantity) -> tuple[_Quantity, _Quantity]:
        """3-5% (the low end takes %), US$300-500 million (the low end takes the size, the high end the currency)."""
        if low.kind == "amount" and not low.unit and high.kind != "amount" and not low.scaled:
            low = replace(low, kind=high.kind)
        if high.kind == "amount" and low.kind == "amount":
            if not low.unit and high.unit:
                low = replace(low, unit=high.unit)
            elif low.unit and not high.unit:
                high = replace(high, unit=low.unit)
        if high.scaled and not low.scaled and low.kind == high.kind:
            low = replace(low, value=low.value * high.scale, scaled=True, scale=high.scale)
        return low, high

    def _number_start(self, k: int) -> int:
        """The number token of a figure starting at token k: past a currency (HK$7.85) or a sign (-2%)."""
        if self.tok(k) in ("US", "HK", "NT", "S", "A", "C") and self.tok(k + 1) == "$" and self.glued(k + 1):
            k += 2
        elif self.tok(k) in ("$", "€", "£", "¥", *_CODES):
            k += 1
        if self.tok(k) in ("-", "−", "–") and self.glued(k + 1):
            k += 1
        return k

    def _sign(self, i: int) -> tuple[int, int]:
        """(first token, sign) for a figure whose number (or currency) starts at token i: -1.8, −1.8, -HK$5,
        minus 1.8.  A dash right after a number, word, % or ) joins (3-5%, COVID-19), it is no sign."""
        before = self.tok(i - 1)
        if before in ("−", "-", "–") and self.glued(i):
            joins = i >= 2 and self.glued(i - 1) and (self.toks[i - 2].is_number or self.toks[i - 2].is_word
                                                        or self.tok(i - 2) in ("%", ")"))
            return (i, 1) if joins else (i - 1, -1)
        if before.lower() in ("minus", "negative") and not self.glued(i):
            return i - 1, -1
        return i, 1

    def _currency_before(self, i: int) -> tuple[int, str]:
        """(first token, code) of a currency written before the number at token i."""
        before = self.tok(i - 1)
        if before in ("$", "€", "£", "¥"):
            if before == "$" and self.glued(i - 1) and self.tok(i - 2) in ("US", "HK", "NT", "S", "A", "C"):
                return i - 2, CURRENCIES[self.tok(i - 2) + "$"]
            if before == "$" and self.glued(i - 1) and self.tok(i - 2) == "." and self.tok(i - 3) == "S":
                return max(0, i - 5), "US$"  # U.S.$
            return i - 1, CURRENCIES[before]
        if before in _CODES:
            return i - 1, CURRENCIES[before]
        return i, ""

    def _quantity(self, i: int, in_range: bool = False) -> _Quantity | None:
        """A number at token i with its sign, currency, size, unit and trailing qualifier."""
        if i >= len(self.toks):
            return None
        tok = self.toks[i]
        number = self._digits(i) if tok.is_number else self._spelled(i) if tok.is_word else None
        if number is None:
            return None
        value, j, spelled = number
        if tok.is_number and (self._glued_code(i, j) or not in_range and self._second_half(i)):
            return None
        first, currency = self._currency_before(i)
        plus_minus = self.tok(first - 1) == "±" or self.words_at(first - 3, ("plus", "or", "minus"))
        if plus_minus:
            first, sign = first - (1 if self.tok(first - 1) == "±" else 3), 1
        else:
            first, sign = self._sign(first)
        scale, j = self._scale(j, bool(currency))
        q = _Quantity(first, j, "amount", sign * value * (scale or 1), currency, bool(scale), spelled, plus_minus,
                      scale=scale or 1)
        q = self._unit_after(q)
        qualifier, after = self._qualifier_after(q.next)
        if qualifier:
            q = replace(q, qualifier=qualifier, next=after)
        if (q.kind, q.unit, q.scaled, q.spelled, q.qualifier) == ("amount", "", False, False, "") and first == i \
                and self._year(i):
            q = replace(q, kind="year")
        return q

    def _second_half(self, i: int) -> bool:
        """The 17 of 2016-17 or 2330-5, left over when no range was read: not a figure of its own."""
        return self.tok(i - 1) in ("-", "–") and self.glued(i) and self.glued(i - 1) and i >= 2 \
            and self.toks[i - 2].is_number and not self._year(i)

    def _digits(self, i: int) -> tuple[Fraction, int, bool] | None:
        text = self.tok(i)
        if self.tok(i - 1) in ("/", ".", ":") and self.glued(i) or self.tok(i + 1) in ("/", ":") and self.glued(i + 1) \
                and i + 2 < len(self.toks) and self.toks[i + 2].is_number and self.glued(i + 2):
            return None  # 11/02/2007, 7:30, version strings: not amounts
        value = Fraction(text.replace(",", ""))
        j = i + 1
        value, j = self._and_fraction(value, j)
        if self.tok(j).lower() == "hundred" and not self.glued(j):
            value, j = value * 100, j + 1
        return value, j, False

    def _glued_code(self, i: int, j: int) -> bool:
        """G20, A16, 5G, COVID-19, 2Q18, 10th: digits glued to letters are a name or an ordinal."""
        before = self.tok(i - 1)
        if self.glued(i) and self.toks[i - 1].is_word and before not in _CODES:
            return True
        if before in ("-",) and self.glued(i) and i >= 2 and self.glued(i - 1) and self.toks[i - 2].is_word \
                and self.tok(i - 2).lower() not in ("end", "mid", "early", "late"):
            return True  # COVID-19, Basel-3
        after = self.tok(j)
        if j == i + 1 and self.glued(j) and j < len(self.toks) and self.toks[j].is_word:
            return after not in _SHORT_SCALES and after not in _GLUED_MONEY_SCALES and after not in _MEASURE_OF \
                and after.lower() not in (*_SCALES, "bp", "bps", "pp", "ppt", "pct", "fold", "x")
        return False

    def _spelled(self, i: int) -> tuple[Fraction, int, bool] | None:
        """one, twenty-five, two hundred and fifty thousand, a million, half a billion, two and a half million."""
        low = self.tok(i).lower()
        if low == "half" and self.tok(i + 1).lower() in ("a", "an") and self.tok(i + 2).lower() in _SCALES:
            return Fraction(1, 2) * _SCALES[self.tok(i + 2).lower()], i + 3, True
        if low in ("a", "an"):
            nxt = self.tok(i + 1).lower()
            if nxt == "dozen":
                return Fraction(12), i + 2, True
            if nxt in ("hundred", *_SCALES) and not self.glued(i + 1):
                total, j = self._spelled_run(i + 1, start_value=1)
                return total, j, True
            return None
        if low not in _UNITS and low not in _TENS:
            return None
        if self.tok(i + 1) == "-" and self.glued(i + 1) and self.tok(i + 2).lower() in _DENOMINATORS:
            return None  # two-thirds: a fraction
        total, j = self._spelled_run(i)
        if self.tok(j).lower() == "dozen":
            total, j = total * 12, j + 1
        return total, j, True

    def _spelled_run(self, i: int, start_value: int = 0) -> tuple[Fraction, int]:
        """Number words from token i; a closing million/billion/trillion is left to _scale ("two million" and
        "2 million" read alike), one followed by more number words is read here (one billion and one)."""
        total, current, j, last = Fraction(0), Fraction(start_value), i, ""
        number_words = (*_UNITS, *_TENS, "hundred", "thousand")
        while j < len(self.toks):
            word = self.tok(j).lower()
            if word in _UNITS and last not in _UNITS and not (last in _TENS and _UNITS[word] >= 10):
                current += _UNITS[word]
            elif word in _TENS and last not in _UNITS and last not in _TENS:
                current += _TENS[word]
            elif word == "hundred" and last not in ("hundred", ""):
                current *= 100
            elif word == "hundred" and start_value:
                current = Fraction(100)
            elif word in _SCALES and last not in _SCALES and (last or start_value):
                following = self.tok(j + 2 if self.tok(j + 1).lower() == "and" else j + 1).lower()
                if word != "thousand" and following not in number_words:
                    break
                total, current = total + (current or 1) * _SCALES[word], Fraction(0)
            elif word == "-" and self.glued(j) and last in (*_UNITS, *_TENS) \
                    and self.tok(j + 1).lower() in (*_UNITS, "hundred", "thousand") and self.glued(j + 1):
                j += 1
                continue
            elif word == "and" and (last == "hundred" or last in _SCALES) and self.tok(j + 1).lower() in (*_UNITS, *_TENS):
                j += 1
                continue
            else:
                break
            last = word
            j += 1
        return self._and_fraction(total + current, j)

    def _and_fraction(self, value: Fraction, j: int) -> tuple[Fraction, int]:
        """two and a half, one and a quarter, two and three eighths: the whole number plus the fraction."""
        if self.tok(j).lower() != "and":
            return value, j
        numerator = {"a": 1, "an": 1, "one": 1}.get(self.tok(j + 1).lower()) or _UNITS.get(self.tok(j + 1).lower(), 0)
        denominator = _DENOMINATORS.get(self.tok(j + 2).lower())
        if numerator and denominator and numerator < denominator:
            return value + Fraction(numerator, denominator), j + 3
        return value, j

    def _scale(self, j: int, money: bool) -> tuple[int, int]:
        word = self.tok(j)
        if word.lower() in _SCALES:
            return _SCALES[word.lower()], j + 1
        if word in _SHORT_SCALES:
            return _SHORT_SCALES[word], j + 1
        if word in _GLUED_MONEY_SCALES and money and self.glued(j) and not (j + 1 < len(self.toks)
                                                                             and self.toks[j + 1].is_word
                                                                             and self.glued(j + 1)):
            return _GLUED_MONEY_SCALES[word], j + 1
        return 0, j

    def _unit_after(self, q: _Quantity) -> _Quantity:
        j, word = q.next, self.tok(q.next)
        low = word.lower()
        if word == "%" or low in ("percent", "pct"):
            return replace(q, kind="percent", next=j + 1)
        if low == "per" and self.tok(j + 1).lower() == "cent":
            return replace(q, kind="percent", next=j + 2)
        if low in ("percentage", "percent") and self.tok(j + 1).lower() in ("point", "points") \
                or low == "percentage" and self.tok(j + 1) == "-" and self.tok(j + 2).lower() == "point":
            return replace(q, kind="points", unit="pp", next=j + (3 if self.tok(j + 1) == "-" else 2))
        if low in ("pp", "ppt", "ppts"):
            return replace(q, kind="points", unit="pp", next=j + 1)
        if low == "basis" and self.tok(j + 1).lower() in ("point", "points") or low in ("bp", "bps"):
            return replace(q, kind="points", unit="bp", next=j + (2 if low == "basis" else 1))
        if low == "times":
            return replace(q, kind="times", next=j + 1)
        if word == "-" and self.glued(j) and self.tok(j + 1).lower() == "fold" or low == "fold":
            return replace(q, kind="times", next=j + (2 if word == "-" else 1))
        if not q.unit:
            code, after = self._currency_after(j)
            if code:
                return replace(q, unit=code, next=after)
        measure = self._measure_after(j)
        if measure and not q.unit:
            return replace(q, unit=measure[0], next=measure[1])
        return q

    def _currency_after(self, j: int) -> tuple[str, int]:
        for country, code in sorted(_COUNTRY_DOLLARS.items(), key=lambda kv: len(kv[0]), reverse=True):
            words = tuple(country.split())
            if self.words_at(j, words) and self.tok(j + len(words)).lower() in ("dollars", "dollar"):
                return code, j + len(words) + 1
        if self.words_at(j, ("U", ".", "S", ".")) and self.tok(j + 4).lower() in ("dollars", "dollar"):
            return "US$", j + 5
        word = self.tok(j)
        if word in ("dollars", "dollar", "yuan", "renminbi", "RMB", "yen", "euros", "euro", "won", "USD", "HKD",
                    "CNY", "TWD", "NTD", "EUR", "JPY", "GBP", "KRW") or word == "pounds" and self.tok(j + 1) == "sterling":
            return CURRENCIES[word], j + (2 if word == "pounds" else 1)
        return "", j

    def _measure_after(self, j: int) -> tuple[str, int] | None:
        two = f"{self.tok(j)} {self.tok(j + 1)}"
        if two in _MEASURE_OF:
            return _MEASURE_OF[two], j + 2
        glued = self.tok(j) + self.tok(j + 1)  # km², km2
        if self.glued(j + 1) and glued in _MEASURE_OF:
            return _MEASURE_OF[glued], j + 2
        if self.tok(j) in _MEASURE_OF:
            return _MEASURE_OF[self.tok(j)], j + 1
        return None


# -- sentences ----------------------------------------------------------------

_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Prof St No Nos Co Corp Inc Ltd Jr Sr vs etc e.g i.e U.S U.K Jan Feb Mar Apr "
                           "Jun Jul Aug Sep Sept Oct Nov Dec approx Fig".split())
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$€£¥#])")


def english_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of an English paragraph: splits after . ! ? before a capital or a figure,
    not after an abbreviation (U.S., No., Sept.) or an initial."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"([A-Za-z.]+)\.?[\"”’')\]]*\s*$", text[start:m.start() + 1])
        last = word.group(1).rstrip(".") if word else ""
        if text[m.start()] == "." and (last in _ABBREVIATIONS or len(last) == 1 and last.isupper()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
