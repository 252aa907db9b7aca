"""``glossary export --format tbx --tbx-version 2008|2019`` (issue 18): the 2008 form is TBX-Basic
in ``martif`` (ISO 30042:2008), the one CAT tools have imported longest, and the default; both forms
validate against their public schemas (tests/data/glossary/SOURCE.md) and read back unchanged."""

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from pipeline.errors import BriefingError
from pipeline.glossary import GlossaryEntry, load_glossary
from pipeline.glossary.base import glossary_files, shipped_glossary_folder
from pipeline.glossary.convert import export_glossary
from pipeline.glossary.formats import (
    DEFAULT_TBX_VERSION,
    read_glossary_file,
    write_glossary_bytes,
)
from tests.conftest import ROOT

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMAS = {"2008": DATA / "glossary" / "TBXcoreStructV02.rng",
           "2019": DATA / "glossary" / "TBXcoreStructV03_TBX-Basic_integrated.rng"}
ROOTS = {"2008": "martif", "2019": "{urn:iso:std:iso:30042:ed-2}tbx"}
# Every field a TBX export carries: aliases, variants, rules as briefing: notes, forbidden English,
# a note on several lines, characters XML escapes.
EXTRA = [
    GlossaryEntry("鳳梨", "Pineapple Inc", ("凤梨",), "company", "PNPL", not_in=("鳳梨酥",), requires=("手機", "股價")),
    GlossaryEntry("算力中心", "computing center", (), "term", "line one\nline two", variants=("computing centre",),
                  match="always"),
    GlossaryEntry("輝達", "Nvidia Corp", (), "company", status="forbidden", variants=("nVidia",)),
    GlossaryEntry("AT&T", "AT&T <Inc>", (), "company", 'say "AT&T"'),
]


def schema(version):
    return etree.RelaxNG(etree.parse(str(SCHEMAS[version])))


def entries():
    starter = load_glossary(glossary_files(shipped_glossary_folder()))
    return [*starter.entries, *starter.forbidden, *EXTRA]


def content(found):
    return [replace(e, file="", line=0, sheet="") for e in found]


def test_the_schemas_accept_the_public_samples_and_refuse_a_broken_file():
    """The schemas themselves: a test that validates against them must be able to fail."""
    assert schema("2008").validate(etree.parse(str(DATA / "tbx" / "okapi_test01.tbx")))
    assert schema("2019").validate(etree.parse(str(DATA / "tbx" / "ltac_tbx_basic_astronomy_dca.tbx")))
    for version in SCHEMAS:
        tree = etree.fromstring(write_glossary_bytes(entries()[:2], "tbx", version))
        first_term = next(e for e in tree.iter() if etree.QName(e).localname == "term")
        first_term.getparent().remove(first_term)  # a term group without its term
        assert not schema(version).validate(tree), version


@pytest.mark.parametrize("version", ["2008", "2019"])
def test_the_export_is_valid_against_its_schema(version):
    tree = etree.fromstring(write_glossary_bytes(entries(), "tbx", version))
    assert tree.tag == ROOTS[version]
    assert schema(version).validate(tree), schema(version).error_log.last_error


@pytest.mark.parametrize("version", ["2008", "2019"])
def test_both_forms_read_back_unchanged(tmp_path, version):
    path = tmp_path / f"g{version}.tbx"
    path.write_bytes(write_glossary_bytes(entries(), "tbx", version))
    found, problems = read_glossary_file(path)
    assert problems == []
    assert content(found) == content(entries())


def test_the_2008_form_is_tbx_basic_in_martif():
    tree = etree.fromstring(write_glossary_bytes(EXTRA[:1], "tbx", "2008"))
    assert tree.get("type") == "TBX-Basic" and tree.nsmap == {}  # martif has no namespace
    assert tree.findtext("martifHeader/encodingDesc/p[@type='XCSURI']") == "TBXBasicXCSV02.xcs"
    tig = tree.find("text/body/termEntry/langSet/tig")
    assert [child.tag for child in tig] == ["term", "termNote", "note", "note"]  # term, termNote*, auxInfo
    assert tree.find("text/body/termEntry/langSet").get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-TW"


def test_2008_is_the_default_and_an_unknown_version_is_refused(tmp_path):
    assert DEFAULT_TBX_VERSION == "2008"
    assert etree.fromstring(write_glossary_bytes(EXTRA[:1], "tbx")).tag == "martif"
    with pytest.raises(BriefingError, match="TBX version must be one of 2008, 2019, not '2012'"):
        write_glossary_bytes(EXTRA[:1], "tbx", "2012")


@pytest.mark.parametrize("version", ["2008", "2019"])
def test_export_then_import_through_the_library(tmp_path, version):
    source = tmp_path / "g.csv"
    source.write_bytes(write_glossary_bytes(entries(), "csv"))
    export_glossary([source], tmp_path / "g.tbx", tbx_version=version)
    assert etree.parse(str(tmp_path / "g.tbx")).getroot().tag == ROOTS[version]
    back, problems = read_glossary_file(tmp_path / "g.tbx")
    assert problems == [] and content(back) == content(entries())


@pytest.mark.parametrize("args,root", [([], "martif"), (["--tbx-version", "2019"], ROOTS["2019"]),
                                       (["--tbx-version", "2008"], "martif")])
def test_the_cli_exports_either_version_and_imports_it_back(tmp_path, args, root):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    environment.pop("BRIEFING_GLOSSARY", None)

    def briefing(*argv):
        return subprocess.run([sys.executable, "-m", "pipeline", *map(str, argv)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, env=environment, check=False)

    out = briefing("glossary", "export", "--format", "tbx", *args, "--output", "all.tbx")
    assert out.returncode == 0, out.stderr
    tree = etree.parse(str(tmp_path / "all.tbx")).getroot()
    assert tree.tag == root
    assert schema("2008" if root == "martif" else "2019").validate(tree)
    out = briefing("glossary", "import", "all.tbx", "--output", "back.csv")
    assert out.returncode == 0, out.stderr
    starter = load_glossary(glossary_files(shipped_glossary_folder()))
    assert load_glossary([tmp_path / "back.csv"]).digest == starter.digest
