"""Heading detection for plain text: shape (length, punctuation, quotes, list markers) and position."""

import pytest

from pipeline.ingest.headings import is_heading, why_not_heading


@pytest.mark.parametrize(
    "line,reason",
    [
        ("魏哲家說：", "open end"),
        ("「AI需求非常強勁」", "quotation"),
        ("1. 與OpenAI合作", "list item"),
        ("（一）擴大投資", "list item"),
        ("• 先進封裝", "list item"),
        ("台積電今天宣布擴產。", "sentence punctuation"),
        ("（圖為台積電竹科廠）", "bracketed note"),
        ("圖、川普創世紀任務 台灣將成為美方AI的核心關鍵夥伴", "caption"),
        ("鴻海科技集團今日舉辦科技日並宣佈兩項重磅合作案一是與OpenAI攜手布局下一世代AI基礎設施", "length"),
    ],
)
def test_lines_that_are_not_headings_and_why(line, reason):
    assert why_not_heading(line) == reason
    assert not is_heading(line)


@pytest.mark.parametrize("line", ["OpenAI估值達5000億美元，放在台股是市值第二大公司", "AI晶片 建議朝推論、AI PC晶片發展", "參考資料"])
def test_seed_headings_keep_their_shape(line):
    assert is_heading(line)


def test_the_last_line_of_an_article_is_not_a_heading():
    assert not is_heading("參考資料", followed_by_text=False)
