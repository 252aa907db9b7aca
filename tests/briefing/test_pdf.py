"""PDFs beside the DOCX briefings: real LibreOffice, real poppler (skips, with its reason, without them)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from pipeline.briefing.outputs import Manifest
from pipeline.briefing.pdf import convert_batch, require_soffice
from pipeline.errors import BriefingError

NO_TOOLS = [t for t in ("soffice", "pdftotext") if shutil.which(t) is None]
needs_tools = pytest.mark.skipif(bool(NO_TOOLS), reason=f"needs LibreOffice and poppler ({', '.join(NO_TOOLS)} "
                                                        "not found): apt-get install libreoffice-writer poppler-utils")


def _docx(path: Path, *rows: tuple[str, str]) -> Path:
    doc = Document()
    table = doc.add_table(rows=0, cols=2)
    for zh, en in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = zh, en
    doc.save(path)
    return path


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _in_order(needle: str, hay: str, start: int) -> int | None:
    """Where ``needle``'s characters end when read in order in ``hay`` from ``start`` (None: they do not)."""
    at = start
    for ch in needle:
        at = hay.find(ch, at)
        if at < 0:
            return None
        at += 1
    return at


def _body_layer(pdf: Path) -> str:
    """The text of every page without its furniture (the running header, the repeated table header
    row, "Page N of M"), so a row that a page break splits reads as one."""
    import re

    pages = [[line for line in page.splitlines() if line.strip()] for page in _text(pdf).split("\f")]
    header = pages[1][0] if len(pages) > 1 and pages[1] else None
    furniture = {header, "原文", "English", "ID"}
    return "\n".join(line for page in pages for line in page
                     if line not in furniture and not re.fullmatch(r"Page \d+ of \d+|\d+", line.strip()))


@needs_tools
def test_one_process_converts_the_batch_and_the_text_layer_holds_both_languages(tmp_path):
    a = _docx(tmp_path / "a.docx", ("台積電營收創新高", "TSMC revenue hits a record"))
    b = _docx(tmp_path / "b (2).docx", ("鴻海布局電動車", "Foxconn expands into electric vehicles"))
    result = convert_batch([a, b], tmp_path, Manifest(tmp_path))
    assert not result.failed
    assert result.written == {a: tmp_path / "a.pdf", b: tmp_path / "b (2).pdf"}
    for pdf, words in ((tmp_path / "a.pdf", ("台積電營收創新高", "TSMC revenue")),
                       (tmp_path / "b (2).pdf", ("鴻海布局電動車", "Foxconn expands"))):
        text = " ".join(_text(pdf).split())
        assert all(w in text for w in words), text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pdf-")]  # the work folder is gone


@needs_tools
def test_a_pdf_a_person_changed_is_kept(tmp_path):
    a = _docx(tmp_path / "a.docx", ("一", "one"))
    manifest = Manifest(tmp_path)
    convert_batch([a], tmp_path, manifest)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 annotated by a reader")
    again = convert_batch([a], tmp_path, Manifest(tmp_path))
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-1.7 annotated by a reader"
    assert again.written[a] == tmp_path / "a (2).pdf"


@needs_tools
def test_a_document_libreoffice_cannot_read_is_one_failure(tmp_path):
    good = _docx(tmp_path / "good.docx", ("好", "good"))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = convert_batch([good, bad], tmp_path, Manifest(tmp_path))
    assert good in result.written
    assert list(result.failed) == [bad] and result.failed[bad].startswith("bad.docx: no PDF")


@needs_tools
def test_a_time_limit_stops_libreoffice_and_says_so(tmp_path):
    a = _docx(tmp_path / "a.docx", ("一", "one"))
    result = convert_batch([a], tmp_path, Manifest(tmp_path), timeout=0.01)
    assert result.failed[a].endswith("(LibreOffice took over 0.01 s and was stopped)")


def test_without_libreoffice_pdf_is_refused_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    with pytest.raises(BriefingError, match=r"^--pdf needs LibreOffice \(soffice\)") as err:
        require_soffice()
    assert "\n" not in str(err.value)


@needs_tools
def test_run_pdf_writes_a_pdf_of_each_briefing_and_the_digest_holding_every_row(tmp_path, tiny_model_dir):
    """`briefing run --pdf`: the PDF's text layer (pdftotext) holds the Chinese and the English of every row."""
    import json
    import re
    import sys

    from tests.briefing.docx_helpers import body_rows
    from tests.conftest import ROOT, seed_paths

    seed, out = seed_paths()[0], tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(seed), "--model", str(tiny_model_dir),
                           "--out", str(out), "--no-memory", "--pdf"], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert "2 PDF(s) written" in proc.stderr
    assert (out / "digest.pdf").exists()
    def squeeze(text):
        """Line breaks and spacing fall anywhere in a PDF; its text layer gives compatibility
        characters (the radical ⾧ in 東元電機則以⾧期, full-width letters) as their plain forms."""
        import unicodedata

        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    def latin_words(text):
        """The ASCII words and figures of the English.  The random test model also writes symbols from
        scripts the fonts lack, which PDF text layers render as they can; real English is all of these."""
        return re.findall(r"[A-Za-z0-9][A-Za-z0-9$%]*", text)

    layer = squeeze(_body_layer(out / f"{seed.stem}.pdf"))  # the body pages' text, furniture left out
    rows = body_rows(out / f"{seed.stem}.docx")
    assert len(rows) > 10
    # A row a page break splits is interleaved with its other column's text: each row's Chinese, and its
    # English words, must read in order in the layer after the row before it.
    at, missing = 0, []
    for zh, en in rows:
        ends = [_in_order(squeeze(zh), layer, at), _in_order("".join(latin_words(squeeze(en))), layer, at)]
        if None in ends:
            missing.append((zh[:20], en[:40]))
        else:
            at = min(ends)  # the next row starts after both columns of this one began
    assert not missing, missing
    assert sum(len(latin_words(en)) for _, en in rows) > 50  # the check above had English to look for
    report = json.loads((out / "run-report.json").read_text())
    digest = squeeze(_text(out / "digest.pdf"))
    assert all(w in digest for w in latin_words(report["articles"][0]["title_english"]))


def test_run_pdf_without_libreoffice_stops_before_any_work(tmp_path):
    import os
    import sys

    from tests.conftest import ROOT, seed_paths

    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # python, but no soffice
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(seed_paths()[0]), "--out", str(tmp_path / "o"),
                           "--pdf"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("briefing: --pdf needs LibreOffice")
    assert not (tmp_path / "o" / "run-report.json").exists()
