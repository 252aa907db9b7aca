"""Is this English present in that translation, and how often?

One answer for every place that asks it: the QA term and number checks, the
report's satisfied counts, ``translate --json``'s ``found``, key-term counts
and bolding in the briefing, and the evaluation's term accuracy.  A plain
substring test says ``AI`` is in ``OpenAI`` and ``70%`` is in ``170%``; this
test respects word and number boundaries.

Rules:

* a form that starts (ends) with a letter or digit must not continue a word:
  the character before (after) it may not be a letter or digit;
* a figure does not continue a figure: ``3,456`` is not in ``23,456``, ``5``
  is not in ``5.5``, ``1.5`` is not in ``21.5``;
* a form written in lower case also counts with its first letter capitalised,
  as it is at the start of a sentence (``More than 50%``);
* any of the accepted ``forms`` counts (a glossary entry's variants, e.g.
  ``data centers`` for ``data center``); occurrences never overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache


def accepted_forms(english: str, variants: Iterable[str] = ()) -> tuple[str, ...]:
    """The target, its variants, and their sentence-initial capitalised forms, longest first."""
    forms: list[str] = []
    for form in (english, *variants):
        form = form.strip()
        if not form:
            continue
        forms.append(form)
        if form[0].islower():
            forms.append(form[0].upper() + form[1:])
    return tuple(sorted(dict.fromkeys(forms), key=len, reverse=True))


@lru_cache(maxsize=4096)
def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(_bounded(f) for f in forms))


# A Latin word continues only with Latin letters and digits: in 與OpenAI合作 the
# Chinese characters around OpenAI are boundaries (``\w`` would count them as letters).
_WORD = r"0-9A-Za-z\u00C0-\u024F"


def _bounded(form: str) -> str:
    body = re.escape(form)
    head, tail = form[0], form[-1]
    if head.isalnum():
        body = rf"(?<![{_WORD}])" + body
    if head.isdigit():
        body = r"(?<!\d[.,])" + body  # 3,456 is not in 23,456; 5 is not in 1.5
    if head.isdigit() or re.match(r"[A-Z]{0,3}\$", form):
        body = rf"(?<!(?<![{_WORD}])[-−])" + body  # a sign changes the figure: 3.5% is not in -3.5%
    if tail.isdigit():
        body += r"(?!\d)(?![.,]\d)"
    elif tail.isalnum():
        body += rf"(?![{_WORD}])"
    return body


def find_spans(english: str, translation: str, variants: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of every occurrence of ``english`` or a variant."""
    forms = accepted_forms(english, variants)
    if not forms or not translation:
        return []
    return [m.span() for m in _pattern(forms).finditer(translation)]


def count_present(english: str, translation: str, variants: Sequence[str] = ()) -> int:
    return len(find_spans(english, translation, variants))


def is_present(english: str, translation: str, variants: Sequence[str] = ()) -> bool:
    return bool(find_spans(english, translation, variants))


def mark_spans(translation: str, terms: Iterable[tuple[str, Sequence[str]]]) -> list[tuple[int, int]]:
    """Spans of all the given (english, variants) in ``translation``, longest term first,
    never overlapping: what the briefing sets in bold."""
    taken: list[tuple[int, int]] = []
    for english, variants in sorted(terms, key=lambda t: len(t[0]), reverse=True):
        for start, end in find_spans(english, translation, variants):
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
    return sorted(taken)
