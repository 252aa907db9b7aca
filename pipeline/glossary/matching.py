"""Finding glossary entries in source text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.glossary.base import GlossaryEntry, TermMatch


class Matcher:
    """One regex over script-folded text: alternatives longest first, so at any
    position the longest entry wins and a matched span is never matched twice.

    A Chinese match must also be a word of its own in the sentence (see
    ``pipeline.glossary.words``): one that is not is returned unsure (reported,
    not enforced).  Per entry, ``not_in`` lists longer words in which the
    source is not the term (no match at all there) and ``match: always`` skips
    the word test (names that are safe anywhere).
    """

    def __init__(self, entries: Sequence[GlossaryEntry]):
        from pipeline.translate.normalise import ScriptFolder

        self._fold = ScriptFolder()
        self._by_key: dict[str, GlossaryEntry] = {}
        for entry in entries:
            for spelling in entry.spellings:
                self._by_key.setdefault(self._fold(spelling), entry)
        self._not_in = {e.source: tuple(self._fold(w) for w in e.not_in) for e in entries if e.not_in}
        keys = sorted(self._by_key, key=len, reverse=True)
        self._regex = re.compile("|".join(_term_pattern(k) for k in keys)) if keys else None

    def find(self, text: str) -> list[TermMatch]:
        if self._regex is None:
            return []
        from pipeline.glossary.words import Segmentation, judge_span

        folded = self._fold(text)
        segmentation = Segmentation(folded)  # segments only if a match needs judging
        matches = []
        for m in self._regex.finditer(folded):
            entry = self._by_key[m.group(0)]
            start, end = m.span()
            if self._excepted(entry, folded, start, end):
                continue
            reason = "" if entry.match == "always" else judge_span(segmentation, start, end, text)
            matches.append(TermMatch(start, end, text[start:end], entry, sure=not reason, reason=reason))
        return matches

    def _excepted(self, entry: GlossaryEntry, folded: str, start: int, end: int) -> bool:
        """True inside one of the entry's ``not_in`` words (三星 in 三星期)."""
        for word in self._not_in.get(entry.source, ()):
            for i in range(max(0, end - len(word)), start + 1):
                if folded.startswith(word, i) and i + len(word) >= end:
                    return True
        return False


def _term_pattern(key: str) -> str:
    """Latin-script ends must sit on word boundaries: 'AI' must not match in 'OpenAI'.

    ``key`` is folded (ASCII lower case), and so is the text it is matched in.
    """
    pattern = re.escape(key)
    if key[:1].isascii() and key[:1].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if key[-1:].isascii() and key[-1:].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern
