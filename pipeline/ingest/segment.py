"""Sentence splitting: MarianMT models translate sentences, not paragraphs.

Every function here is lossless: the pieces concatenate back to the input
exactly, so the left column of a briefing always shows what the author wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Sentence-final punctuation, full-width and ASCII (the seeds mix both), then
# any closing quotes/brackets that belong to the sentence (。」 ends after 」),
# then the whitespace that follows.  ASCII !?; only end a sentence when
# followed by space, CJK or the end, so "Yahoo!Japan" style names survive.
_FINAL = r"(?:[。！？；]+|…+|(?:[!?;]+(?=\s|$|[\u3000-\u9fff\uff00-\uffef])))"
_CLOSERS = r"[」』”’\"'）)】〕》]*"
_BOUNDARY = re.compile(_FINAL + _CLOSERS + r"\s*")

# Break points for a sentence too long for the model, best first.
_SOFT_BREAKS = ("，,、：:", "—－-–", " \t\u3000")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; ``"".join(result) == text``."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end <= start:
            continue
        pieces.append(text[start:end])
        start = end
    if start < len(text):
        tail = text[start:]
        if pieces and not tail.strip():
            pieces[-1] += tail
        else:
            pieces.append(tail)
    return pieces


def split_long(
    text: str,
    fits: Callable[[str], bool],
    protected: Sequence[tuple[int, int]] = (),
) -> list[str]:
    """Split ``text`` into pieces that each satisfy ``fits`` (e.g. a token budget).

    Splits near the middle at the softest available break (comma, dash, space,
    then any character), never inside a ``protected`` (start, end) span such as
    a glossary term.  Lossless: ``"".join(result) == text``.
    """
    if fits(text) or len(text) <= 1:
        return [text]
    cut = _best_cut(text, protected)
    if cut is None:
        return [text]  # one protected span longer than the budget: keep it whole
    left, right = text[:cut], text[cut:]
    shifted = [(s - cut, e - cut) for s, e in protected]
    return split_long(left, fits, protected) + split_long(right, fits, shifted)


def _best_cut(text: str, protected: Sequence[tuple[int, int]]) -> int | None:
    def allowed(i: int) -> bool:
        return 0 < i < len(text) and not any(s < i < e for s, e in protected)

    middle = len(text) / 2
    for breaks in _SOFT_BREAKS:
        cuts = [i + 1 for i, ch in enumerate(text) if ch in breaks and allowed(i + 1)]
        if cuts:
            return min(cuts, key=lambda i: abs(i - middle))
    cuts = [i for i in range(1, len(text)) if allowed(i)]
    return min(cuts, key=lambda i: abs(i - middle)) if cuts else None
