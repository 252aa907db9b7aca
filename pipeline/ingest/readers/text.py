"""Plain-text articles (.txt): decode the bytes, clean, one RawLine per line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.article import Article
from pipeline.ingest.text import clean_text, decode_bytes, parse_article


def read_text(raw: bytes, path: Path, *, name: str | None = None, reference: date | None = None) -> Article:
    text, encoding = decode_bytes(raw, name or str(path))
    return parse_article(clean_text(text), path, encoding, reference=reference)
