"""The review round trip, end to end: a briefing written by `briefing run`, edited as a
reviewer would (changed cells, a tracked change written into the XML, a deleted row, a
comment), read back by `briefing review import`, and a re-run that carries exactly the
reviewer's English, marked as reviewed.  Once as python-docx saves it (as Word keeps the
XML), once after a LibreOffice round trip.  Real model (tiny, random weights), real files."""

import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.review.manifest import read as read_manifest
from pipeline.translate.presence import is_present

from tests.briefing.docx_helpers import find_table
from tests.conftest import ROOT, seed_paths

SEED = seed_paths()[0]
REVIEWER = "Ann Reviewer"
NO_SOFFICE = "LibreOffice (soffice) is not installed; CI images with it run this round trip"


def _briefing(cmd, *args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", cmd, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, tiny_model_dir):
    out = tmp_path_factory.mktemp("review-out")
    proc = _briefing("run", SEED, "--model", tiny_model_dir, "--out", out, "--no-index")
    assert proc.returncode == 0, proc.stderr
    return out


def _manifest(path):
    with zipfile.ZipFile(path) as z:
        return read_manifest(z)


def _norm(text):
    return " ".join(text.split())


def _clear(paragraph):
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)


def _kept_terms(row):
    """The required English present in the row's English before review: a fair reviewer keeps it."""
    return [t.target for s in row.segments for t in s.terms if is_present(t.target, row.english, t.variants)]


def _tracked_replace(paragraph, new_text, author):
    """Word's XML for a tracked replacement: the old runs inside w:del (w:delText), the new in w:ins."""
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "9001")
    deleted.set(qn("w:author"), author)
    deleted.set(qn("w:date"), "2026-11-20T10:00:00Z")
    for run in list(paragraph._p.findall(qn("w:r"))):
        for t in run.findall(qn("w:t")):
            t.tag = qn("w:delText")
        paragraph._p.remove(run)
        deleted.append(run)
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "9002")
    inserted.set(qn("w:author"), author)
    inserted.set(qn("w:date"), "2026-11-20T10:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = new_text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    inserted.append(run)
    paragraph._p.append(deleted)
    paragraph._p.append(inserted)


def review(path: Path) -> dict:
    """Edit the briefing at ``path`` in place as a reviewer; returns what the reviewer did."""
    manifest = _manifest(path)
    plain = [r for r in manifest.rows if r.kind == "paragraph"]
    multi = [r for r in plain if len([s for s in r.segments if s.english]) >= 2]
    assert len(plain) >= 4 and multi, "the seed needs paragraphs of several sentences"
    rewritten, tracked = plain[0], multi[-1]
    deleted = next(r for r in plain if r not in (rewritten, tracked))
    doc = Document(path)
    table = find_table(doc, ("原文", "English"))
    rows = {row.cells[-1].text.split()[0]: row for row in table.rows[1:]}

    new_rewritten = " ".join(["The reviewer rewrote this paragraph."] + _kept_terms(rewritten))
    english = rows[rewritten.id].cells[1].paragraphs[0]
    _clear(english)
    run = english.add_run(new_rewritten)
    doc.add_comment([run], text="Checked against the press release.", author=REVIEWER, initials="AR")

    # the tracked change keeps every sentence but the last, which the reviewer replaces
    head = " ".join(s.english for s in tracked.segments[:-1] if s.english)
    last_terms = [t.target for t in tracked.segments[-1].terms
                  if is_present(t.target, tracked.segments[-1].english, t.variants)]
    new_tracked = _norm(head + " " + " ".join(["The last sentence, corrected."] + last_terms))
    _tracked_replace(rows[tracked.id].cells[1].paragraphs[0], new_tracked, REVIEWER)

    tr = rows[deleted.id]._tr
    tr.getparent().remove(tr)
    doc.core_properties.last_modified_by = REVIEWER
    doc.save(path)
    return {"rewritten": (rewritten.id, _norm(new_rewritten)), "tracked": (tracked.id, new_tracked),
            "deleted": deleted.id}


def libreoffice_round_trip(path: Path, work: Path) -> None:
    """Open and save in LibreOffice (headless), in place."""
    converted = work / "lo"
    converted.mkdir()
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{work / 'lo-profile'}", "--headless",
                           "--convert-to", "docx", "--outdir", str(converted), str(path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and (converted / path.name).exists(), proc.stderr
    shutil.copyfile(converted / path.name, path)


def _english_by_id(path):
    table = find_table(Document(path), ("原文", "English"))
    found = {}
    for row in table.rows[1:]:
        cells = row.cells
        row_id = cells[-1].text.split()[0]
        merged = cells[0]._tc is cells[1]._tc
        english = "\n".join(p.text for p in cells[0].paragraphs[1:]) if merged else cells[1].text
        found[row_id] = (_norm(english), "reviewed" in cells[-1].text, cells[1])
    return found


@pytest.mark.parametrize("editor", ["python-docx", "libreoffice"])
def test_reviewed_english_comes_back_marked_and_replaces_the_file(editor, first_run, tmp_path, tiny_model_dir):
    if editor == "libreoffice" and not shutil.which("soffice"):
        pytest.skip(NO_SOFFICE)
    out = tmp_path / "out"
    shutil.copytree(first_run, out)
    briefing = out / f"{SEED.stem}.docx"
    before = _english_by_id(briefing)
    if editor == "libreoffice":
        libreoffice_round_trip(briefing, tmp_path)
        assert _manifest(briefing) is not None, "LibreOffice dropped the customXml manifest"
    did = review(briefing)

    dry = _briefing("review", "import", briefing, "--out", out, "--dry-run")
    assert "would import" in dry.stdout and did["rewritten"][1] in dry.stdout
    assert not sqlite3.connect(out / "translation-memory.sqlite").execute(
        "SELECT COUNT(*) FROM human_translations").fetchone()[0], "a dry run wrote to the memory"

    imported = _briefing("review", "import", briefing, "--out", out)
    assert imported.returncode == 1, imported.stderr  # the deleted row needs a look
    assert f"row ID {did['deleted']} " in imported.stdout and "not in the document" in imported.stdout
    assert "conflicts 0" in imported.stdout and "glossary breaks 0" in imported.stdout
    assert f"reviewer {REVIEWER}" in imported.stdout
    humans = sqlite3.connect(out / "translation-memory.sqlite").execute(
        "SELECT translation, reviewer, note FROM human_translations").fetchall()
    assert {r[1] for r in humans} == {REVIEWER}
    assert any("press release" in r[2] for r in humans), "the comment became the entry's note"

    again = _briefing("run", SEED, "--model", tiny_model_dir, "--out", out, "--no-index")
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.glob("*.docx")) == [briefing.name], "the reviewed file was replaced, not kept beside"
    after = _english_by_id(briefing)
    for key in ("rewritten", "tracked"):
        row_id, text = did[key]
        english, marked, cell = after[row_id]
        assert english == text and marked
        assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "E2EFDA"
    untouched = [i for i in before if i not in (did["rewritten"][0], did["tracked"][0])]
    assert all(after[i][0] == before[i][0] and not after[i][1] for i in untouched)
    meta = {r.cells[0].text: r.cells[1].text for r in Document(briefing).tables[0].rows}
    assert meta["Reviewed"].startswith(f"2 of {len(before)} paragraphs")
    origins = {s.origin for r in _manifest(briefing).rows if r.id == did["tracked"][0] for s in r.segments}
    assert "human" in origins
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["sentences_from_memory"] == report["summary"]["sentences"]


def test_a_correction_that_drops_a_glossary_term_is_reported_not_imported(first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run, out)
    briefing = out / f"{SEED.stem}.docx"
    manifest = _manifest(briefing)
    row = next(r for r in manifest.rows if r.kind == "paragraph" and _kept_terms(r))
    dropped = _kept_terms(row)[0]
    doc = Document(briefing)
    cell = next(r for r in find_table(doc, ("原文", "English")).rows[1:] if r.cells[-1].text.split()[0] == row.id).cells[1]
    _clear(cell.paragraphs[0])
    cell.paragraphs[0].add_run("A rewrite that names nobody.")
    doc.save(briefing)
    proc = _briefing("review", "import", briefing, "--out", out)
    assert proc.returncode == 1
    assert f"row ID {row.id}: the correction drops {dropped}" in proc.stdout
    db = sqlite3.connect(out / "translation-memory.sqlite")
    assert db.execute("SELECT COUNT(*) FROM human_translations").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM rejected_reviews").fetchone()[0] == 1


def test_a_second_review_of_the_same_briefing_is_a_conflict_until_decided(first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run, out)
    original = out / f"{SEED.stem}.docx"
    row = next(r for r in _manifest(original).rows if r.kind == "paragraph")

    def reviewed_copy(name, text):
        path = tmp_path / name
        doc = Document(original)
        cell = next(r for r in find_table(doc, ("原文", "English")).rows[1:]
                    if r.cells[-1].text.split()[0] == row.id).cells[1]
        _clear(cell.paragraphs[0])
        cell.paragraphs[0].add_run(" ".join([text] + _kept_terms(row)))
        doc.save(path)
        return path

    first, second = reviewed_copy("first.docx", "First reviewer."), reviewed_copy("second.docx", "Second reviewer.")
    assert _briefing("review", "import", first, "--out", out).returncode == 0
    conflict = _briefing("review", "import", second, "--out", out)
    assert conflict.returncode == 1 and "conflicts 1" in conflict.stdout and "First reviewer." in conflict.stdout
    db = out / "translation-memory.sqlite"
    texts = lambda: [t for (t,) in sqlite3.connect(db).execute("SELECT translation FROM human_translations")]
    assert all(t.startswith("First reviewer.") for t in texts())
    kept = _briefing("review", "import", second, "--out", out, "--prefer", "memory")
    assert "conflicts 0" in kept.stdout and all(t.startswith("First reviewer.") for t in texts())
    taken = _briefing("review", "import", second, "--out", out, "--prefer", "review")
    assert taken.returncode == 0 and all(t.startswith("Second reviewer.") for t in texts())


def test_a_document_without_a_manifest_is_a_clear_error(tmp_path):
    plain = tmp_path / "plain.docx"
    Document().save(plain)
    proc = _briefing("review", "import", plain, "--memory", tmp_path / "tm.sqlite")
    assert proc.returncode == 1 and f"{plain}: no segment manifest" in proc.stderr
    assert "Traceback" not in proc.stderr
