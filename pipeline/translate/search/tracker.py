"""Which required English each hypothesis has written: the constraint tracker.

A sentence's constraints are *requirements*, one per occurrence of a figure and
one per glossary term.  Each requirement is a set of token sequences
(*spellings*, ``Spelling``): every accepted form (``presence.accepted_forms``:
the canonical English, its variants, plural, name cases, the sentence-initial
capital) as SentencePiece writes it alone, after an opening bracket or quote
and before closing punctuation, including pieces that straddle the form and
that context (``▁(15`` ``%``).

**One definition.**  Whether a written form counts is decided by the rules in
``presence.py``, character by character; the tracker's tables are derived
from the same functions: ``TokenClasses`` holds, per token, the left context
after it (``presence.ctx_step`` over its text) and what it does to a form
completed before it (``presence.end_verdict``); each spelling holds the
contexts where it may start (``presence.may_start``).  So the tracker credits
exactly what the presence test finds in the decoded text, for text written in
the spellings it follows (a form written in pieces SentencePiece never uses
for it, ``▁chip`` ``s``, is found by the presence test but not credited here:
the search then writes the canonical form too).

**Occurrences.**  An occurrence is where a form ends; it is credited as
``presence.met_requirements`` credits it: of the unmet requirements with a
spelling completed there, the one whose form is longest (spaces not counted)
takes it, ties to the earliest; if that one shares (a glossary term,
``presence.shares_occurrence``; the ``shares`` table), so does every other
unmet requirement that shares and has a spelling completed there (``Fights
between`` meets ``between`` too).  A figure never shares: one ``more than
70%`` does not also meet a second figure ``70%``, and ``70%`` required twice
needs two.  Only spellings of known text share: an ``exact`` one (a target the
vocabulary cannot spell, written in place of its own span, or raw token ids)
neither shares another's occurrence nor lets another share its own, since two
such targets may be forced as the same ids (``<unk>``) and each is written at
a span of its own (so here the tracker credits less than the presence test
finds, the safe side).  A completed spelling is credited at the next token,
which decides whether the form was glued to a word (``TSMCtt``) or
continued as a figure (``15.5``); one that ended with its closing context
(``%,``) is credited then too.

**Canonical form.**  The search proposes (forces) only the canonical form:
the glossary's spelling and the figure's house style, never a variant; at a
sentence start (the start of the output, or after ``. `` inside it) a
lower-case canonical is proposed capitalised.  Variants count when the model
writes them itself (the search follows every spelling of every unmet
requirement so that a token the model picks is always credited exactly).

Per hypothesis the state is

* ``state[p]``: how many tokens of spelling ``p`` end the hypothesis (restart
  on a mismatch); on completion ``len(p)`` (the next token decides),
  ``len(p) + 1`` (a figure followed by ``.`` or ``,``: a digit next continues
  it) or ``len(p) + 2`` (its closing context came with it: credited next);
* ``met[r]``: requirement ``r`` credited;
* ``ctx``: the left context of the text so far (``presence.Ctx``).

**Steps left.**  ``needed`` is the number of tokens a hypothesis still owes:
the ``cost`` of each unmet requirement (over the contexts, the most that its
shortest proposed spelling takes in a context: the ``▁`` spelling, or its
capital at a sentence start), less the most that one spelling takes off: a
completed one (any accepted form, waiting for its credit) its ``eff``, a
*canonical* one in progress its ``eff`` less the tokens it still lacks (a
variant's head start never counts, so near the limit only the canonical can be
forced).  ``eff`` is the cost of the cheapest unmet requirement that could take
the spelling's occurrence: the first unmet one accepting it, or one with a form
at least as long ending with it (``outrank``); whichever takes it, at least
``eff`` is paid off, so ``needed`` never counts less than is owed.  The search
never lets a hypothesis owe more than it has steps left, and from every state
a proposed token lowers ``needed`` by at least one: continue the canonical
spelling in progress with the best head start; or, when the best is a
completed spelling or nothing is in progress, start the shortest spelling
proposed here (a ``▁`` one) of an unmet requirement that no cheaper requirement
could take it from (one exists: follow ``outrank`` to ever longer forms).  That
token starts a new word, so it also credits the completed spelling, paying off
at least what was counted, and its own head start is at least one because the
requirement's cost is at least that spelling's length.  So at the
length limit every surviving hypothesis has met every requirement, for any
model.

Sharing keeps both halves true, because crediting a requirement beyond the one
counted never raises ``needed``: ``owed`` falls by its whole cost, and a head
start it takes away (a spelling whose target it was, or whose ``eff`` it set)
was at most that cost, since ``eff`` is at most the cost of the spelling's
target and of every rival; for the other spellings the target and the rivals
left are a subset, so their ``eff`` only grows.  So what a completed spelling
pays off is still at least its ``eff`` (over-estimating what is owed stays
safe), and a proposed token still lowers ``needed`` by at least one (if it
also meets, by sharing, the requirement whose spelling it starts, that
requirement's cost, at least one, leaves ``owed`` instead).

Everything is a tensor: rows are hypotheses (or [hypotheses, candidates]),
tables are indexed by each row's sentence.  ``sent`` may have any shape that
broadcasts to the state's leading dimensions: all candidates of a sentence
pass ``[n, 1]`` and share one copy of its tables instead of one each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import torch

from pipeline.translate import presence
from pipeline.translate.presence import CREDIT, N_CTX, N_TAILS, SENTENCE_START, TAIL_OTHER, WAIT, Ctx

END, SPECIAL = 0, 1  # token kinds with fixed indices: end of output, a token that decodes to nothing
PENDING, AFTER_SEP, CONFIRMED = 0, 1, 2  # a completed spelling: state = its length + this
_BYTE = re.compile(r"<0x([0-9A-Fa-f]{2})>")
# contexts where a spelling without a leading space may be proposed: after a space or an opener
_PROPOSE_BARE = frozenset({Ctx.START, Ctx.SENT, Ctx.SPACE, Ctx.OPEN})


# ---------------------------------------------------------------- tokens
def piece_text(piece: str) -> str:
    """What a SentencePiece piece adds to the decoded text."""
    byte = _BYTE.fullmatch(piece)
    if byte:
        value = int(byte.group(1), 16)
        # part of a multibyte character, unknown alone: counted as a letter, the cautious reading
        return chr(value) if value < 0x80 else "é"
    return piece.replace("▁", " ")


def _shape(text: str) -> str:
    """The part of ``text`` that decides the context after it, from any context:
    the suffix from the last character whose successor state does not depend on
    the state before (a letter, digit, currency symbol or other mark)."""
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if not (ch.isspace() or ch in presence.OPENERS or ch in presence.QUOTES or ch in presence.CLOSERS
                or ch in presence.SENTENCE_END or ch in presence.SEPARATORS or ch in presence.SIGNS):
            return text[i:]
    return text


@dataclass
class TokenClasses:
    """Per vocabulary id: how a token joins the text before and after it, derived
    from ``presence``'s rules over the token's text.

    ``kind`` groups tokens that act alike on a completed form (END, SPECIAL, then
    one per distinct verdict triple); ``verdict[tail, kind]`` is what a token of
    that kind does to a completed form ending in a character of class ``tail``
    (CREDIT, LOST, or WAIT: a separator, the next character decides);
    ``after_sep[kind]`` what it does to a figure waiting after ``.`` or ``,``;
    ``ctx_next[c, id]`` the left context after the token."""

    kind: torch.Tensor  # [V] long
    verdict: torch.Tensor  # [tails, kinds] long
    after_sep: torch.Tensor  # [kinds] long
    ctx_next: torch.Tensor  # [contexts, V] long
    texts: list[str | None] | None = None  # per id (None: decodes to nothing); None when unknown

    @property
    def n_kinds(self) -> int:
        return self.verdict.size(1)

    @classmethod
    def from_pieces(cls, pieces: Sequence[str], eos_id: int, special_ids: Sequence[int] = (),
                    clean=None) -> "TokenClasses":
        """``clean``: what decoding does to a piece's text (the translator removes
        control characters); a piece that then writes nothing changes nothing."""
        special = set(special_ids)
        signatures: dict[tuple, int] = {("end",): END, ("special",): SPECIAL}
        kinds, texts, shapes = [], [], {}
        ctx_rows: list[tuple[int, ...]] = []
        for i, piece in enumerate(pieces):
            piece = piece or ""
            text = None if (i in special or i == eos_id or _is_control(piece)) else piece_text(piece)
            if text and clean is not None:
                text = clean(text)
            texts.append(text)
            if i == eos_id:
                kinds.append(END)
            elif not text:
                kinds.append(SPECIAL)
            else:
                sig = tuple(presence.end_verdict(t, text, False) for t in range(N_TAILS)) + (
                    presence.end_verdict(presence.TAIL_DIGIT, "." + text, False),)
                kinds.append(signatures.setdefault(sig, len(signatures)))
            shape = _shape(text) if text else ""
            row = shapes.get(shape)
            if row is None:  # the context after this text, from each context (identity for no text)
                row = shapes[shape] = tuple(presence.ctx_after(shape, c) if shape else c for c in range(N_CTX))
            ctx_rows.append(row)
        verdict = torch.full((N_TAILS, len(signatures)), CREDIT, dtype=torch.long)
        after_sep = torch.full((len(signatures),), CREDIT, dtype=torch.long)
        for sig, k in signatures.items():
            if len(sig) > 1:
                verdict[:, k] = torch.tensor(sig[:N_TAILS])
                after_sep[k] = sig[N_TAILS]
        ctx_next = torch.tensor(ctx_rows, dtype=torch.long).T.contiguous()
        return cls(torch.tensor(kinds, dtype=torch.long), verdict, after_sep, ctx_next, texts)

    @classmethod
    def permissive(cls, size: int) -> "TokenClasses":
        """No tokenizer known (raw token ids): every token is a word of its own."""
        verdict = torch.full((N_TAILS, 3), CREDIT, dtype=torch.long)
        kind = torch.full((size,), 2, dtype=torch.long)
        return cls(kind, verdict, torch.full((3,), CREDIT, dtype=torch.long),
                   torch.full((N_CTX, size), Ctx.SPACE, dtype=torch.long), None)

    def take(self, ids: torch.Tensor) -> "TokenClasses":
        """The classes of the searched vocabulary (ids index the full one)."""
        texts = None if self.texts is None else [self.texts[i] for i in ids.tolist()]
        return TokenClasses(self.kind[ids], self.verdict, self.after_sep, self.ctx_next[:, ids], texts)

    def to(self, device) -> "TokenClasses":
        return TokenClasses(self.kind.to(device), self.verdict.to(device), self.after_sep.to(device),
                            self.ctx_next.to(device), self.texts)


def _is_control(piece: str) -> bool:
    return piece.startswith("<") and piece.endswith(">") and not _BYTE.fullmatch(piece)


# ---------------------------------------------------------------- spellings
@dataclass(frozen=True, slots=True)
class Spelling:
    """One token sequence that writes one form of a requirement.

    ``lead``/``trail``: what the first/last token writes before/after the form
    (" " for a ``▁`` piece, " (" for ``▁(15``, "," for ``%,``).  ``canonical``:
    it writes the canonical form (or its sentence-initial capital, ``initial``)
    and ends with the form, so it may be forced.  ``exact``: raw token ids
    (no text known) or a target the vocabulary cannot spell, written in place
    of its span: it counts anywhere and ends on a boundary."""

    tokens: tuple[int, ...]
    form: str = ""
    lead: str = ""
    trail: str = ""
    canonical: bool = True
    initial: bool = False
    exact: bool = False


@dataclass(frozen=True, slots=True)
class _Rules:
    counts: int  # bit c: it may start (and then count) in context c
    proposes: int  # bit c: the search may force it to start in context c
    weight: int
    tail: int
    done: int  # PENDING | AFTER_SEP | CONFIRMED, or -1: it can never count
    back: int  # characters between the form's end and its last token's end


def spelling_rules(sp: Spelling, split_initial: bool) -> _Rules:
    """Where ``sp`` may start and be proposed, and how it ends, from presence's rules.
    ``split_initial``: the requirement has a capitalised canonical spelling, so a
    lower-case canonical one is proposed only where no sentence starts."""
    return _rules(sp.form, sp.lead, sp.trail, sp.canonical, sp.initial, sp.exact or not sp.form, len(sp.tokens),
                  split_initial)


@lru_cache(maxsize=65536)
def _rules(form: str, lead: str, trail: str, canonical: bool, initial: bool, exact: bool, n_tokens: int,
           split_initial: bool) -> _Rules:
    if exact:
        everywhere = (1 << N_CTX) - 1
        weight = presence.Form(form).weight if form else n_tokens
        return _Rules(everywhere, everywhere if canonical else 0, weight, TAIL_OTHER, CONFIRMED, 0)
    before = [presence.ctx_after(lead, c) for c in range(N_CTX)]
    counts = tuple(presence.may_start(b, form, initial) for b in before)
    forceable = canonical and not trail and lead in ("", " ")
    lower = split_initial and not initial and form[:1].islower()

    def proposed(c: int) -> bool:
        if not (forceable and counts[c]) or (not lead and c not in _PROPOSE_BARE):
            return False
        return not (lower and before[c] in SENTENCE_START)

    tail = presence.tail_class(form)
    verdict = presence.end_verdict(tail, trail, False)
    if not trail:
        done, back = PENDING, 0  # the next token decides
    elif verdict == CREDIT:
        done, back = CONFIRMED, len(trail)
    elif verdict == WAIT:
        done, back = AFTER_SEP, 1  # a figure before "," or ".": a digit next would continue it
    else:
        done, back = -1, 0
    return _Rules(_bits(counts), _bits([proposed(c) for c in range(N_CTX)]), presence.Form(form).weight, tail, done,
                  back)


def spelling_of(tokens: Sequence[int], classes: TokenClasses, canonical_form: str | None, token_map=None) -> Spelling:
    """A raw token sequence as a spelling: its text read from the token classes
    (which ``token_map`` indexes, when they cover a shortlisted vocabulary)."""
    tokens = tuple(int(t) for t in tokens)
    texts = classes.texts
    read = tokens if token_map is None else tuple(map(token_map, tokens))
    if texts is None or any(t >= len(texts) or t < 0 for t in read):
        return Spelling(tokens, canonical=canonical_form is None, exact=True)
    text = "".join(texts[t] or "" for t in read)
    form = text.lstrip()
    if not form:
        return Spelling(tokens, canonical=canonical_form is None, exact=True)
    return Spelling(tokens, form, text[: len(text) - len(form)], canonical=canonical_form in (None, form))


@dataclass
class TrackerState:
    state: torch.Tensor  # [..., P] long
    met: torch.Tensor  # [..., R] bool
    ctx: torch.Tensor  # [...] long: the left context of the text so far (presence.Ctx)
    # cached, change only with ``met``: per spelling, the requirement its completion would
    # credit, whether there is one, and the cost its head start counts at
    target: torch.Tensor | None = None  # [..., P] long
    has: torch.Tensor | None = None  # [..., P] bool
    eff: torch.Tensor | None = None  # [..., P] long

    FIELDS = ("state", "met", "ctx", "target", "has", "eff")

    def fields(self) -> tuple:
        return tuple(getattr(self, f) for f in self.FIELDS)


Requirement = Sequence  # alternatives: Spellings or raw token sequences


class ConstraintTracker:
    """The requirements of a batch of sentences, and how tokens advance them."""

    def __init__(self, requirements: Sequence[Sequence[Requirement]], classes: TokenClasses, device=None,
                 sentence_start: Sequence[bool] | None = None, token_map=None,
                 shares: Sequence[Sequence[bool]] | None = None):
        """``token_map``: maps the spellings' ids to the ids ``classes`` and the search
        use (a shortlisted vocabulary); raw token sequences are given in those already.
        ``shares[b][r]``: requirement r of sentence b shares an occurrence
        (``presence.met_requirements``); missing flags do not share."""
        self.classes = classes.to(device) if device is not None else classes
        per_sentence = [self._spellings(reqs, classes, token_map) for reqs in requirements]
        batch = len(requirements)
        n_req = max([len(r) for r in requirements] + [1])
        n_phr = max([len(p) for p, _, _, _ in per_sentence] + [1])
        width = max([len(s.tokens) for p, _, _, _ in per_sentence for s in p] + [1])
        # flat lists first, one tensor each: a tensor write per spelling and field was most of a
        # batch's set-up, and nested lists (thousands alive at once) set off the garbage collector
        tokens = [-1] * (batch * n_phr * width)
        per_phrase = {name: [default] * (batch * n_phr) for name, default in
                      (("length", 0), ("counts", 0), ("proposes", 0), ("canonical", False), ("weight", 0),
                       ("tail", TAIL_OTHER), ("done", 0), ("back", 0), ("textual", False))}
        member = [False] * (batch * n_req * n_phr)
        outrank = [False] * (batch * n_req * n_phr)
        cost = [0] * (batch * n_req)
        sharing = [False] * (batch * n_req)
        for b, flags in zip(range(batch), shares or ()):
            sharing[b * n_req : b * n_req + len(requirements[b])] = presence.share_flags(flags, len(requirements[b]))
        for b, (spellings, rules, members, ids) in enumerate(per_sentence):
            for p, (sp, rule) in enumerate(zip(spellings, rules)):
                at = (b * n_phr + p) * width
                tokens[at : at + len(sp.tokens)] = ids[p]
                at = b * n_phr + p
                per_phrase["length"][at] = len(sp.tokens)
                per_phrase["counts"][at] = rule.counts
                per_phrase["proposes"][at] = rule.proposes
                per_phrase["canonical"][at] = sp.canonical and not sp.trail and rule.done >= 0
                per_phrase["weight"][at], per_phrase["tail"][at] = rule.weight, rule.tail
                per_phrase["done"][at], per_phrase["back"][at] = rule.done, rule.back
                per_phrase["textual"][at] = not sp.exact and bool(sp.form)  # its text is known: it may share
            for r, ps in enumerate(members):
                for q in ps:
                    member[(b * n_req + r) * n_phr + q] = True
                cost[b * n_req + r] = self._cost([spellings[q] for q in ps], [rules[q] for q in ps])
            for r, q in self._outranks(spellings, rules, members):
                outrank[(b * n_req + r) * n_phr + q] = True
        self.tokens = torch.tensor(tokens, dtype=torch.long, device=device).view(batch, n_phr, width)
        for name, values in per_phrase.items():
            dtype = torch.bool if name in ("canonical", "textual") else torch.long
            setattr(self, name, torch.tensor(values, dtype=dtype, device=device).view(batch, n_phr))
        self.member = torch.tensor(member, dtype=torch.bool, device=device).view(batch, n_req, n_phr)
        self.outrank = torch.tensor(outrank, dtype=torch.bool, device=device).view(batch, n_req, n_phr)
        self.any_outrank = bool(self.outrank.any())
        self.shares = torch.tensor(sharing, dtype=torch.bool, device=device).view(batch, n_req)
        self.real = self.length > 0
        self.real_req = self.member.any(-1)
        self.cost = torch.where(self.real_req, torch.tensor(cost, dtype=torch.long, device=device).view(batch, n_req), 0)
        self.total = self.cost.sum(-1)  # [B]
        self.first = self.tokens[..., 0]  # [B, P]: -1 for a padding spelling
        dev = self.length.device
        self.done_state = self.length + self.done  # the state a spelling takes when completed
        # stage = state - stage_base, clamped to 0..3: in progress (or padding), pending, after a separator, confirmed
        self.stage_base = torch.where(self.real, self.length - 1, torch.iinfo(torch.long).max // 4)
        self.outcomes = _outcome_table(self.classes)  # [tails, 4 stages, kinds]
        self.outcome_row = self.tail * (4 * self.classes.n_kinds)
        self.start_bits = self.counts | (self.proposes << N_CTX)  # (proposes is within counts)
        # needed counts a canonical spelling from its first token, any other once completed
        self.count_from = torch.where(self.real, torch.where(self.canonical, 1, self.length), torch.iinfo(torch.long).max)
        self.member_weight = torch.where(self.member, self.weight[:, None, :], 0)  # [B, R, P]
        self.member_text = self.member & self.textual[:, None, :]  # [B, R, P]: members that may share
        self.member_rank = torch.where(self.member, torch.arange(n_req, 0, -1, device=dev)[:, None], 0)  # R .. 1
        self.cont_key = self.canonical.long() * _PROPOSED  # continuing a canonical spelling is proposed
        self._batch_names = ("tokens", "length", "member", "counts", "proposes", "canonical", "weight", "tail", "done",
                             "back", "outrank", "cost", "total", "real", "real_req", "first", "done_state",
                             "stage_base", "outcome_row", "start_bits", "cont_key", "count_from", "member_weight",
                             "member_rank", "shares", "textual", "member_text")
        self.rank = torch.arange(n_req, 0, -1, device=dev)  # R .. 1: earlier ranks higher
        self.max_back = max(1, int(self.back.max().item()) if self.back.numel() else 0)  # 1: after a separator
        self.big = torch.iinfo(torch.long).max // 4
        starts = [True] * batch if sentence_start is None else [bool(s) for s in sentence_start]
        self.start_ctx = torch.tensor([Ctx.START if s else Ctx.SPACE for s in starts], dtype=torch.long, device=dev)
        self._index_tokens()

    # ---------------------------------------------------------------- building
    @staticmethod
    def _spellings(reqs: Sequence[Requirement], classes: TokenClasses, token_map=None):
        """Distinct spellings of a sentence, their rules, each requirement's members,
        and each spelling's ids as the search uses them."""
        index: dict[Spelling, int] = {}
        members = []
        for req in reqs:
            alts = _alternatives(req)
            raw = [a for a in alts if not isinstance(a, Spelling)]
            canonical_form = None
            if raw:
                first = spelling_of(raw[0], classes, None, token_map)
                canonical_form = first.form or None
            spellings = [a if isinstance(a, Spelling) else spelling_of(a, classes, canonical_form, token_map)
                         for a in alts]
            if raw and canonical_form is None:  # no text known: the first alternative is the one forced
                spellings = [Spelling(s.tokens, exact=True, canonical=i == 0) if s.exact else s
                             for i, s in enumerate(spellings)]
            mine = set()
            for sp in spellings:
                if sp.tokens:
                    mine.add(index.setdefault(sp, len(index)))
            members.append(mine)
        spellings = list(index)
        split = set()  # requirements with a capitalised canonical spelling: lower-case ones yield to it
        for r, ps in enumerate(members):
            if any(spellings[p].initial and spellings[p].canonical for p in ps):
                split.add(r)
        owner_split = {p: any(p in members[r] for r in split) for p in range(len(spellings))}
        rules = [spelling_rules(sp, owner_split[p]) for p, sp in enumerate(spellings)]
        # a spelling that can never count (its closing context glues it) is no spelling
        members = [{p for p in ps if rules[p].done >= 0} for ps in members]
        ids = [sp.tokens if token_map is None else tuple(map(token_map, sp.tokens)) for sp in spellings]
        return spellings, rules, members, ids

    def _cost(self, spellings: list[Spelling], rules: list[_Rules]) -> int:
        """The most tokens the cheapest proposed spelling takes, over the contexts
        where one is proposed."""
        worst = 0
        for c in range(N_CTX):
            options = [len(s.tokens) for s, rule in zip(spellings, rules) if rule.proposes >> c & 1]
            if options:
                worst = max(worst, min(options))
        if worst == 0:  # nothing proposed anywhere: cannot happen with a SentencePiece tokenizer
            worst = min(len(s.tokens) for s in spellings) if spellings else 0
        return worst

    @staticmethod
    def _outranks(spellings: list[Spelling], rules: list[_Rules], members: list[set[int]]):
        """(r, p): requirement r does not accept spelling p but has a form at least
        as long ending with p's form, so an occurrence that completes p might go to r."""
        for p, sp in enumerate(spellings):
            if not sp.form:
                continue
            for r, ps in enumerate(members):
                if p not in ps and any(spellings[q].form.endswith(sp.form) and rules[q].weight >= rules[p].weight
                                       for q in ps):
                    yield r, p

    # ---------------------------------------------------------------- batch bookkeeping
    def keep(self, sentences: torch.Tensor) -> None:
        """Only these sentences stay in the batch."""
        for name in self._batch_names + ("start_ctx",):
            setattr(self, name, getattr(self, name)[sentences])
        self._index_tokens()

    def _index_tokens(self) -> None:
        """Where each spelling's tokens start in the flat token table."""
        batch, n_phr, width = self.tokens.shape
        self.token_base = torch.arange(batch * n_phr, device=self.tokens.device).view(batch, n_phr) * width

    def start(self, sent: torch.Tensor) -> TrackerState:
        n = sent.size(0)
        return TrackerState(torch.zeros((n, self.length.size(1)), dtype=torch.long, device=sent.device),
                            ~self.real_req[sent], self.start_ctx[sent])

    # ---------------------------------------------------------------- what is owed
    def _targets(self, sent: torch.Tensor, met: torch.Tensor):
        """For each spelling: the requirement completing it alone would credit (the
        first unmet one holding it), whether there is one, and the cost its head
        start counts at (the cheapest unmet requirement that could take it).  [..., P] each."""
        cost = self.cost[sent]
        best = self.member_rank[sent].masked_fill(met[..., :, None], 0).amax(-2)  # [..., P]
        target = self.rank.size(0) - best.clamp(min=1)
        cost_of = cost.expand(*target.shape[:-1], cost.size(-1)).gather(-1, target)
        if self.any_outrank:
            rival = torch.where(self.outrank[sent] & ~met[..., :, None], cost[..., :, None], self.big).amin(-2)
            cost_of = torch.minimum(cost_of, rival)
        return target, best > 0, cost_of

    def with_targets(self, sent: torch.Tensor, st: TrackerState) -> TrackerState:
        if st.target is None:
            st.target, st.has, st.eff = self._targets(sent, st.met)
        return st

    def needed(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """Tokens still owed: the cost of the unmet requirements, less the most that
        one completed spelling (waiting for its credit) or canonical spelling in
        progress takes off.  A completed spelling takes off at least ``eff``: the
        requirement it credits is its own or one with a longer form ending there."""
        length = self.length[sent]
        st = self.with_targets(sent, st)
        owed = (self.cost[sent] * ~st.met).sum(-1)
        counted = (st.state >= self.count_from[sent]) & st.has
        head_start = torch.where(counted, st.eff - (length - st.state).clamp(min=0), 0).amax(-1).clamp(min=0)
        return owed - head_start

    # ---------------------------------------------------------------- one token more
    def advance(self, sent: torch.Tensor, st: TrackerState, tok: torch.Tensor, kind: torch.Tensor | None = None,
                ctx: torch.Tensor | None = None) -> TrackerState:
        """The state after appending ``tok`` (shape of ``sent``; -1 for "a token of
        no spelling", then ``kind`` gives its class and ``ctx`` the context after it)."""
        classes = self.classes
        length = self.length[sent]
        live = self.with_targets(sent, st).has  # spellings no unmet requirement accepts never matter again
        safe = tok.clamp(min=0)
        if kind is None:
            kind = classes.kind[safe]
        state = st.state
        # what this token does to each spelling, by its stage (in progress, completed: pending,
        # after a separator, confirmed) and the class of the form's last character: one lookup
        stage = (state - self.stage_base[sent]).clamp(0, 3)
        outcome = self.outcomes.view(-1)[self.outcome_row[sent] + stage * classes.n_kinds + kind[..., None]]
        cont = (stage == 0) & (state > 0) & (self._next_token(sent, state) == tok[..., None]) & live
        begin = (self.first[sent] == tok[..., None]) & _bit(self.counts[sent], st.ctx) & live
        new_state = torch.where(outcome == _KEEP, state, begin.long())  # a token that decodes to nothing keeps all
        new_state = torch.where(cont, state + 1, torch.where(outcome == _WAIT, length + 1, new_state))
        new_state = torch.where(new_state == length, self.done_state[sent], new_state)
        if ctx is None:  # (the context table keeps the context for tokens that decode to nothing)
            ctx = classes.ctx_next.view(-1)[st.ctx * classes.ctx_next.size(1) + safe]
        credit = outcome == _CREDIT
        met, target, has, eff = st.met, st.target, st.has, st.eff
        if bool(credit.any()):
            # where each completed form ends, in characters before the end of the text so far:
            # pending 0, after a separator 1, confirmed: its closing context's length
            back = torch.where(stage == 3, self.back[sent], stage - 1)
            met, target, has, eff = self._credit(sent, st, credit, back)
        return TrackerState(new_state, met, ctx, target, has, eff)

    def _credit_all(self, sent: torch.Tensor, met: torch.Tensor, credit: torch.Tensor, back: torch.Tensor) -> torch.Tensor:
        """``met`` [m, R] after the completed spellings in ``credit`` [m, P] are
        credited: each place they end (``back`` characters before the end of the
        text) is one occurrence, taken in order, and credited as
        ``presence.met_requirements`` credits it (``_credit_one``)."""
        tables = self.member_weight[sent], self.member_text[sent], self.shares[sent]
        ends = torch.where(credit, back, -1)
        if not bool(((ends != ends.amax(-1, keepdim=True)) & credit).any()):
            return self._credit_one(tables, met, credit)  # one place per row: the usual case
        for d in range(self.max_back, -1, -1):
            group = credit & (back == d)
            if bool(group.any()):
                met = self._credit_one(tables, met, group)
        return met

    def _credit_one(self, tables, met, group) -> torch.Tensor:
        """``met`` after one occurrence per row (the spellings in ``group`` end at one place):
        the unmet requirement with the heaviest form there takes it, ties to the earliest
        (rank); if it shares, so does every other unmet one that shares, each by a
        spelling of known text there (``textual``)."""
        member_weight, member_text, shares = tables
        there = member_weight.masked_fill(~group[:, None, :], 0).amax(-1).masked_fill(met, 0)  # [m, R]
        key = there * (met.size(-1) + 1) + self.rank  # ranks differ: one maximum per row
        taker = (key == key.amax(-1, keepdim=True)) & (there > 0)
        sharing = (member_text & group[:, None, :]).any(-1) & ~met & shares  # [m, R]
        return met | taker | (sharing & (taker & sharing).any(-1, keepdim=True))

    def _credit(self, sent: torch.Tensor, st: TrackerState, credit: torch.Tensor, back: torch.Tensor):
        """``met`` and the cached targets after crediting ``credit`` [..., P] (``back``:
        where each form ends, see ``_credit_all``); only the rows that credit
        something are touched (in a step few rows complete a spelling)."""
        n_phr, n_req = credit.size(-1), st.met.size(-1)
        flat_credit = credit.reshape(-1, n_phr)
        rows = flat_credit.any(-1).nonzero().flatten()
        sub_sent = sent.expand(credit.shape[:-1]).reshape(-1)[rows]
        sub_met = self._credit_all(sub_sent, st.met.reshape(-1, n_req)[rows], flat_credit[rows],
                                   back.expand(credit.shape).reshape(-1, n_phr)[rows])
        met = st.met.reshape(-1, n_req).clone()
        met[rows] = sub_met
        cache = (st.target, st.has, st.eff)
        if st.target is not None:  # keep the cache: only the credited rows change
            cache = [t.reshape(-1, n_phr).clone() for t in cache]
            for t, new in zip(cache, self._targets(sub_sent, sub_met)):
                t[rows] = new
            cache = [t.reshape(credit.shape) for t in cache]
        return (met.reshape(st.met.shape[:-1] + (n_req,)), *cache)

    def free_token_states(self, sent: torch.Tensor, st: TrackerState, needed_now: torch.Tensor) -> tuple[TrackerState, torch.Tensor]:
        """After a token that belongs to no spelling in progress, one of each kind:
        the [n, kinds, ...] states and what each then owes ([n, kinds]).

        Such a token ends all progress (a SPECIAL one changes nothing; it is said
        to owe at least what the others owe, so that it never alone tells a row's
        kinds apart: an over-estimate, safe), so these states stand for every token
        ``advancing_tokens`` does not offer; only rows with a completed spelling
        waiting for its credit need the full step (the kind decides its fate).
        ``ctx`` is left to the caller (-1): it depends on the token itself."""
        st = self.with_targets(sent, st)
        n, n_phr, n_kinds = sent.size(0), self.length.size(1), self.classes.n_kinds
        owed = (self.cost[sent] * ~st.met).sum(-1)
        needed = owed[:, None].expand(n, n_kinds).clone()
        needed[:, SPECIAL] = torch.maximum(needed_now, owed)
        wide = [t[:, None].expand(n, n_kinds, *t.shape[1:]) for t in (st.met, st.target, st.has, st.eff)]
        state = torch.zeros((n, n_kinds, n_phr), dtype=torch.long, device=sent.device)
        state[:, SPECIAL] = st.state
        rows = ((st.state >= self.length[sent]) & self.real[sent]).any(-1).nonzero().flatten()
        if rows.numel():
            sub = self.pick(st, rows)
            kinds = torch.arange(n_kinds, device=sent.device).expand(rows.size(0), n_kinds)
            sub_wide = TrackerState(*(t[:, None].expand(-1, n_kinds, *t.shape[1:]) for t in sub.fields()))
            after = self.advance(sent[rows][:, None], sub_wide, torch.full_like(kinds, -1), kinds,
                                 ctx=sub.ctx[:, None].expand(-1, n_kinds))
            after_needed = self.needed(sent[rows][:, None], after)
            after_needed[:, SPECIAL] = torch.maximum(needed_now[rows], owed[rows])
            needed[rows] = after_needed
            state[rows] = after.state
            wide = [w.clone() for w in wide]
            for w, t in zip(wide, (after.met, after.target, after.has, after.eff)):
                w[rows] = t
        met, target, has, eff = wide
        ctx = torch.full((n, n_kinds), -1, dtype=torch.long, device=sent.device)
        return TrackerState(state, met, ctx, target, has, eff), needed

    def free_kind_needed(self, sent: torch.Tensor, st: TrackerState) -> torch.Tensor:
        """[n, kinds]: what is owed after a token of each kind that belongs to no spelling."""
        return self.free_token_states(sent, st, self.needed(sent, st))[1]

    def advancing_tokens(self, sent: torch.Tensor, st: TrackerState) -> tuple[torch.Tensor, torch.Tensor]:
        """The tokens that make progress on a spelling some unmet requirement
        accepts (-1 = none): ``proposed`` [n, A] (continuing a canonical spelling,
        or starting one where it is proposed) and ``others`` [n, A'] (the rest: the
        next token of any spelling in progress, the first of any that may start
        here).  Every token in neither acts as a free token of its kind
        (``free_token_states``)."""
        length = self.length[sent]
        has = self.with_targets(sent, st).has
        going = (st.state > 0) & (st.state < length) & has
        # sort keys: token id, plus _PROPOSED where the search may propose it
        cont = torch.where(going, self._next_token(sent, st.state) + self.cont_key[sent], -1)
        bits = self.start_bits[sent] >> st.ctx[:, None]  # bit 0: may start here; bit N_CTX: proposed here
        first = torch.where(has & (bits & 1).bool(), self.first[sent] + ((bits >> N_CTX) & 1) * _PROPOSED, -1)
        key = torch.cat([cont, first], -1).sort(-1, descending=True).values
        n_proposed, n_all = torch.stack([(key >= _PROPOSED).sum(-1).max(), (key >= 0).sum(-1).max()]).tolist()
        key[..., 1:] = key[..., 1:].masked_fill(key[..., 1:] == key[..., :-1], -1)  # repeats: holes
        proposed, others = key[..., : max(n_proposed, 1)], key[..., : max(n_all, 1)]
        return (torch.where(proposed >= _PROPOSED, proposed - _PROPOSED, -1),
                torch.where((others >= 0) & (others < _PROPOSED), others, -1))

    def _next_token(self, sent: torch.Tensor, state: torch.Tensor) -> torch.Tensor:
        """[..., P]: token ``state`` of every spelling (clamped), read from the flat
        table: copying each row's [P, width] spellings was the tracker's costliest
        step once candidates number in the thousands."""
        return self.tokens.view(-1)[self.token_base[sent] + state.clamp(max=self.tokens.size(2) - 1)]

    @staticmethod
    def pick(st: TrackerState, index) -> TrackerState:
        return TrackerState(*(None if t is None else t[index] for t in st.fields()))


_PROPOSED = 1 << 40  # added to a proposed token's id when sorting: proposed ones first


_RESET, _CREDIT, _WAIT, _KEEP = range(4)  # what a token does to a spelling


def _outcome_table(classes: TokenClasses) -> torch.Tensor:
    """[tails, stages, kinds]: what a token of each kind does to a spelling at each
    stage, from the classes' verdicts; a token that decodes to nothing keeps all."""
    from_verdict = torch.tensor([_CREDIT, _RESET, _WAIT], device=classes.verdict.device)  # CREDIT, LOST, WAIT
    n_kinds = classes.n_kinds
    table = torch.full((N_TAILS, 4, n_kinds), _RESET, dtype=torch.long, device=classes.verdict.device)
    table[:, 1] = from_verdict[classes.verdict]
    table[:, 2] = from_verdict[classes.after_sep][None, :]
    table[:, 3] = _CREDIT
    table[:, 1:, END] = _CREDIT
    table[:, :, SPECIAL] = _KEEP
    return table


def _bits(flags: Sequence[bool]) -> int:
    return sum(1 << c for c, on in enumerate(flags) if on)


def _bit(masks: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
    """[..., P] bool: bit ``ctx`` (per row) of each spelling's context mask."""
    return ((masks >> ctx[..., None]) & 1).bool()


def _alternatives(requirement) -> list:
    """A requirement as a list of alternatives (a bare token sequence is one)."""
    items = list(requirement)
    if items and not isinstance(items[0], (list, tuple, Spelling)):
        return [tuple(int(t) for t in items)]
    return [a if isinstance(a, Spelling) else tuple(int(t) for t in a) for a in items]
