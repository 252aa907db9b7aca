"""Is this English present in that translation, and how often?

One definition for every place that asks: the decoder's constraint tracker
(``search/tracker.py`` derives its token tables from the functions here), the
QA term and number checks, the report, ``translate --json``, key-term counts
and bolding, and the evaluation.  A plain substring test says ``AI`` is in
``OpenAI`` and ``70%`` is in ``170%``; this one does not.

**Accepted forms** (``accepted_forms``): the canonical English first, then the
glossary's or the figure renderer's variants; for a glossary term whose last
word is a lower-case common noun, its plural (chips, data centers, batteries,
processes); for a name (a target with an upper-case letter), its ALL-CAPS and
capitalised-word forms (NVIDIA, Nvidia), never its lower case.  A form that
starts with a lower-case letter also counts capitalised, but only at the start
of a sentence (``Silicon photonics`` opens a sentence; mid-sentence it is not
the glossary's ``silicon photonics``).  The possessive needs no form of its
own: ``'`` is a boundary (TSMC's, chips').

**Where a form may start** depends on the text before it, summed up by a small
automaton (``Ctx``, ``ctx_step``): a form that starts with a letter or digit
must not continue a Latin word or number; a figure does not continue a figure
(``3,456`` is not in ``23,456``, ``5`` not in ``1.5``); a sign or a currency
symbol before a figure changes it (``3.5%`` is not in ``-3.5%``, ``300
million`` not in ``US$300 million``); a sentence starts at the start of the
text or after ``.``, ``!`` or ``?`` and a space, possibly followed by an
opening quote or bracket.

**Where a form may end** depends on at most two characters after it
(``end_verdict``): a letter or digit glues it to the next word; after a digit,
``.5``, ``,000`` or ``%`` continue the figure.

**Occurrences**: an occurrence is identified by where it ends.  Where several
unmet requirements accept forms ending at the same place, the one whose form
there is longest (spaces not counted) takes it, ties to the earliest
(``met_requirements``).  If that one is a glossary term's (``shares_occurrence``), every
other unmet glossary term with a form ending there shares it: "Fights
between" also states the term "between" (WMT23 terminology dev line 351),
"AI chip" also states "chip".  A figure never shares an occurrence, neither
as the taker nor as another: one "more than 70%" does not also state a second
figure "70%", and 70% required twice needs two.  "Nvidia H200" and "Nvidia"
end in different places, so both count anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------- characters
# A Latin word continues only with Latin letters and digits: in 與OpenAI合作 the
# Chinese characters around OpenAI are boundaries.
_LATIN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")
DIGITS = "0123456789"
OPENERS = "([{“‘「『"  # open a quotation or aside
QUOTES = "\"'"  # open or close, by what precedes them
CLOSERS = ")]}”’」』"
SENTENCE_END = ".!?"
SEPARATORS = ".,"  # inside a figure when a digit follows: 1.5, 3,456
SIGNS = "-−–"  # a minus where no word or number precedes it: -3.5%, (–1.8%)
CURRENCY_SYMBOLS = "$€£¥"
_CURRENCY_PREFIX = re.compile(r"[A-Z]{0,3}[$€£¥]")  # NT$, US$, $: a figure in a currency


def joins(ch: str) -> bool:
    """Whether ``ch`` continues a Latin word or number it touches."""
    return bool(_LATIN.match(ch))


# ---------------------------------------------------------------- what precedes a position
class Ctx:
    """The states of the left-context automaton: what the text before a position
    ends with, as far as any rule here cares."""

    START = 0  # nothing yet (or only spaces and openers): a sentence starts
    SENT = 1  # after . ! ? (closers), a space (and openers): a sentence starts
    ENDP = 2  # after . ! ? (and closing quotes or brackets), no space yet
    ENDP_DIGIT = 3  # after a digit and "."  (15.)
    SEP_DIGIT = 4  # after a digit and ","  (15,)
    LETTER = 5
    DIGIT = 6
    SIGN = 7  # after a minus that no word or number precedes
    CURRENCY = 8
    SPACE = 9  # after a space inside a sentence
    OPEN = 10  # after an opening bracket or quote inside a sentence
    OTHER = 11


N_CTX = 12
SENTENCE_START = frozenset({Ctx.START, Ctx.SENT})


def ctx_step(state: int, ch: str) -> int:
    """The context after ``ch`` follows a text whose context is ``state``."""
    if ch.isspace():
        if state in (Ctx.START, Ctx.SENT):
            return state
        return Ctx.SENT if state in (Ctx.ENDP, Ctx.ENDP_DIGIT) else Ctx.SPACE
    if ch in OPENERS or ch in QUOTES:
        if state in (Ctx.START, Ctx.SENT):
            return state
        if ch in QUOTES:  # a quote closes after a word or a sentence end, opens elsewhere
            if state in (Ctx.ENDP, Ctx.ENDP_DIGIT):
                return Ctx.ENDP
            if state in (Ctx.LETTER, Ctx.DIGIT):
                return Ctx.OTHER
        return Ctx.OPEN
    if ch in CLOSERS:
        return Ctx.ENDP if state in (Ctx.ENDP, Ctx.ENDP_DIGIT) else Ctx.OTHER
    if ch in SENTENCE_END:
        return Ctx.ENDP_DIGIT if ch == "." and state == Ctx.DIGIT else Ctx.ENDP
    if ch == ",":
        return Ctx.SEP_DIGIT if state == Ctx.DIGIT else Ctx.OTHER
    if ch in DIGITS:
        return Ctx.DIGIT
    if joins(ch):
        return Ctx.LETTER
    if ch in SIGNS:
        return Ctx.OTHER if state in (Ctx.LETTER, Ctx.DIGIT) else Ctx.SIGN  # 3-5%: a range, not a sign
    if ch in CURRENCY_SYMBOLS:
        return Ctx.CURRENCY
    return Ctx.OTHER


@lru_cache(maxsize=65536)
def ctx_after(text: str, state: int = Ctx.START) -> int:
    for ch in text:
        state = ctx_step(state, ch)
    return state


def contexts(text: str) -> list[int]:
    """``ctx[i]``: the context of position i (the state after ``text[:i]``)."""
    out = [Ctx.START]
    for ch in text:
        out.append(ctx_step(out[-1], ch))
    return out


def may_start(ctx: int, form: str, initial: bool = False) -> bool:
    """Whether ``form`` may start where the text before has context ``ctx``.
    ``initial``: a capitalised form that counts only at the start of a sentence."""
    if not form or (initial and ctx not in SENTENCE_START):
        return False
    head = form[0]
    if (head.isalnum() or head in CURRENCY_SYMBOLS) and ctx in (Ctx.LETTER, Ctx.DIGIT):
        return False
    if head in DIGITS and ctx in (Ctx.ENDP_DIGIT, Ctx.SEP_DIGIT, Ctx.SIGN, Ctx.CURRENCY):
        return False
    if ctx == Ctx.SIGN and _CURRENCY_PREFIX.match(form):
        return False  # -NT$0.5 is not NT$0.5
    return True


# ---------------------------------------------------------------- what follows a form
CREDIT, LOST, WAIT = 0, 1, 2  # the form counts / does not / the next character decides
TAIL_ALNUM, TAIL_DIGIT, TAIL_OTHER = 0, 1, 2
N_TAILS = 3


def tail_class(form: str) -> int:
    last = form[-1:]
    if last and last in DIGITS:
        return TAIL_DIGIT
    return TAIL_ALNUM if last.isalnum() else TAIL_OTHER


def end_verdict(tail: int, after: str, final: bool) -> int:
    """Whether a form ending in a character of class ``tail`` counts when
    ``after`` follows it; ``final``: nothing follows ``after`` (the text ends)."""
    if tail == TAIL_OTHER:
        return CREDIT
    if not after:
        return CREDIT if final else WAIT
    first = after[0]
    if joins(first):
        return LOST
    if tail == TAIL_DIGIT:
        if first == "%":
            return LOST  # 70 is not in 70%
        if first in SEPARATORS:
            if len(after) == 1:
                return CREDIT if final else WAIT
            if after[1] in DIGITS:
                return LOST  # 15 is not in 15.5 or 15,000
    return CREDIT


# ---------------------------------------------------------------- accepted forms
def accepted_forms(english: str, variants: Iterable[str] = (), kind: str = "term") -> tuple[str, ...]:
    """The forms that satisfy one requirement, canonical first.  Sentence-initial
    capitals are not listed: they count only at a sentence start (``Form``)."""
    # One space between words: the target SentencePiece writes runs of spaces as one, so a
    # form typed with two ("1  0") would be spelled, and found, where its text is not.
    given = [" ".join(f.split()) for f in (english, *variants)]
    given = [f for f in given if f]
    forms = list(given)
    if kind == "term":
        for form in given:
            if _is_name(form):
                forms += [form.upper(), _capitalised_words(form)]
            else:
                forms += [p for p in (_plural(form),) if p]
    return tuple(dict.fromkeys(forms))


def _is_name(form: str) -> bool:
    return any(ch.isupper() for ch in form)


def _capitalised_words(form: str) -> str:
    """Nvidia for NVIDIA, Hon Hai (Foxconn) as it is: each word's first letter upper, the rest lower."""
    return " ".join(re.sub(r"[^\W\d_]", lambda m: m.group(0).upper(), word.lower(), count=1) for word in form.split(" "))


def _plural(form: str) -> str | None:
    """The plural of a lower-case term's last word: chips, data centers, batteries, processes."""
    head, _, last = form.rpartition(" ")
    if not re.fullmatch(r"[a-z]{2,}", last) or (last.endswith("s") and not last.endswith("ss")):
        return None  # not a plain lower-case noun, or already plural-looking (photonics, semiconductors)
    if last.endswith(("ss", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


@dataclass(frozen=True)
class Form:
    """One way to write a requirement: ``initial`` forms count only at a sentence start."""

    text: str
    initial: bool = False

    @property
    def weight(self) -> int:
        """How much of the text the form covers: the longest form ending at a place takes it."""
        return len(self.text.replace(" ", ""))


def initial_capital(form: str) -> str | None:
    """The sentence-initial capital of a form that starts lower-case (More than 50%)."""
    return form[0].upper() + form[1:] if form[:1].islower() else None


def match_forms(forms: Sequence[str]) -> tuple[Form, ...]:
    """Every form of a requirement as matched: each as given, and each lower-case
    initial one capitalised at a sentence start."""
    out = [Form(f) for f in forms]
    out += [Form(c, True) for c in map(initial_capital, forms) if c and c not in forms]
    return tuple(dict.fromkeys(out))


# ---------------------------------------------------------------- requirements of a sentence
def shares_occurrence(kind: str) -> bool:
    """Whether a requirement of this kind shares an occurrence taken by a longer
    form of another that shares: a glossary term does ("Fights between" states
    "between" too); a figure never (each figure is a fact of its own)."""
    return kind == "term"


def share_flags(flags: Sequence[bool], n: int) -> tuple[bool, ...]:
    """``flags`` for ``n`` requirements: missing ones (a request stored before
    requirements had kinds, a caller's own) do not share, today's strictest rule."""
    return tuple(bool(f) for f in flags[:n]) + (False,) * (n - min(n, len(flags)))


@dataclass(frozen=True)
class Requirements:
    """What a sentence requires: per requirement its accepted forms (canonical
    first) and whether it shares an occurrence (``shares_occurrence``); per constraint the
    index of its requirement (None when not enforced)."""

    forms: tuple[tuple[str, ...], ...]
    index: tuple[int | None, ...]
    shares: tuple[bool, ...]


def requirement_index(constraints) -> Requirements:
    """What a sentence requires.  Figures count per occurrence (two 70% in the
    source are two facts); a glossary term counts once per sentence, since English
    refers back to a name it has just written and forcing a repeat is the
    duplication readers see.  ``constraints``: objects with target, variants,
    kind, unsure."""
    required: list[tuple[str, ...]] = []
    sharing: list[bool] = []
    index: list[int | None] = []
    for c in constraints:
        if not _enforced(c):
            index.append(None)
            continue
        forms = accepted_forms(c.target, c.variants, c.kind)
        if c.kind == "term" and forms in required:
            index.append(required.index(forms))
            continue
        index.append(len(required))
        required.append(forms)
        sharing.append(shares_occurrence(c.kind))
    return Requirements(tuple(required), tuple(index), tuple(sharing))


def _enforced(c) -> bool:
    return c.target is not None and bool(c.target.strip()) and not c.unsure and c.kind not in ("forbidden",)


def found(constraints, translation: str) -> list[bool]:
    """Per constraint: is its English in ``translation``, each figure by its own
    occurrence (``met_requirements``).  What QA and the report ask."""
    req = requirement_index(constraints)
    met = met_requirements(req.forms, translation, req.shares)
    return [i is not None and met[i] for i in req.index]


# ---------------------------------------------------------------- finding occurrences
def _occurrences(form: Form, text: str, ctx: list[int]) -> list[tuple[int, int]]:
    """(start, end) of every bounded occurrence of ``form`` in ``text`` (``ctx``: ``contexts(text)``)."""
    out, tail, body = [], tail_class(form.text), form.text
    at = text.find(body)
    while at >= 0:
        end = at + len(body)
        if may_start(ctx[at], body, form.initial) and end_verdict(tail, text[end:end + 2], True) == CREDIT:
            out.append((at, end))
        at = text.find(body, at + 1)
    return out


def _ends(requirement: Sequence[str], text: str, ctx: list[int]) -> dict[int, tuple[int, int]]:
    """Per end position: (weight, start) of the longest form of ``requirement`` ending there."""
    best: dict[int, tuple[int, int]] = {}
    for form in match_forms(requirement):
        for start, end in _occurrences(form, text, ctx):
            best[end] = max(best.get(end, (0, 0)), (form.weight, -start))
    return {end: (w, -s) for end, (w, s) in best.items()}


def met_requirements(required: Sequence[Sequence[str]], text: str, shares: Sequence[bool] = ()) -> list[bool]:
    """Per requirement (accepted forms, canonical first): is it met in ``text``?
    Occurrences are taken in the order they end; each goes to one unmet
    requirement, the one with the longest form there (ties: the earliest), and if
    that one shares (``shares[i]``; none when empty), to every other unmet one
    that shares and has a form ending there."""
    if not text:
        return [False] * len(required)
    sharing = share_flags(shares, len(required))
    ctx = contexts(text)
    per_req = [_ends(tuple(r), text, ctx) for r in required]
    met = [False] * len(required)
    for end in sorted({e for ends in per_req for e in ends}):
        waiting = [i for i, ends in enumerate(per_req) if not met[i] and end in ends]
        if not waiting:
            continue
        taker = max(waiting, key=lambda i: (per_req[i][end][0], -i))
        for i in waiting:
            met[i] = met[i] or i == taker or (sharing[taker] and sharing[i])
    return met


def unmet(required: Sequence[Sequence[str]], text: str, shares: Sequence[bool] = ()) -> list[tuple[str, ...]]:
    """The requirements ``text`` does not meet (in order, repeats kept)."""
    return [tuple(r) for r, ok in zip(required, met_requirements(required, text, shares)) if not ok]


def find_spans(english: str, translation: str, variants: Sequence[str] = (), kind: str = "term") -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the occurrences of ``english`` or an accepted
    form: per end position the longest form, then the earliest of overlapping ones."""
    if not english or not english.strip() or not translation:
        return []
    ends = _ends(accepted_forms(english, variants, kind), translation, contexts(translation))
    taken: list[tuple[int, int]] = []
    for start, end in sorted((start, end) for end, (_, start) in ends.items()):
        if not taken or start >= taken[-1][1]:
            taken.append((start, end))
    return taken


def count_present(english: str, translation: str, variants: Sequence[str] = (), kind: str = "term") -> int:
    """Occurrences of one requirement's forms: how many copies of it ``translation`` meets."""
    if not english or not english.strip() or not translation:
        return 0
    return len(_ends(accepted_forms(english, variants, kind), translation, contexts(translation)))


def is_present(english: str, translation: str, variants: Sequence[str] = (), kind: str = "term") -> bool:
    return count_present(english, translation, variants, kind) > 0


def mark_spans(translation: str, terms: Iterable[tuple[str, Sequence[str]]]) -> list[tuple[int, int]]:
    """Spans of all the given (english, variants) in ``translation``, longest term first,
    never overlapping: what the briefing sets in bold."""
    taken: list[tuple[int, int]] = []
    for english, variants in sorted(terms, key=lambda t: len(t[0]), reverse=True):
        for start, end in find_spans(english, translation, variants):
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
    return sorted(taken)
