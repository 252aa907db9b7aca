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

from datetime import date

from pipeline.article import Article
from pipeline.errors import InputError
from pipeline.ingest.sources import as_input, is_link  # noqa: F401  (re-exported)
from pipeline.ingest.structure import RawLine, build_article, cjk_count

DEFAULT_MAX_INPUT_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | {".md", ".markdown", ".html", ".htm", ".docx"}

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


_COMMON_HANZI_RE = re.compile("[" + "".join(sorted(_COMMON_HANZI)) + "]")
# Below this share of common characters, CJK text is a wrong codec's gibberish (real
# news: 0.1-0.2; Big5 bytes read as GB18030: 0.001).
MIN_COMMON_SHARE = 0.02


def _common_share(text: str) -> float:
    cjk = cjk_count(text)
    return (len(text) - len(_COMMON_HANZI_RE.sub("", text))) / cjk if cjk else 0.0


def reads_as_chinese(text: str) -> bool:
    """Decoded text that is Chinese, not a wrong codec's CJK gibberish or Latin mojibake."""
    return _common_share(text) >= MIN_COMMON_SHARE


def decode_declared(raw: bytes, codec: str, name: str) -> tuple[str | None, str | None]:
    """The bytes in the charset their input declares, verified: (text, None), or (None, why the declaration is wrong).

    Wrong: a charset Python does not know, bytes it cannot decode, or text that
    is Chinese only in another charset (Big5 declared as gb2312 decodes without
    an error, into gibberish).  Detection is asked only when the declared text
    does not read as Chinese.
    """
    import codecs

    try:
        text = raw.decode(codec)
    except LookupError:
        return None, "unknown charset"
    except UnicodeDecodeError as err:
        return None, f"undecodable at byte {err.start}"
    if reads_as_chinese(text):
        return text, None
    try:
        other, other_codec = decode_bytes(raw, name)
    except InputError:
        return text, None
    if codecs.lookup(other_codec).name != codecs.lookup(codec).name and reads_as_chinese(other):
        return None, f"not Chinese text in it, but in {other_codec}"
    return text, None


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
            if "\x00" not in text and cjk_count(text) >= 0.2 * len(text.strip() or "x"):
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
        if best is None or best[0] < MIN_COMMON_SHARE:
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
    # Only characters outside the ranges every article is made of are looked at one by one.
    return _UNUSUAL.sub(_clean_run, text)


# Printable ASCII, CJK ideographs (Ext. A and the main block), CJK punctuation
# (U+3001-U+303F) and fullwidth forms: none is a control, format, surrogate,
# private-use or odd space character (tests/ingest/test_text.py checks every
# code point), so clean_text passes runs of them through untouched.
_UNUSUAL = re.compile("[^\u0020-\u007e\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")


def _clean_run(m: re.Match) -> str:
    return "".join(_clean_char(ch) for ch in m.group(0))


def _clean_char(ch: str) -> str:
    if ch in "\n\t":
        return ch
    if ch in "\u00a0\u3000\u2007\u202f":
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
        return ""  # control, format, lone surrogate, private use: never content
    return ch


# ---------------------------------------------------------------- ingest


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """An input file's bytes, or ``InputError`` naming the file (missing, too big, unreadable)."""
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
        return path.read_bytes()
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or err})") from None


def parse_article(text: str, path: Path, encoding: str = "utf-8", reference: date | None = None) -> Article:
    """Structure already-decoded, cleaned plain text (split out for tests and fuzzing)."""
    lines = [RawLine(n, line) for n, line in enumerate(text.split("\n"), start=1)]
    return build_article(lines, path, encoding=encoding, fmt="text", reference=reference)


def find_inputs(paths: list[Path | str]) -> list[Path | str]:
    """Expand files, folders and links into inputs; folders non-recursively, every supported format, sorted."""
    found: list[Path | str] = []
    for p in paths:
        if is_link(p):
            found.append(p)
            continue
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(c for c in p.iterdir() if c.suffix.lower() in ARTICLE_SUFFIXES
                                and not c.name.startswith((".", "~$"))))
        else:
            found.append(p)  # a missing or bad file is reported per article, not here
    seen: set = set()
    unique = []
    for p in found:
        key = p if is_link(p) else (p.resolve() if p.exists() else p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique
