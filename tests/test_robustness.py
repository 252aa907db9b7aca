"""Runs that survive real input: bad files, encodings, kills, interruptions, readers' edits."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings, strategies as st

from pipeline.errors import InputError
from pipeline.glossary import Glossary, GlossaryEntry
from pipeline.ingest.readers import read_input
from pipeline.ingest.text import clean_text, parse_article
from pipeline.ingest.segment import split_sentences

from tests.conftest import ROOT, seed_paths
from tests.briefing.docx_helpers import appendix_lines, body_rows


def briefing(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, **kwargs)


def squash(text):
    return re.sub(r"\s+", "", text)


def test_good_articles_and_one_of_each_bad_kind(tmp_path, tiny_model_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    seed = seed_paths()[4]
    (inputs / "good.txt").write_bytes(seed.read_bytes())
    (inputs / "good-big5.txt").write_bytes(seed.read_text(encoding="utf-8").encode("cp950"))
    bad = {
        "empty.txt": (b"", "empty file"),
        "blank.txt": (" \r\n\t\n\u3000 \u00a0\n".encode(), "empty file"),
        "nul.txt": (b"\x00\x01binary\x00" * 50, "binary file"),
        "report.txt": (b"%PDF-1.5\n%\xe2\xe3\xcf\xd3", "PDF"),
        "attachment.txt": (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        "english.txt": (b"Just an English memo with one word \xe4\xb8\xad.\n" * 10, "almost no Chinese"),
        "mojibake.txt": (bytes(range(0x80, 0x100)) * 8, "undecodable"),
        "huge.txt": ("中文內容。".encode() * 40000, "limit"),
    }
    for name, (data, _) in bad.items():
        (inputs / name).write_bytes(data)
    (inputs / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    unreadable = inputs / "locked.txt"
    unreadable.write_bytes(seed.read_bytes())
    unreadable.chmod(0)
    out = tmp_path / "out"
    proc = briefing("run", inputs, "--model", tiny_model_dir, "--out", out, "--max-input-mb", "0.5")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    by_name = {Path(a["input"]).name: a for a in report["articles"]}
    assert by_name["good.txt"]["status"] == by_name["good-big5.txt"]["status"] == "ok"
    assert by_name["good-big5.txt"]["encoding"] in ("cp950", "big5", "big5hkscs")
    for name, (_, reason) in bad.items():
        record = by_name[name]
        assert record["status"] == "error" and reason in record["error"], (name, record["error"])
        assert "\n" not in record["error"]
    assert "broken symbolic link" in by_name["dangling.txt"]["error"]
    if os.geteuid() != 0:  # root reads any file
        assert "permission denied" in by_name["locked.txt"]["error"]
    assert body_rows(out / "good.docx") == body_rows(out / "good-big5.docx")


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "cp950"])
def test_encoded_copies_give_the_same_briefing(tmp_path, tiny_model_dir, codec):
    seed = seed_paths()[4]
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "utf8.txt").write_bytes(seed.read_bytes())
    (inputs / "copy.txt").write_bytes(seed.read_text(encoding="utf-8").encode(codec))
    out = tmp_path / "out"
    assert briefing("run", inputs, "--model", tiny_model_dir, "--out", out).returncode == 0
    assert body_rows(out / "utf8.docx") == body_rows(out / "copy.docx")


def test_nothing_lost_in_the_briefings_of_the_seeds(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    assert briefing("run", "--model", tiny_model_dir, "--out", out).returncode == 0
    for seed in seed_paths():
        docx_path = out / f"{seed.stem}.docx"
        left = "".join(original for original, _ in body_rows(docx_path)) + "".join(appendix_lines(docx_path))
        assert sorted(squash(left)) == sorted(squash(clean_text(seed.read_text(encoding="utf-8")))), seed.name
        # and in order for the body itself
        assert squash("".join(o for o, _ in body_rows(docx_path))) == squash("".join(b.text for b in read_input(seed).blocks))


_any_text = st.text(alphabet=st.characters(codec=None), max_size=300)
_lines = st.lists(
    st.one_of(
        _any_text,
        st.text(alphabet="鴻海董事長劉揚偉表示台積電擴產，。！？「」：、 ", min_size=1, max_size=60),
        st.sampled_from(["︿", "Top", "瀏覽次數:12", "facebook twitter", "【聲明】", "------", " date 2025-01-02 文：某人",
                         "文．記者", "本文授權自今周刊", "title: 標題", "<p>段落&amp;</p>", "\u200b\u00a0\u3000"]),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(lines=_lines, newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_articles_lose_nothing(lines, newline):
    raw = newline.join(lines)
    cleaned = clean_text(raw)
    try:
        article = parse_article(cleaned, Path("gen.txt"))
    except InputError:
        return
    kept = [b.text for b in article.blocks] + [m.text for m in article.metadata_lines] + [d.text for d in article.debris]
    assert sorted(squash("".join(kept))) == sorted(squash(cleaned))
    for block in article.blocks:
        assert "".join(block.sentences).strip() == block.text.strip()


_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_combining = st.characters(categories=["Mn", "Me"])
_wild = st.text(alphabet=st.one_of(st.characters(codec=None), _surrogates, _combining,
                                   st.sampled_from("鴻海台積電臺积OpenAI（）。")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(text=_wild)
def test_fuzz_cleaning_splitting_ingest_and_matching(text):
    cleaned = clean_text(text)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in cleaned)
    assert "".join(split_sentences(text)) == text
    try:
        parse_article(cleaned, Path("fuzz.txt"))
    except InputError:
        pass
    glossary = Glossary([GlossaryEntry("鴻海", "Hon Hai"), GlossaryEntry("台積電", "TSMC"), GlossaryEntry("OpenAI", "OpenAI")])
    for m in glossary.match(text):
        assert text[m.start:m.end] == m.surface


def test_killed_run_leaves_complete_files_and_resumes_from_memory(tmp_path, tiny_real_tokenizer_model_dir):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", "--model", str(tiny_real_tokenizer_model_dir), "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and not list(out.glob("*.docx")):
        time.sleep(0.2)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = list(out.glob("*.docx"))
    assert 0 < len(written) < 5, "kill landed mid-batch"
    for path in written:
        assert zipfile.ZipFile(path).testzip() is None
        Document(path)
    # what a kill inside a write leaves (the kill above rarely lands in one): the next run sweeps it
    (out / f".{seed_paths()[4].stem}.docx.k1ll3d_x.tmp").write_bytes(b"PK half a briefing")
    (out / ".run-report.json.k1ll3d_y.tmp").write_text("{", encoding="utf-8")
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in report["articles"]] == ["ok"] * 5
    assert report["summary"]["sentences_from_memory"] > 0
    assert not list(out.glob(".*.tmp"))
    for seed in seed_paths():
        Document(out / f"{seed.stem}.docx")


def test_interrupt_finishes_the_current_article_then_stops(tmp_path, tiny_real_tokenizer_model_dir):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", "--model", str(tiny_real_tokenizer_model_dir), "--out", str(out), "--no-memory"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and not (out / "run-report.json").exists():
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["run"]["interrupted"] is True and report["not_started"]
    assert len(report["articles"]) + len(report["not_started"]) == 5
    for record in report["articles"]:
        Document(record["output"])


def test_second_run_on_the_same_folder_refuses(tmp_path, tiny_model_dir):
    from pipeline.briefing.outputs import RunLock

    out = tmp_path / "out"
    out.mkdir()
    with RunLock(out):
        proc = briefing("run", "--model", tiny_model_dir, "--out", out)
    assert proc.returncode == 2
    assert "another briefing run" in proc.stderr and "Traceback" not in proc.stderr


def test_a_readers_edit_is_never_overwritten_silently(tmp_path, tiny_model_dir):
    seed = seed_paths()[4]
    out = tmp_path / "out"
    assert briefing("run", seed, "--model", tiny_model_dir, "--out", out).returncode == 0
    original = out / f"{seed.stem}.docx"
    assert briefing("run", seed, "--model", tiny_model_dir, "--out", out).returncode == 0  # unchanged: replaced in place
    assert not (out / f"{seed.stem} (2).docx").exists()
    doc = Document(original)
    doc.add_paragraph("Reviewer's note: checked the figures.")
    doc.save(original)
    edited = original.read_bytes()
    proc = briefing("run", seed, "--model", tiny_model_dir, "--out", out)
    assert proc.returncode == 0 and "differs from the briefing this tool wrote" in proc.stderr
    assert original.read_bytes() == edited
    assert (out / f"{seed.stem} (2).docx").exists()
    assert briefing("run", seed, "--model", tiny_model_dir, "--out", out, "--force").returncode == 0
    assert original.read_bytes() != edited


def test_kills_at_random_points_of_every_writing_command_leave_only_valid_files(tmp_path, tiny_model_dir):
    """devtools/kill_test.py with 4 kills (the README quotes its 20-kill run): run, review import,
    memory import and glossary import each SIGKILLed once at a seeded random point; every file
    left must be valid, and the next run must finish without a .tmp or a "(2)" file."""
    proc = subprocess.run([sys.executable, "-m", "devtools.kill_test", "--kills", "4", "--articles", "1",
                           "--seed", "1", "--work", str(tmp_path / "work"), "--model", str(tiny_model_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("kill_test: 4 SIGKILLs landed (1 run, 1 review import, 1 memory import, 1 glossary import;")
    assert "the next run exit 0" in last and "0 problem(s)" in last
    assert [line.split(":")[0] for line in proc.stdout.splitlines() if line.startswith("kill ")] == \
        [f"kill {k:2d}" for k in range(1, 5)]


def test_the_kill_test_finds_a_damaged_file(tmp_path):
    """Its checks can fail: a truncated briefing, a corrupt memory, a half-written report."""
    from devtools.kill_test import Layout, problems_left

    layout = Layout(tmp_path, tmp_path / "model")
    layout.out.mkdir()
    (layout.out / "a.docx").write_bytes(b"PK\x03\x04 half a briefing")
    (layout.out / "run-report.json").write_text('{"articles": [', encoding="utf-8")
    layout.memory.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200)
    found = problems_left(layout)
    assert [p.split(":")[0] for p in found] == ["a.docx", "translation-memory.sqlite", "run-report.json"], found
