"""``run-report.json``: what a run did, per article, stamped with the signature."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.article import TranslatedArticle
from pipeline.fsutil import atomic_write_text
from pipeline.signature import Signature

REPORT_NAME = "run-report.json"


@dataclass
class ArticleRecord:
    input: str
    output: str | None
    status: str  # ok | error | skipped (a feed item briefed before)
    error: str | None = None
    note: str | None = None
    output_sha256: str | None = None
    encoding: str | None = None
    encoding_note: str | None = None  # a declared charset that was wrong, and what read the input instead
    title: str | None = None
    title_english: str | None = None
    date: str | None = None
    paragraphs: int = 0
    sentences: int = 0
    sentences_from_memory: int = 0
    sentences_human: int = 0  # a human's English (exact match on the source text)
    sentences_fuzzy: int = 0  # the model's English, a near human match shown as a comment
    terms_required: int = 0
    terms_satisfied: int = 0
    terms_unsure: int = 0  # matched but not enforced (term-unsure)
    numbers_required: int = 0
    numbers_satisfied: int = 0
    numbers_unsure: int = 0  # figures read without certainty, not enforced (number-unsure)
    flags: dict[str, int] = field(default_factory=dict)
    flagged: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def fill_from(self, translated: TranslatedArticle) -> None:
        article = translated.article
        self.encoding_note = article.encoding_note
        self.title = article.title
        self.title_english = translated.title_translation
        self.date = article.date
        self.paragraphs = len(article.blocks)
        self.sentences = len(translated.sentences)
        self.sentences_from_memory = sum(s.from_memory for s in translated.sentences)
        self.sentences_human = sum(s.origin == "human" for s in translated.sentences)
        self.sentences_fuzzy = sum(s.fuzzy is not None for s in translated.sentences)
        terms = [t for s in translated.sentences for t in s.terms if t.kind == "term"]
        numbers = [t for s in translated.sentences for t in s.terms if t.kind == "number"]
        self.terms_required = sum(not t.unsure for t in terms)
        self.terms_satisfied = sum(t.found for t in terms)
        self.terms_unsure = sum(bool(t.unsure) for t in terms)
        self.numbers_required = sum(not t.unsure for t in numbers)
        self.numbers_satisfied = sum(t.found for t in numbers)
        self.numbers_unsure = sum(bool(t.unsure) for t in numbers)
        for s in translated.sentences:
            for flag in s.flags:
                self.flags[flag.name] = self.flags.get(flag.name, 0) + 1
            if s.flags:
                self.flagged.append({
                    "source": s.original,
                    "translation": s.translation,
                    "flags": [{"name": f.name, "reason": f.reason} for f in s.flags],
                })


@dataclass
class RunReport:
    signature: Signature
    started_at: datetime
    finished_at: datetime | None = None
    articles: list[ArticleRecord] = field(default_factory=list)
    interrupted: bool = False
    not_started: list[str] = field(default_factory=list)
    index: str | None = None
    digest: str | None = None
    # what the progress counted: sentences and titles translated, and those the memory gave
    sentences_translated: int = 0
    sentences_remembered: int = 0

    @property
    def failed(self) -> list[ArticleRecord]:
        return [a for a in self.articles if a.status == "error"]

    @property
    def skipped(self) -> list[ArticleRecord]:
        """Feed items briefed before (``status`` skipped): neither written nor failed."""
        return [a for a in self.articles if a.status == "skipped"]

    def flag_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for a in self.articles:
            for name, n in a.flags.items():
                totals[name] = totals.get(name, 0) + n
        return totals

    def as_dict(self) -> dict:
        sig = self.signature
        return {
            "run": {
                "package_version": sig.version,
                "model_id": sig.model_id,
                "model_revision": sig.model_revision,
                "opencc_config": sig.opencc_config,
                "glossary_hash": sig.glossary_hash,
                "decoding": sig.decoding,
                "source_terms": sig.source_terms,
                "numbers": sig.numbers,
                "signature": sig.short(),
                "started_at": self.started_at.isoformat(timespec="seconds"),
                "finished_at": self.finished_at.isoformat(timespec="seconds") if self.finished_at else None,
                "complete": self.finished_at is not None and not self.interrupted,
                "interrupted": self.interrupted,
                "index": self.index,
                "digest": self.digest,
            },
            "summary": {
                "articles": len(self.articles),
                "ok": sum(a.status == "ok" for a in self.articles),
                "error": len(self.failed),
                "skipped": len(self.skipped),
                "sentences_translated": self.sentences_translated,  # titles included, as the progress counts
                "sentences_translated_from_memory": self.sentences_remembered,
                "sentences": sum(a.sentences for a in self.articles),
                "sentences_from_memory": sum(a.sentences_from_memory for a in self.articles),
                "sentences_human": sum(a.sentences_human for a in self.articles),
                "sentences_fuzzy": sum(a.sentences_fuzzy for a in self.articles),
                "flags": self.flag_totals(),
            },
            "articles": [asdict(a) for a in self.articles],
            "not_started": self.not_started,
        }

    def write(self, out_dir: Path) -> Path:
        path = out_dir / REPORT_NAME
        atomic_write_text(path, json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return path
