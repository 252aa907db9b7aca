"""Taiwan news metadata lines: bylines, datelines, photo credits, dates.

One table of named rules.  A rule matches a WHOLE line (``whole``) or the head
of a line whose rest is article text (``prefix``: CNA and Liberty Times put the
dateline in front of the first paragraph).  A rule needs its whole pattern, not
one word: ``記者會上氣氛熱烈。`` and ``記者：台積電會漲價嗎？`` are body text.

Each rule carries a real example line (tests/ingest/test_metadata.py asserts
every example matches its rule and says where it comes from).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date as Date

# A person's name as bylines write it: 2-4 Han characters (or a short Latin
# name), several joined by 、 or spaces.  Narrow on purpose: a looser name lets
# ordinary sentences ("記者會上氣氛熱烈") pass for bylines.
_HAN_NAME = r"[\u4e00-\u9fff]{2,4}"
_NAME = rf"(?:{_HAN_NAME}|[A-Z][A-Za-z.\-]+(?: [A-Z][A-Za-z.\-]+){{0,3}})"
_NAMES = rf"{_NAME}(?:\s*[、,，]\s*{_NAME})*"
# Common Taiwanese surnames: where a label and a name are joined by a bare space
# ("記者 王小明"), only a surname tells a name from a word ("文字 說明").
_SURNAMES = ("陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋"
             "鄧杜傅侯曹薛丁卓阮馬董温溫唐藍石蔣古紀姚連馮歐程湯田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳凃邵錢伍倪于譚駱熊任甘秦"
             "顧毛章史官萬俞雷粘饒")
_SURNAMED = rf"(?:[{_SURNAMES}][\u4e00-\u9fff]{{1,3}}|[A-Z][A-Za-z.\-]+(?: [A-Z][A-Za-z.\-]+){{0,3}})"
_PLACE = r"[\u4e00-\u9fff]{2,6}"
_SEP = r"\s*[／/｜|]\s*"
_YMD = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_TIME = r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_OUTLET = r"(?:聯合報|經濟日報|聯合晚報|世界日報|自由時報|工商時報|中國時報|中時新聞網|旺報|鏡週刊|數位時代|商業周刊|天下雜誌|今周刊)"


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # byline, dateline, date, photo credit, source credit, editor
    pattern: re.Pattern
    example: str
    cite: str
    prefix: bool = False  # matches the head of a line; the rest is body text
    # What the line must end with for the pattern to match, searched first: a pattern
    # with two open-ended parts backtracks over a long line that lacks its ending
    # (quadratic: a 90k-character table row took a second).
    ending: re.Pattern | None = None


@dataclass
class MetaMatch:
    rule: Rule
    text: str  # the matched part of the line
    rest: str = ""  # what follows a prefix match (body text)
    author: str | None = None
    source: str | None = None
    place: str | None = None
    date: str | None = None  # ISO, when the line gives a full date
    day: int | None = None  # a dateline's day of month ("台北25日電")
    month: int | None = None
    fields: dict = field(default_factory=dict)


def _r(pattern: str) -> re.Pattern:
    return re.compile(pattern)


RULES: tuple[Rule, ...] = (
    Rule("date prefix", "date", _r(r"^\s*date\s+(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b\s*"),
         " date 2025-11-21 鴻海科技集團（2317）今（21）日舉辦", "seeds/001 line 1", prefix=True),
    Rule("date label", "date", _r(rf"^(?:Date|date|日期|發布日期|發布時間|發稿時間|更新時間|出版日期)\s*[:：]?\s*{_YMD}{_TIME}$"),
         "Date: 2025-11-21", "issue 11 (form copied from a news export)"),
    Rule("cna dateline", "dateline",
         _r(rf"^[（(]中央社(?:記者|駐\S{{1,6}}特派員|特派員)?(?P<author>{_NAMES})?(?P<place>{_PLACE}?)(?P<day>\d{{1,2}})日(?:綜合外電)?電[）)]"),
         "（中央社記者潘智義台北2日電）台北股市今天以平高盤開出，上半場維持漲勢",
         "CNA dateline quoted in public GitHub code (code search: 中央社記者潘智義)", prefix=True),
    Rule("ltn bracket byline", "byline", _r(rf"^〔(?:記者|特派記者|編譯)\s*(?P<author>{_NAMES}){_SEP}(?P<place>{_PLACE}?)(?:即時)?報導〕"),
         "〔記者方韋傑／台北報導〕緬甸週五（28日）中午發生劇烈強震，引發嚴重災情",
         "Liberty Times (自由時報) line quoted in public GitHub code (code search: 〔記者方韋傑)", prefix=True),
    Rule("bracket reporter byline", "byline",
         _r(rf"^【\s*(?:(?P<source>{_OUTLET})\s*)?(?:記者|撰文|文|作者)\s*[／/：:]?\s*(?P<author>{_NAMES})(?:{_SEP}(?P<place>{_PLACE}?)(?:即時)?報導)?\s*】"),
         "【經濟日報 記者韓化宇／台北報導 】", "UDN/經濟日報 page markup quoted in public GitHub code", prefix=True),
    Rule("bracket agency byline", "byline", _r(rf"^【(?P<source>財訊快報|時報資訊|精實新聞|鉅亨網)\s*(?P<author>{_HAN_NAME})】"),
         "【財訊快報陳孟朔】", "extractnet tests/test_name_crf.py (GitHub, an author-extraction test set)", prefix=True),
    Rule("udn header", "byline",
         _r(rf"^(?:{_YMD}{_TIME}\s+)?(?P<source>{_OUTLET})\s*[／/]?\s*(?:記者|特約記者|編譯)\s*(?P<author>{_NAMES}){_SEP}(?P<place>{_PLACE}?)(?:即時|電話)?報導$"),
         "2025-11-25 14:30 經濟日報 記者王小明／台北即時報導",
         "issue 11; UDN form '經濟日報 記者林勁傑／台北即時報導' quoted in public GitHub code"),
    Rule("reporter byline", "byline",
         _r(rf"^(?:記者|特派記者|實習記者)(?!會)\s*(?P<author>{_NAMES})(?:{_SEP}(?P<place>{_PLACE}?)(?:即時|電話)?報導|\s*攝影?)?$"),
         "記者戴玉翔／台北即時報導", "UDN byline quoted in public GitHub code (code search: 經濟日報 記者)"),
    Rule("paren place byline", "byline", _r(rf"^[（(](?P<author>{_NAMES}){_SEP}(?P<place>{_PLACE}?)報導[）)]"),
         "（林媛玲／台北報導）", "工商時報/中時 form; extractnet tests/test_name_crf.py (GitHub)", prefix=True),
    Rule("name place byline", "byline", _r(rf"^(?P<author>{_NAMES}){_SEP}(?P<place>{_PLACE}?)(?:即時)?報導$"),
         "林媛玲／台北報導", "工商時報/中時 form without brackets (extractnet tests/test_name_crf.py)"),
    Rule("outlet names byline", "byline", _r(rf"^(?P<source>工商時報|中國時報|旺報|中時新聞網)\s+(?P<author>{_HAN_NAME}(?:\s+{_HAN_NAME}){{0,3}})$"),
         "工商時報 鄭妤安 呂欣芷", "工商時報 byline quoted in public GitHub code (code search: 經濟日報 記者)"),
    Rule("labelled author", "byline",
         _r(rf"^(?:文|撰文|撰文者|作者|記者|整理|採訪|文字)(?:\s*[．.：:・·／/｜|]\s*(?P<author>{_NAMES}|[^\s，。！？；：:]{{2,20}}?)"
            rf"|\s+(?P<author_ws>{_SURNAMED}))\s*$"),
         "文．劉煥彥", "seeds/000 line 1; also 文：George Kuo (seeds/002), 撰文者：吳元熙 (數位時代/商周 form)"),
    Rule("bracket labelled author", "byline", _r(r"^【\s*(?:撰文|文|記者|作者)\s*[／/：:]\s*(?P<author>[^】]+?)\s*】$"),
         "【文／本刊編輯部】", "the free-form fallback for bracketed credits (a desk, not a person's name)"),
    Rule("technews header", "byline",
         _r(rf"^作者\s+(?P<author>\S+?)\s*[|｜]\s*發布日期\s*{_YMD}{_TIME}(?:\s*[|｜]\s*分類.*)?$"),
         "作者 中央社 | 發布日期 2025 年 11 月 25 日 14:30 | 分類 半導體", "TechNews 科技新報 article header form"),
    Rule("ithome header", "byline", _r(rf"^文\s*[/／]\s*(?P<author>{_NAMES})\s*[|｜]\s*{_YMD}\s*發表$"),
         "文/陳曉莉 | 2025-11-25發表", "iThome article header form"),
    Rule("iknow header", "byline",
         _r(rf"^(?P<source>.+?)\s+[-–—]\s+(?P<author>\S.*?)\s+(?:發表於|发表于)\s*{_YMD}$"),
         "科技產業資訊室(iKnow) - 劉佩真 發表於 2025年12月2日", "seeds/003 line 8",
         ending=_r(rf"(?:發表於|发表于)\s*{_YMD}$")),
    Rule("mirror credit", "byline", _r(rf"^(?:文|撰文|攝影|影音|編輯)\s*｜\s*(?P<author>{_NAMES})(?:\s+(?:攝影|編輯)\s*｜\s*{_NAMES})*$"),
         "文｜王小明 攝影｜李大華", "鏡週刊 credit form"),
    Rule("photo credit", "photo credit",
         _r(r"^[（(]?\s*(?:圖|圖片|照片|圖文|攝影|圖／文|影片)\s*[／/：:｜]\s*(?P<credit>[^，。！？；]{1,30}?)\s*[）)]?$"),
         "圖／路透社", "issue 11 (the usual Taiwan photo credit)"),
    Rule("cn date", "date", _r(rf"^{_YMD}(?:\s*[（(]?(?:星期|週|周)[一二三四五六日天][）)]?)?{_TIME}$"),
         "2025年11月25日", "issue 11"),
    Rule("source credit", "source credit",
         _r(r"^[（(]?\s*本文(?:經|经)?(?:授權|授权|轉載|转载)?(?:自|於|来自|來自)\s*(?P<source>[^）)。]{1,30}?)\s*(?:授權轉載|轉載)?[）)。]?\s*$"),
         "本文授權自今周刊", "seeds/000 line 55"),
    Rule("cna editor", "editor", _r(r"^[（(]\s*(?:責任)?編輯\s*[：:]\s*(?P<author>[^）)]{2,20})[）)]\s*\d{0,8}$"),
         "（編輯：張均懋）1141125", "CNA closing editor line (form)"),
)

RULE_BY_NAME = {r.name: r for r in RULES}


def match_line(line: str) -> MetaMatch | None:
    """The first rule that matches ``line`` (whole, or its head for prefix rules)."""
    s = line.strip()
    for rule in RULES:
        if rule.ending is not None and not rule.ending.search(s):
            continue
        m = rule.pattern.match(line if rule.name == "date prefix" else s)
        if not m:
            continue
        if rule.prefix:
            rest = (line if rule.name == "date prefix" else s)[m.end():]
            if rule.name == "date prefix" or rest.strip() or _whole(m, s):
                return _build(rule, m, rest)
            continue
        if m.end() == len(s):
            return _build(rule, m, "")
    return None


def _whole(m: re.Match, s: str) -> bool:
    return m.end() == len(s)


def _build(rule: Rule, m: re.Match, rest: str) -> MetaMatch:
    g = {k: v for k, v in m.groupdict().items() if v}
    author = g.get("author") or g.get("author_ws") or ""  # author_ws: a name after a bare space ("記者 王小明")
    out = MetaMatch(rule, m.group(0).strip(), rest, author=author.strip() or None,
                    source=g.get("source"), place=g.get("place"), fields=g)
    if {"y", "m", "d"} <= g.keys():
        out.date = _iso(int(g["y"]), int(g["m"]), int(g["d"]))
    if "day" in g:
        out.day = int(g["day"])
    if rule.name == "cna dateline":
        out.author, out.place = _split_name_place(out.author or "", out.place or "")
    return out


# Dateline places, longest first: "王小明舊金山" is 王小明 in 舊金山, not 王小明舊 in 金山.
_PLACES = sorted("台北 臺北 新北 桃園 新竹 苗栗 台中 臺中 彰化 南投 雲林 嘉義 台南 臺南 高雄 屏東 宜蘭 花蓮 台東 臺東 "
                 "基隆 澎湖 金門 馬祖 東京 大阪 首爾 北京 上海 深圳 香港 澳門 新加坡 曼谷 河內 雅加達 吉隆坡 馬尼拉 新德里 "
                 "華盛頓 紐約 舊金山 洛杉磯 芝加哥 休士頓 多倫多 溫哥華 倫敦 巴黎 柏林 布魯塞爾 日內瓦 莫斯科 雪梨 墨爾本".split(),
                 key=len, reverse=True)


def _split_name_place(author: str, place: str) -> tuple[str | None, str | None]:
    joined = author + place
    for known in _PLACES:
        if joined.endswith(known) and len(joined) - len(known) != 1:
            return joined[: -len(known)] or None, known
    return author or None, place or None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return Date(y, m, d).isoformat()
    except ValueError:
        return None  # 2025年13月40日 is not a date; the line stays metadata, date unknown


# ---------------------------------------------------------------- date inference

_DAY_DATELINE = re.compile(r"(?:[\u4e00-\u9fff]{2,6}|今|昨)[（(]?(?P<day>\d{1,2})日[）)]?電")
_WEEKDAY_MD = re.compile(r"(?:星期|週|周)[一二三四五六日天]\s*[（(](?P<m>\d{1,2})/(?P<d>\d{1,2})[）)]")


def dateline_hint(text: str) -> tuple[int | None, int]:
    """(month or None, day) a dateline in ``text`` gives (``台北25日電``, ``周五（11/21）``), or raise LookupError."""
    if m := _WEEKDAY_MD.search(text):
        return int(m.group("m")), int(m.group("d"))
    if m := _DAY_DATELINE.search(text):
        return None, int(m.group("day"))
    raise LookupError(text)


def infer_date(month: int | None, day: int, reference: Date) -> str | None:
    """The latest date on or before ``reference`` with that day (and month): news is dated before it is read."""
    y, m = reference.year, reference.month
    for _ in range(14):
        if month is None or m == month:
            if day <= calendar.monthrange(y, m)[1] and Date(y, m, day) <= reference:
                return Date(y, m, day).isoformat()
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return None
