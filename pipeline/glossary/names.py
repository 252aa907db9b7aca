"""Is a glossary match part of a person's or a place's name?

A source that is a word of its own can still be part of a name: 三星 in 陳三星
(a person) or 三星鄉 (a township in Yilan), 華為 in 作家李華為, 德州 in 山東德州
(Dezhou, not Texas), 特斯拉 in 尼古拉·特斯拉 (Nikola Tesla).  Such a match is
returned unsure (reported with the name, not enforced), never dropped: these
rules are heuristics, a flag costs a reviewer a glance, while an English name
forced into the wrong sentence is an error the reader may never see corrected.
An editor who knows a longer word is never the term lists it in ``not_in``
(no match at all, no flag).

The rules, on the script-folded text (so Simplified and Traditional alike):

- person: a match of one or two characters (what a Chinese given name is)
  directly after a common surname, single or double (陳, 李, 歐陽), or after a
  character that jieba's HMM joins with it into a person's name (闕東元).  The
  segmenter decides whether that character is a surname here: it must start a
  word in jieba's HMM segmentation (in 曾任三星 the HMM glues 曾任, so 任 is no
  surname; in 作家李華為 李 starts a word), and the dictionary must not read it
  as a preposition, conjunction, verb or adverb (和三星, 向蘋果, 於/于三星,
  應蘋果要求, 曾舉手: jieba tags 和 c, 向 and 于 p, 应 v, 曾 d); one it reads as
  an adjective, classifier or numeral (黃 高 a, 張 q, 許 m) is a surname only
  where a name can start (clause start, after a noun or title: 董事長張中鼎, not
  二十多張白卡).  連 is tagged as a name by the dictionary, so its own
  construction is checked: 連三星都/也 is "even Samsung".
  One-character abbreviations of places that are also surnames (韓 Korea, 陸
  mainland China, 歐 Europe) are left out: 韓三星, 陸華為 are the companies.
- person: a foreign name joined with an interpunct (尼古拉·特斯拉), unless the
  entry is itself a person (溫蒂·懷特 is the glossary's 懷特).
- place: a match followed by an administrative or geographic suffix that is a
  word of its own (三星鄉, 德州路, 東元里, 三星山), or starts a word for the
  place's head or office (鄉長, 市政府, 鄉公所, 路上), in both the dictionary
  and the HMM segmentation (三星市佔率 is 市占率: a market share, no city).
  里 counts only as written (裡 and 裏, "inside", fold to 里 too).  For an entry
  whose category is ``place``, 市 and 縣 are that place's own city or county
  (熊本縣, 聖荷西市) and do not count.
- place: a match of one or two characters directly after a Chinese province or
  a Taiwan county (山東德州, 宜蘭三星): a local place of that name.  Countries
  and the big cities where companies have branches (美國德州, 台灣三星, 上海, 高雄)
  do not count.
"""

from __future__ import annotations

from pipeline.glossary.words import Segmentation, dictionary_tag, is_han

GIVEN_NAME_LENGTH = 2  # Chinese given names are one or two characters
# Taiwan's most common surnames (Ministry of the Interior name statistics) and a few
# frequent in mainland news, as written in Taiwan; folded when the module is used.
SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾鐘游彭詹施胡沈余盧梁趙顏"
    "柯翁魏孫戴范方宋鄧杜侯傅曹薛丁卓阮馬董溫唐藍蔣石古紀姚連馮程湯田康姜白汪鄒尤巫黎涂凃龔嚴袁"
    "金童夏柳邵任毛熊秦孔史賀孟譚崔喬錢殷伍倪駱閻郝龍"
)
DOUBLE_SURNAMES = ("歐陽", "司馬", "諸葛", "上官", "司徒", "東方", "夏侯", "皇甫", "尉遲", "公孫", "慕容",
                   "長孫", "令狐", "張簡", "范姜", "澹台", "軒轅")
# The dictionary's tag of a surname character.  A preposition, conjunction, verb or
# adverb (和 c, 向 p, 应 v, 曾 d) is read as that word before a glossary term.
FUNCTION_TAGS = frozenset({"p", "c", "v", "d"})
# A name or noun (陈 nr, 林 ng, 刘 zg): a surname wherever it starts a word.  Any other
# tag (张 q "sheet", 黄 高 a, 许 m) is read as a surname only where a name can start:
# at the start of a clause or after a noun, a title (作家李…, 董事长张…); 二十多张白卡,
# 再高一些 are a classifier and an adjective.
NAME_LIKE_TAGS = frozenset({"nr", "nrt", "nrfg", "n", "ng", "ns", "nt", "nz", "j", "zg"})
PERSON_TAGS = frozenset({"nr", "nrfg"})  # the HMM's person names (nrt: transliterated, 特斯拉)
EVEN_MARKERS = "都也亦"  # 連 X 都/也: "even X"
INTERPUNCTS = "·‧・•･"
# Township, town, village, ward, district, road, street, city, county; mountain, river, stream, lake, island.
PLACE_SUFFIXES = "鄉鎮村里區路街市縣山河溪湖島"
OWN_DIVISIONS = "市縣"  # after a place entry: that place's own city or county
# Words that start with a suffix and still name the place: its head, people, office, council.
# Not 民: 市民 and 鄉民 are "citizens" after any verb (重新取得市民的信任).  上: 德州路上, on the road.
PLACE_WORD_TAILS = ("", "長", "府", "公所", "政府", "議會", "議員", "代表", "上")
# Chinese provinces and autonomous regions, Taiwan's counties and provincial cities.
REGIONS = (
    "河北", "山西", "遼寧", "吉林", "黑龍江", "江蘇", "浙江", "安徽", "福建", "江西", "山東", "河南", "湖北",
    "湖南", "廣東", "海南", "四川", "貴州", "雲南", "陝西", "甘肅", "青海", "內蒙古", "內蒙", "廣西", "西藏",
    "寧夏", "新疆", "宜蘭", "花蓮", "台東", "屏東", "南投", "雲林", "嘉義", "彰化", "苗栗", "新竹", "基隆",
    "澎湖", "金門", "連江",
)
REGION_DIVISIONS = ("", "省", "縣", "市")


class NameRules:
    """The folded word lists, built once per Matcher."""

    def __init__(self, fold):
        self.surnames = frozenset(fold(SURNAMES))
        self.double_surnames = frozenset(fold(s) for s in DOUBLE_SURNAMES)
        self.even = fold("連")  # jieba tags 连 as a name: its "even" construction is checked instead
        self.suffixes = fold(PLACE_SUFFIXES)
        self.own_divisions = fold(OWN_DIVISIONS)
        self.tails = frozenset(fold(t) for t in PLACE_WORD_TAILS)
        self.regions = frozenset(fold(r + d) for r in REGIONS for d in REGION_DIVISIONS)
        self.region_lengths = sorted({len(r) for r in self.regions}, reverse=True)
        self.village = fold("里")


class NameView:
    """One text's two segmentations: the dictionary's (word boundaries) and the HMM's (asked lazily)."""

    def __init__(self, segmentation: Segmentation, rules: NameRules):
        self.words = segmentation
        self.text = segmentation.text
        self.rules = rules
        self._hmm: Segmentation | None = None

    @property
    def hmm(self) -> Segmentation:
        if self._hmm is None:
            self._hmm = Segmentation(self.text, hmm=True)
        return self._hmm


def name_reason(view: NameView, start: int, end: int, original: str, category: str = "") -> str:
    """Why ``original[start:end]`` is part of a person's or place's name here, or ""."""
    category = category.strip().lower()
    person = _person_start(view, start, end)
    if person is None and category != "person":  # 溫蒂‧懷特 is the glossary's own 懷特
        person = _interpunct_name_start(view, start)
    if person is not None:
        return f"part of the person's name {original[person:end]}"
    place_end = _place_suffix_end(view, end, original, own_divisions=category == "place")
    if place_end is not None:
        return f"part of the place name {original[start:place_end]}"
    region = _region_start(view, start, end)
    if region is not None:
        return f"part of the place name {original[region:end]}"
    return ""


def _person_start(view: NameView, start: int, end: int) -> int | None:
    """Where the name starts when the match is the given name after a surname."""
    if end - start > GIVEN_NAME_LENGTH or start < 1 or not is_han(view.text[start - 1]):
        return None
    double = view.text[max(0, start - 2):start]
    if double in view.rules.double_surnames and _starts_word(view.hmm, start - 2):
        return start - 2
    surname = _surname_before(view, start, end)
    if surname is None or not _reads_as_surname(view, surname, end):
        return None
    return surname


def _surname_before(view: NameView, start: int, end: int) -> int | None:
    """The surname character before the match: a listed one that starts a word in the HMM
    view, or the head of a word the HMM tags as a person's name ending with the match
    (闕東元, 滕中鼎: surnames not on the list)."""
    if view.text[start - 1] in view.rules.surnames and _starts_word(view.hmm, start - 1):
        return start - 1
    word = view.hmm.word_at(start - 1)
    if word is not None and word.tag in PERSON_TAGS and word.start == start - 1 and word.end == end:
        return start - 1
    return None


def _reads_as_surname(view: NameView, index: int, end: int) -> bool:
    """Does the segmenter read the character at ``index`` as a surname rather than a word of its own?"""
    surname = view.text[index]
    tag = dictionary_tag(surname)
    if tag in FUNCTION_TAGS or (tag not in NAME_LIKE_TAGS and not _name_can_start(view, index)):
        return False
    return not (surname == view.rules.even and _even_construction(view.text, end))


def _name_can_start(view: NameView, index: int) -> bool:
    """At the start of a clause, or after a noun (a title or an occupation)."""
    if index == 0 or not is_han(view.text[index - 1]):
        return True
    before = view.hmm.word_before(index)
    return before is not None and before.tag.startswith("n")


def _even_construction(text: str, end: int) -> bool:
    """連 X 都/也 ...: 都 or 也 later in the same clause."""
    for ch in text[end:end + 12]:
        if ch in EVEN_MARKERS:
            return True
        if not is_han(ch):
            return False
    return False


def _interpunct_name_start(view: NameView, start: int) -> int | None:
    """尼古拉·特斯拉: the given name before the interpunct starts the person's name."""
    if start < 2 or view.text[start - 1] not in INTERPUNCTS or not is_han(view.text[start - 2]):
        return None
    word = view.hmm.word_at(start - 2)
    return word.start if word is not None else start - 2


def _starts_word(segmentation: Segmentation, index: int) -> bool:
    word = segmentation.word_at(index)
    return word is not None and word.start == index


def _place_suffix_end(view: NameView, end: int, original: str, own_divisions: bool) -> int | None:
    """Where the place name ends when the match is followed by a place suffix."""
    text, rules = view.text, view.rules
    if end >= len(text) or text[end] not in rules.suffixes:
        return None
    if own_divisions and text[end] in rules.own_divisions:
        return None
    if text[end] == rules.village and original[end] != "里":
        return None
    if all(_names_the_place(segmentation, end, rules) for segmentation in (view.words, view.hmm)):
        return end + 1
    return None


def _names_the_place(segmentation: Segmentation, index: int, rules: NameRules) -> bool:
    """Is the suffix at ``index`` a word of its own, or the head of one for the place's people or office?
    A word that started before it (the HMM's 东元里) does not object."""
    word = segmentation.word_at(index)
    if word is None or word.start < index:
        return True
    return word.text[1:] in rules.tails


def _region_start(view: NameView, start: int, end: int) -> int | None:
    """Where the province or county that qualifies a short match starts (山東德州)."""
    if end - start > GIVEN_NAME_LENGTH:
        return None
    for length in view.rules.region_lengths:
        begin = start - length
        if begin >= 0 and view.text[begin:start] in view.rules.regions and _starts_word(view.words, begin):
            return begin
    return None
