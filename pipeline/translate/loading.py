"""Finding and loading a MarianMT model, and the translator interface.

``Translator.translate(requests)`` takes ``TranslationRequest`` objects (model
input + required English) and returns the English, in order.  Implementations
compose: ``MarianTranslator`` (``marian``) runs the model, the translation
memory wraps any translator.  torch and transformers are imported only when a
model is actually loaded, so the CLI starts instantly.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from pipeline.errors import ModelLoadError
from pipeline.translate.prepare import TranslationRequest

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"
MODEL_ENV = "BRIEFING_MODEL"


class Translator(Protocol):
    model_id: str
    model_revision: str

    def translate(self, requests: Sequence[TranslationRequest]) -> list[str]: ...


def resolve_model(option: str | None) -> str:
    """``--model`` option, else ``$BRIEFING_MODEL``, else the default hub id."""
    return option or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


# ---------------------------------------------------------------- loading


@dataclass
class LoadedModel:
    model: object
    tokenizer: object
    model_id: str
    revision: str
    path: str


@dataclass(frozen=True)
class ModelLocation:
    """Where a model's files are and which revision they are, found without loading them."""

    model_id: str
    path: str
    revision: str


def locate_model(model_ref: str) -> ModelLocation:
    """Find a MarianMT model directory (local or in the Hugging Face cache) and check
    it is one, without importing torch.  Raises ``ModelLoadError`` saying what was
    tried and how to fix it."""
    fix = (
        f"download it once on a machine with network access "
        f"(`hf download {model_ref}` or any from_pretrained call, which fills $HF_HOME), "
        f"or pass --model DIR (or set {MODEL_ENV}) pointing to a MarianMT model directory"
    )
    local = Path(model_ref).expanduser()
    if local.exists():
        path = str(local)
        if not local.is_dir():
            raise ModelLoadError(f"cannot load model '{model_ref}': not a directory; pass a MarianMT model directory")
        missing = [f for f in ("config.json", "source.spm", "target.spm", "vocab.json") if not (local / f).exists()]
        if missing:
            raise ModelLoadError(f"cannot load model from {model_ref}: missing {', '.join(missing)}; {fix}")
        if not any(local.glob("*.safetensors")) and not any(local.glob("*.bin")):
            raise ModelLoadError(
                f"cannot load model from {model_ref}: no weights (model.safetensors or pytorch_model.bin); {fix}"
            )
    else:
        if model_ref.startswith((".", "/", "~")) or model_ref.count("/") != 1:
            raise ModelLoadError(
                f"cannot load model '{model_ref}': no such directory, and not a Hugging Face id (owner/name)"
            )
        path = _from_hf_cache(model_ref, fix)
    _check_architecture(path, model_ref)
    return ModelLocation(model_ref, path, _revision(Path(path)))


def load_marian(model_ref: str | ModelLocation) -> LoadedModel:
    """Load a MarianMT model and tokenizer from a directory or the Hugging Face cache."""
    where = model_ref if isinstance(model_ref, ModelLocation) else locate_model(model_ref)
    path = where.path
    fix = f"pass --model DIR (or set {MODEL_ENV}) pointing to a complete MarianMT model directory"
    try:
        import torch  # noqa: F401 - a clear message if torch is missing
        from transformers import MarianMTModel, MarianTokenizer
    except ImportError as err:
        raise ModelLoadError(
            f"cannot load model: {err.name or err} is not installed; run `pip install torch==2.13.0 -e .`"
        ) from None
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # our own messages are the user's interface
    hf_logging.disable_progress_bar()
    try:
        tokenizer = MarianTokenizer.from_pretrained(path)
        model = MarianMTModel.from_pretrained(path)
    except Exception as err:  # corrupt or mismatched files
        raise ModelLoadError(f"cannot load model from {path}: {type(err).__name__}: {_first_line(err)}; {fix}") from None
    model.eval()
    return LoadedModel(model, tokenizer, where.model_id, where.revision, path)


def _from_hf_cache(model_id: str, fix: str) -> str:
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelLoadError(f"cannot load model '{model_id}': huggingface_hub is not installed") from None
    try:  # the cache first: works offline, and never waits on the network
        return snapshot_download(model_id, local_files_only=True)
    except Exception:
        pass
    home = os.environ.get("HF_HOME", "~/.cache/huggingface")
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        raise ModelLoadError(
            f"cannot load model '{model_id}': not in the Hugging Face cache ({home}) and HF_HUB_OFFLINE is set; {fix}"
        )
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    host = urlparse(endpoint).hostname or "huggingface.co"
    try:  # fail in milliseconds, not after half a minute of retries
        socket.getaddrinfo(host, 443)
    except OSError:
        raise ModelLoadError(
            f"cannot load model '{model_id}': not in the Hugging Face cache ({home}) and the hub ({host}) is unreachable; {fix}"
        ) from None
    try:
        return snapshot_download(model_id, allow_patterns=["*.json", "*.spm", "*.safetensors", "*.bin", "*.txt"])
    except Exception as err:
        raise ModelLoadError(f"cannot download model '{model_id}' from {host}: {_first_line(err)}; {fix}") from None


def _check_architecture(path: str, model_ref: str) -> None:
    import json

    try:
        config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelLoadError(f"cannot load model '{model_ref}': unreadable config.json ({err})") from None
    if config.get("model_type") != "marian":
        raise ModelLoadError(
            f"cannot load model '{model_ref}': model_type is '{config.get('model_type')}', "
            "but briefing needs a MarianMT model (model_type 'marian'), e.g. Helsinki-NLP/opus-mt-zh-en"
        )


def _revision(path: Path) -> str:
    """The hub commit for a cached snapshot, else a hash of every byte of config, tokenizer and weights.

    Any changed byte changes the revision (the memory and the prepared-model
    cache are keyed by it); each file's hash is cached by path, size and mtime,
    so only the first start after a change reads the weights in full."""
    if path.parent.name == "snapshots":
        return path.name[:12]
    digest = hashlib.sha256()
    for f in sorted(path.iterdir()):
        if f.suffix in (".json", ".safetensors", ".bin", ".spm"):
            digest.update(f.name.encode())
            digest.update(file_digest(f).encode())
    return "sha256:" + digest.hexdigest()[:12]


def user_cache_dir() -> Path:
    """$XDG_CACHE_HOME/briefing, else ~/.cache/briefing."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


def file_digest(path: Path) -> str:
    """SHA-256 of a whole file, remembered in the user cache by (path, size, mtime)."""
    import json

    stat = path.stat()
    token = json.dumps([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    record = user_cache_dir() / "hashes" / (hashlib.sha256(token.encode()).hexdigest()[:32] + ".json")
    try:
        cached = json.loads(record.read_text(encoding="utf-8"))
        if cached.get("key") == token:
            return cached["sha256"]
    except (OSError, ValueError, AttributeError):
        pass
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    value = digest.hexdigest()
    try:
        from pipeline.fsutil import atomic_write_text

        record.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(record, json.dumps({"key": token, "sha256": value}))
    except OSError:
        pass  # an unwritable cache only costs speed
    return value


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
