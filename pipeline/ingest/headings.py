"""Is a plain-text line a heading?  Weighs length, punctuation, quotes, list
markers and position.  Formats that mark headings (HTML, Word styles,
Markdown) do not ask: their markup decides.
"""

from __future__ import annotations

import re

MAX_HEADING_CHARS = 40
_SENTENCE_FINAL = re.compile(r"[。！？!?；;…]")
# Ends that announce more to come: a speaker's colon, a comma, an open bracket.
_OPEN_END = re.compile(r"[：:，,、（(「『\"“‘—]$")
_QUOTE_START = re.compile(r"^[「『“\"‘']")
_LIST_MARKER = re.compile(
    r"^(?:\d{1,2}\s*[.．、)）](?!\d)|[（(]\s*\d{1,2}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|[•●■□◆◇▪▶►※＊*·\-–—]\s?)"
)
_WHOLLY_BRACKETED = re.compile(r"^[（(【\[].*[)）】\]]$")
_CAPTION = re.compile(r"^(?:圖|图|圖說|图说|照片|Photo)\s*[、：:．.]|[（(][^（()）]*(?:攝|摄|提供|資料照|资料照)[)）]$", re.I)


def why_not_heading(text: str) -> str | None:
    """The reason a line reads as body text, or None when it has a heading's shape."""
    s = text.strip()
    if not 0 < len(s) <= MAX_HEADING_CHARS:
        return "length"
    if _SENTENCE_FINAL.search(s):
        return "sentence punctuation"
    if _OPEN_END.search(s):
        return "open end"
    if _QUOTE_START.match(s):
        return "quotation"
    if _LIST_MARKER.match(s):
        return "list item"
    if _WHOLLY_BRACKETED.match(s):
        return "bracketed note"
    if _CAPTION.search(s):
        return "caption"
    return None


def is_heading(text: str, *, followed_by_text: bool = True) -> bool:
    """A heading has a heading's shape and introduces text (the last line of an article is not one)."""
    return followed_by_text and why_not_heading(text) is None
