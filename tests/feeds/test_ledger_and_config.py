import json
from pathlib import Path

import pytest

from pipeline.article import Article, Block
from pipeline.errors import BriefingError
from pipeline.feeds.config import add_feed, feeds_path, load_feeds, remove_feed
from pipeline.feeds.ledger import LEDGER_NAME, Ledger, text_key


def _article(title, *paragraphs):
    return Article(Path("a.html"), title, "explicit", [Block("paragraph", p, i + 1, [p]) for i, p in enumerate(paragraphs)])


def test_text_key_ignores_spacing_but_not_words():
    a = _article("台積電法說會", "營收成長三成。", "毛利率52%。")
    b = _article(" 台積電法說會", "營收成長三成。 ", "毛利率52%。")
    c = _article("台積電法說會", "營收成長三成。", "毛利率53%。")
    assert text_key(a) == text_key(b) != text_key(c)


def test_ledger_survives_reopening_and_finds_a_text_under_another_link(tmp_path):
    ledger = Ledger(tmp_path)
    assert not ledger.has_link("https://n.example.tw/1")
    ledger.record("https://n.example.tw/1", "sha256:abc", "1.docx")
    again = Ledger(tmp_path)
    assert again.has_link("https://n.example.tw/1")
    assert again.briefed_as("sha256:abc") == "https://n.example.tw/1"
    assert again.briefed_as("sha256:def") is None
    assert json.loads((tmp_path / LEDGER_NAME).read_text())["links"]["https://n.example.tw/1"]["briefing"] == "1.docx"


def test_a_damaged_ledger_is_an_empty_one(tmp_path):
    (tmp_path / LEDGER_NAME).write_text("{not json")
    assert not Ledger(tmp_path).has_link("x")


def test_feeds_path_follows_xdg_config_home(tmp_path):
    assert feeds_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "briefing" / "feeds.json"
    assert feeds_path({"XDG_CONFIG_HOME": "relative/dir"}).parts[-3:] == (".config", "briefing", "feeds.json")


def test_add_list_remove(tmp_path):
    path = tmp_path / "briefing" / "feeds.json"
    assert load_feeds(path) == []
    assert add_feed(path, "https://a.example.tw/rss", "A")
    assert not add_feed(path, "https://a.example.tw/rss")  # listed already
    assert add_feed(path, "https://b.example.tw/atom")
    assert add_feed(path, "https://a.example.tw/rss", "A news")  # renamed
    assert [(f.url, f.name) for f in load_feeds(path)] == [("https://a.example.tw/rss", "A news"),
                                                          ("https://b.example.tw/atom", "")]
    assert remove_feed(path, "A news").url == "https://a.example.tw/rss"
    assert [f.url for f in load_feeds(path)] == ["https://b.example.tw/atom"]
    with pytest.raises(BriefingError, match="no such feed"):
        remove_feed(path, "https://nope.example/")
    with pytest.raises(BriefingError, match="http"):
        add_feed(path, "/etc/passwd")


@pytest.mark.parametrize("text", ["{", "[]", '{"feeds": [{"name": "x"}]}'])
def test_a_damaged_feed_list_is_an_error_naming_it(tmp_path, text):
    path = tmp_path / "feeds.json"
    path.write_text(text)
    with pytest.raises(BriefingError, match=str(path)):
        load_feeds(path)


def test_the_feeds_command(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path))

    def feeds(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", "feeds", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=60)

    assert feeds("list").stdout == "" and "no feeds yet" in feeds("list").stderr
    assert feeds("add", "https://a.example.tw/rss", "--name", "A").returncode == 0
    assert feeds("add", "https://b.example.tw/atom").returncode == 0
    assert feeds("list").stdout == "https://a.example.tw/rss\tA\nhttps://b.example.tw/atom\n"
    assert feeds("remove", "A").returncode == 0
    assert feeds("list").stdout == "https://b.example.tw/atom\n"
    missing = feeds("remove", "nope")
    assert missing.returncode == 2 and "no such feed" in missing.stderr and len(missing.stderr.splitlines()) == 1
    assert (tmp_path / "briefing" / "feeds.json").exists()
