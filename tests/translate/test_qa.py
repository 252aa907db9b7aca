"""QA checks fire on crafted outputs, each with a reason, and stay quiet on clean ones."""

from pipeline.article import TermResult
from pipeline.translate.qa import (
    check_empty, check_length, check_number, check_repetition, check_term, check_untranslated, run_checks,
)

SRC = "鴻海（2317）董事長劉揚偉表示，公司估值達到5000億美元，年增率49.7%。"
GOOD = "Hon Hai (Foxconn) (2317) chairman Young Liu said the company was valued at US$500 billion, up 49.7%."
TERMS = [
    TermResult("鴻海", "Hon Hai (Foxconn)", True), TermResult("劉揚偉", "Young Liu", True),
    TermResult("5000億美元", "US$500 billion", True, "number"), TermResult("49.7%", "49.7%", True, "number"),
]


def test_a_clean_translation_has_no_flags():
    assert run_checks(SRC, GOOD, TERMS) == []


def test_empty():
    assert check_empty(SRC, "  ", TERMS) == "no English came out"


def test_term_missing():
    assert check_term(SRC, GOOD.replace("Young Liu", "Liu Yangwei"), TERMS) == "glossary term missing: Young Liu"


def test_number_without_counterpart():
    assert "2317" in check_number(SRC, GOOD.replace("(2317) ", ""), TERMS)
    assert "US$500 billion" in check_number(SRC, GOOD.replace("US$500 billion", "500 million dollars"), TERMS)
    assert check_number("出口618億美元", "exports of 61,800,000,000", []) is not None
    assert check_number("2,317家", "2317 companies", []) is None  # digit grouping is not a difference
    same_value = [TermResult("5000億美元", "US$500 billion", False, "number")]
    assert check_number("5000億美元", "half a trillion: 500,000,000,000 dollars", same_value) is None


def test_untranslated_chinese_left():
    reason = check_untranslated(SRC, "Hon Hai 董事長 said", TERMS)
    assert reason.startswith("3 Chinese character(s) left") and "董事長" in reason
    cjk_target = [TermResult("台積電", "台積電", True)]
    assert check_untranslated("台積電", "台積電 expands", cjk_target) is None


def test_repetition_loops():
    assert check_repetition(SRC, "come on come on come on come on", []) == "“come on” repeated 4 times"
    assert check_repetition(SRC, "the the the thing", []).startswith("“the” repeated 3")
    assert check_repetition(SRC, "這場這場這場這場 said", []) == "“這場” repeated 4 times"
    assert check_repetition(SRC, "prices rose 1,000,000 - - - times", []) is None
    assert check_repetition(SRC, GOOD, TERMS) is None


def test_length_far_outside_the_ratio():
    assert "short" in check_length(SRC, "Hon Hai.", TERMS)
    assert "long" in check_length(SRC, " ".join(["word"] * 200), TERMS)
    assert check_length("好。", "Good.", []) is None  # too short to judge
