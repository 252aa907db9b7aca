"""The DOCX briefings of the five seeds, reopened with python-docx and read as XML."""

import json
import re
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.ingest import read_article

from conftest import ROOT, seed_paths


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory, tiny_model_dir):
    out = tmp_path_factory.mktemp("briefings")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--model", str(tiny_model_dir), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc


def _body_table(doc):
    """The side-by-side table: the one whose header reads 原文 / English."""
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["原文", "English"])


def test_five_briefings_and_a_report_with_five_ok(seed_run):
    out, _ = seed_run
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in report["articles"]] == ["ok"] * 5
    for record, path in zip(report["articles"], seed_paths()):
        assert record["input"].endswith(path.name)
        assert record["output"].endswith(path.stem + ".docx")
        assert record["error"] is None and record["seconds"] > 0
        assert record["paragraphs"] == len(read_article(path).blocks)
        assert record["sentences"] > 0
        assert record["terms_satisfied"] == record["terms_required"]
    assert report["articles"][0]["terms_required"] > 20
    first = report["articles"][0]
    assert first["numbers_required"] >= 5 and first["numbers_satisfied"] == first["numbers_required"]
    # random weights leave Chinese pieces in the English: the QA flags must say so
    assert first["flags"]["untranslated"] > 0
    assert first["flagged"] and {"source", "translation", "flags"} <= set(first["flagged"][0])
    assert report["summary"]["flags"]["untranslated"] >= first["flags"]["untranslated"]
    run = report["run"]
    assert run["opencc_config"] == "tw2sp" and run["package_version"] and run["model_id"] and run["started_at"]
    assert run["complete"] is True
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("translation-memory.sqlite"))
    assert written == sorted([p.stem + ".docx" for p in seed_paths()] + ["run-report.json"])


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_left_column_is_the_original_paragraphs_in_order(seed_run, path):
    out, _ = seed_run
    article = read_article(path)
    doc = Document(out / f"{path.stem}.docx")
    table = _body_table(doc)
    assert len(table.columns) == 2
    header, *rows = table.rows
    assert [c.text for c in header.cells] == ["原文", "English"]
    assert [r.cells[0].text for r in rows] == [b.text for b in article.blocks]
    assert all(r.cells[1].text.strip() for r in rows)


def test_title_block_and_metadata(seed_run):
    out, _ = seed_run
    path = seed_paths()[3]
    article = read_article(path)
    doc = Document(out / f"{path.stem}.docx")
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text.strip()
    assert doc.paragraphs[1].text == article.title
    meta = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert meta["Date"] == "2025-12-02"
    assert meta["Source"] == "科技產業資訊室(iKnow)"
    assert meta["Byline"] == "劉佩真"
    assert meta["Original file"].startswith(path.name)
    assert meta["Normalisation"] == "OpenCC tw2sp"
    assert meta["Signature"].startswith("briefing:")
    assert doc.core_properties.title == doc.paragraphs[0].text[:255]


def test_appendix_lists_debris_and_metadata_lines(seed_run):
    out, _ = seed_run
    path = seed_paths()[3]
    doc = Document(out / f"{path.stem}.docx")
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Appendix")
    appendix = "\n".join(texts[start:])
    for debris in read_article(path).debris:
        assert debris.text in appendix
    assert "發表於 2025年12月2日" in appendix


def test_key_terms_and_bold_marks(seed_run, seed_glossary):
    out, _ = seed_run
    path = seed_paths()[0]
    doc = Document(out / f"{path.stem}.docx")
    key_terms = {r.cells[0].text: int(r.cells[2].text) for r in doc.tables[1].rows[1:]}
    assert key_terms["Hon Hai (Foxconn)"] >= 10 and "NVIDIA" in key_terms and "Young Liu" in key_terms
    first_row = _body_table(doc).rows[1]
    bold_left = {r.text for r in first_row.cells[0].paragraphs[0].runs if r.bold}
    bold_right = {r.text for r in first_row.cells[1].paragraphs[0].runs if r.bold}
    assert {"鴻海", "劉揚偉", "OpenAI"} <= bold_left
    assert {"Hon Hai (Foxconn)", "Young Liu", "OpenAI"} <= bold_right


def test_xml_traps_east_asian_font_widths_repeated_header_footer_fields(seed_run):
    out, _ = seed_run
    path = out / f"{seed_paths()[0].stem}.docx"
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
        document = z.read("word/document.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert re.search(r'<w:rFonts[^>]*w:eastAsia="Microsoft JhengHei"', styles)
    assert 'w:eastAsia="zh-TW"' in styles
    doc = Document(path)
    body = _body_table(doc)
    widths = set()
    for row in body.rows:
        for cell in row.cells:
            tcw = cell._tc.tcPr.find(qn("w:tcW"))
            assert tcw is not None and tcw.get(qn("w:type")) == "dxa"
            widths.add(tcw.get(qn("w:w")))
    assert len(widths) == 1  # equal columns, fixed on every cell
    assert body._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    header = body.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None
    assert "<w:tblHeader" in document
    assert "PAGE" in footers and "NUMPAGES" in footers


def test_flagged_rows_are_shaded_with_a_comment_and_summarised(seed_run):
    out, _ = seed_run
    path = out / f"{seed_paths()[0].stem}.docx"
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        document = z.read("word/document.xml").decode()
        comments = z.read("word/comments.xml").decode() if "word/comments.xml" in names else ""
    assert "word/comments.xml" in names
    assert document.count("<w:commentRangeStart") == document.count("<w:commentRangeEnd") > 0
    assert "untranslated:" in comments
    assert 'w:fill="FFF2CC"' in document
    doc = Document(path)
    texts = [p.text for p in doc.paragraphs]
    assert "QA summary" in texts
    qa_table = doc.tables[-1]
    assert [c.text for c in qa_table.rows[0].cells] == ["Flag", "Sentence", "Reason"]
    assert len(qa_table.rows) > 1
