"""A feed's bytes into the items a run may brief.  feedparser reads RSS 0.9x/1.0/2.0
and Atom; it resolves relative links against the feed's address and picks an
entry's page link (Atom ``rel="alternate"``, RSS ``<link>`` or a permalink guid)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone

from pipeline.errors import InputError

# Content types a server sends a feed as; XML ones are read as a feed only when
# the document's root is one (``looks_like_feed``).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
XML_TYPES = ("application/xml", "text/xml")
_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf ")


@dataclass(frozen=True)
class FeedItem:
    link: str
    title: str = ""
    published: datetime | None = None  # UTC; None when the feed gives no date
    guid: str = ""


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    items: tuple[FeedItem, ...]
    without_link: int = 0  # entries that name no page to read (counted, never silently lost)


def looks_like_feed(content_type: str, data: bytes) -> bool:
    """Whether a fetched document is a feed: by its type, or an XML type whose root element is a feed's."""
    if content_type in FEED_TYPES:
        return True
    if content_type not in XML_TYPES and content_type:
        return False
    head = data[:2048].lower()
    return any(root in head for root in _ROOTS)


def parse_feed(data: bytes, url: str) -> Feed:
    """The items of the feed at ``url`` in feed order; ``InputError`` naming ``url`` when it is no feed."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        raise InputError(f"{url}: not a readable feed ({_problem(parsed)})")
    items, without = [], 0
    for entry in parsed.entries:
        link = page_link(entry)
        if not link.lower().startswith(("http://", "https://")):
            without += 1
            continue
        items.append(FeedItem(link, " ".join((entry.get("title") or "").split()), entry_date(entry),
                              entry.get("id") or entry.get("guid") or ""))
    if not items and parsed.get("bozo"):  # damaged (truncated, say) and nothing usable in it: say so
        raise InputError(f"{url}: not a readable feed ({_problem(parsed)})")
    return Feed(url, " ".join((parsed.feed.get("title") or "").split()), tuple(items), without)


def _problem(parsed) -> str:
    problem = parsed.get("bozo_exception")
    return " ".join(str(problem).split())[:200] if problem else "no RSS, Atom or RDF document"


def page_link(entry) -> str:
    """The entry's page: its first ``rel="alternate"`` link, else feedparser's ``link``.
    feedparser 6.0.14 gives ``link`` from the first ``<link>`` with text content, an
    enclosure's included (its own suite's atom10/entry_link_rel_enclosure_no_href.xml
    expects the alternate), and an enclosure is a file, not the article."""
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate" and (link.get("href") or "").strip():
            return link["href"].strip()
    return (entry.get("link") or "").strip()


def entry_date(entry) -> datetime | None:
    """When the entry was published (else last updated), in UTC; feedparser gives UTC struct_time."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return datetime.fromtimestamp(calendar.timegm(stamp), tz=timezone.utc)
