"""One interface over every input format: ``read_input(source) -> Article``.

A source is a file path (the suffix picks the reader) or an http(s) link
(fetched, then read as a web page).  Every reader returns the same Article;
every failure is an ``InputError`` whose one-line message names the input.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pipeline.article import Article
from pipeline.errors import BriefingError, InputError, one_line
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES, is_link, read_bytes

READERS = {  # suffix -> (module, function)
    ".txt": ("text", "read_text"), ".text": ("text", "read_text"),
    ".html": ("html", "read_html"), ".htm": ("html", "read_html"),
    ".docx": ("docx", "read_docx"),
    ".md": ("markdown", "read_markdown"), ".markdown": ("markdown", "read_markdown"),
}

# The libraries each reader needs, imported lazily when a file of its kind is read
# (charset_normalizer decodes text; trafilatura's fallback needs lxml.html.clean).
# tests/ingest/readers import them all, so a missing one fails CI, not an article.
LIBRARIES = {  # reader module -> modules
    "text": ("charset_normalizer",),
    "html": ("charset_normalizer", "trafilatura", "trafilatura.settings", "lxml.etree", "lxml.html",
             "lxml.html.clean"),
    "docx": ("docx", "lxml.etree"),
    "markdown": ("charset_normalizer", "markdown_it"),
}


def reader_for(suffix: str):
    from importlib import import_module

    module, function = READERS.get(suffix.lower(), READERS[".txt"])  # unknown suffix: try it as text
    return getattr(import_module(f"pipeline.ingest.readers.{module}"), function)


def read_input(source: Path | str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, *, keep_page_as: Path | None = None,
               timeout: float = 30.0) -> Article:
    """Read one file or link into an Article.

    For a link, ``keep_page_as`` (e.g. OUT/<stem>.source.html) receives the raw
    page, written atomically, and ``Article.raw_path`` says where it is.
    Reference date for dates inferred from datelines: the file's mtime, or the
    day a link was fetched.
    """
    if is_link(source):
        return read_link(str(source), max_bytes, keep_page_as=keep_page_as, timeout=timeout)
    path = Path(source)
    with input_errors(str(path)):
        raw = read_bytes(path, max_bytes)
        reference = datetime.fromtimestamp(path.stat().st_mtime).date()
        if READERS.get(path.suffix.lower(), ("",))[0] == "docx":  # an archive: its budget follows the input cap
            return reader_for(path.suffix)(raw, path, reference=reference, max_input_bytes=max_bytes)
        return reader_for(path.suffix)(raw, path, reference=reference)


# What a link may be, by the Content-Type its server sends: the suffix of a file of that kind picks the reader.
LINK_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html",
    "text/plain": ".txt", "text/markdown": ".md", "text/x-markdown": ".md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def read_link(url: str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, *, keep_page_as: Path | None = None,
              timeout: float = 30.0) -> Article:
    """A web page, or a plain-text, Markdown or Word file a link serves, read by its Content-Type."""
    from pipeline.ingest.fetch import fetch_url, keep_page, page_path

    with input_errors(url):
        page = fetch_url(url, timeout=timeout, max_bytes=max_bytes, types=tuple(LINK_TYPES))
        suffix = LINK_TYPES[page.content_type]
        article = _read_page(page, page_path(url).with_suffix(suffix), url, max_bytes)
    if keep_page_as is not None:  # only for a page that became an article: it sits beside its briefing
        article.raw_path = keep_page(page, keep_page_as.with_suffix(suffix))
    return article


def _read_page(page, path: Path, url: str, max_bytes: int) -> Article:
    reference = page.fetched.date()
    if path.suffix == ".html":
        from pipeline.ingest.readers.html import read_html

        return read_html(page.data, path, name=url, declared_charset=page.charset, reference=reference,
                         source_url=url)
    extra = {"max_input_bytes": max_bytes} if path.suffix == ".docx" else {}
    article = reader_for(path.suffix)(page.data, path, name=url, reference=reference, **extra)
    article.source_url = url
    return article


@contextmanager
def input_errors(name: str):
    """The reader boundary: what a hostile or damaged input makes a library raise is that article's InputError.

    Malformed XML inside a Word file, a damaged zip archive or markup nested
    deeper than Python's stack are facts about the input, not bugs, so the user
    gets one line naming the file and the batch goes on.  Every InputError
    leaves here as one line, whatever a library put in its message.
    """
    try:
        yield
    except InputError as err:
        message = str(err)
        if "\n" in message or "\r" in message:
            raise InputError(one_line(message)) from err
        raise
    except BriefingError:
        raise
    except Exception as err:
        reason = unreadable_reason(err)
        if reason is None:
            raise  # a bug: the run reports it as an internal error
        raise InputError(f"{name}: {reason}") from err


def unreadable_reason(err: BaseException) -> str | None:
    """Why the input cannot be read, when ``err`` is the input's fault; None for anything else."""
    from xml.etree import ElementTree
    import xml.parsers.expat
    import zipfile
    import zlib

    from lxml import etree

    if isinstance(err, RecursionError):
        return "nested too deeply to read"
    if isinstance(err, (etree.LxmlError, ElementTree.ParseError, xml.parsers.expat.ExpatError)):
        return f"malformed XML or markup ({_detail(err)})"
    if isinstance(err, (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError)):
        return f"damaged archive ({_detail(err)})"
    return None


def _detail(err: BaseException) -> str:
    """What the library said, on one line and short (its class name when it said nothing)."""
    return one_line(str(err))[:200] or type(err).__name__
