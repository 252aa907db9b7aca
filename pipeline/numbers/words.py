"""Is this qualifier, unit or 成 a word of its own, or part of a longer word?

約 in 節約 is not "about", 近 in 最近 is not "nearly", 元 in 元素 is not NT$.
The tables' ``not_figure_words`` decide first; jieba's dictionary (on a
Simplified copy of the two characters, which OpenCC maps one to one) catches
the words nobody listed, such as 簽約 or 人次.  jieba only ever takes a
reading away, it never adds one.
"""

from __future__ import annotations

import re

from pipeline.numbers.tables import NumberTables

_CJK = re.compile(r"[\u3400-\u9fff]")


class WordBoundaries:
    def __init__(self, tables: NumberTables):
        self.tables = tables
        self._dictionary = None  # jieba's, loaded on first need (about a second)
        # listed words by the characters they contain: only those can cross a piece made of them
        self._by_char: dict[str, set[str]] = {}
        for word in tables.not_figure_words:
            for ch in word:
                self._by_char.setdefault(ch, set()).add(word)

    def stands_alone(self, text: str, start: int, end: int, outward: int) -> bool:
        """True when no longer word covers part of text[start:end] and reaches outside it.

        ``outward`` is -1 for a piece before the figure (a qualifier), +1 for
        one after it (a unit): the side where a dictionary word could form."""
        listed = set().union(*(self._by_char.get(ch, ()) for ch in text[start:end]))
        return not any(self._crossing(text, start, end, word) for word in listed) \
            and not self._dictionary_word(text, start, end, outward)

    def cuts_a_listed_word(self, text: str, start: int, end: int) -> bool:
        """A listed word that begins inside text[start:end] and ends outside it, or the reverse."""
        near = {w for ch in (text[start], text[end - 1]) for w in self._by_char.get(ch, ())}
        return any(self._crossing(text, start, end, word) for word in near)

    @staticmethod
    def _crossing(text: str, start: int, end: int, word: str) -> bool:
        lo = max(0, start - len(word) + 1)
        for at in range(lo, end):
            if text.startswith(word, at) and at < end and at + len(word) > start \
                    and not (start <= at and at + len(word) <= end):
                return True
        return False

    def _dictionary_word(self, text: str, start: int, end: int, outward: int) -> bool:
        """A one-character piece glued to its neighbour into a dictionary word.

        Only the neighbour on the side away from the figure matters: the
        character before a qualifier (節|約5億), after a unit (元|素)."""
        if end - start != 1:
            return False
        if outward < 0:
            return start > 0 and bool(_CJK.match(text[start - 1])) and self._known(text[start - 1:end])
        return end < len(text) and bool(_CJK.match(text[end])) and self._known(text[start:end + 1])

    def _known(self, pair: str) -> bool:
        if self._dictionary is None:
            self._dictionary = _load_dictionary()
        freq, to_simplified = self._dictionary
        return (freq.get(to_simplified(pair)) or 0) > 0


def _load_dictionary():
    import logging

    import jieba
    import opencc

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ, opencc.OpenCC("t2s").convert
