"""Splitting a reviewed row into corrections, and the glossary checks on them (presence test)."""

from pipeline.review.importer import Correction, split_correction
from pipeline.review.manifest import Row, Segment, TermRecord
from pipeline.review.match import RowMatch
from pipeline.review.reader import ReviewedRow


def seg(i, english, terms=()):
    return Segment(f"1.{i}", f"句{i}。", f"句{i}。", tuple(t.target for t in terms if t.kind != "forbidden"),
                   english, terms=list(terms))


def corrections(segments, reviewed):
    row = Row("1", "paragraph", "".join(s.source for s in segments), " ".join(s.english for s in segments), segments)
    return split_correction(RowMatch(ReviewedRow(1, "1", row.source, reviewed), row, "id"))


def test_unchanged_sentences_anchor_the_changed_one():
    found = corrections([seg(1, "One."), seg(2, "Two."), seg(3, "Three.")], "One. Deux, corrected. Three.")
    assert [(c.segments[0].id, c.after, c.changed) for c in found] == [
        ("1.1", "One.", False), ("1.2", "Deux, corrected.", True), ("1.3", "Three.", False)]


def test_an_ambiguous_rewrite_stays_one_paragraph():
    found = corrections([seg(1, "One."), seg(2, "Two."), seg(3, "Three.")], "All of it, rewritten. Really.")
    assert len(found) == 1 and [s.id for s in found[0].segments] == ["1.1", "1.2", "1.3"]
    two_changed = corrections([seg(1, "One."), seg(2, "Two."), seg(3, "Three.")], "Uno. Dos. Three.")
    assert len(two_changed) == 1  # a gap holding two sentences cannot be split without guessing


def test_dropped_required_and_added_forbidden_terms_are_breaks():
    tsmc = TermRecord("台積電", "TSMC")
    forbidden = TermRecord("台積電", "Taiwan Semiconductor", kind="forbidden")
    s = seg(1, "TSMC grew.", [tsmc, forbidden])
    assert [t.target for t in Correction(Row("1", "paragraph", "", "", [s]), "id", [s], "TSMC grew.",
                                         "Taiwan Semiconductor grew.", []).broken_terms()] == ["TSMC", "Taiwan Semiconductor"]
    assert Correction(Row("1", "paragraph", "", "", [s]), "id", [s], "TSMC grew.", "TSMC rose.", []).broken_terms() == []
    # a term the model had already missed is not the reviewer's doing
    assert Correction(Row("1", "paragraph", "", "", [s]), "id", [s], "It grew.", "It rose.", []).broken_terms() == []


# ---------------------------------------------------------------- the importer on a real memory file
import sqlite3


from pipeline.review.importer import ReviewImporter
from pipeline.review.manifest import SegmentManifest
from pipeline.review.reader import ReviewedDocument
from pipeline.translate.memory import TranslationMemory

CONTEXT = {"model_id": "m", "model_revision": "r", "opencc_config": "s2twp", "decoding": "d", "version": "1"}
SEVEN_THOUSAND = TermRecord("7000人", "7,000 people", kind="number")
SAMSUNG = TermRecord("三星", "Samsung")


def segment(sid, source, english, terms=()):
    return Segment(sid, source, source, tuple((t.target,) for t in terms if t.kind != "forbidden"), english,
                   terms=list(terms))


def briefing_rows():
    """Three paragraphs: a figure, a term matched inside a name, and three sentences."""
    one = [segment("1.1", "該廠有7000人。", "The plant has 7,000 people.", [SEVEN_THOUSAND])]
    two = [segment("2.1", "陳三星表示訂單穩定。", "Samsung said orders were stable.", [SAMSUNG])]
    three = [segment("3.1", "台積電今天公布第三季財報，營收創下歷史新高。", "TSMC published third-quarter results with record revenue."),
             segment("3.2", "公司表示，先進製程的需求依然強勁。", "The company said demand for advanced processes stayed strong."),
             segment("3.3", "董事會同時通過了新的資本預算案。", "The board also approved a new capital budget.")]
    return [Row(str(i), "paragraph", "".join(s.source for s in segs), " ".join(s.english for s in segs), segs)
            for i, segs in enumerate((one, two, three), start=1)]


def reviewed(path, rows, english_by_id):
    manifest = SegmentManifest.from_xml(SegmentManifest("run", "gen", "a.txt", "paragraph", "sig", CONTEXT, rows).to_xml())
    doc_rows = [ReviewedRow(i, r.id, r.source, english_by_id.get(r.id, r.english)) for i, r in enumerate(rows, start=1)]
    return ReviewedDocument(path, manifest, doc_rows, "Ann", "2026-11-30T00:00:00Z")


def stored(db):
    return dict(sqlite3.connect(db).execute("SELECT source, translation FROM human_translations").fetchall())


def flags_of(result):
    return {c.row.id: [f.name for f in c.flags] for c in result.flagged}


def test_drops_are_imported_and_flagged_strict_refuses_them(tmp_path):
    rows = briefing_rows()
    edits = {"1": "The plant has 7,000 employees.", "2": "Chen San-hsing said orders were stable."}
    db = tmp_path / "tm.sqlite"
    importer = ReviewImporter(TranslationMemory(db))
    result = importer.examine(reviewed(tmp_path / "a.docx", rows, edits))
    importer.write(result)
    assert stored(db) == {"該廠有7000人。": edits["1"], "陳三星表示訂單穩定。": edits["2"]}
    assert flags_of(result) == {"2": ["reviewer-dropped-term"]}  # 7,000 employees states the figure
    assert not result.needs_attention
    entry = TranslationMemory(db).human_entries()
    assert {e.source: e.constraints for e in entry}["陳三星表示訂單穩定。"] == (("Samsung",),)  # requirements at import
    strict_db = tmp_path / "strict.sqlite"
    strict = ReviewImporter(TranslationMemory(strict_db), strict=True)
    result = strict.examine(reviewed(tmp_path / "a.docx", rows, {**edits, "1": "The plant has many employees."}))
    strict.write(result)
    assert stored(strict_db) == {} and {c.row.id for c, _ in result.term_breaks} == {"1", "2"}
    assert result.needs_attention


def test_empty_and_chinese_cells_are_refused_per_row_the_others_import(tmp_path):
    rows = briefing_rows()
    db = tmp_path / "tm.sqlite"
    importer = ReviewImporter(TranslationMemory(db))
    for bad in ("", "該廠有7000人。", "該廠有七千名員工 7000"):
        result = importer.examine(reviewed(tmp_path / "a.docx", rows, {"1": bad, "2": "Chen San-hsing said so."}))
        importer.write(result)
        assert [m.row.id for m, _ in result.refused] == ["1"] and result.needs_attention
        assert "該廠有7000人。" not in stored(db) and stored(db)["陳三星表示訂單穩定。"] == "Chen San-hsing said so."


def test_a_paragraph_translated_only_in_part_is_imported_flagged_with_new_flags_only(tmp_path):
    rows = briefing_rows()
    rows[2].segments[0].english = rows[2].english = "台積電台積電台積電台積電"  # the model's loop: old flags
    rows[2].english = " ".join(s.english for s in rows[2].segments)
    first_only = "TSMC published third-quarter results today, with revenue at a record high."
    db = tmp_path / "tm.sqlite"
    importer = ReviewImporter(TranslationMemory(db))
    result = importer.examine(reviewed(tmp_path / "a.docx", rows, {"3": first_only}))
    importer.write(result)
    assert stored(db) == {rows[2].source: first_only}  # the whole paragraph: it cannot be split
    assert flags_of(result) == {"3": ["reviewer-short"]}  # not untranslated or repetition: those were the model's
    full = ("TSMC published third-quarter results today, with revenue at a record high. The company said demand "
            "for advanced processes stayed strong. The board also approved a new capital budget.")
    assert not ReviewImporter(None).examine(reviewed(tmp_path / "a.docx", rows, {"3": full})).flagged


def test_a_body_from_another_article_imports_nothing(tmp_path):
    rows = briefing_rows()
    document = reviewed(tmp_path / "a.docx", rows, {"1": "The plant has 7,000 employees."})
    for r, other in zip(document.rows, ("颱風今晚登陸。", "高鐵暫停行駛。", "學校停課一天。")):
        r.source = other
    db = tmp_path / "tm.sqlite"
    importer = ReviewImporter(TranslationMemory(db))
    result = importer.examine(document)
    importer.write(result)
    assert "not the article" in result.document_refused and result.needs_attention and stored(db) == {}
    document.manifest.article_sha256 = ""  # a manifest written before it carried the hash: matched as before
    assert not ReviewImporter(None).examine(document).document_refused
