"""Real XLIFF files written by CAT tools (tests/data/xliff/SOURCE.md): memoQ 8.6
(.mqxliff) and Trados Studio 2019 (.sdlxliff), the same HTML page translated
with the same edits made under change tracking.  They carry no briefing
manifest: they must read (units, sources, targets, who and when) and be
refused by `review import` with a one-line reason."""

import shutil
import sqlite3
import subprocess
import sys

import pytest

from pipeline.errors import BriefingError
from pipeline.xliff.read import read_reviewed_xliff, read_xliff

from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "xliff"
MEMOQ = DATA / "ChangeTracking_memoQ_1.mqxliff"
TRADOS = DATA / "ChangeTracking_Trados_1.sdlxliff"
# The page's five segments; the targets as the tools' change tracking leaves them, changes accepted.
SOURCES = ["Change Tracking", "Paragraph #1.", "Paragraph #2.", "Paragraph #3 with tags.", "Paragraph #4 with tags."]
TARGETS = ["CHANGE TRACKING", "#1.", "PARAGRAPH #2 INSERTED.", "WITH TAGS, PARAGRAPH #3.", "ABRACADABRA #4 with TAGS."]


@pytest.mark.parametrize("path, reviewer, modified", [
    (MEMOQ, "Froboz", "2019-05-05T05:48:30Z"),
    (TRADOS, "Zork\\Froboz", "2019-05-04T11:52:35Z"),
])
def test_cat_tool_files_read_with_tracked_changes_accepted(path, reviewer, modified):
    document = read_xliff(path)
    assert document.version == "1.2" and document.manifest is None
    assert [u.source for u in document.units] == SOURCES
    assert [u.target for u in document.units] == TARGETS
    assert len({u.id for u in document.units}) == 5 and all(u.id for u in document.units)
    assert (document.reviewer, document.modified) == (reviewer, modified)


def test_memoq_history_is_not_read_as_the_target():
    # each memoQ unit keeps its earlier versions (mq:historical-unit, empty targets) inside it
    assert "historical-unit" in MEMOQ.read_text(encoding="utf-8")
    assert all(u.target for u in read_xliff(MEMOQ).units)


def test_a_trados_comment_becomes_a_note(tmp_path):
    """Trados keeps comments in doc-info/cmt-defs and marks the commented text with an x-sdl-comment mrk."""
    text = TRADOS.read_text(encoding="utf-8")
    text = text.replace("<rev-defs>", '<cmt-defs><cmt-def id="c1"><Comments><Comment severity="Medium" '
                        'user="Froboz" date="2019-05-04T20:53:00" version="1.0">Use the house style.</Comment>'
                        "</Comments></cmt-def></cmt-defs><rev-defs>", 1)
    text = text.replace("CHANGE TRACKING</mrk></target>",
                        '<mrk mtype="x-sdl-comment" sdl:cid="c1">CHANGE TRACKING</mrk></mrk></target>', 1)
    edited = tmp_path / "commented.sdlxliff"
    edited.write_text(text, encoding="utf-8")
    units = read_xliff(edited).units
    assert units[0].target == "CHANGE TRACKING" and units[0].notes == ["Froboz: Use the house style."]
    assert all(not u.notes for u in units[1:])


@pytest.mark.parametrize("path", [MEMOQ, TRADOS])
def test_without_our_manifest_the_reader_refuses(path):
    with pytest.raises(BriefingError, match="no briefing manifest in this XLIFF"):
        read_reviewed_xliff(path)


@pytest.mark.parametrize("path", [MEMOQ, TRADOS])
def test_review_import_refuses_them_in_one_line_and_writes_nothing(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    db = tmp_path / "tm.sqlite"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "import", copy, "--memory", db],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"briefing: {copy}: no briefing manifest in this XLIFF (not written by `briefing "
                                   "xliff export`, or the CAT tool dropped it); nothing imported: translate the file "
                                   "`briefing xliff export` writes")
    assert not db.exists() or not sqlite3.connect(db).execute("SELECT COUNT(*) FROM human_translations").fetchone()[0]

