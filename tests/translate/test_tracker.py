"""The constraint tracker on hand-made token sequences: order, occurrences,
alternatives, word boundaries, and what a hypothesis still owes."""

import torch

from pipeline.translate.search.tracker import END, ConstraintTracker, TokenClasses

# A tiny SentencePiece-like vocabulary: "▁" starts a word.
PIECES = ["</s>", "▁TS", "MC", "tt", "▁said", ".", "▁15", "5", "▁(", "TS", "▁NT", "$", "▁trillion", "▁", "'", "s", "<unk>", ","]
ID = {p: i for i, p in enumerate(PIECES)}
CLASSES = TokenClasses.from_pieces(PIECES, eos_id=0, special_ids=[ID["<unk>"]])
TSMC = [[ID["▁TS"], ID["MC"]], [ID["TS"], ID["MC"]]]  # after a space, and after "("


def _run(requirements, pieces, classes=CLASSES):
    """Feed ``pieces`` to one hypothesis; returns the tracker, its state and what it owes."""
    tracker = ConstraintTracker([requirements], classes)
    sent = torch.zeros(1, dtype=torch.long)
    state = tracker.start(sent)
    for piece in pieces:
        state = tracker.advance(sent, state, torch.tensor([ID[piece] if isinstance(piece, str) else piece]))
    return tracker, state, int(tracker.needed(sent, state)[0])


def _finished(tracker, state):
    """Owed once the output ends here (end-of-sentence credits a finished phrase)."""
    return int(tracker.free_kind_needed(torch.zeros(1, dtype=torch.long), state)[0, END])


def test_token_classes_follow_the_pieces():
    kinds = CLASSES.kind.tolist()
    assert kinds[ID["▁said"]] != kinds[ID["tt"]]
    assert CLASSES.opens[ID["▁("]] and not CLASSES.opens[ID["▁said"]] and CLASSES.opens[ID["▁"]]
    assert CLASSES.space[ID["▁TS"]] and not CLASSES.space[ID["TS"]]
    assert CLASSES.ends_digit[ID["▁15"]] and not CLASSES.ends_digit[ID["MC"]]


def test_any_order_each_credited_once():
    a, b = [[1, 2]], [[3]]
    classes = TokenClasses.permissive(10)
    for order in ([1, 2, 3], [3, 1, 2]):
        tracker, state, owed = _run([a, b], order, classes)
        assert owed == 0 and _finished(tracker, state) == 0 and tracker.total.item() == 3
        assert state.met.sum() == 1  # the last one waits for the next token (or the end) to be credited


def test_every_occurrence_needs_its_own_copy():
    classes = TokenClasses.permissive(10)
    tracker, state, owed = _run([[[5]], [[5]]], [5], classes)
    assert owed == 1 and _finished(tracker, state) == 1
    _, state, owed = _run([[[5]], [[5]]], [5, 9, 5, 9], classes)
    assert owed == 0 and state.met.all()


def test_spellings_ending_at_one_token_are_one_occurrence():
    # A tokenizer that spells the term after a space as a lone "▁" then "TS MC":
    # "▁ TS MC" ends both spellings at once (a lone "▁" opens a word, so "TS MC"
    # may start there).  One occurrence in the text: two copies are not both met.
    # Found by the glossary property test on the tiny trained tokenizer (70% twice).
    spelled = [[ID["▁"], ID["TS"], ID["MC"]], [ID["TS"], ID["MC"]]]
    _, state, owed = _run([spelled, spelled], ["▁", "TS", "MC", "▁said"])
    assert int(state.met.sum()) == 1 and owed == 3
    _, state, owed = _run([spelled, spelled], ["▁", "TS", "MC", "▁said", "▁", "TS", "MC", "▁said"])
    assert state.met.all() and owed == 0


def test_any_alternative_satisfies_a_requirement():
    classes = TokenClasses.permissive(10)
    _, state, owed = _run([[[1, 2], [7]]], [7, 4], classes)
    assert owed == 0 and state.met.all()


def test_a_term_glued_to_the_next_piece_is_not_met():
    _, state, owed = _run([TSMC], ["▁TS", "MC", "tt"])
    assert not state.met.any() and owed == 2  # "TSMCtt": nothing written
    _, state, owed = _run([TSMC], ["▁TS", "MC", "▁said"])
    assert state.met.all() and owed == 0
    _, state, owed = _run([TSMC], ["▁TS", "MC", "'", "s"])  # TSMC's
    assert state.met.all()


def test_a_finished_term_counts_at_the_end_of_the_output():
    tracker, state, owed = _run([TSMC], ["▁said", "▁TS", "MC"])
    assert owed == 0 and not state.met.any()  # owed nothing, not yet credited
    assert _finished(tracker, state) == 0


def test_after_a_bracket_the_other_spelling_counts_but_not_inside_a_word():
    _, state, _ = _run([TSMC], ["▁(", "TS", "MC", "▁said"])
    assert state.met.all()
    _, state, owed = _run([TSMC], ["▁said", "TS", "MC", "▁said"])  # "saidTSMC"
    assert not state.met.any() and owed == 2


def test_a_figure_followed_by_a_decimal_is_another_figure():
    _, state, _ = _run([[[ID["▁15"]]]], ["▁15", ".", "5", "▁said"])  # 15.5
    assert not state.met.any()
    _, state, _ = _run([[[ID["▁15"]]]], ["▁15", ".", "▁said"])  # "15. said"
    assert state.met.all()
    tracker, state, owed = _run([[[ID["▁15"]]]], ["▁15", "."])  # sentence-final "15."
    assert owed == 0 and _finished(tracker, state) == 0


def test_owed_tokens_count_the_head_start_of_the_best_phrase():
    nt = [ID["▁NT"], ID["$"], ID["▁15"], ID["▁trillion"]]
    tracker, state, owed = _run([[nt], TSMC], [])
    assert owed == 6
    _, state, owed = _run([[nt], TSMC], ["▁NT", "$"])
    assert owed == 4
    _, state, owed = _run([[nt], TSMC], ["▁NT", "$", "▁said"])  # abandoned: owed again
    assert owed == 6


def test_unknown_piece_after_a_term_is_not_a_boundary():
    _, state, _ = _run([TSMC], ["▁TS", "MC", "<unk>", "tt"])  # <unk> vanishes when decoding
    assert not state.met.any()


def test_advancing_tokens_offer_continuations_and_starts_of_unmet_requirements():
    tracker = ConstraintTracker([[TSMC, [[ID["▁NT"], ID["$"]]]]], CLASSES)
    sent = torch.zeros(1, dtype=torch.long)
    state = tracker.advance(sent, tracker.start(sent), torch.tensor([ID["▁TS"]]))
    offered = set(tracker.advancing_tokens(sent, state)[0].tolist()) - {-1}
    assert offered == {ID["MC"], ID["▁TS"], ID["▁NT"]}  # the "TS" spelling needs an opener: not forced


def test_batched_rows_follow_their_own_sentences():
    classes = TokenClasses.permissive(10)
    tracker = ConstraintTracker([[[[1]]], [[[2, 3]], [[4]]]], classes)
    sent = torch.tensor([0, 0, 1, 1])
    state = tracker.start(sent)
    for tok in ([1, 2, 2, 4], [5, 5, 3, 2]):
        state = tracker.advance(sent, state, torch.tensor(tok))
    assert tracker.needed(sent, state).tolist() == [0, 1, 1, 1]
    tracker.keep(torch.tensor([1]))
    assert tracker.total.tolist() == [3]


def test_a_token_not_offered_acts_as_a_free_token_of_its_kind():
    # The search advances exactly only the offered tokens; every other
    # candidate takes the free-token state of its kind.  Check that shortcut
    # against the exact step for every token of the vocabulary after every
    # prefix of a few outputs: same requirements met, same tokens owed.
    nt = [ID["▁NT"], ID["$"], ID["▁15"], ID["▁trillion"]]
    figure = [[ID["▁15"]], [ID["5"]]]
    requirements = [TSMC, [nt], figure, figure]
    outputs = [["▁(", "TS", "MC", "▁NT", "$", "▁15", ".", "5"],
               ["▁TS", "MC", "'", "s", "▁15", "▁said", "▁", "TS"],
               ["▁NT", "$", "▁15", ",", "▁15", "▁trillion"]]
    tracker = ConstraintTracker([requirements], CLASSES)
    sent = torch.zeros(1, dtype=torch.long)
    for output in outputs:
        state = tracker.start(sent)
        for piece in [None] + output:
            if piece is not None:
                state = tracker.advance(sent, state, torch.tensor([ID[piece]]))
            offered = set(tracker.advancing_tokens(sent, state)[0].tolist())
            free, owed = tracker.free_token_states(sent, state)
            for tok in set(range(len(PIECES))) - offered:
                exact = tracker.advance(sent, tracker.pick(state, [0]), torch.tensor([tok]))
                kind = int(CLASSES.kind[tok])
                assert torch.equal(exact.met[0], free.met[0, kind]), (output, piece, PIECES[tok])
                assert int(tracker.needed(sent, exact)[0]) == int(owed[0, kind]), (output, piece, PIECES[tok])
