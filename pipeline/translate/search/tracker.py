"""Which required English each hypothesis has written: the constraint tracker.

A sentence's constraints are *requirements*, one per occurrence of a term or
figure in the source.  Each requirement is a set of alternative token
sequences (*phrases*): the target, its glossary variants, the sentence-initial
capitalised form, each as SentencePiece spells it after a space and after an
opening bracket or quote.  A requirement is met when any of its phrases is
written; each completed phrase credits one requirement, so two occurrences of
``70%`` need two.

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
tables are indexed by each row's sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.nn import functional as F

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
        first = self.tokens[..., 0].clamp(min=0)
        last = self.tokens.gather(-1, (self.length - 1).clamp(min=0)[..., None]).squeeze(-1).clamp(min=0)
        real = self.length > 0
        self.digit_end = self.classes.ends_digit[last] & real
        anchored = self.classes.space[first] & real
        # a requirement with no "▁" spelling may start any of its spellings anywhere
        no_anchor = ~(self.member & anchored[:, None, :]).any(-1)  # [B, R]
        self.anchored = anchored | (self.member & no_anchor[..., None]).any(1)
        big = torch.iinfo(torch.long).max // 4
        cheapest = torch.where(self.member & self.anchored[:, None, :], self.length[:, None, :], big).min(-1).values
        self.real_req = self.member.any(-1)
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
        for name in ("tokens", "length", "member", "digit_end", "anchored", "real_req", "cost", "total"):
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
        open_ = self.member[sent] & ~met[..., :, None]  # [..., R, P]
        return open_.to(torch.uint8).argmax(-2), open_.any(-2)

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
        head_start = torch.where(has & (st.state > 0), cost.gather(-1, target) - remaining, 0)
        return owed - head_start.clamp(min=0).max(-1).values

    # ---------------------------------------------------------------- one token more
    def advance(self, sent: torch.Tensor, st: TrackerState, tok: torch.Tensor, kind: torch.Tensor | None = None) -> TrackerState:
        """The state after appending ``tok`` (shape of ``sent``; -1 for "a token of
        no phrase", then ``kind`` gives its class)."""
        length = self.length[sent]
        phrases = self.tokens[sent]
        safe = tok.clamp(min=0)
        if kind is None:
            kind = self.classes.kind[safe]
        opens = torch.where(st.prev >= 0, self.classes.opens[st.prev.clamp(min=0)], True)
        state = st.state
        at_end = (state == length) & (length > 0)
        after_dot = state == length + 1
        end_rule = _AT_END.to(kind.device)[self.digit_end[sent].long(), kind[..., None].expand_as(state)]
        after_rule = _AFTER_DOT.to(kind.device)[kind][..., None]
        credit = (at_end & (end_rule == CREDIT)) | (after_dot & (after_rule == CREDIT))
        wait = at_end & (end_rule == WAIT)
        nxt = phrases.gather(-1, state.clamp(max=phrases.size(-1) - 1)[..., None]).squeeze(-1)
        cont = (state > 0) & (state < length) & (nxt == tok[..., None])
        begin = (phrases[..., 0] == tok[..., None]) & (self.anchored[sent] | opens[..., None]) & (length > 0)
        new_state = torch.where(cont, state + 1, torch.where(wait, length + 1, begin.long()))
        met, target, has = st.met, st.target, st.has
        if bool(credit.any()):
            met, target, has = self._credit(sent, st, credit)
        return TrackerState(new_state, met, tok, target, has)

    def _credit(self, sent: torch.Tensor, st: TrackerState, credit: torch.Tensor):
        """``met`` (and the cached targets) after the completed phrases in ``credit``
        [..., P] are credited.  Only the rows that credit something are touched,
        and per phrase only its own column of requirements: in a step few rows
        complete a phrase, and the full argmax over requirements x phrases for
        every row was the tracker's largest cost."""
        n_phr, n_req = credit.size(-1), st.met.size(-1)
        flat_credit = credit.reshape(-1, n_phr)
        rows = flat_credit.any(-1).nonzero().flatten()
        sub_credit, sub_sent = flat_credit[rows], sent.reshape(-1)[rows]
        sub_met = st.met.reshape(-1, n_req)[rows]
        member = self.member[sub_sent]  # [m, R, P]
        fresh = torch.zeros_like(sub_met)  # credited at this token
        for p in sub_credit.any(0).nonzero().flatten().tolist():
            # the first unmet requirement holding phrase p takes the credit ...
            holds_p = member[..., p]  # [m, R]
            open_p = holds_p & ~sub_met
            # ... unless another phrase of it ended at this same token: phrases ending
            # together overlap (``▁7 0 %`` and ``7 0 %``), one occurrence in the text
            hit = sub_credit[:, p] & open_p.any(-1) & ~(fresh & holds_p).any(-1)
            new = F.one_hot(open_p.to(torch.uint8).argmax(-1), n_req).bool() & hit[:, None]
            fresh, sub_met = fresh | new, sub_met | new
        met = st.met.reshape(-1, n_req).clone()
        met[rows] = sub_met
        target = has = None
        if st.target is not None:  # keep the cache: only the credited rows change
            target, has = st.target.reshape(-1, n_phr).clone(), st.has.reshape(-1, n_phr).clone()
            target[rows], has[rows] = self._targets(sub_sent, sub_met)
            target, has = target.reshape(credit.shape), has.reshape(credit.shape)
        return met.reshape(st.met.shape[:-1] + (n_req,)), target, has

    def free_kind_needed(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """[n, kinds]: what is owed after a token of each kind that belongs to no phrase."""
        n = sent.size(0)
        owed = (self.cost[sent] * ~st.met).sum(-1)
        out = owed[:, None].expand(n, N_KINDS)
        # without a completed phrase waiting, a free token only resets progress: owed is the answer
        pending = ((st.state >= self.length[sent]) & (self.length[sent] > 0)).any(-1)
        rows = pending.nonzero().flatten()
        if rows.numel():
            out = out.clone()
            out[rows] = self._each_kind_needed(sent[rows], self.pick(st, rows))
        return out

    def _each_kind_needed(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """[m, kinds]: ``needed`` after a free token of each kind, all kinds in one pass."""
        m = sent.size(0)
        wide = TrackerState(*(None if t is None else t[:, None].expand(m, N_KINDS, *t.shape[1:])
                              for t in (st.state, st.met, st.prev, st.target, st.has)))
        kinds = torch.arange(N_KINDS, device=sent.device).expand(m, N_KINDS)
        wide_sent = sent[:, None].expand(m, N_KINDS)
        after = self.advance(wide_sent, wide, torch.full_like(kinds, -1), kinds)
        return self.needed(wide_sent, after)

    def advancing_tokens(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """[n, 2P] tokens that make progress (-1 = none): the next token of every
        phrase in progress, and the first token of every "▁" phrase some unmet
        requirement accepts."""
        phrases = self.tokens[sent]
        length = self.length[sent]
        nxt = phrases.gather(-1, st.state.clamp(max=phrases.size(-1) - 1)[..., None]).squeeze(-1)
        cont = torch.where((st.state > 0) & (st.state < length), nxt, -1)
        has = self.with_targets(sent, st).has
        first = torch.where(has & self.anchored[sent], phrases[..., 0], -1)
        tokens = torch.cat([cont, first], -1)
        # one column per distinct token, as few columns as the busiest row needs
        tokens = tokens.sort(-1, descending=True).values
        tokens[..., 1:] = tokens[..., 1:].masked_fill(tokens[..., 1:] == tokens[..., :-1], -1)
        tokens = tokens.sort(-1, descending=True).values
        width = max(int((tokens >= 0).sum(-1).max().item()) if tokens.numel() else 0, 1)
        return tokens[..., :width]

    @staticmethod
    def pick(st: TrackerState, index) -> TrackerState:
        cached = (st.target[index], st.has[index]) if st.target is not None else (None, None)
        return TrackerState(st.state[index], st.met[index], st.prev[index], *cached)
