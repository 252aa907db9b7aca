"""A figure in the English a financial journalist writes, with its plain value and unit.

Sizes: 23,456 · 120 million · NT$250 billion · -NT$0.5 · -3.5% · one third.
Ranges repeat the currency on both ends ("US$300 million to US$500 million")
and write a percentage range as "3% to 5%" (also accepting "3-5%").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipeline.numbers.figure import Figure
from pipeline.numbers.parse import plain
from pipeline.numbers.tables import Currency, NumberTables

_SIZES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_ORDINALS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"), 5: ("fifth", "fifths"),
             6: ("sixth", "sixths"), 7: ("seventh", "sevenths"), 8: ("eighth", "eighths"), 9: ("ninth", "ninths"),
             10: ("tenth", "tenths")}
_CARDINALS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class English:
    target: str | None
    variants: tuple[str, ...]
    value: str  # "250000000000", "-3.5%", "300000000 to 500000000", "1/3", "" (indefinite)
    unit: str  # "US$", "NT$", "%", "people", "times", ""


class Renderer:
    def __init__(self, tables: NumberTables):
        self.tables = tables

    def english(self, figure: Figure) -> English:
        kind = figure.kind
        if kind == "percent":
            return self._percent(figure)
        if kind == "times":
            return self._times(figure)
        if kind == "fraction":
            return self._fraction(figure)
        if kind == "several":
            return self._several(figure)
        if kind == "measure":
            return self._measure(figure)
        if kind == "doubled":
            return English(_qualified(figure.qualifier, "doubled"), ("double", "doubling", "two-fold", "twofold", "100%"),
                           "100%", "%")
        return self._amount(figure)

    # -- kinds
    def _amount(self, figure: Figure) -> English:
        currency = self._currency(figure.unit)
        counter = "" if currency else self.tables.counters.get(figure.unit, "")
        unit = currency.unit if currency else counter

        def one(size_text: str, value: Decimal, money: Currency | None = currency) -> str:
            return self._money(value, money, size_text) if money else _joined(size_text, counter)

        if figure.high is None:
            forms = [one(text, figure.value) for text in scalings(figure.value)]
            if not currency:  # "two million years", "four million people": journalists spell out one to ten
                forms += [one(spelled, figure.value) for spelled in _spelled_sizes(figure.value)]
            if figure.written and abs(figure.value) < 10**6:  # the author's decimals: 7.80
                whole, _, decimals = figure.written.lstrip("-").partition(".")
                forms.insert(0, one(f"{'-' if figure.value < 0 else ''}{int(whole):,}.{decimals}", figure.value))
            value = plain(figure.value)
        else:
            low, high = scaled(figure.value), scaled(figure.high)
            # money repeats its currency on both ends; a counter closes the range once
            low_end = one(low, figure.value) if currency else low
            forms = [f"{low_end} to {one(high, figure.high)}"]
            (low_number, _, low_size), (_, _, high_size) = low.partition(" "), high.partition(" ")
            if currency and low_size == high_size:  # HK$7.75-7.85, US$300-500 million
                forms += [self._money(figure.value, currency, f"{low_number}{dash}{high}") for dash in ("-", "–")]
            value = _span(figure)
        if currency and currency.others:  # RMB200 billion is also CNY200 billion or 200 billion yuan
            others = [Currency(prefix, suffix) for prefix, suffix in currency.others]
            if figure.high is None:
                forms += [one(text, figure.value, other) for other in others for text in scalings(figure.value)]
            else:
                forms += [f"{one(scaled(figure.value), figure.value, o)} to {one(scaled(figure.high), figure.high, o)}"
                          for o in others]
        forms = [_qualified(figure.qualifier, f) for f in forms]
        return English(forms[0], tuple(dict.fromkeys(forms[1:])), value, unit)

    def _percent(self, figure: Figure) -> English:
        if figure.high is None:
            digits = _percent_digits(figure.written or plain(figure.value))
            if figure.plus_minus:  # 正負3%: ±3%
                digits = digits.lstrip("-")
                return English(_qualified(figure.qualifier, f"±{digits}%"),
                               tuple(_qualified(figure.qualifier, v) for v in (
                                   f"plus or minus {digits}%", f"+/-{digits}%", f"+/- {digits}%",
                                   f"plus or minus {digits} percent", f"± {digits}%")), f"±{digits}%", "%")
            variants = (f"{digits} percent", f"{digits} per cent")
            return English(_qualified(figure.qualifier, f"{digits}%"),
                           tuple(_qualified(figure.qualifier, v) for v in variants), f"{digits}%", "%")
        if figure.plus_minus:
            return English(None, (), "", "%")
        low = _percent_digits(figure.written or plain(figure.value))
        high = _percent_digits(figure.written_high or plain(figure.high))
        return English(_qualified(figure.qualifier, f"{low}% to {high}%"),
                       tuple(_qualified(figure.qualifier, v) for v in (f"{low}-{high}%", f"{low}%-{high}%", f"{low}–{high}%")),
                       f"{low}% to {high}%", "%")

    def _times(self, figure: Figure) -> English:
        if figure.plus_minus:
            return English(None, (), "", "times")
        if figure.high is None:
            digits = figure.written or plain(figure.value)
            words = _small_number_words(figure.value)  # 兩倍: "two times", "twice"
            variants = (f"{words} times",) + (("twice",) if figure.value == 2 else ()) if words else ()
            return English(_qualified(figure.qualifier, f"{digits} times"),
                           tuple(_qualified(figure.qualifier, v) for v in variants), digits, "times")
        low, high = plain(figure.value), plain(figure.high)
        return English(_qualified(figure.qualifier, f"{low} to {high} times"),
                       (_qualified(figure.qualifier, f"{low}-{high} times"),), _span(figure), "times")

    def _fraction(self, figure: Figure) -> English:
        numerator, denominator = int(abs(figure.value)), figure.denominator
        value = f"{'-' if figure.value < 0 else ''}{numerator}/{denominator}"
        if figure.unsure or figure.value != int(figure.value):
            return English(None, (), value, "")
        singular, plural = _ORDINALS[denominator]
        word = singular if numerator == 1 else plural
        if denominator == 2 and numerator == 1:
            target, variants = "one half", ("half", "a half", "1/2")
        else:
            target = f"{_CARDINALS[numerator]} {word}"
            variants = (f"{_CARDINALS[numerator]}-{word}", value)
            if numerator == 1:
                variants = (f"a {word}",) + variants + (("one fourth", "a fourth") if denominator == 4 else ())
        sign = "minus " if figure.value < 0 else ""
        return English(_qualified(figure.qualifier, sign + target),
                       tuple(_qualified(figure.qualifier, sign + v) for v in variants), value, "")

    def _several(self, figure: Figure) -> English:
        """數十億 = several billion, 數萬 = tens of thousands, 數百人 = hundreds of people."""
        counter = self.tables.counters.get(figure.unit, "")
        currency = self._currency(figure.unit)
        words = _indefinite(abs(figure.value))
        if figure.unsure or words is None or figure.value < 0:
            return English(None, (), "", currency.unit if currency else counter)
        plural = words.replace("several ", "") + "s" if words.startswith("several ") else ""
        variants = ((f"{plural} of {counter}" if counter else plural),) if plural else ()  # "millions of people"
        of = " of" if counter and words.endswith("s") else ""  # "tens of thousands of people"
        return English(_joined(words + of, counter), variants, "", counter)

    def _measure(self, figure: Figure) -> English:
        """500兆瓦: 500 MW (also 500MW, 500 megawatts, 500-megawatt); a range repeats the unit;
        每秒1000兆位元: 1,000 Mbps."""
        if figure.prefix:
            prefix, unit = self.tables.unit_prefixes[figure.prefix], self.tables.units[figure.unit]
            symbol, name = prefix.symbol + unit.symbol, prefix.name + unit.name
        else:
            unit = self.tables.plain_units[figure.unit]
            symbol, name = unit.symbol, unit.name
        if figure.per_second and unit.symbol in ("bit", "B"):
            symbol, name = (symbol.replace("bit", "b") + "ps") if unit.symbol == "bit" else symbol + "/s", name
            by_rate = True
        else:
            by_rate = False

        def forms(value: Decimal, written: str) -> list[str]:
            value = value / unit.per
            number = written_number(value, written if unit.per == 1 else "")
            plural = name if value == 1 else name + "s"
            if by_rate:
                return [f"{number} {symbol}", f"{number}{symbol}", f"{number} {plural} per second"]
            by_symbol = [f"{number} {symbol}", f"{number}{symbol}", f"{number}-{symbol}"]
            by_name = [f"{number} {plural}", f"{number}-{name}", f"{number} {name}"]
            return by_symbol + by_name if unit.symbol_first else by_name + by_symbol

        if figure.plus_minus:
            return English(None, (), "", symbol)
        if figure.high is None:
            found = [_qualified(figure.qualifier, f) for f in forms(figure.value, figure.written)]
            value = plain(figure.value)
        else:
            low, high = forms(figure.value, figure.written), forms(figure.high, figure.written_high)
            found = [_qualified(figure.qualifier, f"{lo} to {hi}") for lo, hi in zip(low, high)]
            value = _span(figure)
        return English(found[0], tuple(dict.fromkeys(found[1:])), value, symbol)

    # -- pieces
    def _currency(self, unit: str) -> Currency | None:
        if unit in self.tables.default_currency_words:
            return self.tables.default_currency
        return self.tables.currencies.get(unit)

    @staticmethod
    def _money(value: Decimal, currency: Currency, size_text: str | None = None) -> str:
        sign = "-" if value < 0 else ""
        return f"{sign}{currency.prefix}{(size_text or scaled(value)).lstrip('-')}{currency.suffix}"


def scaled(value: Decimal) -> str:
    """120000000 -> 120 million, 23456 -> 23,456, 3618700000000 -> 3,618.7 billion, 12345678 -> 12,345,678."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    for size, word in _SIZES:  # the largest size that needs at most three decimals: 3,618.7 billion
        if value >= size and -(value / size).normalize().as_tuple().exponent <= 3:
            return f"{sign}{_grouped(value / size)} {word}"
    return sign + _grouped(value)


def scalings(value: Decimal) -> list[str]:
    """The preferred form first, then the other exact ones: 3.564 trillion, 3,564 billion, 3,564,000 million."""
    sign, size_free = ("-" if value < 0 else ""), abs(value)
    forms = [scaled(value)]
    for size, word in _SIZES:
        if size_free >= size and -(size_free / size).normalize().as_tuple().exponent <= 3:
            forms.append(f"{sign}{_grouped(size_free / size)} {word}")
    if size_free == size_free.to_integral_value():
        forms.append(sign + _grouped(size_free))
    return list(dict.fromkeys(forms))


def _percent_digits(digits: str) -> str:
    """1000 -> 1,000 (a percentage of four digits is grouped like any number); 111.0 stays 111.0."""
    sign, digits = ("-" if digits.startswith("-") else ""), digits.lstrip("-")
    whole, _, decimals = digits.partition(".")
    return f"{sign}{int(whole):,}" + (f".{decimals}" if decimals else "")


def written_number(value: Decimal, written: str) -> str:
    """The number as the author wrote its digits (0.36, 1,200.50), else in the house form."""
    if written:
        sign, digits = ("-" if written.startswith("-") else ""), written.lstrip("-")
        whole, _, decimals = digits.partition(".")
        return f"{sign}{int(whole):,}" + (f".{decimals}" if decimals else "")
    return scaled(value)


def _grouped(value: Decimal) -> str:
    whole, _, decimals = plain(value).partition(".")
    return f"{int(whole):,}" + (f".{decimals}" if decimals else "")


def _indefinite(magnitude: Decimal) -> str | None:
    names = {10**3: "thousand", 10**6: "million", 10**9: "billion", 10**12: "trillion"}
    for size, name in names.items():
        if magnitude == size:
            return f"several {name}"
        if magnitude == size * 10:
            return f"tens of {name}s"
        if magnitude == size * 100:
            return f"hundreds of {name}s"
    return {10: "dozens of", 100: "hundreds of"}.get(int(magnitude)) if magnitude in (10, 100) else None


def _spelled_sizes(value: Decimal) -> list[str]:
    return [f"{words} {word}" for size, word in _SIZES
            if value >= size and (words := _small_number_words(value / size))]


def _small_number_words(value: Decimal) -> str:
    """Journalists spell out one to ten: "five times"."""
    return _CARDINALS[int(value)] if value == int(value) and 1 <= value <= 9 else ("ten" if value == 10 else "")


def _qualified(qualifier: str, text: str) -> str:
    return f"{qualifier} {text}".strip()


def _joined(figure: str, counter: str) -> str:
    return f"{figure} {counter}".strip()


def _span(figure: Figure) -> str:
    return f"{plain(figure.value)} to {plain(figure.high)}"
