"""Structuring: every line of the input ends in exactly one place (a property over generated articles)."""

import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings, strategies as st

from pipeline.ingest.structure import KnownMeta, RawLine, build_article
from pipeline.ingest.text import clean_text, parse_article
from tests.ingest.test_metadata import OUTLETS

PARAGRAPHS = [
    "台積電今天舉行法人說明會，董事長魏哲家表示，今年營收將成長三成。",
    "法人預期，明年資本支出仍將維持高檔，先進封裝產能也會加倍。",
    "這款手遊上線首日人氣100萬，遠超過市場預期。",
    "記者會上氣氛熱烈。",
    "台積電隨後發出聲明，強調與客戶的合作不受影響。",
    "鴻海周五（11/21）舉辦科技日，宣布與OpenAI合作。",
]
SHORT = ["投資布局", "魏哲家說：", "「AI需求非常強勁」", "1. 與OpenAI合作", "聲明", "記者：台積電會漲價嗎？", "作者資訊:"]
META = [o[1] for o in OUTLETS] + ["2025年11月25日", "Date: 2025-11-21", "圖／路透社", "（編輯：張均懋）1141125"]
DEBRIS = ["瀏覽次數:433| 歡迎推文: facebook twitter", "︿", "Top", "facebook twitter wechat", "------------", "歡迎來粉絲團按讚!"]
LEGAL = ["【聲明】", "1.本網站刊載此文不代表同意其說法，也不構成任何投資建議。", "2.著作權所有，非經授權不得轉載。"]
COMMENTS = ["留言", "網友A：寫得好", "3小時前 回覆"]

line_kinds = st.one_of(
    st.sampled_from(PARAGRAPHS), st.sampled_from(SHORT), st.sampled_from(META), st.sampled_from(DEBRIS),
    st.just("\n".join(LEGAL)), st.just("\n".join(COMMENTS)), st.just(""),
    st.builds(lambda a, b: a + b, st.sampled_from(["（中央社記者王小明台北25日電）", "〔記者王小明／台北報導〕"]), st.sampled_from(PARAGRAPHS)),
)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def placements(article) -> dict[int, list[tuple[str, str]]]:
    """line number -> [(place, text)], metadata first (a prefix precedes the rest of its line)."""
    out: dict[int, list[tuple[str, str]]] = {}
    for m in article.metadata_lines:
        out.setdefault(m.line, []).append(("metadata", m.text))
    for b in article.blocks:
        out.setdefault(b.line, []).append(("heading" if b.is_heading else "body", b.text))
    for d in article.debris:
        out.setdefault(d.line, []).append(("appendix", d.text))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(line_kinds, min_size=1, max_size=25), st.sampled_from(PARAGRAPHS[:2]))
def test_every_line_is_in_exactly_one_place(lines, anchor):
    text = clean_text("\n".join(lines + [anchor]))  # an anchor paragraph: there is always an article
    article = parse_article(text, Path("gen.txt"), reference=date(2025, 11, 28))
    placed = placements(article)
    for number, line in enumerate(text.split("\n"), start=1):
        pieces = placed.pop(number, [])
        if not line.strip():
            assert pieces == []
            continue
        assert squash("".join(t for _, t in pieces)) == squash(line), (number, line, pieces)
        assert len(pieces) == 1 or [p for p, _ in pieces][0] == "metadata"  # only a prefix splits a line
    assert placed == {}


def test_the_article_resumes_after_comments():
    text = clean_text("\n".join([PARAGRAPHS[0], *COMMENTS, PARAGRAPHS[1]]))
    article = parse_article(text, Path("gen.txt"))
    assert [b.text for b in article.blocks] == [PARAGRAPHS[0], PARAGRAPHS[1]]
    assert [d.reason for d in article.debris] == ["comment section"] * 3


def test_a_dateline_date_is_inferred_and_marked():
    article = parse_article(clean_text("（中央社記者王小明台北25日電）台積電今天宣布擴產，法人看好後市。"), Path("a.txt"),
                            reference=date(2025, 11, 28))
    assert (article.date, article.date_inferred) == ("2025-11-25", True)
    assert article.dateline == "（中央社記者王小明台北25日電）"
    article = parse_article(clean_text("鴻海周五（11/21）舉辦科技日，宣布兩項合作案，市場反應熱烈。"), Path("a.txt"),
                            reference=date(2026, 1, 12))
    assert (article.date, article.date_inferred) == ("2025-11-21", True)


def test_a_stated_date_wins_over_a_dateline():
    text = clean_text("2025年11月26日\n（中央社記者王小明台北25日電）台積電今天宣布擴產，法人看好後市。")
    article = parse_article(text, Path("a.txt"), reference=date(2025, 11, 28))
    assert (article.date, article.date_inferred) == ("2025-11-26", False)


def test_markup_hints_decide_headings_and_titles():
    lines = [RawLine(1, "台積電擴產", "title"), RawLine(2, "投資布局。", "heading"),
             RawLine(3, "短句", "paragraph"), RawLine(4, "台積電今天宣布擴產，法人看好後市。", "")]
    article = build_article(lines, Path("a.html"), fmt="html", known=KnownMeta(title="不用", author="記者王小明／台北報導"))
    assert article.title == "台積電擴產" and article.title_source == "explicit"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("heading", "投資布局。"), ("paragraph", "短句"), ("paragraph", "台積電今天宣布擴產，法人看好後市。")]
    assert article.format == "html"
