"""Row matching: id (confirmed by the source), then source hash, then a one-to-one gap;
added, deleted, merged and moved rows never pull a correction onto the wrong segment."""

from pipeline.review.manifest import Row
from pipeline.review.match import match_rows
from pipeline.review.reader import ReviewedRow

ROWS = [Row(str(i), "paragraph", f"第{i}段。", f"Paragraph {i}.") for i in range(1, 6)]


def doc(*rows):
    return [ReviewedRow(n, row_id, source, "x") for n, (row_id, source) in enumerate(rows, start=1)]


def pairs(result):
    return [(m.reviewed.position, m.row.id, m.how) for m in result.matches]


def test_ids_confirmed_by_source_then_source_alone():
    result = match_rows(doc(("1", "第1段。"), ("", "第2段。"), ("3", "第3段。"), ("4", "第4段。"), ("5", "第5段。")), ROWS)
    assert pairs(result) == [(1, "1", "id"), (2, "2", "source"), (3, "3", "id"), (4, "4", "id"), (5, "5", "id")]


def test_an_id_copied_onto_another_row_does_not_count():
    result = match_rows(doc(("1", "第2段。")), ROWS)
    assert pairs(result) == [(1, "2", "source")]


def test_deleted_and_merged_rows_are_left_unmatched_not_shifted():
    merged = doc(("1", "第1段。"), ("2", "第2段。第3段。"), ("4", "第4段。"), ("5", "第5段。"))
    result = match_rows(merged, ROWS)
    assert pairs(result) == [(1, "1", "id"), (3, "4", "id"), (4, "5", "id")]
    assert [r.position for r in result.extra] == [2] and [r.id for r in result.missing] == ["2", "3"]


def test_a_one_to_one_gap_is_aligned_and_an_added_row_is_not():
    edited = doc(("1", "第1段。"), ("", "第二段（改）。"), ("3", "第3段。"), ("", "新的一段。"), ("4", "第4段。"), ("5", "第5段。"))
    result = match_rows(edited, ROWS)
    assert (2, "2", "alignment") in pairs(result)
    assert [r.position for r in result.extra] == [4] and not result.missing


def test_duplicate_paragraphs_pair_in_order_only_when_counts_agree():
    rows = [Row("1", "paragraph", "同。", "A."), Row("2", "paragraph", "同。", "B."), Row("3", "paragraph", "異。", "C.")]
    assert pairs(match_rows(doc(("", "同。"), ("", "同。"), ("3", "異。")), rows))[:2] == [(1, "1", "source"), (2, "2", "source")]
    one_left = match_rows(doc(("", "同。"), ("3", "異。")), rows)
    assert [m.row.id for m in one_left.matches] == ["3"] and len(one_left.extra) == 1
