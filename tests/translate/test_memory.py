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


def test_a_reviewers_english_survives_a_change_in_the_accepted_forms(tmp_path):
    """Human translations are keyed by each requirement's canonical English: a new rule
    for the forms it also accepts (plurals, names in capitals) must not lose them, and
    one stored under an earlier key is filed again when the memory opens."""
    import hashlib
    import json
    import sqlite3

    from pipeline.translate.memory import HumanEntry, TranslationMemory

    source = "輝達晶片需求強勁。"
    old_forms, new_forms = (("NVIDIA", "Nvidia"), ("chip",)), (("NVIDIA", "Nvidia", "NVIDIA's"), ("chip", "chips"))
    assert TranslationMemory.human_key(source, old_forms) == TranslationMemory.human_key(source, new_forms)
    path = tmp_path / "tm.sqlite"
    memory = TranslationMemory(path)
    memory.put_human([HumanEntry(source, old_forms, "Demand for NVIDIA chips is strong.", "ed", "", "", "")])
    memory.close()
    # the key an earlier version wrote: the whole tuples, sorted
    old_key = hashlib.sha256(json.dumps(["human", source, sorted(old_forms)], ensure_ascii=False).encode()).hexdigest()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE human_translations SET key = ?", (old_key,))
    reopened = TranslationMemory(path)
    key = TranslationMemory.human_key(source, new_forms)
    assert reopened.get_human([key]) == {key: "Demand for NVIDIA chips is strong."}
