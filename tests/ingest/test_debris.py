"""Page debris needs its whole pattern; legal-notice and comment sections end where the article resumes."""

import pytest

from pipeline.ingest.debris import Sections, line_reason


@pytest.mark.parametrize(
    "line,reason",
    [
        ("瀏覽次數:433| 歡迎推文: facebook twitter wechat Linked", "view counter"),  # seeds/003 line 6
        ("人氣：1,234", "view counter"),
        ("facebook twitter wechat twitter", "share buttons"),  # seeds/003 line 9
        ("︿", "navigation button"),
        ("Top", "navigation button"),
        ("歡迎來粉絲團按讚!", "social media prompt"),
        ("-----------", "separator line"),
        ("Copyright 2025 產業觀察網 版權所有", "legal notice"),
    ],
)
def test_debris_lines(line, reason):
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    ["這款手遊上線首日人氣100萬…", "這款手遊上線首日人氣100萬，遠超過預期。", "網友熱烈分享這則新聞，按讚數破萬。",
     "LINE今天宣布推出新的支付服務。", "Top 10 的半導體公司中，台灣占了四家。"],
)
def test_sentences_with_debris_words_are_body(line):
    assert line_reason(line) is None


def test_a_legal_notice_runs_while_its_lines_are_legal():
    lines = ["正文。", "【聲明】", "1.不構成任何投資建議。", "2.著作權所有，不得轉載。", "文章繼續。"]
    sections = Sections(lines)
    assert [sections.reason(i) for i in range(5)] == [None, "legal notice", "legal notice", "legal notice", None]


def test_a_statement_heading_without_legal_text_is_not_a_section():
    sections = Sections(["聲明", "台積電隨後發出聲明，強調合作不受影響。"])
    assert sections.reason(0) is None and sections.reason(1) is None


def test_a_comment_section_ends_at_a_long_article_line():
    long_line = "法人預期，明年資本支出仍將維持高檔。先進封裝產能也會加倍。台積電並未回應。" * 2
    sections = Sections(["留言", "網友A：寫得好", "3小時前 回覆", long_line])
    assert [sections.reason(i) for i in range(4)] == ["comment section"] * 3 + [None]
