"""TMX 1.4 interchange: a memory exported and imported elsewhere makes a re-run translate
nothing again; the files validate against the TMX 1.4 DTD; another tool's TMX loads."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from lxml import etree

from pipeline.translate.memory import HumanEntry, MemoryContext, TranslationMemory
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.tmx import export_tmx, import_tmx

from tests.conftest import ROOT, seed_paths

DATA = ROOT / "tests" / "data" / "tmx"
# ModernMT's test memory (Apache-2.0): zh, zh-CN and zh-TW variants, English as srclang; see DATA/SOURCE.md
MODERNMT = DATA / "modernmt-Memory.en__zh.tmx"
DTD = DATA / "tmx14.dtd"  # the LISA OSCAR TMX 1.4 DTD (see DATA/SOURCE.md)


def _briefing(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "OMP_NUM_THREADS": "1"})


def _valid(path):
    dtd = etree.DTD(str(DTD))
    ok = dtd.validate(etree.parse(str(path)))
    return ok, [str(e) for e in dtd.error_log.filter_from_errors()]


HUMAN = HumanEntry("鴻海董事長劉揚偉表示。", (("Young Liu",),), "Hon Hai chairman Young Liu said.", "Ann Reviewer",
                   "2026-11-20T10:00:00+00:00", "output/a.docx", "checked against the filing")


def test_a_memory_moved_through_tmx_translates_nothing_again(tmp_path, tiny_model_dir):
    seeds = seed_paths()[3:4]
    first = _briefing("run", *seeds, "--model", tiny_model_dir, "--out", tmp_path / "a", "--no-index")
    assert first.returncode == 0, first.stderr
    source_db = tmp_path / "a" / "translation-memory.sqlite"
    TranslationMemory(source_db).put_human([HUMAN])
    tmx = tmp_path / "memory.tmx"
    exported = _briefing("memory", "export", tmx, "--memory", source_db)
    assert exported.returncode == 0, exported.stderr
    ok, errors = _valid(tmx)
    assert ok, errors

    empty_db = tmp_path / "b" / "elsewhere.sqlite"
    imported = _briefing("memory", "import", tmx, "--memory", empty_db)
    assert imported.returncode == 0, imported.stderr
    again = _briefing("run", *seeds, "--model", tiny_model_dir, "--out", tmp_path / "b", "--memory", empty_db,
                      "--no-index")
    assert again.returncode == 0, again.stderr
    summary = json.loads((tmp_path / "b" / "run-report.json").read_text(encoding="utf-8"))["summary"]
    assert summary["sentences_from_memory"] == summary["sentences"] > 0

    moved, original = TranslationMemory(empty_db), TranslationMemory(source_db)
    assert len(moved) == len(original)
    assert {(e.key, e.translation) for e in moved.model_entries()} == {(e.key, e.translation) for e in original.model_entries()}
    assert moved.human_entries() == [HUMAN]


def test_export_marks_human_units_and_keeps_key_fields_as_props(tmp_path):
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    memory.put_human([HUMAN])
    export_tmx(memory, tmp_path / "out.tmx")
    root = etree.parse(str(tmp_path / "out.tmx")).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4" and header.get("srclang") == "zh-TW"
    tu = root.find("body/tu")
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-origin"] == "human" and json.loads(props["x-constraints"]) == [["Young Liu"]]
    assert tu.get("creationid") == tu.get("changeid") == "Ann Reviewer"
    assert tu.find("note").text == "checked against the filing"
    langs = [v.get("{http://www.w3.org/XML/1998/namespace}lang") for v in tu.findall("tuv")]
    assert langs == ["zh-TW", "en-US"]
    assert _valid(tmp_path / "out.tmx")[0]
    assert not list(tmp_path.glob(".*.tmp")), "written atomically, no temporary left"


def _human_and_model_memory(tmp_path, document):
    from pipeline.translate.memory import MemoryContext
    from pipeline.translate.prepare import TranslationRequest

    memory = TranslationMemory(tmp_path / "tm.sqlite")
    memory.put_human([HumanEntry(HUMAN.source, HUMAN.constraints, HUMAN.translation, HUMAN.reviewer,
                                 HUMAN.reviewed_at, document, HUMAN.note)])
    context = MemoryContext("m", "rev1", "tw2sp", "beam=4", "0.1.0")
    request = TranslationRequest("好。", source="好。")
    memory.put_many(context, [(TranslationMemory.key(context, request), request, "Good.")])
    return memory


def test_human_only_export_with_other_language_tags_reads_back(tmp_path):
    memory = _human_and_model_memory(tmp_path, "output/a.docx")
    out = tmp_path / "human.tmx"
    counts = export_tmx(memory, out, human_only=True, source_lang="zh-Hant-TW", target_lang="en-GB")
    assert counts == {"model": 0, "human": 1}
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "zh-Hant-TW"
    assert len(root.findall("body/tu")) == 1
    langs = [v.get("{http://www.w3.org/XML/1998/namespace}lang") for v in root.iter("tuv")]
    assert langs == ["zh-Hant-TW", "en-GB"]
    assert _valid(out)[0]
    back = TranslationMemory(tmp_path / "back.sqlite")
    assert import_tmx(out, back, "zh-Hant-TW", "en-GB")["human"] == 1
    assert back.human_entries() == [HUMAN] and len(back) == 0


@pytest.mark.parametrize("document,written", [
    ("/home/ann/briefings/output/000_58b.docx", "000_58b.docx"),
    ("C:\\Users\\Ann\\Desktop\\000_58b.docx", "000_58b.docx"),
    ("~/output/b.docx", "b.docx"),
    ("output/a.docx", "output/a.docx"),  # relative to the project: stays
    ("a.docx", "a.docx"),
])
def test_no_local_absolute_path_leaves_in_an_export(tmp_path, document, written):
    memory = _human_and_model_memory(tmp_path, document)
    out = tmp_path / "out.tmx"
    export_tmx(memory, out)
    text = out.read_text(encoding="utf-8")
    props = [p.text for p in etree.parse(str(out)).getroot().iter("prop") if p.get("type") == "x-document"]
    assert props == [written]
    assert str(tmp_path) not in text and "/home/" not in text and "Users" not in text


def test_a_tmx_without_document_props_records_the_file_name_not_its_path(tmp_path):
    tmx = tmp_path / "desk.tmx"
    tmx.write_text('<tmx version="1.4"><header srclang="zh-TW"/><body><tu>'
                   '<tuv xml:lang="ZH-TW"><seg>好。</seg></tuv><tuv xml:lang="EN-US"><seg>Good.</seg></tuv>'
                   '</tu></body></tmx>', encoding="utf-8")
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    assert import_tmx(tmx, memory)["human"] == 1
    assert [(e.source, e.translation, e.document) for e in memory.human_entries()] == [("好。", "Good.", "desk.tmx")]


def test_another_tools_tmx_loads_as_human_translations(tmp_path):
    assert _valid(MODERNMT)[0]
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    counts = import_tmx(MODERNMT, memory)
    assert counts["human"] == 4 and counts["model"] == 0 and not counts["problems"]
    entries = {e.source: e for e in memory.human_entries()}
    assert entries["這是en__zh例子三"].translation == "This is en__zh example three"
    assert entries["这是en__zh例子二"].translation == "This is en__zh example two"
    assert entries["這是en__zh例子三"].reviewed_at.startswith("2016-03-23T07:28:20")


def test_a_tampered_model_unit_is_reported_and_skipped(tmp_path, tiny_translator):
    from pipeline.translate.memory import CachedTranslator, MemoryContext
    from pipeline.translate.prepare import TranslationRequest

    memory = TranslationMemory(tmp_path / "a.sqlite")
    context = MemoryContext("m", "rev1", "tw2sp", "beam=4", "0.1.0")
    CachedTranslator(memory, context, lambda: tiny_translator).translate(
        [TranslationRequest("好。", source="好。"), TranslationRequest("鸿海。", ("Hon Hai",), source="鴻海。")])
    tmx = tmp_path / "a.tmx"
    export_tmx(memory, tmx)
    tmx.write_text(tmx.read_text(encoding="utf-8").replace('"x-model-revision">rev1', '"x-model-revision">rev2', 1),
                   encoding="utf-8")
    counts = import_tmx(tmx, TranslationMemory(tmp_path / "b.sqlite"))
    assert counts["model"] == 1 and counts["skipped"] == 1
    assert "key does not match its properties" in counts["problems"][0] and counts["problems"][0].startswith(f"{tmx}:")


@pytest.mark.parametrize("content,message", [(b"<html/>", "not a TMX file"), (b"<tmx><body>", "not well-formed")])
def test_a_file_that_is_not_tmx_is_a_one_line_error(tmp_path, content, message):
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(content)
    proc = _briefing("memory", "import", bad, "--memory", tmp_path / "tm.sqlite")
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_the_cli_exports_human_units_only_with_the_default_tags_and_imports_them(tmp_path):
    memory = _human_and_model_memory(tmp_path, str(tmp_path / "output" / "a.docx"))
    memory.close()
    out = tmp_path / "human.tmx"
    proc = _briefing("memory", "export", out, "--memory", tmp_path / "tm.sqlite", "--human-only")
    assert proc.returncode == 0, proc.stderr
    assert "0 model and 1 human" in proc.stderr
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "zh-TW"
    assert [v.get("{http://www.w3.org/XML/1998/namespace}lang") for v in root.iter("tuv")] == ["zh-TW", "en-US"]
    assert str(tmp_path) not in out.read_text(encoding="utf-8")
    proc = _briefing("memory", "import", out, "--memory", tmp_path / "back.sqlite")
    assert proc.returncode == 0 and "0 model and 1 human" in proc.stderr
    assert [e.translation for e in TranslationMemory(tmp_path / "back.sqlite").human_entries()] == [HUMAN.translation]


# ---------------------------------------------------------------- one transaction, hostile files

def _model_tu(number: int, context) -> str:
    """A unit as our export writes it (its key computed as the memory computes keys)."""
    text = f"第{number}句。"
    key = TranslationMemory.key(context, TranslationRequest(text, source=text))
    props = dict(zip(("x-model-id", "x-model-revision", "x-opencc-config", "x-decoding", "x-version"),
                     (context.model_id, context.model_revision, context.opencc_config, context.decoding,
                      context.version)))
    props.update({"x-origin": "model", "x-key": key, "x-model-input": text, "x-constraints": "[]"})
    prop_xml = "".join(f'<prop type="{k}">{v}</prop>' for k, v in props.items())
    return (f'<tu tuid="{key}">{prop_xml}<tuv xml:lang="zh-TW"><seg>{text}</seg></tuv>'
            f'<tuv xml:lang="en-US"><seg>Sentence {number}.</seg></tuv></tu>\n')


def _human_tu(number: int, english: str = "") -> str:
    return (f'<tu creationid="Translator"><tuv xml:lang="zh-TW"><seg>人工第{number}句。</seg></tuv>'
            f'<tuv xml:lang="en-US"><seg>{english or f"Human sentence {number}."}</seg></tuv></tu>\n')


def _tmx(units: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="zh-TW" '
            'creationtool="test" segtype="sentence" o-tmf="test" adminlang="en" datatype="plaintext"/>\n<body>\n'
            + "".join(units) + "</body>\n</tmx>\n")


CONTEXTS = [MemoryContext("m", "rev1", "tw2sp", "beam=4", "0.1.0"), MemoryContext("m", "rev2", "tw2sp", "beam=4", "0.1.0")]


def _mixed_units(count: int) -> list[str]:
    """Model units of two contexts and human units, interleaved: every table and context written."""
    return [_model_tu(n, CONTEXTS[n % 2]) if n % 3 else _human_tu(n) for n in range(count)]


def _rows(db) -> dict[str, list]:
    """Every row of both tables, read straight from the SQLite file."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
                for table in ("translations", "human_translations")}


def _memory_with_old_rows(db):
    memory = TranslationMemory(db)
    memory.put_human([HUMAN])
    memory.put_many(CONTEXTS[0], [(TranslationMemory.key(CONTEXTS[0], r), r, "Old.")
                                  for r in [TranslationRequest("舊。", source="舊。")]])
    memory.close()
    return _rows(db)


def _constrained_tu(constraints: str) -> str:
    return (f'<tu><prop type="x-constraints">{constraints}</prop><tuv xml:lang="zh-TW"><seg>鴻海。</seg></tuv>'
            '<tuv xml:lang="en-US"><seg>Hon Hai.</seg></tuv></tu>\n')


MALFORMED = [
    ('<tu><tuv xml:lang="zh-TW"><seg>壞</tuv></tu>\n', "not well-formed XML"),  # mismatched end tag
    ('<tu><tuv xml:lang="zh-TW"><seg>AT&T</seg></tuv><tuv xml:lang="en-US"><seg>AT&T</seg></tuv></tu>\n',
     "not well-formed XML"),
    ('<tu><tuv xml:lang="zh-TW"><seg>控制\x01字元</seg></tuv></tu>\n', "not well-formed XML"),
    (_constrained_tu('["Hon Hai"'), "x-constraints is not a JSON list"),
    (_constrained_tu('{"a": 1}'), "x-constraints is not a JSON list"),
    (_constrained_tu('[[1, 2]]'), "x-constraints is not a JSON list"),
]


@pytest.mark.parametrize("bad, message", MALFORMED)
def test_a_malformed_unit_after_good_ones_leaves_the_memory_as_it_was(tmp_path, bad, message):
    db = tmp_path / "tm.sqlite"
    before = _memory_with_old_rows(db)
    units = _mixed_units(300)
    units.insert(240, bad)  # unit 241: good units of every kind before it, more after
    tmx = tmp_path / "bad.tmx"
    tmx.write_text(_tmx(units), encoding="utf-8")
    line = 5 + 240  # the declaration, <tmx>, <header> and <body> take 4 lines; then one unit a line
    proc = _briefing("memory", "import", tmx, "--memory", db)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    (error,) = [row for row in proc.stderr.splitlines() if message in row]
    assert error.startswith(f"briefing: {tmx}:{line}:"), proc.stderr
    assert _rows(db) == before


def test_the_same_file_without_the_bad_unit_imports_every_unit(tmp_path):
    # The test above can fail: its good units do change the memory when nothing is wrong.
    db = tmp_path / "tm.sqlite"
    before = _memory_with_old_rows(db)
    tmx = tmp_path / "good.tmx"
    tmx.write_text(_tmx(_mixed_units(300)), encoding="utf-8")
    counts = import_tmx(tmx, TranslationMemory(db))
    assert (counts["model"], counts["human"], counts["problems"]) == (200, 100, [])
    after = _rows(db)
    assert [len(after[t]) - len(before[t]) for t in after] == [200, 100]


@pytest.mark.parametrize("where", ["seg", "body"])
def test_a_file_nested_1500_deep_is_a_one_line_error_naming_it(tmp_path, where):
    db = tmp_path / "tm.sqlite"
    before = _memory_with_old_rows(db)
    deep = "<g>" * 1500 + "x" + "</g>" * 1500
    bad = (f'<tu><tuv xml:lang="zh-TW"><seg>{deep}</seg></tuv><tuv xml:lang="en-US"><seg>y</seg></tuv></tu>\n'
           if where == "seg" else deep.replace("g>", "div>") + "\n")
    tmx = tmp_path / "deep.tmx"
    tmx.write_text(_tmx([_human_tu(1), bad, _human_tu(2)]), encoding="utf-8")
    proc = _briefing("memory", "import", tmx, "--memory", db)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"briefing: {tmx}:6: elements nested more than 100 deep (not a translation memory); nothing imported"]
    assert _rows(db) == before


def test_markup_a_few_levels_deep_in_a_segment_still_imports(tmp_path):
    nested = "<g>" * 20 + "Hon Hai" + "</g>" * 20
    tmx = tmp_path / "ok.tmx"
    tmx.write_text(_tmx([_human_tu(1, nested)]), encoding="utf-8")
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    assert import_tmx(tmx, memory)["human"] == 1
    assert [e.translation for e in memory.human_entries()] == ["Hon Hai"]


def _row_counts(conn) -> dict[str, int]:
    return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("translations", "human_translations")}


@pytest.mark.parametrize("moment", ["writing", "first-commit"])
def test_an_import_killed_midway_leaves_the_old_memory_or_all_of_the_new(tmp_path, moment):
    """SIGKILL while the import writes (``writing``: its write-ahead log has begun to grow), or the
    moment another connection sees any of its rows committed (``first-commit``: an import written
    in several transactions is caught between them): SQLite must hold the memory as it was or every
    unit of the file, never a part, and pass its integrity check."""
    import signal
    import sqlite3
    import time

    db = tmp_path / "tm.sqlite"
    before = {table: len(rows) for table, rows in _memory_with_old_rows(db).items()}
    count = 60_000  # large enough that SQLite writes pages before the commit
    tmx = tmp_path / "big.tmx"
    tmx.write_text(_tmx(_mixed_units(count)), encoding="utf-8")
    humans = len(range(0, count, 3))
    full = {"translations": before["translations"] + count - humans,
            "human_translations": before["human_translations"] + humans}
    wal = db.with_name(db.name + "-wal")
    reader = sqlite3.connect(db)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "memory", "import", str(tmx), "--memory", str(db)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if moment == "writing" and wal.exists() and wal.stat().st_size > 0:
            break
        if moment == "first-commit" and _row_counts(reader) != before:
            break
        time.sleep(0.002)
    reader.close()
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if moment == "writing":
        assert killed, f"the import ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        after = _row_counts(conn)
    assert after in (before, full), (after, before, full)
    if moment == "first-commit":
        assert after == full  # what that reader saw was the whole import


MEMOQ = ROOT / "tests" / "data" / "tmx" / "memoq-zh-TW-en-US.tmx"  # see tests/data/tmx/SOURCE.md
VALUATION = "OpenAI估值達5000億美元，放在台股是市值第二大公司"  # the memoQ file's first unit, as an article writes it


@pytest.mark.parametrize("prefer,kept", [("memory", True), ("tmx", False)])
def test_a_tmx_never_replaces_a_reviewers_english_without_saying_so(tmp_path, prefer, kept):
    """A reviewer corrected a sentence in this tool; a CAT tool's older memory holds other English
    for it.  By default the reviewer's English stays; either way the conflict is named."""
    db = tmp_path / "tm.sqlite"
    memory = TranslationMemory(db)
    mine = "OpenAI's valuation of US$500 billion would rank it second by market value in Taiwan."
    memory.put_human([HumanEntry(VALUATION, (("US$500 billion",),), mine, "Ann Reviewer")])
    counts = import_tmx(MEMOQ, memory, prefer=prefer)
    assert len(counts["conflicts"]) == 1 and "Ann Reviewer" in counts["conflicts"][0]
    assert counts["kept"] == (1 if kept else 0) and counts["human"] == 3 - counts["kept"]
    held = {" ".join(e.source.split()).replace("臺", "台").replace("， ", "，"): e for e in memory.human_entries()}
    entry = held[VALUATION]
    assert (entry.translation == mine) is kept and (entry.reviewer == "Ann Reviewer") is kept
    memory.close()
    with sqlite3.connect(db) as conn:  # one human row for the sentence, whichever won
        rows = conn.execute("SELECT source FROM human_translations").fetchall()
    assert sum("估值" in source for (source,) in rows) == 1


def test_the_same_english_again_is_no_conflict_and_the_cli_names_a_kept_one(tmp_path):
    db = tmp_path / "tm.sqlite"
    assert _briefing("memory", "import", MEMOQ, "--memory", db).returncode == 0
    again = _briefing("memory", "import", MEMOQ, "--memory", db)
    assert again.returncode == 0 and "kept" not in again.stderr and "other human English" not in again.stderr
    memory = TranslationMemory(db)
    memory.put_human([HumanEntry(VALUATION, (), "A reviewer's own English.", "Ann Reviewer")])
    memory.close()
    proc = _briefing("memory", "import", MEMOQ, "--memory", db)
    assert proc.returncode == 0 and "1 kept as the memory had them" in proc.stderr
    assert sum("other human English (Ann Reviewer); kept the memory's English" in line
               for line in proc.stderr.splitlines()) == 1
