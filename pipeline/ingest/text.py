"""Read an article file into an ``Article``: decode, clean, find metadata,
headings and page debris, split sentences.

Nothing the author wrote is dropped: lines consumed as metadata and lines
separated as page debris are kept on the article (the briefing lists them in
its appendix), and every other line becomes a body block.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from pipeline.article import HEADING, PARAGRAPH, Article, Block, SourceLine
from pipeline.errors import InputError
from pipeline.ingest.segment import split_sentences

DEFAULT_MAX_INPUT_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}

# ---------------------------------------------------------------- decoding

_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}
# Characters frequent in any Chinese news text, Traditional or Simplified.  Text
# decoded with the wrong legacy codec (Big5 read as GB18030, say) is CJK too,
# but almost never hits these, which makes them a good referee between codecs.
_COMMON_HANZI = set("的是在有和一不了人中年大為为這这上個个也來来到時时會会可以業业與与市場场國国公司表示將将")
_LEGACY_CODECS = ("cp950", "big5hkscs", "gb18030")


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if _is_cjk(ch))


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def _common_share(text: str) -> float:
    cjk = _cjk_count(text)
    return sum(1 for ch in text if ch in _COMMON_HANZI) / cjk if cjk else 0.0


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Decode an article's bytes; returns (text, encoding) or raises ``InputError``."""
    if not raw.strip():
        raise InputError(f"{name}: empty file")
    for signature, what in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise InputError(f"{name}: looks like {what}, not a text article")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw, "utf-8-sig", name), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", name), "utf-16"
    if b"\x00" in raw:
        for codec in ("utf-16-le", "utf-16-be"):  # UTF-16 without a BOM
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and _cjk_count(text) >= 0.2 * len(text.strip() or "x"):
                return text, codec
        raise InputError(f"{name}: binary file (contains NUL bytes), not a text article")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        best: tuple[float, str, str] | None = None
        for codec in _candidate_codecs(raw):
            try:
                text = raw.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
            score = _common_share(text)
            if best is None or score > best[0]:
                best = (score, text, codec)
        if best is None or best[0] < 0.02:
            raise InputError(
                f"{name}: undecodable bytes (not UTF-8, UTF-16, Big5/CP950 or GB18030; "
                f"first bad byte at offset {utf8_error.start})"
            ) from None
        return best[1], best[2]


def _candidate_codecs(raw: bytes) -> list[str]:
    codecs = list(_LEGACY_CODECS)
    try:  # a maintained detector's guess goes first; we still confirm it on the text
        from charset_normalizer import from_bytes

        guess = from_bytes(raw, cp_isolation=list(_LEGACY_CODECS) + ["utf_8"]).best()
        if guess is not None and guess.encoding not in codecs:
            codecs.insert(0, guess.encoding)
    except Exception:  # the detector is help, not a requirement
        pass
    return codecs


def _strict(raw: bytes, codec: str, name: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: undecodable bytes for {codec} at offset {err.start}") from None


# ---------------------------------------------------------------- cleaning

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HTML_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BLOCK_TAGS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}
_HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def clean_text(text: str) -> str:
    """Normalise newlines and invisible characters, strip scraped HTML, keep content."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ZERO_WIDTH)
    if _HTML_TAG.search(text):
        text = _HTML_TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else "", text)
    if _HTML_ENTITY.search(text):
        text = html.unescape(text)
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif ch in "\u00a0\u3000\u2007\u202f":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            continue  # control, format, lone surrogate, private use: never content
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- line roles

_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
_EXPLICIT_TITLE = re.compile(r"^\s*(?:title|標題|标题)\s*[:：]\s*(?P<title>.+?)\s*$|^\s*#\s+(?P<md>.+?)\s*$", re.I)
_CN_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_BYLINES = [
    re.compile(r"^文\s*[．.：:・·／/]\s*(?P<author>.+?)\s*$"),
    re.compile(r"^【\s*(?:撰文|文|記者|记者|作者)\s*[／/：:]\s*(?P<author>[^】]+?)\s*】$"),
    re.compile(r"^(?:記者|记者|撰文|作者)\s*[：:／/]?\s*(?P<author>[^\s／/]{2,20})(?:\s*[／/]\s*\S{1,10}報導)?\s*$"),
    re.compile(
        rf"^(?P<source>.+?)\s+[-–—]\s+(?P<author>\S.*?)\s+(?:發表於|发表于)\s*(?P<date>{_CN_DATE})\s*$"
    ),
]
_CREDIT = re.compile(r"^[（(]?\s*本文(?:經|经)?(?:授權|授权|轉載|转载)?(?:自|於|来自|來自)\s*(?P<source>[^）)。]{1,30}?)\s*(?:授權轉載|轉載)?[）)。]?\s*$")
_LEGAL_START = re.compile(r"^\s*【?\s*(?:聲明|声明|版權聲明|版权声明|免責聲明|免责声明)\s*】?\s*[:：]?\s*$")
_SEPARATOR = re.compile(r"^[-=_*~─—•·.]{5,}$")
_UI_ONLY = re.compile(r"^(?:[︿^▲△↑]+|top|回到頂端|回到顶端|返回頂部|返回顶部|back to top)$", re.I)
_COUNTER = re.compile(r"(?:瀏覽次數|浏览次数|閱讀次數|阅读次数|瀏覽數|人氣|人气)\s*[:：]?\s*[\d,]+")
_SHARE_WORDS = re.compile(
    r"facebook|twitter|wechat|linkedin|linked|line|plurk|weibo|email|e-mail|print|"
    r"歡迎推文|欢迎推文|推文|分享|列印|打印|複製連結|复制链接",
    re.I,
)
_LIKE_PROMPT = re.compile(r"按讚|按赞|粉絲團|粉丝团|追蹤我們|追踪我们|訂閱|订阅")
# No sentence-final punctuation anywhere: a heading ("short lines with no
# sentence-final punctuation").
_SENTENCE_FINAL = re.compile(r"[。！？!?；;…]")
MAX_HEADING_CHARS = 40
_BYLINE_WINDOW = 8  # bylines are looked for in the first lines only


def _debris_reason(line: str) -> str | None:
    s = line.strip()
    if _UI_ONLY.match(s) or re.fullmatch(r"[︿^▲△↑]+\s*top", s, re.I):
        return "navigation button"
    if _SEPARATOR.match(s):
        return "separator line"
    if _COUNTER.search(s):
        return "view counter"
    residue = _SHARE_WORDS.sub("", s)
    if residue != s and not re.sub(r"[\W\d_]+", "", residue):
        return "share buttons"
    if len(s) <= 30 and _LIKE_PROMPT.search(s) and not _SENTENCE_FINAL.search(s.rstrip("!！")):
        return "social media prompt"
    return None


_CAPTION = re.compile(r"^(?:圖|图|圖說|图说|照片|Photo)\s*[、：:．.]|[（(][^（()）]*(?:攝|摄|提供|資料照|资料照)[)）]$", re.I)


def is_heading(text: str) -> bool:
    """Short, no sentence-final punctuation, and not a figure caption."""
    s = text.strip()
    return 0 < len(s) <= MAX_HEADING_CHARS and not _SENTENCE_FINAL.search(s) and not _CAPTION.search(s)


def _iso_from_cn(date: str) -> str:
    y, m, d = (int(x) for x in re.findall(r"\d+", date))
    return f"{y:04d}-{m:02d}-{d:02d}"


# ---------------------------------------------------------------- ingest

def read_article(path: Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Article:
    """Read and structure one article file; raises ``InputError`` with a one-line reason."""
    name = str(path)
    if path.is_symlink() and not path.exists():
        raise InputError(f"{name}: broken symbolic link")
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if not path.is_file():
        raise InputError(f"{name}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{name}: file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.1f} MB limit (--max-input-mb)"
        )
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or err})") from None
    text, encoding = decode_bytes(raw, name)
    return parse_article(clean_text(text), path, encoding)


def parse_article(text: str, path: Path, encoding: str = "utf-8") -> Article:
    """Structure already-decoded, cleaned text (split out for tests and fuzzing)."""
    name = str(path)
    cjk = _cjk_count(text)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if cjk < 10 or cjk < 0.15 * len(re.sub(r"\s", "", text)):
        raise InputError(f"{name}: almost no Chinese text ({cjk} CJK characters); not a Chinese article")

    date = byline = source = None
    explicit_title: str | None = None
    metadata: list[SourceLine] = []
    debris: list[SourceLine] = []
    body: list[tuple[int, str]] = []
    in_legal_notice = False
    content_seen = 0  # non-blank lines so far, for the byline window

    for number, line in enumerate(text.split("\n"), start=1):
        if number == 1 and (m := _DATE_PREFIX.match(line)):
            date = m.group(1)
            metadata.append(SourceLine(number, line[: m.end()].strip(), "date"))
            line = line[m.end():]
        stripped = line.strip()
        if not stripped:
            continue
        content_seen += 1
        if in_legal_notice or _LEGAL_START.match(stripped):
            in_legal_notice = True
            debris.append(SourceLine(number, stripped, "legal notice"))
            continue
        if reason := _debris_reason(stripped):
            debris.append(SourceLine(number, stripped, reason))
            continue
        if explicit_title is None and not body and (m := _EXPLICIT_TITLE.match(stripped)):
            explicit_title = m.group("title") or m.group("md")
            metadata.append(SourceLine(number, stripped, "title"))
            continue
        if content_seen <= _BYLINE_WINDOW and byline is None and (found := _match_byline(stripped)):
            byline = found.get("author")
            source = source or found.get("source")
            if found.get("date") and not date:
                date = _iso_from_cn(found["date"])
            metadata.append(SourceLine(number, stripped, "byline"))
            continue
        if source is None and (m := _CREDIT.match(stripped)):
            source = m.group("source").strip()
            metadata.append(SourceLine(number, stripped, "source credit"))
            continue
        body.append((number, stripped))

    blocks = [
        Block(HEADING if is_heading(t) else PARAGRAPH, t, n, [s for s in split_sentences(t) if s.strip()])
        for n, t in body
    ]
    if not blocks:
        raise InputError(f"{name}: no article text (only metadata or page debris)")
    title, title_source = _choose_title(explicit_title, blocks)
    return Article(
        path=path, title=title, title_source=title_source, blocks=blocks, date=date, byline=byline,
        source=source, encoding=encoding, debris=debris, metadata_lines=metadata,
    )


def _match_byline(line: str) -> dict[str, str] | None:
    for pattern in _BYLINES:
        if m := pattern.match(line):
            return {k: v.strip() for k, v in m.groupdict().items() if v}
    return None


def _choose_title(explicit: str | None, blocks: list[Block]) -> tuple[str, str]:
    if explicit:
        return explicit, "explicit"
    for block in blocks:
        if block.is_heading:
            return block.text, "heading"
    first = blocks[0].sentences[0] if blocks[0].sentences else blocks[0].text
    return first.strip(), "first sentence"


def find_inputs(paths: list[Path]) -> list[Path]:
    """Expand files and folders into article files, sorted, folders non-recursively by suffix."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(c for c in p.iterdir() if c.suffix.lower() in TEXT_SUFFIXES and not c.name.startswith(".")))
        else:
            found.append(p)  # a missing or bad file is reported per article, not here
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique
