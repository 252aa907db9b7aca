"""Is a span of Chinese text a word here?  Word boundaries from a Chinese segmenter.

A glossary source found inside a longer word is not that term: 三星 in 三星期
(three weeks), 德州 in 德州儀器 (Texas Instruments), 超微 in 超微型 (ultra-micro).
Chinese writes no spaces, so the boundaries come from jieba's segmenter
(``rjieba``, its Rust port: same algorithm, same default dictionary), run on the
script-folded (Simplified, character-aligned) text.  The glossary is
deliberately *not* added to that dictionary: a term that the segmenter would
have to be told about before it splits there is exactly the case a reviewer
should see.

Each edge of a match (its start and its end) is judged against the
segmenter's word that covers it:

- no word crosses the edge, or the edge touches a non-Han character: on a boundary;
- the word starts or ends inside the match (超/微型 for 超微): the match cuts a
  word, unsure;
- the match is the head or tail of the word (三星期, 德州儀器, 溫帶植物): a
  compound of words is fine (溫帶 in 溫帶植物), but not when what is left is a
  single character (三星|期, 經濟部|長: the character binds to the word), nor
  when the match opens a word the dictionary tags as a name (德州儀器 is a
  company).  Closing one is fine: Chinese compounds put the head last, so 政府
  in 美國政府 is still a government.

How well this agrees with gold word boundaries is measured by
``python -m devtools.segmentation_eval`` (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Part-of-speech tags of jieba's dictionary for names (person, place, organisation,
# other proper noun): a term that opens a name is not that term (德州 in 德州儀器).
NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    tag: str = ""  # part of speech, in the HMM segmentation only


def _cut(text: str, hmm: bool = False) -> list[tuple[str, str]]:
    """The words of ``text`` with their part-of-speech tags (jieba's tag set).
    rjieba (jieba-rs: jieba's algorithm and dictionary, the same words) loads its
    dictionary once per process on first use, several times faster than jieba's
    own loader, and cuts about ten times faster.

    HMM off (word boundaries of matches): the dictionary's words only, untagged.
    The HMM guesses new words by gluing unknown characters together, which would
    glue terms to their neighbours.  HMM on is asked only about the neighbours
    of a match (pipeline.glossary.names): there that gluing is the information
    wanted (曾任 is one word, so its 任 is no surname)."""
    import rjieba

    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):  # Rust strings cannot hold a lone surrogate
        text = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)  # 1:1, offsets kept
    return rjieba.tag(text, True) if hmm else [(w, "") for w in rjieba.cut(text, False)]


def dictionary_tag(word: str) -> str:
    """The part-of-speech tag the default dictionary gives ``word`` as one word, or ""."""
    import rjieba

    tagged = rjieba.tag(word, False)
    return tagged[0][1] if len(tagged) == 1 else ""


def _is_name(word: str) -> bool:
    """Does the default dictionary tag ``word`` as a name?"""
    return dictionary_tag(word) in NAME_TAGS


def is_han(ch: str) -> bool:
    return bool(_HAN.match(ch))


class Segmentation:
    """The segmenter's words of one (script-folded) text, computed on first use."""

    def __init__(self, folded: str, hmm: bool = False):
        self.text = folded
        self.hmm = hmm
        self._words: list[Word] | None = None
        self._starts: list[int] = []

    def word_before(self, index: int) -> Word | None:
        """The word that holds the character before ``index``."""
        return self.word_at(index - 1) if index > 0 else None

    def word_across(self, position: int) -> Word | None:
        """The word that has ``position`` strictly inside it, if any."""
        word = self.word_at(position)
        return word if word is not None and word.start < position else None

    def word_at(self, index: int) -> Word | None:
        """The word that holds the character at ``index``."""
        if self._words is None:
            self._segment()
        import bisect

        i = bisect.bisect_right(self._starts, index) - 1
        if i < 0 or index >= len(self.text):
            return None
        word = self._words[i]
        return word if word.start <= index < word.end else None

    def _segment(self) -> None:
        words, pos = [], 0
        for piece, tag in _cut(self.text, self.hmm):
            words.append(Word(pos, pos + len(piece), piece, tag))
            pos += len(piece)
        self._words = words
        self._starts = [w.start for w in words]


def judge_span(segmentation: Segmentation, start: int, end: int, original: str) -> str:
    """Why ``original[start:end]`` is not a word of its own here, or "" when it is.

    ``segmentation`` is of the folded text, which is aligned with ``original``
    character for character; reasons quote the author's characters.
    """
    for edge in (start, end):
        reason = _judge_edge(segmentation, start, end, edge, original)
        if reason:
            return reason
    return ""


def _judge_edge(segmentation: Segmentation, start: int, end: int, edge: int, original: str) -> str:
    text = segmentation.text
    if edge <= 0 or edge >= len(text) or not (is_han(text[edge - 1]) and is_han(text[edge])):
        return ""  # text edge, punctuation, Latin or digits: a boundary already
    word = segmentation.word_across(edge)
    if word is None:
        return ""
    shown = original[word.start:word.end]
    if not (word.start == start or word.end == end):
        return f"cuts the word {shown}"
    rest = word.text[: start - word.start] if word.start < start else word.text[end - word.start:]
    if len(rest) < 2:
        return f"part of the word {shown}"
    if word.start == start and _is_name(word.text):
        return f"part of the name {shown}"
    return ""
