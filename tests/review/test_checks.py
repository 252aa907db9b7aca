"""The checks on a reviewer's English (pipeline/review/checks.py): refusals, drops, the
second look, and the article identity.  The coverage thresholds are also checked against
the HKMA annual reports' human translations they were chosen from."""

import re
from pathlib import Path

import pytest

from pipeline.review import checks
from pipeline.review.manifest import Row, SegmentManifest, TermRecord, article_hash
from pipeline.review.reader import ReviewedRow

from tests.conftest import NO_SHARED

HKMA = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "hkma"
HKMA = HKMA if HKMA.exists() else Path("/work/shared/eval/hkma")

SEVEN_THOUSAND = TermRecord("7000人", "7,000 people", kind="number")
SAMSUNG = TermRecord("三星", "Samsung")


def names(flags):
    return [f.name for f in flags]


@pytest.mark.parametrize("target, english", [
    ("7,000 people", "The plant has 7,000 employees."),
    ("7,000 people", "It employs 7,000 staff."),
    ("2.3 billion", "Sales reached 2,300 million."),
    ("70%", "Its share is 70 percent."),
    ("NT$1.5 billion", "Revenue was NT$1.5 billion."),
])
def test_a_figure_stated_another_way_is_not_dropped(target, english):
    figure = TermRecord("x", target, kind="number")
    before = f"The model wrote {target}."
    assert checks.check_dropped_figure("", before, english, [figure]) is None
    assert "reviewer-dropped-figure" not in names(checks.review_flags("", before, english, [figure]))


@pytest.mark.parametrize("english", [
    "The plant has seven thousand employees.",  # spelled out: the checker cannot read it, it says so
    "The plant has 7,000,000 employees.",  # another value
    "The plant has 700 employees.",
    "The plant has many employees.",
])
def test_a_figure_gone_or_changed_is_dropped(english):
    reason = checks.check_dropped_figure("", "The plant has 7,000 people.", english, [SEVEN_THOUSAND])
    assert reason and "7,000 people" in reason


def test_a_term_matched_by_mistake_and_removed_is_flagged_not_refused():
    # 陳三星 is a person: the glossary's 三星 -> Samsung matched inside the name
    before, after = "Samsung said the order was firm.", "Chen San-hsing said the order was firm."
    flags = checks.review_flags("陳三星表示訂單穩定。", before, after, [SAMSUNG])
    assert "reviewer-dropped-term" in names(flags) and "Samsung" in flags[0].reason
    assert checks.run(checks.REFUSALS, "陳三星表示訂單穩定。", before, after, [SAMSUNG]) == []


def test_a_term_the_model_had_already_missed_is_not_the_reviewers_drop():
    assert checks.check_dropped_term("", "The company said.", "The firm said.", [SAMSUNG]) is None


@pytest.mark.parametrize("after, refused", [
    ("", "empty"),
    ("   ", "empty"),
    ("台積電今天公布財報。", "not-english"),
    ("台積電今天公布財報 TSMC", "not-english"),  # 9 characters against 4 letters
    ("Chen San-hsing (陳三星) said the order was firm.", None),
    ("TSMC (台積電) rose.", None),
])
def test_empty_and_mostly_chinese_english_is_refused(after, refused):
    flags = checks.run(checks.REFUSALS, "台積電今天公布財報。", "TSMC reported today.", after, [])
    assert names(flags) == ([refused] if refused else [])


SOURCE = "台積電今天公布第三季財報，營收創下歷史新高。公司表示，先進製程的需求依然強勁。董事會同時通過了新的資本預算案。"
FULL = ("TSMC published its third-quarter results today, with revenue at a record high. The company said "
        "demand for advanced processes remained strong. The board also approved a new capital budget.")


@pytest.mark.parametrize("english, short", [
    (FULL, False),
    ("TSMC published its third-quarter results today, with revenue at a record high.", True),  # one of three
    ("TSMC published its third-quarter results today, with revenue at a record high. The company said "
     "demand for advanced processes remained strong.", True),  # two of three
    ("TSMC reported record revenue.", True),
    ("TSMC published its third-quarter results today, with revenue at a record high, and the company said "
     "demand for advanced processes remained strong, while the board also approved a new capital budget.",
     False),  # the three sentences joined into one, all of it: not flagged
])
def test_english_covering_less_of_the_source_is_flagged(english, short):
    assert (checks.check_short(SOURCE, FULL, english, []) is not None) == short


def test_old_qa_flags_are_not_kept_the_new_english_is_checked():
    model = "台積電台積電台積電台積電"  # the model's loop, flagged untranslated and repetition
    assert not names(checks.review_flags(SOURCE, model, FULL, []))
    first_only = FULL.split(". ")[0] + "."
    flags = names(checks.review_flags(SOURCE, model, first_only, []))
    assert "reviewer-short" in flags and "untranslated" not in flags and "repetition" not in flags


def test_english_sentence_count_skips_abbreviations():
    assert checks.english_sentences("The U.S. economy grew 2.5% in Q3. Mr. Smith agreed. So did Dr. Lee!") == 3
    assert checks.english_sentences("") == 0


def _manifest(sources, with_hash=True):
    rows = [Row(str(i), "paragraph", s, f"P{i}.") for i, s in enumerate(sources, start=1)]
    manifest = SegmentManifest("r", "g", "a.txt", "paragraph", "sig", {}, rows)
    return SegmentManifest.from_xml(manifest.to_xml()) if with_hash else manifest


def _doc(sources):
    return [ReviewedRow(i, str(i), s, "x") for i, s in enumerate(sources, start=1)]


def test_the_manifest_carries_the_articles_hash_whatever_the_rows():
    manifest = _manifest(["第一段。第二句。", "第三段。"])
    assert manifest.article_sha256 == article_hash(["第一段。", "第二句。", "第三段。"]) == article_hash(["第一段。第二句。第三段。"])


def test_a_body_from_another_article_is_refused_edits_and_deletions_are_not():
    ours = ["台積電營收創新高。", "蘋果發表新手機。", "央行維持利率不變。", "股市小幅上漲。"]
    manifest = _manifest(ours)
    assert checks.check_same_article(manifest, _doc(ours)) is None
    assert checks.check_same_article(manifest, _doc(ours[:1] + ours[2:])) is None  # a row deleted
    assert checks.check_same_article(manifest, _doc(["台積電營收創歷史新高。"] + ours[1:])) is None  # a source edited
    other = ["颱風今晚登陸。", "高鐵暫停行駛。", "學校停課一天。", "股市小幅上漲。"]
    reason = checks.check_same_article(manifest, _doc(other))
    assert reason and "not the article" in reason and "1 of 4" in reason
    assert checks.check_same_article(_manifest(ours, with_hash=False), _doc(other)) is None  # older manifest


_CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.skipif(not HKMA.exists(), reason=NO_SHARED)
def test_thresholds_hold_on_the_hkma_human_translations():
    """Few human paragraphs flagged, most truncations (first k of n sentences, k <= 2n/3) flagged."""
    pairs = []
    for year in ("2016", "2018"):
        zh = (HKMA / f"{year}.zhen.zh").read_text(encoding="utf-8").splitlines()
        en = (HKMA / f"{year}.zhen.en").read_text(encoding="utf-8").splitlines()
        pairs += [(z, e) for z, e in zip(zh, en) if len(_CJK.findall(z)) >= 8 and not z.startswith("#")]
    flagged = sum(checks.check_short(z, e, e, []) is not None for z, e in pairs)
    assert len(pairs) >= 500 and flagged <= len(pairs) // 100
    cut = caught = 0
    for z, e in pairs:
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", e)
        for k in range(1, len(sentences)):
            if 3 * k <= 2 * len(sentences):
                cut += 1
                caught += checks.check_short(z, e, " ".join(sentences[:k]), []) is not None
    assert cut >= 300 and caught >= 0.85 * cut


def test_qa_flags_that_only_repeat_a_reviewer_flag_are_left_out():
    tsmc = TermRecord("台積電", "TSMC")
    only_removed = names(checks.review_flags("三星表示。", "Samsung said.", "Chen said.", [SAMSUNG]))
    assert only_removed == ["reviewer-dropped-term"]
    # TSMC was the model's miss, not the reviewer's: the QA term flag stays, naming both
    flags = checks.review_flags("三星台積電說。", "Samsung said.", "Chen said.", [SAMSUNG, tsmc])
    assert names(flags) == ["reviewer-dropped-term", "term"] and "TSMC" in flags[1].reason
    short = names(checks.review_flags(SOURCE, FULL, "TSMC reported.", []))
    assert "reviewer-short" in short and "length" not in short
