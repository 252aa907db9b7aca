"""The prepared-model cache and the model revision."""

from __future__ import annotations

import shutil

import pytest

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


def _classes_equal(a, b) -> bool:
    import torch

    return all(torch.equal(getattr(a, name), getattr(b, name)) for name in ("kind", "verdict", "after_sep", "ctx_next")) \
        and a.texts == b.texts


def _no_deriving(monkeypatch):
    """Make deriving token classes fail: what loads must then come from the file."""
    from pipeline.translate.search.tracker import TokenClasses

    def derive(*_args, **_kwargs):
        raise AssertionError("the token classes were derived, not read")

    monkeypatch.setattr(TokenClasses, "from_pieces", classmethod(derive))


@pytest.mark.parametrize("model", ["tiny_model_dir", "tiny_real_tokenizer_model_dir"])
def test_a_warm_start_reads_the_token_classes_exactly_as_they_were_derived(model, request, monkeypatch):
    """Also on Helsinki-NLP's published opus-mt-zh-en vocabulary (65,001 pieces, ../shared):
    the classes the first start derived through transformers' MarianTokenizer are exactly
    those a warm start would derive through our tokenizer twin, and those it reads."""
    from pipeline.translate.prepared import classes_path, load_translator, prepared_path

    where, settings = locate_model(str(request.getfixturevalue(model))), DecodingSettings()
    path = classes_path(where)
    assert path.is_relative_to(user_cache_dir()) and path.name.endswith(".classes.pt")
    path.unlink(missing_ok=True)
    prepared_path(where, settings, "cpu").unlink(missing_ok=True)  # a true first start: transformers prepares
    cold = load_translator(where, settings, 16)
    assert path.exists() and not list(path.parent.glob(".*.tmp"))
    with monkeypatch.context() as patch:
        _no_deriving(patch)
        warm = load_translator(where, settings, 16)
    assert warm.token_classes is not cold.token_classes
    assert type(warm.tokenizer) is not type(cold.tokenizer)  # the twin, and transformers' own
    assert warm.classes_source == cold.classes_source  # the same pieces, read by either
    assert _classes_equal(warm.token_classes, warm._build_token_classes())  # as its own tokenizer derives them
    assert _classes_equal(warm.token_classes, cold.token_classes)
    assert warm.translate(REQUESTS) == cold.translate(REQUESTS)


def test_the_token_classes_key_holds_the_code_that_derives_them(tiny_model_dir, monkeypatch):
    import ast
    import inspect
    from pathlib import Path

    from pipeline.translate import marian, presence, prepared
    from pipeline.translate.search import tracker

    folder = Path(inspect.getfile(prepared)).parent
    hashed = {str(Path(inspect.getfile(m)).relative_to(folder)) for m in (presence, tracker, marian)}
    assert hashed == set(prepared._CLASSES_CODE)  # presence's rules, the tracker's tables, the decoder's cleaning
    for module in (presence, tracker):  # and nothing of ours they read is left out
        ours = set()
        for node in ast.walk(ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
                # `from pipeline.translate import presence` names a module; `from X import name` reads X
                ours |= {f"{node.module}.{a.name}" for a in node.names} if node.module == "pipeline.translate" \
                    else {node.module}
        assert ours <= {"pipeline.translate.presence"}, ours
    where = locate_model(str(tiny_model_dir))
    before = prepared.classes_path(where)
    monkeypatch.setattr(prepared, "_CLASSES_CODE", prepared._CLASSES_CODE[:-1])  # as if one source changed
    assert prepared.classes_path(where) != before


def test_damaged_or_foreign_token_classes_are_derived_again_and_replaced(tiny_model_dir, monkeypatch):
    import json

    import torch

    from pipeline.translate.prepared import _classes_contents, classes_path, load_translator
    from pipeline.translate.search.tracker import TokenClasses

    where, settings = locate_model(str(tiny_model_dir)), DecodingSettings()
    path = classes_path(where)
    reference = load_translator(where, settings, 16).token_classes
    good = path.read_bytes()
    foreign = _classes_contents("another vocabulary", TokenClasses.permissive(7))  # well formed
    foreign["texts"] = "[" + ", ".join(["null"] * 7) + "]"
    # the same shapes, derived from pieces that differ in one place (another tokenizer's reading)
    size = reference.kind.numel()
    other = _classes_contents("one piece differs", TokenClasses.permissive(size))
    other["texts"] = json.dumps([None] * size)
    for damage in (lambda: path.write_bytes(good[: len(good) // 2]), lambda: path.write_bytes(b"junk"),
                   lambda: torch.save({"format": 0}, path), lambda: torch.save(foreign, path),
                   lambda: torch.save(other, path)):
        damage()
        translator = load_translator(where, settings, 16)
        assert _classes_equal(translator.token_classes, reference)
        with monkeypatch.context() as patch:  # replaced: the next start reads it
            _no_deriving(patch)
            assert _classes_equal(load_translator(where, settings, 16).token_classes, reference)
