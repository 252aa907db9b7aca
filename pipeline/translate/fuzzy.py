"""Fuzzy matches: the nearest human translation of a sentence the memory does not hold.

A sentence with no human English of its own may still be close to one a
translator wrote (the same sentence with another date, another company).  The
model's English stays in the briefing; the near match is shown to the reviewer
beside it, as a CAT tool shows a fuzzy match: its score, its English and the
earlier source with the characters that differ marked.

Similarity is rapidfuzz's ``fuzz.ratio`` (100 × (1 − Indel distance / total
length)) on both sources as ``human_source`` folds them (the key of exact
matches: script, width, case and layout spaces do not count).  Scoring every
unit is too slow for a large memory, so an index of character bigrams picks
candidates first: units of a length that can reach the threshold (a ratio of
75% needs the shorter text to be at least 60% of the longer), ranked by how
many of the sentence's bigrams they share, bigrams held by very many units left
out (they rank nothing); only the best ``candidates`` are scored exactly.  The
filter is a heuristic: ``benchmarks/bench_fuzzy.py`` measures how often it
finds what scoring every unit would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.translate.memory import HumanEntry, human_source

THRESHOLD = 75.0  # the least similarity shown to a reviewer, in percent


@dataclass(frozen=True)
class FuzzyMatch:
    score: float  # percent, THRESHOLD..100
    entry: HumanEntry  # the human unit: its source as written and its English
    marked_source: str  # entry.source with what differs from the new sentence in brackets

    def comment(self) -> str:
        """The reviewer's note: ``TM 86%: <English>`` and the earlier source, differences marked."""
        return f"TM {int(self.score)}%: {self.entry.translation}\nearlier source: {self.marked_source}"


class FuzzyIndex:
    """Human units indexed for ``best``; build once per run (``len`` units, ``memory.human_entries()``)."""

    def __init__(self, entries: Sequence[HumanEntry], threshold: float = THRESHOLD, candidates: int = 128,
                 common: float = 0.02):
        import numpy as np

        self.entries = list(entries)
        self.threshold = threshold
        self.candidates = candidates
        self._texts = [human_source(e.source) for e in self.entries]
        self._lengths = np.array([len(t) for t in self._texts], dtype=np.int32)
        postings: dict[str, list[int]] = {}
        for i, text in enumerate(self._texts):
            for gram in set(_bigrams(text)):
                postings.setdefault(gram, []).append(i)
        # a bigram in more than `common` of the units (，、的公) says nothing about which is near
        cap = max(64, int(common * len(self.entries)))
        self._postings = {g: np.array(ids, dtype=np.int32) for g, ids in postings.items() if len(ids) <= cap}

    def __len__(self) -> int:
        return len(self.entries)

    def best(self, source: str) -> FuzzyMatch | None:
        """The most similar unit at ``threshold`` or above (ties: the newest), or None."""
        from rapidfuzz import fuzz

        query = human_source(source)
        best, best_score = None, self.threshold
        for i in self._candidates(query):
            score = fuzz.ratio(query, self._texts[i], score_cutoff=best_score)
            if score > best_score or (score == best_score and score and (best is None or i > best)):
                best, best_score = i, score
        if best is None or query == self._texts[best]:
            return None  # an exact match is no fuzzy one: the run uses it as it is
        entry = self.entries[best]
        return FuzzyMatch(best_score, entry, mark_differences(entry.source, source))

    def _candidates(self, query: str) -> list[int]:
        import numpy as np

        grams = [self._postings[g] for g in set(_bigrams(query)) if g in self._postings]
        if not grams or not len(self.entries):
            return []
        shared = np.bincount(np.concatenate(grams), minlength=len(self.entries))
        ratio = self.threshold / (200 - self.threshold)  # the least shorter/longer length ratio that can reach it
        n = len(query)
        shared[(self._lengths < n * ratio) | (self._lengths > n / ratio)] = 0
        k = min(self.candidates, int(np.count_nonzero(shared)))
        if k == 0:
            return []
        top = np.argpartition(-shared, k - 1)[:k]
        return [int(i) for i in top if shared[i] > 0]


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


def mark_differences(earlier: str, now: str) -> str:
    """``earlier`` with each run of its characters that ``now`` does not share in brackets,
    and ``[+…]`` where ``now`` has characters ``earlier`` lacks.  Compared as
    ``human_source`` folds characters (one to one), so 臺/台 is no difference."""
    from rapidfuzz.distance import Indel

    from pipeline.translate.memory import fold_characters

    out = []
    ops = Indel.opcodes(fold_characters(earlier), fold_characters(now))
    # a replacement is a delete and an insert at one place: the old characters first, then the new
    for op in sorted(ops, key=lambda op: (op.src_start, {"delete": 0, "insert": 1}.get(op.tag, 2))):
        if op.tag == "equal":
            out.append(earlier[op.src_start : op.src_end])
        elif op.tag == "insert":
            out.append(f"[+{now[op.dest_start : op.dest_end]}]")
        else:  # delete (Indel has no replace: a replacement is a delete and an insert)
            out.append(f"[{earlier[op.src_start : op.src_end]}]")
    return "".join(out)
