"""One interface over every input format: ``read_input(source) -> Article``.

A source is a file path (the suffix picks the reader) or an http(s) link
(fetched, then read as a web page).  Every reader returns the same Article;
every failure is an ``InputError`` whose one-line message names the input.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipeline.article import Article
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES, is_link, read_bytes

READERS = {  # suffix -> (module, function)
    ".txt": ("text", "read_text"), ".text": ("text", "read_text"),
    ".html": ("html", "read_html"), ".htm": ("html", "read_html"),
    ".docx": ("docx", "read_docx"),
    ".md": ("markdown", "read_markdown"), ".markdown": ("markdown", "read_markdown"),
}


def reader_for(suffix: str):
    from importlib import import_module

    module, function = READERS.get(suffix.lower(), READERS[".txt"])  # unknown suffix: try it as text
    return getattr(import_module(f"pipeline.ingest.readers.{module}"), function)


def read_input(source: Path | str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, *, keep_page_as: Path | None = None,
               timeout: float = 20.0) -> Article:
    """Read one file or link into an Article.

    For a link, ``keep_page_as`` (e.g. OUT/<stem>.source.html) receives the raw
    page, written atomically, and ``Article.raw_path`` says where it is.
    Reference date for dates inferred from datelines: the file's mtime, or the
    day a link was fetched.
    """
    if is_link(source):
        return read_link(str(source), max_bytes, keep_page_as=keep_page_as, timeout=timeout)
    path = Path(source)
    raw = read_bytes(path, max_bytes)
    reference = datetime.fromtimestamp(path.stat().st_mtime).date()
    article = reader_for(path.suffix)(raw, path, reference=reference)
    return article


def read_link(url: str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, *, keep_page_as: Path | None = None,
              timeout: float = 20.0) -> Article:
    from pipeline.ingest.fetch import fetch_url, keep_page, page_path
    from pipeline.ingest.readers.html import read_html

    page = fetch_url(url, timeout=timeout, max_bytes=max_bytes)
    article = read_html(page.data, page_path(url), name=url, declared_charset=page.charset,
                        reference=page.fetched.date(), source_url=url)
    if keep_page_as is not None:  # only for a page that became an article: it sits beside its briefing
        article.raw_path = keep_page(page, keep_page_as)
    return article


