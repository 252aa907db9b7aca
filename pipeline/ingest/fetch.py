"""Fetch a link: a timeout, a size cap, HTML only; a failure is one article's InputError."""

from __future__ import annotations

import re
import socket
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


def fetch_url(url: str, *, timeout: float = 20.0, max_bytes: int = 5 * 1024 * 1024, types: tuple[str, ...] = HTML_TYPES) -> Page:
    """GET ``url``; raises ``InputError`` naming the URL (unreachable, HTTP error, too big, not one of ``types``)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type() or ""
            charset = response.headers.get_content_charset()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: page is {int(length) / 1048576:.1f} MB, over the {max_bytes / 1048576:.1f} MB limit")
            if content_type not in types:
                raise InputError(f"{url}: not a web page (Content-Type {content_type or 'missing'})")
            data = response.read(max_bytes + 1)
            final_url = response.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as err:
        raise InputError(f"{url}: {_http_problem(err)}") from None
    except urllib.error.URLError as err:
        raise InputError(f"{url}: unreachable ({_reason(err.reason)})") from None
    except (socket.timeout, TimeoutError):
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except (OSError, ValueError) as err:
        raise InputError(f"{url}: cannot fetch ({_reason(err)})") from None
    if len(data) > max_bytes:
        raise InputError(f"{url}: page is over the {max_bytes / 1048576:.1f} MB limit")
    return Page(url, final_url, data, content_type, charset, datetime.now(timezone.utc))


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
    stem = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", last, flags=re.I)
    stem = re.sub(r"[^\w\-.]+", "_", stem).strip("._") or "page"
    return Path(f"{stem[:80]}.html")


def keep_page(page: Page, target: Path) -> Path:
    """Write the page exactly as fetched (provenance), atomically; returns ``target``."""
    atomic_write_bytes(target, page.data)
    return target


def kept_page_path(out_dir: Path, stem: str) -> Path:
    """Where a fetched page is kept beside its briefing: OUT/<stem>.source.html."""
    return Path(out_dir) / f"{stem}.source.html"
