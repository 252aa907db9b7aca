"""The translation memory: a real SQLite file, hits, misses on every key part, concurrency."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from pipeline.translate.memory import CachedTranslator, MemoryContext, TranslationMemory
from pipeline.translate.prepare import TranslationRequest

from tests.conftest import ROOT, seed_paths

CONTEXT = MemoryContext("m", "rev1", "tw2sp", "beam=4", "0.1.0")


class Counting:
    """The real tiny Marian translator, counting the requests that reach it."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def translate(self, requests):
        self.calls += len(requests)
        return self.inner.translate(requests)


def test_hit_after_miss_in_a_real_sqlite_file(tmp_path, tiny_translator):
    path = tmp_path / "tm.sqlite"
    counting = Counting(tiny_translator)
    cached = CachedTranslator(TranslationMemory(path), CONTEXT, lambda: counting)
    requests = [TranslationRequest("鸿海董事长表示。", (("Young Liu",),)), TranslationRequest("好。")]
    first = cached.translate(requests)
    assert counting.calls == 2 and cached.last_hits == [False, False]
    reopened = CachedTranslator(TranslationMemory(path), CONTEXT, lambda: pytest.fail("the model must not load"))
    assert reopened.translate(requests) == first and reopened.last_hits == [True, True]
    rows = sqlite3.connect(path).execute("SELECT model_input, constraints, translation FROM translations").fetchall()
    assert sorted(r[0] for r in rows) == ["好。", "鸿海董事长表示。"]
    assert json.loads(next(r[1] for r in rows if r[0] == "鸿海董事长表示。")) == [["Young Liu"]]


@pytest.mark.parametrize("field,value", [("model_id", "other"), ("model_revision", "rev2"), ("opencc_config", "t2s"),
                                         ("decoding", "beam=5"), ("version", "0.2.0")])
def test_every_context_part_is_in_the_key(field, value):
    request = TranslationRequest("好。", ())
    changed = MemoryContext(**{**CONTEXT.__dict__, field: value})
    assert TranslationMemory.key(CONTEXT, request) != TranslationMemory.key(changed, request)


def test_text_and_constraints_are_in_the_key():
    base = TranslationMemory.key(CONTEXT, TranslationRequest("鸿海。", (("Hon Hai",),)))
    assert base != TranslationMemory.key(CONTEXT, TranslationRequest("鸿海。", (("Foxconn",),)))
    assert base != TranslationMemory.key(CONTEXT, TranslationRequest("鸿海！", (("Hon Hai",),)))


def test_share_flags_are_not_in_the_key():
    """English stored before requirements had share flags met the stricter rule (one
    requirement per occurrence), so it meets today's too: the flags (a function of the
    constraints' kinds, which the same preparer derives from the same input) stay out
    of the key and no memory is invalidated."""
    forms = (("between",), ("Fights between",))
    base = TranslationMemory.key(CONTEXT, TranslationRequest("宗族之間。", forms))
    assert base == TranslationMemory.key(CONTEXT, TranslationRequest("宗族之間。", forms, shares=(True, True)))


def test_a_corrupt_memory_file_is_a_clear_error(tmp_path):
    from pipeline.errors import BriefingError

    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BriefingError, match="cannot open the translation memory"):
        TranslationMemory(path)


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_glossary_edit_retranslates_only_affected_sentences(tmp_path, tiny_model_dir):
    from pipeline.glossary import load_glossary
    from pipeline.ingest.readers import read_input

    glossary_dir = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary_dir)
    out = tmp_path / "out"
    inputs = seed_paths()[:2]
    files = sorted(glossary_dir.glob("*.csv"))
    first = _run(*inputs, "--model", tiny_model_dir, "--out", out, *sum((["--glossary", f] for f in files), []))
    assert first.returncode == 0, first.stderr
    again = _run(*inputs, "--model", tiny_model_dir, "--out", out, *sum((["--glossary", f] for f in files), []))
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["sentences_from_memory"] == report["summary"]["sentences"] > 0
    assert "from the translation memory" in again.stderr

    people = glossary_dir / "people.csv"
    people.write_text(people.read_text(encoding="utf-8").replace("劉揚偉,Young Liu,", "劉揚偉,Young-way Liu,"), encoding="utf-8")
    glossary = load_glossary(files)
    sentences = [s for p in inputs for b in read_input(p).blocks for s in b.sentences]
    affected = sum(any(m.entry.source == "劉揚偉" for m in glossary.match(s)) for s in sentences)
    assert affected > 0
    edited = _run(*inputs, "--model", tiny_model_dir, "--out", out, *sum((["--glossary", f] for f in files), []))
    assert edited.returncode == 0, edited.stderr
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    summary = report["summary"]
    assert summary["sentences"] - summary["sentences_from_memory"] == affected


def test_no_memory_and_two_concurrent_runs_sharing_one_memory(tmp_path, tiny_model_dir):
    memory = tmp_path / "shared.sqlite"
    seeds = seed_paths()[3:]
    procs = [
        subprocess.Popen([sys.executable, "-m", "pipeline", "run", *map(str, seeds), "--model", str(tiny_model_dir),
                          "--out", str(tmp_path / f"out{i}"), "--memory", str(memory)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})  # two spinning thread pools on 2 cores crawl
        for i in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    reports = [json.loads((tmp_path / f"out{i}" / "run-report.json").read_text(encoding="utf-8")) for i in range(2)]
    total = reports[0]["summary"]["sentences"]
    assert all(r["summary"]["ok"] == 2 for r in reports)
    count = sqlite3.connect(memory).execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    assert 0 < count <= total + 2  # titles add at most one request per article
    plain = _run(*seeds, "--model", tiny_model_dir, "--out", tmp_path / "plain", "--no-memory")
    assert plain.returncode == 0 and not (tmp_path / "plain" / "translation-memory.sqlite").exists()
    assert json.loads((tmp_path / "plain" / "run-report.json").read_text(encoding="utf-8"))["summary"]["sentences_from_memory"] == 0


def _old_rule_key(source, constraints):
    """The key the previous rule wrote: source and the requirements' canonical forms."""
    import hashlib

    canonical = sorted(c[0] if isinstance(c, (list, tuple)) else c for c in constraints if c)
    payload = json.dumps(["human", " ".join(source.split()), canonical], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_human_english_is_keyed_by_the_source_alone_whatever_the_requirements():
    from pipeline.translate.memory import TranslationMemory

    source = "輝達晶片需求強勁。"
    keys = {TranslationMemory.human_key(source, forms) for forms in
            ((), (("NVIDIA", "Nvidia"), ("chip",)), (("NVIDIA", "Nvidia", "NVIDIA's"), ("chip", "chips")), ("Nvidia",))}
    assert len(keys) == 1
    # whitespace, Traditional/Simplified spellings, full-width Latin: one sentence
    for same in ("輝達 晶片需求強勁。", " 辉达晶片需求强劲。 ", "輝達晶片需求\u3000強勁。"):
        assert TranslationMemory.human_key(same) in keys, same
    for other in ("輝達晶片需求疲弱。", "輝達晶片需求強勁", "輝達晶片需求強勁!"):
        assert TranslationMemory.human_key(other) not in keys, other


def test_an_older_memory_is_filed_again_on_open_newest_entry_wins(tmp_path):
    """A memory written under the previous rule (source + requirements; no meta table) is
    rekeyed when opened: sentence and paragraph entries alike, and of two entries for one
    source under different requirements the newer one is kept."""
    import sqlite3

    from pipeline.translate.memory import HumanEntry, TranslationMemory

    source, paragraph = "輝達晶片需求強勁。", "輝達晶片需求強勁。台積電營收成長。"
    entries = [HumanEntry(source, (("NVIDIA", "Nvidia"),), "Older English.", "ed"),
               HumanEntry(source, (("NVIDIA", "Nvidia"), ("chip", "chips")), "Newer English.", "ed"),
               HumanEntry(paragraph, (("NVIDIA",), ("TSMC",)), "Paragraph English.", "ed")]
    path = tmp_path / "tm.sqlite"
    memory = TranslationMemory(path)
    memory.close()
    with sqlite3.connect(path) as db:  # as the previous version left it
        db.execute("DROP TABLE meta")
        for n, e in enumerate(entries):
            db.execute("INSERT INTO human_translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (_old_rule_key(e.source, e.constraints), e.source, json.dumps(e.constraints), e.translation,
                        e.reviewer, "", "", "", float(n)))
    reopened = TranslationMemory(path)
    assert reopened.get_human([TranslationMemory.human_key(source)]) == {TranslationMemory.human_key(source): "Newer English."}
    para_key = TranslationMemory.paragraph_key([("輝達晶片需求強勁。", ()), ("台積電營收成長。", ())])
    assert reopened.get_human([para_key]) == {para_key: "Paragraph English."}
    kept = {e.translation: e.constraints for e in reopened.human_entries()}
    assert kept == {"Newer English.": (("NVIDIA", "Nvidia"), ("chip", "chips")),
                    "Paragraph English.": (("NVIDIA",), ("TSMC",))}  # the stored requirements stay beside it
    reopened.close()
    assert TranslationMemory(path).get_human([para_key])  # a second open changes nothing


def test_the_memory_file_alone_holds_what_a_command_wrote(tmp_path, tiny_model_dir):
    """`briefing` leaves without tearing the interpreter down: the memory is still closed at
    exit, which checkpoints its write-ahead log, so copying the .sqlite alone loses nothing."""
    memory = tmp_path / "memory.sqlite"
    for command in (["translate", "--no-server", "--model", str(tiny_model_dir), "--memory", str(memory),
                     "台灣今天天氣很好。"],
                    ["run", str(seed_paths()[0]), "--no-server", "--model", str(tiny_model_dir), "--memory",
                     str(memory), "--out", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "pipeline", *command], cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert not memory.with_name(memory.name + "-wal").exists(), command[0]
        alone = tmp_path / f"copy-{command[0]}" / "memory.sqlite"
        alone.parent.mkdir()
        shutil.copy(memory, alone)
        with sqlite3.connect(alone) as db:
            rows = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        assert rows >= (1 if command[0] == "translate" else 10), command[0]
