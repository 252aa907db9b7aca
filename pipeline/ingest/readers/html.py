"""Saved web pages (.html/.htm) and fetched links.

We decode the bytes ourselves (``<meta charset>``, Big5 read as CP950) because
trafilatura's own guess fails on East Asian pages; trafilatura then finds the
main content and the page's metadata.  Every other visible line of the page
(navigation, share buttons, related links, comments, footer) is kept as debris,
or as metadata when one of our rules recognises it (a byline the extractor took
out of the text), so nothing on the page is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.article import Article, SourceLine
from pipeline.errors import InputError
from pipeline.ingest import debris, metadata
from pipeline.ingest.structure import KnownMeta, RawLine, build_article
from pipeline.ingest.text import clean_text, decode_bytes, decode_declared

# Legacy names as pages declare them -> the codec that really decodes them.  Big5
# pages are written with Microsoft's CP950 extensions (e.g. 碁, 銹); GB2312 pages
# with GBK/GB18030 characters.
_CODEC_ALIASES = {"big5": "cp950", "big-5": "cp950", "x-x-big5": "cp950", "cn-big5": "cp950",
                  "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCK_TAGS = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
               "footer", "nav", "aside", "main", "blockquote", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption",
               "table", "form", "br", "hr", "pre", "address", "time", "button", "label", "option", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "canvas"}
_AREA_REASONS = (  # (pattern over tag, id and class of an ancestor, debris reason); first hit wins
    (re.compile(r"comment|disqus|reply|留言", re.I), "comments"),
    (re.compile(r"share|social|sns|addthis|sharing", re.I), "share buttons"),
    (re.compile(r"related|recommend|more-news|also|popular|hot|rank|延伸", re.I), "related links"),
    (re.compile(r"breadcrumb|\bnav\b|menu|navbar", re.I), "navigation"),
    (re.compile(r"\b(?:ad|ads|advert\w*|sponsor\w*|banner)\b", re.I), "advertisement"),
    (re.compile(r"footer|copyright", re.I), "page footer"),
    (re.compile(r"header|masthead|topbar", re.I), "page header"),
    (re.compile(r"aside|sidebar", re.I), "sidebar"),
)
_TAG_REASONS = {"nav": "navigation", "footer": "page footer", "header": "page header", "aside": "sidebar"}
LIBXML_DEPTH = 255  # libxml2's default: elements nested deeper are dropped
HUGE_DEPTH = 2047  # with huge_tree
FLAT_DEPTH = 24  # a page deeper than LIBXML_DEPTH reaches trafilatura flattened below this depth
_FLAT_KEEP = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "pre"}  # blocks kept whole in the flattened part
MIN_EXTRACTED_SIZE = "1"  # trafilatura's default (250 characters) sends short articles to its fallbacks
# favor_precision: on the GNE test pages the default (recall) keeps related-link lists in the body.


@dataclass
class DecodedPage:
    text: str
    encoding: str  # the codec that decoded it
    note: str | None = None  # where a declared charset was wrong: what was declared, and what was used


def decode_html(raw: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode a page: (text, codec); see decode_page."""
    page = decode_page(raw, name, declared)
    return page.text, page.encoding


def decode_page(raw: bytes, name: str, declared: str | None = None) -> DecodedPage:
    """Decode a page: HTTP charset, then ``<meta charset>``, each verified (decode_declared), then our own guess."""
    if raw.startswith(b"\xef\xbb\xbf") or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodedPage(*decode_bytes(raw, name))
    m = _META_CHARSET.search(raw[:8192])
    wrong: list[str] = []
    for where, label in (("HTTP header", declared), ("<meta>", m.group(1).decode("ascii") if m else None)):
        if not label:
            continue
        codec = _CODEC_ALIASES.get(label.lower(), label.lower())
        text, why = decode_declared(raw, codec, name)
        if text is not None:
            return DecodedPage(text, codec, _charset_note(wrong, codec))
        wrong.append(f"{where} declared {label}: {why}")  # a wrong declaration happens; try the next, then guess
    text, codec = decode_bytes(raw, name)
    return DecodedPage(text, codec, _charset_note(wrong, f"{codec} (detected)"))


def _charset_note(wrong: list[str], used: str) -> str | None:
    return f"{'; '.join(wrong)}; read as {used}" if wrong else None


def read_html(raw: bytes, path: Path, *, name: str | None = None, declared_charset: str | None = None,
              reference: date | None = None, source_url: str | None = None) -> Article:
    name = name or source_url or str(path)
    decoded = decode_page(raw, name, declared_charset)
    text, encoding = decoded.text, decoded.encoding
    root = parse_page(text, name)
    deep = root is not None and _deepest(root) >= LIBXML_DEPTH
    page = PageText(text, root)
    del root  # the page's lines are taken: its tree need not sit in memory beside trafilatura's
    extracted = _extract(text, name, source_url, deep=deep)
    lines, known = _content_lines(extracted, page)
    leftovers = page.leftovers(lines)
    meta_lines, page_debris = _sort_leftovers(leftovers, known.title)
    article = build_article(lines, path, encoding=encoding, fmt="html", known=known, page_debris=page_debris,
                            reference=reference, source_url=source_url, name=name)
    article.metadata_lines = sorted(meta_lines + article.metadata_lines, key=lambda s: s.line)
    article.encoding_note = decoded.note
    _fill_from_leftovers(article, meta_lines)
    return article


def parse_page(text: str, name: str):
    """The page's element tree, without libxml2's default depth limit; None where lxml cannot parse it.

    By default libxml2 drops every element nested deeper than 255 (400
    unclosed <div>s lost 147 paragraphs); ``huge_tree`` raises that to 2047.
    A page deeper still is refused rather than read in part.
    """
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except Exception:  # lxml refuses some broken pages; then the page has no lines of its own
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise InputError(f"{name}: nested too deeply to read (markup more than {HUGE_DEPTH} elements deep, "
                         "unclosed tags?); refused rather than read in part")
    return root


def _deepest(root) -> int:
    """How many elements deep the tree goes (a walk, not a recursion: the tree may be 2,000 deep)."""
    from lxml import etree

    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _extract(text: str, name: str, url: str | None, deep: bool = False):
    import trafilatura  # heavy: only when a page is read
    from lxml import etree
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", MIN_EXTRACTED_SIZE)
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    # A page deeper than libxml2's default limit goes to trafilatura as a tree parsed
    # without it (its own parser's options otherwise); any other page as text, as ever.
    source = _deep_tree(text) if deep else text
    xml = trafilatura.extract(source, url=url, output_format="xml", include_comments=False, include_tables=True,
                              include_images=False, include_links=False, with_metadata=True, favor_precision=True,
                              config=config)
    if not xml:
        raise InputError(f"{name}: no article text found in the page")
    return etree.fromstring(xml.encode("utf-8"))


def _deep_tree(text: str):
    """The page for trafilatura, parsed without the depth limit and flattened below FLAT_DEPTH.

    trafilatura looks at every element's ancestors: on a page of 2,000 nested
    paragraphs (1 MB) it took 8 s and 2 GB.
    """
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                  remove_pis=True, huge_tree=True)
    return _flattened(lxml_html.document_fromstring(text.encode("utf-8"), parser=parser))


def _flattened(root):
    """A copy of the tree where every element deeper than FLAT_DEPTH, but a paragraph or heading, gives up its tag.

    Its text, children and tail move up into the nearest element kept, in
    order, as lxml's drop_tag would; built afresh in one walk, because moving
    a subtree in lxml walks all of it (2,000 drop_tags over a 5 MB page: a minute).
    """
    from lxml import etree

    top = _Kept(_copy_element(root, root))
    top.element.text = root.text
    stack = [top]  # where each open element's content goes: its copy, or (dropped) the nearest kept one
    walk = etree.iterwalk(root, events=("start", "end"))
    next(walk)  # the root's start: copied above
    for event, element in walk:
        if event == "start":
            target = stack[-1]
            if len(stack) < FLAT_DEPTH or element.tag in _FLAT_KEEP:
                copy = _copy_element(element, target.element)
                copy.text = element.text
                target.append(copy)
                stack.append(_Kept(copy))
            else:
                target.add_text(element.text)
                stack.append(target)
        else:
            stack.pop()
            if stack:
                stack[-1].add_text(element.tail)
    return top.element


@dataclass
class _Kept:
    """An element of the flattened copy, and its last child (lxml counts children by walking them)."""

    element: object
    last: object = None

    def append(self, child) -> None:
        self.element.append(child)
        self.last = child

    def add_text(self, text: str | None) -> None:
        """Text after the last child (or opening the element when it has none)."""
        if not text:
            return
        if self.last is not None:
            self.last.tail = (self.last.tail or "") + text
        else:
            self.element.text = (self.element.text or "") + text


def _copy_element(element, factory):
    copy = factory.makeelement(element.tag if isinstance(element.tag, str) else "span")
    for name, value in element.attrib.items():
        try:
            copy.set(name, value)
        except ValueError:  # a name the HTML parser let through but lxml's API refuses
            continue
    return copy


def _content_lines(doc, page: "PageText") -> tuple[list[RawLine], KnownMeta]:
    known = KnownMeta(title=doc.get("title") or None, author=doc.get("author") or None,
                      date=_iso(doc.get("date")), site_name=doc.get("sitename") or None)
    main = doc.find("main")
    lines: list[RawLine] = []
    for text, hint in _main_items(main if main is not None else doc):
        text = clean_text(text).strip()
        if text:
            if hint == "heading" and not lines and _is_headline(text, known.title):
                hint = "title"
            lines.append(RawLine(page.number_of(text), text, hint))
    return lines, known


def _main_items(main):
    """(text, hint) of every block of the extracted content, and of text lying loose between blocks.

    trafilatura leaves a page's bare body text (no <p> around it) loose in
    <main>: it is the article too.
    """
    loose = [(line, "paragraph") for line in (main.text or "").split("\n")]
    for element in main:
        yield from loose
        yield from _items(element)
        loose = [(line, "paragraph") for line in (element.tail or "").split("\n")]
    yield from loose


def _items(element) -> list[tuple[str, str]]:
    """(text, hint) for one block of trafilatura's XML: head, p, quote, list, table."""
    tag = element.tag
    if tag == "head":
        return [(_text(element), "heading")]
    if tag == "list":
        return [(_text(item), "list") for item in element.iter("item")]
    if tag == "quote":
        return [(_text(element), "quote")]
    if tag == "table":
        return [("\t".join(_text(c) for c in row.iter("cell")), "paragraph") for row in element.iter("row")]
    if tag == "p" and len(element) == 1 and element[0].tag == "hi" and not (element.text or "").strip() \
            and not (element[0].tail or "").strip():
        return [(_text(element), "")]  # a wholly bold paragraph: a sub-heading or not, the text rules decide
    return [(line, "paragraph") for line in _text(element).split("\n")]


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def _iso(value: str | None) -> str | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    return "-".join(m.groups()) if m else None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_PARSE_HERE = object()  # PageText's default: no tree given


class PageText:
    """The page's visible text, one numbered line per block, with the area each line sits in."""

    def __init__(self, text: str, root=_PARSE_HERE):
        """``root``: the page as parse_page gave it (None: lxml could not parse it); parsed here when not given."""
        if root is _PARSE_HERE:
            root = parse_page(text, "page")
        self.lines: list[tuple[str, str]] = []  # (text, area reason)
        self._buffer: list[str] = []
        self._area: list[str] = [""]
        if root is not None:
            body = root.find("body")
            self._walk(body if body is not None else root)
            self._flush("")
        self._cursor = 0
        self._index = _LineIndex([t for t, _ in self.lines])

    def _walk(self, top) -> None:
        """Every element's text and tail in document order, flushing a line at each block's edges.

        An explicit stack, not recursion: a page may nest 2,000 elements deep.
        """
        stack = [frame] if (frame := self._enter(top, "")) else []
        while stack:
            element, area, block, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    self._flush(area)
                if stack:
                    self._after(stack[-1], element)
            elif inner := self._enter(child, area):
                stack.append(inner)
            else:
                self._after(stack[-1], child)

    def _enter(self, element, area: str) -> tuple | None:
        """Open an element: (element, its area, whether a block, its children), or None for one skipped."""
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            return None
        area = _area_of(element) or area  # the innermost labelled area says most
        block = tag in _BLOCK_TAGS
        if block:
            self._flush(area)
        self._buffer.append(element.text or "")
        return element, area, block, iter(element)

    def _after(self, parent: tuple, child) -> None:
        """Back in ``parent`` after ``child``: a block child ends a line of a block parent; then the child's tail."""
        _, area, block, _ = parent
        if block and child.tag in _BLOCK_TAGS:
            self._flush(area)
        self._buffer.append(child.tail or "")

    def _flush(self, area: str) -> None:
        text = clean_text("".join(self._buffer))
        self._buffer = []
        for part in text.split("\n"):
            part = " ".join(part.split())
            if part:
                self.lines.append((part, area))

    def number_of(self, text: str) -> int:
        """The number of the page line holding ``text`` (exact match first, reading on from the last one found).

        Each test takes the first page line that passes it, reading on from the
        last line found and wrapping round; the index answers each test without
        walking the page, so numbering every content line stays linear.
        """
        key, index, cursor = _squash(text), self._index, self._cursor
        if not key:
            return cursor + 1  # content lines are never blank; a blank one has no line of its own
        for test in (index.equal, index.starting, index.containing):
            found = test(key, cursor)
            if found is not None:
                self._cursor = found
                return found + 1
        return cursor + 1

    def leftovers(self, content: list[RawLine]) -> list[tuple[int, str, str]]:
        """Page lines the extracted content does not hold: (number, text, area reason).

        A page line is held only by the content line that starts at it (or runs
        on through it), not by any content that happens to contain the same
        words: a menu item "科技" is debris even when the article says 科技.
        """
        held: set[int] = set()
        for line in content:
            key, pos, i = _squash(line.text), 0, line.number - 1
            while 0 <= i < len(self.lines):
                part = self._index.squashed[i]
                found = key.find(part, pos) if part else -1
                if found < 0:
                    break
                held.add(i)
                pos, i = found + len(part), i + 1
        return [(i + 1, text, area) for i, (text, area) in enumerate(self.lines) if i not in held]


class _LineIndex:
    """The page lines without whitespace, indexed for PageText.number_of's three tests.

    Each test answers with the first line that passes it reading on from
    ``cursor`` and wrapping round, as a walk over the page would, without the
    walk.  Squashed lines hold no newline, so in ``joined`` (every line between
    newlines) a substring search never straddles two lines.
    """

    def __init__(self, texts: list[str]):
        self.squashed = [_squash(t) for t in texts]
        self.joined = "\n" + "\n".join(self.squashed) + "\n"
        self.starts: list[int] = []  # offset in ``joined`` of each line's first character
        self.by_text: dict[str, list[int]] = {}  # squashed line -> its line indexes, ascending
        offset = 1
        for i, s in enumerate(self.squashed):
            self.starts.append(offset)
            offset += len(s) + 1
            if s:
                self.by_text.setdefault(s, []).append(i)
        self.lengths = sorted({len(s) for s in self.by_text})
        self.unclaimed = {s: list(found) for s, found in self.by_text.items()}  # not yet an exact match's line

    def equal(self, key: str, cursor: int) -> int | None:
        """A line equal to ``key``; one no earlier content line was equal to first.

        A paragraph the page holds twice is two content lines: each takes its own
        page line (the second used to take the first's, leaving the second page
        line as debris: the paragraph was then in the briefing three times).
        """
        unclaimed = self.unclaimed.get(key, [])
        found = self._first(unclaimed, cursor)
        if found is None:
            return self._first(self.by_text.get(key, []), cursor)
        del unclaimed[self._position(unclaimed, found)]
        return found

    def starting(self, key: str, cursor: int) -> int | None:
        """A line that starts with ``key[:20]``, or that ``key`` starts with."""
        found = [self._find("\n" + key[:20], cursor, shift=1)]
        for length in self.lengths:  # the lines ``key`` starts with have one of these lengths
            if length > len(key):
                break
            found.append(self._first(self.by_text.get(key[:length], []), cursor))
        return self._nearest(found, cursor)

    def containing(self, key: str, cursor: int) -> int | None:
        """A line holding ``key[:20]``."""
        return self._find(key[:20], cursor, shift=0)

    def _position(self, ascending: list[int], i: int) -> int:
        from bisect import bisect_left

        return bisect_left(ascending, i)

    def _first(self, ascending: list[int], cursor: int) -> int | None:
        from bisect import bisect_left

        k = bisect_left(ascending, cursor)
        return ascending[k] if k < len(ascending) else (ascending[0] if ascending else None)

    def _find(self, sub: str, cursor: int, shift: int) -> int | None:
        """The line where ``sub`` first occurs reading on from line ``cursor``; ``shift``: characters of
        ``sub`` before the line's own text (the newline of a starts-with search)."""
        from bisect import bisect_right

        if not self.squashed:
            return None
        at = self.joined.find(sub, self.starts[cursor] - shift)
        if at < 0:
            at = self.joined.find(sub)
        return bisect_right(self.starts, at + shift) - 1 if at >= 0 else None

    def _nearest(self, found: list[int | None], cursor: int) -> int | None:
        lines = [i for i in found if i is not None]
        return min(lines, key=lambda i: (i - cursor) % len(self.squashed)) if lines else None


def _area_of(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    label = " ".join([tag, element.get("id") or "", element.get("class") or "", element.get("role") or ""])
    for pattern, reason in _AREA_REASONS:
        if pattern.search(label):
            return reason
    return _TAG_REASONS.get(tag, "")


def _sort_leftovers(leftovers: list[tuple[int, str, str]], title: str | None) -> tuple[list[SourceLine], list[SourceLine]]:
    """Leftover page lines: the headline, or metadata a rule knows (outside navigation/comments), else debris."""
    meta, junk = [], []
    titled = False
    for number, text, area in leftovers:
        m = metadata.match_line(text) if area in ("", "page header") else None
        if not titled and _is_headline(text, title) and area not in ("navigation", "related links", "comments"):
            titled = True
            meta.append(SourceLine(number, text, "title"))
        elif m is not None and not m.rest.strip():
            meta.append(SourceLine(number, text, m.rule.kind))
        else:
            junk.append(SourceLine(number, text, debris.line_reason(text) or area or "page text outside the article"))
    return meta, junk


def _is_headline(text: str, title: str | None) -> bool:
    """The page's headline line: its <title> is the headline, perhaps with the site's name after it."""
    head, whole = _squash(text), _squash(title or "")
    return len(head) >= 4 and whole.startswith(head) and (len(head) == len(whole) or whole[len(head)] in "-_|｜–—:：")


def _fill_from_leftovers(article: Article, meta_lines: list[SourceLine]) -> None:
    """The page's own headline, byline and date lines back trafilatura's fields (its author drops Chinese names)."""
    for line in meta_lines:
        if line.reason == "title" and article.title_source == "page":
            article.title = line.text  # the headline without the " - site name" of <title>
            continue
        m = metadata.match_line(line.text)
        if m is None:
            continue
        if m.author and (not article.byline or not _has_cjk(article.byline) or "／" in article.byline):
            article.byline = m.author
        if m.date and (not article.date or article.date_inferred):
            article.date, article.date_inferred = m.date, False
    if article.byline and (m := metadata.match_line(article.byline)) and m.author:
        article.byline = m.author  # trafilatura's author can be the whole byline line ("記者王小明／台北報導")


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
