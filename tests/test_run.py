"""Whole-corpus batching: batches span articles, briefings still appear as articles complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.briefing.document import BriefingOptions
from pipeline.build import build_translator
from pipeline.cli import build_parser
from pipeline.run import RunOptions, run_batch

from tests.conftest import seed_paths


def _setup_for(model: Path, out: Path):
    args = build_parser().parse_args(["run", "--model", str(model), "--out", str(out), "--no-memory", "--device", "cpu"])
    return build_translator(args, None)


def test_briefings_are_written_as_articles_complete_and_the_bar_counts_sentences(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    events = []

    def progress(done, total, record):
        on_disk = sorted(p.name for p in out.glob("*.docx"))
        events.append((done, total, record, on_disk))

    paths = seed_paths()
    options = RunOptions(inputs=paths, out_dir=out, briefing=BriefingOptions(), window_sentences=64, batch_size=16)
    report = run_batch(paths, options, setup.translator, setup.signature, progress)
    total = events[-1][1]
    assert total == sum(a.sentences + 1 for a in report.articles)  # body sentences and titles
    dones = [e[0] for e in events]
    assert dones == sorted(dones) and dones[-1] == total
    first_written = next(e for e in events if e[2] is not None)
    assert first_written[0] < total  # a briefing existed before the last sentence was decoded
    assert first_written[3] == [Path(first_written[2].output).name]
    assert [a.input for a in report.articles] == [str(p) for p in paths]  # input order, whatever finished first
    assert all(a.status == "ok" for a in report.articles)


def test_a_stop_between_batches_keeps_finished_articles_and_lists_the_rest(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    finished = []

    def progress(done, total, record):
        if record is not None:
            finished.append(record)

    paths = seed_paths()
    options = RunOptions(inputs=paths, out_dir=out, window_sentences=64, batch_size=16, write_index=False,
                         write_digest=False)
    report = run_batch(paths, options, setup.translator, setup.signature, progress, stop_requested=lambda: bool(finished))
    assert report.interrupted and report.not_started
    assert len(report.articles) + len(report.not_started) == len(paths)
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(Path(a.output).name for a in report.articles)


def test_a_report_is_on_disk_before_the_first_article_and_lists_every_input_as_not_started(tmp_path, tiny_model_dir):
    """issue 19: a run killed before its first article left no report.  ``stop_requested`` is first
    asked before anything is decoded: the report must already be there, naming every input."""
    import json

    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    paths = seed_paths()[:2]
    seen = []

    def stop_at_once() -> bool:
        report = out / "run-report.json"
        seen.append(json.loads(report.read_text(encoding="utf-8")) if report.exists() else None)
        return True

    options = RunOptions(inputs=paths, out_dir=out, write_index=False)
    report = run_batch(paths, options, setup.translator, setup.signature, stop_requested=stop_at_once)
    first = seen[0]
    assert first is not None, "no report on disk before the first article"
    assert first["run"]["complete"] is False and first["articles"] == []
    assert first["not_started"] == [str(p) for p in paths]
    assert report.interrupted and report.not_started == [str(p) for p in paths]


# ---------------------------------------------------------------- human translations from a CAT tool's TMX

MEMOQ = Path(__file__).parent / "data" / "tmx" / "memoq-zh-TW-en-US.tmx"  # see tests/data/tmx/SOURCE.md
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "OpenAI估值達5000億美元，放在台股是市值第二大公司"
FOXCONN = "鴻海周五（11/21）一大早與OpenAI共同宣布，雙方合作聚焦在下世代AI基礎設施硬體的設計工作及美國製造。"
ALTMAN = ("他也提到，奧特曼之前來台拜訪劉揚偉，雙方當時就是敲定一個月後要簽MOU，由於時間非常接近鴻海科技日，"
          "因此才決定在今天科技日（11/21）正式對外公布。")
DROPPED = "換句話說，OpenAI雖然只有十歲，但很難再稱為一家新創公司。"
NEAR = "OpenAI將擁有優先評估這些系統，並擁有採購選擇權益，惟此初步協議不包含採購承諾或財務義務。"


def _docx_rows(path: Path) -> dict[str, dict]:
    """Source text of each body row -> its English and the comments anchored in it (author, text)."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/comments.xml")) if "word/comments.xml" in z.namelist() else None
    comments = {}
    for c in (notes if notes is not None else []):
        comments[c.get(W + "id")] = (c.get(W + "author"), "\n".join("".join(t.text or "" for t in p.iter(W + "t"))
                                                                    for p in c.iter(W + "p")))
    rows = {}
    for tr in body.iter(W + "tr"):
        cells = ["".join(t.text or "" for t in tc.iter(W + "t")) for tc in tr.findall(W + "tc")]
        ids = [m.get(W + "id") for m in tr.iter(W + "commentRangeStart")]
        if len(cells) >= 2:
            rows[cells[0]] = {"english": cells[1], "comments": [comments[i] for i in ids]}
    return rows


def test_a_memoq_tmx_is_used_for_every_sentence_it_holds_with_drift_flags(tmp_path, tiny_model_dir):
    """Done-criterion of issue 18: a CAT tool's TMX (no requirements stored) imported into an
    empty memory; the next run uses every one of its human translations, whatever the
    sentence's terms and figures, and flags what the glossary wants and the English lacks."""
    import sqlite3

    from lxml import etree

    from pipeline.translate.memory import HumanEntry, TranslationMemory
    from pipeline.translate.tmx import import_tmx

    english = {}
    for tu in etree.parse(str(MEMOQ)).getroot().iter("tu"):
        etree.strip_elements(tu, "ph", with_tail=False)  # memoQ's {1} tags are formatting, not text
        zh, en = ("".join(s.itertext()) for s in tu.iter("seg"))
        english[zh] = en
    out = tmp_path / "out"
    db = out / "translation-memory.sqlite"
    memory = TranslationMemory(db)
    counts = import_tmx(MEMOQ, memory)
    assert counts["human"] == 3 and counts["model"] == 0 and not counts["problems"]
    # a reviewer's correction that dropped a requirement the sentence had, and a unit near another sentence
    memory.put_human([HumanEntry(DROPPED, (("OpenAI",),), "In other words, ten years on it is hardly a start-up.", "Ann"),
                      HumanEntry(NEAR.replace("或財務義務", ""), (("OpenAI",),), "OpenAI gets first look.", "Ann")])
    memory.close()
    stored = sqlite3.connect(db).execute("SELECT source, constraints, document FROM human_translations").fetchall()
    assert {(c, d) for s, c, d in stored if "臺股" in s or "鴻海周五" in s or "奧特曼" in s} == {("[]", "openai-valuation.docx")}

    args = build_parser().parse_args(["run", "--model", str(tiny_model_dir), "--out", str(out), "--device", "cpu"])
    setup = build_translator(args, db)
    paths = [seed_paths()[0]]
    options = RunOptions(inputs=paths, out_dir=out, write_index=False, briefing=BriefingOptions(align="sentence"))
    report = run_batch(paths, options, setup.translator, setup.signature)
    record = report.articles[0]
    assert record.status == "ok", record.error

    # every unit of the TMX was used: the title and both body sentences carry its English
    by_source = {" ".join(k.split()).replace("臺", "台").replace("， ", "，"): v for k, v in english.items()}
    assert record.title_english == by_source[TITLE]
    rows = _docx_rows(Path(record.output))
    assert rows[FOXCONN]["english"] == by_source[FOXCONN]
    assert rows[ALTMAN]["english"] == by_source[ALTMAN]
    # the TMX's three sentences (the title is also the article's first heading) and the reviewer's correction
    assert record.sentences_human == 4

    # drift: the glossary wants Hon Hai (Foxconn) and the unit has no requirements stored; the figure November 21
    # is stated, as review import judges it ("Nov. 21" is the same date written another way), so no flag for it
    qa = [text for author, text in rows[FOXCONN]["comments"] if author == "briefing QA"]
    assert len(qa) == 1
    drift = [line for line in qa[0].splitlines() if line.startswith("glossary-drift")]
    assert "Nov. 21" in rows[FOXCONN]["english"]
    assert len(drift) == 1 and "Hon Hai (Foxconn)" in drift[0] and not any("November 21" in d for d in drift)
    assert not any(line.startswith("term:") for line in qa[0].splitlines())  # the drift flag says it, once
    assert not any("drift" in t or "reviewer-dropped" in t for _, t in rows[ALTMAN]["comments"])  # all present
    # the reviewer dropped a requirement the sentence had when they wrote it
    dropped = [t for a, t in rows[DROPPED]["comments"] if a == "briefing QA"]
    assert rows[DROPPED]["english"] == "In other words, ten years on it is hardly a start-up."
    assert any(line.startswith("reviewer-dropped-term") and "OpenAI" in line for line in dropped[0].splitlines())
    # a near human unit is shown beside the model's English, the differing characters marked
    tm = [t for a, t in rows[NEAR]["comments"] if a == "briefing TM"]
    assert rows[NEAR]["english"] != "OpenAI gets first look."
    assert len(tm) == 1 and tm[0].startswith("TM 9") and "OpenAI gets first look." in tm[0]
    assert "採購承諾[+或財務義務]。" in tm[0]
    assert record.sentences_fuzzy >= 1
    import zipfile

    text = "".join(etree.fromstring(zipfile.ZipFile(record.output).read("word/document.xml")).itertext())
    new = record.sentences - 4 - record.sentences_fuzzy
    assert f"Sentences: exact (human) 4, fuzzy {record.sentences_fuzzy}, new {new}." in text  # the appendix
    flags = {f["name"] for s in record.flagged for f in s["flags"]}
    assert {"glossary-drift", "reviewer-dropped-term"} <= flags
    summary = json.loads((out / "run-report.json").read_text(encoding="utf-8"))["summary"]
    assert summary["sentences_human"] == 4 and summary["flags"]["glossary-drift"] == 1

    # no model work was stored for the human sentences; the human units are as imported
    with sqlite3.connect(db) as con:
        model_sources = {s for (s,) in con.execute("SELECT source FROM translations")}
        assert not {FOXCONN, ALTMAN, DROPPED, TITLE} & model_sources
        assert con.execute("SELECT COUNT(*) FROM human_translations").fetchone()[0] == 5


def _prepared(sentence):
    from pipeline.glossary import default_glossary_paths, load_glossary
    from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    from tests.conftest import ROOT

    preparer = SentencePreparer(Normaliser(), load_glossary(default_glossary_paths(ROOT)),
                                numbers=NumberFinder(with_default_currency(DEFAULT_TABLES, "NT$")))
    return preparer.prepare(sentence)


@pytest.mark.parametrize("sentence,english,stored,expected", [
    # the reviewer wrote Foxconn where Hon Hai (Foxconn) was required then: their choice
    (FOXCONN, "Foxconn and OpenAI announced on November 21 a partnership.", (("Hon Hai (Foxconn)",), ("November 21",), ("OpenAI",)),
     ["reviewer-dropped-term"]),
    # the same English from a TMX without requirements: the glossary disagrees
    (FOXCONN, "Foxconn and OpenAI announced on November 21 a partnership.", (), ["glossary-drift"]),
    # a figure dropped, and stored as an older memory wrote it (a bare string)
    (FOXCONN, "Hon Hai (Foxconn) and OpenAI announced a partnership on Friday.", ("Hon Hai (Foxconn)", "November 21", "OpenAI"),
     ["reviewer-dropped-figure"]),
    # all present: nothing to say
    (FOXCONN, "Hon Hai (Foxconn) and OpenAI announced a partnership on November 21.", (), []),
    # a term named twice is one requirement: one flag
    ("目前雙方將在鴻海集團的聖荷西辦公室做共同研發，日後的生產將在鴻海集團的俄亥俄州廠區進行。",
     "The two will do joint R&D at the group's San Jose office and produce at its plant in Ohio.",
     (("Hon Hai Technology Group (Foxconn)",), ("San Jose",), ("Ohio",)), ["reviewer-dropped-term"]),
    # a figure twice is two facts; stored once (the figure reading found the second since): one of each
    ("今年營收成長3.5%，毛利率也成長3.5%。", "Revenue grew this year, and so did the gross margin.",
     (("3.5%", "3.5 percent"),), ["glossary-drift", "reviewer-dropped-figure"]),
    ("今年營收成長3.5%，毛利率也成長3.5%。", "Revenue grew 3.5 percent this year, and so did the gross margin.",
     (("3.5%",), ("3.5%",)), ["reviewer-dropped-figure"]),
    # the figure's value written another way is stated, as review import judges it: no flag on later runs
    ("該公司全球員工約7000人。", "The company has about 7,000 employees worldwide.", (("about 7,000 people",),), []),
    ("鴻海今年營收達23億美元。", "Hon Hai (Foxconn) had revenue of US$2,300 million this year.",
     (("Hon Hai (Foxconn)",), ("US$2.3 billion",)), []),
    # ... but another value is not
    ("該公司全球員工約7000人。", "The company has about 700 employees worldwide.", (("about 7,000 people",),),
     ["reviewer-dropped-figure"]),
])
def test_a_humans_english_is_checked_against_todays_requirements(sentence, english, stored, expected):
    from pipeline.translate.sentences import human_flags, term_results

    prepared = _prepared(sentence)
    flags = human_flags(term_results(prepared.terms, english), stored, english)
    assert sorted(f.name for f in flags) == expected
    assert all("missing from the human English" in f.reason for f in flags)


def test_the_translator_path_flags_a_humans_english_too(tmp_path, tiny_translator):
    """``translate`` (CachedTranslator, not the planner) answers with the human's English and
    passes the stored requirements on, so its rows carry the same flags as a run's."""
    from pipeline.glossary import default_glossary_paths, load_glossary
    from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency
    from pipeline.translate.sentences import SentenceTranslator
    from pipeline.translate.memory import CachedTranslator, HumanEntry, MemoryContext, TranslationMemory
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    from tests.conftest import ROOT

    memory = TranslationMemory(tmp_path / "tm.sqlite")
    memory.put_human([HumanEntry("鴻海 周五（11/21）一大早與OpenAI共同宣布，雙方合作聚焦在下世代AI基礎設施硬體的設計工作及美國製造。",
                                 (), "Foxconn and OpenAI announced a partnership on November 21.", "desk")])
    cached = CachedTranslator(memory, MemoryContext("m", "r", "tw2sp", "beam=4", "0"), lambda: tiny_translator)
    preparer = SentencePreparer(Normaliser(), load_glossary(default_glossary_paths(ROOT)),
                                numbers=NumberFinder(with_default_currency(DEFAULT_TABLES, "NT$")))
    [row, other] = SentenceTranslator(preparer, cached).translate([FOXCONN, "好。"])
    assert row.origin == "human" and row.translation == "Foxconn and OpenAI announced a partnership on November 21."
    assert [f.name for f in row.flags if f.name == "glossary-drift"] == ["glossary-drift"]
    assert "Hon Hai (Foxconn)" in next(f.reason for f in row.flags if f.name == "glossary-drift")
    assert other.origin == "model" and cached.misses == 1


def test_a_reviewed_paragraph_is_checked_as_the_english_the_row_shows(tmp_path, tiny_translator):
    """A paragraph-level human entry (a reviewer's English that could not be split into
    sentences) is checked against the paragraph's requirements today; its flags are of
    that English, on the paragraph's row, and the stored requirements tell drop from drift."""
    from pipeline.article import Article, Block
    from pipeline.briefing.document import render_briefing
    from pipeline.glossary import default_glossary_paths, load_glossary
    from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency
    from pipeline.translate.sentences import SentenceTranslator
    from pipeline.signature import Signature
    from pipeline.translate.memory import CachedTranslator, HumanEntry, MemoryContext, TranslationMemory
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    from tests.conftest import ROOT

    first, second = "鴻海與OpenAI宣布合作。", "劉揚偉表示將在美國生產。"
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    memory.put_human([HumanEntry(first + second, (("Hon Hai (Foxconn)",), ("OpenAI",)),
                                 "Foxconn and OpenAI will work together and build in the US, its chairman said.", "ed")])
    cached = CachedTranslator(memory, MemoryContext("m", "r", "tw2sp", "beam=4", "0"), lambda: tiny_translator)
    preparer = SentencePreparer(Normaliser(), load_glossary(default_glossary_paths(ROOT)),
                                numbers=NumberFinder(with_default_currency(DEFAULT_TABLES, "NT$")))
    article = Article(tmp_path / "a.txt", "標題", "explicit",
                      [Block("paragraph", first + second, 1, [first, second])])
    translated = SentenceTranslator(preparer, cached).translate_article(article)
    block = translated.blocks[0]
    assert block.translation.startswith("Foxconn and OpenAI")
    names = sorted(f.name for s in block.sentences for f in s.flags)
    assert names == ["glossary-drift", "reviewer-dropped-term"]  # Young Liu: new since; Hon Hai: dropped
    reasons = " ".join(f.reason for s in block.sentences for f in s.flags)
    assert "Young Liu" in reasons and "Hon Hai (Foxconn)" in reasons
    assert [t.found for s in block.sentences for t in s.terms if t.target == "OpenAI"] == [True]
    signature = Signature("m", "r", "tw2sp", "g", 0, "beam=4", "inline", "on")
    data = render_briefing(translated, signature, BriefingOptions())
    (tmp_path / "a.docx").write_bytes(data)
    rows = _docx_rows(tmp_path / "a.docx")
    qa = [t for a, t in rows[first + second]["comments"] if a == "briefing QA"]
    assert len(qa) == 1 and "reviewer-dropped-term" in qa[0] and "glossary-drift" in qa[0]


# ---------------------------------------------------------------- inputs read lazily (issue 19)


def _short_article() -> bytes:
    """The title and first two paragraphs of a seed: a real article, quick to translate."""
    lines = [line for line in seed_paths()[4].read_text(encoding="utf-8").splitlines() if line.strip()]
    return "\n\n".join(lines[1:4]).encode("utf-8")


def _inputs(tmp_path, names):
    """Short articles under ``names`` (a name mapped to bytes gets those bytes instead)."""
    folder = tmp_path / "in"
    folder.mkdir()
    seed = _short_article()
    for name in names:
        data = names[name] if isinstance(names, dict) and names[name] is not None else seed
        (folder / name).write_bytes(data)
    return [folder / name for name in names]


def test_each_input_is_read_only_when_its_window_needs_it(tmp_path, tiny_model_dir):
    """A file that is bad when the run starts but good by the time its window comes is translated;
    one spoiled after the run started is an error: either is only true if it is read late."""
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    paths = _inputs(tmp_path, {"a.txt": None, "fixed.txt": b"", "b.txt": None, "spoiled.txt": None})
    good = paths[0].read_bytes()
    totals = []

    def progress(done, total, record):
        totals.append(total)
        if record is not None and Path(record.input).name == "a.txt":  # a's window is done; the rest unread
            paths[1].write_bytes(good)
            paths[3].write_bytes(b"")

    options = RunOptions(inputs=paths, out_dir=out, window_sentences=1, batch_size=16, write_index=False)
    report = run_batch(paths, options, setup.translator, setup.signature, progress)
    status = {Path(a.input).name: a.status for a in report.articles}
    assert status == {"a.txt": "ok", "fixed.txt": "ok", "b.txt": "ok", "spoiled.txt": "error"}
    assert "empty file" in report.articles[3].error
    per_article = report.articles[0].sentences + 1  # body sentences and the title
    assert totals[0] == per_article  # the total counts what has been read so far, and grows
    assert totals == sorted(totals) and totals[-1] == 3 * per_article


def test_a_stop_leaves_later_inputs_unread(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    paths = _inputs(tmp_path, {"a.txt": None, "b.txt": None, "c.txt": None})
    finished = []

    def progress(done, total, record):
        if record is not None:
            finished.append(record)
            paths[2].unlink()  # were c read after the stop, it would be an error, not "not started"

    options = RunOptions(inputs=paths, out_dir=out, window_sentences=1, batch_size=16, write_index=False)
    report = run_batch(paths, options, setup.translator, setup.signature, progress,
                       stop_requested=lambda: bool(finished))
    assert report.interrupted and [a.status for a in report.articles] == ["ok"]
    assert report.not_started == [str(paths[1]), str(paths[2])]


def test_a_stop_after_the_last_article_is_not_an_interruption(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    paths = _inputs(tmp_path, {"a.txt": None, "b.txt": None})
    finished = []

    def progress(done, total, record):
        if record is not None:
            finished.append(record)

    options = RunOptions(inputs=paths, out_dir=out, window_sentences=10_000, batch_size=16, write_index=False)
    report = run_batch(paths, options, setup.translator, setup.signature, progress,
                       stop_requested=lambda: len(finished) == 2)
    assert not report.interrupted and not report.not_started
    assert [a.status for a in report.articles] == ["ok", "ok"]
