"""PageText.number_of answers as the walk over the page did, in linear time (issue 19).

The reference below is the walk the reader used before its index: each test
(equal, starts with or is a prefix of, contains the first 20 characters) takes
the first page line that passes, reading on from the last one found and
wrapping round.  One change on purpose: an equal line already taken by an
earlier equal content line is passed over while another equal line is free
(a paragraph a page holds twice is two lines, not one line twice).
"""

import html
import re
import time

from hypothesis import given, settings, strategies as st

from pipeline.ingest.readers.html import PageText


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def reference_numbers(lines: list[str], keys: list[str]) -> list[int]:
    squashed = [squash(t) for t in lines]
    cursor, claimed, out = 0, set(), []
    for text in keys:
        key = squash(text)
        order = list(range(cursor, len(lines))) + list(range(0, cursor))
        hit = next((i for i in order if squashed[i] == key and i not in claimed), None)
        if hit is None:
            hit = next((i for i in order if squashed[i] == key), None)
        else:
            claimed.add(hit)
        tests = (lambda s: bool(s) and (s.startswith(key[:20]) or key.startswith(s)), lambda s: bool(s) and key[:20] in s)
        for test in tests:
            if hit is None:
                hit = next((i for i in order if test(squashed[i])), None)
        if hit is not None:
            cursor = hit
        out.append((hit if hit is not None else cursor) + 1)
    return out


def page_of(lines: list[str]) -> PageText:
    return PageText("<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>")


# A small alphabet, so that lines equal, start, end and contain one another often.
_line = st.text(alphabet="台積電 ab", min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, min_size=1, max_size=30), st.lists(_line, min_size=1, max_size=30))
def test_number_of_matches_the_walk(lines, keys):
    page = page_of(lines)
    visible = [text for text, _ in page.lines]  # what the page's lines are once whitespace is tidied
    assert [page.number_of(k) for k in keys] == reference_numbers(visible, keys)


def test_numbering_every_line_of_a_long_page_is_linear():
    """32k distinct lines numbered in order: the walk took minutes (it re-squashed the page for each line)."""
    lines = [f"第{k}段台積電營收成長{k % 97}%" for k in range(32000)]
    page = page_of(lines)
    start = time.process_time()
    numbers = [page.number_of(line) for line in lines]
    assert numbers == list(range(1, 32001))
    assert time.process_time() - start < 5.0
