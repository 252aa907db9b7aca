"""The prepared model on disk: a warm start loads it instead of preparing it again.

Preparing a MarianMT model for our search (fusing the decoder's attention
projections, quantising every Linear to int8, cutting the output head to the
target vocabulary) takes seconds on every start.  The result is saved once
under the user cache ($XDG_CACHE_HOME/briefing, else ~/.cache/briefing),
keyed by everything that shapes it (model revision, precision, vocabulary
setting, device type, torch/transformers/briefing versions), and written
atomically, so a second start reads it directly.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from pipeline.translate.loading import LoadedModel, ModelLocation, load_marian, user_cache_dir

FORMAT = 1  # bump when the saved layout changes


def prepared_path(where: ModelLocation, settings, device: str) -> Path:
    import torch
    import transformers

    from pipeline import __version__

    key = json.dumps([FORMAT, where.revision, settings.precision, settings.target_vocab_only, device.split(":")[0],
                      torch.__version__, transformers.__version__, __version__])
    return user_cache_dir() / "prepared" / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".pt")


def load_translator(where: ModelLocation, settings, batch_size: int, device: str = "cpu",
                    threads: int | None = None, cache: bool = True):
    """A ``MarianTranslator`` from the prepared-model cache, preparing (and saving) it on a miss."""
    from pipeline.translate.marian import MarianTranslator

    path = prepared_path(where, settings, device) if cache else None
    if path is not None and path.exists():
        loaded = _load(path, where, device)
        if loaded is not None:
            model, head, tokenizer = loaded
            return MarianTranslator(LoadedModel(model, tokenizer, where.model_id, where.revision, where.path),
                                    settings, batch_size, threads, device, head=head)
    translator = MarianTranslator(load_marian(where), settings, batch_size, threads, device)
    if path is not None:
        _save(path, translator.model, translator.head)
    return translator


def _load(path: Path, where: ModelLocation, device: str):
    import torch
    from transformers import MarianTokenizer

    import warnings

    try:
        with warnings.catch_warnings():  # quantised modules pickle through torch's legacy storage API
            warnings.simplefilter("ignore")
            saved = torch.load(path, map_location=device, weights_only=False)  # our own file, written by _save
        model, head = saved["model"], saved["head"]
    except Exception:  # a truncated or foreign file: prepare again and replace it
        return None
    model.eval()
    return model, head, MarianTokenizer.from_pretrained(where.path)


def _save(path: Path, model, head) -> None:
    import torch

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                torch.save({"model": model, "head": head}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:
        pass  # a full or read-only cache costs the next start time, never this run
