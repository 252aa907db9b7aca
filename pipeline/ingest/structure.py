"""From a reader's lines to an ``Article``: every format ends here.

A reader (text, HTML, Word, Markdown) gives numbered ``RawLine``s, with a hint
where its markup says what a line is, plus what the format states outright
(``KnownMeta``: a page's title, author, date, site name).  This module files
every line in exactly one place: a metadata line, page debris, or a body block
(heading or paragraph).  A metadata rule may take the head of a line (a CNA
dateline) and leave the rest as body text; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from pipeline.article import HEADING, PARAGRAPH, Article, Block, SourceLine
from pipeline.errors import InputError
from pipeline.ingest import debris, metadata
from pipeline.ingest.headings import is_heading
from pipeline.ingest.segment import split_sentences

BYLINE_WINDOW = 8  # bylines, datelines and dates are looked for in the first content lines only
ANYWHERE = {"photo credit", "source credit", "editor"}
_EXPLICIT_TITLE = re.compile(r"^\s*(?:title|標題|标题)\s*[:：]\s*(?P<title>.+?)\s*$|^\s*#\s+(?P<md>.+?)\s*$", re.I)
MARKED = {"heading", "paragraph", "list", "quote", "title"}  # hints a format's markup gives


@dataclass
class RawLine:
    number: int  # 1-based position in the input (line, paragraph or block)
    text: str
    hint: str = ""  # one of MARKED, or "" where the format says nothing (plain text)


@dataclass
class KnownMeta:
    """Metadata a format states outside the text (HTML meta tags, JSON-LD)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None


@dataclass
class _Found:
    date: str | None = None
    date_inferred: bool = False
    byline: str | None = None
    source: str | None = None
    dateline: str | None = None
    title: str | None = None
    title_source: str = ""
    lines: list[SourceLine] = field(default_factory=list)


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def cjk_count(text: str) -> int:
    """Han characters in ``text`` (CJK ideographs, extensions and compatibility forms).

    Counted by what a C-level substitution removes: no per-character Python loop, no list of matches.
    """
    return len(text) - len(_CJK.sub("", text))


class _Sorter:
    """Files each line: metadata, debris or body."""

    def __init__(self, lines: list[RawLine]):
        self.lines = lines
        self.sections = debris.Sections([ln.text for ln in lines])
        self.found = _Found()
        self.debris: list[SourceLine] = []
        self.body: list[RawLine] = []
        self.content_seen = 0

    def run(self) -> None:
        for index, raw in enumerate(self.lines):
            self._one(index, raw)

    def _one(self, index: int, raw: RawLine) -> None:
        text = raw.text
        if not text.strip():
            return
        self.content_seen += 1
        if reason := self.sections.reason(index):
            self.debris.append(SourceLine(raw.number, text.strip(), reason))
            return
        if raw.hint != "title" and (reason := debris.line_reason(text)):
            self.debris.append(SourceLine(raw.number, text.strip(), reason))
            return
        if raw.hint == "title" or (not self.body and not self.found.title and (m := _EXPLICIT_TITLE.match(text))):
            title = text.strip() if raw.hint == "title" else (m.group("title") or m.group("md"))
            if not self.found.title:
                self.found.title, self.found.title_source = title, "explicit"
                self.found.lines.append(SourceLine(raw.number, text.strip(), "title"))
                return
        rest = self._metadata(raw)
        if rest is None:
            return
        if rest.strip():
            self.body.append(RawLine(raw.number, rest.strip(), raw.hint))

    def _metadata(self, raw: RawLine) -> str | None:
        """Take metadata off the line; returns what is left for the body (None: nothing)."""
        text = raw.text
        while (m := metadata.match_line(text)) is not None:
            if not (m.rule.kind in ANYWHERE or self.content_seen <= BYLINE_WINDOW):
                break
            if raw.hint in ("heading", "quote", "list") and not m.rule.prefix:
                break  # markup says this line is the author's heading or quotation
            self._take(m)
            self.found.lines.append(SourceLine(raw.number, m.text, m.rule.kind))
            if not m.rest.strip():
                return None
            text = m.rest
        return text

    def _take(self, m: metadata.MetaMatch) -> None:
        f = self.found
        if m.date and not f.date:
            f.date = m.date
        if m.rule.kind in ("byline", "dateline") and m.author and not f.byline:
            f.byline = m.author
        if m.source and not f.source:
            f.source = m.source.strip()
        if m.rule.kind == "dateline" and f.dateline is None:
            f.dateline = m.text


def build_article(
    lines: list[RawLine],
    path: Path,
    *,
    encoding: str = "utf-8",
    fmt: str = "text",
    known: KnownMeta | None = None,
    page_debris: list[SourceLine] | None = None,
    reference: Date | None = None,
    source_url: str | None = None,
    name: str | None = None,
) -> Article:
    """Sort ``lines`` into an Article; raises ``InputError`` (one line, naming the input)."""
    name = name or source_url or str(path)
    text = "\n".join(ln.text for ln in lines)
    cjk = cjk_count(text)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if cjk < 10 or cjk < 0.15 * len(re.sub(r"\s", "", text)):
        raise InputError(f"{name}: almost no Chinese text ({cjk} CJK characters); not a Chinese article")
    sorter = _Sorter(lines)
    sorter.run()
    blocks = _blocks(sorter.body)
    if not blocks:
        raise InputError(f"{name}: no article text (only metadata or page debris)")
    known = known or KnownMeta()
    found = sorter.found
    date, inferred = _date(found, known, blocks, reference)
    title, title_source = _title(found, known, blocks)
    return Article(
        path=path, title=title, title_source=title_source, blocks=blocks, date=date,
        byline=found.byline or _clean_author(known.author), source=found.source or known.site_name,
        encoding=encoding, debris=list(page_debris or []) + sorter.debris, metadata_lines=found.lines,
        site_name=known.site_name, date_inferred=inferred, dateline=found.dateline,
        source_url=source_url, format=fmt,
    )


def _blocks(body: list[RawLine]) -> list[Block]:
    blocks = []
    for k, raw in enumerate(body):
        if raw.hint in MARKED:
            heading = raw.hint in ("heading", "title")  # a second Title-styled line is a heading
        else:
            heading = is_heading(raw.text, followed_by_text=k + 1 < len(body))
        sentences = [s for s in split_sentences(raw.text) if s.strip()]
        blocks.append(Block(HEADING if heading else PARAGRAPH, raw.text, raw.number, sentences))
    return blocks


def _date(found: _Found, known: KnownMeta, blocks: list[Block], reference: Date | None) -> tuple[str | None, bool]:
    if found.date:
        return found.date, False
    if known.date:
        return known.date, False
    try:
        month, day = metadata.dateline_hint(" ".join([found.dateline or ""] + [b.text for b in blocks[:2]]))
    except LookupError:
        return None, False
    return metadata.infer_date(month, day, reference or Date.today()), True


def _title(found: _Found, known: KnownMeta, blocks: list[Block]) -> tuple[str, str]:
    if found.title:
        return found.title, found.title_source
    if known.title:
        return known.title.strip(), "page"
    for block in blocks:
        if block.is_heading:
            return block.text, "heading"
    first = blocks[0].sentences[0] if blocks[0].sentences else blocks[0].text
    return first.strip(), "first sentence"


def _clean_author(author: str | None) -> str | None:
    return author.strip() if author and author.strip() else None
