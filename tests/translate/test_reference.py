"""The reference-following model (``search.reference``) and its fallback reference.

Token-level rules on raw ids, then the search over a tiny random Marian: with
a (preferred, fallback) pair, the model writes the preferred wording unless a
constraint makes it take the fallback's term, after which it follows the
fallback to its end.
"""

import random

import torch

from pipeline.translate.search.reference import BONUS, FALLBACK_BONUS, ReferenceFollower

EOS = 0


def test_one_reference_is_followed_resumed_after_a_detour_and_ended():
    follower = ReferenceFollower([[5, 6, 7, 8]], EOS)
    assert follower.next_token(0, []) == 5
    assert follower.next_token(0, [5, 6]) == 7
    assert follower.next_token(0, [5, 6, 7, 8]) == EOS
    assert follower.next_token(0, [5, 9]) == 5  # nothing matches: from the start
    assert follower.next_token(0, [5, 9, 7]) == 8  # a detour, then back where the reference goes on
    assert ReferenceFollower([[]], EOS).next_token(0, [3]) is None


def _naive_next(ref, history):
    """The rule spelled out: try every suffix, longest first, at its first occurrence."""
    for size in range(min(len(history), len(ref)), 0, -1):
        suffix = history[len(history) - size :]
        for end in range(size, len(ref) + 1):
            if ref[end - size : end] == suffix:
                return ref[end] if end < len(ref) else EOS
    return ref[0]


def test_the_bisected_match_is_the_longest_suffix_match():
    # few distinct tokens, so suffixes recur and partly match
    rng = random.Random(3)
    for _ in range(300):
        ref = [rng.randint(1, 4) for _ in range(rng.randint(1, 12))]
        history = [rng.randint(1, 5) for _ in range(rng.randint(0, 15))]
        assert ReferenceFollower([ref], EOS).next_token(0, history) == _naive_next(ref, history), (ref, history)


def test_the_longest_match_decides_where_the_reference_goes_on():
    # 6 occurs twice; after 9 6 only the second occurrence matches two tokens
    follower = ReferenceFollower([[5, 6, 7, 9, 6, 8]], EOS)
    assert follower.next_token(0, [6]) == 7  # the first occurrence
    assert follower.next_token(0, [9, 6]) == 8
    assert follower.next_token(0, [1, 2, 5, 6, 7, 9, 6]) == 8


# preferred: "SF said SF rose"; fallback (official): "Shi Feng said Shi Feng rose"
SF, SHI, FENG, SAID, ROSE = 11, 12, 13, 14, 15
PREFERRED = [SF, SAID, SF, ROSE]
OFFICIAL = [SHI, FENG, SAID, SHI, FENG, ROSE]


def _pair():
    return ReferenceFollower([PREFERRED], EOS, fallbacks=[OFFICIAL])


def test_where_the_wordings_part_the_preferred_leads_and_the_fallback_is_offered():
    assert _pair().wanted(0, []) == [(SF, BONUS), (SHI, FALLBACK_BONUS)]


def test_once_the_fallback_term_is_written_the_fallback_leads_to_its_end():
    follower = _pair()
    assert follower.wanted(0, [SHI]) == [(FENG, BONUS)]
    assert follower.wanted(0, [SHI, FENG]) == [(SAID, BONUS)]
    # its second occurrence comes free: the fallback explains more of the hypothesis
    assert follower.wanted(0, [SHI, FENG, SAID]) == [(SHI, BONUS)]
    assert follower.wanted(0, OFFICIAL) == [(EOS, BONUS)]


def test_after_the_preferred_wording_the_fallback_is_no_longer_offered():
    # Writing the official term at its second place would cost a full detour,
    # so a forced term goes where the fallback first has it.
    follower = _pair()
    assert follower.wanted(0, [SF, SAID]) == [(SF, BONUS)]
    assert follower.wanted(0, PREFERRED) == [(EOS, BONUS)]


def test_agreeing_references_give_one_bonus_and_an_empty_fallback_changes_nothing():
    same = ReferenceFollower([[5, 6]], EOS, fallbacks=[[5, 6]])
    assert same.wanted(0, [5]) == [(6, BONUS)]
    alone = ReferenceFollower([[5, 6]], EOS, fallbacks=[[]])
    assert alone.wanted(0, []) == [(5, BONUS)]


def test_bonuses_land_on_the_searched_vocabulary_columns():
    follower = _pair()
    vocab = torch.tensor([EOS, SF, SHI, FENG, SAID, ROSE, 99])  # column -> full id
    logits = torch.zeros(3, vocab.numel())
    history = torch.tensor([[99, 99], [SHI, FENG], [SF, SAID]])  # the rows' full ids
    follower(logits, history, torch.tensor([0, 0, 0]), vocab)
    # row 0: no match in either -> both starts; row 1: fallback leads; row 2: preferred leads
    assert logits[0].tolist() == [0, BONUS, FALLBACK_BONUS, 0, 0, 0, 0]
    assert logits[1].tolist() == [0, 0, 0, 0, BONUS, 0, 0]
    assert logits[2].tolist() == [0, BONUS, 0, 0, 0, 0, 0]
    assert set(follower.token_ids) == {EOS, SF, SHI, FENG, SAID, ROSE}


def test_the_search_writes_the_preferred_wording_unless_a_term_is_enforced(tiny_translator):
    from pipeline.translate.prepare import TranslationRequest

    official = "Foxconn said Foxconn profit rose."
    preferred = "FO said FO profit rose."
    spelled = {r: tiny_translator.decode(tiny_translator._reference_ids(r)) for r in (official, preferred)}
    source = "鴻海表示鴻海獲利成長。"
    free, forced = tiny_translator.translate(
        [TranslationRequest(source), TranslationRequest(source, (("Foxconn",),))],
        references=[(preferred, official)] * 2,
    )
    assert free == spelled[preferred]
    assert forced == spelled[official]  # forced once, then the official wording to the end
    # a plain string reference is the single-reference model, as before
    assert tiny_translator.translate([TranslationRequest(source)], references=[official]) == [spelled[official]]
