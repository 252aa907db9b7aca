"""Batch orchestration: articles in, briefings and a run report out.

Stages meet here and nowhere else: ingest -> prepare (glossary, OpenCC) ->
translate -> QA -> docx.  A bad article is reported and the batch goes on.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.article import Article, TranslatedArticle
from pipeline.briefing.document import BriefingOptions, render_briefing
from pipeline.errors import BriefingError, ModelLoadError
from pipeline.ingest.readers import read_input
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES
from pipeline.briefing.outputs import Manifest, sha256
from pipeline.translate.prepare import ArticleContext, SentencePreparer
from pipeline.translate.sentences import SentenceTranslator, assemble
from pipeline.briefing.report import ArticleRecord, RunReport
from pipeline.signature import Signature


@dataclass
class RunOptions:
    inputs: list[Path]
    out_dir: Path
    briefing: BriefingOptions = field(default_factory=BriefingOptions)
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    debug: bool = False
    force: bool = False  # overwrite briefings even if a reader may have edited them
    write_index: bool = True
    # Sentences planned together: batches are length-sorted across the articles
    # of a window; a briefing is written as soon as its article is complete.
    window_sentences: int = 128
    batch_size: int = 16  # sentences per planned batch (the translator's own batch size)
    fetch_timeout: float = 30.0  # seconds for a link (read_input's timeout)
    write_digest: bool = True  # OUT/digest.docx, the page readers open first
    # From feeds (pipeline/feeds/expand.py): the item links (the ledger is asked whether
    # their text was briefed before, and told when they are), items skipped as briefed
    # before (link, why), and inputs whose error is known already (a link that could not
    # be fetched or a feed that could not be read: not fetched again).
    feed_items: frozenset = frozenset()
    skipped: tuple = ()
    known_errors: dict = field(default_factory=dict)


# progress(sentences_done, sentences_total, record): record is set when an article is finished.
# Inputs are read lazily, so sentences_total counts the articles read so far (it grows).
Progress = Callable[[int, int, "ArticleRecord | None"], None]


def run_batch(
    paths: Sequence[Path],
    options: RunOptions,
    translator: SentenceTranslator,
    signature: Signature,
    progress: Progress | None = None,
    stop_requested: Callable[[], bool] = lambda: False,
    engine=None,
) -> RunReport:
    """Translate every article; ``stop_requested`` is asked between batches (Ctrl-C).

    ``engine`` (default: local, in this process) decodes the planned batches;
    ingest, the translation memory, the briefings and the report stay here."""
    return _Run(paths, options, translator, signature, progress, stop_requested, engine).execute()


class _Run:
    def __init__(self, paths, options, translator, signature, progress, stop_requested, engine):
        from pipeline.engines.local import LocalEngine
        from pipeline.engines.plan import CorpusPlanner

        self.paths, self.options, self.translator = list(paths), options, translator
        self.signature, self.progress, self.stop_requested = signature, progress, stop_requested
        self.report = RunReport(signature=signature, started_at=datetime.now(timezone.utc))
        self.manifest = Manifest(options.out_dir)
        self.records: dict[int, ArticleRecord] = {}
        model = translator.translator
        memory, context = getattr(model, "memory", None), getattr(model, "context", None)
        self.engine = engine or LocalEngine(model_loader(model))
        self.planner = CorpusPlanner(translator.preparer, options.batch_size, memory, context)
        self.fuzzy = FuzzyMatcher(memory)
        self.done = self.total = self.remembered = 0
        # Records that are no input's: feed items skipped as briefed before.
        self.extra = [ArticleRecord(input=link, output=None, status="skipped", note=why)
                      for link, why in options.skipped]
        self.report.articles = list(self.extra)
        self.ledger = None
        if options.feed_items:
            from pipeline.feeds.ledger import Ledger

            self.ledger = Ledger(options.out_dir)
        self.text_keys: dict[int, str] = {}  # feed items: the text key the ledger records once briefed
        self.digest: dict[int, object] = {}  # DigestEntry per briefed input
        # Seconds of the run's work that were each article's own: reading it, its share of
        # every batch that decoded its sentences, writing it (what its progress line says).
        self.own: Counter = Counter()
        from pipeline.ingest.names import output_names

        # Two inputs named news.txt get news.docx and news (b).docx: nothing is overwritten within a run.
        self.stems = output_names(self.paths)

    def execute(self) -> RunReport:
        from pipeline.engines.plan import iter_windows

        self._write_report()  # before anything else: a run killed before its first article still leaves one
        # Inputs are read lazily, window by window: one bad or huge article never stops the
        # others from being written, and memory holds only the window in flight.
        groups = iter_windows(self._read_each(), self.options.window_sentences)
        # Ray plans every window up front (one job, one actor pool), so it reads every input
        # first; local reads, plans and decodes window by window.
        plan_ahead = getattr(self.engine, "name", "local") == "ray"
        steps = iter([list(groups)] if plan_ahead else ([g] for g in groups))
        try:
            while True:
                if self.stop_requested():  # asked before the next window is read
                    break
                step = next(steps, None)
                if step is None or not self._decode([self._plan(g) for g in step]):
                    break
        finally:
            # Stopped with inputs left (a stop after the last article is no interruption).
            self.report.interrupted = len(self.records) < len(self.paths)
            self.engine.close()
        return self._close()

    def _read_each(self):
        """The readable inputs as ArticleWork, one at a time, as the windows ask for them; an
        unreadable one is recorded as an error there and then.  ``self.total`` grows by each
        article's sentences (titles too) as it is read: the progress total is what has been
        read so far, never a guess."""
        from pipeline.engines.plan import ArticleWork

        for index, path in enumerate(self.paths):
            start = time.perf_counter()
            article, error = read_article(path, self.options, keep_page_as=self._kept_page(path))
            if article is None:
                self._record(index, ArticleRecord(input=str(path), output=None, status="error", error=error))
                continue
            if self._briefed_before(index, path, article):
                continue
            work = ArticleWork(index, article, started=start)
            self.own[index] += time.perf_counter() - start
            self.total += len(work.sentences)
            yield work

    def _briefed_before(self, index: int, path, article) -> bool:
        """A feed item whose text this output folder has briefed under another link is
        skipped (recorded as such); otherwise its text key is kept for the ledger."""
        if self.ledger is None or str(path) not in self.options.feed_items:
            return False
        from pipeline.feeds.ledger import text_key

        key = text_key(article)
        earlier = self.ledger.briefed_as(key)
        if earlier is not None and earlier != str(path):
            self._record(index, ArticleRecord(input=str(path), output=None, status="skipped",
                                              note=f"the same text as {earlier}, briefed before"))
            return True
        self.text_keys[index] = key
        return False

    def _kept_page(self, path):
        """A link's page is kept beside its briefing, for provenance."""
        from pipeline.ingest.fetch import kept_page_path
        from pipeline.ingest.sources import is_link

        return kept_page_path(self.options.out_dir, self.stems[path]) if is_link(path) else None

    def _plan(self, group):
        plan = self.planner.plan(group)
        known = sum(e is not None for w in plan.works for e in w.english)  # the memory's, before decoding
        self.remembered += known
        self._advance(known)
        return plan

    def _advance(self, sentences: int) -> None:
        self.done += sentences
        if self.progress and sentences:
            self.progress(self.done, self.total, None)

    def _decode(self, plans) -> bool:
        """Write what needs no decoding, then decode and write as articles complete; False when stopped."""
        for plan in plans:
            for work in plan.works:
                if work.complete:
                    self._finish(work)
        batches = [b for plan in plans for b in plan.batches]
        incomplete = [w for plan in plans for w in plan.works if not w.complete]
        try:
            last = time.perf_counter()
            for results in self.engine.run(batches):
                last = self._share_time(results, last)
                touched, filled = self.planner.accept(results)
                self._advance(filled)
                for work in touched:
                    if work.complete:
                        self._finish(work)
                if self.stop_requested():
                    return False
        except ModelLoadError:
            raise  # no article can be translated: the run stops with exit 2
        except Exception as err:  # the window's unfinished articles fail; the run goes on
            self._fail([w for w in incomplete if not w.complete and w.index not in self.records], err)
        return True

    def _share_time(self, results, since: float) -> float:
        """Give each article of a decoded batch its share (by sentences) of the time it took."""
        now = time.perf_counter()
        for index, rows in Counter(r["article"] for r in results).items():
            self.own[index] += (now - since) * rows / len(results)
        return now

    def _finish(self, work) -> None:
        finishing = time.perf_counter()
        path = self.paths[work.index]
        record = ArticleRecord(input=str(path), output=None, status="error", encoding=work.article.encoding)
        output = self.options.out_dir / f"{self.stems[path]}.docx"
        try:
            results = SentenceTranslator.finish(work.prepared, work.english, work.from_memory, work.origins, work.humans)
            translated = assemble(work.article, results, self.translator.translator)
            self.fuzzy.attach(translated)
            data = render_briefing(translated, self.signature, self.options.briefing)
            written = self.manifest.write_briefing(output, data, force=self.options.force)
            if written != output:
                record.note = f"{output.name} differs from the briefing this tool wrote (edited by a reader?); kept it, wrote {written.name}"
            record.output_sha256 = sha256(data)
            record.fill_from(translated)
            record.output = str(written)
            record.status = "ok"
            self._remember(work.index, translated, written)
        except BriefingError as err:
            record.error = str(err)
        except Exception as err:  # a bug must not sink the batch; --debug shows where
            record.error = _internal(path, err, self.options.debug)
        self.own[work.index] += time.perf_counter() - finishing
        record.seconds = round(self.own[work.index], 3)
        work.article = work.prepared = None  # free the text: a long run holds only what is in flight
        self._record(work.index, record)

    def _remember(self, index: int, translated: TranslatedArticle, written: Path) -> None:
        """What the digest says of a briefed article; a feed item goes into the ledger."""
        from pipeline.briefing.digest import DigestEntry

        self.digest[index] = DigestEntry.of(translated, written.name)
        if self.ledger is not None and index in self.text_keys:
            self.ledger.record(str(self.paths[index]), self.text_keys[index], written.name)

    def _fail(self, works, err: Exception) -> None:
        for work in works:
            path = self.paths[work.index]
            record = ArticleRecord(input=str(path), output=None, status="error",
                                   error=_internal(path, err, self.options.debug))
            record.seconds = round(time.perf_counter() - work.started, 3)
            self._record(work.index, record)

    def _record(self, index: int, record: ArticleRecord) -> None:
        self.records[index] = record
        # input order, whatever finished first; then what was no input's (skipped items, unreadable feeds)
        self.report.articles = [self.records[i] for i in sorted(self.records)] + self.extra
        self._write_report()  # after every article: a killed run still leaves a true report
        if self.progress:
            self.progress(self.done, self.total, record)

    def _write_report(self) -> None:
        """The report as things stand: what finished, and what has not started yet."""
        self.report.not_started = [str(p) for i, p in enumerate(self.paths) if i not in self.records]
        self.report.write(self.options.out_dir)

    def _close(self) -> RunReport:
        report, options = self.report, self.options
        report.not_started = [str(p) for i, p in enumerate(self.paths) if i not in self.records]
        report.finished_at = datetime.now(timezone.utc)
        report.sentences_translated, report.sentences_remembered = self.done, self.remembered
        if options.write_index and report.articles:
            from pipeline.briefing.index import INDEX_NAME, render_index

            data = render_index(report.articles, self.signature, options.briefing.page_size,
                                author=options.briefing.author)
            report.index = str(self.manifest.write_briefing(options.out_dir / INDEX_NAME, data, force=options.force))
        if options.write_digest and self.digest:
            report.digest = str(self._write_digest())
        report.write(options.out_dir)
        return report

    def _write_digest(self) -> Path:
        from pipeline.briefing.digest import DIGEST_NAME, render_digest

        entries = [self.digest[i] for i in sorted(self.digest)]
        failed = [r.error for r in self.report.articles if r.status == "error" and r.error]
        skipped = sum(r.status == "skipped" for r in self.report.articles)
        data = render_digest(entries, self.signature, not_briefed=failed, skipped=skipped,
                             page_size=self.options.briefing.page_size, author=self.options.briefing.author)
        return self.manifest.write_briefing(self.options.out_dir / DIGEST_NAME, data, force=self.options.force)


class FuzzyMatcher:
    """Near human matches for a run's rows: the memory's human units indexed once, on
    the first row that has no human English of its own (never, without human units)."""

    def __init__(self, memory):
        self.memory = memory
        self._index = None

    def attach(self, translated: TranslatedArticle) -> None:
        """Give each sentence without a human's English its nearest human unit (``fuzzy``)."""
        if self.memory is None:
            return
        for block in translated.blocks:
            if block.reviewed_translation is not None:
                continue  # the paragraph's English is a reviewer's
            for sentence in block.sentences:
                if sentence.origin != "human" and self.index is not None:
                    sentence.fuzzy = self.index.best(sentence.original)

    @property
    def index(self):
        if self._index is None:
            from pipeline.translate.fuzzy import FuzzyIndex

            entries = self.memory.human_entries()
            self._index = FuzzyIndex(entries) if entries else False
        return self._index or None


# Translation time per sentence for --dry-run's estimate: `briefing run` on the seed batch
# measured 4.9 sentences/s with the full-size random-weight opus-mt-zh-en model on this
# project's 2-core CPU machine (benchmarks/bench_speed.py; README "Planning a 100k-article
# run").  Random weights decode near their length cap, so real weights are faster; sentences
# the translation memory already holds take no model time at all.
SECONDS_PER_SENTENCE = 1 / 4.9


@dataclass
class ArticleSurvey:
    """What ``briefing run --dry-run`` finds in one input, without the model."""

    input: str
    paragraphs: int = 0
    sentences: int = 0  # as the run translates them: body sentences and the title
    terms: int = 0  # glossary terms the run would enforce
    figures: int = 0  # figures the run would enforce
    unsure: int = 0  # terms and figures found but not enforced (a reviewer sees them)
    error: str | None = None

    @property
    def seconds(self) -> float:
        """Estimated translation time (``SECONDS_PER_SENTENCE``)."""
        return self.sentences * SECONDS_PER_SENTENCE


def survey(paths: Sequence[Path], options: RunOptions, preparer: SentencePreparer):
    """Each input read and prepared as a run would (``read_article``, ``SentencePreparer``),
    one at a time, with no model and nothing written (a link's page is not kept)."""
    for path in paths:
        yield survey_article(path, options, preparer)


def survey_article(path: Path, options: RunOptions, preparer: SentencePreparer) -> ArticleSurvey:
    from pipeline.engines.plan import ArticleWork

    article, error = read_article(path, options)
    if article is None:
        return ArticleSurvey(str(path), error=error)
    sentences = ArticleWork(0, article).sentences
    context = ArticleContext.of(article)
    constraints = [c for s in sentences for c in preparer.prepare(s, context).terms if c.kind in ("term", "number")]
    return ArticleSurvey(str(path), paragraphs=len(article.blocks), sentences=len(sentences),
                         terms=sum(c.enforced and c.kind == "term" for c in constraints),
                         figures=sum(c.enforced and c.kind == "number" for c in constraints),
                         unsure=sum(not c.enforced for c in constraints))


def model_loader(translator) -> Callable[[], object]:
    """What loads the model an engine decodes with: the one inside the memory's translator
    (whose batches the run plans itself), else the translator."""
    if getattr(translator, "memory", None) is not None:
        return lambda: translator.inner
    return lambda: translator


def read_article(path: Path, options: RunOptions, keep_page_as: Path | None = None) -> tuple[Article | None, str | None]:
    """One input read as the run reads it: (article, None), or (None, the one-line error)."""
    if str(path) in options.known_errors:  # fetched once already, and it failed
        return None, options.known_errors[str(path)]
    try:
        return read_input(path, options.max_input_bytes, keep_page_as=keep_page_as, timeout=options.fetch_timeout), None
    except BriefingError as err:
        return None, str(err)
    except Exception as err:  # a bug must not sink the batch
        return None, _internal(path, err, options.debug)


def _internal(path: Path, err: Exception, debug: bool) -> str:
    if debug:
        traceback.print_exception(err)
    detail = " ".join(str(err).split())[:300]  # one line, whatever the exception says
    return f"{path}: internal error: {type(err).__name__}: {detail}"
