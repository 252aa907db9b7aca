"""Links: fetched from a real HTTP server on 127.0.0.1; failures are one-line InputErrors naming the URL."""

import http.server
import socket
import threading

import pytest

from pipeline.errors import InputError
from pipeline.ingest.fetch import fetch_url, page_path
from pipeline.ingest.readers import read_input
from tests.ingest import seed_versions as sv

BIG5_PAGE = sv.page_html("big5").encode("cp950")


class Handler(http.server.BaseHTTPRequestHandler):
    routes = {
        "/news/seed.html": ("text/html; charset=utf-8", sv.page_html().encode("utf-8")),
        "/news/big5": ("text/html", BIG5_PAGE),  # no charset in the header: the page's <meta> says big5
        "/report.pdf": ("application/pdf", b"%PDF-1.7"),
        "/huge.html": ("text/html", b"<p>" + "長".encode() * 400_000 + b"</p>"),
        "/news/seed.txt": ("text/plain; charset=utf-8", sv.SEED.read_bytes()),
        "/news/seed.md": ("text/markdown; charset=utf-8", sv.markdown_text().encode("utf-8")),
        "/news/seed-docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b""),
    }
    redirects = {  # path -> Location
        "/loop.html": "/loop.html",
        "/ping.html": "/pong.html", "/pong.html": "/ping.html",
        "/moved.html": "/news/seed.html",
        "/to-file.html": "file:///etc/hostname",  # a hostile page pointing at a local file
    }

    def do_GET(self):
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/chain/"):  # /chain/N -> /chain/N+1 -> ...: no loop, just too many
            self.redirects[self.path] = f"/chain/{int(self.path.rsplit('/', 1)[1]) + 1}"
            return self.do_GET()
        if self.path not in self.routes:
            self.send_error(404, "Not Found")
            return
        content_type, data = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def one_line_error(source, **kwargs) -> str:
    with pytest.raises(InputError) as err:
        read_input(source, **kwargs)
    message = str(err.value)
    assert message.startswith(str(source)) and "\n" not in message
    return message


def test_a_link_is_fetched_read_and_kept_beside_the_briefing(server, tmp_path):
    url = f"{server}/news/seed.html"
    kept = tmp_path / "seed.source.html"
    article = read_input(url, keep_page_as=kept)
    txt = sv.txt_article()
    assert [b.text for b in article.blocks] == [b.text for b in txt.blocks]
    assert (article.title, article.byline, article.date) == (sv.PAGE_TITLE, sv.AUTHOR, sv.DATE)
    assert article.source_url == url and article.raw_path == kept
    assert kept.read_bytes() == sv.page_html().encode("utf-8")
    assert article.path.name == "seed.html"


def test_a_big5_link_is_decoded_from_its_meta_charset(server):
    article = read_input(f"{server}/news/big5")
    assert article.encoding == "cp950"
    assert article.title == sv.PAGE_TITLE


def test_a_404_is_one_articles_error(server, tmp_path):
    message = one_line_error(f"{server}/missing.html", keep_page_as=tmp_path / "x.source.html")
    assert "HTTP 404" in message
    assert not (tmp_path / "x.source.html").exists()


def test_an_unreachable_link_is_one_articles_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    message = one_line_error(f"http://127.0.0.1:{port}/news.html", timeout=5)
    assert "unreachable" in message


@pytest.mark.parametrize("path, kind, kept", [("/news/seed.txt", "text", ".txt"), ("/news/seed.md", "markdown", ".md"),
                                              ("/news/seed-docx", "docx", ".docx")])
def test_a_link_to_a_text_markdown_or_word_file_is_read_by_its_type(server, tmp_path, path, kind, kept):
    """A feed item need not be a web page: the Content-Type picks the reader, as a suffix does for a file."""
    if kind == "docx":
        Handler.routes[path] = (Handler.routes[path][0], sv.write_docx(tmp_path).read_bytes())
    url = f"{server}{path}"
    article = read_input(url, keep_page_as=tmp_path / "x.source.html")
    assert article.format == kind and article.source_url == url
    assert article.raw_path == tmp_path / f"x.source{kept}" and article.raw_path.exists()
    body = " ".join(b.text for b in article.blocks)
    assert "鴻海" in body or "台積電" in body, body[:200]


def test_not_html_and_too_big_are_refused(server):
    assert "not a web page or article file (Content-Type application/pdf)" in one_line_error(f"{server}/report.pdf")
    assert "over the" in one_line_error(f"{server}/huge.html", max_bytes=100_000)


def test_fetch_reports_the_charset_and_page_names():
    assert page_path("https://money.udn.com/money/story/5612/9170000").name == "9170000.html"
    assert page_path("https://www.cna.com.tw/news/afe/202511250123.aspx").name == "202511250123.html"
    assert page_path("https://technews.tw/").name == "technews.tw.html"
    assert page_path("https://example.tw/plain/8.txt").name == "8.html"  # a link's name drops its format: 8.docx, not 8.txt.docx
    assert page_path("https://example.tw/notes/a.md").stem == "a"


def test_fetch_url_returns_bytes_and_header_charset(server):
    page = fetch_url(f"{server}/news/seed.html")
    assert page.charset == "utf-8" and page.content_type == "text/html"


@pytest.mark.parametrize("path, gave_up_at", [
    ("/loop.html", "/loop.html"),  # a page that redirects to itself
    ("/ping.html", "/p"),  # two pages that redirect to each other
    ("/chain/0", "/chain/"),  # eleven distinct redirects: no loop, but more than urllib follows
])
def test_a_redirect_loop_is_one_line_naming_the_url(server, path, gave_up_at):
    message = one_line_error(f"{server}{path}")
    assert "redirect loop or over 10 redirects" in message and f"from {server}{gave_up_at}" in message
    assert "HTTP 302" in message
    with pytest.raises(InputError) as err:  # fetch_url's own message is one line, not only read_input's
        fetch_url(f"{server}{path}")
    assert str(err.value) == message


def test_a_redirect_is_followed_and_one_to_a_local_file_is_one_line(server):
    assert read_input(f"{server}/moved.html").title == sv.PAGE_TITLE
    message = one_line_error(f"{server}/to-file.html")  # urllib refuses file:// redirects
    assert "HTTP 302" in message and "file:///etc/hostname" in message and "not allowed" in message


# ---------------------------------------------------------------- a total deadline (issue 19)

class Dribbler:
    """A raw HTTP server on 127.0.0.1 that answers slowly, one byte every ``gap`` seconds, so that no
    single read ever waits long: only a deadline over the whole download can stop it.

    /slow-headers dribbles the status line; /slow-body sends its headers at once and dribbles the
    page; /silent accepts and says nothing; /redirect sends a 302 to /slow-body at once.  To a TLS
    client it dribbles a handshake record (a 5-byte header announcing 16 KB, then the bytes one by one):
    the TLS library waits for the whole record, each byte resetting a per-read timeout.
    """

    def __init__(self, gap: float):
        self.gap = gap
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        with conn:
            try:
                request = conn.recv(4096)
                if request.startswith(b"\x16"):  # a TLS ClientHello
                    self._dribble(conn, b"\x16\x03\x03\x40\x00" + bytes(16 * 1024))
                    return
                path = request.split(b" ", 2)[1].decode()
                body = "<html><body><p>台積電</p></body></html>".encode() * 20
                head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                if path == "/redirect":
                    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /slow-body\r\nContent-Length: 0\r\n\r\n")
                elif path == "/slow-headers":
                    self._dribble(conn, head + body)
                elif path == "/slow-body":
                    conn.sendall(head)
                    self._dribble(conn, body)
                else:  # /silent
                    self.stop.wait(30)
            except OSError:
                pass  # the client gave up: what the test wants

    def _dribble(self, conn, data: bytes):
        for i in range(len(data)):
            if self.stop.wait(self.gap):
                return
            conn.sendall(data[i:i + 1])

    def close(self):
        self.stop.set()
        self.listener.close()


@pytest.fixture
def dribbler():
    server = Dribbler(gap=0.2)
    yield server
    server.close()


@pytest.mark.parametrize("path", ["/slow-headers", "/slow-body", "/silent", "/redirect", "https"])
def test_a_link_that_answers_one_byte_at_a_time_fails_at_the_deadline(dribbler, path):
    """issue 19: one byte every 5 s held a run forever; the timeout applied to each read, not the download."""
    import time

    url = dribbler.url.replace("http:", "https:") + "/" if path == "https" else f"{dribbler.url}{path}"
    started = time.monotonic()
    message = one_line_error(url, timeout=1.5)
    took = time.monotonic() - started
    assert message == f"{url}: no complete answer within 1.5 s"
    assert 1.4 <= took < 3.0, took


def test_a_page_within_the_deadline_is_read_whole(server):
    page = fetch_url(f"{server}/news/seed.html", timeout=5)
    assert page.data == sv.page_html().encode("utf-8")  # the chunked read loses nothing
    assert fetch_url(f"{server}/moved.html", timeout=5).data == page.data  # nor after a redirect


def test_the_deadline_defaults_to_30_seconds():
    import inspect

    from pipeline.ingest.readers import read_link

    for function in (fetch_url, read_input, read_link):
        assert inspect.signature(function).parameters["timeout"].default == 30.0
