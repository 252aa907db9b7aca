"""The review round trip, end to end: a briefing written by `briefing run`, edited as a
reviewer would (changed cells, a tracked change written into the XML, a deleted row, a
comment), read back by `briefing review import`, and a re-run that carries exactly the
reviewer's English, marked as reviewed.  Once as python-docx saves it (as Word keeps the
XML), once after a LibreOffice round trip.  Real model (tiny, random weights), real files."""

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.translate.presence import is_present

from tests.briefing.docx_helpers import find_table
from tests.conftest import seed_paths
from tests.review.round_trip_helpers import SEED, briefing_cli, briefing_manifest, copy_of_run, norm, seed_run

REVIEWER = "Ann Reviewer"
NO_SOFFICE = "LibreOffice (soffice) is not installed; CI images with it run this round trip"


_briefing, _manifest, _norm = briefing_cli, briefing_manifest, norm


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, tiny_model_dir):
    return seed_run(tmp_path_factory, tiny_model_dir, "review-out")


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
    out, briefing = copy_of_run(first_run, tmp_path)
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

    again = _briefing("run", SEED, "--model", tiny_model_dir, "--out", out, "--no-index", "--no-digest")
    assert again.returncode == 0, again.stderr
    briefings = sorted(p.name for p in out.glob("*.docx") if p.name not in ("digest.docx", "index.docx"))
    assert briefings == [briefing.name], "the reviewed file was replaced, not kept beside"
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


def _body_rows(doc):
    return {r.cells[-1].text.split()[0]: r for r in find_table(doc, ("原文", "English")).rows[1:]}


def _set_english(row, text):
    cell = row.cells[1]
    _clear(cell.paragraphs[0])
    if text:
        cell.paragraphs[0].add_run(text)


def _humans(out):
    return dict(sqlite3.connect(out / "translation-memory.sqlite").execute(
        "SELECT source, translation FROM human_translations").fetchall())


def _joined(row):
    """A row's source as the memory keys a whole-paragraph correction: its sentences as written."""
    return "".join(s.source for s in row.segments)


def _flag_lines(stdout, row_id):
    return [line for line in stdout.splitlines() if line.strip().startswith(f"flagged: row ID {row_id} ")]


def _authority_review(briefing):
    """A reviewer's edits: a figure restated ("7,000 employees"), a term removed, an empty cell,
    the Chinese pasted into the English, and a three-sentence paragraph translated only in part."""
    plain = [r for r in _manifest(briefing).rows if r.kind == "paragraph"]
    people = next(r for r in plain for t in (t for s in r.segments for t in s.terms)
                  if t.kind == "number" and t.target.endswith(" people") and is_present(t.target, r.english, t.variants))
    figure = next(t.target for s in people.segments for t in s.terms if t.kind == "number" and t.target.endswith(" people"))
    short = next(r for r in plain if len(r.segments) >= 3 and r is not people)
    term = next(r for r in plain if _kept_terms(r) and r not in (people, short))
    empty, chinese = [r for r in plain if r not in (people, short, term)][:2]
    restated = " ".join(["The reviewer restated it:"] + [k.replace(" people", " employees") for k in _kept_terms(people)])
    edits = {people.id: restated, term.id: "A rewrite that names nobody.", empty.id: "", chinese.id: chinese.source,
             short.id: "Only the first sentence was translated."}
    doc = Document(briefing)
    rows = _body_rows(doc)
    for row_id, text in edits.items():
        _set_english(rows[row_id], text)
    doc.save(briefing)
    return {"people": people, "figure": figure, "term": term, "empty": empty, "chinese": chinese, "short": short,
            "edits": edits}


@pytest.mark.parametrize("editor", ["python-docx", "libreoffice"])
def test_the_reviewer_is_the_authority_and_the_import_the_checker(editor, first_run, tmp_path):
    if editor == "libreoffice" and not shutil.which("soffice"):
        pytest.skip(NO_SOFFICE)
    out, briefing = copy_of_run(first_run, tmp_path)
    did = _authority_review(briefing)
    if editor == "libreoffice":  # the reviewer saved in LibreOffice
        libreoffice_round_trip(briefing, tmp_path)
    proc = _briefing("review", "import", briefing, "--out", out)
    assert proc.returncode == 1, proc.stderr  # two rows refused
    assert f"refused: {briefing}: row ID {did['empty'].id}: the English cell is empty; nothing imported" in proc.stdout
    assert f"refused: {briefing}: row ID {did['chinese'].id}: the English cell is mostly Chinese" in proc.stdout
    humans = _humans(out)
    assert _joined(did["empty"]) not in humans and _joined(did["chinese"]) not in humans
    assert not any(s.source in humans for r in (did["empty"], did["chinese"]) for s in r.segments)
    # the figure restated as "7,000 employees" is stated: imported, no dropped-figure flag
    assert humans[_joined(did["people"])] == _norm(did["edits"][did["people"].id])
    assert not any("reviewer-dropped-figure" in line for line in _flag_lines(proc.stdout, did["people"].id))
    # the term removed: imported, flagged
    assert humans[_joined(did["term"])] == did["edits"][did["term"].id]
    assert any("reviewer-dropped-term" in line for line in _flag_lines(proc.stdout, did["term"].id))
    # a third of the paragraph: imported, flagged for a second look, with the new flags only
    assert humans[_joined(did["short"])] == did["edits"][did["short"].id]
    short_flags = {line.split(": ")[2] for line in _flag_lines(proc.stdout, did["short"].id)}
    assert "reviewer-short" in short_flags
    assert short_flags <= {"reviewer-short", "reviewer-dropped-term", "reviewer-dropped-figure", "term", "number", "length"}
    assert "refused 2" in proc.stdout and "glossary breaks 0" in proc.stdout


def test_strict_refuses_what_drops_a_term_or_figure(first_run, tmp_path):
    out, briefing = copy_of_run(first_run, tmp_path)
    did = _authority_review(briefing)
    proc = _briefing("review", "import", briefing, "--out", out, "--strict")
    assert proc.returncode == 1
    dropped = _kept_terms(did["term"])[0]
    assert f"row ID {did['term'].id}: the correction drops {dropped}" in proc.stdout and "--strict" in proc.stdout
    humans = _humans(out)
    assert _joined(did["term"]) not in humans and humans[_joined(did["people"])]  # 7,000 employees is no drop
    db = sqlite3.connect(out / "translation-memory.sqlite")
    assert db.execute("SELECT COUNT(*) FROM rejected_reviews").fetchone()[0] >= 1


def test_a_body_from_another_article_is_refused(first_run, tmp_path):
    out, briefing = copy_of_run(first_run, tmp_path)
    other = [line for line in seed_paths()[1].read_text(encoding="utf-8").splitlines() if line.strip()]
    doc = Document(briefing)
    for i, row in enumerate(_body_rows(doc).values()):
        row.cells[0].text = other[i % len(other)]
        _set_english(row, f"Another article's paragraph {i}.")
    doc.save(briefing)
    proc = _briefing("review", "import", briefing, "--out", out)
    assert proc.returncode == 1 and f"{briefing}: the body is not the article this briefing was written for" in proc.stderr
    assert _humans(out) == {}


def test_merged_duplicated_and_moved_rows_are_reported_never_guessed(first_run, tmp_path):
    import copy

    out, briefing = copy_of_run(first_run, tmp_path)
    plain = [r for r in _manifest(briefing).rows if r.kind == "paragraph"]
    by_id = {r.id: r for r in _manifest(briefing).rows}
    pairs = [(a, b) for a, b in zip(plain, plain[1:]) if int(b.id) == int(a.id) + 1]
    (copied, overwritten), (first, second) = pairs[0], pairs[2]
    mover = next(r for r in plain[::-1] if r not in (copied, overwritten, first, second) and _kept_terms(r))
    doc = Document(briefing)
    rows = _body_rows(doc)
    twin = copy.deepcopy(rows[copied.id]._tr)  # row copied over the next one, then edited
    rows[overwritten.id]._tr.addprevious(twin)
    rows[overwritten.id]._tr.getparent().remove(rows[overwritten.id]._tr)
    rows[first.id].cells[0].text = first.source + second.source  # two rows merged into one
    _set_english(rows[first.id], "The two paragraphs, merged.")
    rows[second.id]._tr.getparent().remove(rows[second.id]._tr)
    moved_text = " ".join(["Moved and edited."] + _kept_terms(mover))
    _set_english(rows[mover.id], moved_text)
    table = rows[mover.id]._tr.getparent()
    table.remove(rows[mover.id]._tr)
    rows[plain[0].id]._tr.addprevious(rows[mover.id]._tr)  # moved to the top of the body
    doc.save(briefing)
    from docx import Document as Reopen  # the copy's English edited in the saved file
    doc = Reopen(briefing)
    body = find_table(doc, ("原文", "English")).rows[1:]
    copies = [r for r in body if r.cells[-1].text.split()[0] == copied.id]
    assert len(copies) == 2
    _set_english(copies[1], "The copy, edited.")
    doc.save(briefing)
    proc = _briefing("review", "import", briefing, "--out", out)
    assert proc.returncode == 1
    assert f"duplicated: row ID {copied.id} appears 2 times" in proc.stdout and "the copies differ, none imported" in proc.stdout
    assert f"row ID {overwritten.id} (" in proc.stdout  # the overwritten row: not in the document
    assert f"joins rows ID {first.id}, {second.id}; not imported" in proc.stdout
    assert f"moved: row ID {mover.id} is now document row 1" in proc.stdout
    humans = _humans(out)
    assert not {_joined(r) for r in (copied, overwritten, first, second)} & set(humans)
    assert not any(s.source in humans for r in (copied, overwritten, first, second) for s in r.segments)
    assert humans.get(_joined(mover)) == _norm(moved_text) or all(s.source in humans for s in mover.segments)
    assert by_id[mover.id].english != moved_text


def test_a_second_review_of_the_same_briefing_is_a_conflict_until_decided(first_run, tmp_path):
    out, original = copy_of_run(first_run, tmp_path)
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
