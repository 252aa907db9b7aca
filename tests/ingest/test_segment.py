from hypothesis import given, strategies as st

from pipeline.ingest.segment import split_long, split_sentences


def test_splits_on_full_width_and_ascii_final_punctuation():
    text = "第一句。第二句！第三句？第四句；第五句,沒有結尾"
    assert split_sentences(text) == ["第一句。", "第二句！", "第三句？", "第四句；", "第五句,沒有結尾"]


def test_closing_quote_stays_with_its_sentence():
    text = "他說：「不代表未來不會發生。」接著離開。"
    assert split_sentences(text) == ["他說：「不代表未來不會發生。」", "接著離開。"]


def test_ellipsis_and_trailing_space_are_kept():
    text = "合作。 劉揚偉也說明……然後呢"
    parts = split_sentences(text)
    assert parts == ["合作。 ", "劉揚偉也說明……", "然後呢"]


def test_decimal_points_and_ascii_names_do_not_split():
    assert split_sentences("年增率49.7%，Yahoo!Japan 也來了。") == ["年增率49.7%，Yahoo!Japan 也來了。"]


@given(st.text())
def test_sentence_split_is_lossless(text):
    assert "".join(split_sentences(text)) == text


@given(st.text(min_size=1, max_size=300), st.integers(min_value=1, max_value=40))
def test_split_long_is_lossless_and_fits(text, budget):
    pieces = split_long(text, lambda s: len(s) <= budget)
    assert "".join(pieces) == text
    assert all(len(p) <= budget for p in pieces)


def test_split_long_prefers_commas_and_respects_protected_spans():
    text = "甲乙丙丁，戊己庚辛，壬癸子丑"
    pieces = split_long(text, lambda s: len(s) <= 10)
    assert pieces == ["甲乙丙丁，", "戊己庚辛，壬癸子丑"]  # the comma nearest the middle
    protected = [(3, 7)]  # "丁，戊己" must stay together
    pieces = split_long("甲乙丙丁，戊己庚", lambda s: len(s) <= 4, protected)
    assert "".join(pieces) == "甲乙丙丁，戊己庚"
    assert any("丁，戊己" in p for p in pieces)
