"""Open a briefing the way readers do: LibreOffice to PDF, poppler to text, fonts and PNG."""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, seed_paths

TOOLS = ("soffice", "pdftoppm", "pdftotext", "pdffonts")
missing = [t for t in TOOLS if shutil.which(t) is None]
pytestmark = pytest.mark.skipif(
    bool(missing),
    reason=f"needs LibreOffice and poppler ({', '.join(missing)} not found): "
           "apt-get install libreoffice-writer fonts-noto-cjk poppler-utils",
)


def test_briefing_renders_with_cjk_glyphs_and_a_repeated_header(tmp_path, tiny_model_dir):
    seed = seed_paths()[0]
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(seed), "--model", str(tiny_model_dir),
                           "--out", str(out), "--no-memory"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    docx = out / f"{seed.stem}.docx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / f"{seed.stem}.pdf"
    assert pdf.exists()
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "Noto Sans CJK" in fonts or "Droid Sans Fallback" in fonts, fonts
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    assert pages >= 3
    body_pages = []
    for page in range(2, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if "鴻海" in text or "OpenAI" in text:
            body_pages.append(text)
    # the header row repeats: every page after the first page of the body table starts with it
    assert sum(("原文" in t and "English" in t) for t in body_pages) >= 2
    assert "Page 2 of" in subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 2
