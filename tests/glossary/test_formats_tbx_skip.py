"""A TBX concept without a usable Chinese or English term is skipped and named (concept id and
file:line, and why); the rest of the term base is imported (issue 18: one such concept used to
abort the whole import, although the README says skipped concepts are named)."""

import subprocess
import sys

from pipeline.glossary import load_glossary
from pipeline.glossary.convert import import_glossary
from pipeline.glossary.formats.tbx_format import TbxReader
from tests.conftest import ROOT

# One concept a line after three lines of preamble: the n-th concept (from 1) is on line 3 + n.
CONCEPTS = {
    "ok1": "<langSet xml:lang='zh-TW'><tig><term>台積電</term></tig></langSet><langSet xml:lang='en'><tig><term>TSMC</term></tig></langSet>",
    "zh-only": "<langSet xml:lang='zh-TW'><tig><term>鴻海</term></tig></langSet>",
    "en-only": "<langSet xml:lang='en'><tig><term>Foxconn</term></tig></langSet>",
    "empty-zh": "<langSet xml:lang='zh'><tig><term> </term></tig></langSet><langSet xml:lang='en'><tig><term>AMD</term></tig></langSet>",
    "fr-de": "<langSet xml:lang='fr'><tig><term>puce</term></tig></langSet><langSet xml:lang='de'><tig><term>Chip</term></tig></langSet>",
    "ok2": "<langSet xml:lang='zh-Hant'><tig><term>輝達</term></tig><tig><term> </term></tig></langSet><langSet xml:lang='en-US'><tig><term>NVIDIA</term></tig></langSet>",
}
REASONS = {"zh-only": "no en term", "en-only": "no zh term", "empty-zh": "empty zh term", "fr-de": "no zh term; no en term"}


def _martif(path):
    body = "\n".join(f"<termEntry id='{ident}'>{xml}</termEntry>" for ident, xml in CONCEPTS.items())
    path.write_text(f"<?xml version='1.0'?>\n<martif type='TBX-Basic'>\n<text><body>\n{body}\n</body></text></martif>\n",
                    encoding="utf-8")
    return path


def _expected_skips(path):
    return [f"{path}:{3 + i}: termEntry '{ident}' ({REASONS[ident]})"
            for i, ident in enumerate(CONCEPTS, start=1) if ident in REASONS]


def test_the_reader_keeps_the_usable_concepts_and_names_the_others(tmp_path):
    path = _martif(tmp_path / "cat.tbx")
    reader = TbxReader()
    entries, problems = reader.read(path)
    assert problems == []
    assert [(e.source, e.target, e.aliases) for e in entries] == [("台積電", "TSMC", ()), ("輝達", "NVIDIA", ())]
    assert reader.skipped == _expected_skips(path)


def test_import_writes_the_rest_and_its_summary_names_each_skipped_concept(tmp_path):
    path = _martif(tmp_path / "cat.tbx")
    result = import_glossary(path, tmp_path / "out.csv")
    assert result.entries == 2 and result.skipped == _expected_skips(path)
    summary = result.summary()
    assert "skipped 4 concept(s)" in summary and all(skip in summary for skip in _expected_skips(path))
    assert [e.target for e in load_glossary([tmp_path / "out.csv"]).entries] == ["TSMC", "NVIDIA"]


def test_the_cli_import_succeeds_and_says_what_it_skipped(tmp_path):
    path = _martif(tmp_path / "cat.tbx")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "glossary", "import", path, "--output", "g.csv"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env=_env(tmp_path), check=False)
    assert proc.returncode == 0, proc.stderr
    assert "wrote g.csv: 2 entries" in proc.stderr and f"{path}:6: termEntry 'en-only' (no zh term)" in proc.stderr


def test_a_term_base_with_no_usable_concept_is_still_refused(tmp_path):
    path = tmp_path / "none.tbx"
    path.write_text("<martif><text><body>\n<termEntry id='a'><langSet xml:lang='zh'><tig><term>甲</term></tig>"
                    "</langSet></termEntry>\n</body></text></martif>", encoding="utf-8")
    reader = TbxReader()
    entries, problems = reader.read(path)
    assert entries == [] and reader.skipped == [f"{path}:2: termEntry 'a' (no en term)"]
    assert problems == [f"{path}:1: no concept with both zh and en terms (the file's languages: zh)"]


def test_loading_for_a_run_ignores_skipped_concepts_too(tmp_path):
    path = _martif(tmp_path / "cat.tbx")
    assert {e.source for e in load_glossary([path]).entries} == {"台積電", "輝達"}


def _env(tmp_path):
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config")}
