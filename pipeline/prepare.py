"""Turn an original sentence into what the model reads, plus its constraints.

Glossary terms are found in the original text (before OpenCC).  In the model
input each term is replaced by its English target ("inline" mode): MarianMT
copies Latin strings well, so the term tends to come out where the model would
translate it, and the decoder's constraint then guarantees the exact spelling.
``keep`` mode feeds the normalised Chinese and relies on the constraint alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.glossary import Glossary, TermMatch
from pipeline.normalise import Normaliser

SOURCE_TERM_MODES = ("inline", "keep")
_BRACKETED = re.compile(r"\s*[（(]\s*([^（()）]{1,60}?)\s*[)）]")


@dataclass(frozen=True)
class Constraint:
    """English that must appear in the translation of one sentence."""

    source: str  # as written in the article
    target: str
    kind: str = "term"  # "term" (glossary) or "number"


@dataclass(frozen=True)
class TranslationRequest:
    """One unit of model work: ``text`` is the model input."""

    text: str
    constraints: tuple[str, ...] = ()


@dataclass
class PreparedSentence:
    original: str
    normalised: str  # OpenCC output of the whole sentence (shown to users)
    request: TranslationRequest
    terms: list[Constraint] = field(default_factory=list)


class SentencePreparer:
    def __init__(self, normaliser: Normaliser, glossary: Glossary | None = None, source_terms: str = "inline"):
        if source_terms not in SOURCE_TERM_MODES:
            raise ValueError(f"source_terms must be one of {SOURCE_TERM_MODES}")
        self.normaliser = normaliser
        self.glossary = glossary or Glossary()
        self.source_terms = source_terms

    def prepare(self, sentence: str) -> PreparedSentence:
        original = sentence.strip()
        matches = self.glossary.match(original)
        terms = [Constraint(m.surface, m.entry.target, "term") for m in matches]
        model_input = self._model_input(original, matches)
        return PreparedSentence(
            original=original,
            normalised=self.normaliser(original),
            request=TranslationRequest(model_input, required_targets(terms)),
            terms=terms,
        )

    def _model_input(self, text: str, matches: list[TermMatch]) -> str:
        if self.source_terms == "keep" or not matches:
            return self.normaliser(text)
        pieces: list[str] = []
        cursor = 0
        for m in matches:
            if m.start < cursor:
                continue
            pieces.append(self.normaliser(text[cursor:m.start]))
            pieces.append(m.entry.target)
            cursor = m.end
            # 輝達（NVIDIA）: the bracket repeats the target; one copy for the model
            bracket = _BRACKETED.match(text, cursor)
            if bracket and bracket.group(1).casefold() in m.entry.target.casefold():
                cursor = bracket.end()
        pieces.append(self.normaliser(text[cursor:]))
        return _join_latin("".join(pieces))


def required_targets(constraints: list[Constraint]) -> tuple[str, ...]:
    """Distinct targets, dropping one contained in another (its appearance is then implied)."""
    unique = list(dict.fromkeys(c.target for c in constraints))
    return tuple(t for t in unique if not any(t != o and t in o for o in unique))


def _join_latin(text: str) -> str:
    # Collapse runs of spaces an inlined term may leave; CJK needs no spaces.
    return re.sub(r"[ \t]{2,}", " ", text).strip()
