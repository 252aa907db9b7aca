"""Sentences through the translator and back with their checks: what ``translate``
prints and what a briefing's rows hold.

``SentenceTranslator`` prepares sentences (glossary, OpenCC, figures), translates
them in one call and checks each English against its requirements (``presence``,
``qa``); ``assemble`` puts an article's results back into its blocks.  It imports
no reader and no document writer: ``briefing translate`` starts without them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from pipeline.article import Article, QAFlag, TermResult, TranslatedArticle, TranslatedBlock, TranslatedSentence
from pipeline.translate.prepare import ArticleContext, SentencePreparer
from pipeline.translate.presence import found
from pipeline.translate.qa import run_checks, stated


def term_results(constraints, translation: str) -> list[TermResult]:
    """Each constraint and whether its English is in the translation, as the decoder
    credits it: each figure by its own occurrence, no occurrence counted twice."""
    hits = found(constraints, translation)
    return [TermResult(c.source, c.target, c.enforced and hit, c.kind, c.variants, c.value, c.unit, c.unsure)
            for c, hit in zip(constraints, hits)]


def human_flags(terms: Sequence[TermResult], stored: Sequence, english: str) -> list[QAFlag]:
    """One flag per requirement a human's ``english`` does not state (``qa.stated``: the
    presence test, and a figure's value written another way, "7,000 employees" for the
    7,000 of 7000人, as review import judges it): ``reviewer-dropped-term`` /
    ``reviewer-dropped-figure`` when the sentence had the requirement when the English
    was stored (the reviewer chose to drop it), else ``glossary-drift`` (the glossary
    or the figure reading changed since, or the unit came without requirements, as
    another tool's TMX does).  The English is used all the same."""
    left = Counter(_canonical(c) for c in stored)
    flags, said = [], set()
    for t, ok in zip(terms, stated(terms, english)):
        if ok or t.target is None or t.unsure or t.kind not in ("term", "number"):
            continue
        if t.kind == "term":  # a term is one requirement however often the source names it (presence)
            if t.target in said:
                continue
            said.add(t.target)
        what = "glossary term" if t.kind == "term" else "figure"
        if left[t.target.strip()] > 0:
            left[t.target.strip()] -= 1
            name = "reviewer-dropped-term" if t.kind == "term" else "reviewer-dropped-figure"
            flags.append(QAFlag(name, f"{what} {t.source} → {t.target} missing from the human English "
                                      "(it was required when that English was stored)"))
        else:
            flags.append(QAFlag("glossary-drift", f"{what} {t.source} → {t.target} missing from the human English "
                                                  "(not required when that English was stored)"))
    return flags


def with_human_flags(flags: list[QAFlag], terms: Sequence[TermResult], stored: Sequence, english: str) -> list[QAFlag]:
    """The QA flags of a human's English and its ``human_flags``, which name the missing
    terms more precisely than ``term`` (so ``term`` gives way to them)."""
    drift = human_flags(terms, stored, english)
    return [f for f in flags if not (drift and f.name == "term")] + drift


def _canonical(requirement) -> str:
    """A stored requirement's canonical English (a tuple of forms, canonical first, or an old bare string)."""
    return (requirement[0] if isinstance(requirement, (list, tuple)) and requirement else str(requirement)).strip()


class SentenceTranslator:
    """Prepare sentences, translate them in one batch, check the required terms."""

    def __init__(self, preparer: SentencePreparer, translator):
        self.preparer = preparer
        self.translator = translator

    def translate(self, sentences: Sequence[str], context: ArticleContext | None = None) -> list[TranslatedSentence]:
        prepared = [self.preparer.prepare(s, context) for s in sentences]
        english = self.translator.translate([p.request for p in prepared])
        remembered = getattr(self.translator, "last_hits", None) or [False] * len(prepared)
        origins = getattr(self.translator, "last_origins", None) or ["memory" if h else "model" for h in remembered]
        humans = getattr(self.translator, "last_humans", None)
        return self.finish(prepared, english, remembered, origins, humans)

    @staticmethod
    def finish(prepared, english: Sequence[str], remembered: Sequence[bool],
               origins: Sequence[str] | None = None, humans: Sequence | None = None) -> list[TranslatedSentence]:
        """Check each translation's required terms and run the QA checks on the English used;
        a human's English (``humans``: the HumanEntry per sentence, or None) is also checked
        against today's requirements (``human_flags``), whose flags say more than ``term``'s."""
        origins = origins or ["memory" if h else "model" for h in remembered]
        humans = humans or [None] * len(prepared)
        results = []
        for p, text, hit, origin, human in zip(prepared, english, remembered, origins, humans):
            terms = term_results(p.terms, text)
            flags = run_checks(p.original, text, terms)
            stored = tuple(human.constraints) if human is not None else ()
            if human is not None:
                flags = with_human_flags(flags, terms, stored, text)
            results.append(TranslatedSentence(p.original, p.normalised, p.request.text, text, terms, flags, hit,
                                              constraints=p.request.constraints, origin=origin,
                                              human_constraints=stored))
        return results

    def translate_article(self, article: Article) -> TranslatedArticle:
        sentences = [s for b in article.blocks for s in b.sentences]
        return assemble(article, self.translate(sentences + [article.title], ArticleContext.of(article)), self.translator)


def assemble(article: Article, results: list[TranslatedSentence], translator=None) -> TranslatedArticle:
    """Body sentences then the title (the order ``ArticleWork.sentences`` gives) into blocks;
    a reviewer's whole-paragraph English (held by the memory ``translator``) goes on its block."""
    results = list(results)
    title = results.pop()
    blocks, cursor = [], 0
    for block in article.blocks:
        n = len(block.sentences)
        blocks.append(TranslatedBlock(block, results[cursor : cursor + n]))
        cursor += n
    if hasattr(translator, "apply_reviewed_paragraphs"):
        translator.apply_reviewed_paragraphs(blocks)
        for block in blocks:
            if block.reviewed_translation is not None:
                check_reviewed_paragraph(block)
    return TranslatedArticle(article, title.translation, blocks)


def check_reviewed_paragraph(block: TranslatedBlock) -> None:
    """A reviewer's English for a whole paragraph replaces its sentences' English: the
    paragraph's terms, QA checks and ``human_flags`` are of that English.  The paragraph
    is one row, so its flags go on its first sentence."""
    english = block.reviewed_translation
    terms = [t for s in block.sentences for t in s.terms]
    checked = [replace(t, found=hit) for t, hit in zip(terms, found(terms, english))]
    flags = with_human_flags(run_checks(block.block.text, english, checked), checked, block.reviewed_constraints,
                             english)
    cursor = 0
    for i, sentence in enumerate(block.sentences):
        sentence.terms = checked[cursor : cursor + len(sentence.terms)]
        cursor += len(sentence.terms)
        sentence.flags = flags if i == 0 else []
