"""The one presence test: boundaries, accepted forms, sentence starts, occurrences."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pipeline.translate import presence
from pipeline.translate.presence import (
    Ctx, accepted_forms, count_present, find_spans, found, is_present, mark_spans, met_requirements,
)


@pytest.mark.parametrize(
    "english, translation, count",
    [
        # word boundaries: a name inside a longer word is not the name
        ("AI", "OpenAI and xAI", 0),
        ("AI", "AI chips", 1),
        ("AI", "AI-driven demand", 1),
        ("TSMC", "(TSMC)", 1),
        ('TSMC', '"TSMC" said', 1),
        ("TSMC", "TSMCtt", 0),
        ("TSMC", "TSMC and TSMC", 2),
        ("TSMC", "TSMC's plant and TSMC’s", 2),  # possessive: the apostrophe is a boundary
        ("chip", "the chips' makers", 1),
        # figures do not continue figures (the 70% inside 170%)
        ("70%", "revenue up 70%, net profit up 170%", 1),
        ("70%", "net profit up 170%", 0),
        ("3,456", "closed at 23,456 points", 0),
        ("3,456", "closed at 3,456 points", 1),
        ("5", "5.5 times", 0),
        ("1.5", "21.5", 0),
        ("15", "the 15th day", 0),
        ("70", "up 70% on", 0),
        ("NT$250 billion", "capex of NT$250 billion.", 1),
        ("NT$25 billion", "capex of NT$250 billion.", 0),
        # a sign or a currency symbol before a figure changes it
        ("3.5%", "fell -3.5% year on year", 0),
        ("-3.5%", "fell -3.5% year on year", 1),
        ("1.8%", "margin (–1.8%)", 0),
        ("NT$0.5", "EPS was -NT$0.5", 0),
        ("3.5%", "rose 3-3.5%", 1),  # a hyphenated range is not a sign
        ("300 million", "raised US$300 million", 0),
        ("300 million", "raised $300 million", 0),
        ("300 million", "raised 300 million yuan", 1),
        ("$300", "raised US$300", 0),
        # a capitalised lower-case form counts at a sentence start only
        ("more than", "More than half", 1),
        ("silicon photonics", "Silicon photonics grew.", 1),
        ("silicon photonics", "It said. Silicon photonics grew.", 1),
        ("silicon photonics", 'It grew! "Silicon photonics', 1),
        ("silicon photonics", 'It grew." Silicon photonics', 1),
        ("silicon photonics", "the Silicon photonics unit", 0),
        ("silicon photonics", "up 15.Silicon photonics", 0),
        # plurals of lower-case common nouns; never of names or figures
        ("data center", "data centers", 1),
        ("battery", "two batteries", 1),
        ("process", "new processes", 1),
        ("chip", "Chips rose; chips fell", 2),
        ("Chip", "two Chips", 0),
        # a name in capitals or with capitalised words; never lower-cased
        ("NVIDIA", "Nvidia and NVIDIA", 2),
        ("NVIDIA", "nvidia", 0),
        ("Hon Hai (Foxconn)", "HON HAI (FOXCONN) said", 1),
    ],
)
def test_count_present(english, translation, count):
    assert count_present(english, translation) == count
    assert is_present(english, translation) == (count > 0)


def test_figures_get_no_plural_or_name_forms():
    assert accepted_forms("5,000 people", kind="number") == ("5,000 people",)
    assert accepted_forms("US$100 billion", ("US$100,000,000,000",), kind="number") == ("US$100 billion",
                                                                                        "US$100,000,000,000")
    assert count_present("5,000 people", "5,000 peoples", kind="number") == 0


def test_forms_have_one_space_between_words():
    from pipeline.translate.presence import accepted_forms, is_present

    assert accepted_forms("1  0") == ("1 0",)
    assert accepted_forms(" data \t center ", ["data  centre"]) == ("data center", "data centre", "data centers",
                                                                      "data centres")
    assert is_present("Hon  Hai", "Shares of Hon Hai rose.") and not is_present("1  0", "1 00")


def test_accepted_forms_canonical_first():
    assert accepted_forms("data center", ["data centers"]) == ("data center", "data centers")
    assert accepted_forms("chip") == ("chip", "chips")
    assert accepted_forms("silicon photonics") == ("silicon photonics",)  # already plural-looking
    assert accepted_forms("NVIDIA") == ("NVIDIA", "Nvidia")
    assert accepted_forms("TSMC", ["Taiwan Semiconductor"]) == ("TSMC", "Taiwan Semiconductor", "Tsmc",
                                                                "TAIWAN SEMICONDUCTOR")


def test_variants_count_and_never_overlap():
    assert count_present("data center", "two data centers and a data center", ["data centers"]) == 2
    assert find_spans("data center", "data centers", ["data centers"]) == [(0, 12)]


@pytest.mark.parametrize("required, text, met", [
    # 營收成長7成多，外銷成長7成: two figures; one "more than 70%" states only the first
    ((("more than 70%", "over 70%"), ("70%",)), "Revenue grew more than 70%.", [True, False]),
    ((("70%",), ("more than 70%", "over 70%")), "Revenue grew over 70%.", [False, True]),
    ((("more than 70%", "over 70%"), ("70%",)), "Revenue grew more than 70%, exports 70%.", [True, True]),
    ((("70%",), ("70%",)), "up 70%", [True, False]),
    ((("70%",), ("70%",)), "up 70% and 70%", [True, True]),
    ((("US$300 million",), ("300 million",)), "US$300 million", [True, False]),
    ((("US$300 million",), ("300 million",)), "US$300 million for 300 million people", [True, True]),
    # different places: both
    ((("Nvidia H200",), ("NVIDIA", "Nvidia")), "the Nvidia H200 chip", [True, True]),
    ((("AI chip", "AI chips"), ("chip", "chips")), "AI chips", [True, False]),
    ((), "anything", []),
])
def test_one_occurrence_meets_one_requirement(required, text, met):
    assert met_requirements(required, text) == met
    assert presence.unmet(required, text) == [r for r, ok in zip(required, met) if not ok]


T, N = True, False  # share flags: a glossary term shares an occurrence, a figure never

# Terms nested at one place: WMT23 terminology dev line 351 (zhen.term.proper) lists
# 之间 -> "between" and 宗族 -> "Fights between"; the others are our own.
BETWEEN, FIGHTS = ("between",), ("Fights between",)
CHIP, AI_CHIP = accepted_forms("chip"), accepted_forms("AI chip", ("AI chips",))  # a name gets no plural of its own
POWER, NUCLEAR, PLANT = accepted_forms("power plant"), accepted_forms("nuclear power plant"), accepted_forms("plant")


@pytest.mark.parametrize("required, shares, text, met", [
    # a longer term's occurrence states the shorter term ending with it, in either order
    ((BETWEEN, FIGHTS), (T, T), "Fights between the clans.", [True, True]),
    ((FIGHTS, BETWEEN), (T, T), "Fights between the clans.", [True, True]),
    ((CHIP, AI_CHIP), (T, T), "They sell AI chips.", [True, True]),
    ((AI_CHIP, CHIP), (T, T), "They sell AI chip designs.", [True, True]),
    # three terms at one place
    ((PLANT, NUCLEAR, POWER), (T, T, T), "a nuclear power plant", [True, True, True]),
    ((NUCLEAR, PLANT, POWER), (T, T, T), "two nuclear power plants", [True, True, True]),
    # the shorter term alone does not state the longer one
    ((BETWEEN, FIGHTS), (T, T), "the fights between clans", [True, False]),
    ((PLANT, NUCLEAR, POWER), (T, T, T), "a power plant", [True, False, True]),
    # sentence-initial capital forms: "AI chips" ends where "chips" (as a word) ends
    ((BETWEEN, ("fights between",)), (T, T), "Fights between clans.", [True, True]),
    ((BETWEEN, ("fights between",)), (T, T), "Clan fights. Fights between clans.", [True, True]),
    ((BETWEEN, ("fights between",)), (T, T), "the Fights between clans", [True, False]),
    # a form ending at another place is an occurrence of its own, as before
    ((CHIP, ("chip design",)), (T, T), "a chip design", [True, True]),
    ((("chip design",), CHIP), (T, T), "a chip", [False, True]),
    # figures never share: not as takers, not as sharers
    ((("more than 70%",), ("70%",)), (N, N), "up more than 70%.", [True, False]),
    ((("70%",), ("70%",)), (N, N), "up 70%.", [True, False]),
    ((("70%",), ("70%",)), (N, N), "up 70% and 70%.", [True, True]),
    # a figure and a term at one place: the longer takes it; only a term taker shares, only with terms
    ((("70%",), ("more than 70%",)), (T, N), "up more than 70%.", [False, True]),
    ((("more than 70%",), ("70%",)), (T, N), "up more than 70%.", [True, False]),
    ((("US$300 million",), ("300 million",)), (N, T), "US$300 million", [True, False]),
    ((CHIP, AI_CHIP, ("AI chip",)), (T, T, N), "AI chip", [True, True, False]),
    # no flags (a request stored before they existed): nobody shares
    ((BETWEEN, FIGHTS), (), "Fights between the clans.", [False, True]),
    ((CHIP, AI_CHIP), (T,), "AI chips", [False, True]),
])
def test_glossary_terms_share_an_occurrence_figures_never(required, shares, text, met):
    assert met_requirements(required, text, shares) == met
    assert presence.unmet(required, text, shares) == [r for r, ok in zip(required, met) if not ok]


@dataclass
class _Term:
    target: str | None
    kind: str = "term"
    variants: tuple[str, ...] = ()
    unsure: str = ""


def test_found_counts_terms_once_and_figures_per_occurrence():
    terms = [_Term("TSMC"), _Term("70%", "number"), _Term("TSMC"), _Term("70%", "number"), _Term(None, "number"),
             _Term("NVIDIA", unsure="inside a longer word"), _Term("more than 70%", "number")]
    assert found(terms, "TSMC said 70% and more than 70%") == [True, True, True, False, False, False, True]


def test_found_lets_terms_share_from_their_kind():
    terms = [_Term("between"), _Term("Fights between"), _Term("70%", "number"), _Term("more than 70%", "number")]
    assert found(terms, "Fights between clans rose more than 70%.") == [True, True, False, True]
    req = presence.requirement_index(terms)
    assert req.shares == (True, True, False, False) and req.index == (0, 1, 2, 3)
    assert presence.requirement_index([_Term("TSMC"), _Term("TSMC"), _Term("5", "number")]).shares == (True, False)


def test_share_flags_pad_with_no_sharing():
    assert presence.share_flags((), 2) == (False, False)
    assert presence.share_flags((True,), 3) == (True, False, False)
    assert presence.share_flags((True, True, True), 2) == (True, True)


def test_the_context_automaton():
    assert presence.contexts("a. (B")[4] == Ctx.SENT == presence.ctx_after("a. (")
    assert presence.ctx_after("rose 15.") == Ctx.ENDP_DIGIT and presence.ctx_after("3-") == Ctx.OTHER
    assert presence.ctx_after("fell -") == Ctx.SIGN and presence.ctx_after("US$") == Ctx.CURRENCY
    assert presence.ctx_after("  (“") == Ctx.START


def test_mark_spans_prefers_longer_terms_and_keeps_boundaries():
    assert mark_spans("AI at OpenAI and AI", [("AI", ()), ("OpenAI", ())]) == [(0, 2), (6, 12), (17, 19)]
    assert mark_spans("Hon Hai (Foxconn) and Foxconn", [("Hon Hai (Foxconn)", ()), ("Foxconn", ())]) == [(0, 17), (22, 29)]


def test_chinese_characters_are_boundaries_for_latin_names():
    # the 原文 column bolds Latin sources inside Chinese text (seed 000: 與OpenAI合作)
    assert count_present("OpenAI", "與OpenAI合作") == 1
    assert count_present("AI", "生成式AI的需求") == 1
    assert count_present("AI", "與OpenAI合作") == 0
