"""``briefing glossary export`` / ``import`` through the real command line."""

import shutil
from pathlib import Path

from pipeline.glossary import load_glossary
from tests.conftest import ROOT
from tests.test_cli import briefing

ASTRONOMY = Path(__file__).resolve().parents[1] / "data" / "tbx" / "ltac_tbx_basic_astronomy_dca.tbx"


def project(tmp_path):
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    return tmp_path


def content(glossary):
    return [(e.source, e.target, e.aliases, e.category, e.note, e.variants, e.not_in, e.match, e.status)
            for e in glossary.entries + glossary.forbidden]


def test_export_every_format_then_import_gives_the_same_glossary(tmp_path):
    cwd = project(tmp_path)
    original = load_glossary(sorted((cwd / "glossary").glob("*.csv")))
    for kind in ("xlsx", "tbx", "tsv", "csv"):
        out = briefing("glossary", "export", "--format", kind, "--output", f"all.{kind}", cwd=cwd)
        assert out.returncode == 0, out.stderr
        assert f"wrote all.{kind}: {len(original.entries)} entries" in out.stderr
        assert content(load_glossary([cwd / f"all.{kind}"])) == content(original)  # usable with --glossary as is
        out = briefing("glossary", "import", f"all.{kind}", "--output", f"back-{kind}.csv", cwd=cwd)
        assert out.returncode == 0, out.stderr
        assert "not carried over" not in out.stderr  # our own export holds nothing a CSV cannot
        assert content(load_glossary([cwd / f"back-{kind}.csv"])) == content(original)


def test_an_existing_output_is_kept_unless_forced(tmp_path):
    cwd = project(tmp_path)
    (cwd / "mine.csv").write_text("source,target\n甲,A\n", encoding="utf-8")
    out = briefing("glossary", "export", "--output", "mine.csv", cwd=cwd)
    assert out.returncode == 2 and "mine.csv: already exists; nothing written (use --force" in out.stderr
    assert (cwd / "mine.csv").read_text(encoding="utf-8") == "source,target\n甲,A\n"
    assert briefing("glossary", "export", "--output", "mine.csv", "--force", cwd=cwd).returncode == 0
    assert len(load_glossary([cwd / "mine.csv"]).entries) > 1


def test_an_invalid_glossary_is_not_converted(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\n鴻海\tHon Hai\n鴻海\tFoxconn\n", encoding="utf-8")
    out = briefing("glossary", "import", bad, "--output", "out.csv", cwd=tmp_path)
    assert out.returncode == 2
    assert f"{bad}:3: source '鴻海' has two targets" in out.stderr and "out.csv not written" in out.stderr
    assert not (tmp_path / "out.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.tsv"]  # no temporary file left behind


def test_a_public_tbx_imports_with_its_languages_and_reports_what_it_skipped(tmp_path):
    out = briefing("glossary", "import", ASTRONOMY, "--output", "astro.csv", "--source-lang", "es", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "wrote astro.csv: 41 entries (2 forbidden); skipped 6 concept(s) without the language pair" in out.stderr
    # what a CSV has no column for is counted, not silently dropped
    assert "not carried over (no CSV column): admin[source] ×178, descrip[context] ×104, descrip[definition] ×74" \
        in out.stderr
    glossary = load_glossary([tmp_path / "astro.csv"])
    assert ("cúmulo abierto", "galactic cluster") in {(e.source, e.target) for e in glossary.forbidden}


def test_export_needs_a_format(tmp_path):
    out = briefing("glossary", "export", "--output", "terms.json", cwd=project(tmp_path))
    assert out.returncode == 2 and "say which format with --format (csv|tsv|xlsx|tbx)" in out.stderr
