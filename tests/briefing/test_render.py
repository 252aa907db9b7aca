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


# Characters whose Traditional (Taiwan), Japanese and Simplified forms differ in shape.
PROBE = "骨直真"


PROBE_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2")


def _probe_docx(path, reference: tuple[str, str] | None = None) -> None:
    """PROBE large, once in each style a briefing uses, through our styles and language
    tags; a ``reference`` (font, locale) names both on every run and style outright,
    so its glyphs are that locale's whatever LibreOffice's rules for choosing them."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from pipeline.briefing.document import _setup_styles, tag_document

    doc = Document()
    _setup_styles(doc)
    for style in PROBE_STYLES:
        run = doc.add_paragraph(style=style).add_run(PROBE)
        run.font.size = Pt(40)
        if reference:
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), reference[0])
    tag_document(doc)
    if reference:
        for root in (doc.styles.element, doc.element.body):
            for lang in root.iter(qn("w:lang")):
                lang.set(qn("w:eastAsia"), reference[1])
    doc.save(path)


def test_chinese_is_set_in_traditional_glyphs(tmp_path):
    """Issue 20: without a language tag LibreOffice drew the Chinese with Japanese glyphs.
    pdffonts cannot tell: LibreOffice names every face of the Noto CJK collection
    NotoSansCJKjp-…-VKana in the PDF, TC included.  So the glyphs are compared: our
    run (Microsoft JhengHei, w:lang zh-TW) must render exactly as the same text set
    in Noto Sans CJK TC, and differently from Noto Sans CJK JP."""
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    if "Noto Sans CJK TC" not in families or "Noto Sans CJK JP" not in families:
        pytest.skip("needs Noto Sans CJK TC and JP as references: apt-get install fonts-noto-cjk")
    docs = {"ours": None, "tc": ("Noto Sans CJK TC", "zh-TW"), "jp": ("Noto Sans CJK JP", "ja-JP")}
    for name, font in docs.items():
        _probe_docx(tmp_path / f"{name}.docx", font)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *[str(tmp_path / f"{n}.docx") for n in docs]],
                   check=True, capture_output=True, timeout=300)
    pages = {}
    for name in docs:
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)
        pages[name] = next(tmp_path.glob(f"{name}-*.pgm")).read_bytes()
    assert pages["tc"] != pages["jp"], "the references do not differ: the probe cannot tell TC from JP"
    assert pages["ours"] == pages["tc"], "the Chinese is not drawn with Traditional Chinese glyphs"


def test_labels_and_index_file_names_render_unbroken(tmp_path):
    """A hand-built briefing (a reviewed row, QA flags) and an index, converted in one
    LibreOffice call: "reviewed", the flag names and the file names each on one line."""
    from tests.briefing.test_layout import briefing, index, records

    (tmp_path / "briefing.docx").write_bytes(briefing())
    (tmp_path / "index.docx").write_bytes(index(tmp_path))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "briefing.docx"),
                    str(tmp_path / "index.docx")], check=True, capture_output=True, timeout=300)
    assert (tmp_path / "briefing.pdf").exists() and (tmp_path / "index.pdf").exists()
    words = subprocess.run(["pdftotext", str(tmp_path / "briefing.pdf"), "-"], capture_output=True, text=True).stdout.split()
    assert "reviewed" in words and "number-unsure" in words, [w for w in words if w.startswith(("review", "number"))]
    index_words = subprocess.run(["pdftotext", str(tmp_path / "index.pdf"), "-"], capture_output=True, text=True).stdout.split()
    for record in records(tmp_path):
        if record.output:
            for word in record.output.rsplit("/", 1)[-1].split():
                assert word in index_words, (word, [w for w in index_words if w[:3] == word[:3]])
