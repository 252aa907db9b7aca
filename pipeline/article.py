"""The structured article that ingest produces and every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PARAGRAPH = "paragraph"
HEADING = "heading"


@dataclass
class SourceLine:
    """A line of the input file kept verbatim (debris or metadata), with its 1-based number."""

    line: int
    text: str
    reason: str = ""


@dataclass
class Block:
    """One paragraph or heading of the body, in reading order.

    ``sentences`` concatenate back to ``text`` exactly (whitespace included),
    so nothing is lost between the left column and what the model sees.
    """

    kind: str
    text: str
    line: int
    sentences: list[str] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING


@dataclass
class Article:
    path: Path
    title: str
    title_source: str  # "explicit", "heading" or "first sentence"
    blocks: list[Block]
    date: str | None = None  # ISO YYYY-MM-DD
    byline: str | None = None
    source: str | None = None  # publication, where the article states it
    encoding: str = "utf-8"
    debris: list[SourceLine] = field(default_factory=list)
    metadata_lines: list[SourceLine] = field(default_factory=list)
    site_name: str | None = None  # the web site a page came from (its own metadata)
    date_inferred: bool = False  # date worked out from a dateline (台北25日電) and a reference date
    dateline: str | None = None  # e.g. （中央社記者王小明台北25日電）
    source_url: str | None = None  # the link the article was fetched from
    raw_path: Path | None = None  # where the fetched page was kept for provenance
    format: str = "text"  # text, html, docx, markdown
    # Where the charset the input declared was wrong (a page's HTTP header or <meta>):
    # what it declared, why it was refused, and the codec that read it instead.
    encoding_note: str | None = None

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def sentence_count(self) -> int:
        return sum(len(b.sentences) for b in self.blocks)


# ---------------------------------------------------------------- translation results


@dataclass
class TermResult:
    """A glossary term or figure of one sentence, and whether the English has it.

    ``target`` is None (and ``unsure`` the reason) when nothing was enforced.
    """

    source: str
    target: str | None
    found: bool
    kind: str = "term"
    variants: tuple[str, ...] = ()
    value: str = ""
    unit: str = ""
    unsure: str = ""


@dataclass
class QAFlag:
    name: str  # number, untranslated, repetition, length, empty, term, number-unsure, term-unsure
    reason: str


@dataclass
class TranslatedSentence:
    original: str
    normalised: str
    model_input: str
    translation: str
    terms: list[TermResult] = field(default_factory=list)
    flags: list[QAFlag] = field(default_factory=list)
    from_memory: bool = False
    constraints: tuple[str, ...] = ()  # the English the model was required to produce (TranslationRequest)
    origin: str = "model"  # model | memory | human (a reviewer's English from the memory)
    # origin "human": the requirements stored with that English (what the sentence needed then)
    human_constraints: tuple = ()
    fuzzy: object = None  # a near human match shown to the reviewer (pipeline.translate.fuzzy.FuzzyMatch)

    @property
    def reviewed(self) -> bool:
        return self.origin == "human"


@dataclass
class TranslatedBlock:
    block: Block
    sentences: list[TranslatedSentence]
    # A reviewer's English for the whole paragraph, where it could not be split
    # back into sentences; it replaces the sentences' English in the briefing.
    reviewed_translation: str | None = None
    reviewed_constraints: tuple = ()  # the requirements stored with that English

    @property
    def translation(self) -> str:
        if self.reviewed_translation is not None:
            return self.reviewed_translation
        return " ".join(s.translation for s in self.sentences if s.translation)

    @property
    def reviewed(self) -> bool:
        return self.reviewed_translation is not None or (bool(self.sentences) and all(s.reviewed for s in self.sentences))


@dataclass
class TranslatedArticle:
    article: Article
    title_translation: str
    blocks: list[TranslatedBlock]

    @property
    def sentences(self) -> list[TranslatedSentence]:
        return [s for b in self.blocks for s in b.sentences]

    def term_counts(self) -> dict[tuple[str, str], int]:
        """(glossary target, source as written) -> occurrences in the body."""
        counts: dict[tuple[str, str], int] = {}
        for s in self.sentences:
            for t in s.terms:
                if t.kind == "term" and t.target:
                    counts[(t.target, t.source)] = counts.get((t.target, t.source), 0) + 1
        return counts
