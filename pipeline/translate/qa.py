"""Translation QA: small named checks, each returning a reason or None.

Like translate-toolkit's pofilter, every check is one function of the
sentence pair.  A reviewer sees the flags as shaded rows and Word comments in
the briefing, and as counts in the run report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.article import QAFlag, TermResult
from collections import Counter

from pipeline.translate.presence import find_spans, found

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SOURCE_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# English words per Chinese character: news prose runs about 0.5-0.8; outside
# these bounds something was dropped or invented.
MIN_WORDS_PER_CHAR = 0.15
MAX_WORDS_PER_CHAR = 2.5
MIN_SOURCE_CHARS_FOR_LENGTH = 8


def check_empty(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    if source.strip() and not translation.strip():
        return "no English came out"
    return None


def check_term(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    present = found(terms, translation)
    missing = [t.target for t, ok in zip(terms, present) if t.kind == "term" and t.target and not t.unsure and not ok]
    if missing:
        return "glossary term missing: " + ", ".join(dict.fromkeys(missing))
    return None


def stated(terms: Sequence[TermResult], translation: str) -> list[bool]:
    """Per term: does the English state it?  The presence test, and for an enforced
    figure also the same value written another way: "7,000 employees" states the
    7,000 of 7000人 ("7,000 people"), "2.3 billion" states 23億.  One occurrence in
    the English states one figure: 7成 twice needs 70% twice."""
    present = found(terms, translation)
    values = Counter(_english_values(translation))
    for t, ok in zip(terms, present):
        if t.kind == "number" and ok:
            values -= Counter(_english_values(t.target))  # the occurrences the presence test gave it
    result = []
    for t, ok in zip(terms, present):
        if t.kind == "number" and t.target and not t.unsure and not ok:
            wanted = Counter(_english_values(t.target))
            if wanted and not wanted - values:
                values -= wanted
                ok = True
        result.append(ok)
    return result


def check_number(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    """Every figure in the source has a counterpart in the English: an enforced
    quantity its English form or the same value written another way (``stated``),
    any other number the same digits (2317, 49.7; digit grouping ignored)."""
    missing = []
    rest = source
    for t, ok in zip(terms, stated(terms, translation)):
        if t.kind != "number":
            continue
        rest = rest.replace(t.source, " ", 1)
        if t.target is None or t.unsure or ok:
            continue  # not enforced (number-unsure says so), or stated
        missing.append(t.target)
    english_numbers = {_digits(n) for n in _SOURCE_NUMBER.findall(translation)}
    for number in _SOURCE_NUMBER.findall(rest):
        if _digits(number) not in english_numbers:
            missing.append(number)
    if missing:
        return "number without counterpart: " + ", ".join(dict.fromkeys(missing))
    return None


_ENGLISH_VALUE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|thousand)?", re.I)
_SCALE = {"trillion": 10**12, "billion": 10**9, "million": 10**6, "thousand": 10**3}


def _english_values(text: str) -> list:
    """Every quantity written in ``text`` (digits and a scale word), one per occurrence."""
    from decimal import Decimal, InvalidOperation

    values = []
    for number, scale in _ENGLISH_VALUE.findall(text):
        try:
            values.append((Decimal(number.replace(",", "")) * _SCALE.get(scale.lower(), 1)).normalize())
        except InvalidOperation:
            continue
    return values


def check_untranslated(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    allowed = "".join(t.target or "" for t in terms)  # a CJK glossary target is meant to be there (None: unsure)
    left = [ch for ch in _CJK.findall(translation) if ch not in allowed]
    if left:
        sample = "".join(left[:8])
        return f"{len(left)} Chinese character(s) left in the English: “{sample}”"
    return None


_STUTTER = re.compile(r"(\S{1,20}?)(?:\s*\1){3,}")


def check_repetition(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    """A loop: the same 1-4 word sequence three or more times in a row, or a
    piece of a word stuttering four or more times ("這場這場這場這場", "nonononono")."""
    words = translation.split()
    for n in range(1, 5):
        for i in range(len(words) - 3 * n + 1):
            gram = words[i : i + n]
            if words[i + n : i + 2 * n] == gram and words[i + 2 * n : i + 3 * n] == gram:
                if n == 1 and not re.search(r"[A-Za-z\u3400-\u9fff]{2}", gram[0]):
                    continue  # "- - -" or numbers in a list are not a loop
                return f"repeated {_run_length(words, i, n)} times: “{' '.join(gram)}”"
    for m in _STUTTER.finditer(translation):
        unit = m.group(1)
        if re.search(r"[A-Za-z\u3400-\u9fff]", unit) and not (len(unit) == 1 and unit.isascii()):
            return f"repeated {len(re.findall(re.escape(unit), m.group(0)))} times: “{unit}”"
    return None


def check_length(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    chars = len(_CJK.findall(source))
    if chars < MIN_SOURCE_CHARS_FOR_LENGTH or not translation.strip():
        return None
    ratio = len(translation.split()) / chars
    if ratio < MIN_WORDS_PER_CHAR:
        return f"English is short for the source ({len(translation.split())} words for {chars} characters): content dropped?"
    if ratio > MAX_WORDS_PER_CHAR:
        return f"English is long for the source ({len(translation.split())} words for {chars} characters): content invented?"
    return None


def check_number_unsure(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    """A figure the parser could not read with certainty: nothing was enforced, a reviewer checks it."""
    unsure = [f"“{t.source}” ({t.unsure})" for t in terms if t.kind == "number" and t.unsure]
    return "figure not enforced, check it: " + "; ".join(unsure) if unsure else None


def check_term_unsure(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    """A glossary source found inside a longer word: maybe not the term, so not enforced."""
    unsure = [_english_first(t) for t in terms if t.kind == "term" and t.unsure]
    return "term not enforced, check it: " + "; ".join(unsure) if unsure else None


def check_forbidden_term(source: str, translation: str, terms: Sequence[TermResult]) -> str | None:
    """English the glossary forbids for a term of this sentence (a TBX deprecated or superseded term)."""
    # Inside a required term it is not a use: "NVIDIA" forbidden, "NVIDIA Corporation" required.
    required = [span for t in terms if t.kind == "term" and t.target
                for span in find_spans(t.target, translation, t.variants)]
    used = [translation[start:end] for t in terms if t.kind == "forbidden" and t.target
            for start, end in find_spans(t.target, translation, t.variants)
            if not any(s <= start and end <= e for s, e in required)]
    if used:
        return "forbidden term in the English: " + ", ".join(dict.fromkeys(used))
    return None


def _english_first(t: TermResult) -> str:
    """Readers of the briefing read English: the English, then the Chinese it stands for, quoted."""
    quoted = f"“{t.source}”" if _CJK.search(t.source) else t.source
    return f"{t.target} for {quoted} ({t.unsure})" if t.target else f"{quoted} ({t.unsure})"


CHECKS: dict[str, Callable[[str, str, Sequence[TermResult]], str | None]] = {
    "empty": check_empty,
    "term": check_term,
    "number": check_number,
    "untranslated": check_untranslated,
    "repetition": check_repetition,
    "length": check_length,
    "number-unsure": check_number_unsure,
    "term-unsure": check_term_unsure,
    "forbidden-term": check_forbidden_term,
}


def run_checks(source: str, translation: str, terms: Sequence[TermResult]) -> list[QAFlag]:
    flags = []
    for name, check in CHECKS.items():
        reason = check(source, translation, terms)
        if reason:
            flags.append(QAFlag(name, reason))
    return flags


def _digits(number: str) -> str:
    return number.replace(",", "")


def _run_length(words: list[str], i: int, n: int) -> int:
    count = 1
    while words[i + count * n : i + (count + 1) * n] == words[i : i + n]:
        count += 1
    return count
