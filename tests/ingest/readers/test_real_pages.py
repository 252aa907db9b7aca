"""Real pages nobody here wrote: GeneralNewsExtractor's Chinese test pages (see tests/data/pages/SOURCE.md).

The expectations were read off the pages by hand: headline, the article's
paragraphs, and what around them is navigation, related links and comments.
"""

import re
from pathlib import Path

import pytest

from pipeline.ingest.readers import read_input
from pipeline.ingest.readers.html import PageText, decode_html

PAGES = Path(__file__).resolve().parents[2] / "data" / "pages"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


CASES = {
    "gne-xinhuanet-1.html": dict(
        title="法国全国大罢工再次严重影响交通", date="2019-12-10", paragraphs=5,
        first="新华社巴黎12月9日电（记者唐霁）法国9日再次爆发全国跨行业大罢工",
        last="总理菲利普将于11日宣布退休制度改革的总体架构。",
        not_body=["客户端", "下一篇", "关注新华网", "【纠错】", "新闻评论", "加载更多", "2018年，楼市会有哪些新变化？",
                  "欧盟外长理事会会议在布鲁塞尔举行", "新华社简介 公司官网"],
    ),
    "gne-people-1.html": dict(
        title="女儿出嫁，郑板桥画了几笔兰花当嫁妆", date="2019-06-15", paragraphs=26,
        first="父亲的教诲像一盏灯，为我们照亮前行的路",
        last="字里行间都是对儿子的爱。",
        not_body=["网站首页", "登录人民网通行证", "分享到：", "推荐阅读", "相关新闻", "热点推荐", "地方领导留言板",
                  "一家人乘车赴跨国婚礼", "关注人民网微信"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_page_gives_headline_and_paragraphs_without_page_furniture(name):
    case = CASES[name]
    article = read_input(PAGES / name)
    assert article.title == case["title"]
    assert article.date == case["date"]
    assert len(article.blocks) == case["paragraphs"]
    assert article.blocks[0].text.startswith(case["first"])
    assert case["last"] in article.blocks[-1].text
    body = squash(" ".join(b.text for b in article.blocks))
    appendix = " ".join(squash(d.text) for d in article.debris)
    for furniture in case["not_body"]:
        assert squash(furniture) not in body, furniture
        assert squash(furniture) in appendix, furniture


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_visible_line_of_a_real_page_is_in_one_place(name):
    article = read_input(PAGES / name)
    text, _ = decode_html((PAGES / name).read_bytes(), name)
    visible = sorted(squash(t) for t, _ in PageText(text).lines)
    placed = sorted([squash(b.text) for b in article.blocks] + [squash(m.text) for m in article.metadata_lines]
                    + [squash(d.text) for d in article.debris])
    missing = [t for t in visible if t not in placed]
    assert missing == []
