"""The editable part of figure reading: what each word means and how it is written in English.

An editor extends a table here (a currency, a counter, a qualifier, a word
that merely contains a numeral or a qualifier), never the parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Currency:
    prefix: str = ""  # "US$"
    suffix: str = ""  # " yen"
    # Other (prefix, suffix) spellings a journalist uses for the same money, accepted
    # when the model writes them: RMB200 billion is also CNY200 billion or 200 billion yuan.
    others: tuple[tuple[str, str], ...] = ()

    @property
    def unit(self) -> str:
        """The short name a figure's ``unit`` carries (US$, NT$, yen)."""
        return (self.prefix or self.suffix).strip()


@dataclass(frozen=True)
class Unit:
    """A unit of measurement written after a figure (瓦 watt): its symbol and its name."""

    symbol: str  # "W"
    name: str  # "watt"
    # the name is the English to write when the symbol is ambiguous (b: bit or byte?)
    symbol_first: bool = True
    # the value is written in this multiple of the unit (畫素 counts pixels; English
    # counts megapixels: 5000萬畫素 is 50 MP), with that multiple's symbol and name
    per: int = 1
    # only after a scale word (萬, 億): 1.2億度 is kWh, 30度 degrees
    scaled_only: bool = False


@dataclass(frozen=True)
class UnitPrefix:
    """A metric prefix written in Chinese before a unit: 兆 is mega in 兆瓦, not 10^12."""

    symbol: str  # "M"
    name: str  # "mega"
    power: int  # 6


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RMB = Currency("RMB", others=(("CNY", ""), ("CNY ", ""), ("", " yuan")))


@dataclass(frozen=True)
class NumberTables:
    magnitudes: Mapping[str, int] = field(default_factory=lambda: {
        "萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12})
    currencies: Mapping[str, Currency] = field(default_factory=lambda: {
        "美元": Currency("US$"), "美金": Currency("US$"),
        "新台幣": Currency("NT$"), "新臺幣": Currency("NT$"), "台幣": Currency("NT$"), "臺幣": Currency("NT$"),
        "日圓": Currency(suffix=" yen"), "日元": Currency(suffix=" yen"), "日幣": Currency(suffix=" yen"),
        "人民幣": _RMB, "人民币": _RMB,
        "歐元": Currency("€"), "港幣": Currency("HK$"), "港元": Currency("HK$"), "韓元": Currency(suffix=" won"),
        "澳門元": Currency("MOP"), "澳門幣": Currency("MOP"), "澳幣": Currency("A$"), "澳元": Currency("A$"),
        "新加坡元": Currency("S$"), "新加坡幣": Currency("S$"), "星幣": Currency("S$"), "英鎊": Currency("£"),
        "韓圓": Currency(suffix=" won"), "盧布": Currency(suffix=" rubles"), "泰銖": Currency(suffix=" baht"),
        "加幣": Currency("C$"), "加元": Currency("C$"), "瑞郎": Currency("CHF"), "越南盾": Currency(suffix=" dong"),
        "印度盧比": Currency(suffix=" rupees"), "盧比": Currency(suffix=" rupees"), "馬幣": Currency(suffix=" ringgit"),
        "令吉": Currency(suffix=" ringgit"), "紐幣": Currency("NZ$"), "紐元": Currency("NZ$"),
        "披索": Currency(suffix=" pesos"), "印尼盾": Currency(suffix=" rupiah"),
    })
    # Bare 元 (圓 on cheques) in a Taiwan article is New Taiwan dollars (``--default-currency``).
    default_currency: Currency = Currency("NT$")
    default_currency_words: tuple[str, ...] = ("元", "圓", "圆")
    # Counters written after the figure ("7,000 people"); "" keeps the figure alone.  名 and 位
    # are measure words: the noun follows (數十名遊客, "dozens of visitors"), so they add no English.
    counters: Mapping[str, str] = field(default_factory=lambda: {
        "人": "people", "名": "", "位": "", "片": "", "點": "", "台": "", "家": "", "張": "", "檔": "", "戶": ""})
    # measure words a count may end with (10萬多戶, 3千多件): after 多 they keep it "more than"
    measure_words: str = "戶件筆座間棟輛台部艘架支條枚顆粒頭隻種項款份次個股張"
    prefix_qualifiers: Mapping[str, str] = field(default_factory=lambda: {
        "超過": "more than", "超逾": "more than", "逾": "more than", "多達": "as many as", "高達": "as much as",
        "將近": "nearly", "接近": "nearly", "近": "nearly", "大約": "about", "約": "about", "約莫": "about",
        "大概": "about", "約合": "about", "不到": "less than", "不足": "less than", "少於": "less than",
        "低於": "less than", "未滿": "less than", "未達": "less than", "至少": "at least", "最少": "at least",
        "最多": "up to", "不超過": "no more than",
    })
    # 約 reaches over one verb to its figure: 約占3成, 約有12萬3千人, 約排放2.3千克
    gap_qualifiers: frozenset[str] = field(default_factory=lambda: _words("約 大約 約莫 大概 至少 最少 最多"))
    # Qualifiers that read so only before a round Chinese amount: 上千億 is
    # "more than 100 billion", but 市場上10萬片 is a preposition.
    round_qualifiers: Mapping[str, str] = field(default_factory=lambda: {"上": "more than"})
    # Other English a journalist uses for the same qualifier; each also satisfies the figure.
    qualifier_variants: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {
        "more than": ("over",), "about": ("around", "approximately", "roughly"), "nearly": ("almost", "close to"),
        "as much as": ("up to", "as high as"), "as many as": ("up to",), "less than": ("under", "below"),
        "at least": ("no less than",), "up to": ("at most", "as much as", "as many as"),
        "no more than": ("not more than", "at most", "up to")})
    suffix_qualifiers: Mapping[str, str] = field(default_factory=lambda: {
        "多": "more than", "餘": "more than", "以上": "more than", "左右": "about", "上下": "about",
        "以下": "up to", "有找": "less than"})
    # A metric prefix before a unit changes what the numeral means: 500兆瓦 is 500 MW,
    # 0.36千克 is 0.36 kg.  Only prefixes that are also numerals (千, 兆, 百萬, 十億)
    # could be misread as a scale; 吉 and 太 are listed so the unit reads whole.
    unit_prefixes: Mapping[str, UnitPrefix] = field(default_factory=lambda: {
        "千": UnitPrefix("k", "kilo", 3), "兆": UnitPrefix("M", "mega", 6), "百萬": UnitPrefix("M", "mega", 6),
        "百万": UnitPrefix("M", "mega", 6), "十億": UnitPrefix("G", "giga", 9), "十亿": UnitPrefix("G", "giga", 9),
        "吉": UnitPrefix("G", "giga", 9), "吉咖": UnitPrefix("G", "giga", 9), "太": UnitPrefix("T", "tera", 12),
        "太拉": UnitPrefix("T", "tera", 12)})
    units: Mapping[str, Unit] = field(default_factory=lambda: {
        "瓦": Unit("W", "watt"), "瓦特": Unit("W", "watt"), "瓦時": Unit("Wh", "watt-hour"),
        "瓦小時": Unit("Wh", "watt-hour"), "赫": Unit("Hz", "hertz"), "赫茲": Unit("Hz", "hertz"),
        "赫兹": Unit("Hz", "hertz"), "位元組": Unit("B", "byte"), "字節": Unit("B", "byte"),
        "字节": Unit("B", "byte"), "位元": Unit("bit", "bit", symbol_first=False), "比特": Unit("bit", "bit", symbol_first=False),
        "克": Unit("g", "gram"), "公克": Unit("g", "gram"), "米": Unit("m", "metre"), "公尺": Unit("m", "metre"),
        "焦耳": Unit("J", "joule"), "焦": Unit("J", "joule"), "伏特": Unit("V", "volt"), "伏": Unit("V", "volt"),
        "安培": Unit("A", "ampere"), "卡": Unit("cal", "calorie"), "帕": Unit("Pa", "pascal")})
    # Units written without a prefix (公斤 is already kilo-): the number stays as written.
    plain_units: Mapping[str, Unit] = field(default_factory=lambda: {
        "公斤": Unit("kg", "kilogram"), "公里": Unit("km", "kilometre"), "公噸": Unit("tonnes", "tonne", False),
        "公升": Unit("litres", "litre", False), "公尺": Unit("m", "metre"), "平方公里": Unit("km²", "square kilometre"),
        "公頃": Unit("hectares", "hectare", False), "畫素": Unit("MP", "megapixel", per=10**6),
        "像素": Unit("MP", "megapixel", per=10**6), "度": Unit("kWh", "kilowatt-hour", scaled_only=True),
        "瓦": Unit("W", "watt"), "瓦時": Unit("Wh", "watt-hour")})
    # 領不到3萬元, 達不到3成: 不到 after these verbs says it could not be done, not "less than"
    complement_verbs: str = "領拿等達做買看找趕收搶吃想用借請訂招聽接打辦追要賺存省"
    # 少數千萬富豪, 台股指數千點: 數 closing a word is no "several"
    words_ending_in_several: frozenset[str] = field(default_factory=lambda: _words(
        "少數 多數 票數 指數 人數 次數 件數 家數 張數 分數 變數 倍數 係數 總數 函數 全數 半數 無數 悉數 點數 筆數 戶數 天數 "
        "中位數 位數 參數 級數 "
        "少数 多数 票数 指数 人数 总数 半数 无数"))
    # 500萬餘款, 2億餘下: 餘 beginning a word is no "more than"
    words_beginning_with_yu: frozenset[str] = field(default_factory=lambda: _words(
        "餘款 餘額 餘下 餘裕 餘地 餘波 餘震 餘溫 餘韻 餘生 餘暉 餘力 餘數 餘存 餘量 余款 余额 余下"))
    # 數十億 / 幾百萬: an indefinite amount ("several billion").
    several: frozenset[str] = field(default_factory=lambda: _words("數 幾"))
    # before these, the last digit of 5億2 begins a count of its own (5億|2年內, 3千萬|2家);
    # elsewhere it is the next place down, spoken (2萬8新高 is 28,000)
    new_count_words: str = "年月日天個家位名次種項款倍成度歲季週周期檔台部輛架棟間座條支股張"
    spoken_tail_followers: str = "元圓圆塊块多餘余的之"
    range_joiners: frozenset[str] = field(default_factory=lambda: _words("至 到 ~ ～ - – —"))
    # 2、3千億: two consecutive digits in a list are a loose range ("200 to 300 billion")
    loose_range_joiners: frozenset[str] = field(default_factory=lambda: _words("、 ,"))
    # Words that contain a qualifier, a unit or 成 without being one
    # (節約 is "save", 最近 "recently", 元素 "element", 成長 "growth").  A
    # figure's qualifier or unit counts only where none of these covers it.
    # jieba's dictionary is consulted as well (pipeline/numbers/words.py).
    not_figure_words: frozenset[str] = field(default_factory=lambda: _words(
        "節約 簽約 合約 條約 預約 契約 解約 違約 履約 公約 特約 約束 "
        "最近 附近 靠近 親近 "
        "賣超 買超 "
        "元素 元旦 元件 元首 元老 元宵 元兇 元氣 "
        "八成是 八成會 八成也 八成就 八成要 九成九是 "
        "成長 成為 成立 成功 成本 成交 成員 成果 成效 成熟 成績 成品 成就 成形 成型 成真 "
        "人次 人數 人口 人士 人員 人才 人力 人們 人工 人類 人物 "
        "名單 名稱 名義 名次 名字 名人 "
        "點數 點名 台電 台股 台灣 台積 家族 家庭 家電 張數 位置 位元 片段 檔案 檔期"))
    # A slash between two numbers is a fraction only in a proportional context
    # (約占1/3, 比例為3/4, 1/3以上), a date after or before the others (於11/21,
    # 11/21起, 5/10的記者會).  的 alone says neither: 1/3的股份 is a share,
    # 5/10的記者會 a press conference on May 10 (date_events decide).
    fraction_before: frozenset[str] = field(default_factory=lambda: _words(
        "占 佔 約 近 逾 僅 剩 超過 不到 比例為 比重為 比率為 機率為 比例 比重 比率 機率 達到 高達"))
    fraction_after: frozenset[str] = field(default_factory=lambda: _words("以上 以下 左右 強 弱"))
    date_before: frozenset[str] = field(default_factory=lambda: _words(
        "於 在 自 從 截至 即日起 每逢 日期 日期為 訂於 定於 預計 預定 將於 延至 延後至 提前至 直到 直至"))
    date_after: frozenset[str] = field(default_factory=lambda: _words(
        "（ ( 起 前 後 止 當天 當日 晚間 上午 下午 中午 凌晨 開盤 收盤 盤中 舉行 召開 公布 發布 登場 出爐 開跑 截止 生效 "
        "開幕 揭曉 上市 開賣 發表 宣布"))
    # after 的: what happens on a day, not what a share is of
    date_events: frozenset[str] = field(default_factory=lambda: _words(
        "記者會 法說會 股東會 股東常會 股東臨時會 說明會 會議 董事會 發表會 記者招待會 活動 論壇 峰會 展覽 展會 "
        "開幕 典禮 座談會 研討會 公聽會 聽證會 投票 選舉 談判 會談 會面 演講 除息 除權 交易日 行情 盤勢 "
        "收盤 開盤 比賽 決賽 颱風 地震 聲明 公告 報告 新聞稿"))
    # -- signs.  A minus is written -, −, – (often in brackets: 年減（–1.8%）), ﹣, ‒;
    # full-width － is folded to - before reading.
    minus_signs: str = "-−–‒﹣"
    # 負 is a minus sign after these (年增率負3%, EPS為負0.5元, 由正轉負1.2%) or after
    # no Chinese at all; after a modal it is the verb "bear" (須負7成賠償責任), and
    # before 責/責任 too.  Elsewhere the reader cannot tell, and says so.
    sign_before: tuple[str, ...] = (
        "為", "是", "呈", "達", "至", "到", "轉", "轉為", "降至", "跌至", "減至", "約", "僅", "仍", "率", "值", "幅", "或",
        "及", "與", "和", "、", "EPS", "每股", "虧損", "成長", "衰退", "增", "減", "年增", "年減", "季增", "季減", "月增",
        "月減", "報酬", "利率", "溫度", "氣溫", "零下", "由", "從", "介於", "在")
    bear_before: tuple[str, ...] = ("須", "需", "必須", "應", "應該", "應當", "要", "得", "願", "各", "自", "共同", "連帶", "全",
                                    "將", "會", "可", "不", "肯", "擔", "所", "才", "也", "都", "還", "亦", "恐", "仍須", "者")
    bear_after: tuple[str, ...] = ("責", "之責", "賠償", "連帶")
    plus_minus: tuple[str, ...] = ("正負", "加減", "±", "+/-", "+-")
    # -- 倍.  增加2.3倍 is an increase BY 230% (3.3 times the base): the strict reading
    # Chinese style guides give; 增加到2.3倍 / 是2.3倍 is 2.3 times.  增加一倍 doubles.
    # From ten times up (提升百倍) writers mean "N times" as often: not sure then.
    increase_verbs: tuple[str, ...] = (
        "增加", "增長", "成長", "提高", "提升", "上升", "上漲", "擴大", "暴增", "大增", "激增", "急增", "飆增", "跳增", "驟增",
        "倍增", "增", "漲", "翻", "翻了", "增加了", "增長了", "成長了", "提高了", "提升了", "上升了", "上漲了", "擴大了",
        "飆升", "攀升", "跳升", "拉升", "擴充", "擴產", "狂飆", "飆漲", "暴漲", "大漲", "噴出", "加碼", "上揚", "增產")
    # 成長達2倍, 增幅達2倍: "reaching" after a rise is by or to, not certain
    increase_nouns_reaching: tuple[str, ...] = ("增幅達", "漲幅達", "年增達", "成長達", "增長達", "增加達", "年增率達")
    # 比舊款高3倍: a comparison; like 高出, N or N+1 times
    comparison_adjectives: str = "高貴多快大強長重好低少慢便宜"
    # 高出兩倍 / 多出兩倍 compare, and English keeps their ambiguity the same way
    # ("two times higher", FLORES-200 devtest line 588): they stay "N times".
    to_verbs: tuple[str, ...] = ("增至", "增加到", "增加至", "增長到", "增長至", "成長到", "成長至", "提高到", "提高至",
                                 "提升到", "提升至", "上升到", "上升至", "擴大到", "擴大至", "升至", "漲至", "達到", "為", "是",
                                 "達", "約為", "相當於", "等於")
    # verbs that report a change, whose 至 is the level reached (股價上漲15元至1,085元)
    change_verbs: tuple[str, ...] = ("上漲", "下跌", "大跌", "大漲", "重挫", "跌", "漲", "升", "降", "增", "減", "調升", "調降",
                                     "調漲", "調高", "調低", "下修", "上修", "縮減", "擴增")
    decrease_verbs: tuple[str, ...] = ("減少", "下降", "降低", "縮小", "減", "降", "跌", "少了", "下滑", "衰退", "縮減")
    # verbs after which 一倍 reads "doubled" (高出一倍 is "100% higher": a percentage)
    doubling_verbs: tuple[str, ...] = (
        "增加", "增長", "成長", "提高", "提升", "上升", "上漲", "擴大", "暴增", "大增", "激增", "急增", "飆增", "跳增", "驟增",
        "增", "漲", "翻", "增加了", "增長了", "成長了", "提高了", "提升了", "上升了", "上漲了", "擴大了", "翻了")
    # 高出兩倍 / 多出兩倍 compare: 2 or 3 times the base, and English "two times more"
    # keeps the ambiguity (FLORES-200 devtest line 588): not sure.
    comparison_verbs: tuple[str, ...] = ("高出", "多出", "超出", "高了", "多了", "大了", "快了", "高於", "多於")
    # -- words that are figures only in form
    # Fixed expressions containing a numeral (jieba's idiom tags catch most others).
    idioms: frozenset[str] = field(default_factory=lambda: _words(
        "一成不變 一成不易 二元對立 二元論 二元化 二元性 二元結構 一元化 一元論 一元性 十全十美 一五一十 三三兩兩 "
        "千方百計 萬無一失 一石二鳥 一舉兩得 三心二意 九牛一毛 十之八九 千載難逢 一清二楚 獨一無二 七上八下 亂七八糟 "
        "千萬不要 千萬別 千萬要 千萬不可 千萬不能 萬萬不可 萬萬不能 千千萬萬 百萬富翁 千萬富翁 億萬富翁 千里迢迢 "
        "九五之尊 十萬八千里 兩兆雙星 三百六十行 一清二白 九死一生 一石兩鳥 五十步笑百步"))
    # 八成 / 九成 is also the adverb "probably" (他八成沒看過): after a pronoun or
    # before a negation or modal, a Chinese-numeral tenths is not sure.
    adverb_tenths_before: tuple[str, ...] = ("他", "她", "它", "我", "你", "您", "們", "這", "那", "誰", "大家", "人家", "應該")
    adverb_tenths_after: tuple[str, ...] = (
        "沒", "不", "是", "會", "也", "就", "要", "都", "已", "又", "還", "可能", "應該", "得", "在", "有", "能", "想", "猜",
        "以為", "覺得", "早就")
    # a share (營收八成來自海外) is of a whole named before it, or followed by these
    share_before: tuple[str, ...] = (
        "營收", "獲利", "持股", "比重", "占", "佔", "市占", "股權", "民眾", "受訪者", "消費者", "員工", "企業", "產能",
        "出貨", "訂單", "約", "近", "逾", "超過", "達", "成長", "增加", "減少", "下滑", "衰退", "增長", "上升", "下降",
        "提升", "降低", "年增", "年減", "的", "有", "高達", "只有", "僅", "不到")
    share_followers: str = "的以之左多餘為是上強弱"
    # 千萬 before these is the adverb "by all means" (千萬不要追高), not ten million
    adverb_round_after: tuple[str, ...] = ("不", "別", "要", "勿", "記", "小心", "注意", "得", "莫", "務必", "可", "得要",
                                           "留意", "謹慎", "當心", "保重", "珍惜", "把握")
    # -- where a bare 元 is not New Taiwan dollars.  A sentence (or an article whose
    # title or lead) about the mainland or Hong Kong leaves 元 unsure, unless the
    # currency is written (元人民幣, 港幣480元).
    mainland_words: tuple[str, ...] = (
        "中國大陸", "中國", "大陸", "陸方", "陸企", "陸股", "陸資", "中共", "北京", "上海", "深圳", "廣州", "天津", "重慶", "杭州",
        "南京", "武漢", "人民銀行", "人行", "國務院", "發改委", "滬", "深市", "深交所", "上交所",
        "A股", "內地", "中央匯金", "特別國債", "人大", "政協")
    hong_kong_words: tuple[str, ...] = (
        "香港", "港股", "港府", "港交所", "港島", "九龍", "新界", "恒指", "恆指", "恒生", "恆生", "金管局", "特區", "立法會",
        "港人", "港鐵", "本港", "港澳")
    # Companies whose share prices are quoted in RMB (listed on the mainland) or HK$ (in
    # Hong Kong); a company listed in both is in both lists, so its 元 stays unsure.
    mainland_companies: tuple[str, ...] = (
        "比亞迪", "中芯", "寧德時代", "中興", "茅台", "工商銀行", "建設銀行", "中國銀行", "農業銀行", "中國平安",
        "中國石油", "中石油", "中石化", "格力", "美的集團", "海爾", "五糧液", "招商銀行")
    hong_kong_companies: tuple[str, ...] = (
        "比亞迪", "中芯", "寧德時代", "中興", "工商銀行", "建設銀行", "中國銀行", "農業銀行", "中國平安", "中國石油",
        "中石油", "中石化", "美的集團", "海爾", "招商銀行", "騰訊", "阿里巴巴", "小米", "美團", "京東", "百度", "網易",
        "聯想", "長江和記", "長和", "匯豐", "友邦", "舜宇", "吉利", "蔚來", "理想汽車", "小鵬", "中國移動", "快手")
    # Companies listed abroad: their share price in 元 is their market's currency
    foreign_companies: tuple[str, ...] = (
        "輝達", "蘋果", "微軟", "特斯拉", "亞馬遜", "谷歌", "Google", "Alphabet", "Meta", "臉書", "超微", "英特爾",
        "高通", "博通", "甲骨文", "美光", "三星", "索尼", "豐田", "軟銀", "拼多多", "阿斯麥", "艾司摩爾")
    share_price_words: tuple[str, ...] = ("股價", "收盤", "收在", "收報", "每股", "目標價")
    # provinces and cities of the mainland, and people and bodies that speak for it
    mainland_places: tuple[str, ...] = (
        "江蘇", "浙江", "廣東", "山東", "河南", "河北", "湖北", "湖南", "四川", "雲南", "貴州", "陝西", "山西", "遼寧",
        "黑龍江", "安徽", "江西", "甘肅", "青海", "海南", "廣西", "內蒙古", "寧夏", "新疆", "西藏", "廈門", "蘇州", "成都",
        "東莞", "雄安", "青島", "大連", "瀋陽", "西安", "鄭州", "長沙", "合肥", "福州", "寧波", "無錫", "昆明", "溫州",
        "佛山", "珠海", "華為", "恒大", "恆大", "碧桂園", "萬科", "拼多多", "字節跳動", "長江存儲", "京東方", "大疆", "解放軍", "習近平", "李強",
        "共產黨", "中共中央")
    # Taiwan names that contain a mainland or Hong Kong word (their 元 is NT$)
    not_region_words: tuple[str, ...] = (
        "中國信託", "中國人壽", "中國鋼鐵", "中國石油化學", "中國國民黨", "中國時報", "中國文化大學", "中國醫藥大學",
        "中國科技大學", "中國生產力中心", "中國砂輪", "中國電器", "中國化學", "中國製釉", "中國人造纖維", "上海商銀",
        "上海商業儲蓄銀行", "大陸工程", "大陸建設", "中國貨櫃")
    # markets abroad whose share prices are quoted in their own currency (輝達股價 on 美股)
    foreign_market_words: tuple[str, ...] = ("美股", "那斯達克", "納斯達克", "道瓊", "費半", "標普", "紐約證交所", "華爾街",
                                             "日股", "日經", "東京證交所", "韓股", "韓國", "日本", "澳洲", "歐股", "歐洲")
    macau_words: tuple[str, ...] = ("澳門", "澳區")
    singapore_words: tuple[str, ...] = ("新加坡", "星國", "獅城")


DEFAULT_TABLES = NumberTables()


def with_default_currency(tables: NumberTables, prefix: str) -> NumberTables:
    """Tables whose bare 元 is ``prefix`` (e.g. "US$" for an article from abroad)."""
    return replace(tables, default_currency=Currency(prefix))
