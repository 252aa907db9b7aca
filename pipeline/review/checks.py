"""Checks on a reviewer's English: small named functions, each returning a reason or None.

The reviewer is the authority and the product the checker: what a reviewer
writes is imported unless it cannot be a translation at all (``REFUSALS``: an
empty cell, Chinese instead of English).  Everything else is reported as a flag
beside the imported English: a required glossary term or figure the reviewer
removed (``DROPS``; ``--strict`` refuses these instead), English that covers
clearly less of the source than a translation does (``SECOND_LOOK``), and the
ordinary QA checks re-run on the new English (the model's old flags no longer
apply).  Every check takes the source, the English before and after review and
the segment's glossary terms and figures as the manifest records them, so the
DOCX and XLIFF imports ask the same questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.article import QAFlag, TermResult
from pipeline.review.manifest import TermRecord
from pipeline.translate import qa

Check = Callable[[str, str, str, Sequence[TermRecord]], "str | None"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Coverage thresholds, from the HKMA annual reports 2016 and 2018 (600 human-translated
# paragraphs of 8+ Chinese characters, ../shared/eval/hkma): English words per Chinese
# character run 0.37-1.5 (1st percentile 0.41, 5th 0.54, median 0.68).  Flagging under 0.35,
# or under 0.55 with fewer English sentences than the source has, flags 2 of the 600 human
# paragraphs and 646 of 711 truncations (the first k of n English sentences kept, k <= 2n/3);
# tests/review/test_checks.py::test_thresholds_hold_on_the_hkma_human_translations re-measures it.
# Fewer sentences alone would flag 41 of the 600 (translators join sentences).
MIN_WORDS_PER_CHAR = 0.35
MIN_WORDS_PER_CHAR_FEWER_SENTENCES = 0.55
MIN_SOURCE_CHARS = qa.MIN_SOURCE_CHARS_FOR_LENGTH
_EN_BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {"mr", "ms", "mrs", "dr", "no", "st", "vs", "co", "inc", "ltd", "jr", "sr", "e.g", "i.e", "etc",
                  "u.s", "u.k", "corp", "approx", "fig"}


def term_results(terms: Sequence[TermRecord]) -> list[TermResult]:
    """The manifest's records as the QA checks take them (every recorded term was enforced)."""
    return [TermResult(t.source, t.target, False, t.kind, tuple(t.variants)) for t in terms]


# ---------------------------------------------------------------- refusals: nothing is stored
def check_empty(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> str | None:
    if source.strip() and not after.strip():
        return "the English cell is empty"
    return None


def check_not_english(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> str | None:
    """Chinese characters outnumber the Latin letters: the source pasted in, or a note in
    Chinese, not a translation.  A Chinese name kept in brackets is fine."""
    cjk, latin = len(_CJK.findall(after)), len(_LATIN.findall(after))
    if cjk and cjk >= latin:
        return f"the English cell is mostly Chinese ({cjk} Chinese characters, {latin} Latin letters)"
    return None


# ---------------------------------------------------------------- drops: imported and flagged (--strict: refused)
def dropped(terms: Sequence[TermRecord], before: str, after: str, kind: str) -> list[TermRecord]:
    """Required English of ``kind`` the English stated before review and does not state after
    (a figure written another way still counts: ``qa.stated``).  What the model had already
    missed is not the reviewer's doing."""
    wanted = [t for t in terms if t.kind != "forbidden"]
    results = term_results(wanted)
    was, now = qa.stated(results, before), qa.stated(results, after)
    return [t for t, b, a in zip(wanted, was, now) if t.kind == kind and b and not a]


def check_dropped_term(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> str | None:
    lost = dropped(terms, before, after, "term")
    return "the reviewer removed the glossary term(s) " + ", ".join(dict.fromkeys(t.target for t in lost)) if lost else None


def check_dropped_figure(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> str | None:
    lost = dropped(terms, before, after, "number")
    return "the reviewer removed the figure(s) " + ", ".join(dict.fromkeys(t.target for t in lost)) if lost else None


def brought_forbidden(terms: Sequence[TermRecord], before: str, after: str) -> list[TermRecord]:
    """Forbidden English absent before review and used after (inside a required term it is
    not a use: the QA check decides)."""
    required = term_results(_required(terms))

    def uses(t: TermRecord, text: str) -> bool:
        return qa.check_forbidden_term("", text, [*required, *term_results([t])]) is not None

    return [t for t in terms if t.kind == "forbidden" and t.target and uses(t, after) and not uses(t, before)]


def _required(terms: Sequence[TermRecord]) -> list[TermRecord]:
    return [t for t in terms if t.kind == "term"]


def check_forbidden_term(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> str | None:
    used = brought_forbidden(terms, before, after)
    return "the reviewer used the forbidden " + ", ".join(dict.fromkeys(t.target for t in used)) if used else None


# ---------------------------------------------------------------- a second look: imported and flagged
def english_sentences(text: str) -> int:
    """Sentences in English prose: a . ! or ? followed by a space and a capital or digit,
    not after a known abbreviation or a single letter (U.S., Mr.)."""
    if not text.strip():
        return 0
    count = 1
    for m in _EN_BOUNDARY.finditer(text):
        words = text[: m.start()].split()
        word = words[-1].lower() if words else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        count += 1
    return count


def check_short(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> str | None:
    """The English covers clearly less of the source than a translation does: part of it
    left untranslated (thresholds from human translations, see above)."""
    from pipeline.ingest.segment import split_sentences

    chars = len(_CJK.findall(source))
    if chars < MIN_SOURCE_CHARS or not after.strip():
        return None
    words, ratio = len(after.split()), len(after.split()) / chars
    wanted, written = len(split_sentences(source)), english_sentences(after)
    if ratio < MIN_WORDS_PER_CHAR or (written < wanted and ratio < MIN_WORDS_PER_CHAR_FEWER_SENTENCES):
        return (f"covers less of the source than a translation does ({written} sentence(s) for {wanted}, "
                f"{words} words for {chars} characters): a second look")
    return None


REFUSALS: dict[str, Check] = {"empty": check_empty, "not-english": check_not_english}
DROPS: dict[str, Check] = {
    "reviewer-dropped-term": check_dropped_term,
    "reviewer-dropped-figure": check_dropped_figure,
    "reviewer-forbidden-term": check_forbidden_term,
}
SECOND_LOOK: dict[str, Check] = {"reviewer-short": check_short}


def run(checks: dict[str, Check], source: str, before: str, after: str, terms: Sequence[TermRecord]) -> list[QAFlag]:
    flags = []
    for name, check in checks.items():
        reason = check(source, before, after, terms)
        if reason:
            flags.append(QAFlag(name, reason))
    return flags


def review_flags(source: str, before: str, after: str, terms: Sequence[TermRecord]) -> list[QAFlag]:
    """Every flag of an imported correction: the drops, the second look, and QA re-run on the new
    English, less the QA flags that only repeat a reviewer flag (``length`` beside ``reviewer-short``,
    ``term`` naming only terms the reviewer removed, ``forbidden-term`` beside ``reviewer-forbidden-term``)."""
    own = run(DROPS, source, before, after, terms) + run(SECOND_LOOK, source, before, after, terms)
    names = {f.name for f in own}
    results = term_results(terms)
    missing = {t.target for t, ok in zip(results, qa.stated(results, after)) if t.kind == "term" and not ok}
    removed = {t.target for t in dropped(terms, before, after, "term")}
    repeated = {"length": "reviewer-short" in names, "forbidden-term": "reviewer-forbidden-term" in names,
                "term": bool(missing) and missing <= removed}
    return own + [f for f in qa.run_checks(source, after, results) if not repeated.get(f.name)]


# ---------------------------------------------------------------- the document as a whole
def check_same_article(manifest, rows) -> str | None:
    """A body that is not the article the manifest describes (a table pasted in from another
    briefing, or the manifest carried into another document): fewer than half of the document's
    rows have an original text of the manifest.  The article's hash answers at once when the
    source cells are untouched; a manifest written before it carried one is not checked."""
    from pipeline.review.manifest import article_hash, text_hash

    if not manifest.article_sha256 or article_hash(r.source for r in rows) == manifest.article_sha256:
        return None
    known = {row.source_hash for row in manifest.rows}
    found = sum(text_hash(r.source) in known for r in rows)
    if rows and found * 2 < len(rows):
        return (f"the body is not the article this briefing was written for ({manifest.article or 'article'} "
                f"{manifest.article_sha256}): {found} of {len(rows)} rows have one of its original paragraphs")
    return None
