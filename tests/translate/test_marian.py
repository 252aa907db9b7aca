"""Model resolution and loading, and the MarianMT translator's contracts."""

import json
import shutil

import pytest

from pipeline.translate.search import DecodingSettings
from pipeline.errors import ModelLoadError
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.loading import DEFAULT_MODEL, load_marian, resolve_model
from pipeline.translate.marian import MarianTranslator


def test_model_resolution_order(monkeypatch):
    assert resolve_model(None) == DEFAULT_MODEL
    monkeypatch.setenv("BRIEFING_MODEL", "/models/from-env")
    assert resolve_model(None) == "/models/from-env"
    assert resolve_model("/models/option") == "/models/option"


def test_uncached_hub_model_offline_is_a_clear_error():
    with pytest.raises(ModelLoadError) as err:
        load_marian(DEFAULT_MODEL)
    message = str(err.value)
    assert "not in the Hugging Face cache" in message and "HF_HUB_OFFLINE" in message
    assert "--model DIR" in message and "\n" not in message


def test_missing_directory_and_missing_weights(tmp_path, tiny_model_dir):
    with pytest.raises(ModelLoadError, match="no such directory"):
        load_marian(str(tmp_path / "nope"))
    no_weights = tmp_path / "no-weights"
    shutil.copytree(tiny_model_dir, no_weights)
    (no_weights / "model.safetensors").unlink()
    with pytest.raises(ModelLoadError, match="no weights"):
        load_marian(str(no_weights))


def test_wrong_architecture_is_refused(tmp_path, tiny_model_dir):
    other = tmp_path / "bert"
    shutil.copytree(tiny_model_dir, other)
    config = json.loads((other / "config.json").read_text())
    config["model_type"] = "bert"
    (other / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match="model_type is 'bert'.*MarianMT"):
        load_marian(str(other))


def test_corrupt_weights_are_a_load_error(tmp_path, tiny_model_dir):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="cannot load model from"):
        load_marian(str(broken))


def test_revision_is_a_content_hash_for_local_models(tiny_model_dir):
    loaded = load_marian(str(tiny_model_dir))
    assert loaded.revision.startswith("sha256:") and len(loaded.revision) == 19


def test_one_output_per_request_in_order_and_duplicates_decoded_once(tiny_translator):
    requests = [TranslationRequest("鴻海董事長表示。"), TranslationRequest("好。"), TranslationRequest("鴻海董事長表示。")]
    before = tiny_translator.stats.model_calls
    out = tiny_translator.translate(requests)
    assert len(out) == 3 and out[0] == out[2] and all(out)
    assert tiny_translator.stats.model_calls - before == 2


def test_overlong_sentence_is_split_not_truncated(tiny_model_dir):
    translator = MarianTranslator(load_marian(str(tiny_model_dir)), DecodingSettings(beam_size=2, max_input_tokens=12))
    text = "，".join(["鴻海董事長表示雙方合作"] * 12) + "Hon Hai (Foxconn)在最後。"
    units = translator._units([TranslationRequest(text, (("Hon Hai (Foxconn)",),))])
    assert len(units) > 1
    assert "".join(u.text for u in units) == text  # nothing cut
    assert all(len(u.input_ids) <= 12 for u in units if "Hon Hai (Foxconn)" not in u.text)
    assert sum(("Hon Hai (Foxconn)",) in u.constraints for u in units) == 1
    (english,) = translator.translate([TranslationRequest(text, (("Hon Hai (Foxconn)",),))])
    assert "Hon Hai (Foxconn)" in english


def test_unspellable_target_is_written_at_its_forced_span(tiny_real_tokenizer_model_dir):
    translator = MarianTranslator(load_marian(str(tiny_real_tokenizer_model_dir)), DecodingSettings(beam_size=2))
    ids, spelled = translator.constraint_ids("鴻海")
    assert spelled != "鴻海"  # the English target vocabulary has no Chinese characters
    (english,) = translator.translate([TranslationRequest("鸿海。", (("鴻海",), ("Young Liu",)))])
    assert "鴻海" in english and "Young Liu" in english


def test_a_split_sentence_gives_each_requirement_to_the_piece_holding_its_source(tiny_model_dir):
    """The issue's case: the dividend NT$3 belongs to its own clause, not to the one whose
    text holds "NT$30 billion" (a substring test gave it there)."""
    from pipeline.glossary import Glossary
    from pipeline.numbers import NumberFinder
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    translator = MarianTranslator(load_marian(str(tiny_model_dir)), DecodingSettings(beam_size=2, max_input_tokens=24))
    sentence = "公司今年資本支出達300億元，" + "董事會表示將持續擴大投資，" * 3 + "並決議每股配發現金股利3元。"
    request = SentencePreparer(Normaliser(), Glossary(), numbers=NumberFinder()).prepare(sentence).request
    assert {forms[0] for forms in request.constraints} == {"NT$30 billion", "NT$3"}
    units = translator._units([request])
    assert len(units) > 1 and "".join(u.text for u in units) == request.text
    import re

    for unit in units:
        for forms in unit.constraints:
            assert re.search(re.escape(forms[0]) + r"(?!\d)", unit.text), (forms[0], unit.text)


@pytest.mark.parametrize("cut", [6, 8, 10])
def test_anchors_follow_the_requirement_through_any_split(tiny_model_dir, cut):
    """However short the budget, every requirement lands in the piece whose text holds its anchor."""
    translator = MarianTranslator(load_marian(str(tiny_model_dir)), DecodingSettings(beam_size=2, max_input_tokens=cut))
    text = "配息NT$3，另有NT$30 billion，再加NT$3。"
    first, second, third = text.find("NT$3"), text.find("NT$30 billion"), text.rfind("NT$3")
    request = TranslationRequest(text, (("NT$3",), ("NT$30 billion",), ("NT$3",)),
                                 anchors=((first, first + 4), (second, second + 13), (third, third + 4)))
    units = translator._units([request])
    at = 0
    for unit in units:
        for forms in unit.constraints:
            offset = text.find(forms[0], at)
            assert at <= offset < at + len(unit.text)
        at += len(unit.text)
    assert sorted(f[0] for u in units for f in u.constraints) == ["NT$3", "NT$3", "NT$30 billion"]


@pytest.mark.parametrize("cut", [6, 8, 10])
def test_each_piece_of_a_split_sentence_keeps_its_requirements_share_flags(tiny_model_dir, cut):
    translator = MarianTranslator(load_marian(str(tiny_model_dir)), DecodingSettings(beam_size=2, max_input_tokens=cut))
    text = "配息NT$3，另有TSMC chip，再加NT$3，還有chip。"
    forms = (("NT$3",), ("TSMC chip",), ("NT$3",), ("chip", "chips"))
    anchors = tuple((text.find(f[0], at), text.find(f[0], at) + len(f[0]))
                    for f, at in zip(forms, (0, 0, text.find("再"), text.find("還"))))
    for shares in ((False, True, False, True), ()):
        units = translator._units([TranslationRequest(text, forms, anchors=anchors, shares=shares)])
        assert len(units) > 1
        flags = [(f[0], flag) for u in units for f, flag in zip(u.constraints, u.shares, strict=True)]
        expected = [(f[0], bool(shares) and f[0] != "NT$3") for f in forms]
        assert sorted(flags) == sorted(expected)
