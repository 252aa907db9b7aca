"""Batched beam search with lexical constraints on top of ``MarianMTModel``.

transformers 5 removed constrained beam search, and our promise is stronger
than a best effort: every required English (a glossary term, an enforced
figure, each occurrence) appears in the output on word boundaries, for any
model, even one with random weights.

The algorithm is dynamic beam allocation (Post & Vilar 2018; vectorised,
Hu et al. 2019), one step at a time:

1. the model scores the next token of every hypothesis (an optional logits
   processor may reshape the scores: ``reference.ReferenceFollower``);
2. ``Proposals``: for every hypothesis, the tokens that advance the canonical
   form of a requirement (``tracker.ConstraintTracker``, each advanced
   exactly), plus the top-2k of all other continuations; among those, a token
   that advances some other accepted form (a variant the model chose itself)
   is advanced exactly too, every other one only ends progress and takes the
   tracker state of a free token of its kind; tokens that would leave a
   hypothesis owing more constraint tokens than it has steps left are never
   proposed, and end-of-sentence only once all is met;
3. ``BankAllocation``: candidates are grouped into banks by constraint tokens
   met and the k new beams are taken round-robin across banks in score order,
   so hypotheses that have placed terms survive next to the unconstrained best;
4. ``LiveBatch``: sentences that are done leave the batch.

At the length limit every surviving hypothesis is complete (see the tracker's
"steps left" argument): "usually" becomes "always".  Decoder keys and values
are cached (``marian_step``).  The unconstrained path is the same code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from pipeline.translate.marian_step import IncrementalMarianDecoder
from pipeline.translate.search.head import OutputHead
from pipeline.translate.search.tracker import END, ConstraintTracker, Spelling, TokenClasses, TrackerState

NEG_INF = float("-inf")

# (logits [rows, V], history [rows, t] full ids, sentence [rows] batch index, vocab [V] full ids) -> None, in place
LogitsProcessor = Callable[[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor], None]


@dataclass
class DecodeStats:
    steps: int = 0
    forward_calls: int = 0


def constrained_beam_search(
    model,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    constraints: Sequence[Sequence],
    max_new_tokens: Sequence[int],
    *,
    beam_size: int,
    length_penalty: float,
    eos_token_id: int,
    decoder_start_token_id: int,
    banned_token_ids: Sequence[int] = (),
    stats: DecodeStats | None = None,
    head: OutputHead | None = None,
    force_length: bool = False,
    no_repeat_ngram_size: int = 0,
    token_classes: TokenClasses | None = None,
    logits_processor: LogitsProcessor | None = None,
    sentence_start: Sequence[bool] | None = None,
    shares: Sequence[Sequence[bool]] | None = None,
) -> list[list[int]]:
    """Decode a batch; returns, per sentence, the best hypothesis's token ids (no EOS).

    ``constraints[b]`` lists sentence b's requirements; each is a token
    sequence, or a list of alternatives (token sequences or ``Spelling``s) any
    one of which satisfies it; only canonical ones are forced (of raw token
    sequences, those that write what the first one writes).  ``token_classes``
    (from the tokenizer) tells where words start; without it every token counts
    as a word of its own.  ``max_new_tokens[b]`` caps its length; it is raised
    to fit the constraints.  ``sentence_start[b]``: whether sentence b's output
    starts a sentence (default yes; a later piece of a split sentence does not,
    so its first word is not capitalised).  ``shares[b][r]``: requirement r
    of sentence b (a glossary term) shares an occurrence a longer form of
    another that shares takes (``presence.met_requirements``); default none.
    """
    if head is None:
        head = OutputHead(model)  # full vocabulary, fp32: exactly the model's own distribution
    requirements = [[_alternatives(r) for r in reqs] for reqs in constraints]
    needed_ids = [t for reqs in requirements for r in reqs for alt in r for t in _tokens(alt)]
    needed_ids += list(getattr(logits_processor, "token_ids", ()))  # what the processor may push, e.g. a reference
    vocab = head.for_batch(needed_ids)
    # From here on token ids index ``vocab.vocab`` (the searched vocabulary).
    classes = token_classes or TokenClasses.permissive(int(vocab.vocab.max()) + 1)
    device = input_ids.device
    # the tracker reads every id through vocab.reduced: no copy of the spellings per batch
    tracker = ConstraintTracker(requirements, classes.take(vocab.vocab), device, sentence_start, vocab.reduced,
                                shares)
    banned = [r for r in (vocab.reduced(t) for t in banned_token_ids) if r >= 0]
    eos = vocab.reduced(eos_token_id)
    if force_length and eos >= 0:
        banned.append(eos)
    maxlen = torch.maximum(torch.tensor(list(max_new_tokens), dtype=torch.long, device=device), tracker.total + 1)

    with torch.inference_mode():
        encoder_states = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        decoder = IncrementalMarianDecoder(model)
        decoder.start(encoder_states, attention_mask, beam_size)
        batch = LiveBatch(input_ids.size(0), beam_size, maxlen, tracker, decoder, decoder_start_token_id, device)
        proposals = Proposals(tracker, beam_size, eos, torch.tensor(banned, dtype=torch.long, device=device),
                              no_repeat_ngram_size)
        banks = BankAllocation(int(tracker.total.max().item()) + 1 if tracker.total.numel() else 1, beam_size)
        full_ids = vocab.vocab.to(device)
        while batch.live:
            hidden = decoder.step(batch.last)
            if stats is not None:
                stats.forward_calls += 1
            logits = vocab.logits(hidden).float()
            if logits_processor is not None:
                logits_processor(logits, full_ids[batch.seqs], batch.original_of_rows(), full_ids)
            cand = proposals.step(F.log_softmax(logits, dim=-1), batch)
            batch.finish_eos(cand.eos_rows, cand.eos_scores, length_penalty)
            bank = tracker.total[:, None] - cand.needed
            chosen = banks.choose(cand.scores, bank)
            batch.advance(cand, chosen, full_ids)
            batch.retire(length_penalty)
        if stats is not None:
            stats.steps += batch.step

    vocab_list = vocab.vocab.tolist()
    return [[vocab_list[t] for t in max(hyps, key=lambda h: h[0])[1]] if hyps else [] for hyps in batch.finished]


def _alternatives(requirement) -> list:
    """A requirement as a list of alternatives (a bare token sequence is one)."""
    items = list(requirement)
    if items and not isinstance(items[0], (list, tuple, Spelling)):
        return [[int(t) for t in items]]
    return [alt if isinstance(alt, Spelling) else [int(t) for t in alt] for alt in items]


def _tokens(alt) -> Sequence[int]:
    return alt.tokens if isinstance(alt, Spelling) else alt


class LiveBatch:
    """The sentences still decoding and their hypotheses (rows = live sentences x k)."""

    def __init__(self, batch: int, k: int, maxlen: torch.Tensor, tracker: ConstraintTracker,
                 decoder: IncrementalMarianDecoder, start_token: int, device):
        self.k, self.maxlen, self.tracker, self.decoder, self.device = k, maxlen, tracker, decoder, device
        self.live = list(range(batch))  # live slot -> original sentence index
        self.sent = torch.arange(batch, device=device).repeat_interleave(k)  # row -> live slot
        scores = torch.zeros(batch, k, device=device)
        scores[:, 1:] = NEG_INF  # all beams start identical: keep one
        self.scores = scores.view(-1)
        self.seqs = torch.empty((batch * k, 0), dtype=torch.long, device=device)
        self.last = torch.full((batch * k,), start_token, dtype=torch.long, device=device)
        self.state = tracker.start(self.sent)
        self.needed = tracker.total[self.sent]  # per row: what its hypothesis owes
        self.finished: list[list[tuple[float, list[int]]]] = [[] for _ in range(batch)]
        self.step = 0

    def original_of_rows(self) -> torch.Tensor:
        return torch.tensor(self.live, device=self.device)[self.sent]

    def steps_left(self) -> torch.Tensor:
        """Per row: tokens that may still follow the one chosen now."""
        return self.maxlen[self.sent] - (self.step + 1)

    def finish_eos(self, rows: list[int], scores: list[float], length_penalty: float) -> None:
        length = self.seqs.size(1) + 1
        for row, score in zip(rows, scores):
            self.finished[self.live[row // self.k]].append((score / length**length_penalty, self.seqs[row].tolist()))

    def advance(self, cand: "Candidates", chosen: torch.Tensor, full_ids: torch.Tensor) -> None:
        n_live = len(self.live)
        flat = (chosen + torch.arange(n_live, device=self.device)[:, None] * cand.scores.size(1)).reshape(-1)
        beam_rows = cand.rows.reshape(-1)[flat]
        tokens = cand.tokens.reshape(-1)[flat]
        self.scores = cand.scores.reshape(-1)[flat]
        self.needed = cand.needed.reshape(-1)[flat]
        self.state = cand.after(chosen)
        self.seqs = torch.cat([self.seqs[beam_rows], tokens[:, None]], 1)
        self.decoder.reorder(beam_rows)  # beams only move within their sentence
        self.last = full_ids[tokens]
        self.step += 1

    def retire(self, length_penalty: float) -> None:
        """Sentences at their length limit, or whose best finished hypothesis no
        live one can beat, leave the batch."""
        n_live, k = len(self.live), self.k
        done = []
        best_alive = self.scores.view(n_live, k).max(1).values.tolist()
        at_limit = (self.step >= self.maxlen).tolist()
        for slot in range(n_live):
            original = self.live[slot]
            if at_limit[slot]:  # every live hypothesis has met all constraints (see the tracker)
                for row in range(slot * k, slot * k + k):
                    score = self.scores[row].item()
                    if math.isfinite(score):
                        self.finished[original].append((score / self.seqs.size(1) ** length_penalty, self.seqs[row].tolist()))
                done.append(slot)
            elif len(self.finished[original]) >= k:
                if max(s for s, _ in self.finished[original]) >= best_alive[slot] / self.step**length_penalty:
                    done.append(slot)
        if done:
            self._drop(done)

    def _drop(self, done: list[int]) -> None:
        keep = [s for s in range(len(self.live)) if s not in set(done)]
        self.live = [self.live[s] for s in keep]
        if not keep:
            return
        keep_t = torch.tensor(keep, device=self.device)
        rows = (keep_t[:, None] * self.k + torch.arange(self.k, device=self.device)).reshape(-1)
        self.maxlen = self.maxlen[keep_t]
        self.tracker.keep(keep_t)
        self.sent = torch.arange(len(keep), device=self.device).repeat_interleave(self.k)
        self.scores, self.seqs, self.last = self.scores[rows], self.seqs[rows], self.last[rows]
        self.needed = self.needed[rows]
        self.state = ConstraintTracker.pick(self.state, rows)
        self.decoder.keep(keep_t, rows)


@dataclass
class Candidates:
    """Per live sentence: [n_live, n_cand] continuations (the free ones first, then
    the advancing ones) and the tracker state after each, kept in its two parts:
    only the chosen few are ever copied out (joining all was a costly step)."""

    scores: torch.Tensor
    rows: torch.Tensor  # the hypothesis (global row) each continues
    tokens: torch.Tensor
    free_after: TrackerState  # [n_live, n_free, ...]
    adv_after: TrackerState  # [n_live, n_adv, ...]
    needed: torch.Tensor  # constraint tokens each still owes
    eos_rows: list[int]
    eos_scores: list[float]

    def after(self, chosen: torch.Tensor) -> TrackerState:
        """The states of the ``chosen`` [n_live, k] candidates, as [n_live * k, ...] rows."""
        n_live, n_free, n_adv = chosen.size(0), self.free_after.state.size(1), self.adv_after.state.size(1)
        sentence = torch.arange(n_live, device=chosen.device)[:, None]
        is_free = (chosen < n_free).reshape(-1)
        in_free = (sentence * n_free + chosen.clamp(max=n_free - 1)).reshape(-1)
        in_adv = (sentence * n_adv + (chosen - n_free).clamp(min=0, max=max(n_adv - 1, 0))).reshape(-1)
        fields = []
        for f, a in zip(self.free_after.fields(), self.adv_after.fields()):
            f, a = f.flatten(0, 1)[in_free], a.flatten(0, 1)[in_adv]
            fields.append(torch.where(is_free.view(-1, *([1] * (f.dim() - 1))), f, a))
        return TrackerState(*fields)


class Proposals:
    """The candidates of one step: every token that advances a requirement's
    canonical form (its tracker state computed exactly) plus the top-2k of all
    other feasible continuations (whose state is exact if they advance some
    other accepted form, else that of a free token of their kind)."""

    def __init__(self, tracker: ConstraintTracker, k: int, eos: int, banned: torch.Tensor, no_repeat: int):
        self.tracker, self.k, self.eos, self.banned, self.no_repeat = tracker, k, eos, banned, no_repeat

    def step(self, logprobs: torch.Tensor, batch: LiveBatch) -> Candidates:
        if self.banned.numel():
            logprobs.index_fill_(1, self.banned, NEG_INF)
        steps_left = batch.steps_left()
        adv, others = self._advancing(logprobs, batch, steps_left)  # scored before the n-gram ban: a term may repeat
        if self.no_repeat and batch.seqs.size(1) >= self.no_repeat:
            _ban_repeated_ngrams(logprobs, batch.seqs, self.no_repeat)
        free = self._free(logprobs, batch, steps_left, adv.tokens, others)
        eos_rows, eos_scores = self._finished(free, batch)
        adv = adv.reshape(len(batch.live))
        scores, rows, tokens, needed = (torch.cat([getattr(free, f), getattr(adv, f)], 1)
                                        for f in ("scores", "rows", "tokens", "needed"))
        tokens = tokens.clamp(min=0)  # a -1 placeholder is never chosen while a live candidate is left
        scores = scores.masked_fill(tokens == self.eos, NEG_INF)
        return Candidates(scores, rows, tokens, free.after, adv.after, needed, eos_rows, eos_scores)

    def _advancing(self, logprobs: torch.Tensor, batch: LiveBatch, steps_left: torch.Tensor) -> tuple["_Part", torch.Tensor]:
        """[n, A]: per hypothesis, the tokens proposed for a requirement's canonical
        form, advanced exactly; and [n, A'] the other tokens that advance an accepted
        form (advanced only if one turns up among the free candidates)."""
        tracker, sent, st = self.tracker, batch.sent, batch.state
        adv, others = tracker.advancing_tokens(sent, st)
        after = tracker.advance(sent[:, None], _expand(st, adv.size(1)), adv)
        needed = tracker.needed(sent[:, None], after)
        ok = (adv >= 0) & (needed <= steps_left[:, None])
        safe = adv.clamp(min=0)
        scores = batch.scores[:, None] + torch.where(ok, logprobs.gather(1, safe), NEG_INF)
        rows = torch.arange(sent.size(0), device=adv.device)[:, None].expand_as(adv)
        return _Part(scores, rows, adv, after, needed), others  # tokens: -1 where none (score -inf)

    def _free(self, logprobs: torch.Tensor, batch: LiveBatch, steps_left: torch.Tensor, adv: torch.Tensor,
              others: torch.Tensor) -> "_Part":
        """[n_live, 2k]: the best other continuations of each sentence's beams."""
        tracker, k = self.tracker, self.k
        states, owed = tracker.free_token_states(batch.sent, batch.state, batch.needed)  # [n, kinds, ...]
        _mask_kinds(logprobs, owed <= steps_left[:, None], tracker.classes.kind)
        if self.eos >= 0:
            logprobs[:, self.eos].masked_fill_(owed[:, END] != 0, NEG_INF)
        # proposed tokens are the other part's candidates: -inf here (a -1 leaves token 0 as it was)
        logprobs.scatter_reduce_(1, adv.clamp(min=0), torch.where(adv >= 0, NEG_INF, math.inf),
                                 reduce="amin", include_self=True)
        n_live, vocab = len(batch.live), logprobs.size(1)
        top_s, top_i = (batch.scores[:, None] + logprobs).view(n_live, k * vocab).topk(2 * k, dim=1)
        tokens = top_i % vocab
        rows = top_i // vocab + torch.arange(n_live, device=logprobs.device)[:, None] * k
        kind = tracker.classes.kind[tokens]
        ctx_next = tracker.classes.ctx_next
        ctx = ctx_next.view(-1)[batch.state.ctx[rows] * ctx_next.size(1) + tokens]
        after = TrackerState(states.state[rows, kind], states.met[rows, kind], ctx, states.target[rows, kind],
                             states.has[rows, kind], states.eff[rows, kind])
        needed = owed[rows, kind]
        # a token that advances an accepted form the search does not propose (a variant the
        # model chose itself): its exact state; few candidates are one
        hit = (others[rows] == tokens[..., None]).any(-1)
        if bool(hit.any()):
            at = hit.nonzero(as_tuple=True)
            row = rows[at]
            exact = tracker.advance(batch.sent[row], ConstraintTracker.pick(batch.state, row), tokens[at])
            for mine, theirs in zip(after.fields(), exact.fields()):
                mine[at] = theirs
            needed[at] = tracker.needed(batch.sent[row], exact)
        return _Part(top_s, rows, tokens, after, needed)

    def _finished(self, free: "_Part", batch: LiveBatch) -> tuple[list[int], list[float]]:
        """End-of-sentence among a sentence's k best continuations finishes a hypothesis."""
        k = self.k
        hits = (free.tokens[:, :k] == self.eos) & torch.isfinite(free.scores[:, :k])
        if not bool(hits.any()):
            return [], []
        found = hits.nonzero().tolist()
        return [free.rows[s, j].item() for s, j in found], [free.scores[s, j].item() for s, j in found]

def _mask_kinds(logprobs: torch.Tensor, ok: torch.Tensor, kind: torch.Tensor) -> None:
    """-inf for the tokens whose kind is not ``ok`` [rows, kinds] in their row.
    A row mostly allows every kind or none (only a completed phrase waiting
    for its credit tells kinds apart): those rows are masked whole, and the
    [rows, vocabulary] kind table is built only for the few mixed ones."""
    none_ok = ~ok.any(-1)
    mixed = ok.any(-1) & ~ok.all(-1)
    if bool(none_ok.any()):
        logprobs.masked_fill_(none_ok[:, None], NEG_INF)
    rows = mixed.nonzero().flatten()
    if rows.numel():
        logprobs[rows] = logprobs[rows].masked_fill(~ok[rows][:, kind], NEG_INF)


@dataclass
class _Part:
    """Candidates of one kind: scores, the hypothesis (global row) each continues,
    its token, the tracker state after it and what it then owes."""

    scores: torch.Tensor
    rows: torch.Tensor
    tokens: torch.Tensor
    after: TrackerState
    needed: torch.Tensor

    def reshape(self, n_live: int) -> "_Part":
        """[n_live * k, A] as [n_live, k * A]: a sentence's beams side by side."""
        flat = [t.reshape(n_live, -1) for t in (self.scores, self.rows, self.tokens, self.needed)]
        return _Part(flat[0], flat[1], flat[2], _per_sentence(self.after, n_live), flat[3])


def _per_sentence(st: TrackerState, n_live: int) -> TrackerState:
    """[n_live * k, A, ...] states as [n_live, k * A, ...] (a sentence's beams side by side)."""
    return TrackerState(*(None if t is None else t.reshape(n_live, -1, *t.shape[2:]) for t in st.fields()))


def _expand(st: TrackerState, width: int) -> TrackerState:
    return TrackerState(*(None if t is None else t[:, None].expand(-1, width, *t.shape[1:]) for t in st.fields()))


class BankAllocation:
    """Dynamic beam allocation: k beams taken round-robin over banks (constraint
    tokens met), each bank in score order.  A candidate that scores below one in a
    bank further on is dominated: it has met fewer constraints and is behind, so it
    waits until every other candidate has had its slot.  Otherwise the best of a
    hopeless bank can take the slot of the second best of a shared bank (a forced
    term 50 behind the model's own wording, the paraphrased oracle's line 16)."""

    def __init__(self, n_banks: int, k: int):
        self.n_banks, self.k = n_banks, k

    def choose(self, scores: torch.Tensor, bank: torch.Tensor) -> torch.Tensor:
        """[n_live, k] candidate indices."""
        n_live, n_cand = scores.shape
        bank = bank.clamp(0, self.n_banks - 1)
        order = scores.argsort(dim=1, descending=True)
        valid = torch.isfinite(scores.gather(1, order))
        dominated = self._dominated(scores, bank).gather(1, order)
        bank_sorted = bank.gather(1, order)
        onehot = F.one_hot(bank_sorted, self.n_banks) * (valid & ~dominated)[..., None]
        rank_in_bank = (onehot.cumsum(1) * onehot).sum(-1) - 1
        position = torch.arange(n_cand, device=scores.device).expand(n_live, -1)
        last = n_cand * n_cand
        priority = torch.where(valid & ~dominated, rank_in_bank * n_cand + position,
                               torch.where(valid, last + position, 2 * last))
        return order.gather(1, priority.topk(self.k, dim=1, largest=False).indices)

    def _dominated(self, scores: torch.Tensor, bank: torch.Tensor) -> torch.Tensor:
        """[n_live, n_cand]: some candidate in a higher bank scores better."""
        n_live = scores.size(0)
        best = torch.full((n_live, self.n_banks), NEG_INF, device=scores.device, dtype=scores.dtype)
        best.scatter_reduce_(1, bank, scores, reduce="amax", include_self=True)
        at_or_above = best.flip(1).cummax(1).values.flip(1)
        above = torch.cat([at_or_above[:, 1:], torch.full_like(best[:, :1], NEG_INF)], 1)
        return scores < above.gather(1, bank)


def _ban_repeated_ngrams(logprobs: torch.Tensor, seqs: torch.Tensor, n: int) -> None:
    """-inf for every token that would repeat an n-gram already in its hypothesis."""
    windows = seqs.unfold(1, n, 1)  # [rows, positions, n]
    prefix = seqs[:, seqs.size(1) - n + 1 :]  # the last n-1 tokens
    seen = (windows[:, :, : n - 1] == prefix[:, None, :]).all(-1)  # [rows, positions]
    if not bool(seen.any()):
        return
    ban = torch.zeros_like(logprobs, dtype=torch.uint8)
    ban.scatter_reduce_(1, windows[:, :, n - 1], seen.to(torch.uint8), reduce="amax")
    logprobs.masked_fill_(ban.bool(), NEG_INF)
