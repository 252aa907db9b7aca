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

from pipeline.glossary import Glossary
from pipeline.translate.normalise import Normaliser

SOURCE_TERM_MODES = ("inline", "keep")
_BRACKETED = re.compile(r"\s*[（(]\s*([^（()）]{1,60}?)\s*[)）]")


@dataclass(frozen=True)
class Constraint:
    """English that must appear in the translation of one sentence.

    ``target`` is None when the stage that found it is not sure of the English
    (an ambiguous figure, a term not on a word boundary): then nothing is
    enforced and ``unsure`` says why, for a reviewer.  A wrong figure enforced
    is worse than none.
    """

    source: str  # as written in the article
    target: str | None
    kind: str = "term"  # "term" (glossary) or "number"
    variants: tuple[str, ...] = ()  # other English forms that also satisfy it (data centers)
    value: str = ""  # figures: the parsed quantity as a plain decimal ("250000000000", "-3.5%")
    unit: str = ""  # figures: US$, NT$, %, people, times, ... or ""
    unsure: str = ""  # why nothing is enforced (target None)

    @property
    def enforced(self) -> bool:
        # kind "forbidden": English that must NOT appear; QA checks it, nothing forces it
        return self.target is not None and not self.unsure and self.kind != "forbidden"


@dataclass(frozen=True)
class TranslationRequest:
    """One unit of model work: ``text`` is the model input."""

    text: str
    # One entry per occurrence of required English: the accepted forms, the
    # canonical target first (then variants and the sentence-initial capital).
    constraints: tuple[tuple[str, ...], ...] = ()
    # An explicit output length cap in tokens (benchmarks give every compared
    # path the same); None derives it from the input length and the settings.
    max_new_tokens: int | None = None
    # The sentence as written (before OpenCC and term inlining): the key of a
    # reviewer's translation, which must not depend on model-side settings.
    source: str = ""


@dataclass
class PreparedSentence:
    original: str
    normalised: str  # OpenCC output of the whole sentence (shown to users)
    request: TranslationRequest
    terms: list[Constraint] = field(default_factory=list)


class SentencePreparer:
    """Finds a sentence's glossary terms (and, given a ``NumberFinder``, its
    quantities), and builds the model input and the constraints."""

    def __init__(self, normaliser: Normaliser, glossary: Glossary | None = None, source_terms: str = "inline",
                 numbers=None):
        if source_terms not in SOURCE_TERM_MODES:
            raise ValueError(f"source_terms must be one of {SOURCE_TERM_MODES}")
        self.normaliser = normaliser
        self.glossary = glossary or Glossary()
        self.source_terms = source_terms
        self.numbers = numbers

    def prepare(self, sentence: str) -> PreparedSentence:
        original = sentence.strip()
        # A match not on a word boundary keeps its target for display, is not enforced, and says why.
        spans = [(m.start, m.end, Constraint(m.surface, m.entry.target, "term", variants=m.entry.variants,
                                             unsure=m.reason if not m.sure else ""))
                 for m in self.glossary.match(original)]
        if self.numbers is not None:  # a figure inside an enforced glossary term belongs to the term
            spans += [f for f in self.numbers.find(original)
                      if not any(s < f[1] and f[0] < e for s, e, c in spans if c.enforced)]
        spans.sort(key=lambda span: span[0])
        constraints = [c for _, _, c in spans] + self._forbidden(original)  # never enforced
        return PreparedSentence(
            original=original,
            normalised=self.normaliser(original),
            request=TranslationRequest(self._model_input(original, spans),
                                       required_targets([c for c in constraints if c.enforced]), source=original),
            terms=constraints,
        )

    def _forbidden(self, text: str) -> list[Constraint]:
        """English the glossary forbids for the terms of this sentence: for the QA check, never the model."""
        return [Constraint(m.surface, m.entry.target, "forbidden", m.entry.variants)
                for m in self.glossary.forbidden_matches(text)]

    def _model_input(self, text: str, spans: list[tuple[int, int, Constraint]]) -> str:
        if self.source_terms == "keep" or not spans:
            return self.normaliser(text)
        pieces: list[str] = []
        cursor = 0
        for start, end, constraint in spans:
            if start < cursor or not constraint.enforced:
                continue
            pieces.append(self.normaliser(text[cursor:start]))
            pieces.append(constraint.target)
            cursor = end
            # 輝達（NVIDIA）: the bracket repeats the target; one copy for the model
            bracket = _BRACKETED.match(text, cursor)
            if bracket and bracket.group(1).casefold() in constraint.target.casefold():
                cursor = bracket.end()
        pieces.append(self.normaliser(text[cursor:]))
        return _join_latin("".join(pieces))


def required_targets(constraints: list[Constraint]) -> tuple[tuple[str, ...], ...]:
    """What the decoder must write, as the accepted forms (canonical first; see
    ``presence.accepted_forms``) of each enforced constraint.  Figures count per
    occurrence (two 70% in the source are two facts; 70% is not implied by
    170%); a glossary term counts once per sentence, since English refers back
    to a name it has just written (he, the company) and forcing a repeat is the
    duplication readers see.  Nothing is dropped because its English is inside
    another's."""
    from pipeline.translate.presence import requirement_index

    return requirement_index(constraints)[0]


def unmet_requirements(required: tuple[tuple[str, ...], ...], english: str) -> list[tuple[str, ...]]:
    """The requirements ``english`` does not meet (one entry per missing
    occurrence): empty when the guarantee held.  Boundary-aware, any accepted
    form, and one occurrence in the English meets one requirement
    (``presence.met_requirements``), exactly as the decoder credits them."""
    from pipeline.translate.presence import unmet

    return unmet(required, english)


def _join_latin(text: str) -> str:
    # Collapse runs of spaces an inlined term may leave; CJK needs no spaces.
    return re.sub(r"[ \t]{2,}", " ", text).strip()
