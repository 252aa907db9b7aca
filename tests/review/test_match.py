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
    assert [(r.position, [row.id for row in rows]) for r, rows in result.merged] == [(2, ["2", "3"])]


def test_merges_of_three_rows_and_with_a_lost_id_are_reported_as_merges():
    three = match_rows(doc(("1", "第1段。"), ("23", "第2段。 第3段。\n第4段。"), ("5", "第5段。")), ROWS)
    assert [[row.id for row in rows] for _, rows in three.merged] == [["2", "3", "4"]] and not three.matches[1:-1]
    edited = match_rows(doc(("1", "第1段。"), ("", "第2段。第3段（改）。"), ("4", "第4段。"), ("5", "第5段。")), ROWS)
    assert not edited.merged and [r.position for r in edited.extra] == [2]  # not provably a merge: plain unmatched


def test_a_row_copied_over_another_is_never_matched_to_the_row_it_replaced():
    # row 3 pasted over row 4, then edited: which copy is the reviewer's English is unknown
    differ = [ReviewedRow(1, "1", "第1段。", "x"), ReviewedRow(2, "2", "第2段。", "x"), ReviewedRow(3, "3", "第3段。", "A"),
              ReviewedRow(4, "3", "第3段。", "B"), ReviewedRow(5, "5", "第5段。", "x")]
    result = match_rows(differ, ROWS)
    assert pairs(result) == [(1, "1", "id"), (2, "2", "id"), (5, "5", "id")]
    assert [[r.position for r in g] for g in result.duplicates] == [[3, 4]] and [r.id for r in result.missing] == ["3", "4"]
    same = differ[:3] + [ReviewedRow(4, "3", "第3段。", "A"), differ[4]]
    result = match_rows(same, ROWS)
    assert pairs(result) == [(1, "1", "id"), (2, "2", "id"), (3, "3", "id"), (5, "5", "id")]
    assert [r.id for r in result.missing] == ["4"], "the copy was aligned onto the row it overwrote"
    # even when its ID cell is gone, the copy is not aligned onto row 4
    no_id = differ[:3] + [ReviewedRow(4, "", "第3段。", "A"), differ[4]]
    assert (4, "4", "alignment") not in pairs(match_rows(no_id, ROWS))


def test_a_moved_row_is_matched_reported_and_anchors_nothing():
    moved = doc(("1", "第1段。"), ("5", "第5段。"), ("2", "第2段。"), ("", "第三段（改）。"), ("4", "第4段。"))
    result = match_rows(moved, ROWS)
    assert [(m.reviewed.position, m.row.id) for m in result.moved] == [(2, "5")]
    assert (2, "5", "id") in pairs(result) and (4, "3", "alignment") in pairs(result)
    # row 2 moved to the end: the edited row between 1 and 3 still aligns, the moved row is reported
    late = doc(("1", "第1段。"), ("", "第二段（改）。"), ("3", "第3段。"), ("4", "第4段。"), ("5", "第5段。"), ("", "第2段。"))
    result = match_rows(late, ROWS)
    assert [m.reviewed.position for m in result.moved] == [6] and (6, "2", "source") in pairs(result)
    assert [r.position for r in result.extra] == [2], "an edited row was aligned onto a moved row's slot"


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
