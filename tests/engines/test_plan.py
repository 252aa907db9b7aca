"""Planning: what is decoded, in which batches, and how results find their sentences."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.engines.batch import plan_batches
from pipeline.engines.plan import ArticleWork, CorpusPlanner, windows
from pipeline.ingest.text import parse_article
from pipeline.translate.memory import MemoryContext, TranslationMemory
from pipeline.translate.normalise import Normaliser
from pipeline.translate.prepare import SentencePreparer

CONTEXT = MemoryContext("m", "r", "tw2sp", "beam=4", "0")
SHARED = "鴻海今天宣布與輝達合作。"


def _works(texts: list[str]) -> list[ArticleWork]:
    return [ArticleWork(i, parse_article(t, Path(f"a{i}.txt"))) for i, t in enumerate(texts)]


def _texts() -> list[str]:
    return [f"標題{i}\n\n{SHARED}台積電的產能已經被預訂到202{i}年。第{i}段的最後一句話比較長一點，寫了一些細節。\n" for i in range(4)]


def _planner(memory=None) -> CorpusPlanner:
    return CorpusPlanner(SentencePreparer(Normaliser()), batch_size=3, memory=memory, context=CONTEXT)


def test_a_sentence_shared_by_articles_is_decoded_once_and_reaches_all_of_them():
    planner = _planner()
    works = _works(_texts())
    plan = planner.plan(works)
    rows = [r for b in plan.batches for r in b]
    assert sum(r["text"].startswith("鸿海") for r in rows) == 1  # decoded once, keyed by its first asker
    assert all(len(b) <= 3 for b in plan.batches)
    lengths = [len(r["text"]) for r in rows]
    assert lengths == sorted(lengths)  # length-sorted across articles
    assert sorted(r["batch"] for r in rows) == [r["batch"] for b in plan.batches for r in b]
    shuffled = list(rows)
    random.Random(1).shuffle(shuffled)  # results arrive in any order
    for r in shuffled:
        planner.accept([{"article": r["article"], "sentence": r["sentence"], "english": f"E{r['article']}.{r['sentence']}"}])
    assert all(w.complete for w in works)
    first = next(r for r in rows if r["text"].startswith("鸿海"))
    shared_english = {w.english[w.sentences.index(SHARED)] for w in works}
    assert shared_english == {f"E{first['article']}.{first['sentence']}"}


def test_what_the_memory_holds_is_not_planned_and_is_marked_remembered(tmp_path):
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    first = _planner(memory)
    works = _works(_texts()[:1])
    plan = first.plan(works)
    first.accept([{"article": r["article"], "sentence": r["sentence"], "english": "x"} for b in plan.batches for r in b])
    again = _planner(memory)
    later = _works(_texts()[:2])
    rows = [r for b in again.plan(later).batches for r in b]
    assert {r["article"] for r in rows} == {1}
    assert all(later[0].from_memory) and later[0].complete
    shared = later[1].sentences.index(SHARED)
    assert [m for j, m in enumerate(later[1].from_memory) if j != shared] == [False] * (len(later[1].sentences) - 1)
    assert later[1].from_memory[shared] is True and later[1].english[shared] == "x"


def test_windows_close_once_they_hold_enough_sentences():
    works = _works(_texts())
    sizes = [len(w.sentences) for w in works]
    groups = windows(works, sizes[0] + 1)
    assert [len(g) for g in groups] == [2, 2]
    assert windows(works, 10_000) == [works]


def test_plan_batches_keeps_ties_in_input_order():
    rows = [{"text": t, "constraints": []} for t in ["bb", "a", "cc", "d"]]
    assert [[r["text"] for r in b] for b in plan_batches(rows, 2)] == [["a", "d"], ["bb", "cc"]]


def test_a_row_carries_every_requirement_with_all_its_forms():
    """Rows cross process boundaries (Ray); the request must come back whole, or nothing
    is enforced (found in integration: each requirement came back as its tuple's repr)."""
    from pipeline.engines.batch import request_row, row_request
    from pipeline.translate.prepare import TranslationRequest

    request = TranslationRequest("TSMC营收成长70%", (("TSMC",), ("70%", "70 percent", "70 per cent")), None)
    assert row_request(request_row(0, 1, 0, request)) == TranslationRequest(request.text, request.constraints, None)


def test_a_row_carries_each_requirements_share_flag_and_the_flags_tell_requests_apart():
    from pipeline.engines.batch import request_row, row_request
    from pipeline.engines.plan import request_key
    from pipeline.translate.prepare import TranslationRequest

    forms = (("between",), ("Fights between",), ("70%",))
    request = TranslationRequest("宗族之間70%", forms, shares=(True, True, False))
    assert row_request(request_row(0, 1, 0, request)) == request
    older = request_row(0, 1, 0, TranslationRequest("宗族之間70%", forms))
    del older["shares"]  # a row written before the flags existed: nobody shares
    assert row_request(older).shares == ()
    assert request_key(request) != request_key(TranslationRequest("宗族之間70%", forms))
