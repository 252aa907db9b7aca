"""Which required English each hypothesis has written: the constraint tracker.

A sentence's constraints are *requirements*, one per occurrence of a term or
figure in the source.  Each requirement is a set of alternative token
sequences (*phrases*): the target, its glossary variants, the sentence-initial
capitalised form, each as SentencePiece spells it after a space and after an
opening bracket or quote.  A requirement is met when any of its phrases is
written.  What is written once is credited once: phrases completed at the
same token are one occurrence, which meets every requirement accepting it but
only one copy of identical requirements, so ``70%`` required twice needs two.

The tracker follows every phrase of the sentence at once (the trie over all
unmet constraints of Hu et al. 2019, with every node that is a suffix of the
hypothesis tracked, not only one), so the model may write them in any order
and its own words are always credited.  Per hypothesis the state is

* ``state[p]``: how many tokens of phrase ``p`` end the hypothesis (restart on
  a mismatch); ``len(p)`` means complete but not yet credited, ``len(p) + 1``
  complete and followed by ``.`` or ``,`` (a figure: ``15.`` is ``15`` only if
  no digit follows);
* ``met[r]``: requirement ``r`` credited.

A completed phrase is credited only when the next token starts a new word
(a ``▁`` piece), is punctuation, or ends the output: ``TSMC`` glued to ``tt``
is not ``TSMC`` (the presence test in ``presence.py`` agrees).  A phrase
spelled without a leading ``▁`` may only start after a space or an opening
bracket or quote.

``needed`` is the number of tokens a hypothesis still owes: the cheapest
(shortest ``▁``-spelled) phrase of every unmet requirement, less the best head
start one tracked phrase gives.  The search never lets a hypothesis owe more
than it has steps left, and from every state there is a token that lowers
``needed`` by one (continue the best phrase; or start the lowest unmet
requirement, whose ``▁`` first token also credits a finished phrase), so at
the length limit every surviving hypothesis has met every requirement, for
any model.

Everything is a tensor: rows are hypotheses (or [hypotheses, candidates]),
tables are indexed by each row's sentence.  ``sent`` may have any shape that
broadcasts to the state's leading dimensions: all candidates of a sentence
pass ``[n, 1]`` and share one copy of its tables instead of one each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import torch

# What a token does to a phrase that has just been completed before it.
BREAK, DOT, DOT_DIGIT, GLUE, WORD, END = range(6)  # token kinds
N_KINDS = 6
CREDIT, LOST, WAIT = 0, 1, 2
# [phrase ends in a digit][kind of the next token]
_AT_END = torch.tensor([
    [CREDIT, CREDIT, CREDIT, LOST, LOST, CREDIT],  # TSMC. TSMC, TSMC.5 | TSMCtt TSMC5
    [CREDIT, WAIT, LOST, LOST, LOST, CREDIT],  # 15 then "." waits: 15.5 is not 15
])
# after "<figure>." : a digit continues the figure, anything else confirms it
_AFTER_DOT = torch.tensor([CREDIT, CREDIT, CREDIT, LOST, CREDIT, CREDIT])
_OPENERS = set("([{\"'“‘「『/")
_WORD = re.compile(r"\w")


@dataclass
class TokenClasses:
    """Per vocabulary id: how a token joins the text before and after it."""

    kind: torch.Tensor  # long: BREAK | DOT | DOT_DIGIT | GLUE | WORD | END
    space: torch.Tensor  # bool: starts a new word (a "▁" piece)
    opens: torch.Tensor  # bool: a phrase spelled without "▁" may follow it
    ends_digit: torch.Tensor  # bool

    @classmethod
    def from_pieces(cls, pieces: Sequence[str], eos_id: int, special_ids: Sequence[int] = ()) -> "TokenClasses":
        kinds, space, opens, digit = [], [], [], []
        special = set(special_ids)
        for i, piece in enumerate(pieces):
            piece = piece or ""
            is_special = i in special or (piece.startswith("<") and piece.endswith(">"))
            text = piece.lstrip("▁")
            if i == eos_id:
                kind = END
            elif is_special:
                kind = GLUE  # removed when decoding: what follows would touch the term
            elif piece.startswith("▁"):
                kind = BREAK
            elif piece in (".", ","):
                kind = DOT
            elif piece[:1] in (".", ",") and piece[1:2].isdigit():
                kind = DOT_DIGIT
            elif piece[:1].isdigit():
                kind = GLUE
            elif _WORD.match(piece[:1]):
                kind = WORD
            else:
                kind = BREAK
            kinds.append(kind)
            space.append(piece.startswith("▁") and not is_special)
            opens.append(not is_special and (piece == "▁" or (text[-1:] in _OPENERS)))
            digit.append(not is_special and text[-1:].isdigit())
        return cls(torch.tensor(kinds), torch.tensor(space), torch.tensor(opens), torch.tensor(digit))

    @classmethod
    def permissive(cls, size: int) -> "TokenClasses":
        """No tokenizer known (raw token ids): every token starts a word."""
        return cls(torch.full((size,), BREAK), torch.ones(size, dtype=torch.bool),
                   torch.ones(size, dtype=torch.bool), torch.zeros(size, dtype=torch.bool))

    def take(self, ids: torch.Tensor) -> "TokenClasses":
        """The classes of the searched vocabulary (ids index the full one)."""
        return TokenClasses(self.kind[ids], self.space[ids], self.opens[ids], self.ends_digit[ids])

    def to(self, device) -> "TokenClasses":
        return TokenClasses(*(t.to(device) for t in (self.kind, self.space, self.opens, self.ends_digit)))


@dataclass
class TrackerState:
    state: torch.Tensor  # [..., P] long
    met: torch.Tensor  # [..., R] bool
    prev: torch.Tensor  # [...] long: the hypothesis's last token (-1 at the start)
    # cached: per phrase, the requirement its completion would credit (changes only with ``met``)
    target: torch.Tensor | None = None  # [..., P] long
    has: torch.Tensor | None = None  # [..., P] bool


Requirement = Sequence[Sequence[int]]  # alternative token sequences


class ConstraintTracker:
    """The requirements of a batch of sentences, and how tokens advance them."""

    def __init__(self, requirements: Sequence[Sequence[Requirement]], classes: TokenClasses, device=None):
        self.classes = classes.to(device) if device is not None else classes
        per_sentence = [self._phrases(reqs) for reqs in requirements]
        batch = len(requirements)
        n_req = max([len(r) for r in requirements] + [1])
        n_phr = max([len(p) for p, _ in per_sentence] + [1])
        width = max([len(t) for p, _ in per_sentence for t in p] + [1])
        self.tokens = torch.full((batch, n_phr, width), -1, dtype=torch.long)
        self.length = torch.zeros((batch, n_phr), dtype=torch.long)
        self.member = torch.zeros((batch, n_req, n_phr), dtype=torch.bool)
        for b, (phrases, members) in enumerate(per_sentence):
            for p, toks in enumerate(phrases):
                self.tokens[b, p, : len(toks)] = torch.tensor(toks, dtype=torch.long)
                self.length[b, p] = len(toks)
            for r, ps in enumerate(members):
                self.member[b, r, list(ps)] = True
        self.tokens, self.length, self.member = (t.to(device) for t in (self.tokens, self.length, self.member))
        self.first = self.tokens[..., 0]  # [B, P]: -1 for a padding phrase
        first = self.first.clamp(min=0)
        last = self.tokens.gather(-1, (self.length - 1).clamp(min=0)[..., None]).squeeze(-1).clamp(min=0)
        real = self.length > 0
        self.digit_end = (self.classes.ends_digit[last] & real).long()  # indexes the rule tables
        dev = self.digit_end.device
        self.credit_at_end, self.wait_at_end = (_AT_END == CREDIT).to(dev), (_AT_END == WAIT).to(dev)
        self.credit_after_dot = (_AFTER_DOT == CREDIT).to(dev)
        # whether a phrase spelled without "▁" may start after the previous token;
        # index -1 (no token yet, the start of the output) reads the appended True
        self.opens_after = torch.cat([self.classes.opens, torch.ones(1, dtype=torch.bool, device=dev)])
        anchored = self.classes.space[first] & real
        # a requirement with no "▁" spelling may start any of its spellings anywhere
        no_anchor = ~(self.member & anchored[:, None, :]).any(-1)  # [B, R]
        self.anchored = anchored | (self.member & no_anchor[..., None]).any(1)
        big = torch.iinfo(torch.long).max // 4
        cheapest = torch.where(self.member & self.anchored[:, None, :], self.length[:, None, :], big).min(-1).values
        self.real_req = self.member.any(-1)
        self.rank = torch.arange(n_req, 0, -1, device=self.member.device)  # R .. 1: earlier ranks higher
        # [B, R, R']: requirement r' is an identical, earlier copy of r (the same phrases)
        twins = (self.member[:, :, None, :] == self.member[:, None, :, :]).all(-1)
        self.earlier_twin = twins & torch.ones(n_req, n_req, dtype=torch.bool, device=twins.device).tril(-1)
        self.cost = torch.where(self.real_req, cheapest, 0)  # [B, R]
        self.total = self.cost.sum(-1)  # [B]

    @staticmethod
    def _phrases(reqs: Sequence[Requirement]) -> tuple[list[tuple[int, ...]], list[set[int]]]:
        phrases: dict[tuple[int, ...], int] = {}
        members = []
        for req in reqs:
            mine = set()
            for alt in req:
                alt = tuple(int(t) for t in alt)
                if alt:
                    mine.add(phrases.setdefault(alt, len(phrases)))
            members.append(mine)
        return list(phrases), members

    # ---------------------------------------------------------------- batch bookkeeping
    def keep(self, sentences: torch.Tensor) -> None:
        """Only these sentences stay in the batch."""
        for name in ("tokens", "first", "length", "member", "digit_end", "anchored", "real_req", "cost", "total",
                     "earlier_twin"):
            setattr(self, name, getattr(self, name)[sentences])

    def start(self, sent: torch.Tensor) -> TrackerState:
        n = sent.size(0)
        return TrackerState(
            torch.zeros((n, self.length.size(1)), dtype=torch.long, device=sent.device),
            ~self.real_req[sent],
            torch.full((n,), -1, dtype=torch.long, device=sent.device),
        )

    # ---------------------------------------------------------------- what is owed
    def _targets(self, sent: torch.Tensor, met: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """For each phrase: the requirement completing it would credit (the first
        unmet one holding it) and whether there is one.  [..., P] each."""
        # one reduction: the first open requirement has the highest rank (R - r)
        best = torch.where(self.member[sent] & ~met[..., :, None], self.rank[:, None], 0).amax(-2)  # [..., P]
        return self.rank.size(0) - best.clamp(min=1), best > 0

    def with_targets(self, sent: torch.Tensor, st: TrackerState) -> TrackerState:
        if st.target is None:
            st.target, st.has = self._targets(sent, st.met)
        return st

    def needed(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        cost = self.cost[sent]
        owed = (cost * ~st.met).sum(-1)
        st = self.with_targets(sent, st)
        target, has = st.target, st.has
        remaining = (self.length[sent] - st.state).clamp(min=0)
        cost_of = cost.expand(*target.shape[:-1], cost.size(-1)).gather(-1, target)
        head_start = torch.where(has & (st.state > 0), cost_of - remaining, 0)
        return owed - head_start.clamp(min=0).max(-1).values

    # ---------------------------------------------------------------- one token more
    def advance(self, sent: torch.Tensor, st: TrackerState, tok: torch.Tensor, kind: torch.Tensor | None = None) -> TrackerState:
        """The state after appending ``tok`` (shape of ``sent``; -1 for "a token of
        no phrase", then ``kind`` gives its class)."""
        length = self.length[sent]
        safe = tok.clamp(min=0)
        if kind is None:
            kind = self.classes.kind[safe]
        opens = self.opens_after[st.prev]
        state = st.state
        at_end = (state == length) & (length > 0)
        after_dot = state == length + 1
        ends_digit = self.digit_end[sent]
        credit = (at_end & self.credit_at_end[ends_digit, kind[..., None]]) | (after_dot & self.credit_after_dot[kind][..., None])
        wait = at_end & self.wait_at_end[ends_digit, kind[..., None]]
        cont = (state > 0) & (state < length) & (self._next_token(sent, state) == tok[..., None])
        begin = (self.first[sent] == tok[..., None]) & (self.anchored[sent] | opens[..., None]) & (length > 0)
        new_state = torch.where(cont, state + 1, torch.where(wait, length + 1, begin.long()))
        met, target, has = st.met, st.target, st.has
        if bool(credit.any()):
            met, target, has = self._credit(sent, st, credit)
        return TrackerState(new_state, met, tok, target, has)

    def _credit(self, sent: torch.Tensor, st: TrackerState, credit: torch.Tensor):
        """``met`` (and the cached targets) after the completed phrases in ``credit``
        [..., P] are credited.  The phrases completed at one token all end there,
        so they are one occurrence in the text: each requirement accepting one
        of them is credited, but of identical requirements (a figure required
        twice) only the first unmet copy, so ``▁7 0 %`` and ``7 0 %`` ending
        together pay for one ``70%``.  Only the rows that credit something are
        touched: in a step few rows complete a phrase."""
        n_phr, n_req = credit.size(-1), st.met.size(-1)
        flat_credit = credit.reshape(-1, n_phr)
        rows = flat_credit.any(-1).nonzero().flatten()
        sub_credit, sub_sent = flat_credit[rows], sent.expand(credit.shape[:-1]).reshape(-1)[rows]
        sub_met = st.met.reshape(-1, n_req)[rows]
        hit = (self.member[sub_sent] & sub_credit[:, None, :]).any(-1) & ~sub_met  # [m, R]
        behind_twin = (hit[:, None, :] & self.earlier_twin[sub_sent]).any(-1)
        sub_met = sub_met | (hit & ~behind_twin)
        met = st.met.reshape(-1, n_req).clone()
        met[rows] = sub_met
        target = has = None
        if st.target is not None:  # keep the cache: only the credited rows change
            target, has = st.target.reshape(-1, n_phr).clone(), st.has.reshape(-1, n_phr).clone()
            target[rows], has[rows] = self._targets(sub_sent, sub_met)
            target, has = target.reshape(credit.shape), has.reshape(credit.shape)
        return met.reshape(st.met.shape[:-1] + (n_req,)), target, has

    def free_token_states(self, sent: torch.Tensor, st: TrackerState) -> tuple[TrackerState, torch.Tensor]:
        """After a token that belongs to no phrase in progress, one of each kind:
        the [n, kinds, ...] states and what each then owes ([n, kinds]).

        Such a token ends all progress, so these states stand for every token
        ``advancing_tokens`` does not offer; only rows with a completed phrase
        waiting for its credit need the full step (the kind decides its fate).
        ``prev`` is left to the caller: it is the token itself."""
        st = self.with_targets(sent, st)
        n, n_phr = sent.size(0), self.length.size(1)
        owed = (self.cost[sent] * ~st.met).sum(-1)
        needed = owed[:, None].expand(n, N_KINDS)
        wide = [t[:, None].expand(n, N_KINDS, *t.shape[1:]) for t in (st.met, st.target, st.has)]
        state = torch.zeros((n, N_KINDS, n_phr), dtype=torch.long, device=sent.device)
        pending = ((st.state >= self.length[sent]) & (self.length[sent] > 0)).any(-1)
        rows = pending.nonzero().flatten()
        if rows.numel():
            sub = self.pick(st, rows)
            kinds = torch.arange(N_KINDS, device=sent.device).expand(rows.size(0), N_KINDS)
            sub_wide = TrackerState(*(t[:, None].expand(-1, N_KINDS, *t.shape[1:])
                                      for t in (sub.state, sub.met, sub.prev, sub.target, sub.has)))
            after = self.advance(sent[rows][:, None], sub_wide, torch.full_like(kinds, -1), kinds)
            needed = needed.clone()
            needed[rows] = self.needed(sent[rows][:, None], after)
            wide = [w.clone() for w in wide]
            state[rows] = after.state
            for w, t in zip(wide, (after.met, after.target, after.has)):
                w[rows] = t
        met, target, has = wide
        return TrackerState(state, met, torch.full((n, N_KINDS), -1, dtype=torch.long, device=sent.device),
                            target, has), needed

    def free_kind_needed(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """[n, kinds]: what is owed after a token of each kind that belongs to no phrase."""
        return self.free_token_states(sent, st)[1]

    def advancing_tokens(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """[n, A] tokens that make progress (-1 = none): the next token of every
        phrase in progress, and the first token of every phrase some unmet
        requirement accepts that may start here (a "▁" phrase, or any after an
        opening bracket or quote).  Every other token acts as a free token of
        its kind (``free_token_states``)."""
        length = self.length[sent]
        cont = torch.where((st.state > 0) & (st.state < length), self._next_token(sent, st.state), -1)
        has = self.with_targets(sent, st).has
        opens = self.opens_after[st.prev]
        may_start = has & (self.anchored[sent] | opens[:, None]) & (length > 0)
        first = torch.where(may_start, self.first[sent], -1)
        tokens = torch.cat([cont, first], -1)
        # one column per distinct token, as few columns as the busiest row needs
        tokens = tokens.sort(-1, descending=True).values
        tokens[..., 1:] = tokens[..., 1:].masked_fill(tokens[..., 1:] == tokens[..., :-1], -1)
        tokens = tokens.sort(-1, descending=True).values
        width = max(int((tokens >= 0).sum(-1).max().item()) if tokens.numel() else 0, 1)
        return tokens[..., :width]

    def _next_token(self, sent: torch.Tensor, state: torch.Tensor) -> torch.Tensor:
        """[..., P]: token ``state`` of every phrase (clamped), read from the flat
        table: copying each row's [P, width] phrases was the tracker's costliest
        step once candidates number in the thousands."""
        n_phr, width = self.tokens.shape[1:]
        index = (sent[..., None] * n_phr + torch.arange(n_phr, device=sent.device)) * width
        return self.tokens.view(-1)[index + state.clamp(max=width - 1)]

    @staticmethod
    def join(a: TrackerState, b: TrackerState, dim: int = 1) -> TrackerState:
        """Two states side by side along ``dim`` (the cached targets only if both have them)."""
        cached = a.target is not None and b.target is not None
        fields = ("state", "met", "prev") + (("target", "has") if cached else ())
        return TrackerState(*(torch.cat([getattr(a, f), getattr(b, f)], dim) for f in fields))

    @staticmethod
    def pick(st: TrackerState, index) -> TrackerState:
        cached = (st.target[index], st.has[index]) if st.target is not None else (None, None)
        return TrackerState(st.state[index], st.met[index], st.prev[index], *cached)
