"""Finding glossary entries in source text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.glossary.base import GlossaryEntry, TermMatch


class Matcher:
    """One regex over script-folded text: alternatives longest first, so at any
    position the longest entry wins and a matched span is never matched twice."""

    def __init__(self, entries: Sequence[GlossaryEntry]):
        from pipeline.translate.normalise import ScriptFolder

        self._fold = ScriptFolder()
        self._by_key: dict[str, GlossaryEntry] = {}
        for entry in entries:
            for spelling in entry.spellings:
                self._by_key.setdefault(self._fold(spelling), entry)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._regex = re.compile("|".join(_term_pattern(k) for k in keys)) if keys else None

    def find(self, text: str) -> list[TermMatch]:
        if self._regex is None:
            return []
        folded = self._fold(text)
        return [
            TermMatch(m.start(), m.end(), text[m.start():m.end()], self._by_key[m.group(0)])
            for m in self._regex.finditer(folded)
        ]


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
