"""The DOCX briefings of the five seeds and the batch index, reopened with
python-docx and read as XML (the traps: East Asian font, widths on every
cell, repeated header rows, comment anchors, footer fields)."""

import json
import re
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline import __version__
from pipeline.ingest.readers import read_input

from tests.conftest import ROOT, seed_paths
from tests.briefing.docx_helpers import (CJK, R, W, appendix_lines, body_rows, find_table, is_merged, is_on, italic_styles,
                                         last_section, parts, run_text, xml)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory, tiny_model_dir):
    out = tmp_path_factory.mktemp("briefings")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--model", str(tiny_model_dir), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc


def _xml(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode() if name in z.namelist() else ""


def test_five_briefings_an_index_and_a_report_with_five_ok(seed_run):
    out, _ = seed_run
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in report["articles"]] == ["ok"] * 5
    for record, path in zip(report["articles"], seed_paths()):
        assert record["input"].endswith(path.name)
        assert record["output"].endswith(path.stem + ".docx")
        assert record["error"] is None and record["seconds"] > 0
        assert record["paragraphs"] == len(read_input(path).blocks)
        assert record["sentences"] > 0
        assert record["terms_satisfied"] == record["terms_required"]
        assert len(record["output_sha256"]) == 64
    assert report["articles"][0]["terms_required"] > 20
    first = report["articles"][0]
    assert first["numbers_required"] >= 5 and first["numbers_satisfied"] == first["numbers_required"]
    # random weights leave Chinese pieces in the English: the QA flags must say so
    assert first["flags"]["untranslated"] > 0
    assert first["flagged"] and {"source", "translation", "flags"} <= set(first["flagged"][0])
    assert report["summary"]["flags"]["untranslated"] >= first["flags"]["untranslated"]
    run = report["run"]
    assert run["opencc_config"] == "tw2sp" and run["package_version"] and run["model_id"] and run["started_at"]
    assert run["complete"] is True and run["index"].endswith("index.docx")
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith((".", "translation-memory")))
    assert visible == sorted([p.stem + ".docx" for p in seed_paths()] + ["digest.docx", "index.docx", "run-report.json"])
    assert run["digest"].endswith("digest.docx")


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_left_column_is_the_original_paragraphs_in_order(seed_run, path):
    out, _ = seed_run
    article = read_input(path)
    rows = body_rows(out / f"{path.stem}.docx")
    assert [original for original, _ in rows] == [b.text for b in article.blocks]
    assert all(english.strip() for _, english in rows)


def test_headings_are_shaded_full_width_rows(seed_run):
    out, _ = seed_run
    path = seed_paths()[0]
    table = find_table(Document(out / f"{path.stem}.docx"), ("原文", "English"))
    blocks = read_input(path).blocks
    for row, block in zip(table.rows[1:], blocks):
        assert is_merged(row) == block.is_heading
        if block.is_heading:
            tc_pr = row.cells[0]._tc.tcPr
            assert tc_pr.find(qn("w:gridSpan")).get(qn("w:val")) == "2"
            assert tc_pr.find(qn("w:shd")) is not None
            assert all(r.bold for r in row.cells[0].paragraphs[0].runs)


def test_title_block_and_metadata(seed_run):
    out, _ = seed_run
    path = seed_paths()[3]
    article = read_input(path)
    doc = Document(out / f"{path.stem}.docx")
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text.strip()
    assert doc.paragraphs[1].text == article.title
    meta = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert list(meta) == ["Date", "Source", "Byline", "Length", "QA flags", "Reviewed"]  # a reader's first page
    assert meta["Date"] == "2025-12-02"
    assert meta["Source"] == "科技產業資訊室(iKnow)"
    assert meta["Byline"] == "劉佩真"
    assert "Chinese characters" in meta["Length"] and "English words" in meta["Length"]
    about = {r.cells[0].text: r.cells[1].text for r in doc.tables[-1].rows}  # the last section's table
    assert about["Original file"].startswith(path.name)
    assert about["Normalisation"] == "OpenCC tw2sp"
    assert about["Generated"].endswith("UTC by briefing " + __version__)
    assert about["Signature"].startswith("briefing:") and "glossary:" in about["Signature"]
    props = doc.core_properties
    assert props.title == doc.paragraphs[0].text[:255]
    assert props.subject == article.title and props.keywords
    assert "<Application>briefing " in _xml(out / f"{path.stem}.docx", "docProps/app.xml")


def test_appendix_lists_debris_and_metadata_lines(seed_run):
    out, _ = seed_run
    path = seed_paths()[3]
    lines = appendix_lines(out / f"{path.stem}.docx")
    article = read_input(path)
    assert lines == [m.text for m in article.metadata_lines] + [d.text for d in article.debris]
    assert "科技產業資訊室(iKnow) - 劉佩真 發表於 2025年12月2日" in lines


def test_key_terms_and_bold_marks(seed_run):
    out, _ = seed_run
    path = seed_paths()[0]
    doc = Document(out / f"{path.stem}.docx")
    key_terms = {r.cells[0].text: int(r.cells[2].text) for r in find_table(doc, ("English", "原文", "Count")).rows[1:]}
    assert key_terms["Hon Hai (Foxconn)"] >= 10 and "NVIDIA" in key_terms and "Young Liu" in key_terms
    first_row = find_table(doc, ("原文", "English")).rows[1]
    bold_left = {r.text for r in first_row.cells[0].paragraphs[0].runs if r.bold}
    bold_right = {r.text for r in first_row.cells[1].paragraphs[0].runs if r.bold}
    assert {"鴻海", "劉揚偉", "OpenAI"} <= bold_left
    assert {"Hon Hai (Foxconn)", "Young Liu", "OpenAI"} <= bold_right


def test_xml_traps_east_asian_font_widths_repeated_header_footer_fields(seed_run):
    out, _ = seed_run
    path = out / f"{seed_paths()[0].stem}.docx"
    styles = _xml(path, "word/styles.xml")
    footers = "".join(_xml(path, f"word/footer{i}.xml") for i in range(1, 4))
    headers = "".join(_xml(path, f"word/header{i}.xml") for i in range(1, 4))
    assert re.search(r'<w:rFonts[^>]*w:eastAsia="Microsoft JhengHei"', styles)
    assert 'w:eastAsia="zh-TW"' in styles
    fonts = _xml(path, "word/fontTable.xml")
    assert re.search(r'<w:font w:name="Microsoft JhengHei"><w:altName w:val="[^"]*Noto Sans CJK TC', fonts)
    doc = Document(path)
    body = find_table(doc, ("原文", "English"))
    widths = set()
    for row in body.rows:
        for cell in row.cells:
            tcw = cell._tc.tcPr.find(qn("w:tcW"))
            assert tcw is not None and tcw.get(qn("w:type")) == "dxa"
        if not is_merged(row):
            widths.add(tuple(int(c._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for c in row.cells))
    assert len(widths) == 1  # the same widths, fixed on every cell
    original, english, ids = widths.pop()
    assert original == english and ids < original / 4  # two equal text columns, a narrow ID column
    assert body._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert body.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "PAGE" in footers and "NUMPAGES" in footers and "Page " in footers and " of " in footers
    assert doc.paragraphs[0].text[:60] in headers  # the title in the page header (shortened when long)
    grid = [int(g.get(qn("w:w"))) for g in body._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 3 and abs(grid[0] - grid[1]) <= 1 and grid[2] < grid[0] / 4  # LibreOffice reads the grid
    section = doc.sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21.0, 29.7), abs=0.01)


def test_flagged_rows_are_shaded_with_a_comment_and_summarised(seed_run):
    out, _ = seed_run
    path = out / f"{seed_paths()[0].stem}.docx"
    document, comments = _xml(path, "word/document.xml"), _xml(path, "word/comments.xml")
    assert comments, "word/comments.xml is missing"
    starts = re.findall(r'<w:commentRangeStart w:id="(\d+)"', document)
    ends = re.findall(r'<w:commentRangeEnd w:id="(\d+)"', document)
    refs = re.findall(r'<w:commentReference w:id="(\d+)"', document)
    assert starts and starts == ends == refs
    assert len(re.findall(r"<w:comment ", comments)) == len(starts)
    assert "untranslated:" in comments
    assert 'w:fill="FFF2CC"' in document
    doc = Document(path)
    assert "QA summary" in [p.text for p in doc.paragraphs]
    qa = find_table(doc, ("Flag", "Reason", "Sentence"))
    assert len(qa.rows) > 1


def test_index_lists_every_article_sorted_by_date(seed_run):
    out, _ = seed_run
    doc = Document(out / "index.docx")
    table = find_table(doc, ("Date", "English title", "Original title", "Terms", "Flags", "Status"))
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 5
    dates = [r[0] for r in rows]
    dated = [d for d in dates if d != "—"]
    assert dated == sorted(dated) and dates[: len(dated)] == dated  # undated articles last
    assert all(r[5].startswith("ok: ") for r in rows)
    originals = {read_input(p).title for p in seed_paths()}
    assert {r[2] for r in rows} == originals
    assert _xml(out / "index.docx", "word/document.xml").count("<w:tblHeader") == 1


def test_index_shows_failures_and_can_be_turned_off(tmp_path, tiny_model_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_bytes(seed_paths()[4].read_bytes())
    (inputs / "broken.txt").write_bytes(b"%PDF-1.4")
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "pipeline", "run", str(inputs), "--model", str(tiny_model_dir), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run("--out", str(tmp_path / "out")).returncode == 1
    table = find_table(Document(tmp_path / "out" / "index.docx"), ("Date", "English title", "Original title", "Terms", "Flags", "Status"))
    statuses = [r.cells[5].text for r in table.rows[1:]]
    assert any(s.startswith("failed: ") and "PDF" in s for s in statuses)
    assert run("--out", str(tmp_path / "plain"), "--no-index").returncode == 1
    assert not (tmp_path / "plain" / "index.docx").exists()


def test_sentence_alignment_and_letter_paper(tmp_path, tiny_model_dir):
    seed = seed_paths()[4]
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(seed), "--model", str(tiny_model_dir), "--out",
                           str(out), "--align", "sentence", "--page-size", "letter"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rows = body_rows(out / f"{seed.stem}.docx")
    sentences = [s.strip() for b in read_input(seed).blocks for s in b.sentences]
    assert [o for o, _ in rows] == sentences
    section = Document(out / f"{seed.stem}.docx").sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21.59, 27.94), abs=0.01)


def _outputs(out):
    return [out / f"{p.stem}.docx" for p in seed_paths()] + [out / "index.docx"]


def test_seed_documents_as_xml_no_template_leftovers_languages_no_italic_chinese(seed_run):
    """Issue 20 part 4 on the real pipeline's output: every briefing and the index."""
    out, _ = seed_run
    commented = 0
    for path in _outputs(out):
        package = parts(path)
        if "word/comments.xml" in package:  # the QA and memory comments, Chinese quoted in them
            commented += 1
            runs = list(xml(path, "word/comments.xml").iter(W + "r"))
            assert runs and all(run.find(f"{W}rPr/{W}lang") is not None and
                                run.find(f"{W}rPr/{W}lang").get(W + "eastAsia") == "zh-TW" for run in runs), path.name
        assert not [name for name, blob in package.items() if b"2013" in blob], path.name
        assert "docProps/thumbnail.jpeg" not in package and b"thumbnail" not in package["_rels/.rels"], path.name
        assert "<Pages>" not in package["docProps/app.xml"].decode(), path.name
        body = xml(path, "word/document.xml")
        italic = italic_styles(xml(path, "word/styles.xml"))
        for tbl in body.iter(W + "tbl"):
            for run in tbl.iter(W + "r"):
                lang = run.find(f"{W}rPr/{W}lang")
                assert lang is not None and lang.get(W + "eastAsia") == "zh-TW" and lang.get(W + "val") == "en-US"
        for paragraph in body.iter(W + "p"):
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            for run in paragraph.iter(W + "r"):
                if CJK.search(run_text(run)):
                    assert not is_on(run.find(f"{W}rPr/{W}i")), (path.name, run_text(run))
                    assert style is None or style.get(W + "val") not in italic, (path.name, run_text(run))
    assert commented, "no briefing had a comment to look at"


def test_seed_provenance_only_in_the_last_section(seed_run):
    out, _ = seed_run
    run = json.loads((out / "run-report.json").read_text(encoding="utf-8"))["run"]
    for path in _outputs(out):
        heading = "About this index" if path.name == "index.docx" else "About this briefing"
        before, about = last_section(xml(path, "word/document.xml"), heading)
        assert run["signature"] in about and run["signature"] not in before, path.name
        assert run["model_id"] not in before, path.name


def test_seed_figures_bold_and_index_links(seed_run):
    out, _ = seed_run
    seen = 0
    for path in _outputs(out)[:-1]:
        doc = Document(path)
        tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["English", "原文", "Reads as"]]
        figures = [[c.text for c in r.cells] for t in tables for r in t.rows[1:]]  # none: "No figures."
        seen += len(figures)
        for english, source, reads_as, stated in figures:
            assert not re.fullmatch(r"-?\d{5,}(\.\d+)?%?", reads_as) and not reads_as.startswith("--"), reads_as
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", reads_as) or not re.search(r"\d", reads_as), reads_as
            assert stated != "yes" or english in " ".join(body for _, body in body_rows(path)), english  # as printed
        for row in find_table(doc, ("原文", "English")).rows[1:]:
            for cell in row.cells[:2]:
                bold = [run_text(r) for r in cell._tc.iter(W + "r") if is_on(r.find(f"{W}rPr/{W}b"))]
                if not is_merged(row):
                    assert len(bold) == len(set(bold)), (path.name, bold)
    assert seen > 5  # the seeds state dates and sums
    rels = {r.get("Id"): r.get("Target") for r in xml(out / "index.docx", "word/_rels/document.xml.rels")
            if r.get("Type").endswith("/hyperlink")}
    links = [rels[h.get(R + "id")] for h in xml(out / "index.docx", "word/document.xml").iter(W + "hyperlink")]
    assert sorted(links) == sorted(f"{p.stem}.docx" for p in seed_paths())
    assert all((out / target).is_file() for target in links)  # relative to the index, beside it
