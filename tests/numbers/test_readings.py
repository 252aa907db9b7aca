"""Issue 17's figure families: each is read right, or left unsure with a reason, never enforced wrong.

Every family has the issue's example and several cases of our own.  ``read``
gives (source span, English or None, reason when unsure).
"""

import pytest

from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency

FINDER = NumberFinder()


def read(text, lead=""):
    return [(c.source, c.target) for c in FINDER.constraints(text, lead)]


def unsure(text, lead=""):
    return [(c.source, c.unsure) for c in FINDER.constraints(text, lead) if not c.enforced]


@pytest.mark.parametrize("text,expected", [
    ("專案總經費約3至5千萬元", [("約3至5千萬元", "about NT$30 million to NT$50 million")]),  # the row
    ("預算2至3百億元", [("2至3百億元", "NT$20 billion to NT$30 billion")]),
    ("募資1至2千萬美元", [("1至2千萬美元", "US$10 million to US$20 million")]),
    ("預計吸引10至20萬人", [("10至20萬人", "100,000 to 200,000 people")]),
    ("投資1.5至2千億元", [("1.5至2千億元", "NT$150 billion to NT$200 billion")]),
    ("2千至3千萬元", [("2千至3千萬元", "NT$20 million to NT$30 million")]),  # 2千 lacks only 萬
    ("3萬至5億元", [("3萬至5億元", "NT$30,000 to NT$500 million")]),  # each end its own scale
    ("5000萬至1億元", [("5000萬至1億元", "NT$50 million to NT$100 million")]),
])
def test_a_range_shares_the_scale_of_its_high_end(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("該案金額3千多萬元", [("3千多萬元", "more than NT$30 million")]),  # the rows
    ("補助3百餘億元", [("3百餘億元", "more than NT$30 billion")]),
    ("募得20多億美元", [("20多億美元", "more than US$2 billion")]),
    ("吸引十多萬人前來", [("十多萬人", "more than 100,000 people")]),
    ("交易額1千多億", [("1千多億", "more than 100 billion")]),
    ("湧入5萬多人", [("5萬多人", "more than 50,000 people")]),
    ("約3千多萬元", [("約3千多萬元", "NT$30 million")]),  # "about" and "more than" at once: the bare figure
])
def test_more_than_before_the_scale_applies_the_scale(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("離岸風電500兆瓦", [("500兆瓦", "500 MW")]),  # the rows
    ("頻段3500兆赫", [("3500兆赫", "3,500 MHz")]),
    ("記憶體64兆位元組", [("64兆位元組", "64 MB")]),
    ("每美元0.36千克", [("0.36千克", "0.36 kg")]),
    ("裝置容量1.2萬千瓦", [("1.2萬千瓦", "12,000 kW")]),
    ("時脈2.4吉赫", [("2.4吉赫", "2.4 GHz")]),
    ("跑了3千米", [("3千米", "3 km")]),
    ("規劃300至500兆瓦", [("300至500兆瓦", "300 MW to 500 MW")]),
    ("年發電量約50億千瓦時", [("約50億千瓦時", "about 5 billion kWh")]),
    ("市值1兆元", [("1兆元", "NT$1 trillion")]),  # 兆 before money is still a trillion
    ("湧入5千人", [("5千人", "5,000 people")]),  # 千 before a counter is still a thousand
    ("電源供應器千瓦以上", []),  # a unit with no number
])
def test_a_metric_prefix_before_a_unit_is_not_a_scale(text, expected):
    assert read(text) == expected


def test_a_unit_is_also_accepted_spelled_out():
    [c] = FINDER.constraints("離岸風電500兆瓦")
    assert {"500MW", "500 megawatts", "500-megawatt"} <= set(c.variants)
    assert (c.value, c.unit) == ("500", "MW")


@pytest.mark.parametrize("text,expected", [
    ("台積電5/10的記者會", [("5/10", "May 10")]),  # the row
    ("鴻海3/14的法說會", [("3/14", "March 14")]),
    ("日期為3/4", [("3/4", "March 4")]),
    ("5/10召開董事會", [("5/10", "May 10")]),
    ("持有1/3的股份", [("1/3", "one third")]),  # 的 before a share: a fraction
    ("約占1/4", [("約占1/4", "about one quarter")]),
])
def test_a_slash_is_a_date_where_the_sentence_says_so(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text", ["5/10的時候", "約占2/4", "那天是3/6"])
def test_a_slash_not_in_lowest_terms_is_never_a_fraction(text):
    [c] = FINDER.constraints(text)
    assert c.target is None or c.value.startswith("--"), (c.target, c.value)
    assert "tenth" not in str(c.target) and "quarter" not in str(c.target)


@pytest.mark.parametrize("text,expected", [
    ("被告須負7成賠償責任", [("7成", "70%")]),  # the row: 負 is "bear"
    ("兩家公司各負5成責任", [("5成", "50%")]),
    ("應負3成連帶賠償", [("3成", "30%")]),
    ("EPS為負0.5元", [("負0.5元", "-NT$0.5")]),
    ("年增率負3%", [("負3%", "-3%")]),
    ("由正轉負1.2%", [("負1.2%", "-1.2%")]),
    ("民調誤差正負3%", [("正負3%", "±3%")]),  # the row
    ("誤差±2.5%", [("±2.5%", "±2.5%")]),
    ("抽樣誤差正負2.8個百分點", []),  # points are not enforced at all, signed or not
])
def test_fu_is_a_sign_or_the_verb_bear(text, expected):
    assert [(s, t) for s, t in read(text) if t] == expected


@pytest.mark.parametrize("text", ["他負3成", "公司將負2成"])
def test_fu_that_could_be_either_is_unsure(text):
    [(source, reason)] = unsure(text)
    assert "負" in reason and "bear" in reason


@pytest.mark.parametrize("text", ["一成不變", "他的作風一成不變", "二元對立", "陷入二元對立的思維", "在市場上千萬不要追高",
                                  "千萬別忘了", "千方百計", "十全十美", "一五一十地說", "一元化管理"])
def test_idioms_are_words(text):
    assert read(text) == []


@pytest.mark.parametrize("text", ["他八成沒看過", "她八成是忘了", "這九成會延期", "你八成猜錯了", "聯準會9月八成降息",
                                  "這筆交易八成談不成", "颱風八成直撲台灣", "這個案子九成九過不了"])
def test_eight_tenths_as_probably_is_not_enforced(text):
    assert all(not c.enforced for c in FINDER.constraints(text))


@pytest.mark.parametrize("text,expected", [
    ("營收八成來自海外", [("八成", "80%")]),  # a share of a whole named before it
    ("營收八成以上來自海外", [("八成以上", "more than 80%")]),
    ("持股8成", [("8成", "80%")]),
    ("市場有八成的業者看好", [("八成", "80%")]),
])
def test_eight_tenths_as_a_share_is_read(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("營收增加一倍", [("增加一倍", "doubled")]),  # the rows
    ("交易量急增2.3倍", [("2.3倍", "230%")]),
    ("獲利成長了一倍", [("成長了一倍", "doubled")]),
    ("訂單翻一倍", [("翻一倍", "doubled")]),
    ("出貨量增加逾2倍", [("逾2倍", "more than 200%")]),
    ("產能成長3至5倍", [("3至5倍", "300% to 500%")]),
    ("營收是去年的2.5倍", [("2.5倍", "2.5 times")]),  # 是: times
    ("營收增加到3倍", [("3倍", "3 times")]),  # 增加到: to, not by
])
def test_times_after_a_verb_of_increase_is_an_increase_by(text, expected):
    assert read(text) == expected


# 高出兩倍: FLORES-200 devtest line 588, whose reference keeps the ambiguity ("two times more likely")
@pytest.mark.parametrize("text", ["營收減少一倍", "營收翻了兩倍", "速度提升百倍", "營收可增加10倍", "是去年的一倍",
                                  "機率比男性高出兩倍", "價格高出3倍"])
def test_times_without_a_sure_reading_is_unsure(text):
    [c] = FINDER.constraints(text)
    assert not c.enforced and c.unsure


@pytest.mark.parametrize("text,expected", [
    ("人民銀行增加2,000億元人民幣再貸款額度", [("2,000億元人民幣", "RMB200 billion")]),  # the row
    ("股價480元港幣", [("480元港幣", "HK$480")]),
    ("售價100元美金", [("100元美金", "US$100")]),
    ("發行人民幣5000億元債券", [("人民幣5000億元", "RMB500 billion")]),
    ("港幣480元", [("港幣480元", "HK$480")]),
    ("新台幣3億元", [("新台幣3億元", "NT$300 million")]),
])
def test_a_currency_written_after_yuan_or_before_the_amount_is_that_currency(text, expected):
    assert read(text) == expected


def test_rmb_is_also_accepted_as_cny_or_yuan():
    [c] = FINDER.constraints("2,000億元人民幣")
    assert {"CNY200 billion", "200 billion yuan"} <= set(c.variants)


@pytest.mark.parametrize("text,where", [
    ("中國財政部發行5000億元特別國債", "the mainland"),  # the rows
    ("港股今天上漲，騰訊收報480元", "Hong Kong"),
    ("大陸央行釋出1兆元流動性", "the mainland"),
    ("北京市政府補助30億元", "the mainland"),
    ("恒指成分股平均股價200元", "Hong Kong"),
])
def test_bare_yuan_about_the_mainland_or_hong_kong_is_unsure(text, where):
    [c] = FINDER.constraints(text)
    assert not c.enforced and where in c.unsure


def test_the_articles_lead_sets_the_place_of_bare_yuan():
    text = "該公司股價收報480元。"
    assert read(text) == [("480元", "NT$480")]
    [c] = FINDER.constraints(text, lead="香港交易所今日…")
    assert not c.enforced and "the article is about Hong Kong" in c.unsure


def test_a_hong_kong_default_currency_keeps_hong_kong_yuan():
    hk = NumberFinder(with_default_currency(DEFAULT_TABLES, "HK$"))
    assert [c.target for c in hk.constraints("港股騰訊收報480元")] == ["HK$480"]
    assert [c.target for c in hk.constraints("中國財政部發行5000億元")] == [None]
    assert [c.target for c in hk.constraints("比亞迪收報300元")] == [None]  # listed in Shenzhen and Hong Kong


@pytest.mark.parametrize("text,expected", [
    ("毛利率年減（–1.8%）", [("–1.8%", "-1.8%")]),  # the row: en dash
    ("年減（−2.1%）", [("−2.1%", "-2.1%")]),  # U+2212
    ("營益率﹣0.5%", [("﹣0.5%", "-0.5%")]),  # U+FE63
    ("季減：‒3.2%", [("‒3.2%", "-3.2%")]),  # U+2012
    ("年增3–5%", [("3–5%", "3% to 5%")]),  # after a digit the dash joins a range
])
def test_dashes_as_minus(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("比率為109.3%至111.0%", [("109.3%至111.0%", "109.3% to 111.0%")]),  # HKMA-style ratio range
    ("比率為111.0%", [("111.0%", "111.0%")]),
    ("利率3.50%", [("3.50%", "3.50%")]),
    ("匯率約7.80港元", [("約7.80港元", "about HK$7.80")]),
])
def test_figures_keep_the_precision_they_were_written_with(text, expected):
    assert read(text) == expected


def test_two_equal_figures_are_two_requirements():
    from pipeline.translate.prepare import required_targets

    constraints = FINDER.constraints("營收成長7成，外銷也成長7成")
    assert [c.target for c in constraints] == ["70%", "70%"]
    assert len(required_targets(constraints)) == 2
