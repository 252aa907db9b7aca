"""A run's links that are feeds become their items' links.

Each link INPUT is fetched once to see what it is: a feed (by its type, or an
XML document whose root is a feed's) gives its items, selected by ``--since``
and ``--max-items``, less those the output folder's ledger has briefed; any
other link stays an input and is read as an article.  A link that cannot be
fetched, or a feed that cannot be read, stays an input whose error is known: the
run reports it as that input's failure without fetching it again, and goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.errors import InputError
from pipeline.ingest.sources import is_link


@dataclass
class Expansion:
    inputs: list  # paths and links, feeds replaced by their items' links
    from_feeds: set[str] = field(default_factory=set)  # the item links (the ledger is asked about these)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (link, why): briefed before
    left_out: int = 0  # items outside --since / --max-items
    without_link: int = 0  # entries naming no page
    # (link, error): a link that could not be fetched, or looked like a feed and could not be read.
    # It stays an input: the run reports it as that input's error without fetching it again.
    failed: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[tuple[str, str, int]] = field(default_factory=list)  # (url, title, items in the feed)


def expand_feeds(inputs: Sequence, ledger, *, since: datetime | None = None, max_items: int | None = None,
                 timeout: float = 30.0, max_bytes: int = 5 * 1024 * 1024, fetch=None) -> Expansion:
    """``inputs`` with every feed replaced by the links of its new items (see the module docstring).
    ``fetch(url)`` returns a fetched page (``ingest.fetch.Page``); by default ``fetch_document``."""
    fetch = fetch or (lambda url: fetch_document(url, timeout=timeout, max_bytes=max_bytes))
    out = Expansion([])
    seen: set[str] = set()
    for source in inputs:
        if not is_link(source):
            out.inputs.append(source)
            continue
        try:
            page = fetch(str(source))
        except InputError as err:
            out.inputs.append(source)
            out.failed.append((str(source), str(err)))
            continue
        from pipeline.feeds.parse import looks_like_feed

        if not looks_like_feed(page.content_type, page.data):
            out.inputs.append(source)  # an article: read again by the run (fetched pages are not held)
            continue
        _add_items(out, page, ledger, since, max_items, seen)
    return out


def _add_items(out: Expansion, page, ledger, since, max_items, seen: set[str]) -> None:
    from pipeline.feeds.parse import parse_feed
    from pipeline.feeds.select import select_items

    try:
        feed = parse_feed(page.data, page.final_url or page.url)
    except InputError as err:
        out.inputs.append(page.url)
        out.failed.append((page.url, str(err)))
        return
    out.feeds.append((page.url, feed.title, len(feed.items)))
    out.without_link += feed.without_link
    taken, left = select_items(feed.items, since, max_items)
    out.left_out += left
    for item in taken:
        if item.link in seen:
            continue  # two feeds (or one twice) list the same story: brief it once
        seen.add(item.link)
        if ledger.has_link(item.link):
            entry = ledger.links[item.link]
            out.skipped.append((item.link, f"briefed before ({entry.get('briefing')}, {entry.get('at')})"))
            continue
        out.inputs.append(item.link)
        out.from_feeds.add(item.link)


def fetch_document(url: str, *, timeout: float, max_bytes: int):
    """A link that may be a feed or a page: fetched with the feed types accepted too."""
    from pipeline.feeds.parse import FEED_TYPES, XML_TYPES
    from pipeline.ingest.fetch import HTML_TYPES, fetch_url

    return fetch_url(url, timeout=timeout, max_bytes=max_bytes, types=HTML_TYPES + FEED_TYPES + XML_TYPES)
