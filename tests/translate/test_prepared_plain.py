"""The prepared model without transformers: same encoder output, same ids, same English.

A warm start runs ``marian_torch.TorchMarian`` and ``tokenizer.MarianPieces``
from the prepared file; a cold start runs transformers' MarianMTModel and
MarianTokenizer.  Everything here compares the two on real models built by
the fixtures (random weights) and real SentencePiece tokenizers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED, requires_shared_tokenizer, seed_paths

EVAL = SHARED / "eval"
NO_EVAL = "../shared/eval (the real evaluation sets) is not beside this checkout; CI always has it"

# Text that exercises the tokenizer's own rules, besides the seeds: added tokens inside
# text, a language code, Latin, figures, full-width and control characters, spaces.
TRICKY = ["鴻海</s>台積電", "a</s>b <unk> c<pad>", ">>eng<< 台積電", ">>eng<<", "  前後空白  ", "NVIDIA H200晶片",
          "營收成長49.7%，達US$61.8 billion。", "ＡＢＣ１２３", "tab\there", "「引號」（括號）", "", "<unk>", "x<unk"]


def _prepared(model_dir, precision="int8"):
    """(cold, warm) translators: the one that prepared the file, and one loaded from it."""
    from pipeline.translate.loading import locate_model
    from pipeline.translate.prepared import load_translator, prepared_path
    from pipeline.translate.settings import DecodingSettings

    where, settings = locate_model(str(model_dir)), DecodingSettings(precision=precision)
    prepared_path(where, settings, "cpu").unlink(missing_ok=True)
    cold = load_translator(where, settings, 16)
    warm = load_translator(where, settings, 16)
    assert type(cold.model).__name__ == "MarianMTModel" and type(warm.model).__name__ == "TorchMarian"
    assert type(warm.tokenizer).__name__ == "MarianPieces"
    return cold, warm


def _seed_sentences() -> list[str]:
    from pipeline.ingest.segment import split_sentences

    lines = [line for p in seed_paths() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s for line in lines for s in split_sentences(line)]


def _eval_sentences() -> list[str]:
    files = [EVAL / "flores200_devtest" / "devtest.zho_Hant", EVAL / "flores200_devtest" / "devtest.zho_Hans",
             *sorted((EVAL / "hkma").glob("*.zh")), EVAL / "wmt23_terminology_dev" / "zhen.zh"]
    return [line for f in files if f.exists() for line in f.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("precision", ["int8", "fp32"])
def test_the_plain_encoder_computes_exactly_what_transformers_computes(tiny_model_dir, precision):
    import torch

    cold, warm = _prepared(tiny_model_dir, precision)
    texts = ["鴻海今天宣布與輝達合作。", "台積電。", "營收成長49.7%，達618億美元，創下15年來最大增幅。"]
    for batch in (texts, texts[:1], texts[1:2]):  # padded and unpadded batches
        enc = cold.tokenizer(batch, return_tensors="pt", padding=True)
        with torch.inference_mode():
            theirs = cold.model.get_encoder()(input_ids=enc.input_ids, attention_mask=enc.attention_mask)
            mine = warm.model.get_encoder()(enc.input_ids, enc.attention_mask)
        # same modules' weights, same kernels in the same order: bit for bit, no tolerance
        assert torch.equal(theirs.last_hidden_state, mine.last_hidden_state)


def test_the_tokenizer_gives_marian_tokenizers_ids_and_text(tiny_model_dir):
    cold, warm = _prepared(tiny_model_dir)
    _assert_same_tokenizer(cold.tokenizer, warm.tokenizer, _seed_sentences() + TRICKY)


@requires_shared_tokenizer
def test_the_tokenizer_matches_on_the_real_tokenizer_and_the_eval_sets(tiny_real_tokenizer_model_dir):
    if not _eval_sentences():
        pytest.skip(NO_EVAL)
    cold, warm = _prepared(tiny_real_tokenizer_model_dir)
    _assert_same_tokenizer(cold.tokenizer, warm.tokenizer, _seed_sentences() + TRICKY + _eval_sentences())


def _assert_same_tokenizer(theirs, mine, texts: list[str]) -> None:
    assert len(texts) > 50
    assert mine.get_vocab() == theirs.get_vocab()
    assert mine.all_special_ids == theirs.all_special_ids
    assert (mine.unk_token_id, mine.eos_token_id, mine.pad_token_id) == \
           (theirs.unk_token_id, theirs.eos_token_id, theirs.pad_token_id)
    for text in texts:
        ids = theirs(text, add_special_tokens=True, truncation=False).input_ids
        assert mine(text, add_special_tokens=True, truncation=False).input_ids == ids, text
        target = theirs(text_target=text, add_special_tokens=False).input_ids
        assert mine(text_target=text, add_special_tokens=False).input_ids == target, text
        for skip in (True, False):
            assert mine.decode(target, skip_special_tokens=skip, use_source_tokenizer=False) == \
                   theirs.decode(target, skip_special_tokens=skip, use_source_tokenizer=False), text
        assert mine.convert_ids_to_tokens(target) == theirs.convert_ids_to_tokens(target)
    every = list(range(len(theirs.get_vocab()) + 3))  # every id, and a few past the vocabulary
    assert mine.convert_ids_to_tokens(every[:-3]) == theirs.convert_ids_to_tokens(every[:-3])
    sample = every[::97] + [theirs.eos_token_id, theirs.pad_token_id, theirs.unk_token_id]
    for skip in (True, False):
        assert mine.decode(sample, skip_special_tokens=skip) == theirs.decode(sample, skip_special_tokens=skip,
                                                                              use_source_tokenizer=False)
    pieces = theirs.convert_ids_to_tokens(every[:500]) + ["no-such-piece", "<unk>", "</s>"]
    assert mine.convert_tokens_to_ids(pieces) == theirs.convert_tokens_to_ids(pieces)


@pytest.mark.parametrize("precision", ["int8", "fp32"])
def test_a_warm_start_translates_exactly_as_the_start_that_prepared(tiny_model_dir, seed_glossary, precision):
    from pipeline.numbers import NumberFinder
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    cold, warm = _prepared(tiny_model_dir, precision)
    preparer = SentencePreparer(Normaliser(), seed_glossary, numbers=NumberFinder())
    prepared = [preparer.prepare(s).request for s in _seed_sentences()[:80]]
    # a few sentences keep the test quick on a loaded machine: most with glossary terms and figures enforced
    requests = [r for r in prepared if r.constraints][:3 if precision == "int8" else 2] + \
               [r for r in prepared if not r.constraints][:1]
    assert sum(len(r.constraints) for r in requests) >= 2
    assert warm.translate(requests) == cold.translate(requests)


def test_translate_json_is_identical_warm_and_cold_and_a_warm_start_imports_no_transformers_nor_dynamo(
        tmp_path, tiny_model_dir):
    sentences = "\n".join(_seed_sentences()[:4]) + "\n"
    env_cache = str(tmp_path / "cache")
    cold = _translate_json(tiny_model_dir, sentences, env_cache)
    warm = _translate_json(tiny_model_dir, sentences, env_cache)
    assert cold["stdout"] and warm["stdout"] == cold["stdout"]
    assert cold["modules"]["transformers"]  # the first start prepared with transformers
    assert not warm["modules"]["transformers"] and not warm["modules"]["sacremoses"], warm["modules"]
    assert not warm["modules"]["torch._dynamo"], "dynamo costs seconds of imports and the path never compiles"


def _translate_json(model_dir, stdin: str, cache: str) -> dict:
    """``briefing translate --json`` in a fresh process, with which heavy modules it imported."""
    code = ("import io, json, sys\nfrom pipeline.cli import main\nout = io.StringIO(); real = sys.stdout; sys.stdout = out\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\nsys.stdout = real\n"
            "print(json.dumps({'stdout': out.getvalue(), 'modules': {m: m in sys.modules for m in "
            "('transformers', 'sacremoses', 'torch._dynamo')}}))")
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    proc = subprocess.run([sys.executable, "-c", code, "translate", "--json", "--no-memory", "--no-server",
                           "--model", str(model_dir)], cwd=ROOT, input=stdin, capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_an_old_or_damaged_prepared_file_is_prepared_again(tiny_model_dir):
    import torch

    from pipeline.translate.loading import locate_model
    from pipeline.translate.prepared import FORMAT, load_translator, prepared_path
    from pipeline.translate.settings import DecodingSettings

    where, settings = locate_model(str(tiny_model_dir)), DecodingSettings()
    path = prepared_path(where, settings, "cpu")
    path.parent.mkdir(parents=True, exist_ok=True)
    for content in ({"format": FORMAT - 1, "model": {}}, {"format": FORMAT, "dims": {"d_model": 1}}, {"x": 1}):
        torch.save(content, path)
        translator = load_translator(where, settings, 16)
        assert type(translator.model).__name__ == "MarianMTModel"  # prepared again ...
        assert torch.load(path, weights_only=True)["format"] == FORMAT  # ... and replaced
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # a file cut short
    assert type(load_translator(where, settings, 16).model).__name__ == "MarianMTModel"
    assert path.read_bytes() != whole[: len(whole) // 2]


@pytest.mark.skipif(not os.environ.get("BRIEFING_SLOW_TESTS"), reason="builds a 300 MB model; set BRIEFING_SLOW_TESTS=1")
@requires_shared_tokenizer
def test_the_full_size_model_encodes_and_translates_identically(tmp_path):
    """The full opus-mt-zh-en configuration (random weights, the real tokenizer)."""
    import torch

    from devtools.random_marian import build_model
    from pipeline.translate.prepare import TranslationRequest

    model_dir = build_model(tmp_path / "full", full=True, tokenizer="real")
    cold, warm = _prepared(model_dir)
    texts = _seed_sentences()[:16]
    enc = cold.tokenizer(texts, return_tensors="pt", padding=True)
    with torch.inference_mode():
        theirs = cold.model.get_encoder()(input_ids=enc.input_ids, attention_mask=enc.attention_mask)
        assert torch.equal(theirs.last_hidden_state, warm.model.get_encoder()(enc.input_ids, enc.attention_mask).last_hidden_state)
    requests = [TranslationRequest(t, (("NVIDIA",),) if i % 3 == 0 else ()) for i, t in enumerate(texts)]
    assert warm.translate(requests) == cold.translate(requests)
