"""Planning the model work of a run: which sentences to decode, in which batches.

Articles are taken in windows of about ``window`` sentences.  In a window,
every sentence is prepared; a request already answered this run or held by
the translation memory is not decoded again; the rest become rows keyed by
the (article, sentence) that first asked for them, length-sorted into
batches.  Both engines decode exactly these batches, so their English is the
same byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.engines.batch import plan_batches, request_row
from pipeline.translate.prepare import ArticleContext, PreparedSentence, TranslationRequest


@dataclass
class ArticleWork:
    """One readable article on its way through the run."""

    index: int  # position in the run's input list
    article: object  # pipeline.article.Article
    prepared: list[PreparedSentence] = field(default_factory=list)  # body sentences, then the title
    english: list[str | None] = field(default_factory=list)
    from_memory: list[bool] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # per sentence: "human", "memory" or "model"
    humans: list = field(default_factory=list)  # per sentence: the HumanEntry used, or None
    started: float = 0.0

    @property
    def sentences(self) -> list[str]:
        return [s for b in self.article.blocks for s in b.sentences] + [self.article.title]

    @property
    def complete(self) -> bool:
        return all(e is not None for e in self.english)


def request_key(request: TranslationRequest) -> tuple:
    # shares: the same text and forms decoded under another crediting rule is other work
    return request.text, tuple(request.constraints), request.max_new_tokens, tuple(request.shares)


@dataclass
class WindowPlan:
    works: list[ArticleWork]
    batches: list[list[dict]]


class CorpusPlanner:
    """Run-wide bookkeeping: what each distinct request's English is, and who waits for it."""

    def __init__(self, preparer, batch_size: int, memory=None, context=None):
        self.preparer = preparer
        self.batch_size = batch_size
        self.memory = memory  # TranslationMemory or None
        self.context = context
        self.english: dict[tuple, str] = {}  # request key -> English, once known
        self.waiting: dict[tuple, list[tuple[ArticleWork, int]]] = {}  # request key -> (article, sentence)
        self.row_key: dict[tuple[int, int], tuple] = {}  # (article, sentence) of a row -> request key
        self._requests: dict[tuple, TranslationRequest] = {}
        self._next_batch = 0

    def plan(self, works: Sequence[ArticleWork]) -> WindowPlan:
        for work in works:
            context = ArticleContext.of(work.article)
            work.prepared = [self.preparer.prepare(s, context) for s in work.sentences]
            work.english = [None] * len(work.prepared)
            work.from_memory = [False] * len(work.prepared)
            work.origins = ["model"] * len(work.prepared)
            work.humans = [None] * len(work.prepared)
        remembered = self._lookup([p.request for w in works for p in w.prepared])
        rows = []
        for work in works:
            for j, p in enumerate(work.prepared):
                key = request_key(p.request)
                if key in self.english:  # answered earlier in this run
                    work.english[j] = self.english[key]
                elif key in self.waiting:  # already planned in this run
                    self.waiting[key].append((work, j))
                elif key in remembered:
                    work.english[j], work.origins[j], work.humans[j] = remembered[key]
                    work.from_memory[j] = True
                else:
                    self.waiting[key] = [(work, j)]
                    self.row_key[(work.index, j)] = key
                    self._requests[key] = p.request
                    rows.append(request_row(work.index, j, 0, p.request))
        batches = plan_batches(rows, self.batch_size)
        for batch in batches:
            for row in batch:
                row["batch"] = self._next_batch
            self._next_batch += 1
        return WindowPlan(list(works), batches)

    def _lookup(self, requests: list[TranslationRequest]) -> dict[tuple, tuple]:
        """Request key -> (English, origin, HumanEntry or None) for what the memory holds,
        in ``TranslationMemory.lookup``'s order (a human's English first)."""
        if self.memory is None or not requests:
            return {}
        answers = self.memory.lookup(self.context, requests)
        return {request_key(r): (a.english, a.origin, a.human) for r, a in zip(requests, answers) if a.english is not None}

    def accept(self, results: Sequence[dict]) -> tuple[list[ArticleWork], int]:
        """Take a block of results (any order); returns the articles it touched and the sentences it filled."""
        touched: dict[int, ArticleWork] = {}
        fresh, filled = [], 0
        for r in results:
            key = self.row_key.pop((r["article"], r["sentence"]))
            self.english[key] = r["english"]
            fresh.append((key, r["english"]))
            for work, j in self.waiting.pop(key):
                work.english[j] = r["english"]
                touched[work.index] = work
                filled += 1
        if self.memory is not None and fresh:
            from pipeline.translate.memory import TranslationMemory

            self.memory.put_many(self.context, [(TranslationMemory.key(self.context, self._requests[k]),
                                                 self._requests.pop(k), text) for k, text in fresh])
        return [touched[i] for i in sorted(touched)], filled


def windows(works: Iterable[ArticleWork], size: int) -> list[list[ArticleWork]]:
    """Every window of ``works`` at once (``iter_windows``)."""
    return list(iter_windows(works, size))


def iter_windows(works: Iterable[ArticleWork], size: int) -> Iterator[list[ArticleWork]]:
    """Consecutive articles, each group closing once it holds ``size`` sentences or more.

    Lazy: ``works`` may be a generator that reads each article as it is asked for; a
    group is handed on as soon as it closes, before the next article is taken."""
    current, count = [], 0
    for work in works:
        current.append(work)
        count += len(work.sentences)
        if count >= size:
            yield current
            current, count = [], 0
    if current:
        yield current
