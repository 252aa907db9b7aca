"""Every misfiling issue 11 lists, as a test (each failed on main before this branch).

Only ``parse_article`` and the Article fields main already had are used, so
this file can be run against main's code to show the failures.
"""

from pathlib import Path

import pytest

from pipeline.ingest.text import clean_text, parse_article

LEAD = "台積電今天舉行法人說明會，董事長魏哲家表示，今年營收將成長三成，並持續擴大先進製程投資。"
MORE = "法人預期，明年資本支出仍將維持高檔，先進封裝產能也會加倍。"


def parse(*lines: str):
    return parse_article(clean_text("\n\n".join(lines)), Path("case.txt"))


def body(article) -> list[str]:
    return [b.text for b in article.blocks]


def headings(article) -> list[str]:
    return [b.text for b in article.blocks if b.is_heading]


def test_a_line_reading_statement_does_not_turn_the_rest_into_debris():
    article = parse(LEAD, "聲明", "台積電隨後發出聲明，強調與客戶的合作不受影響。", MORE)
    assert body(article)[-2:] == ["台積電隨後發出聲明，強調與客戶的合作不受影響。", MORE]
    assert not any(d.reason == "legal notice" for d in article.debris)


def test_a_legal_notice_ends_where_the_article_resumes():
    article = parse(LEAD, "【聲明】", "1.本網站刊載此文不代表同意其說法，也不構成任何投資建議。", "2.著作權所有，非經授權不得轉載。", MORE)
    assert [d.reason for d in article.debris] == ["legal notice"] * 3
    assert body(article)[-1] == MORE


def test_popularity_in_a_sentence_is_not_a_view_counter():
    line = "這款手遊上線首日人氣100萬，遠超過市場預期。"
    article = parse(LEAD, line, MORE)
    assert line in body(article) and article.debris == []


def test_a_sentence_about_a_press_conference_is_not_a_byline():
    article = parse("記者會上氣氛熱烈。", LEAD, MORE)
    assert article.byline is None
    assert body(article)[0] == "記者會上氣氛熱烈。"


def test_an_interview_line_stays_in_the_body():
    article = parse(LEAD, "記者：台積電會漲價嗎？", "魏哲家：價格反映價值。", MORE)
    assert "記者：台積電會漲價嗎？" in body(article)
    assert article.byline is None


@pytest.mark.parametrize(
    "line,author",
    [
        ("〔記者王小明／台北報導〕", "王小明"),
        ("【記者王小明／台北報導】", "王小明"),
        ("（中央社記者王小明台北25日電）", "王小明"),
        ("2025-11-25 14:30 經濟日報 記者王小明／台北即時報導", "王小明"),
    ],
)
def test_outlet_bylines_are_metadata_not_headings_or_titles(line, author):
    article = parse("台積電擴產 高雄新廠明年量產", line, LEAD, MORE)
    assert article.byline == author
    assert line not in body(article) and article.title != line
    assert line in [m.text for m in article.metadata_lines]


def test_a_dateline_in_front_of_the_first_paragraph_leaves_the_paragraph():
    article = parse("（中央社記者王小明台北25日電）" + LEAD, MORE)
    assert body(article) == [LEAD, MORE]
    assert article.byline == "王小明"


@pytest.mark.parametrize(
    "line,date",
    [("2025年11月25日", "2025-11-25"), ("Date: 2025-11-21", "2025-11-21"), ("2025-11-25 14:30 經濟日報 記者王小明／台北即時報導", "2025-11-25")],
)
def test_date_lines_give_the_date(line, date):
    article = parse(line, LEAD, MORE)
    assert article.date == date
    assert line not in body(article)


def test_a_photo_credit_is_not_a_heading():
    article = parse(LEAD, "圖／路透社", MORE)
    assert "圖／路透社" not in headings(article) and "圖／路透社" not in body(article)


def test_a_date_line_after_a_blank_line():
    article = parse_article(clean_text("\n date 2025-11-21 " + LEAD + "\n\n" + MORE), Path("case.txt"))
    assert article.date == "2025-11-21"
    assert body(article) == [LEAD, MORE]


@pytest.mark.parametrize("line", ["魏哲家說：", "「AI需求非常強勁」", "1. 與OpenAI合作"])
def test_quotes_speakers_and_list_items_are_never_headings(line):
    article = parse(LEAD, line, MORE)
    assert line in body(article) and line not in headings(article)
