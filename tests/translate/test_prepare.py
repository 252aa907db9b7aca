"""Sentence preparation: what the model reads and which English it must produce."""

import pytest

from pipeline.glossary import Glossary, GlossaryEntry
from pipeline.translate.normalise import Normaliser
from pipeline.numbers import NumberFinder
from pipeline.translate.prepare import Constraint, SentencePreparer, required_targets, unmet_requirements

GLOSSARY = Glossary([GlossaryEntry("輝達", "NVIDIA"), GlossaryEntry("鴻海", "Hon Hai (Foxconn)"),
                     GlossaryEntry("台積電", "TSMC"), GlossaryEntry("台積電亞利桑那廠", "TSMC Arizona")])


def test_inline_mode_puts_the_english_where_the_term_was():
    p = SentencePreparer(Normaliser(), GLOSSARY).prepare("輝達（NVIDIA）與鴻海（2317）合作的資料中心。")
    assert p.request.text == "NVIDIA与Hon Hai (Foxconn)（2317）合作的数据中心。"  # the repeated bracket is folded
    assert [forms[0] for forms in p.request.constraints] == ["NVIDIA", "Hon Hai (Foxconn)"]  # canonical first
    assert p.normalised == "英伟达（NVIDIA）与鸿海（2317）合作的数据中心。"
    assert [(t.source, t.kind) for t in p.terms] == [("輝達", "term"), ("鴻海", "term")]


def test_keep_mode_feeds_the_normalised_chinese():
    p = SentencePreparer(Normaliser(), GLOSSARY, "keep").prepare("輝達與鴻海合作。")
    assert p.request.text == "英伟达与鸿海合作。"
    assert [forms[0] for forms in p.request.constraints] == ["NVIDIA", "Hon Hai (Foxconn)"]


def test_figures_join_the_constraints_in_text_order():
    p = SentencePreparer(Normaliser(), GLOSSARY, numbers=NumberFinder()).prepare("台積電投資5000億美元。")
    assert p.request.text == "TSMC投资US$500 billion。"
    assert [(t.target, t.kind) for t in p.terms] == [("TSMC", "term"), ("US$500 billion", "number")]


def test_figures_count_per_occurrence_terms_once_and_nothing_is_implied_by_another():
    terms = [Constraint("台積電", "TSMC"), Constraint("台積電亞利桑那廠", "TSMC Arizona"), Constraint("台積電", "TSMC")]
    assert [forms[0] for forms in required_targets(terms)] == ["TSMC", "TSMC Arizona"]  # TSMC is not implied by TSMC Arizona
    figures = [Constraint("7成", "70%", "number"), Constraint("170%", "170%", "number"), Constraint("七成", "70%", "number")]
    assert required_targets(figures) == (("70%",), ("170%",), ("70%",))  # 170% does not hold 70%


def test_requirements_carry_variants_and_the_capitalised_form_and_skip_unsure():
    terms = [Constraint("資料中心", "data center", variants=("data centers",)),
             Constraint("約", None, "number", unsure="number-unsure")]
    (forms,) = required_targets(terms)
    assert forms[0] == "data center"
    # the sentence-initial capitals are not listed: they count only at a sentence start (presence.match_forms)
    assert set(forms) == {"data center", "data centers"}


def test_unmet_requirements_counts_occurrences_on_boundaries():
    required = (("70%",), ("170%",), ("70%",))
    assert unmet_requirements(required, "Net profit grew 170% and revenue 70%.") == [("70%",)]
    assert unmet_requirements(required, "70% and 170%, then 70% again") == []
    assert unmet_requirements((("TSMC",),), "TSMCtt said") == [("TSMC",)]


def test_no_terms_no_constraints():
    p = SentencePreparer(Normaliser(), Glossary()).prepare("  好。 ")
    assert p.original == "好。" and p.request.constraints == () and p.terms == []


# -- the model reads clean input: inlined English is spaced from Latin letters and digits
@pytest.mark.parametrize("text,expected", [
    ("輝達H200晶片", "NVIDIA H200 chip"),  # the example
    ("台積電2330", "TSMC 2330"),
    ("AI晶片需求", "AI chip需求"),
    ("採用Blackwell晶片", "采用Blackwell chip"),
    ("輝達（NVIDIA）H20", "NVIDIA H20"),
    ("台積電、輝達", "TSMC、NVIDIA"),  # no Latin neighbour: nothing added
])
def test_inlined_english_is_spaced_from_latin_neighbours(text, expected):
    glossary = Glossary([GlossaryEntry("輝達", "NVIDIA"), GlossaryEntry("台積電", "TSMC"), GlossaryEntry("晶片", "chip")])
    prepared = SentencePreparer(Normaliser(), glossary).prepare(text)
    assert prepared.request.text == expected


def test_the_articles_lead_reaches_the_figures():
    from pipeline.translate.prepare import ArticleContext

    preparer = SentencePreparer(Normaliser(), Glossary(), numbers=NumberFinder())
    assert [c.target for c in preparer.prepare("收報480元。").terms] == ["NT$480"]
    hong_kong = ArticleContext(text="香港股市…收報480元。", lead="香港股市今日")
    [c] = preparer.prepare("收報480元。", hong_kong).terms
    assert not c.enforced and "Hong Kong" in c.unsure
