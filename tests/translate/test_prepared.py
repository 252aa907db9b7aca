"""The prepared-model cache and the model revision."""

from __future__ import annotations

import shutil

from pipeline.translate.loading import _revision, locate_model, user_cache_dir
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.settings import DecodingSettings

REQUESTS = [TranslationRequest("鴻海今天宣布與輝達合作。", ("NVIDIA",)), TranslationRequest("台積電。")]


def test_a_warm_start_loads_the_prepared_model_and_translates_the_same(tiny_model_dir):
    from pipeline.translate.prepared import load_translator, prepared_path

    where, settings = locate_model(str(tiny_model_dir)), DecodingSettings()
    path = prepared_path(where, settings, "cpu")
    assert path.is_relative_to(user_cache_dir())
    path.unlink(missing_ok=True)
    cold = load_translator(where, settings, 16)
    assert path.exists() and not list(path.parent.glob(".*.tmp"))
    warm = load_translator(where, settings, 16)
    assert warm.loaded.model is not cold.loaded.model
    assert warm.translate(REQUESTS) == cold.translate(REQUESTS)
    assert prepared_path(where, DecodingSettings(precision="fp32"), "cpu") != path


def test_a_corrupt_prepared_file_is_prepared_again(tiny_model_dir):
    from pipeline.translate.prepared import load_translator, prepared_path

    where, settings = locate_model(str(tiny_model_dir)), DecodingSettings()
    path = prepared_path(where, settings, "cpu")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a file")
    assert load_translator(where, settings, 16).translate(REQUESTS)
    assert path.stat().st_size > 1000


def test_the_revision_changes_when_any_byte_of_the_weights_changes(tmp_path, tiny_model_dir):
    copy = tmp_path / "model"
    shutil.copytree(tiny_model_dir, copy)
    weights = copy / "pytorch_model.bin"  # a 3 MiB weights file (the tiny model's own is smaller than 1 MiB)
    data = bytearray(3 << 20)
    weights.write_bytes(bytes(data))
    before = _revision(copy)
    assert _revision(copy) == before  # cached by path, size and mtime
    data[-1] ^= 1  # the last byte: far past the first MiB, same size
    weights.write_bytes(bytes(data))
    assert _revision(copy) != before
    assert locate_model(str(copy)).revision == _revision(copy)
