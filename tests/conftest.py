"""Shared fixtures: random-weight MarianMT models built at test time.

No real weights exist on this machine, so every test that translates uses a
model built here (devtools.random_marian): random weights, real MarianMTModel
and MarianTokenizer classes, saved with save_pretrained and loaded back through
the product's own loader.  Assertions are about structure and guarantees.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devtools.random_marian import SHARED_MODEL, build_model, shared_tokenizer_available

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
NO_SHARED = "../shared (real opus-mt-zh-en tokenizer, eval sets) is not beside this checkout; CI always has it"

requires_shared_tokenizer = pytest.mark.skipif(not shared_tokenizer_available(), reason=NO_SHARED)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """Tiny random Marian with a SentencePiece tokenizer trained on seeds/ (works with nothing beside the clone)."""
    return build_model(tmp_path_factory.mktemp("tiny-trained"), tokenizer="trained")


@pytest.fixture(scope="session")
def tiny_real_tokenizer_model_dir(tmp_path_factory) -> Path:
    """Tiny random Marian with the real opus-mt-zh-en tokenizer (needs ../shared)."""
    if not shared_tokenizer_available():
        pytest.skip(NO_SHARED)
    return build_model(tmp_path_factory.mktemp("tiny-real"), tokenizer="real")


@pytest.fixture(scope="session")
def tiny_translator(tiny_model_dir):
    from pipeline.translate.loading import load_marian
    from pipeline.translate.marian import MarianTranslator

    return MarianTranslator(load_marian(str(tiny_model_dir)))


@pytest.fixture(scope="session")
def seed_glossary():
    from pipeline.glossary import default_glossary_paths, load_glossary

    return load_glossary(default_glossary_paths(ROOT))


@pytest.fixture(autouse=True)
def _offline_hub(monkeypatch, tmp_path_factory):
    """Tests never reach for the network or the user's own files; empty caches and config keep them hermetic."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.getbasetemp() / "hf-home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))
    # A real ~/.config/briefing/glossary would otherwise join every run outside a project.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "user-config"))
    # A `briefing serve` the developer left running must not answer the tests' translations.
    runtime = tmp_path_factory.getbasetemp() / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv("BRIEFING_MODEL", raising=False)
    monkeypatch.delenv("BRIEFING_GLOSSARY", raising=False)


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


__all__ = ["ROOT", "SEEDS", "SHARED", "SHARED_MODEL", "NO_SHARED", "requires_shared_tokenizer", "seed_paths", "os"]
