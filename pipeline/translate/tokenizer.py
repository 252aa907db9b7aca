"""MarianTokenizer's ids and decoding without transformers (or sacremoses).

A warm start would otherwise import transformers for the tokenizer alone, and
MarianTokenizer imports sacremoses for a punctuation normaliser its encoding
never calls (transformers 5.24: ``_tokenize`` is language-code removal and
SentencePiece only; ``normalize`` is a separate method nothing calls).

What MarianTokenizer does, reproduced here:

* encoding: the text is split at its added tokens (``</s>``, ``<unk>``,
  ``<pad>``: none has lstrip/rstrip/single_word set, which ``TokenizerFacts.of``
  checks); each other chunk loses a leading ``>>xx<<`` language code (kept as a
  token) and is encoded by the source SentencePiece model (the target one for
  ``text_target``); pieces map through vocab.json, unknown ones to ``<unk>``;
  ``</s>`` is appended when special tokens are added;
* decoding: ids map back through vocab.json (else the target model's piece);
  special ids are skipped when asked; pieces between special tokens are joined
  by the target SentencePiece model, "▁" becomes a space, the result is stripped
  (no clean-up of tokenization spaces: ``TokenizerFacts.of`` checks it is off).

The facts that depend on the tokenizer's configuration (added tokens, special
ids) are read from the real MarianTokenizer when the model is prepared and
saved with it, so they cannot drift from what transformers would do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

SPIECE_UNDERLINE = "▁"


@dataclass(frozen=True)
class TokenizerFacts:
    added: dict  # added token text -> id
    special_ids: list  # all_special_ids, in MarianTokenizer's order
    unk_id: int
    eos_id: int
    pad_id: int

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TokenizerFacts":
        return cls(**data)

    @classmethod
    def of(cls, tokenizer) -> "TokenizerFacts | None":
        """The facts of a transformers MarianTokenizer, or None when it does something
        this module does not reproduce (then the prepared file is not written)."""
        if getattr(tokenizer, "separate_vocabs", False) or getattr(tokenizer, "clean_up_tokenization_spaces", False):
            return None
        if getattr(tokenizer, "split_special_tokens", False):
            return None
        added = {}
        for index, token in tokenizer.added_tokens_decoder.items():
            if token.lstrip or token.rstrip or token.single_word or getattr(token, "normalized", False) and not token.special:
                return None
            added[token.content] = int(index)
        return cls(added, [int(i) for i in tokenizer.all_special_ids], int(tokenizer.unk_token_id),
                   int(tokenizer.eos_token_id), int(tokenizer.pad_token_id))


class Encoded:
    def __init__(self, input_ids: list[int]):
        self.input_ids = input_ids


class MarianPieces:
    """The parts of MarianTokenizer's interface ``MarianTranslator`` uses, same ids, same text."""

    def __init__(self, model_dir: str | Path, facts: TokenizerFacts):
        import sentencepiece

        model_dir = Path(model_dir)
        self.spm_source = sentencepiece.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
        self.spm_target = sentencepiece.SentencePieceProcessor(model_file=str(model_dir / "target.spm"))
        self.encoder: dict[str, int] = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
        self.decoder = {v: k for k, v in self.encoder.items()}
        self.facts = facts
        self.added_decoder = {i: text for text, i in facts.added.items()}
        self.all_special_ids = list(facts.special_ids)
        self.all_special_tokens = [self._token(i) for i in facts.special_ids]
        self.unk_token_id, self.eos_token_id, self.pad_token_id = facts.unk_id, facts.eos_id, facts.pad_id
        self.unk_token = self._token(facts.unk_id)
        # leftmost, then longest (transformers' trie): longest first in the alternation
        names = sorted(facts.added, key=len, reverse=True)
        self._added_re = re.compile("(" + "|".join(map(re.escape, names)) + ")") if names else None

    # -- encoding
    def __call__(self, text: str | None = None, *, text_target: str | None = None, add_special_tokens: bool = True,
                 truncation: bool = False) -> Encoded:
        """``tokenizer(text)`` or ``tokenizer(text_target=...)``, one string (no truncation: callers split)."""
        if truncation:
            raise ValueError("truncation is not supported")
        source = text is not None
        ids = self.convert_tokens_to_ids(self.tokenize(text if source else text_target, target=not source))
        return Encoded(ids + [self.eos_token_id] if add_special_tokens else ids)

    def tokenize(self, text: str, target: bool = False) -> list[str]:
        spm = self.spm_target if target else self.spm_source
        chunks = self._added_re.split(text) if self._added_re else [text]
        tokens: list[str] = []
        for i, chunk in enumerate(chunks):
            if i % 2:  # an added token (the splitting group)
                tokens.append(chunk)
            elif chunk:
                code, rest = _language_code(chunk)
                tokens += code + spm.encode(rest, out_type=str)
        return tokens

    def convert_tokens_to_ids(self, tokens: Sequence[str]) -> list[int]:
        unk = self.encoder[self.unk_token]
        return [self.facts.added[t] if t in self.facts.added else self.encoder.get(t, unk) for t in tokens]

    def get_vocab(self) -> dict[str, int]:
        return {**self.encoder, **self.facts.added}

    # -- decoding
    def convert_ids_to_tokens(self, ids: Sequence[int], skip_special_tokens: bool = False) -> list[str]:
        skip = set(self.all_special_ids) if skip_special_tokens else set()
        return [self._token(int(i)) for i in ids if int(i) not in skip]

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False, use_source_tokenizer: bool = False) -> str:
        spm = self.spm_source if use_source_tokenizer else self.spm_target
        special = set(self.all_special_tokens)
        out, pieces = "", []
        for token in self.convert_ids_to_tokens(ids, skip_special_tokens):
            if token in special:
                out += spm.decode_pieces(pieces) + token + " "
                pieces = []
            else:
                pieces.append(token)
        out += spm.decode_pieces(pieces)
        return out.replace(SPIECE_UNDERLINE, " ").strip()

    def _token(self, index: int) -> str:
        if index in self.added_decoder:
            return self.added_decoder[index]
        if index in self.decoder:
            return self.decoder[index]
        piece = self.spm_target.IdToPiece(index)
        return piece if piece else self.unk_token


def _language_code(text: str) -> tuple[list[str], str]:
    """A leading >>xx<< language code as its own token (MarianTokenizer.remove_language_code)."""
    if text.startswith(">>") and (end := text.find("<<")) != -1:
        return [text[: end + 2]], text[end + 2 :]
    return [], text
