import json
from datetime import datetime, timezone

from pipeline.briefing.report import ArticleRecord, RunReport
from pipeline.signature import Signature

SIG = Signature("Helsinki-NLP/opus-mt-zh-en", "abc123", "tw2sp", "dd20b029b6d0", 85, "beam=4 lenpen=1.0", "inline")


def test_signature_names_every_setting():
    short = SIG.short()
    for part in ("briefing:", "model:Helsinki-NLP/opus-mt-zh-en@abc123", "opencc:tw2sp", "glossary:dd20b029b6d0(85)",
                 "terms:inline", "numbers:on(NT$)", "beam=4", "lenpen=1.0"):
        assert part in short
    assert SIG.as_dict()["signature"] == short


def test_report_is_written_atomically_with_the_run_and_summary(tmp_path):
    report = RunReport(SIG, datetime(2026, 1, 1, tzinfo=timezone.utc))
    report.articles.append(ArticleRecord("seeds/a.txt", "out/a.docx", "ok", sentences=3, sentences_from_memory=1,
                                         sentences_human=1, sentences_fuzzy=1, flags={"number": 2}))
    report.articles.append(ArticleRecord("seeds/b.txt", None, "error", error="seeds/b.txt: empty file"))
    path = report.write(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["run"]["model_id"] == "Helsinki-NLP/opus-mt-zh-en" and data["run"]["complete"] is False
    assert data["summary"] == {"articles": 2, "ok": 1, "error": 1, "skipped": 0, "sentences_translated": 0,
                               "sentences_translated_from_memory": 0, "sentences": 3, "sentences_from_memory": 1,
                               "sentences_human": 1, "sentences_fuzzy": 1, "flags": {"number": 2}}
    assert data["articles"][1]["error"] == "seeds/b.txt: empty file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-report.json"]
