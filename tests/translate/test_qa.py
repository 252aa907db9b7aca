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
    assert check_repetition(SRC, "come on come on come on come on", []) == "repeated 4 times: “come on”"
    assert check_repetition(SRC, "the the the thing", []).startswith("repeated 3 times: “the”")
    assert check_repetition(SRC, "這場這場這場這場 said", []) == "repeated 4 times: “這場”"
    assert check_repetition(SRC, "prices rose 1,000,000 - - - times", []) is None
    assert check_repetition(SRC, GOOD, TERMS) is None


def test_length_far_outside_the_ratio():
    assert "short" in check_length(SRC, "Hon Hai.", TERMS)
    assert "long" in check_length(SRC, " ".join(["word"] * 200), TERMS)
    assert check_length("好。", "Good.", []) is None  # too short to judge


def test_two_equal_or_nested_figures_need_their_own_occurrences():
    # 營收成長7成多，外銷成長7成: "more than 70%" and "70%"; one occurrence states one
    nested = [TermResult("7成多", "more than 70%", True, "number", ("over 70%",)), TermResult("7成", "70%", True, "number")]
    source = "營收成長7成多，外銷成長7成"
    assert "70%" in check_number(source, "Revenue grew more than 70%.", nested)
    assert check_number(source, "Revenue grew more than 70% and exports 70%.", nested) is None
    twice = [TermResult("7成", "70%", True, "number"), TermResult("七成", "70%", True, "number")]
    assert "70%" in check_number("7成，七成", "both rose 70%", twice)
    assert check_number("7成，七成", "one rose 70%, the other 70%", twice) is None
    # the same value written another way is one occurrence too
    same = [TermResult("5000億美元", "US$500 billion", False, "number")] * 2
    assert "US$500 billion" in check_number("5000億美元，5000億美元", "500,000,000,000 dollars", same)
    # a currency before a figure changes it: US$300 million does not state 300 million
    money = [TermResult("3億美元", "US$300 million", True, "number"), TermResult("3億", "300 million", True, "number")]
    assert "300 million" in check_number("3億美元，3億", "raised US$300 million", money)
    assert check_number("3億美元，3億", "raised US$300 million from 300 million users", money) is None


def test_a_longer_terms_occurrence_states_the_terms_ending_with_it():
    # WMT23 terminology dev line 351 lists 之间 -> "between" and 宗族 -> "Fights between"; the
    # QA check asks what the decoder guarantees: one "Fights between" states both
    nested = [TermResult("宗族", "Fights between", True), TermResult("之間", "between", True)]
    assert check_term("宗族之間", "Fights between clans went on.", nested) is None
    assert "Fights between" in check_term("宗族之間", "Clashes between clans went on.", nested)
    chips = [TermResult("人工智慧晶片", "AI chip", True), TermResult("晶片", "chip", True)]
    assert check_term("人工智慧晶片，晶片", "the AI chip market", chips) is None
    assert "AI chip" in check_term("人工智慧晶片，晶片", "the chip market", chips)


def test_term_forms_plural_case_and_sentence_start():
    terms = [TermResult("資料中心", "data center", True), TermResult("輝達", "NVIDIA", True),
             TermResult("矽光子", "silicon photonics", True)]
    assert check_term("", "Silicon photonics: Nvidia builds data centers.", terms) is None
    assert check_term("", "nvidia builds data centers with silicon photonics.", terms) == "glossary term missing: NVIDIA"
    assert check_term("", "NVIDIA builds Silicon photonics data centers.", terms) == \
        "glossary term missing: silicon photonics"


def test_stated_a_figure_written_another_way_counts_once():
    """``stated``: the one answer to 'does the English state this term or figure' (QA and the review import)."""
    from pipeline.translate.qa import stated

    people = TermResult("7000人", "7,000 people", False, "number")
    assert stated([people], "The plant has 7,000 employees.") == [True]  # the figure is 7,000: stated
    assert stated([people], "The plant has 7 thousand workers.") == [True]
    assert stated([people], "The plant has seven thousand workers.") == [False]  # words are not read
    assert stated([people], "The plant has 7,000,000 people.") == [False]
    assert stated([people, people], "7,000 employees here and 7,000 people there.") == [True, True]
    assert stated([people, people], "7,000 employees in all.") == [True, False]  # one occurrence, one figure
    unsure = TermResult("數千人", None, False, "number", unsure="indefinite")
    assert stated([unsure], "thousands of people") == [False]  # nothing enforced, nothing stated
    assert stated(TERMS, GOOD) == [True] * 4
    assert check_number("該廠有7000人。", "The plant has 7,000 employees.", [people]) is None
