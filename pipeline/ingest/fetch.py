"""Fetch a link: a total deadline, a size cap, the content types the caller reads; a failure is one article's InputError."""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.errors import InputError
from pipeline.fsutil import atomic_write_bytes

USER_AGENT = "briefing/1 (+news translation; one page per link)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Page:
    url: str
    final_url: str
    data: bytes
    content_type: str
    charset: str | None
    fetched: datetime


def fetch_url(url: str, *, timeout: float = 30.0, max_bytes: int = 5 * 1024 * 1024,
              types: tuple[str, ...] = HTML_TYPES) -> Page:
    """GET ``url``; raises ``InputError`` naming the URL (unreachable, HTTP error, too big, not one of ``types``).

    ``timeout`` is the whole download's deadline (connect, headers, body): a server
    that answers one byte at a time fails at the deadline, not never.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    deadline = _Deadline(timeout)
    watchdog = threading.Timer(timeout, deadline.expire)  # the only way to stop a dribbled header line
    watchdog.daemon = True
    watchdog.start()
    try:
        with _opener(deadline).open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type() or ""
            charset = response.headers.get_content_charset()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: page is {int(length) / 1048576:.1f} MB, over the {max_bytes / 1048576:.1f} MB limit")
            if content_type not in types:
                raise InputError(f"{url}: not a web page or article file (Content-Type {content_type or 'missing'})")
            data = _read_body(response, deadline, max_bytes + 1)
            final_url = response.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as err:
        raise InputError(f"{url}: {_http_problem(err)}") from None
    except (OSError, ValueError, http.client.HTTPException) as err:  # URLError and socket.timeout are OSErrors
        raise InputError(f"{url}: {_network_problem(err, deadline)}") from None
    finally:
        watchdog.cancel()
        deadline.close()
    if deadline.expired:  # the body ended because the watchdog shut the socket
        raise InputError(f"{url}: {deadline.message()}")
    if len(data) > max_bytes:
        raise InputError(f"{url}: page is over the {max_bytes / 1048576:.1f} MB limit")
    return Page(url, final_url, data, content_type, charset, datetime.now(timezone.utc))


def _network_problem(err: Exception, deadline: _Deadline) -> str:
    """One line for a failed connection or read; past the deadline, whatever broke, it is the deadline."""
    if deadline.expired or isinstance(err, (socket.timeout, TimeoutError)):
        return deadline.message()
    if isinstance(err, urllib.error.URLError):
        if isinstance(err.reason, (socket.timeout, TimeoutError)):
            return deadline.message()
        return f"unreachable ({_reason(err.reason)})"
    return f"cannot fetch ({_reason(err)})"


class _Deadline:
    """One download's deadline, and a duplicate of each socket it opened (a redirect opens another).

    Shutting a duplicate down shuts the connection down for every descriptor of
    it: the read blocked in urllib, or in a TLS handshake (which detaches the
    socket it wraps), returns at once.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.sockets: list[socket.socket] = []
        self.expired = False

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.001)

    def message(self) -> str:
        return f"no complete answer within {self.seconds:g} s"

    def connect(self, address, timeout=None, source_address=None) -> socket.socket:
        """http.client's ``_create_connection``: connect within the time left, and watch the socket."""
        sock = socket.create_connection(address, self.left(), source_address)
        self.sockets.append(sock.dup())
        if self.expired:
            _shut(self.sockets[-1])
        return sock

    def expire(self) -> None:
        """Called by the watchdog at the deadline."""
        self.expired = True
        for sock in self.sockets:
            _shut(sock)

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side


def _read_body(response, deadline: _Deadline, limit: int) -> bytes:
    """Read up to ``limit`` bytes in chunks, checking the deadline between them."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        if time.monotonic() >= deadline.end:
            raise TimeoutError(deadline.message())
        chunk = response.read1(min(64 * 1024, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _WatchedHTTP(http.client.HTTPConnection):
    """A connection whose socket the deadline opens (within the time left) and watches."""

    def __init__(self, host, *, deadline: _Deadline, **kwargs):
        super().__init__(host, **kwargs)
        self._create_connection = deadline.connect


class _WatchedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, *, deadline: _Deadline, **kwargs):
        super().__init__(host, **kwargs)
        self._create_connection = deadline.connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(_WatchedHTTP, req, deadline=self.deadline)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):
        return self.do_open(_WatchedHTTPS, req, context=self._context, deadline=self.deadline)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib's usual opener (redirects, errors) with connections watched by ``deadline``."""
    return urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline))


def _http_problem(err: urllib.error.HTTPError) -> str:
    """One line for an HTTP error; urllib's redirect-loop message spans three lines and does not say where it looped."""
    reason = str(err.reason or "")
    handler = urllib.request.HTTPRedirectHandler
    if reason.startswith(handler.inf_msg):  # a loop, or more redirects than urllib follows
        return f"redirect loop or over {handler.max_redirections} redirects (gave up at HTTP {err.code} from {err.filename})"
    return f"HTTP {err.code} {_reason(reason)}"


def _reason(reason) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return " ".join(str(text).split())[:200]


def page_path(url: str) -> Path:
    """A file-like name for a link (the article's path; output names come from names.output_names)."""
    parts = urlsplit(url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.hostname or "page"
    stem = re.sub(r"\.(?:s?html?|php|aspx?|jsp|txt|text|md|markdown|docx)$", "", last, flags=re.I)  # the article, not its format
    stem = re.sub(r"[^\w\-.]+", "_", stem).strip("._") or "page"
    return Path(f"{stem[:80]}.html")


def keep_page(page: Page, target: Path) -> Path:
    """Write the page exactly as fetched (provenance), atomically; returns ``target``."""
    atomic_write_bytes(target, page.data)
    return target


def kept_page_path(out_dir: Path, stem: str) -> Path:
    """Where a fetched page is kept beside its briefing: OUT/<stem>.source.html."""
    return Path(out_dir) / f"{stem}.source.html"
