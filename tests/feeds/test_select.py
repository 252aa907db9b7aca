from datetime import datetime, timedelta, timezone

import pytest

from pipeline.errors import BriefingError
from pipeline.feeds.parse import FeedItem
from pipeline.feeds.select import parse_since, select_items

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, expected", [
    ("24h", NOW - timedelta(hours=24)),
    ("90m", NOW - timedelta(minutes=90)),
    ("7d", NOW - timedelta(days=7)),
    (" 2W ", NOW - timedelta(weeks=2)),
    ("2026-11-30", datetime(2026, 11, 30, tzinfo=timezone.utc)),
    ("2026-11-30T08:00+08:00", datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)),
])
def test_parse_since(text, expected):
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "24", "h24", "2026-13-01", ""])
def test_parse_since_refuses_what_it_cannot_read(text):
    with pytest.raises(BriefingError, match="--since"):
        parse_since(text, NOW)


def _item(name, hours_ago=None):
    return FeedItem(f"https://n.example.tw/{name}", name, None if hours_ago is None else NOW - timedelta(hours=hours_ago))


def test_since_drops_older_items_and_keeps_undated_ones():
    items = [_item("a", 1), _item("b", 30), _item("c"), _item("d", 23)]
    taken, left = select_items(items, since=NOW - timedelta(hours=24))
    assert [i.title for i in taken] == ["a", "c", "d"] and left == 1


def test_max_items_keeps_the_newest_in_feed_order():
    items = [_item("old", 20), _item("new", 1), _item("undated"), _item("mid", 5)]
    taken, left = select_items(items, max_items=2)
    assert [i.title for i in taken] == ["new", "mid"] and left == 2
    taken, left = select_items(items, max_items=10)
    assert len(taken) == 4 and left == 0
