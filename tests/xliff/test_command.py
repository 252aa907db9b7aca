"""`briefing xliff export`: where files go, what is refused, and a fast --help."""

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import BriefingError
from pipeline.xliff.command import briefings_in, destination

from tests.conftest import ROOT


def _briefing(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("output, many, expected", [
    (None, False, Path("out/a.xlf")),
    (Path("x/one.xliff"), False, Path("x/one.xliff")),
    (Path("folder"), True, Path("folder/a.xlf")),
    (Path("folder"), False, Path("folder/a.xlf")),
])
def test_destination(output, many, expected):
    assert destination(Path("out/a.docx"), output, many) == expected


def test_several_briefings_need_a_folder():
    with pytest.raises(BriefingError, match="several briefings need a folder"):
        destination(Path("out/a.docx"), Path("one.xlf"), many=True)


def test_out_takes_only_briefings(tmp_path):
    Document().save(tmp_path / "plain.docx")  # a Word file, no manifest
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    assert briefings_in(tmp_path) == []
    proc = _briefing("xliff", "export", "--out", tmp_path)
    assert proc.returncode == 2 and f"{tmp_path}: no briefings in this folder" in proc.stderr


def test_a_document_without_a_manifest_is_reported_and_the_rest_go_on(tmp_path):
    plain = tmp_path / "plain.docx"
    Document().save(plain)
    proc = _briefing("xliff", "export", plain, tmp_path / "missing.docx")
    assert proc.returncode == 2 and "missing.docx: no such file" in proc.stderr
    proc = _briefing("xliff", "export", plain)
    assert proc.returncode == 1 and f"{plain}: no segment manifest" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "plain.xlf").exists()


def test_the_command_line_does_not_load_the_xliff_library():
    code = ("import sys; from pipeline.cli import build_parser; build_parser(); "
            "print(any(m.startswith(('translate', 'pipeline.xliff')) for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def test_a_zip_bomb_in_the_output_folder_is_not_unpacked(tmp_path):
    from tests.ingest.readers.hostile import docx_empty_paragraphs

    docx_empty_paragraphs(tmp_path, unpacked_mb=150)  # over the 100 MB budget
    assert briefings_in(tmp_path) == []
