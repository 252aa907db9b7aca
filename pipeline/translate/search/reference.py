"""A model that knows the answer: the reference-following logits processor.

Random weights never want to write a term anywhere, so the interaction of the
constraints with a competent model cannot be tested on them.  Given a
reference English per sentence (as target token ids), this processor adds a
large bonus to the reference token that follows the longest suffix of the
hypothesis found in the reference (the start of the reference when nothing
matches, end-of-sentence after its last token).  Over a random-weight Marian
the search then behaves like a model that writes the reference, going back to
it after any detour (a forced term, a different spelling).  For tests and
``devtools.oracle_eval`` only; the product never passes references.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

BONUS = 1000.0  # far above any logit a random or real model produces


class ReferenceFollower:
    def __init__(self, references: Sequence[Sequence[int]], eos_id: int, bonus: float = BONUS):
        """``references[b]``: the target ids of batch sentence b (no EOS); empty = no reference."""
        self.eos_id, self.bonus = eos_id, bonus
        self._vocab, self._column = None, {}
        self.refs = [list(r) for r in references]
        self.token_ids = sorted({t for r in self.refs for t in r} | {eos_id})  # the search must be able to write them
        # every n-gram of the reference -> where its first occurrence ends
        self.ends: list[dict[tuple[int, ...], int]] = []
        for ref in self.refs:
            ends: dict[tuple[int, ...], int] = {}
            for i in range(len(ref)):
                for j in range(i + 1, len(ref) + 1):
                    ends.setdefault(tuple(ref[i:j]), j)
            self.ends.append(ends)

    def next_token(self, sentence: int, history: Sequence[int]) -> int | None:
        ref = self.refs[sentence]
        if not ref:
            return None
        ends = self.ends[sentence]
        for size in range(min(len(history), len(ref)), 0, -1):
            end = ends.get(tuple(history[len(history) - size :]))
            if end is not None:
                return ref[end] if end < len(ref) else self.eos_id
        return ref[0]

    def __call__(self, logits: torch.Tensor, history: torch.Tensor, sentence: torch.Tensor, vocab: torch.Tensor) -> None:
        if self._vocab is not vocab:  # the searched vocabulary is fixed for a batch
            self._vocab, self._column = vocab, {int(full): i for i, full in enumerate(vocab.tolist())}
        column = self._column
        rows, cols = [], []
        for row, (hist, sent) in enumerate(zip(history.tolist(), sentence.tolist())):
            token = self.next_token(sent, hist)
            if token is not None and token in column:
                rows.append(row)
                cols.append(column[token])
        if rows:
            logits[torch.tensor(rows), torch.tensor(cols)] += self.bonus
