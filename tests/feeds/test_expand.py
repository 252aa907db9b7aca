"""Feed links become their items' links, fetched from a real HTTP server on 127.0.0.1."""

from pathlib import Path

import pytest

from pipeline.feeds.expand import expand_feeds
from pipeline.feeds.ledger import Ledger
from tests.feeds.site import hours_ago, rss, serve, story_html


@pytest.fixture
def site():
    with serve() as s:
        yield s


def _feed(site, n=5, path="/rss.xml", content_type="application/rss+xml", **ages):
    links = [site.add(f"/news/{i}.html", "text/html; charset=utf-8", story_html(i)) for i in range(n)]
    items = [(link, f"第{i}則", hours_ago(ages.get(f"h{i}", i))) for i, link in enumerate(links)]
    return site.add(path, content_type, rss(items)), links


def test_a_feed_becomes_its_items_and_other_inputs_stay(site, tmp_path):
    feed, links = _feed(site, 3)
    page = site.add("/page.html", "text/html", story_html(9))
    out = expand_feeds([Path("a.txt"), feed, page], Ledger(tmp_path))
    assert out.inputs == [Path("a.txt"), *links, page]
    assert out.from_feeds == set(links)
    assert out.feeds == [(feed, "測試新聞網", 3)] and not out.failed and not out.skipped


@pytest.mark.parametrize("content_type", ["application/rss+xml", "application/xml", "text/xml"])
def test_a_feed_is_known_by_its_type_or_its_root(site, tmp_path, content_type):
    feed, links = _feed(site, 2, content_type=content_type)
    assert expand_feeds([feed], Ledger(tmp_path)).inputs == links


def test_items_the_ledger_has_are_skipped_and_said(site, tmp_path):
    feed, links = _feed(site, 4)
    ledger = Ledger(tmp_path)
    ledger.record(links[1], "sha256:x", "第1則.docx")
    out = expand_feeds([feed], ledger)
    assert out.inputs == [links[0], links[2], links[3]]
    assert [(link, "第1則.docx" in why) for link, why in out.skipped] == [(links[1], True)]


def test_since_and_max_items_limit_the_items(site, tmp_path):
    feed, links = _feed(site, 6, h0=1, h1=30, h2=2, h3=50, h4=3, h5=4)
    from pipeline.feeds.select import parse_since

    out = expand_feeds([feed], Ledger(tmp_path), since=parse_since("24h"), max_items=3)
    assert out.inputs == [links[0], links[2], links[4]] and out.left_out == 3


def test_a_story_in_two_feeds_is_briefed_once(site, tmp_path):
    first, links = _feed(site, 2, path="/a.xml")
    second = site.add("/b.xml", "application/atom+xml",
                      rss([(links[1], "again", hours_ago(1))]))  # a mislabelled type: the root decides
    assert expand_feeds([first, second], Ledger(tmp_path)).inputs == links


def test_a_broken_or_unreadable_feed_is_one_failure_and_the_rest_goes_on(site, tmp_path):
    good, links = _feed(site, 2)
    broken = site.base + "/gone.xml"
    bad = site.add("/bad.xml", "application/rss+xml", b"<rss><channel><item>")
    out = expand_feeds([broken, bad, good], Ledger(tmp_path))
    assert out.inputs == [broken, bad, *links]  # still inputs: the run reports their errors
    assert [f for f, _ in out.failed] == [broken, bad]
    assert "404" in out.failed[0][1] and "\n" not in out.failed[1][1]
