"""A small news site on 127.0.0.1 for the feed tests: a real HTTP server, a real RSS 2.0 feed."""

from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

STORIES = ["台積電", "鴻海", "聯發科", "廣達", "日月光", "中華電", "國泰金", "富邦金", "大立光", "華碩"]


def story_html(n: int) -> bytes:
    """An article page whose text differs from every other story's."""
    company = STORIES[n % len(STORIES)]
    paragraphs = "".join(
        f"<p>{company}第{n}則新聞的第{k}段：公司今天公布營收，較去年同期成長{n + k}%，市場反應熱烈。</p>"
        for k in range(1, 4))
    return (f'<!DOCTYPE html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>{company}第{n}則新聞</title>'
            f'</head><body><article><h1>{company}第{n}則新聞</h1>{paragraphs}</article></body></html>').encode("utf-8")


def rss(items: list[tuple[str, str, datetime | None]], title: str = "測試新聞網") -> bytes:
    """An RSS 2.0 document of (link, title, published) items."""
    rows = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        + (f"<pubDate>{format_datetime(when)}</pubDate>" if when else "") + "</item>"
        for link, t, when in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://127.0.0.1/</link><description>test</description>{rows}</channel></rss>").encode("utf-8")


class Site:
    """Routes path -> (content type, bytes); every request is counted per path."""

    def __init__(self):
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.hits: dict[str, int] = {}
        self.base = ""

    def add(self, path: str, content_type: str, data: bytes) -> str:
        self.routes[path] = (content_type, data)
        return self.base + path


@contextmanager
def serve():
    site = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            if self.path not in site.routes:
                self.send_error(404, "Not Found")
                return
            content_type, data = site.routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


def hours_ago(hours: float) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=hours)
