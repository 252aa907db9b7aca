"""Audit the figures the product enforces against a human reference translation (a measurement, not a test).

    python -m devtools.figure_audit --src F.zh --ref F.en [--model DIR] [--json] [--default-currency PREFIX] [--limit N]

Each source line is prepared the product's way (``# `` heading markers off,
sentences split by ``split_sentences``, each sentence through
``SentencePreparer`` with a ``NumberFinder`` for the default currency, no
glossary: what ``briefing eval`` does without ``--glossary``).  The reference
line is read by ``devtools.english_figures``.  Each figure constraint is then:

* **stated** when the reference line has a figure of the same kind with an
  equal value (exact: 1,035億 = 103.5 billion; ranges equal at both ends) and
  a compatible unit, see ``agreement``;
* **not stated** otherwise: every one is listed, with a guess at why (the
  reference rounds, writes the sign as a word, omits the year, uses another
  currency, states it on the next line...), in three classes: paraphrase,
  product (the product's figure looks wrong), alignment, and unexplained.

Unsure figures (nothing enforced) whose value the reference states are listed
too: they are what the product could enforce.  With ``--model`` the lines are
also translated the way ``briefing eval`` does, and each enforced figure is
looked for in the output (the guarantee).  Exit status: 0 for any report, 2
for a usage or file error.

Compatibility, exactly (``agreement``):
* kinds must agree: amount, percent, points (pp / bp), times, fraction, date;
  a reference year (2018) only agrees with a year date;
* values compare as exact fractions, signs included: "-1.8%" and "minus 1.8%"
  are -1.8, "a fall of 1.8%" is 1.8 (the guess then says "sign as a word");
  a ± figure agrees only with a ± figure;
* amounts: two currencies must be the same one (US$ = USD = "US dollars";
  CNY = RMB = yuan = renminbi); a bare "$"/"dollars" agrees with any dollar
  (US$, HK$, NT$, S$, A$, C$) and "¥" with yen or yuan, noted; a product
  currency against a reference number with no unit agrees, noted "unit not
  written"; a product counter (people) agrees with a reference number with
  no unit, never with money; measures (MW, kg) like currencies;
* dates: every part the product states (year, month, day) must be in the
  reference date; the reference may add the year (noted);
* qualifiers never decide "stated"; a difference (more than / about, or one
  side without) is noted and counted.  "more than" = "over" = "above".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from devtools.english_figures import (
    DOLLARS,
    POINTS,
    YEN_OR_YUAN,
    EnglishFigure,
    currency_code,
    english_sentences,
    measure_unit,
    named_currencies,
    read_figures,
)
from pipeline.evaluate import line_context, line_sentences

EXIT_OK, EXIT_USAGE = 0, 2
GUESS_CLASSES = ("paraphrase", "product", "alignment", "unexplained")
_DATE_VALUE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?|--\d{2}(?:-\d{2})?")  # 2018-05-10, 2018-05, --05-10


# -- what a constraint claims ----------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """A figure constraint read for comparison: the product's value and unit in the reader's terms."""

    kind: str  # amount, percent, points, times, fraction, date
    low: Fraction | None = None
    high: Fraction | None = None
    unit: str = ""  # canonical currency or measure, pp/bp; "" for none
    counter: str = ""  # a counted noun the product writes (people): not a unit, never money
    date: tuple[int | None, int | None, int | None] | None = None
    date_end: tuple[int | None, int | None, int | None] | None = None  # a span of days: its last day
    qualifier: str = ""
    plus_minus: bool = False


def read_claim(value: str, unit: str, target: str | None = None) -> Claim | None:
    """The claim of a constraint's ``value`` and ``unit`` (None when the value is not a figure we can read:
    "" for an indefinite amount, a format the reader does not know); the qualifier comes from ``target``."""
    value, unit = value.strip(), unit.strip()
    qualifier = _qualifier_of(target)
    if unit == "date" or _DATE_VALUE.fullmatch(value):
        first, _, last = value.partition(" to ")  # 6月1日至2日: --06-01 to --06-02
        date, end = _iso_parts(first), _iso_parts(last) if last else None
        if not date or last and not end:
            return None
        return Claim("date", date=date, date_end=end, qualifier=qualifier)
    ends = _ends(value)
    if ends is None:
        return None
    kind, canonical, counter = _kind_of(value, unit)
    return Claim(kind, *ends, canonical, counter, qualifier=qualifier, plus_minus=value.startswith("±"))


def _ends(value: str) -> tuple[Fraction, Fraction | None] | None:
    """"3% to 5%" -> (3, 5); "-1.8%" -> (-1.8, None); "1/3" -> (1/3, None)."""
    parts = [part.strip().rstrip("%") for part in value.lstrip("±").split(" to ")]
    if not value or len(parts) > 2:
        return None
    numbers = [_number(part) for part in parts]
    if None in numbers:
        return None
    return numbers[0], numbers[1] if len(numbers) == 2 else None


def _kind_of(value: str, unit: str) -> tuple[str, str, str]:
    """(kind, canonical unit, counted noun) of a constraint's value and unit."""
    if unit == "%" or "%" in value:
        return "percent", "", ""
    if unit == "times":
        return "times", "", ""
    if unit in POINTS:
        return "points", unit, ""
    if unit in POINTS.values():
        return "points", next(k for k, v in POINTS.items() if v == unit), ""
    if "/" in value:
        return "fraction", "", ""
    canonical = currency_code(unit) or measure_unit(unit)
    return "amount", canonical, "" if canonical else unit


def _number(text: str) -> Fraction | None:
    text = text.replace(",", "").strip()
    try:
        if "/" in text:
            numerator, denominator = text.split("/")
            return Fraction(int(numerator), int(denominator))
        return Fraction(Decimal(text))
    except (ValueError, ZeroDivisionError, OverflowError, InvalidOperation):
        return None


def _iso_parts(value: str) -> tuple[int | None, int | None, int | None] | None:
    m = re.fullmatch(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?|--(?P<m2>\d{2})(?:-(?P<d2>\d{2}))?", value)
    if not m:
        return None
    year = int(m["y"]) if m["y"] else None
    month, day = m["m"] or m["m2"], m["d"] or m["d2"]
    return year, int(month) if month else None, int(day) if day else None


def _qualifier_of(target: str | None) -> str:
    """The qualifier class of the product's English ("more than 4 million" -> "more than")."""
    figures = [f for f in read_figures(target or "") if not f.in_range]
    return figures[0].qualifier if figures else ""


# -- agreement ------------------------------------------------------------------------

def agreement(claim: Claim, figure: EnglishFigure) -> list[str] | None:
    """The notes under which ``figure`` states ``claim`` ([] when exactly), or None when it does not."""
    if claim.kind == "date":
        return _date_agreement(claim, figure)
    if figure.kind == "year" and claim.kind == "amount" and claim.high is None and not currency_code(claim.unit) \
            and figure.value == claim.low:
        return ["read as a year in the reference"]
    if figure.kind != claim.kind or figure.plus_minus != claim.plus_minus:
        return None
    if (figure.value, figure.high) != (claim.low, claim.high):
        return None
    notes = _unit_notes(claim, figure)
    if notes is None:
        return None
    if figure.in_range:
        notes.append(f"an end of a reference range ({figure.range_words})")
    if claim.qualifier != figure.qualifier:
        notes.append(f"qualifier: product {claim.qualifier or 'none'}, reference {figure.qualifier or 'none'}")
    return notes


def _unit_notes(claim: Claim, figure: EnglishFigure) -> list[str] | None:
    ours, theirs = claim.unit, figure.unit
    if ours == theirs:
        return []
    if ours and theirs:
        if theirs == "$" and ours in DOLLARS or theirs == "¥" and ours in YEN_OR_YUAN:
            return [f"the reference writes {theirs} for {ours}"]
        return None
    if ours:
        return ["unit not written in the reference"]
    if claim.counter and (currency_code(theirs) or theirs == "$"):
        return None  # 7,000 people are not 7,000 dollars
    return [f"the reference adds the unit {theirs}"]


def _date_agreement(claim: Claim, figure: EnglishFigure) -> list[str] | None:
    theirs = _figure_date(figure)
    if theirs is None or claim.date is None:
        return None
    if claim.date_end is not None:  # a span of days: the reference's span must end on the same day
        if not figure.in_range:
            return None
        ends = [_figure_date(f) for f in read_figures(figure.text) if f.kind == "date"]
        if not any(e and all(o is None or o == t for o, t in zip(claim.date_end, e)) for e in ends[1:]):
            return None
    if any(ours is not None and ours != other for ours, other in zip(claim.date, theirs)):
        return None
    added = [name for name, ours, other in zip(("year", "month", "day"), claim.date, theirs)
             if ours is None and other is not None]
    return [f"the reference adds the {' and '.join(added)}"] if added else []


def _figure_date(figure: EnglishFigure) -> tuple[int | None, int | None, int | None] | None:
    if figure.kind == "date":
        return _iso_parts(figure.date)
    if figure.kind == "year":
        return int(figure.value), None, None
    return None


def best_match(claim: Claim, figures: list[EnglishFigure]) -> tuple[EnglishFigure, list[str]] | None:
    """The reference figure that states the claim with the fewest notes, or None."""
    found = [(f, notes) for f in figures if (notes := agreement(claim, f)) is not None]
    return min(found, key=lambda fn: (len(fn[1]), fn[0].in_range)) if found else None


# -- why not stated: a guess ---------------------------------------------------------

def explain(claim: Claim | None, figures: list[EnglishFigure], neighbours: dict[int, list[EnglishFigure]],
            text: str = "") -> tuple[str, str, EnglishFigure | None]:
    """(guess, class, the reference figure it rests on) for a figure the reference line ``text`` does not
    state; class is one of GUESS_CLASSES.  The checks run from the most to the least telling."""
    if claim is None:
        return "the value is not one the audit can read: judged by its English forms alone", "unexplained", None
    for check in (_other_currency, _sign_differs, _date_part_missing, _rounded, _approximate, _other_kind,
                  _power_of_ten, _range_part):
        if guess := check(claim, figures):
            return guess
    for check in (_unit_named, _indefinite):
        if guess := check(claim, text):
            return guess
    for line, others in sorted(neighbours.items()):
        if (match := best_match(claim, others)) is not None:
            return f"stated in reference line {line}: {match[0].text!r}", "alignment", None
    if not figures:
        return "the reference line states no figure at all (left out, or misaligned)", "unexplained", None
    return "no counterpart in the reference line", "unexplained", None


_INDEFINITE = {"hundreds": 10**2, "thousands": 10**3, "millions": 10**6, "billions": 10**9, "trillions": 10**12}


def _indefinite(claim: Claim, text: str) -> tuple[str, str, None] | None:
    """上百萬 -> "millions of gallons": the reference writes the size without a count."""
    if claim.kind != "amount" or claim.low is None or claim.high is not None:
        return None
    for word in re.findall(r"\b(hundreds|thousands|millions|billions|trillions)\b", text, re.IGNORECASE):
        size = _INDEFINITE[word.lower()]
        if size <= abs(claim.low) < size * 1000:
            return f"the reference writes an indefinite amount: {word!r}", "paraphrase", None
    return None


def _unit_named(claim: Claim, text: str) -> tuple[str, str, None] | None:
    """One unit of a currency (1美元 in 7.85港元兌1美元) that the reference names without the number: 'the USD'."""
    if claim.kind == "amount" and claim.low == 1 and claim.high is None and claim.unit in named_currencies(text):
        return f"one unit of the currency ({claim.unit}), named without the number", "paraphrase", None
    return None


def _single(claim: Claim, f: EnglishFigure) -> bool:
    return claim.high is None and f.high is None and f.value is not None and claim.low is not None


def _other_currency(claim, figures):
    for f in figures:
        if claim.kind == f.kind == "amount" and (f.value, f.high) == (claim.low, claim.high) \
                and claim.unit and f.unit and _unit_notes(claim, f) is None:
            return f"the reference states the value in {f.unit}: {f.text!r}", "product", f
    return None


def _sign_differs(claim, figures):
    for f in figures:
        if f.kind == claim.kind and _single(claim, f) and f.value == -claim.low != 0 and _unit_notes(claim, f) is not None:
            if f.direction and (f.direction == "down") == (claim.low < 0):
                return f"sign written as a word ({f.direction}): {f.text!r}", "paraphrase", f
            return f"the reference has the opposite sign: {f.text!r}", "product", f
    return None


def _date_part_missing(claim, figures):
    """The reference date agrees with every part both state but leaves one out (on 31 December, in March)."""
    if claim.kind != "date":
        return None
    candidates = []
    for f in figures:
        theirs = _figure_date(f)
        if theirs and all(o is None or t is None or o == t for o, t in zip(claim.date, theirs)):
            shared = sum(o is not None and t is not None for o, t in zip(claim.date, theirs))
            if shared:
                candidates.append((shared, f, theirs))
    if not candidates:
        return None
    _, f, theirs = max(candidates, key=lambda c: c[0])
    missing = [n for n, o, t in zip(("year", "month", "day"), claim.date, theirs) if o is not None and t is None]
    return f"the reference omits the {' and '.join(missing)}: {f.text!r}", "paraphrase", f


def _quantum(value: Fraction) -> Fraction:
    """The place of the last non-zero digit: 1.04e12 -> 1e10, 10 -> 10, 11.3 -> 0.1."""
    if value.denominator == 1:
        digits = str(abs(value.numerator)) if value else "1"
        return Fraction(10 ** (len(digits) - len(digits.rstrip("0"))))
    exponent = (Decimal(value.numerator) / Decimal(value.denominator)).normalize().as_tuple().exponent
    return Fraction(1, 10 ** -exponent)


def _compatible_single(claim, f) -> bool:
    return f.kind == claim.kind and _single(claim, f) and f.plus_minus == claim.plus_minus \
        and _unit_notes(claim, f) is not None


def _rounded(claim, figures):
    """One figure is the other rounded: the reference rounds (HK$1.04 trillion), or the source does (一萬九千
    against 19,500 km²)."""
    for f in figures:
        if _compatible_single(claim, f) and f.value != claim.low:
            if abs(f.value - claim.low) <= _quantum(f.value) / 2:
                return f"the reference rounds: {f.text!r}", "paraphrase", f
            if abs(f.value - claim.low) <= _quantum(claim.low) / 2:
                return f"the reference is more precise than the source: {f.text!r}", "paraphrase", f
    return None


def _approximate(claim, figures):
    """One side says about/nearly/more than and the values are within 10%."""
    for f in figures:
        if _compatible_single(claim, f) and (claim.qualifier or f.qualifier) and claim.low \
                and abs(f.value - claim.low) <= abs(claim.low) / 10:
            return f"approximate figures ({claim.qualifier or 'exact'} / {f.qualifier or 'exact'}): {f.text!r}", "paraphrase", f
    return None


def _as_number(kind: str, value: Fraction) -> Fraction:
    """A percentage as the number it is (50% -> 1/2), a fraction or times as it is."""
    return value / 100 if kind == "percent" else value


def _other_kind(claim, figures):
    if claim.kind not in ("percent", "fraction", "times", "amount") or claim.high is not None:
        return None
    for f in figures:
        if f.kind == claim.kind or f.kind not in ("percent", "fraction", "times", "amount") or f.high is not None \
                or f.value is None or claim.low is None:
            continue
        ours, theirs = _as_number(claim.kind, claim.low), _as_number(f.kind, f.value)
        if {claim.kind, f.kind} <= {"percent", "fraction"} and ours == theirs:
            return f"the same quantity as a {f.kind}: {f.text!r}", "paraphrase", f
        if {claim.kind, f.kind} == {"times", "percent"} and (ours == theirs or ours == theirs + 1 or ours + 1 == theirs):
            return f"the same change as {f.kind}: {f.text!r}", "paraphrase", f
        if claim.low == f.value and "amount" in (claim.kind, f.kind):
            return f"the same number as {f.kind} in the reference: {f.text!r}", "product", f
    return None


def _power_of_ten(claim, figures):
    for f in figures:
        if _compatible_single(claim, f) and f.value and claim.low and f.value != claim.low:
            ratio = f.value / claim.low
            for k in range(1, 7):
                if ratio in (10**k, Fraction(1, 10**k)):
                    return f"off by a factor of {ratio if ratio > 1 else f'1/{1 / ratio}'}: {f.text!r}", "product", f
    return None


def _range_part(claim, figures):
    for f in figures:
        if f.kind != claim.kind or _unit_notes(claim, f) is None:
            continue
        if claim.high is not None and f.high is None and f.value in (claim.low, claim.high):
            return f"the reference states one end of the range: {f.text!r}", "paraphrase", f
        if claim.high is None and f.high is not None and claim.low is not None and f.value <= claim.low <= f.high:
            return f"inside a reference range: {f.text!r}", "paraphrase", f
    return None


# -- one line ---------------------------------------------------------------------

@dataclass
class FigureRecord:
    line: int  # 1-based
    sentence: int  # 1-based within the line
    start: int  # offsets in the source line
    end: int
    source: str
    target: str | None
    variants: tuple[str, ...]
    value: str
    unit: str
    unsure: str
    enforced: bool
    readable: bool = True  # the value is one the audit can compare (else judged by its English forms)
    stated: bool = False
    notes: list[str] = field(default_factory=list)
    reference_figure: str = ""  # the reference's words for it, when stated (or the nearest, for a guess)
    present_as_written: bool = False  # one of the product's accepted forms is in the reference (presence test)
    guess: str = ""
    guess_class: str = ""
    reference_sentence: str = ""
    reference_figures: list[str] = field(default_factory=list)  # unsure: the reference figures of equal value
    read_back: bool | None = None  # the enforced English, read by the English reader, has this value
    output: str | None = None  # --model: the sentence's translation
    in_output: bool | None = None  # --model: the guarantee held for this figure


def sentence_figures(preparer, sentence: str, context=None) -> tuple[object, list[tuple[int, int, object]]]:
    """The prepared sentence and its figure constraints with their spans in the (stripped) sentence,
    exactly the ones the preparer kept (a figure inside an enforced glossary term is not one).
    ``context``: the sentence's ``ArticleContext`` (a test line is its own, as in ``briefing eval``)."""
    prepared = preparer.prepare(sentence, context)
    kept = [c for c in prepared.terms if c.kind == "number"]
    spans, k = [], 0
    for start, end, constraint in preparer.numbers.find(prepared.original, context.lead if context else ""):
        if k < len(kept) and constraint == kept[k]:
            spans.append((start, end, constraint))
            k += 1
    return prepared, spans


class _Line:
    """One line's reference: its figures, its sentences, and where each figure is."""

    def __init__(self, text: str):
        self.text = text
        self.figures = read_figures(text)
        self.sentences = english_sentences(text) or [(0, len(text))]

    def sentence_at(self, offset: int) -> str:
        return next((self.text[s:e].strip() for s, e in self.sentences if s <= offset < e), self.text.strip())

    def aligned_sentence(self, claims: list[Claim], index: int, count: int) -> str:
        """The reference sentence sharing most values with the source sentence, else the one at the same place."""
        def shared(span):
            return sum(1 for c in claims for f in self.figures
                       if span[0] <= f.start < span[1] and agreement(c, f) is not None)
        position = min(len(self.sentences) - 1, round(index * len(self.sentences) / max(count, 1)))
        best = max(range(len(self.sentences)), key=lambda k: (shared(self.sentences[k]), -abs(k - position)))
        s, e = self.sentences[best]
        return self.text[s:e].strip()


def audit_line(number: int, source: str, reference: _Line, neighbours: dict[int, list[EnglishFigure]], preparer,
               translator=None) -> list[FigureRecord]:
    records: list[FigureRecord] = []
    sentences = line_sentences(source)
    context = line_context(source)
    prepared_all = []
    for s_index, (offset, sentence) in enumerate(sentences, start=1):
        prepared, spans = sentence_figures(preparer, sentence, context)
        prepared_all.append(prepared)
        lead = offset + len(sentence) - len(sentence.lstrip())
        claims = [(c, read_claim(c.value, c.unit, c.target)) for _, _, c in spans]
        here = reference.aligned_sentence([cl for _, cl in claims if cl], s_index - 1, len(sentences))
        for (start, end, c), (_, claim) in zip(spans, claims):
            record = FigureRecord(number, s_index, lead + start, lead + end, c.source, c.target, tuple(c.variants),
                                  c.value, c.unit, c.unsure, c.enforced, readable=claim is not None,
                                  reference_sentence=here)
            if c.enforced:
                _judge_enforced(record, c, claim, reference, neighbours)
            elif claim is not None:
                same = [f for f in reference.figures if _same_value(claim, f)]
                record.reference_figures = [f.text for f in same]
                if same:
                    record.reference_sentence = reference.sentence_at(same[0].start)
            records.append(record)
    if translator is not None:
        _check_outputs(records, prepared_all, translator)
    return records


def _judge_enforced(record: FigureRecord, c, claim: Claim | None, reference: _Line, neighbours) -> None:
    from pipeline.translate.presence import is_present

    record.present_as_written = is_present(c.target, reference.text, c.variants)
    if claim is None:
        record.stated = record.present_as_written
        record.read_back = None
    else:
        record.read_back = any(agreement(claim, f) is not None for f in read_figures(c.target))
        match = best_match(claim, reference.figures)
        if match is not None:
            figure, notes = match
            record.stated, record.notes, record.reference_figure = True, notes, figure.text
            record.reference_sentence = reference.sentence_at(figure.start)
    if not record.stated:
        record.guess, record.guess_class, near = explain(claim, reference.figures, neighbours, reference.text)
        if near is not None:
            record.reference_figure = near.text
            record.reference_sentence = reference.sentence_at(near.start)


def _same_value(claim: Claim, figure: EnglishFigure) -> bool:
    """Unsure figures are matched by value alone: any kind but a date or year, or a date by its parts."""
    if claim.kind == "date":
        return _date_agreement(claim, figure) is not None
    if figure.kind in ("date", "year"):
        return False
    return (figure.value, figure.high) == (claim.low, claim.high)


def _check_outputs(records: list[FigureRecord], prepared: list, translator) -> None:
    """Translate the line's sentences as ``briefing eval`` does and record whether each enforced figure is there."""
    from pipeline.translate.sentences import SentenceTranslator

    english = translator.translator.translate([p.request for p in prepared])
    results = SentenceTranslator.finish(prepared, english, [False] * len(prepared))
    for s_index, result in enumerate(results, start=1):
        found = [t.found for t in result.terms if t.kind == "number"]
        mine = [r for r in records if r.sentence == s_index]
        for record, held in zip(mine, found):
            record.output = result.translation
            record.in_output = held if record.enforced else None


# -- the whole set ---------------------------------------------------------------------

@dataclass
class Totals:
    lines: int = 0
    sentences: int = 0
    reference_figures: int = 0
    enforced: int = 0
    enforced_stated: int = 0
    enforced_not_stated: int = 0
    stated_in_accepted_form: int = 0  # present_as_written among the stated
    stated_in_other_form: int = 0
    stated_unit_not_written: int = 0
    stated_qualifier_differs: int = 0
    present_as_written: int = 0  # the old measure_figures count: an accepted form is in the reference
    unreadable_values: int = 0  # enforced, judged by the presence test alone
    not_stated_guess: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GUESS_CLASSES, 0))
    read_back_differs: int = 0  # the enforced English, read back, is not the constraint's value
    unsure: int = 0
    unsure_with_reference_figure: int = 0
    translated: int | None = None  # --model: enforced figures checked in the output
    guarantee_held: int | None = None


@dataclass
class Report:
    src: str
    ref: str
    default_currency: str
    records: list[FigureRecord]
    totals: Totals
    signature: str = ""

    def as_dict(self) -> dict:
        def row(r: FigureRecord) -> dict:
            return {k: v for k, v in asdict(r).items() if v not in (None, "", [], ())}
        return {
            "src": self.src, "ref": self.ref, "default_currency": self.default_currency, "signature": self.signature,
            "totals": asdict(self.totals),
            "not_stated": [row(r) for r in self.not_stated()],
            "unsure_stated_by_reference": [row(r) for r in self.unsure_in_reference()],
            "stated_in_other_form": [row(r) for r in self.other_form()],
            "qualifier_differs": [row(r) for r in self.qualifier_differs()],
            "value_not_read": [row(r) for r in self.records if r.enforced and not r.readable],
            "read_back_differs": [row(r) for r in self.records if r.read_back is False],
            "guarantee_failed": [row(r) for r in self.records if r.in_output is False],
        }

    def not_stated(self) -> list[FigureRecord]:
        return [r for r in self.records if r.enforced and not r.stated]

    def unsure_in_reference(self) -> list[FigureRecord]:
        return [r for r in self.records if not r.enforced and r.reference_figures]

    def other_form(self) -> list[FigureRecord]:
        return [r for r in self.records if r.enforced and r.stated and not r.present_as_written]

    def qualifier_differs(self) -> list[FigureRecord]:
        return [r for r in self.records if r.enforced and r.stated and any(n.startswith("qualifier") for n in r.notes)]


def count(records: list[FigureRecord], lines: int, sentences: int, reference_figures: int) -> Totals:
    t = Totals(lines=lines, sentences=sentences, reference_figures=reference_figures)
    for r in records:
        if not r.enforced:
            t.unsure += 1
            t.unsure_with_reference_figure += bool(r.reference_figures)
            continue
        t.enforced += 1
        t.present_as_written += r.present_as_written
        t.unreadable_values += not r.readable
        t.read_back_differs += r.read_back is False
        if r.stated:
            t.enforced_stated += 1
            t.stated_in_accepted_form += r.present_as_written
            t.stated_in_other_form += not r.present_as_written
            t.stated_unit_not_written += "unit not written in the reference" in r.notes
            t.stated_qualifier_differs += any(n.startswith("qualifier") for n in r.notes)
        else:
            t.enforced_not_stated += 1
            t.not_stated_guess[r.guess_class] += 1
        if r.in_output is not None:
            t.translated = (t.translated or 0) + 1
            t.guarantee_held = (t.guarantee_held or 0) + r.in_output
    return t


def audit(sources: list[str], references: list[str], preparer, translator=None) -> tuple[list[FigureRecord], Totals]:
    """Every figure record of the line-aligned ``sources`` / ``references``, and the totals."""
    lines = [_Line(r) for r in references]
    records: list[FigureRecord] = []
    sentences = 0
    for index, (source, reference) in enumerate(zip(sources, lines)):
        neighbours = {index + 1 + d: lines[index + d].figures for d in (-1, 1) if 0 <= index + d < len(lines)}
        records += audit_line(index + 1, source, reference, neighbours, preparer, translator)
        sentences += len(line_sentences(source))
    return records, count(records, len(sources), sentences, sum(len(x.figures) for x in lines))


def product_preparer(default_currency: str = "NT$"):
    """The preparer ``briefing eval`` builds without --glossary: default OpenCC, no glossary, figures on."""
    from pipeline.glossary import Glossary
    from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency
    from pipeline.translate.normalise import DEFAULT_OPENCC_CONFIG, Normaliser
    from pipeline.translate.prepare import SentencePreparer

    return SentencePreparer(Normaliser(DEFAULT_OPENCC_CONFIG), Glossary(), "inline",
                            NumberFinder(with_default_currency(DEFAULT_TABLES, default_currency)))


def product_translator(model: Path, default_currency: str):
    """The ``SentenceTranslator`` ``briefing eval --model DIR --default-currency X`` builds (no memory, no glossary)."""
    from pipeline.build import build_sentence_translator
    from pipeline.cli import build_parser

    args = build_parser().parse_args(["eval", "--src", "-", "--ref", "-", "--model", str(model),
                                      "--default-currency", default_currency, "--no-memory"])
    args.no_glossary = True  # as cmd_eval: test sets bring their own terms
    _, translator, signature = build_sentence_translator(args, None)
    return translator, signature.short()


# -- the printed report ------------------------------------------------------------

def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def format_report(report: Report) -> str:
    t = report.totals
    guesses = ", ".join(f"{k} {v}" for k, v in t.not_stated_guess.items())
    out = [
        f"figure audit: {report.src} against {report.ref} (default currency {report.default_currency})"
        + (f" [{report.signature}]" if report.signature else ""),
        f"{t.lines} lines, {t.sentences} sentences, {t.reference_figures} reference figures",
        f"enforced {t.enforced}: stated {t.enforced_stated} ({_share(t.enforced_stated, t.enforced)}), "
        f"not stated {t.enforced_not_stated} (guesses: {guesses})",
        f"  stated in an accepted form {t.stated_in_accepted_form}, in another form {t.stated_in_other_form}; "
        f"unit not written {t.stated_unit_not_written}; qualifier differs {t.stated_qualifier_differs}",
        f"  an accepted form present in the reference (measure_figures' count): {t.present_as_written} "
        f"({_share(t.present_as_written, t.enforced)})",
        f"  values the audit cannot read (judged by their English forms): {t.unreadable_values}; "
        f"enforced English that reads back as another value: {t.read_back_differs}",
        f"unsure {t.unsure}: the reference states a figure of the same value for {t.unsure_with_reference_figure}",
    ]
    if t.translated is not None:
        out.append(f"guarantee (--model): {t.guarantee_held}/{t.translated} enforced figures in the output")
    sections = [
        ("ENFORCED, NOT STATED BY THE REFERENCE", report.not_stated(), _not_stated_row),
        ("UNSURE, THE REFERENCE STATES A FIGURE OF THAT VALUE", report.unsure_in_reference(), _unsure_row),
        ("STATED, BUT IN NONE OF THE PRODUCT'S ACCEPTED FORMS", report.other_form(), _stated_row),
        ("STATED, QUALIFIER DIFFERS", report.qualifier_differs(), _stated_row),
        ("ENFORCED, VALUE NOT READ BY THE AUDIT (judged by the presence of its English forms)",
         [r for r in report.records if r.enforced and not r.readable], _unreadable_row),
        ("ENFORCED ENGLISH THAT READS BACK AS ANOTHER VALUE", [r for r in report.records if r.read_back is False],
         _stated_row),
        ("GUARANTEE FAILED (--model)", [r for r in report.records if r.in_output is False], _output_row),
    ]
    for title, rows, show in sections:
        if rows:
            out += ["", f"{title} ({len(rows)})"] + [line for r in rows for line in show(r)]
    return "\n".join(out)


def _where(r: FigureRecord) -> str:
    return f"L{r.line} s{r.sentence} [{r.start}:{r.end}] {r.source}"


def _not_stated_row(r: FigureRecord) -> list[str]:
    return [f"  {_where(r)} -> {r.target}  (value {r.value or '-'} {r.unit})".rstrip(),
            f"      guess [{r.guess_class}] {r.guess}", f"      ref: {r.reference_sentence}"]


def _unsure_row(r: FigureRecord) -> list[str]:
    return [f"  {_where(r)}  (value {r.value} {r.unit}; unsure: {r.unsure})",
            f"      reference: {', '.join(repr(x) for x in r.reference_figures)}", f"      ref: {r.reference_sentence}"]


def _stated_row(r: FigureRecord) -> list[str]:
    notes = f"; {'; '.join(r.notes)}" if r.notes else ""
    return [f"  {_where(r)} -> {r.target}; reference {r.reference_figure!r}{notes}"]


def _unreadable_row(r: FigureRecord) -> list[str]:
    return [f"  {_where(r)} -> {r.target}  (value {r.value or '-'} {r.unit}): "
            f"{'in the reference' if r.stated else 'not in the reference'}"]


def _output_row(r: FigureRecord) -> list[str]:
    return [f"  {_where(r)} -> {r.target}", f"      output: {r.output}"]


# -- command line ------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        self.exit(EXIT_USAGE, f"figure_audit: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m devtools.figure_audit",
                     description="Audit the figures the product enforces against a human reference translation.")
    parser.add_argument("--src", type=Path, required=True, metavar="FILE", help="source lines (Chinese)")
    parser.add_argument("--ref", type=Path, required=True, metavar="FILE", help="reference lines (English), line-aligned")
    parser.add_argument("--model", type=Path, metavar="DIR", help="also translate and check each enforced figure in the output")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--default-currency", default="NT$", metavar="PREFIX", help="what a bare 元 means (default NT$)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N lines")
    return parser


def run(args) -> Report:
    from pipeline.evaluate import read_lines
    from pipeline.errors import BriefingError

    sources, references = read_lines(args.src), read_lines(args.ref)
    if len(sources) != len(references):
        raise BriefingError(f"{args.src} has {len(sources)} lines but {args.ref} has {len(references)}; "
                            "they must be line-aligned")
    if args.limit is not None:
        sources, references = sources[:args.limit], references[:args.limit]
    translator, signature = None, ""
    if args.model is not None:
        if not args.model.is_dir():
            raise BriefingError(f"{args.model}: no such model directory")
        translator, signature = product_translator(args.model, args.default_currency)
        preparer = translator.preparer
    else:
        preparer = product_preparer(args.default_currency)
    records, totals = audit(sources, references, preparer, translator)
    return Report(str(args.src), str(args.ref), args.default_currency, records, totals, signature)


def main(argv: list[str] | None = None) -> int:
    from pipeline.errors import BriefingError

    args = build_parser().parse_args(argv)
    if args.limit is not None and args.limit < 1:
        print("figure_audit: --limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = run(args)
    except BriefingError as err:
        print(f"figure_audit: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(report.as_dict(), ensure_ascii=False, default=str) if args.json else format_report(report))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
