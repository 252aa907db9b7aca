"""The XLIFF round trip, end to end, for XLIFF 1.2 and 2.1: a briefing written by
`briefing run`, exported with `briefing xliff export`, edited as a translator's
CAT tool leaves it (two targets changed, one with inline markup, one note
added), read back by `briefing review import FILE.xlf`, and a re-run that
carries exactly the translator's English.  Real model (tiny, random weights),
real files; the XLIFF is edited with lxml as the tool would write it."""

import shutil
import sqlite3

import pytest
from docx import Document
from lxml import etree

from pipeline.translate.presence import is_present

from tests.briefing.docx_helpers import find_table
from tests.conftest import ROOT
from tests.review.round_trip_helpers import SEED, briefing_cli, briefing_manifest, copy_of_run, norm, seed_run

TRANSLATOR = "Tom Translator"
NS = {"1.2": "urn:oasis:names:tc:xliff:document:1.2", "2.1": "urn:oasis:names:tc:xliff:document:2.0"}


_briefing, _manifest, _norm = briefing_cli, briefing_manifest, norm


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, tiny_model_dir):
    return seed_run(tmp_path_factory, tiny_model_dir, "xliff-out")


def _kept_terms(segments, english):
    """The required English present before the edit: a fair translator keeps it."""
    return [t.target for s in segments for t in s.terms if is_present(t.target, english, t.variants)]


def _unit(root, version, unit_id):
    tag = "trans-unit" if version == "1.2" else "unit"
    return next(u for u in root.iter(f"{{{NS[version]}}}{tag}") if u.get("id") == unit_id)


def _set_target(root, version, unit_id, before, marked, after):
    """The target as ``before`` + ``marked`` in a paired inline code (g in 1.2, pc in 2.x) + ``after``."""
    unit = _unit(root, version, unit_id)
    holder = unit if version == "1.2" else unit.find(f"{{{NS[version]}}}segment")
    target = holder.find(f"{{{NS[version]}}}target")
    for child in list(target):
        target.remove(child)
    target.text = before
    code = etree.SubElement(target, f"{{{NS[version]}}}{'g' if version == '1.2' else 'pc'}", id="t1")
    code.text = marked
    code.tail = after


def _add_note(root, version, unit_id, text):
    unit = _unit(root, version, unit_id)
    if version == "1.2":
        etree.SubElement(unit, f"{{{NS[version]}}}note", {"from": TRANSLATOR}).text = text
    else:
        notes = unit.find(f"{{{NS[version]}}}notes")
        if notes is None:
            notes = etree.Element(f"{{{NS[version]}}}notes")
            unit.insert(0, notes)
        etree.SubElement(notes, f"{{{NS[version]}}}note").text = f"{TRANSLATOR}: {text}"


def translate_in_cat_tool(xlf, briefing, version) -> dict:
    """Edit the exported XLIFF as a translator would; returns what changed."""
    manifest = _manifest(briefing)
    plain = [r for r in manifest.rows if r.kind == "paragraph"]
    multi = [r for r in plain if len([s for s in r.segments if s.english]) >= 2]
    assert len(plain) >= 2 and multi, "the seed needs paragraphs of several sentences"
    rewritten, partly = plain[0], multi[-1]
    assert rewritten is not partly
    root = etree.parse(str(xlf)).getroot()

    terms = " ".join(_kept_terms(rewritten.segments, rewritten.english))
    _set_target(root, version, rewritten.id, "The translator ", "rewrote", f" this paragraph. {terms}")
    new_rewritten = _norm(f"The translator rewrote this paragraph. {terms}")
    _add_note(root, version, rewritten.id, "Checked against the press release.")

    head = " ".join(s.english for s in partly.segments[:-1] if s.english)
    last = partly.segments[-1]
    tail = " ".join(_kept_terms([last], last.english))
    _set_target(root, version, partly.id, f"{head} The last sentence, ", "corrected", f". {tail}")
    new_partly = _norm(f"{head} The last sentence, corrected. {tail}")
    xlf.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return {"rewritten": (rewritten.id, new_rewritten), "partly": (partly.id, new_partly)}


def _english_by_id(path):
    table = find_table(Document(path), ("原文", "English"))
    found = {}
    for row in table.rows[1:]:
        cells = row.cells
        merged = cells[0]._tc is cells[1]._tc
        english = "\n".join(p.text for p in cells[0].paragraphs[1:]) if merged else cells[1].text
        found[cells[-1].text.split()[0]] = (_norm(english), "reviewed" in cells[-1].text)
    return found


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_translators_xliff_comes_back_into_the_memory_and_the_briefing(version, first_run, tmp_path, tiny_model_dir):
    out, briefing = copy_of_run(first_run, tmp_path)
    before = _english_by_id(briefing)
    xlf = tmp_path / "to-translator" / f"{SEED.stem}.xlf"
    exported = _briefing("xliff", "export", briefing, "--version", version, "--output", xlf)
    assert exported.returncode == 0, exported.stderr
    assert str(tmp_path) not in xlf.read_text(encoding="utf-8"), "a local path left the machine"
    did = translate_in_cat_tool(xlf, briefing, version)

    dry = _briefing("review", "import", xlf, "--out", out, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would import" in dry.stdout and did["rewritten"][1] in dry.stdout
    assert not sqlite3.connect(out / "translation-memory.sqlite").execute(
        "SELECT COUNT(*) FROM human_translations").fetchone()[0], "a dry run wrote to the memory"

    imported = _briefing("review", "import", xlf, "--out", out)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"rows matched {len(before)} (by id {len(before)}," in imported.stdout
    assert "conflicts 0" in imported.stdout and "glossary breaks 0" in imported.stdout
    humans = sqlite3.connect(out / "translation-memory.sqlite").execute(
        "SELECT translation, reviewer, note FROM human_translations").fetchall()
    assert any("The translator rewrote this paragraph." in t for t, _, _ in humans)
    assert any("The last sentence, corrected." in t for t, _, _ in humans)
    # a 1.2 note names its author (from=); XLIFF 2 notes name nobody
    assert {r for _, r, _ in humans} == {TRANSLATOR if version == "1.2" else "unknown reviewer"}
    assert any("press release" in n for _, _, n in humans), "the translator's note became the entry's note"
    assert not any("Glossary:" in n or "QA flag" in n for _, _, n in humans), "the export's own notes came back as notes"

    again = _briefing("run", SEED, "--model", tiny_model_dir, "--out", out, "--no-index")
    assert again.returncode == 0, again.stderr
    after = _english_by_id(briefing)
    for key in ("rewritten", "partly"):
        row_id, text = did[key]
        assert after[row_id] == (text, True)
    changed = {did["rewritten"][0], did["partly"][0]}
    assert all(after[i] == (before[i][0], False) for i in before if i not in changed)
    # the sentence the translator replaced is stored per sentence (its neighbours anchor it): a human one now
    partly = next(r for r in _manifest(briefing).rows if r.id == did["partly"][0])
    assert "human" in {s.origin for s in partly.segments}


def test_an_xliff_without_our_manifest_is_refused_in_one_line(first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run, out)
    xlf = tmp_path / "stripped.xlf"
    assert _briefing("xliff", "export", out / f"{SEED.stem}.docx", "--output", xlf).returncode == 0
    root = etree.parse(str(xlf)).getroot()
    for element in list(root.iter("{urn:oasis:names:tc:xliff:document:1.2}reference")):
        element.getparent().remove(element)
    xlf.write_bytes(etree.tostring(root))
    proc = _briefing("review", "import", xlf, "--out", out)
    assert proc.returncode == 1
    assert f"{xlf}: no briefing manifest in this XLIFF" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_review_import_with_the_briefing_takes_back_an_xliff_that_lost_its_manifest(first_run, tmp_path):
    out, briefing = copy_of_run(first_run, tmp_path)
    xlf = tmp_path / "stripped.xlf"
    assert _briefing("xliff", "export", briefing, "--output", xlf).returncode == 0
    root = etree.parse(str(xlf)).getroot()
    for element in list(root.iter("{urn:oasis:names:tc:xliff:document:1.2}reference")):
        element.getparent().remove(element)
    xlf.write_bytes(etree.tostring(root))
    proc = _briefing("review", "import", xlf, "--out", out, "--briefing", briefing, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "no briefing manifest" not in proc.stderr and "Traceback" not in proc.stderr
    memoq = ROOT / "tests" / "data" / "xliff" / "ChangeTracking_memoQ_1.mqxliff"
    proc = _briefing("review", "import", memoq, "--out", out, "--briefing", briefing, "--dry-run")
    assert proc.returncode == 1 and "only 0 of 5 units match" in proc.stderr


def test_qa_flags_and_glossary_terms_travel_as_notes_and_states(first_run, tmp_path):
    from pipeline.xliff.read import read_xliff
    from pipeline.xliff.rows import qa_flags

    briefing = first_run / f"{SEED.stem}.docx"
    flags = qa_flags(briefing)
    manifest = _manifest(briefing)
    assert set(flags) <= {r.id for r in manifest.rows}
    for version in ("1.2", "2.1"):
        xlf = tmp_path / f"b{version}.xlf"
        assert _briefing("xliff", "export", briefing, "--version", version, "--output", xlf).returncode == 0
        root = etree.parse(str(xlf)).getroot()
        for row in manifest.rows:
            unit = _unit(root, version, row.id)
            notes = [n.text for n in unit.iter(f"{{{NS[version]}}}note")]
            for t in (t for s in row.segments for t in s.terms if t.kind == "term"):
                assert any(t.source in n and t.target in n for n in notes), (row.id, t)
            assert sum(n.startswith("QA flag: ") for n in notes) == len(flags.get(row.id, []))
            if version == "1.2":
                state = unit.find(f"{{{NS[version]}}}target").get("state")
                assert state == ("needs-review-translation" if row.id in flags else "translated")
            else:
                segment = unit.find(f"{{{NS[version]}}}segment")
                assert (segment.get("state"), segment.get("subState")) == (
                    ("initial", "briefing:qa-flagged") if row.id in flags else ("translated", None))
        document = read_xliff(xlf)
        assert document.manifest.to_xml() == manifest.to_xml()
        assert all(not u.notes for u in document.units), "the export's notes are not the translator's"


def test_without_the_manifest_the_briefing_given_must_match_every_unit(first_run, tmp_path):
    """The fallback (``review import --briefing``): the briefing's manifest, when every unit's ID and source match."""
    from pipeline.errors import BriefingError
    from pipeline.xliff.read import read_xliff, reviewed_document

    briefing = first_run / f"{SEED.stem}.docx"
    xlf = tmp_path / "stripped.xlf"
    assert _briefing("xliff", "export", briefing, "--version", "2.1", "--output", xlf).returncode == 0
    root = etree.parse(str(xlf)).getroot()
    for element in list(root.iter("{urn:oasis:names:tc:xliff:metadata:2.0}metadata")):
        element.getparent().remove(element)
    xlf.write_bytes(etree.tostring(root))
    document = read_xliff(xlf)
    assert document.manifest is None
    reviewed = reviewed_document(document, briefing)
    assert reviewed.manifest.to_xml() == _manifest(briefing).to_xml()
    assert [r.row_id for r in reviewed.rows] == [r.id for r in reviewed.manifest.rows]

    _unit(root, "2.1", reviewed.rows[0].row_id).set("id", "999")  # one unit that is not this briefing's
    xlf.write_bytes(etree.tostring(root))
    with pytest.raises(BriefingError, match=f"only {len(reviewed.rows) - 1} of {len(reviewed.rows)} units match"):
        reviewed_document(read_xliff(xlf), briefing)
    memoq = ROOT / "tests" / "data" / "xliff" / "ChangeTracking_memoQ_1.mqxliff"
    with pytest.raises(BriefingError, match="only 0 of 5 units match"):
        reviewed_document(read_xliff(memoq), briefing)


SCHEMAS = ROOT / "tests" / "data" / "xliff"


def _schema(version):
    """The OASIS schemas (tests/data/xliff/SOURCE.md): 1.2 strict, and 2.1 core with the Metadata module."""
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    xml_xsd = SCHEMAS / "schema-2.1" / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"
    if version == "1.2":
        text = (SCHEMAS / "schema-1.2" / "xliff-core-1.2-strict.xsd").read_bytes()
        text = text.replace(b'schemaLocation="http://www.w3.org/2001/xml.xsd"', f'schemaLocation="{xml_xsd.as_uri()}"'.encode())
        return etree.XMLSchema(etree.fromstring(text, parser, base_url=str(SCHEMAS / "schema-1.2") + "/"))
    wrapper = (b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:wrapper">'
               b'<xs:import namespace="urn:oasis:names:tc:xliff:document:2.0" schemaLocation="xliff_core_2.0.xsd"/>'
               b'<xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0" schemaLocation="metadata.xsd"/></xs:schema>')
    return etree.XMLSchema(etree.fromstring(wrapper, parser, base_url=str(SCHEMAS / "schema-2.1") + "/"))


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_the_export_is_valid_against_the_oasis_schema(version, first_run):
    from pipeline.xliff.export import export_xliff

    schema = _schema(version)
    root = etree.fromstring(export_xliff(first_run / f"{SEED.stem}.docx", version))
    assert schema.validate(root), schema.error_log
    # the schema is really checking: an attribute XLIFF does not allow where the toolkit would put one
    spoiled = _unit(root, version, _manifest(first_run / f"{SEED.stem}.docx").rows[0].id)
    (spoiled if version == "1.2" else spoiled.find(f"{{{NS[version]}}}segment")).set("approved" if version == "2.1" else "state", "yes")
    assert not schema.validate(root)


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_file_saved_by_translate_toolkit_keeps_the_manifest_and_the_edit(version, first_run, tmp_path):
    """Tools built on translate-toolkit (Pootle, Weblate, Virtaal) rewrite the whole file: it must still import."""
    from translate.storage import xliff, xliff2

    from pipeline.xliff.export import export_xliff
    from pipeline.xliff.read import read_xliff

    briefing = first_run / f"{SEED.stem}.docx"
    store_class = xliff.xlifffile if version == "1.2" else xliff2.Xliff2File
    store = store_class.parsestring(export_xliff(briefing, version))
    unit = store.units[-1]
    unit.target = "Saved by the toolkit."
    xlf = tmp_path / "toolkit.xlf"
    xlf.write_bytes(bytes(store))
    document = read_xliff(xlf)
    assert document.manifest.to_xml() == _manifest(briefing).to_xml()
    assert document.units[-1].target == "Saved by the toolkit."
    assert [u.id for u in document.units] == [r.id for r in document.manifest.rows]
