"""Reading feeds: feedparser's own test files (tests/data/feeds/feedparser/SOURCE.md)
checked against the expectation each file states, and its sample feeds."""

from __future__ import annotations

import ast
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.feeds.parse import entry_date, looks_like_feed, parse_feed

DATA = Path(__file__).parents[1] / "data" / "feeds" / "feedparser"
CASES = sorted(p for p in DATA.rglob("*.xml") if p.parent.name != "examples")
# The document address feedparser's own suite serves these files from (base/http_item_link_base_docuri.xml).
SUITE_URL = "http://127.0.0.1:8097/tests/wellformed/case.xml"


def expectation(path: Path) -> tuple[str, object]:
    """What the file's own ``Expect:`` comment says entry 0 has: ('link', url) or ('date', tuple)."""
    line = re.search(r"^Expect:\s*(.*)$", path.read_text(encoding="utf-8"), re.M).group(1)
    link = re.search(r"entries\[0\]\['link'\] == (entries\[1\]\['link'\] == )?('[^']*')", line)
    if link:  # some files expect the same link of two entries
        return "link", [ast.literal_eval(link.group(2))] * (2 if link.group(1) else 1)
    stamp = re.search(r"entries\[0\]\['(?:published|updated)_parsed'\] == (\([^)]*\))", line)
    return "date", ast.literal_eval(stamp.group(1))


def test_the_suite_files_are_all_here():
    assert len(CASES) == 29  # SOURCE.md lists what was taken; a lost file must fail here


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_suite_file_reads_as_its_authors_expect(path):
    what, expected = expectation(path)
    if what == "link":
        items = parse_feed(path.read_bytes(), SUITE_URL).items
        assert [i.link for i in items[: len(expected)]] == expected
    else:  # these entries have no link (so are no item to brief): their date as we read it
        import feedparser

        entry = feedparser.parse(path.read_bytes()).entries[0]
        assert entry_date(entry) == datetime(*expected[:6], tzinfo=timezone.utc)


def test_rss20_sample():
    feed = parse_feed((DATA / "examples" / "rss20.xml").read_bytes(), "http://example.org/rss20.xml")
    assert feed.title == "Sample Feed"
    assert [(i.link, i.title, i.published) for i in feed.items] == [
        ("http://example.org/item/1", "First item title", datetime(2002, 9, 5, 0, 0, 1, tzinfo=timezone.utc))]


def test_atom10_sample_takes_the_alternate_link_resolved_against_xml_base():
    feed = parse_feed((DATA / "examples" / "atom10.xml").read_bytes(), "http://www.example.org/atom10.xml")
    [item] = feed.items
    assert item.link == "http://example.org/entry/3"  # not the related, via or enclosure link
    assert item.published == datetime(2005, 11, 9, 0, 23, 47, tzinfo=timezone.utc)


def test_rss10_rdf_sample_converts_the_zone_to_utc():
    feed = parse_feed((DATA / "examples" / "rss10.rdf").read_bytes(), "http://www.example.org/rss10.rdf")
    [first] = feed.items
    assert first.link == "http://example.org/archives/2002/09/04.html#first_of_all"
    assert first.published == datetime(2004, 5, 30, 20, 23, 54, tzinfo=timezone.utc)  # 14:23:54-06:00


def test_entries_without_a_page_link_are_counted_not_lost():
    data = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>a</title><link>https://news.example.tw/a</link></item>
      <item><title>no link</title><description>x</description></item>
      <item><title>mail</title><link>mailto:desk@example.tw</link></item>
    </channel></rss>"""
    feed = parse_feed(data, "https://news.example.tw/rss")
    assert [i.link for i in feed.items] == ["https://news.example.tw/a"]
    assert feed.without_link == 2


@pytest.mark.parametrize("data", [b"<html><body><p>not a feed</p></body></html>", b"\x00\x01garbage", b""])
def test_what_is_no_feed_is_refused_naming_the_address(data):
    with pytest.raises(InputError, match=r"^https://x\.example/feed: not a readable feed"):
        parse_feed(data, "https://x.example/feed")


@pytest.mark.parametrize("content_type, head, expected", [
    ("application/rss+xml", b"", True),
    ("application/atom+xml", b"", True),
    ("application/xml", b'<?xml version="1.0"?><rss version="2.0">', True),
    ("text/xml", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x">', True),
    ("text/xml", b"<?xml version='1.0'?><html/>", False),
    ("text/html", b"<rss>", False),
])
def test_looks_like_feed(content_type, head, expected):
    assert looks_like_feed(content_type, head) is expected
