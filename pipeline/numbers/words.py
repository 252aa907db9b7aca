"""Is this qualifier, unit or 成 a word of its own, or part of a longer word?

約 in 節約 is not "about", 近 in 最近 is not "nearly", 元 in 元素 is not NT$.
The tables' ``not_figure_words`` decide first; jieba's segmenter (rjieba, on
a Simplified copy of the sentence, folded one character to one) catches the
words nobody listed, such as 簽約 or 人次, and reads them in context: 經費約3億
is 經費/約, 吸引十多萬人參觀 is 人/參觀.  The segmenter only ever takes a reading
away, it never adds one.  ``word_across`` also tells ``readings.py`` what
word a figure would cut (一成|不變).
"""

from __future__ import annotations

import re

from pipeline.numbers.tables import NumberTables

_CJK = re.compile(r"[\u3400-\u9fff]")


class WordBoundaries:
    def __init__(self, tables: NumberTables):
        self.tables = tables
        self._last_tagged: tuple[str, list] | None = None  # the sentence read last, tagged
        self._fold = None
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
        """A one-character piece glued to its neighbour into a word, as the segmenter
        reads this sentence.  Only the neighbour on the side away from the figure
        matters: the character before a qualifier (節|約5億), after a unit (元|素).
        In context, not by the dictionary alone: 經費約3億 reads 經費/約 although
        the dictionary lists 费约."""
        if end - start != 1:
            return False
        return self.word_across(text, start if outward < 0 else end) is not None

    def is_word(self, chars: str) -> bool:
        """Do these characters make one word of the segmenter's dictionary (海外, 光電)?
        The ticker table's question: 1000萬海外 is not 萬海 (a listed name) glued to 外."""
        import rjieba

        folded = self._folded(chars)
        return rjieba.cut(folded, False) == [folded]

    def _folded(self, text: str) -> str:
        if self._fold is None:
            from pipeline.translate.normalise import ScriptFolder

            self._fold = ScriptFolder()  # one character to one: offsets stay the sentence's
        return self._fold(text)

    def word_across(self, text: str, edge: int) -> tuple[str, str] | None:
        """The segmenter's word (and its part-of-speech tag) that has ``edge`` strictly
        inside it, or None: what a figure ending (or starting) there would cut through
        (2886兆|豐金 is not cut by any word, 一成|不變 is: 一成不变 is an idiom)."""
        if not (0 < edge < len(text)) or not (_CJK.match(text[edge - 1]) and _CJK.match(text[edge])):
            return None
        for start, end, word, tag in self._tagged(text):
            if start < edge < end:
                return word, tag
            if start >= edge:
                return None
        return None

    def word_at(self, text: str, at: int) -> tuple[int, int, str, str] | None:
        """(start, end, word, tag) of the segmenter's word starting exactly at ``at``, or None."""
        return self._word_with(text, 0, at)

    def word_before(self, text: str, at: int) -> tuple[int, int, str, str] | None:
        """(start, end, word, tag) of the segmenter's word ending exactly at ``at``, or None."""
        return self._word_with(text, 1, at)

    def _word_with(self, text: str, edge: int, at: int) -> tuple[int, int, str, str] | None:
        """The word whose start (``edge`` 0) or end (1) is ``at``."""
        return next((word for word in self._tagged(text) if word[edge] == at), None)

    def _tagged(self, text: str) -> list[tuple[int, int, str, str]]:
        if self._last_tagged is None or self._last_tagged[0] != text:
            import rjieba

            words, pos = [], 0
            # HMM off: the dictionary's words only (as for glossary word boundaries)
            for word, tag in rjieba.tag(self._folded(text), False):
                words.append((pos, pos + len(word), word, tag))
                pos += len(word)
            self._last_tagged = (text, words)
        return self._last_tagged[1]
