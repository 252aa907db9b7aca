"""The prepared model on disk: a warm start loads it instead of preparing it again.

Preparing a MarianMT model for our search (fusing the decoder's attention
projections, quantising every Linear to int8, cutting the output head to the
target vocabulary) takes seconds on every start.  The result is saved once
under the user cache ($XDG_CACHE_HOME/briefing, else ~/.cache/briefing),
keyed by everything that shapes it (model revision, precision, vocabulary
setting, device type, torch/transformers/briefing versions), and written
atomically, so a second start reads it directly.

Beside it, a smaller file holds the translator's token classes (how each target
piece joins its neighbours, ``search.TokenClasses``): deriving them from
``presence``'s rules over the whole vocabulary takes about a second per start.
Their key adds a hash of the code that derives them, so a changed rule is never
answered from a stale table (the tracker and the presence test stay one
definition).

The file holds exactly what the search runs, as tensors and plain values
(``TorchMarian``'s state: int8 weights with their scales and zero points, the
fused attention, the cut head; the config numbers; the tokenizer's facts), and
is read with ``torch.load(weights_only=True, mmap=True)``: a warm start imports
neither transformers nor sacremoses (``marian_torch``, ``tokenizer``).  Only
preparing (the first start) loads the published weights with transformers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from pipeline.translate.loading import LoadedModel, ModelLocation, load_marian, user_cache_dir

FORMAT = 2  # bump when the saved layout changes (2: plain tensors, no pickled transformers model)
CLASSES_FORMAT = 2  # 2: with the fingerprint of the pieces they were derived from
# the sources the token classes are derived from: presence's rules, the tracker's tables,
# the translator's cleaning of decoded text (marian._CONTROL)
_CLASSES_CODE = ("presence.py", "search/tracker.py", "marian.py")


def prepared_path(where: ModelLocation, settings, device: str) -> Path:
    from importlib.metadata import version

    from pipeline import __version__

    # versions from package metadata: importing transformers to ask costs a warm start seconds
    key = json.dumps([FORMAT, where.revision, settings.precision, settings.target_vocab_only, device.split(":")[0],
                      version("torch"), version("transformers"), __version__])
    return user_cache_dir() / "prepared" / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".pt")


def classes_path(where: ModelLocation) -> Path | None:
    """The token classes' file: the model revision, the deriving code, and Python's Unicode
    tables (the rules ask str.isalnum, unicodedata and re).  The file also records a hash of
    the pieces they were derived from, which the translator checks against its own (see
    ``MarianTranslator``).  None when the code cannot be read (an install without sources)."""
    import sys
    import unicodedata

    code = hashlib.sha256()
    try:
        for name in _CLASSES_CODE:
            code.update((Path(__file__).parent / name).read_bytes())
    except OSError:
        return None
    key = json.dumps([CLASSES_FORMAT, where.revision, code.hexdigest(), unicodedata.unidata_version,
                      list(sys.version_info[:2])])
    return user_cache_dir() / "prepared" / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".classes.pt")


def load_translator(where: ModelLocation, settings, batch_size: int, device: str = "cpu",
                    threads: int | None = None, cache: bool = True):
    """A ``MarianTranslator`` from the prepared-model cache, preparing (and saving) it on a miss."""
    from pipeline.translate.marian import MarianTranslator

    path = prepared_path(where, settings, device) if cache else None
    classes_file = classes_path(where) if cache else None
    saved = _load_classes(classes_file) if classes_file is not None and classes_file.exists() else None
    translator = None
    if path is not None and path.exists():
        loaded = _load(path, where, device)
        if loaded is not None:
            model, head, tokenizer = loaded
            translator = MarianTranslator(LoadedModel(model, tokenizer, where.model_id, where.revision, where.path),
                                          settings, batch_size, threads, device, head=head, saved_classes=saved)
    if translator is None:
        translator = MarianTranslator(load_marian(where), settings, batch_size, threads, device, saved_classes=saved)
        if path is not None:
            _save(path, lambda: _contents(translator))
    if classes_file is not None and (saved is None or translator.token_classes is not saved[1]):
        _save(classes_file, lambda: _classes_contents(translator.classes_source, translator.token_classes))
    return translator


def _load(path: Path, where: ModelLocation, device: str):
    """(model, head, tokenizer) from a prepared file; None when it is damaged, foreign or of another format."""
    import warnings

    import torch

    from pipeline.translate.marian_torch import MarianDims, skeleton
    from pipeline.translate.search import OutputHead
    from pipeline.translate.tokenizer import MarianPieces, TokenizerFacts

    try:
        with warnings.catch_warnings():  # int8 tensors rebuild through torch's deprecated TypedStorage
            warnings.simplefilter("ignore")
            saved = torch.load(path, map_location=device, weights_only=True, mmap=device == "cpu")
        if saved.get("format") != FORMAT:
            return None
        model = skeleton(MarianDims.from_dict(saved["dims"]))
        model.load_state_dict(saved["model"], assign=True)  # the file's tensors themselves: no copy
        parts = saved["head"]
        linear = _head_linear(model.dims, parts["ids"].numel())
        linear.load_state_dict(parts["linear"], assign=True)
        head = OutputHead.from_parts(parts["ids"], linear, parts["full_weight"], parts["full_bias"])
        tokenizer = MarianPieces(where.path, TokenizerFacts.from_dict(saved["tokenizer"]))
    except Exception:  # a truncated or foreign file: prepare again and replace it
        return None
    model.eval()
    return model, head, tokenizer


def _head_linear(dims, rows: int):
    from pipeline.translate.marian_torch import make_linear

    return make_linear(dims, dims.d_model, rows)


def _load_classes(path: Path):
    """(fingerprint of their pieces, token classes) as saved; None when the file is damaged or of
    another format."""
    import torch

    from pipeline.translate.presence import N_CTX, N_TAILS
    from pipeline.translate.search import TokenClasses

    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
        if saved.get("format") != CLASSES_FORMAT:
            return None
        classes = TokenClasses(saved["kind"], saved["verdict"], saved["after_sep"], saved["ctx_next"],
                               json.loads(saved["texts"]))
        size = classes.kind.numel()
        if classes.ctx_next.shape != (N_CTX, size) or classes.verdict.size(0) != N_TAILS or len(classes.texts) != size:
            return None
        return str(saved["source"]), classes
    except Exception:  # truncated or foreign: derived again and replaced
        return None


def _classes_contents(source: str, classes) -> dict:
    return {"format": CLASSES_FORMAT, "source": source, "kind": classes.kind, "verdict": classes.verdict,
            "after_sep": classes.after_sep, "ctx_next": classes.ctx_next,
            # one JSON string: torch's weights-only unpickler takes ~0.3 s over a list of 65,000 strings
            "texts": json.dumps(classes.texts, ensure_ascii=False)}


def _contents(translator) -> dict | None:
    """What the file holds for a prepared translator; None when ``marian_torch`` or
    ``tokenizer`` cannot reproduce this model (then nothing is saved)."""
    from pipeline.translate.marian_torch import from_transformers, supported
    from pipeline.translate.tokenizer import TokenizerFacts

    facts = TokenizerFacts.of(translator.tokenizer)
    if facts is None or supported(translator.model.config):
        return None
    plain = from_transformers(translator.model, int8=translator.settings.precision == "int8")
    head = translator.head
    return {"format": FORMAT, "dims": plain.dims.to_dict(), "tokenizer": facts.to_dict(), "model": plain.state_dict(),
            "head": {"ids": head.ids, "linear": head.linear.state_dict(), "full_weight": head._full_weight,
                     "full_bias": head._full_bias}}


def _save(path: Path, contents) -> None:
    """Write what ``contents()`` returns atomically (nothing when it returns None)."""
    import torch

    try:
        contents = contents()
        if contents is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                torch.save(contents, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:
        pass  # a full or read-only cache costs the next start time, never this run
