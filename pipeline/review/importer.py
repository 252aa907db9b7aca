"""``briefing review import``: a reviewer's English into the translation memory.

For each changed row the reviewed English becomes human translations: per
sentence where the sentences the reviewer left alone anchor the changed ones
unambiguously, else for the whole paragraph.  The reviewer is the authority:
every check lives in ``checks`` and runs here (the DOCX and XLIFF readers only
build a ``ReviewedDocument``).  A row whose English is empty or mostly Chinese
is refused; a correction that drops a required glossary term or figure is
imported and flagged (``strict``: refused and kept aside, as before); one that
covers clearly less of the source is imported and flagged for a second look;
the QA checks are re-run on the reviewer's English.  A correction the memory
contradicts (its English changed since the briefing was written) waits for
``--prefer``; a document whose body is another article is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.article import QAFlag
from pipeline.review import checks
from pipeline.review.manifest import Row, Segment, TermRecord
from pipeline.review.match import Matching, RowMatch, match_rows
from pipeline.review.reader import ReviewedDocument
from pipeline.translate.memory import HumanEntry, MemoryContext, TranslationMemory
from pipeline.translate.prepare import TranslationRequest


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Correction:
    row: Row
    how: str  # how the row was matched
    segments: list[Segment]  # one sentence, or every sentence of the paragraph
    before: str
    after: str
    notes: list[str]
    flags: list[QAFlag] = field(default_factory=list)  # checks.review_flags on ``after``

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def source(self) -> str:
        return "".join(s.source for s in self.segments)

    @property
    def constraints(self) -> tuple[str, ...]:
        return tuple(sorted({c for s in self.segments for c in s.constraints}))

    @property
    def terms(self) -> list[TermRecord]:
        return [t for s in self.segments for t in s.terms]

    def broken_terms(self) -> list[TermRecord]:
        """Required English stated before and not after (terms, then figures), then forbidden
        English brought in: what ``--strict`` refuses (``checks``: the one definition)."""
        return (checks.dropped(self.terms, self.before, self.after, "term")
                + checks.dropped(self.terms, self.before, self.after, "number")
                + checks.brought_forbidden(self.terms, self.before, self.after))


@dataclass
class ImportResult:
    document: ReviewedDocument
    matching: Matching
    accepted: list[Correction] = field(default_factory=list)
    conflicts: list[tuple[Correction, str]] = field(default_factory=list)  # (correction, the memory's English)
    term_breaks: list[tuple[Correction, list[TermRecord]]] = field(default_factory=list)  # refused (strict)
    unchanged_segments: int = 0
    refused: list[tuple[RowMatch, list[QAFlag]]] = field(default_factory=list)  # empty, not English: nothing stored
    document_refused: str = ""  # why nothing of the document is imported (another article's body)

    @property
    def flagged(self) -> list[Correction]:
        """Imported corrections with flags: drops, a second look, QA on the new English."""
        return [c for c in self.accepted if c.changed and c.flags]

    @property
    def changed_segments(self) -> int:
        return sum(len(c.segments) for c in self.accepted if c.changed)

    @property
    def confirmed_segments(self) -> int:
        return sum(len(c.segments) for c in self.accepted if not c.changed)

    @property
    def needs_attention(self) -> bool:
        return bool(self.document_refused or self.matching.extra or self.matching.missing or self.conflicts
                    or self.term_breaks or self.refused)


class ReviewImporter:
    def __init__(self, memory: TranslationMemory | None, prefer: str | None = None, strict: bool = False):
        self.memory = memory
        self.prefer = prefer  # None: leave conflicts undecided; "review" or "memory"
        self.strict = strict  # refuse corrections that drop a required term or figure (or bring in a forbidden one)

    def examine(self, document: ReviewedDocument) -> ImportResult:
        matching = match_rows(document.rows, document.manifest.rows)
        result = ImportResult(document, matching)
        result.document_refused = checks.check_same_article(document.manifest, document.rows) or ""
        if result.document_refused:
            return result
        context = MemoryContext(**document.manifest.context) if self.memory is not None else None  # an empty memory is falsy
        for match in matching.matches:
            if _norm(match.reviewed.english) == _norm(match.row.english):
                result.unchanged_segments += len(match.row.segments)
                continue
            refusals = checks.run(checks.REFUSALS, match.row.source, _norm(match.row.english),
                                  _norm(match.reviewed.english), [t for s in match.row.segments for t in s.terms])
            if refusals:
                result.refused.append((match, refusals))
                continue
            for correction in split_correction(match):
                correction.flags = checks.review_flags(correction.source, correction.before, correction.after,
                                                       correction.terms) if correction.changed else []
                broken = correction.broken_terms()
                if broken and self.strict:
                    result.term_breaks.append((correction, broken))
                    continue
                current = self._memory_english(context, correction)
                if current is not None and _norm(current) not in (_norm(correction.before), _norm(correction.after)) \
                        and self.prefer != "review":
                    if self.prefer != "memory":
                        result.conflicts.append((correction, current))
                    continue
                result.accepted.append(correction)
        return result

    def _memory_english(self, context: MemoryContext | None, c: Correction) -> str | None:
        """What the memory would give this segment now (a human entry first), or None if it holds nothing."""
        if self.memory is None:
            return None
        human = self.memory.get_human([TranslationMemory.human_key(c.source, c.constraints)])
        if human:
            return next(iter(human.values()))
        if len(c.segments) != 1:
            return None
        s = c.segments[0]
        key = TranslationMemory.key(context, TranslationRequest(s.model_input, s.constraints, source=s.source))
        return self.memory.get_many([key]).get(key)

    def write(self, result: ImportResult) -> None:
        doc = result.document
        entries = [HumanEntry(c.source, c.constraints, c.after, doc.reviewer, doc.modified, str(doc.path),
                              " | ".join(c.notes)) for c in result.accepted]
        self.memory.put_human(entries)
        # Every drop is also kept for ``glossary suggest --from-reviews`` (what reviewers keep replacing),
        # whether refused (strict) or imported.
        drops = result.term_breaks + [(c, c.broken_terms()) for c in result.accepted if c.changed]
        self.memory.put_rejected([(c.source, c.before, c.after, [(t.source, t.target) for t in broken if t.kind != "forbidden"],
                                   doc.reviewer, str(doc.path))
                                  for c, broken in drops if any(t.kind != "forbidden" for t in broken)])


def split_correction(match: RowMatch) -> list[Correction]:
    """Per-sentence corrections where unchanged sentences anchor the changed ones, else one for the paragraph."""
    row, after = match.row, _norm(match.reviewed.english)
    notes = match.reviewed.notes
    whole = [Correction(row, match.how, row.segments, _norm(row.english), after, notes)]
    if len(row.segments) < 2 or _norm(row.english) != _norm(" ".join(s.english for s in row.segments if s.english)):
        return whole  # a single sentence, or a paragraph whose English was already a reviewer's whole
    pieces = _anchor(after, [_norm(s.english) for s in row.segments])
    if pieces is None:
        return whole
    # The reviewer read the whole row: the sentences left as they were are confirmed as human English too.
    return [Correction(row, match.how, [s], _norm(s.english), _norm(s.english) if text is None else text, notes)
            for s, text in zip(row.segments, pieces) if s.english]


def _anchor(after: str, before: list[str]) -> list[str | None] | None:
    """For each sentence: None if its English is unchanged in ``after``, else its new English;
    None overall when that is ambiguous (a gap between unchanged sentences covers two or none)."""
    anchored, cursor = {}, 0
    for i, english in enumerate(before):
        pos = after.find(english, cursor) if english else -1
        if pos >= 0 and _on_boundary(after, pos, pos + len(english)):
            anchored[i] = (pos, pos + len(english))
            cursor = pos + len(english)
    changed: list[str | None] = [None] * len(before)
    bounds = [(-1, (0, 0)), *sorted(anchored.items()), (len(before), (len(after), len(after)))]
    for (i0, (_, end0)), (i1, (start1, _)) in zip(bounds, bounds[1:]):
        gap_segments = list(range(i0 + 1, i1))
        text = after[end0:start1].strip()
        if not gap_segments and not text:
            continue
        if len(gap_segments) != 1 or not text:
            return None
        changed[gap_segments[0]] = text
    return changed


def _on_boundary(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] == " ") and (end == len(text) or text[end] == " ")
