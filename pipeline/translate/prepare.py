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
from pipeline.translate.presence import requirement_index, unmet

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
    # canonical target first (the only one the search proposes), then the forms
    # the model may write instead (presence.accepted_forms).
    constraints: tuple[tuple[str, ...], ...] = ()
    # An explicit output length cap in tokens (benchmarks give every compared
    # path the same); None derives it from the input length and the settings.
    max_new_tokens: int | None = None
    # The sentence as written (before OpenCC and term inlining): the key of a
    # reviewer's translation, which must not depend on model-side settings.
    source: str = ""
    # Per requirement, where in ``text`` its source stands (the inlined English, or
    # the Chinese in keep mode): a sentence too long for the model is split, and each
    # requirement goes to the piece holding it.  (-1, -1) where it is not known.
    anchors: tuple[tuple[int, int], ...] = ()
    # Per requirement, whether it shares an occurrence taken by a longer form
    # (presence.shares_occurrence: True for a glossary term, never for a figure).
    # Empty: nobody shares, the rule requests stored before this field was added
    # were made under (stricter, so what met it still meets this).
    shares: tuple[bool, ...] = ()


@dataclass(frozen=True)
class ArticleContext:
    """What the rest of the article says about each of its sentences.

    ``text``: the whole article (a glossary entry's ``requires`` words may be anywhere
    in it: 蘋果 is Apple in an article that mentions the iPhone); ``lead``: its title
    and first paragraph, which say what the article is about (a bare 元 in an article
    about Hong Kong is not New Taiwan dollars)."""

    text: str = ""
    lead: str = ""

    @classmethod
    def of(cls, article) -> "ArticleContext":
        """The context of a ``pipeline.article.Article``."""
        paragraphs = ["".join(b.sentences) for b in article.blocks if not b.is_heading]
        body = "\n".join("".join(b.sentences) for b in article.blocks)
        return cls(text=f"{article.title}\n{body}", lead=f"{article.title}\n{paragraphs[0] if paragraphs else ''}")


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

    def prepare(self, sentence: str, context: ArticleContext | None = None) -> PreparedSentence:
        original = sentence.strip()
        context = context or ArticleContext()
        # A match not on a word boundary keeps its target for display, is not enforced, and says why.
        spans = [(m.start, m.end, Constraint(m.surface, m.entry.target, "term", variants=m.entry.variants,
                                             unsure=m.reason if not m.sure else ""))
                 for m in self.glossary.match(original, context=context.text)]
        if self.numbers is not None:  # a figure inside an enforced glossary term belongs to the term
            spans += [f for f in self.numbers.find(original, context.lead)
                      if not any(s < f[1] and f[0] < e for s, e, c in spans if c.enforced)]
        spans.sort(key=lambda span: span[0])
        constraints = [c for _, _, c in spans] + self._forbidden(original)  # never enforced
        model_input = self._model_input(original, spans)
        enforced = [(i, c) for i, (_, _, c) in enumerate(spans) if c.enforced]
        required = requirement_index([c for _, c in enforced])
        return PreparedSentence(
            original=original,
            normalised=self.normaliser(original),
            request=TranslationRequest(model_input.text, required.forms, source=original,
                                       anchors=_anchors(required.forms, enforced, model_input.at),
                                       shares=required.shares),
            terms=constraints,
        )

    def _forbidden(self, text: str) -> list[Constraint]:
        """English the glossary forbids for the terms of this sentence: for the QA check, never the model."""
        return [Constraint(m.surface, m.entry.target, "forbidden", m.entry.variants)
                for m in self.glossary.forbidden_matches(text)]

    def _model_input(self, text: str, spans: list[tuple[int, int, Constraint]]) -> "_ModelInput":
        """What the model reads: the normalised text with each enforced term's English in
        its place ("keep" mode: the normalised Chinese), and where each span landed."""
        built = _ModelInput()
        if not spans:
            built.add(self.normaliser(text))
            return built.finish()
        cursor = 0
        for index, (start, end, constraint) in enumerate(spans):
            if start < cursor or not constraint.enforced:
                continue
            built.add(self.normaliser(text[cursor:start]))
            if self.source_terms == "keep":
                built.add(self.normaliser(text[start:end]), index)
                cursor = end
                continue
            built.add(constraint.target, index)
            cursor = end
            # 輝達（NVIDIA）: the bracket repeats the target; one copy for the model
            bracket = _BRACKETED.match(text, cursor)
            if bracket and bracket.group(1).casefold() in constraint.target.casefold():
                cursor = bracket.end()
        built.add(self.normaliser(text[cursor:]))
        return built.finish()


class _ModelInput:
    """The model input built piece by piece, with where each span's piece landed.

    Runs of spaces an inlined term may leave collapse to one, and inlined English
    is spaced from a Latin letter or digit beside it (輝達H200晶片 is "NVIDIA H200
    chip", not "NVIDIAH200chip"; 台積電2330 "TSMC 2330")."""

    def __init__(self) -> None:
        self.text = ""
        self.at: dict[int, tuple[int, int]] = {}  # span index -> (start, end) in text
        self._after_term = False

    def add(self, piece: str, span: int | None = None) -> None:
        piece = _SPACES.sub(" ", piece)
        if self.text.endswith((" ", "\t")):
            piece = piece.lstrip(" \t")
        if piece and self.text and (span is not None or self._after_term) \
                and _latin(self.text[-1]) and _latin(piece[0]):
            self.text += " "
        if span is not None:
            self.at[span] = (len(self.text), len(self.text) + len(piece))
        self.text += piece
        if piece:
            self._after_term = span is not None

    def finish(self) -> "_ModelInput":
        lead = len(self.text) - len(self.text.lstrip())
        self.text = self.text.strip()
        self.at = {i: (max(0, s - lead), min(len(self.text), e - lead)) for i, (s, e) in self.at.items()}
        return self


_SPACES = re.compile(r"[ \t]{2,}")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _anchors(required: tuple[tuple[str, ...], ...], enforced: list[tuple[int, Constraint]],
             at: dict[int, tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Per requirement, where its source stands in the model input: the first enforced
    constraint not yet used whose target it is (a repeated term is required once: its
    first occurrence)."""
    unused = list(enforced)
    anchors = []
    for forms in required:
        found = next(((i, c) for i, c in unused if c.target.strip() == forms[0]), None)
        if found is None:
            anchors.append((-1, -1))
            continue
        unused.remove(found)
        anchors.append(at.get(found[0], (-1, -1)))
    return tuple(anchors)


def required_targets(constraints: list[Constraint]) -> tuple[tuple[str, ...], ...]:
    """What the decoder must write, as the accepted forms (canonical first; see
    ``presence.accepted_forms``) of each enforced constraint.  Figures count per
    occurrence (two 70% in the source are two facts; 70% is not implied by
    170%); a glossary term counts once per sentence, since English refers back
    to a name it has just written (he, the company) and forcing a repeat is the
    duplication readers see.  Nothing is dropped because its English is inside
    another's: a term inside a longer term ("between" in "Fights between") is
    its own requirement, but one occurrence of the longer one meets both, since
    glossary terms share an occurrence (``presence.requirement_index`` gives the
    flags, ``TranslationRequest.shares`` carries them); figures never do."""
    return requirement_index(constraints).forms


def unmet_requirements(required: tuple[tuple[str, ...], ...], english: str,
                       shares: tuple[bool, ...] = ()) -> list[tuple[str, ...]]:
    """The requirements ``english`` does not meet (one entry per missing
    occurrence): empty when the guarantee held.  Boundary-aware, any accepted
    form, and occurrences credited by ``presence.met_requirements`` (give the
    request's ``shares``), exactly as the decoder credits them."""
    return unmet(required, english, shares)
