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
