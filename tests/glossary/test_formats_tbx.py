"""TBX glossaries: public TBX-Basic files load; both forms, language codes,
term status and problems with their line; a forbidden term becomes a QA flag."""

from pathlib import Path

import pytest

from pipeline.glossary import load_glossary
from pipeline.glossary.base import Glossary, entry_problems
from pipeline.glossary.formats.tbx_format import TbxReader, read_tbx
from pipeline.translate.sentences import term_results
from pipeline.translate.normalise import Normaliser
from pipeline.translate.prepare import SentencePreparer
from pipeline.translate.qa import run_checks

DATA = Path(__file__).resolve().parents[1] / "data" / "tbx"
# LTAC Global's TBX-Basic example (ISO 30042:2019 form), github.com/LTAC-Global/TBX-Basic_dialect,
# DCA/Example_Astronomy_DCA_VALID.tbx; no licence file in that repository, see tests/data/tbx/SOURCE.md.
ASTRONOMY = DATA / "ltac_tbx_basic_astronomy_dca.tbx"
# Okapi Framework test resources (TBX 2008 martif form), github.com/klew00/okapi,
# okapi/libraries/lib-terminology/src/test/resources/, LGPL 2.1.
IBM = DATA / "okapi_ibm_tbx.tbx"
ORACLE = DATA / "okapi_test01.tbx"


def by_target(entries):
    return {e.target: e for e in entries}


def test_the_ltac_tbx_basic_2019_example_loads():
    reader = TbxReader(("es", "en"))
    entries, problems = reader.read(ASTRONOMY)
    assert problems == []
    assert entry_problems(entries) == []  # valid as a whole: no clashes between concepts
    glossary = Glossary(entries, [str(ASTRONOMY)])
    assert (len(glossary.entries), len(glossary.forbidden)) == (39, 2)
    terms = by_target(entries)
    # c1: preferred "open cluster"; "galactic cluster" is supersededTerm-admn-sts: must not appear
    assert terms["open cluster"].source == "cúmulo abierto" and terms["open cluster"].status == ""
    assert terms["open cluster"].category == "General" and terms["open cluster"].where == f"{ASTRONOMY}:19"
    assert terms["galactic cluster"].status == "forbidden" and terms["galactic cluster"].source == "cúmulo abierto"
    # c2: admitted English terms are variants, a second Spanish term an alias
    accretion = terms["circumstellar accretion disk"]
    assert accretion.variants == ("accretion disc", "circumstellar disk")
    assert accretion.aliases == ("disco de acrecimiento",)
    assert terms["carbon cycle"].status == "forbidden"  # deprecatedTerm-admn-sts in c38
    # the six Zulu-only bibliography concepts are not part of an es-en glossary, and say so
    assert [s.split(": ")[1] for s in reader.skipped] == [
        f"conceptEntry '{c}' (no es term; no en term)" for c in ("c17", "c18", "c19", "c20", "c22", "c40")]


def test_the_same_file_as_a_zh_en_glossary_names_every_concept_and_its_line():
    reader = TbxReader()
    entries, problems = reader.read(ASTRONOMY)
    assert entries == []
    assert reader.skipped[0] == f"{ASTRONOMY}:19: conceptEntry 'c1' (no zh term)"
    assert len(reader.skipped) == 45  # every concept, each named with its line
    assert len(problems) == 1 and problems[0].endswith(
        "no concept with both zh and en terms (the file's languages: en, es, zu)")


def test_okapi_2008_martif_files_load_ntig_and_tig():
    entries, problems = read_tbx(IBM, ("fr", "en"))
    assert problems == [] and len(entries) == 5
    trail = entries[0]  # two English langSets in one termEntry: the second term is a variant
    assert (trail.source, trail.target, trail.variants, trail.category, trail.line) == (
        "historique de navigation", "navigation trail", ("branch",), "Software", 27)
    (oracle,), problems = read_tbx(ORACLE, ("hu", "en"))
    assert problems == [] and (oracle.source, oracle.target, oracle.category) == (
        "Alfa simítási tényező", "alpha smoothing factor", "manufacturing")


ZH_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
 <text><body>
  <termEntry id="nv">
   <descrip type="subjectField">company</descrip>
   <langSet xml:lang="zh-TW"><tig><term>輝達</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
   <langSet xml:lang="zh-Hans"><tig><term>英伟达</term></tig></langSet>
   <langSet xml:lang="en-US">
    <tig><term>Nvidia Corp</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    <tig><term>NVIDIA</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
   </langSet>
  </termEntry>
 </body></text>
</martif>
"""

ZH_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" xmlns:basic="http://www.tbxinfo.net/ns/basic" type="TBX-Basic" style="dct">
 <text><body>
  <conceptEntry id="dc">
   <langSec xml:lang="zh-Hant"><termSec><term>資料中心</term></termSec></langSec>
   <langSec xml:lang="en">
    <termSec><term>data center</term></termSec>
    <termSec><term>data centers</term><basic:administrativeStatus>admittedTerm-admn-sts</basic:administrativeStatus></termSec>
    <termSec><term>computer room</term><termNote type="normativeAuthorization">deprecatedTerm</termNote></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


@pytest.mark.parametrize("text,source,target,aliases,variants,forbidden", [
    (ZH_2008, "輝達", "NVIDIA", ("英伟达",), (), "Nvidia Corp"),
    (ZH_2019, "資料中心", "data center", (), ("data centers",), "computer room"),
])
def test_zh_language_codes_and_term_status_map_onto_entries(tmp_path, text, source, target, aliases, variants,
                                                           forbidden):
    path = tmp_path / "terms.tbx"
    path.write_text(text, encoding="utf-8")
    glossary = load_glossary([path])
    (entry,) = glossary.entries
    assert (entry.source, entry.target, entry.aliases, entry.variants) == (source, target, aliases, variants)
    (banned,) = glossary.forbidden
    assert (banned.source, banned.target, banned.status) == (source, forbidden, "forbidden")


def test_a_forbidden_term_in_the_english_is_flagged_and_never_enforced(tmp_path):
    path = tmp_path / "terms.tbx"
    path.write_text(ZH_2008, encoding="utf-8")
    preparer = SentencePreparer(Normaliser(), load_glossary([path]))
    prepared = preparer.prepare("輝達發表新晶片。")
    assert [forms[0] for forms in prepared.request.constraints] == ["NVIDIA"]  # the deprecated English is not forced on the model
    assert "Nvidia Corp" not in prepared.request.text
    forbidden = [t for t in prepared.terms if t.kind == "forbidden"]
    assert [(t.source, t.target, t.enforced) for t in forbidden] == [("輝達", "Nvidia Corp", False)]

    def flags(english):
        terms = term_results(prepared.terms, english)  # as the run builds them
        return {f.name: f.reason for f in run_checks(prepared.original, english, terms)}

    assert flags("Nvidia Corp unveiled a new chip.")["forbidden-term"] == "forbidden term in the English: Nvidia Corp"
    assert "forbidden-term" not in flags("NVIDIA unveiled a new chip.")
    assert "forbidden-term" not in flags("Nvidia Corporation unveiled a new chip.")  # presence is boundary-aware


def test_a_forbidden_form_inside_the_required_term_is_not_a_use():
    from pipeline.article import TermResult

    terms = [TermResult("輝達", "NVIDIA Corporation", True), TermResult("輝達", "NVIDIA", False, "forbidden")]
    assert not any(f.name == "forbidden-term" for f in run_checks("輝達", "NVIDIA Corporation said.", terms))
    flags = run_checks("輝達", "NVIDIA Corporation, or NVIDIA, said.", terms)
    assert [f.reason for f in flags if f.name == "forbidden-term"] == ["forbidden term in the English: NVIDIA"]


@pytest.mark.parametrize("text,expected", [
    ("<martif><text><body>\n<termEntry id='x'>\n<langSet xml:lang='zh'><tig><term>甲</term></tig>\n</termEntry>",
     ":4: not well-formed XML"),
    ("<glossary/>", ":1: not a TBX file (root element <glossary>"),
])
def test_problems_name_the_file_line_and_entry(tmp_path, text, expected):
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    _, problems = read_tbx(path)
    assert any(p.startswith(f"{path}{expected}") for p in problems), problems


def test_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tbx"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY leak SYSTEM "file://{secret}">]>
<martif><text><body><termEntry id="x">
<langSet xml:lang="zh"><tig><term>甲</term></tig></langSet>
<langSet xml:lang="en"><tig><term>&leak;</term></tig></langSet>
</termEntry></body></text></martif>""", encoding="utf-8")
    entries, problems = read_tbx(path)
    assert not any("TOP SECRET" in e.target for e in entries)
    assert problems == [f"{path}:5: entity reference &leak; (entities are not read; write the text)"]
