"""`glossary suggest --from-reviews`: a term reviewers consistently render another way becomes
a proposed glossary change; an inconsistent or single correction does not."""

import csv
import io
import subprocess
import sys

from pipeline.review.suggest import replacement
from pipeline.translate.memory import TranslationMemory

from tests.conftest import ROOT


def test_replacement_is_what_stands_between_the_unchanged_neighbours():
    assert replacement("Hon Hai chairman Young Liu said.", "Hon Hai chairman Liu Yang-wei said.", "Young Liu") == "Liu Yang-wei"
    assert replacement("TSMC grew.", "The chipmaker grew.", "TSMC") == "The chipmaker"
    assert replacement("TSMC grew.", "Grew.", "TSMC") is None  # deleted, not renamed


def test_consistent_corrections_are_proposed_as_csv(tmp_path):
    db = tmp_path / "tm.sqlite"
    memory = TranslationMemory(db)
    liu = [("劉揚偉", "Young Liu")]
    memory.put_rejected([
        ("劉揚偉說。", "Young Liu said.", "Liu Yang-wei said.", liu, "Ann", "a.docx"),
        ("劉揚偉表示，鴻海成長。", "Young Liu said Hon Hai grew.", "Liu Yang-wei said Hon Hai grew.", liu, "Bo", "b.docx"),
        ("台積電成長。", "TSMC grew.", "Taiwan Semi grew.", [("台積電", "TSMC")], "Ann", "a.docx"),
        ("台積電下跌。", "TSMC fell.", "The foundry fell.", [("台積電", "TSMC")], "Bo", "b.docx"),
    ])
    proc = subprocess.run([sys.executable, "-m", "pipeline", "glossary", "suggest", "--from-reviews", "--memory", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(r["source"], r["target"]) for r in rows] == [("劉揚偉", "Liu Yang-wei")]  # TSMC: two different renderings
    assert "Ann, Bo" in rows[0]["note"] and "count 2" in rows[0]["note"]
