"""The analysts' morning routine end to end: a real HTTP server on 127.0.0.1 serves feeds and pages,
`briefing run FEED` briefs the new items, skips what was briefed before, and writes a digest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from docx import Document

from tests.conftest import ROOT
from tests.feeds.site import hours_ago, rss, serve, story_html


@pytest.fixture
def site():
    with serve() as s:
        yield s


def _run(model, out, *inputs, extra=()):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, inputs), "--model", str(model),
                           "--out", str(out), *extra], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ), timeout=900)
    report = json.loads((out / "run-report.json").read_text()) if (out / "run-report.json").exists() else None
    return proc, report


def _story(site, n: int, content_type: str = "text/html; charset=utf-8") -> str:
    if content_type.startswith("text/plain"):
        text = f"{['台積電', '鴻海'][n % 2]}第{n}則純文字新聞\n\n公司今天公布營收，較去年同期成長{n}%，市場反應熱烈。\n"
        return site.add(f"/plain/{n}.txt", content_type, text.encode("utf-8"))
    return site.add(f"/news/{n}.html", content_type, story_html(n))


def test_a_feed_of_ten_gives_seven_briefings_two_skipped_one_failure_and_a_digest(site, tiny_model_dir, tmp_path):
    out = tmp_path / "out"
    links = [_story(site, n) for n in range(10)]
    links[7] = site.base + "/news/gone.html"  # a broken link: HTTP 404
    links[8] = _story(site, 8, "text/plain; charset=utf-8")  # not a web page: read as the text it is
    yesterday = site.add("/yesterday.xml", "application/rss+xml", rss([(links[0], "0", hours_ago(20)),
                                                                       (links[1], "1", hours_ago(19))]))
    proc, report = _run(tiny_model_dir, out, yesterday)
    assert proc.returncode == 0, proc.stderr
    assert report["summary"]["ok"] == 2  # the two items briefed yesterday

    today = site.add("/today.xml", "application/rss+xml",
                     rss([(link, f"第{n}則", hours_ago(n)) for n, link in enumerate(links)]))
    proc, report = _run(tiny_model_dir, out, today)
    assert proc.returncode == 1, proc.stderr  # one article failed, the others were written
    summary = report["summary"]
    assert (summary["ok"], summary["skipped"], summary["error"]) == (7, 2, 1), proc.stderr
    failed = [a for a in report["articles"] if a["status"] == "error"]
    assert [a["input"] for a in failed] == [links[7]] and "HTTP 404" in failed[0]["error"]
    assert {a["input"] for a in report["articles"] if a["status"] == "skipped"} == {links[0], links[1]}
    assert sorted(p.name for p in out.glob("*.docx") if p.name not in ("index.docx", "digest.docx")) == \
        sorted(f"{n}.docx" for n in (0, 1, 2, 3, 4, 5, 6, 8, 9))
    assert "7 of 8 briefings written" in proc.stderr and "2 feed item(s) skipped" in proc.stderr

    digest = Document(out / "digest.docx")
    titled = [a["title_english"] for a in report["articles"] if a["status"] == "ok"]
    headings = [p.text for p in digest.paragraphs if p.style.name == "Heading 2"]
    assert headings[: len(titled)] == titled  # every briefed article, titled with its own translation
    with zipfile.ZipFile(out / "digest.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert all(f'Target="{n}.docx"' in rels for n in (2, 3, 4, 5, 6, 8, 9))
    assert any("gone.html" in p.text and "404" in p.text for p in digest.paragraphs)  # listed as not briefed

    again, report = _run(tiny_model_dir, out, today)  # the same feed again: only the broken link is new
    assert report["summary"]["ok"] == 0 and report["summary"]["skipped"] == 9
    assert "0 of 1 briefings written" in again.stderr

    site.add("/today.xml", "application/rss+xml", rss([(link, str(n), hours_ago(n)) for n, link in enumerate(links)
                                                         if n != 7]))
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    quiet, _ = _run(tiny_model_dir, out, today)
    assert quiet.returncode == 0, quiet.stderr
    assert "nothing new to brief (9 item(s) briefed before)" in quiet.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before  # nothing written, no model loaded


def test_the_same_story_at_a_new_address_is_skipped_by_its_text(site, tiny_model_dir, tmp_path):
    out = tmp_path / "out"
    first = _story(site, 3)
    copy = site.add("/syndicated/3.html", "text/html; charset=utf-8", story_html(3))  # same text, other URL
    feed = site.add("/a.xml", "application/rss+xml", rss([(first, "3", hours_ago(2))]))
    _run(tiny_model_dir, out, feed)
    feed2 = site.add("/b.xml", "application/rss+xml", rss([(copy, "3 again", hours_ago(1))]))
    proc, report = _run(tiny_model_dir, out, feed2)
    assert proc.returncode == 0, proc.stderr
    [skipped] = [a for a in report["articles"] if a["status"] == "skipped"]
    assert skipped["input"] == copy and first in skipped["note"]
    assert not (out / "3 (b).docx").exists() and len(list(out.glob("3*.docx"))) == 1


def test_since_and_max_items_and_the_feed_list(site, tiny_model_dir, tmp_path):
    out = tmp_path / "out"
    links = [_story(site, n) for n in range(4)]
    feed = site.add("/rss.xml", "application/rss+xml",
                    rss([(links[0], "0", hours_ago(1)), (links[1], "1", hours_ago(30)),
                         (links[2], "2", hours_ago(2)), (links[3], "3", hours_ago(3))]))
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    subprocess.run([sys.executable, "-m", "pipeline", "feeds", "add", feed, "--name", "test"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--feeds", "--since", "24h", "--max-items", "2",
                           "--model", str(tiny_model_dir), "--out", str(out), "--no-digest"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "run-report.json").read_text())
    assert [a["input"] for a in report["articles"]] == [links[0], links[2]]  # the newest two within 24 h
    assert not (out / "digest.docx").exists()


def test_run_feeds_without_a_list_is_a_usage_error(tmp_path):
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--feeds", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 2 and "no feeds in" in proc.stderr and len(proc.stderr.splitlines()) == 1
