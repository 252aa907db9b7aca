"""Quantities and dates in the source, in the English a financial journalist writes.

Chinese counts in 萬 (10^4), 億 (10^8) and 兆 (10^12 in Taiwan usage); engines
routinely turn 5000億美元 into "500 million".  Each figure found here becomes a
constraint (kind "number") enforced by the same decoder guarantee as glossary
terms, with its plain ``value`` and ``unit`` for the briefing's appendix.  A
figure read without certainty becomes a constraint with no target and an
``unsure`` reason: nothing is enforced, the QA flag number-unsure shows it.

The stages: dates.py (dates and date-or-fraction slashes), figures.py (a
numeral and its words), parse.py (the value, via cn2an), words.py (is a
qualifier or unit a word of its own), render.py (the English), tables.py (what
an editor extends).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pipeline.numbers.dates import DateFinder, DateSpan
from pipeline.numbers.figure import Figure
from pipeline.numbers.figures import FigureReader
from pipeline.numbers.parse import fold
from pipeline.numbers.render import Renderer
from pipeline.numbers.tables import DEFAULT_TABLES, NumberTables
from pipeline.numbers.words import WordBoundaries
from pipeline.translate.prepare import Constraint


class NumberFinder:
    """Finds the figures of a sentence and renders each as an English constraint."""

    def __init__(self, tables: NumberTables = DEFAULT_TABLES, tickers=None):
        """``tickers``: a ``TickerTable`` (2886兆豐金 is a ticker); None loads the shipped one."""
        if tickers is None:
            from pipeline.numbers.tickers import TickerTable

            tickers = TickerTable.load()
        self.tables = tables
        self.dates = DateFinder(tables)
        self.figures = FigureReader(tables, WordBoundaries(tables), tickers)
        self.renderer = Renderer(tables)

    def find(self, text: str, lead: str = "") -> list[tuple[int, int, Constraint]]:
        """Non-overlapping (start, end, constraint) in text order; a date wins over a figure it overlaps.
        ``lead``: the article's title and first paragraph, which say what the article is about
        (a bare 元 in an article about Hong Kong is not New Taiwan dollars)."""
        folded = fold(text)
        found = [self._date(text, folded, d) for d in _first_of_overlaps(self.dates.find(folded))]
        for figure in self.figures.read(folded):
            figure = self._which_yuan(text, figure, lead)
            if not any(s < figure.end and figure.start < e for s, e, _ in found):
                found.append((figure.start, figure.end, self._figure(text, figure)))
        return sorted(found, key=lambda f: f[0])

    def constraints(self, text: str, lead: str = "") -> list[Constraint]:
        return [c for _, _, c in self.find(text, lead)]

    def _which_yuan(self, text: str, figure: Figure, lead: str = "") -> Figure:
        """A bare 元 is the default currency, unless another currency is named in the
        sentence (人民幣存款減至6,251億元, 500億元，全數以人民幣計價), or the sentence, or
        the article's title and lead, is about a place whose 元 is another currency (the
        mainland, Hong Kong, Macau, Singapore, a market abroad), even when NT$ is named
        too (騰訊股價收480元，換算新台幣約2,000元)."""
        if figure.unit not in self.tables.default_currency_words or figure.unsure:
            return figure
        named = self._named_currencies(text, figure)
        other = [w for w in named if self.tables.currencies[w] != self.tables.default_currency]
        if other:
            return replace(figure, unit="", unsure=f"元 with {other[0]} named in the same sentence: "
                                                  "which currency is not certain")
        listed_abroad = _mentioned(text, self.tables.foreign_companies, ())
        if listed_abroad and _mentioned(text, self.tables.share_price_words, ()):
            return replace(figure, unit="", unsure=f"元 in a share price of {listed_abroad}, listed abroad: "
                                                  "its market's currency, not certain")
        for where, words, currency in self._regions():
            if currency == self.tables.default_currency.prefix:
                continue
            said = _mentioned(text, words, self.tables.not_region_words)
            in_lead = None if said else _mentioned(lead, words, self.tables.not_region_words)
            if said or in_lead:
                scope = "the sentence" if said else "the article"
                return replace(figure, unit="", unsure=f"元 where {scope} is about {where} ({said or in_lead}): "
                                                      f"{currency} or another currency, not certain")
        return figure

    def _named_currencies(self, text: str, figure: Figure) -> list[str]:
        """Currencies named as words of their own outside the figure (not the 日元 of 1日元旦)."""
        words = self.figures.words
        named = []
        for word in sorted(self.tables.currencies, key=len, reverse=True):
            at = text.find(word)
            while at != -1:
                inside = figure.start <= at < figure.end
                whole = words.word_across(text, at) is None and words.word_across(text, at + len(word)) is None
                if not inside and whole and not any(word in other for other in named):
                    named.append(word)
                    break
                at = text.find(word, at + 1)
        return named

    def _regions(self) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        t = self.tables
        return (("Hong Kong", t.hong_kong_words + t.hong_kong_companies, "HK$"),
                ("the mainland", t.mainland_words + t.mainland_places + t.mainland_companies, "RMB"),
                ("Macau", t.macau_words, "MOP"), ("Singapore", t.singapore_words, "S$"),
                ("a market abroad", t.foreign_market_words, "its own currency"))

    def _figure(self, text: str, figure: Figure) -> Constraint:
        english = self.renderer.english(figure)
        unsure = figure.unsure or ("" if english.target else "no safe English form")
        target = None if unsure else english.target
        variants = self._qualifier_variants(figure.qualifier, (english.target, *english.variants)) if target else ()
        return Constraint(text[figure.start:figure.end], target, "number", variants, english.value, english.unit,
                          unsure)

    def _qualifier_variants(self, qualifier: str, forms: tuple[str, ...]) -> tuple[str, ...]:
        """"more than 4 million" is also "over 4 million"."""
        others = [f"{alt} {form[len(qualifier) + 1:]}" for form in forms if qualifier and form.startswith(qualifier + " ")
                  for alt in self.tables.qualifier_variants.get(qualifier, ())]
        return tuple(dict.fromkeys(v for v in (*forms[1:], *others) if v != forms[0]))

    def _date(self, text: str, folded: str, span: DateSpan) -> tuple[int, int, Constraint]:
        source = text[span.start:span.end]
        if span.fraction:  # 約占1/3: a fraction, written like one, with its qualifier
            numerator, denominator = (int(x) for x in span.value.split("/"))
            unsure = "" if denominator <= 10 else f"{span.value}: no usual English fraction"
            start, qualifier = self.figures.qualifier_before(folded, span.start) or (span.start, "")
            figure = Figure(start, span.end, "fraction", Decimal(numerator), denominator=denominator, unsure=unsure,
                            qualifier=qualifier)
            return start, span.end, self._figure(text, figure)
        return span.start, span.end, Constraint(source, span.target, "number", span.variants if span.target else (),
                                                span.value, "date", span.unsure)


def _mentioned(text: str, words: tuple[str, ...], exceptions: tuple[str, ...]) -> str | None:
    """The first of ``words`` in ``text``, outside the Taiwan names that contain one (中國信託)."""
    for name in exceptions:
        text = text.replace(name, " " * len(name))
    return next((w for w in words if w in text), None)


def _first_of_overlaps(spans) -> list[DateSpan]:
    kept: list[DateSpan] = []
    for span in spans:
        if not any(k.start < span.end and span.start < k.end for k in kept):
            kept.append(span)
    return kept
