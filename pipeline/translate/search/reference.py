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

A sentence may also have a *fallback* reference: a model that prefers its own
wording (a paraphrase of a glossary term) but also knows the official one.
Each step, the reference whose match with the end of the hypothesis is longer
leads and its next token gets ``bonus``; on a tie the preferred one leads and
the fallback's next token gets the lower ``fallback_bonus``.  So unconstrained,
the search writes the preferred reference; when the constraints make it take
the fallback's token where the two part (the official term), the fallback then
matches more of the hypothesis and leads to its end.  The fallback is only
offered while it explains the hypothesis as well as the preferred one: after
the preferred wording has been written, writing the official one later costs
a full detour, so a forced term goes where the fallback first has it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

BONUS = 1000.0  # far above any logit a random or real model produces
# Taking the fallback's word costs about BONUS - FALLBACK_BONUS (50), a detour from
# both references about BONUS: 50 is well above the spread of a random model's
# logits (under 10 for the full-size one), so the preferred wording wins when
# nothing is forced, and small beside a detour, so length normalisation (score /
# length) cannot make a hypothesis that detours but runs longer the better one.
FALLBACK_BONUS = 950.0


class _Reference:
    """One reference's token ids and where each of its n-grams first ends."""

    def __init__(self, ids: Sequence[int]):
        self.ids = list(ids)
        self.ends: dict[tuple[int, ...], int] = {}
        for i in range(len(self.ids)):
            for j in range(i + 1, len(self.ids) + 1):
                self.ends.setdefault(tuple(self.ids[i:j]), j)

    def match(self, history: Sequence[int]) -> tuple[int, int | None]:
        """(length of the longest suffix of ``history`` found here, the token after
        its first occurrence: ``None`` for end-of-sentence).  A suffix found here
        has all its shorter suffixes found too, so the length is bisected."""
        low, high = 0, min(len(history), len(self.ids))  # suffix of length low is found
        while low < high:
            mid = (low + high + 1) // 2
            if tuple(history[len(history) - mid :]) in self.ends:
                low = mid
            else:
                high = mid - 1
        end = self.ends[tuple(history[len(history) - low :])] if low else 0
        return low, (self.ids[end] if end < len(self.ids) else None)


class ReferenceFollower:
    def __init__(self, references: Sequence[Sequence[int]], eos_id: int, bonus: float = BONUS,
                 fallbacks: Sequence[Sequence[int]] | None = None, fallback_bonus: float = FALLBACK_BONUS):
        """``references[b]``: the target ids of batch sentence b (no EOS); empty = no reference.
        ``fallbacks[b]``: a second, less preferred reference for it (empty = none)."""
        self.eos_id, self.bonus, self.fallback_bonus = eos_id, bonus, fallback_bonus
        self._vocab, self._column = None, {}
        self.refs = [_Reference(r) for r in references]
        self.fallbacks = [_Reference(r) for r in (fallbacks or [()] * len(self.refs))]
        # the search must be able to write them
        self.token_ids = sorted({t for r in self.refs + self.fallbacks for t in r.ids} | {eos_id})

    def next_token(self, sentence: int, history: Sequence[int]) -> int | None:
        """The token the model wants most after ``history`` (None: no reference)."""
        wanted = self.wanted(sentence, history)
        return wanted[0][0] if wanted else None

    def wanted(self, sentence: int, history: Sequence[int]) -> list[tuple[int, float]]:
        """(token, bonus) pairs for the next step: the leading reference's token
        with ``bonus``, and on a tie of matches the fallback's with ``fallback_bonus``."""
        preferred, fallback = self.refs[sentence], self.fallbacks[sentence]
        if not preferred.ids:
            return []
        size, token = preferred.match(history)
        first = [(self.eos_id if token is None else token, self.bonus)]
        if not fallback.ids:
            return first
        other_size, other = fallback.match(history)
        other = self.eos_id if other is None else other
        if other_size > size:
            return [(other, self.bonus)]
        if other_size == size and other != first[0][0]:
            return first + [(other, self.fallback_bonus)]
        return first

    def __call__(self, logits: torch.Tensor, history: torch.Tensor, sentence: torch.Tensor, vocab: torch.Tensor) -> None:
        if self._vocab is not vocab:  # the searched vocabulary is fixed for a batch
            self._vocab, self._column = vocab, {int(full): i for i, full in enumerate(vocab.tolist())}
        column = self._column
        rows, cols, bonuses = [], [], []
        for row, (hist, sent) in enumerate(zip(history.tolist(), sentence.tolist())):
            for token, bonus in self.wanted(sent, hist):
                if token in column:
                    rows.append(row)
                    cols.append(column[token])
                    bonuses.append(bonus)
        if rows:
            logits[torch.tensor(rows), torch.tensor(cols)] += torch.tensor(bonuses, dtype=logits.dtype,
                                                                           device=logits.device)
