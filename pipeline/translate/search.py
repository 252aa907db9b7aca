"""Batched beam search with lexical constraints on top of ``MarianMTModel``.

transformers 5 removed constrained beam search, and our promise is stronger
than a best effort: every constraint (a glossary term's English, an enforced
figure) appears in the output, for any model, even one with random weights.

The algorithm is dynamic beam allocation (Post & Vilar, 2018) with phrasal
constraints given as target token sequences:

* every hypothesis tracks which constraints it has met and how far into the
  one in progress it is;
* each step, candidates are the usual top-2k continuations plus, for every
  hypothesis, the tokens that advance a constraint (continue the one in
  progress or start an unmet one);
* candidates are grouped into banks by the number of constraint tokens met,
  and the k new beams are taken round-robin across banks in score order, so
  hypotheses that have placed terms survive next to the unconstrained best;
* end-of-sentence is only allowed once every constraint is met, and a
  hypothesis may never leave itself fewer steps than the constraint tokens it
  still owes, so at the length limit every surviving hypothesis is complete.
  That last rule is what turns "usually" into "always".

Everything is tensor-batched across sentences and beams; decoder keys and
values are cached (``marian_step``: source states shared by a sentence's
beams) and finished sentences leave the batch.  The unconstrained path is the
same code with zero constraints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from pipeline.translate.settings import DecodingSettings  # noqa: F401 - re-exported for callers
from pipeline.translate.marian_step import IncrementalMarianDecoder


@dataclass
class DecodeStats:
    steps: int = 0
    forward_calls: int = 0


NEG_INF = float("-inf")


class OutputHead:
    """The output projection restricted to the ids the search may emit.

    Built once per model: rows of ``lm_head`` for the allowed ids (int8 when
    asked).  Per batch, ids a constraint needs outside that set (a piece the
    target vocabulary lacks) are scored from the full matrix and appended, so
    constraints never depend on the shortlist.
    """

    def __init__(self, model, allowed_ids: Sequence[int] | None = None, int8: bool = False):
        projection = model.get_output_embeddings()
        weight = projection.weight() if callable(projection.weight) else projection.weight  # int8 Linear: a method
        weight = (weight.dequantize() if weight.is_quantized else weight).detach()
        bias = model.final_logits_bias.detach().reshape(-1)
        self._full_weight, self._full_bias = weight, bias
        ids = torch.arange(weight.size(0)) if allowed_ids is None else torch.tensor(sorted(set(allowed_ids)))
        self.ids = ids
        linear = torch.nn.Linear(weight.size(1), len(ids), bias=True)
        with torch.no_grad():
            linear.weight.copy_(weight[ids])
            linear.bias.copy_(bias[ids])
        # quantize_dynamic swaps child modules, so the Linear goes in a container
        self.linear = quantize_int8(torch.nn.Sequential(linear))[0] if int8 else linear

    def for_batch(self, extra_full_ids: Sequence[int]) -> "_BatchHead":
        known = set(self.ids.tolist()) if extra_full_ids else set()
        extra = sorted({i for i in extra_full_ids if i not in known})
        return _BatchHead(self, extra)


class _BatchHead:
    def __init__(self, head: OutputHead, extra: list[int]):
        self.head = head
        self.vocab = torch.cat([head.ids, torch.tensor(extra, dtype=torch.long)]) if extra else head.ids
        self._extra_w = head._full_weight[extra] if extra else None
        self._extra_b = head._full_bias[extra] if extra else None
        self._index = {int(full): i for i, full in enumerate(self.vocab.tolist())}

    def reduced(self, full_id: int) -> int:
        return self._index.get(full_id, -1)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        out = self.head.linear(hidden)
        if self._extra_w is not None:
            out = torch.cat([out, hidden @ self._extra_w.T + self._extra_b], dim=-1)
        return out


def quantize_int8(module, inplace: bool = False):
    """Dynamic int8 quantisation of Linear layers (weights int8, activations quantised on the fly)."""
    import warnings

    with warnings.catch_warnings():  # torch.ao's eager API is deprecated in favour of torchao, still supported
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=inplace)


def constrained_beam_search(
    model,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    constraints: Sequence[Sequence[Sequence[int]]],
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
) -> list[list[int]]:
    """Decode a batch; returns, per sentence, the best hypothesis's token ids (no EOS).

    ``constraints[b]`` lists token sequences that must each appear contiguously
    in sentence b's output.  ``max_new_tokens[b]`` caps its length; it is raised
    to fit the constraints if needed.
    """
    batch = input_ids.size(0)
    k = beam_size
    device = input_ids.device
    if head is None:
        head = OutputHead(model)  # full vocabulary, fp32: exactly the model's own distribution
    out_vocab = head.for_batch([t for c in constraints for seq in c for t in seq])
    # From here on token ids index ``out_vocab.vocab`` (the searched vocabulary).
    constraints = [[[out_vocab.reduced(t) for t in seq] for seq in c] for c in constraints]
    eos_token_id = out_vocab.reduced(eos_token_id)
    banned_token_ids = [r for r in (out_vocab.reduced(t) for t in banned_token_ids) if r >= 0]
    if force_length and eos_token_id >= 0:
        banned_token_ids.append(eos_token_id)
    full_ids = out_vocab.vocab.to(device)

    # ---- constraint tables: ctoks[b, c, l] (-1 padded), clen[b, c] (0 = no constraint)
    n_con = max([len(c) for c in constraints] + [1])
    con_len = max([len(t) for c in constraints for t in c] + [1])
    ctoks = torch.full((batch, n_con, con_len), -1, dtype=torch.long, device=device)
    clen = torch.zeros((batch, n_con), dtype=torch.long, device=device)
    for b, seqs in enumerate(constraints):
        for c, toks in enumerate(seqs):
            if not toks:
                continue
            ctoks[b, c, : len(toks)] = torch.tensor(list(toks), dtype=torch.long)
            clen[b, c] = len(toks)
    total_con = clen.sum(1)
    maxlen = torch.tensor(list(max_new_tokens), dtype=torch.long, device=device)
    maxlen = torch.maximum(maxlen, total_con + 1)
    n_banks = int(total_con.max().item()) + 1

    with torch.inference_mode():
        encoder_states = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        decoder = IncrementalMarianDecoder(model)
        decoder.start(encoder_states, attention_mask, k)

        # ---- per-hypothesis state (n = live sentences * k)
        sent = torch.arange(batch, device=device).repeat_interleave(k)  # row -> live sentence slot
        met = (clen == 0)[sent]  # [n, C]
        prog_c = torch.full((batch * k,), -1, dtype=torch.long, device=device)
        prog_p = torch.zeros(batch * k, dtype=torch.long, device=device)
        scores = torch.zeros(batch, k, device=device)
        scores[:, 1:] = NEG_INF  # all beams start identical: keep one
        scores = scores.view(-1)
        seqs = torch.empty((batch * k, 0), dtype=torch.long, device=device)
        last = torch.full((batch * k,), decoder_start_token_id, dtype=torch.long, device=device)
        live = list(range(batch))  # live slot -> original sentence index
        finished: list[list[tuple[float, list[int]]]] = [[] for _ in range(batch)]
        banned = torch.tensor(list(banned_token_ids), dtype=torch.long, device=device)

        step = 0
        while live:
            hidden = decoder.step(last)
            if stats is not None:
                stats.forward_calls += 1
            logprobs = F.log_softmax(out_vocab.logits(hidden).float(), dim=-1)
            if banned.numel():
                logprobs.index_fill_(1, banned, NEG_INF)
            vocab = logprobs.size(1)
            n_live = len(live)
            rows = torch.arange(n_live * k, device=device)

            # ---- constraint bookkeeping for every hypothesis
            ct = ctoks[sent]  # [n, C, L]
            cl = clen[sent]  # [n, C]
            needed = (cl * (~met)).sum(1) - prog_p  # constraint tokens still owed
            steps_left = maxlen[sent] - (step + 1)  # after the token chosen now
            in_prog = prog_c >= 0
            cont_tok = torch.where(
                in_prog, ct[rows, prog_c.clamp(min=0), prog_p.clamp(max=con_len - 1)], torch.full_like(prog_c, -1)
            )
            start_tok = torch.where(~met, ct[:, :, 0], torch.full_like(cl, -1))  # [n, C]
            adv_tok = torch.cat([cont_tok[:, None], start_tok], 1)  # [n, C+1]
            adv_ok = torch.cat(
                [in_prog[:, None], (~met) & ((needed + prog_p - 1) <= steps_left)[:, None]], 1
            ) & (adv_tok >= 0)
            adv_safe = adv_tok.clamp(min=0)
            adv_lp = torch.where(adv_ok, logprobs.gather(1, adv_safe), torch.full_like(adv_safe, NEG_INF, dtype=logprobs.dtype))

            if no_repeat_ngram_size and seqs.size(1) >= no_repeat_ngram_size:
                _ban_repeated_ngrams(logprobs, seqs, no_repeat_ngram_size)  # advancing tokens come back below

            # A free (non-advancing) token abandons progress; only allowed while
            # the hypothesis can still fit every owed token before the limit.
            # (In place: logprobs is not needed unmasked after this point.)
            free_ok = (needed + prog_p) <= steps_left
            masked = logprobs
            if not bool(free_ok.all()):
                masked.masked_fill_(~free_ok[:, None], NEG_INF)
            if eos_token_id >= 0:
                masked[:, eos_token_id].masked_fill_(needed != 0, NEG_INF)
            masked.scatter_reduce_(1, adv_safe, adv_lp, reduce="amax", include_self=True)

            # ---- candidates: top-2k continuations + every advancing token
            total = scores[:, None] + masked
            top_s, top_i = total.view(n_live, k * vocab).topk(2 * k, dim=1)
            top_h, top_w = top_i // vocab, top_i % vocab
            adv_s = (scores[:, None] + adv_lp).view(n_live, k * (n_con + 1))
            adv_h = torch.arange(k, device=device).repeat_interleave(n_con + 1).expand(n_live, -1)
            adv_w = adv_safe.view(n_live, -1)

            # End-of-sentence among the k best continuations finishes a hypothesis.
            eos_hits = (top_w[:, :k] == eos_token_id) & torch.isfinite(top_s[:, :k])
            if eos_hits.any():
                for slot, j in eos_hits.nonzero().tolist():
                    row = slot * k + top_h[slot, j].item()
                    length = seqs.size(1) + 1
                    finished[live[slot]].append(
                        (top_s[slot, j].item() / length**length_penalty, seqs[row].tolist())
                    )

            cand_s = torch.cat([top_s, adv_s], 1)
            cand_h = torch.cat([top_h, adv_h], 1)
            cand_w = torch.cat([top_w, adv_w], 1)
            cand_s = cand_s.masked_fill(cand_w == eos_token_id, NEG_INF)
            cand_s = _drop_duplicates(cand_s, cand_h * vocab + cand_w)
            n_cand = cand_s.size(1)

            # ---- state after each candidate token
            src = cand_h + torch.arange(n_live, device=device)[:, None] * k  # global row
            pc, pp, m = prog_c[src], prog_p[src], met[src]
            ctg, clg = ct[src], cl[src]
            cont = (pc >= 0) & (cand_w == cont_tok[src])
            starts = (~m) & (ctg[..., 0] == cand_w[..., None])
            has_start = starts.any(-1)
            first_start = starts.to(torch.uint8).argmax(-1)
            new_pc = torch.where(cont, pc, torch.where(has_start, first_start, torch.full_like(pc, -1)))
            new_pp = torch.where(cont, pp + 1, has_start.long())
            length_of = clg.gather(-1, new_pc.clamp(min=0)[..., None]).squeeze(-1)
            completes = (new_pc >= 0) & (new_pp >= length_of)
            new_m = m | (F.one_hot(new_pc.clamp(min=0), n_con).bool() & completes[..., None])
            new_pc = torch.where(completes, torch.full_like(new_pc, -1), new_pc)
            new_pp = torch.where(completes, torch.zeros_like(new_pp), new_pp)
            bank = (clg * new_m).sum(-1) + new_pp

            # ---- dynamic beam allocation: round-robin over banks, in score order
            order = cand_s.argsort(dim=1, descending=True)
            s_sorted = cand_s.gather(1, order)
            valid = torch.isfinite(s_sorted)
            bank_sorted = bank.gather(1, order).clamp(max=n_banks - 1)
            onehot = F.one_hot(bank_sorted, n_banks) * valid[..., None]
            rank_in_bank = (onehot.cumsum(1) * onehot).sum(-1) - 1
            position = torch.arange(n_cand, device=device).expand(n_live, -1)
            priority = torch.where(valid, rank_in_bank * n_cand + position, torch.full_like(position, n_cand * n_cand))
            chosen = order.gather(1, priority.topk(k, dim=1, largest=False).indices)  # [n_live, k]

            pick = lambda t: t.gather(1, chosen).reshape(-1)  # noqa: E731 - local shorthand
            beam_rows = pick(src)
            tokens = pick(cand_w)
            scores = pick(cand_s)
            prog_c, prog_p = pick(new_pc), pick(new_pp)
            met = new_m.gather(1, chosen[..., None].expand(-1, -1, n_con)).reshape(-1, n_con)
            seqs = torch.cat([seqs[beam_rows], tokens[:, None]], 1)
            decoder.reorder(beam_rows)  # beams only move within their sentence
            last = full_ids[tokens]
            step += 1

            # ---- sentences that are done leave the batch
            done = []
            best_alive = scores.view(n_live, k).max(1).values
            for slot in range(n_live):
                original = live[slot]
                at_limit = step >= int(maxlen[slot].item())
                if at_limit:  # every live hypothesis has met all constraints (see above)
                    for j in range(k):
                        row = slot * k + j
                        if math.isfinite(scores[row].item()):
                            finished[original].append(
                                (scores[row].item() / seqs.size(1) ** length_penalty, seqs[row].tolist())
                            )
                    done.append(slot)
                elif len(finished[original]) >= k:
                    best_done = max(s for s, _ in finished[original])
                    if best_done >= best_alive[slot].item() / step**length_penalty:
                        done.append(slot)
            if done:
                keep = [s for s in range(n_live) if s not in set(done)]
                if not keep:
                    break
                keep_t = torch.tensor(keep, device=device)
                keep_rows = (keep_t[:, None] * k + torch.arange(k, device=device)).reshape(-1)
                live = [live[s] for s in keep]
                ctoks, clen, maxlen = ctoks[keep_t], clen[keep_t], maxlen[keep_t]
                sent = torch.arange(len(live), device=device).repeat_interleave(k)
                scores, seqs, last = scores[keep_rows], seqs[keep_rows], last[keep_rows]
                prog_c, prog_p, met = prog_c[keep_rows], prog_p[keep_rows], met[keep_rows]
                decoder.keep(keep_t, keep_rows)
            else:
                sent = torch.arange(len(live), device=device).repeat_interleave(k)
        if stats is not None:
            stats.steps += step

    vocab_list = out_vocab.vocab.tolist()
    return [[vocab_list[t] for t in max(hyps, key=lambda h: h[0])[1]] if hyps else [] for hyps in finished]


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


def _drop_duplicates(scores: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
    """The same (hypothesis, token) can be both a top-k and an advancing candidate: keep one."""
    sorted_keys, order = keys.sort(dim=1)
    dup_sorted = torch.zeros_like(sorted_keys, dtype=torch.bool)
    dup_sorted[:, 1:] = sorted_keys[:, 1:] == sorted_keys[:, :-1]
    dup = torch.zeros_like(dup_sorted).scatter(1, order, dup_sorted)
    return scores.masked_fill(dup, NEG_INF)
