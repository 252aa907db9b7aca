"""``briefing review import``: a reviewer's English into the translation memory.

For each changed row the reviewed English becomes human translations: per
sentence where the sentences the reviewer left alone anchor the changed ones
unambiguously, else for the whole paragraph.  A correction that drops a
required glossary term or figure is reported and kept aside (not used to
translate); one that the memory contradicts (its English changed since the
briefing was written) waits for ``--prefer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.review.manifest import Row, Segment
from pipeline.review.match import Matching, RowMatch, match_rows
from pipeline.review.reader import ReviewedDocument
from pipeline.translate.memory import HumanEntry, MemoryContext, TranslationMemory
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.presence import is_present


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

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def source(self) -> str:
        return "".join(s.source for s in self.segments)

    @property
    def constraints(self) -> tuple[str, ...]:
        return tuple(sorted({c for s in self.segments for c in s.constraints}))

    def broken_terms(self) -> list:
        """TermRecords the review broke (the one presence test): required English present before and
        absent after, or English the glossary forbids brought in."""
        broken = []
        for t in (t for s in self.segments for t in s.terms):
            before, after = is_present(t.target, self.before, t.variants), is_present(t.target, self.after, t.variants)
            if (t.kind == "forbidden" and after and not before) or (t.kind != "forbidden" and before and not after):
                broken.append(t)
        return broken


@dataclass
class ImportResult:
    document: ReviewedDocument
    matching: Matching
    accepted: list[Correction] = field(default_factory=list)
    conflicts: list[tuple[Correction, str]] = field(default_factory=list)  # (correction, the memory's English)
    term_breaks: list[tuple[Correction, list[str]]] = field(default_factory=list)
    unchanged_segments: int = 0

    @property
    def changed_segments(self) -> int:
        return sum(len(c.segments) for c in self.accepted if c.changed)

    @property
    def confirmed_segments(self) -> int:
        return sum(len(c.segments) for c in self.accepted if not c.changed)

    @property
    def needs_attention(self) -> bool:
        return bool(self.matching.extra or self.matching.missing or self.conflicts or self.term_breaks)


class ReviewImporter:
    def __init__(self, memory: TranslationMemory | None, prefer: str | None = None):
        self.memory = memory
        self.prefer = prefer  # None: leave conflicts undecided; "review" or "memory"

    def examine(self, document: ReviewedDocument) -> ImportResult:
        matching = match_rows(document.rows, document.manifest.rows)
        result = ImportResult(document, matching)
        context = MemoryContext(**document.manifest.context) if self.memory else None
        for match in matching.matches:
            if _norm(match.reviewed.english) == _norm(match.row.english):
                result.unchanged_segments += len(match.row.segments)
                continue
            for correction in split_correction(match):
                broken = correction.broken_terms()
                if broken:
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
        self.memory.put_rejected([(c.source, c.before, c.after, [(t.source, t.target) for t in broken if t.kind != "forbidden"], doc.reviewer,
                                   str(doc.path))
                                  for c, broken in result.term_breaks])


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
