"""The Taiwan news metadata rules: each rule's own example, each outlet's real line, and date inference.

Real lines are cited where they come from: the seeds (seeds/NNN line N), or
outlet lines quoted in public GitHub code found with the code search (the quoted
text is the outlet's; the repository only quoted it).
"""

from datetime import date

import pytest

from pipeline.ingest.metadata import RULES, dateline_hint, infer_date, match_line


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_matches_its_cited_example(rule):
    assert rule.example and rule.cite
    m = match_line(rule.example)
    assert m is not None and m.rule.name == rule.name
    assert m.text.strip() and (rule.prefix or not m.rest)


# (outlet, real line, expected fields, where the line comes from)
OUTLETS = [
    ("中央社 CNA", "（中央社記者潘智義台北2日電）台北股市今天以平高盤開出，上半場維持漲勢",
     {"rule": "cna dateline", "author": "潘智義", "place": "台北", "day": 2},
     "CNA wire copy quoted in public GitHub code (code search '中央社記者潘智義')"),
    ("中央社 CNA, two reporters", "（中央社記者郭建伸、王揚宇台北10日電）立法院全院委員會今天審查大法官人事同意權",
     {"rule": "cna dateline", "author": "郭建伸、王揚宇", "place": "台北", "day": 10},
     "CNA wire copy quoted in public GitHub code (code search '（中央社記者')"),
    ("自由時報", "〔記者方韋傑／台北報導〕緬甸週五（28日）中午發生劇烈強震，引發嚴重災情",
     {"rule": "ltn bracket byline", "author": "方韋傑", "place": "台北"},
     "Liberty Times article quoted in public GitHub code (code search '〔記者')"),
    ("自由時報", "〔記者陳彥廷／屏東報導〕傳統的水果行整把香蕉50元左右",
     {"rule": "ltn bracket byline", "author": "陳彥廷", "place": "屏東"},
     "Liberty Times article quoted in public GitHub code (code search '〔記者')"),
    ("經濟日報 (UDN)", "經濟日報 記者林勁傑／台北即時報導",
     {"rule": "udn header", "author": "林勁傑", "source": "經濟日報", "place": "台北"},
     "UDN byline quoted in public GitHub code (code search '經濟日報 記者')"),
    ("聯合報 (UDN)", "2023-12-23 14:11 聯合報／ 記者陳雅玲／雲林即時報導",
     {"rule": "udn header", "author": "陳雅玲", "source": "聯合報", "date": "2023-12-23"},
     "UDN page header quoted (with its line breaks) in public GitHub code (code search '即時報導')"),
    ("聯合報 (UDN)", "聯合報 / 記者潘乃欣／台北即時報導",
     {"rule": "udn header", "author": "潘乃欣", "source": "聯合報"},
     "extractnet tests/test_name_crf.py (GitHub), an author-extraction test set"),
    ("經濟日報 (UDN)", "【經濟日報 記者韓化宇／台北報導 】",
     {"rule": "bracket reporter byline", "author": "韓化宇", "source": "經濟日報"},
     "UDN page markup quoted in public GitHub code (code search '經濟日報 記者')"),
    ("工商時報", "工商時報 鄭妤安 呂欣芷",
     {"rule": "outlet names byline", "source": "工商時報", "author": "鄭妤安 呂欣芷"},
     "工商時報 byline quoted in public GitHub code (code search '經濟日報 記者')"),
    ("中時/工商時報", "（林媛玲／台北報導）",
     {"rule": "paren place byline", "author": "林媛玲", "place": "台北"},
     "extractnet tests/test_name_crf.py (GitHub)"),
    ("財訊快報", "【財訊快報陳孟朔】", {"rule": "bracket agency byline", "author": "陳孟朔", "source": "財訊快報"},
     "extractnet tests/test_name_crf.py (GitHub)"),
    ("數位時代/商周 (撰文)", "撰文／莊正賢", {"rule": "labelled author", "author": "莊正賢"},
     "extractnet tests/test_name_crf.py (GitHub)"),
    ("今周刊 (seed)", "文．劉煥彥", {"rule": "labelled author", "author": "劉煥彥"}, "seeds/000 line 1"),
    ("seed 002", "文：George Kuo", {"rule": "labelled author", "author": "George Kuo"}, "seeds/002 line 1"),
    ("seed 004", "【撰文／張維君】", {"rule": "bracket reporter byline", "author": "張維君"}, "seeds/004 line 1"),
    ("科技產業資訊室 (seed)", "科技產業資訊室(iKnow) - 劉佩真 發表於 2025年12月2日",
     {"rule": "iknow header", "author": "劉佩真", "source": "科技產業資訊室(iKnow)", "date": "2025-12-02"}, "seeds/003 line 8"),
    ("今周刊 (seed)", "本文授權自今周刊", {"rule": "source credit", "source": "今周刊"}, "seeds/000 line 55"),
    ("TechNews 科技新報", "作者 中央社 | 發布日期 2025 年 11 月 25 日 14:30 | 分類 半導體",
     {"rule": "technews header", "author": "中央社", "date": "2025-11-25"}, "TechNews article header (form)"),
    ("iThome", "文/陳曉莉 | 2025-11-25發表", {"rule": "ithome header", "author": "陳曉莉", "date": "2025-11-25"},
     "iThome article header (form)"),
    ("鏡週刊", "文｜王小明 攝影｜李大華", {"rule": "mirror credit", "author": "王小明"}, "鏡週刊 credits (form)"),
]


@pytest.mark.parametrize("outlet,line,expected,cite", OUTLETS, ids=[o[0] + ":" + o[1][:12] for o in OUTLETS])
def test_outlet_lines(outlet, line, expected, cite):
    m = match_line(line)
    assert m is not None, f"{outlet}: {line} ({cite})"
    got = {"rule": m.rule.name, "author": m.author, "source": m.source, "place": m.place, "date": m.date, "day": m.day}
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize(
    "line",
    [
        "記者會上氣氛熱烈。",
        "記者：台積電會漲價嗎？",
        "記者會現場",
        "文化部今天宣布補助計畫。",
        "作者認為，AI將改變產業。",
        "圖為台積電竹科晶圓廠。",
        "台積電今天宣布在高雄擴建新廠。",
        "2025年營收將成長三成。",
        "文字 說明",
        "作者 認為台積電股價偏低",
    ],
)
def test_ordinary_sentences_match_no_rule(line):
    assert match_line(line) is None


def test_a_name_after_a_bare_space():
    assert match_line("記者 王小明").author == "王小明"


def test_photo_credits():
    for line in ("圖／路透社", "（圖／取自網路）", "照片：中央社", "圖文／王小明"):
        assert match_line(line).rule.kind == "photo credit", line


def test_dateline_hints():
    assert dateline_hint("（中央社記者王小明台北25日電）") == (None, 25)
    assert dateline_hint("鴻海周五（11/21）舉辦科技日") == (11, 21)
    with pytest.raises(LookupError):
        dateline_hint("台積電今天宣布擴產。")


def test_inferred_dates_are_on_or_before_the_reference():
    assert infer_date(None, 25, date(2025, 11, 28)) == "2025-11-25"
    assert infer_date(None, 30, date(2025, 12, 2)) == "2025-11-30"  # the 30th before 2 December
    assert infer_date(None, 31, date(2025, 3, 5)) == "2025-01-31"  # February has no 31st
    assert infer_date(11, 21, date(2026, 1, 12)) == "2025-11-21"
    assert infer_date(None, 5, date(2025, 11, 5)) == "2025-11-05"


def test_a_long_line_is_matched_in_linear_time():
    """A 100k-character table row full of ' - ' is no byline, and deciding so takes no backtracking (issue 19)."""
    import time

    from pipeline.ingest.metadata import match_line

    for row in ("| 公司 | 台積電營收成長 | - |", "a - b - c ", "科技產業資訊室 - 劉佩真 "):
        line = row * (100_000 // len(row))
        start = time.perf_counter()
        assert match_line(line) is None
        assert time.perf_counter() - start < 0.5, row
    tail = "科技產業資訊室(iKnow) - 劉佩真 - 王小明" * 2000 + " 發表於 2025年12月2日"
    m = match_line(tail)  # the ending present: the rule still reads it, the same way
    assert m is not None and m.rule.name == "iknow header" and m.source == "科技產業資訊室(iKnow)" and m.date == "2025-12-02"
