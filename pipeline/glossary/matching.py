"""Finding glossary entries in source text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.glossary.entry import GlossaryEntry, TermMatch

# How many of an entry's ``requires`` words a reason quotes before "…".
SHOWN_CONTEXT_WORDS = 3


class Matcher:
    """One regex over script-folded text: alternatives longest first, so at any
    position the longest entry wins and a matched span is never matched twice.

    A Chinese match must also be a word of its own in the sentence (see
    ``pipeline.glossary.words``) and not part of a person's or place's name
    (``pipeline.glossary.names``); one that is not is returned unsure
    (reported, not enforced).  Per entry, ``not_in`` lists longer words in
    which the source is not the term (no match at all there), ``match:
    always`` skips the word and name tests (names that are safe anywhere), and
    ``requires`` lists words one of which must be in the sentence or the
    article for the match to be enforced (蘋果: iPhone|庫克|股價).
    """

    def __init__(self, entries: Sequence[GlossaryEntry]):
        from pipeline.glossary.names import NameRules
        from pipeline.translate.normalise import ScriptFolder

        self._fold = ScriptFolder()
        self._by_key: dict[str, GlossaryEntry] = {}
        for entry in entries:
            for spelling in entry.spellings:
                self._by_key.setdefault(self._fold(spelling), entry)
        self._not_in = {e.source: tuple(self._fold(w) for w in e.not_in) for e in entries if e.not_in}
        self._context = ContextRules(entries, self._fold)
        self._names = NameRules(self._fold)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._regex = re.compile("|".join(_term_pattern(k) for k in keys)) if keys else None

    def find(self, text: str, context: str = "") -> list[TermMatch]:
        """The entries in ``text`` (one sentence); ``context`` is the article it is from,
        where an entry's ``requires`` words may also be found."""
        if self._regex is None:
            return []
        from pipeline.glossary.names import NameView
        from pipeline.glossary.words import Segmentation

        folded = self._fold(text)
        view = NameView(Segmentation(folded), self._names)  # segments only if a match needs judging
        matches = []
        for m in self._regex.finditer(folded):
            entry = self._by_key[m.group(0)]
            start, end = m.span()
            if self._excepted(entry, folded, start, end):
                continue
            surface = text[start:end]
            reason = self._judge(view, entry, start, end, text) or self._context.reason(entry, surface, folded, context)
            matches.append(TermMatch(start, end, surface, entry, sure=not reason, reason=reason))
        return matches

    @staticmethod
    def _judge(view, entry: GlossaryEntry, start: int, end: int, text: str) -> str:
        """Why the match is not the term by its place in the sentence: not a word of its own, or part of a name."""
        if entry.match == "always":
            return ""
        from pipeline.glossary.names import name_reason
        from pipeline.glossary.words import judge_span

        return judge_span(view.words, start, end, text) or name_reason(view, start, end, text, entry.category)

    def _excepted(self, entry: GlossaryEntry, folded: str, start: int, end: int) -> bool:
        """True inside one of the entry's ``not_in`` words (三星 in 三星期)."""
        for word in self._not_in.get(entry.source, ()):
            for i in range(max(0, end - len(word)), start + 1):
                if folded.startswith(word, i) and i + len(word) >= end:
                    return True
        return False


class ContextRules:
    """The ``requires`` words of the entries: is one of them in the sentence or its article?

    Words are folded like sources (Simplified and Traditional alike, Latin in any
    case; Latin on word boundaries, so ``Mac`` is not found in ``machine``).  The
    article's words are found once and kept for its next sentence.
    """

    def __init__(self, entries: Sequence[GlossaryEntry], fold):
        self._fold = fold
        self._words = {e.source: tuple(dict.fromkeys(fold(w) for w in e.requires)) for e in entries if e.requires}
        latin = {w for words in self._words.values() for w in words if w[:1].isascii() or w[-1:].isascii()}
        self._latin = {w: re.compile(_term_pattern(w)) for w in latin}
        self._last: tuple[str, frozenset[str]] = ("", frozenset())

    def reason(self, entry: GlossaryEntry, surface: str, folded: str, context: str) -> str:
        """Why the entry's context is missing from the (folded) sentence and from the article ``context``,
        or "" when the entry has no rule or one of its words is there."""
        words = self._words.get(entry.source)
        if not words or any(self._found(w, folded) for w in words):
            return ""
        if not self._in_context(context).isdisjoint(words):
            return ""
        shown = "|".join(entry.requires[:SHOWN_CONTEXT_WORDS])
        if len(entry.requires) > SHOWN_CONTEXT_WORDS:
            shown += "|…"
        return f"{surface} without {entry.target} context ({shown})"

    def _in_context(self, context: str) -> frozenset[str]:
        if not context:
            return frozenset()
        if context != self._last[0]:
            folded = self._fold(context)
            every = {w for words in self._words.values() for w in words}
            self._last = (context, frozenset(w for w in every if self._found(w, folded)))
        return self._last[1]

    def _found(self, word: str, folded: str) -> bool:
        pattern = self._latin.get(word)
        return bool(pattern.search(folded)) if pattern is not None else word in folded


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
