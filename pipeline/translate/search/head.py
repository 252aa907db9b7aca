"""The output projection the search scores with (a shortlist of ids, optionally int8)."""

from __future__ import annotations

from collections.abc import Sequence

import torch


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

    @classmethod
    def from_parts(cls, ids: torch.Tensor, linear, full_weight: torch.Tensor, full_bias: torch.Tensor) -> "OutputHead":
        """A head rebuilt from the parts a prepared-model file holds (``prepared``), nothing recomputed."""
        head = cls.__new__(cls)
        head.ids, head.linear, head._full_weight, head._full_bias = ids, linear, full_weight, full_bias
        return head

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
