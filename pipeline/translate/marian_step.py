"""One decoder step of a MarianMT model, for beam search over many sentences.

Same weights and the same arithmetic as ``MarianDecoder.forward`` (post-norm
layers, sinusoidal positions, scaled embeddings), arranged for decoding:

* cross-attention keys and values are computed once per sentence and shared
  by its k beams: the k queries of a sentence attend together, so the source
  states are read once per step instead of k times;
* the self-attention cache is compact tensors (no per-step mask building);
  a preallocated buffer was measured slower: gathering rows of a strided
  buffer costs more than the concatenation it saves;
* the self-attention query, key and value projections run as one fused
  Linear (built by ``fuse_self_attention`` before quantisation);
* ``reorder`` and ``keep`` move beams and drop finished sentences.

Exactness is tested against ``transformers``' own ``generate``.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F


class IncrementalMarianDecoder:
    def __init__(self, model):
        # transformers' MarianDecoderLayer is post-norm whatever the config's
        # normalize_before says, and so is this step.
        decoder = model.get_decoder()
        self.embed_tokens = decoder.embed_tokens
        self.embed_scale = decoder.embed_scale
        self.positions = decoder.embed_positions.weight
        self.layers = list(decoder.layers)
        attn = self.layers[0].self_attn
        self.heads = attn.num_heads
        self.head_dim = attn.head_dim
        self.scaling = attn.scaling
        self.d_model = attn.embed_dim

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        """[rows, len, d] -> [rows, heads, len, head_dim]"""
        return x.view(x.size(0), x.size(1), self.heads, self.head_dim).transpose(1, 2)

    def start(self, encoder_states: torch.Tensor, encoder_mask: torch.Tensor, beam: int) -> None:
        """``encoder_states`` [sentences, src_len, d] (one row per sentence, not per beam)."""
        self.beam = beam
        self.cross = [
            (self._split(layer.encoder_attn.k_proj(encoder_states)), self._split(layer.encoder_attn.v_proj(encoder_states)))
            for layer in self.layers
        ]
        mask = encoder_mask.bool()[:, None, None, :]  # [sentences, 1, 1, src_len]
        self.mask = None if bool(mask.all()) else mask  # no padding: the faster unmasked kernel
        # per layer: keys and values together, [rows, 2, heads, time, head_dim]
        self.self_kv: list[torch.Tensor | None] = [None] * len(self.layers)
        self.step_index = 0

    def step(self, tokens: torch.Tensor) -> torch.Tensor:
        """Feed one token per hypothesis ([rows]); returns the last hidden states [rows, d]."""
        rows = tokens.size(0)
        sentences = rows // self.beam
        h = self.embed_tokens(tokens) * self.embed_scale + self.positions[self.step_index]
        for i, layer in enumerate(self.layers):
            # self-attention over this hypothesis's own past
            sa = layer.self_attn
            residual = h
            qkv = sa.qkv_proj(h) if hasattr(sa, "qkv_proj") else torch.cat([sa.q_proj(h), sa.k_proj(h), sa.v_proj(h)], -1)
            qkv = qkv.view(rows, 3, self.heads, 1, self.head_dim)
            kv = qkv[:, 1:]
            past = self.self_kv[i]
            if past is not None:
                kv = torch.cat([past, kv], dim=3)
            self.self_kv[i] = kv
            out = F.scaled_dot_product_attention(qkv[:, 0], kv[:, 0], kv[:, 1], scale=self.scaling)
            h = layer.self_attn_layer_norm(residual + sa.out_proj(out.reshape(rows, self.d_model)))

            # cross-attention: a sentence's beams query its source states together
            ca = layer.encoder_attn
            residual = h
            q = ca.q_proj(h).view(sentences, self.beam, self.heads, self.head_dim).transpose(1, 2)
            ck, cv = self.cross[i]
            out = F.scaled_dot_product_attention(q, ck, cv, attn_mask=self.mask, scale=self.scaling)
            out = out.transpose(1, 2).reshape(rows, self.d_model)
            h = layer.encoder_attn_layer_norm(residual + ca.out_proj(out))

            residual = h
            h = layer.fc2(layer.activation_fn(layer.fc1(h)))
            h = layer.final_layer_norm(residual + h)
        self.step_index += 1
        return h

    def reorder(self, rows: torch.Tensor) -> None:
        """Hypothesis ``j`` continues hypothesis ``rows[j]`` (always within the same sentence)."""
        self.self_kv = [None if kv is None else kv.index_select(0, rows) for kv in self.self_kv]

    def keep(self, sentences: torch.Tensor, rows: torch.Tensor) -> None:
        """Only these sentences (and their hypotheses' rows) stay in the batch."""
        self.cross = [(k.index_select(0, sentences), v.index_select(0, sentences)) for k, v in self.cross]
        if self.mask is not None:
            self.mask = self.mask.index_select(0, sentences)
        self.reorder(rows)


def fuse_self_attention(model) -> None:
    """Give every decoder self-attention one Linear for query, key and value.

    One (int8) matrix product instead of three per layer and step; the
    separate projections stay for anything else that uses the module.
    """
    for layer in model.get_decoder().layers:
        sa = layer.self_attn
        if hasattr(sa, "qkv_proj"):
            continue
        fused = torch.nn.Linear(sa.embed_dim, 3 * sa.embed_dim, bias=True)
        with torch.no_grad():
            fused.weight.copy_(torch.cat([sa.q_proj.weight, sa.k_proj.weight, sa.v_proj.weight], 0))
            fused.bias.copy_(torch.cat([sa.q_proj.bias, sa.k_proj.bias, sa.v_proj.bias], 0))
        sa.qkv_proj = fused
