"""Batch orchestration: articles in, briefings and a run report out.

Stages meet here and nowhere else: ingest -> prepare (glossary, OpenCC) ->
translate -> QA -> docx.  A bad article is reported and the batch goes on.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.article import (
    Article,
    TermResult,
    TranslatedArticle,
    TranslatedBlock,
    TranslatedSentence,
)
from pipeline.briefing.document import BriefingOptions, render_briefing
from pipeline.errors import BriefingError, ModelLoadError
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES, read_article
from pipeline.briefing.outputs import Manifest, sha256
from pipeline.translate.prepare import SentencePreparer
from pipeline.translate.presence import is_present
from pipeline.translate.qa import run_checks
from pipeline.briefing.report import ArticleRecord, RunReport
from pipeline.signature import Signature


def term_result(c, translation: str) -> TermResult:
    found = c.enforced and is_present(c.target, translation, c.variants)
    return TermResult(c.source, c.target, found, c.kind, c.variants, c.value, c.unit, c.unsure)


class SentenceTranslator:
    """Prepare sentences, translate them in one batch, check the required terms."""

    def __init__(self, preparer: SentencePreparer, translator):
        self.preparer = preparer
        self.translator = translator

    def translate(self, sentences: Sequence[str]) -> list[TranslatedSentence]:
        prepared = [self.preparer.prepare(s) for s in sentences]
        english = self.translator.translate([p.request for p in prepared])
        remembered = getattr(self.translator, "last_hits", None) or [False] * len(prepared)
        origins = getattr(self.translator, "last_origins", None) or ["memory" if h else "model" for h in remembered]
        results = []
        for p, text, hit, origin in zip(prepared, english, remembered, origins):
            terms = [term_result(c, text) for c in p.terms]
            flags = run_checks(p.original, text, terms)
            results.append(TranslatedSentence(p.original, p.normalised, p.request.text, text, terms, flags, hit,
                                              constraints=p.request.constraints, origin=origin))
        return results

    def translate_article(self, article: Article) -> TranslatedArticle:
        sentences = [s for b in article.blocks for s in b.sentences]
        results = self.translate(sentences + [article.title])
        title = results.pop()
        blocks, cursor = [], 0
        for block in article.blocks:
            n = len(block.sentences)
            blocks.append(TranslatedBlock(block, results[cursor : cursor + n]))
            cursor += n
        if hasattr(self.translator, "apply_reviewed_paragraphs"):  # a reviewer's whole-paragraph English
            self.translator.apply_reviewed_paragraphs(blocks)
        return TranslatedArticle(article, title.translation, blocks)


@dataclass
class RunOptions:
    inputs: list[Path]
    out_dir: Path
    briefing: BriefingOptions = field(default_factory=BriefingOptions)
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    debug: bool = False
    force: bool = False  # overwrite briefings even if a reader may have edited them
    write_index: bool = True


Progress = Callable[[int, int, ArticleRecord], None]


def run_batch(
    paths: Sequence[Path],
    options: RunOptions,
    translator: SentenceTranslator,
    signature: Signature,
    progress: Progress | None = None,
    stop_requested: Callable[[], bool] = lambda: False,
) -> RunReport:
    """Translate every article; ``stop_requested`` is asked between articles (Ctrl-C)."""
    report = RunReport(signature=signature, started_at=datetime.now(timezone.utc))
    manifest = Manifest(options.out_dir)
    for index, path in enumerate(paths, start=1):
        if stop_requested():
            report.interrupted = True
            break
        record = _one_article(path, options, translator, signature, manifest)
        report.articles.append(record)
        report.write(options.out_dir)  # after every article: a killed run still leaves a true report
        if progress:
            progress(index, len(paths), record)
    report.not_started = [str(p) for p in paths[len(report.articles):]]
    report.finished_at = datetime.now(timezone.utc)
    if options.write_index and report.articles:
        from pipeline.briefing.index import INDEX_NAME, render_index

        data = render_index(report.articles, signature, options.briefing.page_size)
        report.index = str(manifest.write_briefing(options.out_dir / INDEX_NAME, data, force=options.force))
    report.write(options.out_dir)
    return report


def _one_article(path: Path, options: RunOptions, translator: SentenceTranslator, signature: Signature,
                 manifest: Manifest) -> ArticleRecord:
    start = time.perf_counter()
    output = options.out_dir / f"{path.stem}.docx"
    record = ArticleRecord(input=str(path), output=None, status="error")
    try:
        article = read_article(path, options.max_input_bytes)
        record.encoding = article.encoding
        translated = translator.translate_article(article)
        data = render_briefing(translated, signature, options.briefing)
        written = manifest.write_briefing(output, data, force=options.force)
        if written != output:
            record.note = f"{output.name} differs from the briefing this tool wrote (edited by a reader?); kept it, wrote {written.name}"
        record.output_sha256 = sha256(data)
        record.fill_from(translated)
        record.output = str(written)
        record.status = "ok"
    except ModelLoadError:
        raise  # no article can be translated: the run stops with exit 2
    except BriefingError as err:
        record.error = str(err)
    except Exception as err:  # a bug must not sink the batch; --debug shows where
        detail = " ".join(str(err).split())[:300]  # one line, whatever the exception says
        record.error = f"{path}: internal error: {type(err).__name__}: {detail}"
        if options.debug:
            traceback.print_exc()
    record.seconds = round(time.perf_counter() - start, 3)
    return record

