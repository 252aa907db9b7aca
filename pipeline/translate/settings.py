"""Decoding settings, kept apart from ``decoding`` so reading them needs no torch."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DecodingSettings:
    """Every setting that changes the output; stamped into each run's signature."""

    beam_size: int = 4
    length_penalty: float = 1.0
    # Output length cap tied to the source: ratio * source tokens + extra.  Stops
    # runaway loops on real models; raised when constraints need the room.
    max_length_ratio: float = 1.5
    max_length_extra: int = 10
    # Longer inputs are split at clause boundaries, never truncated.
    max_input_tokens: int = 256
    # int8: dynamic int8 quantisation of every Linear layer (as CTranslate2
    # and argos-translate deploy OPUS-MT); fp32: the weights as published.
    precision: str = "int8"
    # Score only the target vocabulary (the pieces target.spm can write):
    # opus-mt-zh-en shares one 65k vocabulary between Chinese and English, and
    # the output projection is the most expensive layer.
    target_vocab_only: bool = True
    # Loop guard: no n-gram of this size may occur twice in a hypothesis
    # (0 = off).  Constraint tokens are exempt, so a term can always be placed.
    no_repeat_ngram_size: int = 0
    # Benchmarks only: decode exactly to the length cap (random weights never
    # stop on their own, and compared paths must do the same work).
    force_length: bool = False

    def describe(self) -> str:
        return (
            f"beam={self.beam_size} lenpen={self.length_penalty} "
            f"maxlen={self.max_length_ratio}x+{self.max_length_extra} maxin={self.max_input_tokens} "
            f"{self.precision} vocab={'target' if self.target_vocab_only else 'full'}"
            + (f" norepeat={self.no_repeat_ngram_size}" if self.no_repeat_ngram_size else "")
            + (" forced-length" if self.force_length else "")
        )

    def as_dict(self) -> dict:
        return asdict(self)

    def max_new_tokens(self, source_tokens: int, model_limit: int) -> int:
        cap = math.ceil(self.max_length_ratio * source_tokens) + self.max_length_extra
        return max(1, min(cap, model_limit))
