"""The adversarial figure table is well formed, and `score` counts right, wrong and left.

The table (tests/data/numbers/adversarial_figures.tsv, written for this project, see SOURCE.md)
is read by tests/numbers/adversarial.py; running the figure reader over it is another test.
"""

import json
from collections import Counter

import pytest

from tests.numbers.adversarial import (
    DATA, ISSUE_FAMILIES, OTHER_FAMILIES, CaseError, Score, Unsure, load_cases, score,
)

CASES = load_cases()
BY_SENTENCE = {case.sentence: case for case in CASES}


def test_the_table_has_enough_cases():
    assert len(CASES) >= 330


def test_every_issue_family_has_twenty_cases_and_plain_has_more():
    counts = Counter(case.family for case in CASES)
    assert {family: counts[family] for family in ISSUE_FAMILIES if counts[family] < 20} == {}
    assert counts["plain"] >= 40


def test_families_are_the_known_ones():
    assert {case.family for case in CASES} == set(ISSUE_FAMILIES) | set(OTHER_FAMILIES)


def test_no_sentence_is_listed_twice():
    assert [s for s, n in Counter(case.sentence for case in CASES).items() if n > 1] == []


def test_the_table_has_no_figure_cases_unsure_cases_and_multi_figure_cases():
    assert sum(1 for case in CASES if case.expected == ()) >= 40
    assert sum(1 for case in CASES if any(isinstance(e, Unsure) for e in case.expected)) >= 5
    assert sum(1 for case in CASES if len(case.expected) >= 2) >= 40


def test_a_minus_is_written_as_an_ascii_hyphen_in_the_english():
    # The house style writes -1.8%; a U+2212 or en dash in an acceptable string is a typo.
    odd = [(case.line, text) for case in CASES for entry in case.expected
           if not isinstance(entry, Unsure) for text in entry if {"\u2212", "\u2013", "\uff0d"} & set(text)]
    assert odd == []


def test_the_house_style_reading_of_every_case_scores_perfectly():
    for case in CASES:
        enforced = [(entry[0], ()) for entry in case.expected if not isinstance(entry, Unsure)]
        assert score(enforced, case.expected) == Score(case.known, 0, len(case.expected) - case.known), case.line


@pytest.mark.parametrize("sentence,wrong", [
    ("專案總經費約3至5千萬元，預計明年上半年動工。", "NT$30,000 to NT$50 million"),
    ("檢調查出，該案不法金額3千多萬元，已移送法辦。", "more than 3,000"),
    ("中央政府今年補助地方3百餘億元。", "more than 300"),
    ("台電表示，今年將有500兆瓦離岸風電完成併網。", "500 trillion"),
    ("研究指出，該國每美元產值排放0.36千克二氧化碳。", "360"),
    ("2886兆豐金今年獲利創新高，股價同步走揚。", "2,886 trillion"),
    ("台積電5/10的記者會將說明海外設廠進度。", "five tenths"),
    ("法院判決，被告須負7成賠償責任。", "-70%"),
    ("這份民調的抽樣誤差為正負3%。", "-3%"),
    ("這家老字號公司的經營策略多年來一成不變。", "10%"),
    ("他八成沒看過這份財報就對外發言了。", "80%"),
    ("學者提醒，社會輿論不應陷入二元對立。", "NT$2"),
    ("老手建議，在市場上千萬不要追高殺低。", "more than 10 million"),
    ("公司今年營收增加一倍。", "1 times"),
    ("受利多消息激勵，該股交易量急增2.3倍。", "2.3 times"),
    ("中國人民銀行宣布增加2,000億元人民幣的再貸款額度。", "NT$200 billion"),
    ("中國財政部宣布發行5000億元特別國債。", "NT$500 billion"),
    ("港股今天走揚，騰訊收報480元。", "NT$480"),
    ("受新台幣升值影響，上季毛利率年減（\u20131.8%）。", "1.8%"),
    ("比亞迪股價今天收在300元。", "HK$300"),
])
def test_the_issues_wrong_readings_score_wrong(sentence, wrong):
    case = BY_SENTENCE[sentence]
    assert score([(wrong, ())], case.expected) == Score(0, 1, len(case.expected))


def test_one_more_than_form_does_not_answer_for_two_figures():
    case = BY_SENTENCE["該公司今年營收成長7成多，外銷成長7成。"]
    assert score([("more than 70%", ())], case.expected) == Score(1, 0, 1)
    assert score([("more than 70%", ()), ("70%", ())], case.expected) == Score(2, 0, 0)
    assert score([("70%", ()), ("70%", ())], case.expected) == Score(1, 1, 1)


def test_the_pairing_is_a_maximum_matching_whatever_the_order():
    expected = (("70%",), ("more than 70%",))
    # Greedy first-fit would pair the first figure with "70%" and leave the second wrong.
    enforced = [("more than 70%", ("70%",)), ("70%", ())]
    assert score(enforced, expected) == Score(2, 0, 0)
    assert score(enforced[::-1], expected) == Score(2, 0, 0)


def test_a_variant_can_be_the_right_form():
    assert score([("two thirds", ("2/3", "two-thirds"))], (("two-thirds",),)) == Score(1, 0, 0)
    assert score([("2/3", ("February 3",))], (("two thirds", "two-thirds"),)) == Score(0, 1, 1)


def test_anything_enforced_where_nothing_or_unsure_is_expected_is_wrong():
    assert score([("2,886", ())], ()) == Score(0, 1, 0)
    assert score([("RMB300", ())], (Unsure("dual listed"),)) == Score(0, 1, 1)
    assert score([], (Unsure("dual listed"),)) == Score(0, 0, 1)
    assert score([], ()) == Score(0, 0, 0)


def test_a_figure_not_enforced_is_left():
    assert score([("12%", ())], (("12%",), ("NT$15",))) == Score(1, 0, 1)


def _write(tmp_path, *rows):
    path = tmp_path / "cases.tsv"
    path.write_text("family\tsentence\texpected\tnote\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("row,message", [
    ('plain\t營收3億元。\t[["NT$300 million"]\tnote', "not JSON"),
    ('plain\t營收3億元。\t["NT$300 million"]\tnote', "entry 1"),
    ('plain\t營收3億元。\t{"a": 1}\tnote', "JSON list"),
    ('plain\t營收3億元。\t[[]]\tnote', "non-empty list"),
    ('plain\t營收3億元。\t[{"sure": "x"}]\tnote', "unsure"),
    ('plain\t營收3億元。\t[["NT$300 million", "NT$300 million"]]\tnote', "twice"),
    ('plain\t營收3億元。\t[[" NT$300 million"]]\tnote', "outer spaces"),
    ('plain\t營收3億元。\t[["NT$300 million"]]', "3 tab-separated fields"),
    ('plain\t\t[]\tnote', "empty sentence"),
])
def test_a_bad_line_is_named(tmp_path, row, message):
    path = _write(tmp_path, 'plain\t營收5億元。\t[["NT$500 million"]]\tfine', row)
    with pytest.raises(CaseError, match=message) as error:
        load_cases(path)
    assert f"{path}:3:" in str(error.value)


def test_a_bad_header_is_named(tmp_path):
    path = tmp_path / "cases.tsv"
    path.write_text("sentence\texpected\n", encoding="utf-8")
    with pytest.raises(CaseError, match=":1: header"):
        load_cases(path)


def test_a_good_file_loads_with_its_line_numbers(tmp_path):
    path = _write(tmp_path, 'plain\t營收5億元。\t[["NT$500 million"]]\tfine',
                  'yuan_context\t比亞迪收在300元。\t[{"unsure": "dual listed"}]\tn')
    cases = load_cases(path)
    assert [(c.line, c.expected, c.known) for c in cases] == [
        (2, (("NT$500 million",),), 1), (3, (Unsure("dual listed"),), 0)]


def test_the_shipped_file_is_the_default():
    assert DATA.name == "adversarial_figures.tsv"
    assert json.loads(DATA.read_text(encoding="utf-8").splitlines()[1].split("\t")[2])
