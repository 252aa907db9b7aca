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
