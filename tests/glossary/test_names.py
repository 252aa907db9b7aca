"""A glossary match inside a person's or place's name is reported, not enforced.

Issue: 陳三星 (a person), 宜蘭三星鄉 (a township), 作家李華為 were enforced as
Samsung / Huawei, while 連台積電都, 和三星, 與華為, 向蘋果 must stay enforced.
The sentences here are written for the test unless a source is given; the
FLORES-200 devtest lines (CC BY-SA 4.0, read from ../shared/eval, skipped
without it) are real text.
"""

import pytest

from pipeline.glossary import Glossary, GlossaryEntry
from tests.conftest import NO_SHARED, SHARED

ENTRIES = [
    GlossaryEntry("三星", "Samsung", category="company"),
    GlossaryEntry("華為", "Huawei", category="company"),
    GlossaryEntry("東元", "TECO", category="company"),
    GlossaryEntry("中鼎", "CTCI", category="company"),
    GlossaryEntry("蘋果", "Apple", category="company"),
    GlossaryEntry("高盛", "Goldman Sachs", category="company"),
    GlossaryEntry("台積電", "TSMC", category="company"),
    GlossaryEntry("特斯拉", "Tesla", category="company"),
    GlossaryEntry("德州", "Texas", category="place"),
    GlossaryEntry("熊本", "Kumamoto", category="place"),
    GlossaryEntry("川普", "Trump", category="person"),
    GlossaryEntry("懷特", "Wendy Tan White", category="person"),
]
GLOSSARY = Glossary(ENTRIES)


def judged(text, term):
    """(sure, reason) of the one match of ``term`` in ``text``."""
    (match,) = [m for m in GLOSSARY.match(text) if m.surface == term]
    return match.sure, match.reason


@pytest.mark.parametrize("text,term,name", [
    ("陳三星今天到場致詞。", "三星", "陳三星"),  # the case
    ("作家李華為出版新書。", "華為", "李華為"),  # the case
    ("記者林三星／台北報導", "三星", "林三星"),
    ("董事長張中鼎表示，營收將成長。", "中鼎", "張中鼎"),  # 張: the dictionary's "sheet" (q), after a title
    ("立委吳東元質詢部長。", "東元", "吳東元"),
    ("歌手黃華為今晚開唱。", "華為", "黃華為"),  # 黃: an adjective (a) to the dictionary, after a title
    ("歐陽三星說他不知情。", "三星", "歐陽三星"),  # double surname
    ("司馬東元昨日辭職。", "東元", "司馬東元"),
    ("鄭華為與家人出遊。", "華為", "鄭華為"),
    ("陈三星今天到场。", "三星", "陈三星"),  # Simplified
    ("闕東元表示反對。", "東元", "闕東元"),  # not a listed surname: jieba's HMM tags 阙东元 a person (nr)
    ("滕中鼎指出問題。", "中鼎", "滕中鼎"),
])
def test_a_surname_before_a_short_term_makes_it_a_given_name(text, term, name):
    assert judged(text, term) == (False, f"part of the person's name {name}")


@pytest.mark.parametrize("text,term", [
    ("連台積電都受影響。", "台積電"),  # the case; three characters are no given name
    ("連三星都受影響。", "三星"),  # 連…都: "even Samsung" (連 is also a surname)
    ("連華為也不例外。", "華為"),
    ("連東元都受影響。", "東元"),  # the HMM tags 连东元 a person: the construction wins
    ("鴻海和三星簽約。", "三星"),  # 和: conjunction
    ("鴻海與華為合作。", "華為"),
    ("台積電向蘋果供貨。", "蘋果"),  # 向: preposition and surname
    ("他於三星任職多年。", "三星"),  # 於 folds to 于, a surname too
    ("應蘋果要求延後出貨。", "蘋果"),  # 應: verb and surname
    ("他曾任三星副總裁。", "三星"),  # the HMM glues 曾任: 任 is no surname here
    ("一張三星卡片。", "三星"),  # 一張: classifier
    ("買了二十多張三星的點數卡。", "三星"),
    ("韓三星今天公布財報。", "三星"),  # 韓: Korea, not the surname
    ("陸華為手機銷量大增。", "華為"),  # 陸: mainland China
    ("美國總統川普上任。", "川普"),
    ("股價創高，高盛上調目標價。", "高盛"),  # the term itself starts with a surname
])
def test_function_words_and_abbreviations_before_a_term_keep_it_enforced(text, term):
    assert judged(text, term) == (True, "")


def test_a_western_name_joined_with_an_interpunct_is_a_person():
    for dot in "·‧・":
        assert judged(f"物理學家尼古拉{dot}特斯拉發明了交流電。", "特斯拉") == (
            False, f"part of the person's name 尼古拉{dot}特斯拉")


def test_an_interpunct_before_a_person_entry_is_that_person():
    assert judged("Intrinsic執行長溫蒂‧懷特表示", "懷特") == (True, "")
    assert judged("美國總統唐納‧川普上任", "川普") == (True, "")


@pytest.mark.parametrize("text,term,place", [
    ("宜蘭三星鄉的農民", "三星", "三星鄉"),  # the case
    ("三星鄉長表示", "三星", "三星鄉"),  # 鄉長: the township's head
    ("三星鄉公所今天公告", "三星", "三星鄉"),
    ("住在台南市三星里", "三星", "三星里"),
    ("三星鎮的居民", "三星", "三星鎮"),
    ("東元里里長", "東元", "東元里"),
    ("青島德州路上的商店", "德州", "德州路"),  # a street named after Dezhou
    ("蘋果村的果農", "蘋果", "蘋果村"),
    ("三星山登山步道", "三星", "三星山"),
    ("东元里里长", "东元", "东元里"),  # Simplified
])
def test_a_place_suffix_after_a_term_makes_it_a_place_name(text, term, place):
    assert judged(text, term) == (False, f"part of the place name {place}")


@pytest.mark.parametrize("text,term", [
    ("三星市佔率提升", "三星"),  # 市占率: market share, no city
    ("蘋果市值突破四兆美元", "蘋果"),
    ("蘋果市場策略", "蘋果"),
    ("三星區塊鏈手機", "三星"),
    ("蘋果路線圖曝光", "蘋果"),
    ("在三星裡工作", "三星"),  # 裡 (inside) folds to 里 but is no village
    ("三星山寨機充斥市場", "三星"),  # 山寨: knock-off
    ("重新取得三星市民的信任", "三星"),  # 市民: citizens (the suffix alone, or its head or office, counts)
    ("熊本縣知事表示", "熊本"),  # a place's own county: the glossary's place itself
])
def test_a_suffix_that_starts_another_word_is_no_place(text, term):
    sure, reason = judged(text, term)
    assert not reason.startswith("part of the place name"), reason


@pytest.mark.parametrize("text,term,place", [
    ("山東德州的工廠", "德州", "山東德州"),  # the case: Dezhou, not Texas
    ("山東省德州的官員", "德州", "山東省德州"),
    ("宜蘭三星的蔥", "三星", "宜蘭三星"),
    ("宜蘭縣三星的農會", "三星", "宜蘭縣三星"),
    ("河北東元的工廠", "東元", "河北東元"),
])
def test_a_province_or_county_before_a_short_term_makes_it_a_local_place(text, term, place):
    assert judged(text, term) == (False, f"part of the place name {place}")


@pytest.mark.parametrize("text,term", [
    ("台積電在美國德州設廠", "德州"),  # a country: the US state it is
    ("東德州當地的配音員", "德州"),
    ("日本九州熊本設廠", "熊本"),
    ("台灣三星今天發表新機", "三星"),  # a country-level branch is the company
])
def test_a_country_before_a_term_keeps_it(text, term):
    assert judged(text, term) == (True, "")


def test_match_always_skips_the_name_tests():
    g = Glossary([GlossaryEntry("三星", "Samsung", match="always")])
    assert [(m.sure, m.reason) for m in g.match("陳三星與宜蘭三星鄉")] == [(True, ""), (True, "")]


def test_the_reason_reaches_the_reviewer_as_a_term_unsure_flag(tiny_translator):
    from pipeline.translate.sentences import SentenceTranslator
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    preparer = SentencePreparer(Normaliser(), Glossary(ENTRIES[:1]))
    (result,) = SentenceTranslator(preparer, tiny_translator).translate(["陳三星今天到場。"])
    assert [f.reason for f in result.flags if f.name == "term-unsure"] == [
        "term not enforced, check it: Samsung for “三星” (part of the person's name 陳三星)"]
    assert result.constraints == ()


FLORES = SHARED / "eval" / "flores200_devtest" / "devtest.zho_Hant"
needs_flores = pytest.mark.skipif(not FLORES.is_file(), reason=NO_SHARED)


def flores_line(number: int, fragment: str) -> str:
    """Line ``number`` (1-based) of FLORES-200 devtest zho_Hant, checked to hold ``fragment``."""
    line = FLORES.read_text(encoding="utf-8").splitlines()[number - 1]
    assert fragment in line, (number, line)
    return line


@needs_flores
def test_flores_names_with_interpuncts():
    """FLORES-200 devtest (CC BY-SA 4.0) line 25, 美國總統唐納‧川普 (Trump: the glossary's own
    person, enforced), and line 173, 東德州 (East Texas, enforced)."""
    assert [(m.surface, m.sure) for m in GLOSSARY.match(flores_line(25, "唐納‧川普"))] == [("川普", True)]
    assert [(m.surface, m.sure) for m in GLOSSARY.match(flores_line(173, "東德州"))] == [("德州", True)]


@needs_flores
def test_flores_western_names_are_names_of_people():
    """FLORES-200 devtest lines 72 and 192 write Western names with an interpunct; as a
    stand-in term, each surname after the dot is part of a person's name."""
    harper = Glossary([GlossaryEntry("哈珀", "Harper")])
    (m,) = harper.match(flores_line(72, "史蒂芬‧哈珀"))
    assert (m.sure, m.reason) == (False, "part of the person's name 史蒂芬‧哈珀")
    perry = Glossary([GlossaryEntry("裴利", "Perry")])
    (m,) = perry.match(flores_line(192, "瑞克‧裴利"))
    assert (m.sure, m.reason) == (False, "part of the person's name 瑞克‧裴利")
