"""A prepared MarianMT model in plain torch: what our search runs, nothing else.

A warm start must not import transformers (seconds of imports, torch.distributed
and dynamo among them).  ``TorchMarian`` holds exactly the modules the search
uses (shared embeddings, sinusoidal positions, the encoder layers, the decoder
layers with fused self-attention) under the attribute names transformers uses,
so ``marian_step.IncrementalMarianDecoder`` and ``search`` run it unchanged.

``from_transformers`` takes the modules of a prepared ``MarianMTModel`` (the same
objects: the same arithmetic); ``skeleton`` builds uninitialised ones from
``MarianDims`` for ``load_state_dict(assign=True)``.  Not on torch's meta device:
meta tensors import torch._meta_registrations and dynamo (seconds).
``TorchEncoder.forward`` computes what transformers' ``MarianEncoder`` computes
with its sdpa attention (tested with ``torch.equal``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

# transformers' ACT2FN names for the activations whose transformers modules call exactly these functions
ACTIVATIONS = {"swish": F.silu, "silu": F.silu, "gelu": F.gelu, "relu": F.relu}


@dataclass(frozen=True)
class MarianDims:
    """The numbers of a MarianMT config the search needs (plain values: saved in the prepared file)."""

    d_model: int
    encoder_layers: int
    decoder_layers: int
    encoder_heads: int
    decoder_heads: int
    encoder_ffn: int
    decoder_ffn: int
    activation: str
    scale_embedding: bool
    max_position_embeddings: int
    vocab_size: int
    pad_token_id: int
    decoder_start_token_id: int | None
    bad_words_ids: list = field(default_factory=list)
    int8: bool = False  # every Linear is torch's dynamic int8 Linear

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "MarianDims":
        return cls(**data)


def supported(config) -> str:
    """Why a transformers config cannot run as a ``TorchMarian`` ("" when it can)."""
    if config.activation_function not in ACTIVATIONS:
        return f"activation {config.activation_function!r}"
    if config.decoder_vocab_size not in (None, config.vocab_size) or not config.share_encoder_decoder_embeddings:
        return "separate decoder vocabulary"
    if getattr(config, "_attn_implementation", "sdpa") not in ("sdpa", "eager", None):
        return f"attention {config._attn_implementation!r}"
    return ""


class _GenerationConfig:
    def __init__(self, bad_words_ids):
        self.bad_words_ids = bad_words_ids


class _Config:
    """The two config numbers ``MarianTranslator`` reads (and the vocabulary size tests read)."""

    def __init__(self, dims: MarianDims):
        self.max_position_embeddings = dims.max_position_embeddings
        self.decoder_start_token_id = dims.decoder_start_token_id
        self.vocab_size = dims.vocab_size
        self.bad_words_ids = dims.bad_words_ids


class Attention(nn.Module):
    def __init__(self, dims: MarianDims, heads: int, projections: tuple[str, ...]):
        super().__init__()
        self.embed_dim = dims.d_model
        self.num_heads = heads
        self.head_dim = dims.d_model // heads
        self.scaling = self.head_dim ** -0.5
        for name in projections:
            width = 3 * dims.d_model if name == "qkv_proj" else dims.d_model
            setattr(self, name, make_linear(dims, dims.d_model, width))


class EncoderLayer(nn.Module):
    def __init__(self, dims: MarianDims):
        super().__init__()
        self.self_attn = Attention(dims, dims.encoder_heads, ("q_proj", "k_proj", "v_proj", "out_proj"))
        self.self_attn_layer_norm = nn.LayerNorm(dims.d_model)
        self.fc1 = make_linear(dims, dims.d_model, dims.encoder_ffn)
        self.fc2 = make_linear(dims, dims.encoder_ffn, dims.d_model)
        self.final_layer_norm = nn.LayerNorm(dims.d_model)
        self.activation_fn = ACTIVATIONS[dims.activation]

    def forward(self, h: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        # post-norm, as transformers' MarianEncoderLayer (dropout is off in eval)
        sa = self.self_attn
        shape = (h.size(0), h.size(1), -1, sa.head_dim)
        q = sa.q_proj(h).view(shape).transpose(1, 2)
        k = sa.k_proj(h).view(shape).transpose(1, 2)
        v = sa.v_proj(h).view(shape).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=sa.scaling)
        out = out.transpose(1, 2).contiguous().reshape(h.size(0), h.size(1), -1).contiguous()
        h = self.self_attn_layer_norm(h + sa.out_proj(out))
        h = self.final_layer_norm(h + self.fc2(self.activation_fn(self.fc1(h))))
        if h.dtype == torch.float16 and not torch.isfinite(h).all():  # transformers clamps fp16 overflow here too
            limit = torch.finfo(h.dtype).max - 1000
            h = torch.clamp(h, min=-limit, max=limit)
        return h


class DecoderLayer(nn.Module):
    def __init__(self, dims: MarianDims):
        super().__init__()
        self.self_attn = Attention(dims, dims.decoder_heads, ("qkv_proj", "out_proj"))
        self.self_attn_layer_norm = nn.LayerNorm(dims.d_model)
        self.encoder_attn = Attention(dims, dims.decoder_heads, ("q_proj", "k_proj", "v_proj", "out_proj"))
        self.encoder_attn_layer_norm = nn.LayerNorm(dims.d_model)
        self.fc1 = make_linear(dims, dims.d_model, dims.decoder_ffn)
        self.fc2 = make_linear(dims, dims.decoder_ffn, dims.d_model)
        self.final_layer_norm = nn.LayerNorm(dims.d_model)
        self.activation_fn = ACTIVATIONS[dims.activation]


class _Encoded:
    def __init__(self, last_hidden_state: torch.Tensor):
        self.last_hidden_state = last_hidden_state


class _Stack(nn.Module):
    """What the encoder and the decoder share: embeddings, positions, their scale, the layers."""

    def __init__(self, dims: MarianDims, embed_tokens: nn.Embedding, embed_positions: nn.Embedding,
                 layer: type[nn.Module], count: int):
        super().__init__()
        self.embed_tokens = embed_tokens
        self.embed_positions = embed_positions
        self.embed_scale = math.sqrt(dims.d_model) if dims.scale_embedding else 1.0
        self.layers = nn.ModuleList(layer(dims) for _ in range(count))


class TorchEncoder(_Stack):
    def __init__(self, dims: MarianDims, embed_tokens: nn.Embedding, embed_positions: nn.Embedding):
        super().__init__(dims, embed_tokens, embed_positions, EncoderLayer, dims.encoder_layers)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> _Encoded:
        h = self.embed_tokens(input_ids) * self.embed_scale
        h = h + self.embed_positions.weight[: input_ids.size(1)]  # the table's rows (transformers' module takes a shape)
        mask = _bidirectional_mask(attention_mask, input_ids.size(1))
        for layer in self.layers:
            h = layer(h, mask)
        return _Encoded(h)


class TorchDecoder(_Stack):
    def __init__(self, dims: MarianDims, embed_tokens: nn.Embedding, embed_positions: nn.Embedding):
        super().__init__(dims, embed_tokens, embed_positions, DecoderLayer, dims.decoder_layers)


class TorchMarian(nn.Module):
    """What ``search.constrained_beam_search`` needs of a model: ``get_encoder``, ``get_decoder``, ``config``."""

    def __init__(self, dims: MarianDims):
        super().__init__()
        self.dims = dims
        self.config = _Config(dims)
        self.generation_config = _GenerationConfig(dims.bad_words_ids)
        shared = _Uninitialised.embedding(dims.vocab_size, dims.d_model, dims.pad_token_id)
        # separate position tables, as transformers keeps them (identical values, both saved once each)
        self.encoder = TorchEncoder(dims, shared, _Uninitialised.embedding(dims.max_position_embeddings, dims.d_model))
        self.decoder = TorchDecoder(dims, shared, _Uninitialised.embedding(dims.max_position_embeddings, dims.d_model))

    def get_encoder(self) -> TorchEncoder:
        return self.encoder

    def get_decoder(self) -> TorchDecoder:
        return self.decoder


def dims_of(model, int8: bool) -> MarianDims:
    """The ``MarianDims`` of a transformers ``MarianMTModel``."""
    c = model.config
    bad = getattr(model.generation_config, "bad_words_ids", None) or getattr(c, "bad_words_ids", None) or []
    return MarianDims(c.d_model, c.encoder_layers, c.decoder_layers, c.encoder_attention_heads,
                      c.decoder_attention_heads, c.encoder_ffn_dim, c.decoder_ffn_dim, c.activation_function,
                      bool(c.scale_embedding), c.max_position_embeddings, c.vocab_size, c.pad_token_id,
                      c.decoder_start_token_id, [list(ids) for ids in bad], int8)


def from_transformers(model, int8: bool) -> TorchMarian:
    """A ``TorchMarian`` holding the very modules of a prepared (fused, maybe quantised)
    transformers ``MarianMTModel``: the same weights, nothing copied."""
    plain = skeleton(dims_of(model, int8))
    source, target = model.get_encoder(), model.get_decoder()
    shared = source.embed_tokens
    for mine, theirs in ((plain.encoder, source), (plain.decoder, target)):
        mine.embed_tokens = shared
        mine.embed_positions = theirs.embed_positions
        for layer, original in zip(mine.layers, theirs.layers):
            for name, _ in layer.named_children():
                if name in ("self_attn", "encoder_attn"):
                    for proj, _ in getattr(layer, name).named_children():
                        setattr(getattr(layer, name), proj, getattr(getattr(original, name), proj))
                else:
                    setattr(layer, name, getattr(original, name))
    return plain


def skeleton(dims: MarianDims) -> TorchMarian:
    """A ``TorchMarian`` of uninitialised tensors, for ``load_state_dict(assign=True)``."""
    import warnings

    with warnings.catch_warnings():  # empty int8 Linears: torch's quantised tensors are deprecated, still supported
        warnings.simplefilter("ignore")
        return TorchMarian(dims)


class _Uninitialised:
    """Modules whose tensors are about to be replaced: allocated (untouched pages cost
    nothing) but not initialised (random init of the full model costs about a second)."""

    class _Linear(nn.Linear):
        def reset_parameters(self) -> None:
            pass

    class _Embedding(nn.Embedding):
        def reset_parameters(self) -> None:
            pass

    @classmethod
    def linear(cls, fan_in: int, fan_out: int) -> nn.Linear:
        return cls._Linear(fan_in, fan_out)

    @classmethod
    def embedding(cls, rows: int, width: int, padding_idx: int | None = None) -> nn.Embedding:
        return cls._Embedding(rows, width, padding_idx)


def make_linear(dims: MarianDims, fan_in: int, fan_out: int) -> nn.Module:
    if dims.int8:
        from torch.ao.nn.quantized.dynamic import Linear

        # Built 1x1, then given its weight by load_state_dict: torch packs a quantised
        # Linear's weight when it is built, and packing 85 full-size empty ones cost a
        # warm start ~0.1 s.  (The sizes are only read by repr; forward uses the packed weight.)
        linear = Linear(1, 1, dtype=torch.qint8)
        linear.in_features, linear.out_features = fan_in, fan_out
        return linear
    return _Uninitialised.linear(fan_in, fan_out)


def _bidirectional_mask(attention_mask: torch.Tensor | None, length: int) -> torch.Tensor | None:
    """transformers' sdpa mask for the encoder: none when nothing is padding (the
    faster kernel), else a boolean [batch, 1, length, length] mask of the keys kept."""
    if attention_mask is None or bool(attention_mask.all()):
        return None
    keep = attention_mask.bool()[:, None, None, :]
    return keep.expand(-1, 1, length, -1)
