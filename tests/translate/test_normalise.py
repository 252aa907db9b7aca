import pytest

from pipeline.errors import BriefingError
from pipeline.translate.normalise import DEFAULT_OPENCC_CONFIG, Normaliser, ScriptFolder, unify_ideographs

from tests.conftest import SEEDS


def test_default_is_tw2sp_with_taiwan_phrases():
    assert DEFAULT_OPENCC_CONFIG == "tw2sp"
    n = Normaliser()
    assert n("輝達的資料中心軟體") == "英伟达的数据中心软件"


@pytest.mark.parametrize("config,expected", [("t2s", "辉达的资料中心软体"), ("tw2s", "辉达的资料中心软体"), ("none", "輝達的資料中心軟體")])
def test_other_configs(config, expected):
    assert Normaliser(config)("輝達的資料中心軟體") == expected


def test_unknown_config_is_a_clear_error():
    with pytest.raises(BriefingError, match="unknown OpenCC config 'nope'"):
        Normaliser("nope")


def test_kangxi_radical_becomes_the_ordinary_character():
    assert Normaliser("none")("⾧期") == "長期"


def test_is_the_official_opencc_package():
    import opencc

    # opencc-python-reimplemented installs the same module name; the official one ships configs as a C library
    assert hasattr(opencc, "OpenCC") and "clib" in dir(opencc)


def test_folder_maps_traditional_simplified_and_mixed_spellings_together():
    fold = ScriptFolder()
    assert fold("臺積電") == fold("台積電") == fold("台积电")
    assert fold("鴻海 OpenAI") == "鸿海 openai" == fold("鸿海 ＯｐｅｎＡＩ")
    for text in ("輝達（NVIDIA）", "abc", "𠀀字"):
        assert len(fold(text)) == len(text)


def test_lone_surrogates_do_not_crash_opencc():
    assert Normaliser()("鴻海\ud800輝達") == "鸿海\ufffd英伟达"
    assert ScriptFolder()("\udfff鴻") == "\udfff鸿"


SEED_WITH_RADICAL = "東元電機則以⾧期深耕的智慧能源管理系統"  # seeds/000, line 51: U+2FA7 KANGXI RADICAL LONG


def test_one_helper_unifies_radicals_and_compatibility_ideographs_one_to_one():
    # Kangxi radical, CJK Radicals Supplement (its C-simplified form), compatibility ideograph (U+F900)
    assert unify_ideographs("⾧⻓\uf900") == "長长豈"
    for text in ("⾧期", "\u2e9f\u2ef3", "\U0002f800", SEED_WITH_RADICAL):
        assert len(unify_ideographs(text)) == len(text)
    assert unify_ideographs("長期") == "長期"


def test_the_seed_radical_reaches_the_model_and_the_glossary_as_the_character():
    from pipeline.glossary import Glossary, GlossaryEntry

    line = next(ln for ln in (SEEDS / "000_58b913a21f0d624b.txt").read_text(encoding="utf-8").splitlines()
                if "⾧" in ln)
    assert line.startswith(SEED_WITH_RADICAL)
    assert "长期深耕" in Normaliser()(line)
    (match,) = Glossary([GlossaryEntry("長期深耕", "long-term commitment")]).match(line)
    assert match.surface == "⾧期深耕" and line[match.start:match.end] == "⾧期深耕"  # the author's characters
    assert ScriptFolder()(line)[match.start:match.end] == "长期深耕"
