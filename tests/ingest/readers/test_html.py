"""Saved web pages: our decoding (meta charset, Big5 as CP950), trafilatura's content and metadata, debris kept."""

import re

import pytest

from pipeline.errors import InputError
from pipeline.ingest.readers import read_input
from pipeline.ingest.readers.html import decode_html, read_html
from tests.ingest import seed_versions as sv


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name,charset,codec", [("seed.html", "utf-8", "utf-8"), ("seed-big5.htm", "big5", "cp950")])
def test_saved_page_gives_the_txt_body_and_the_page_metadata(tmp_path, name, charset, codec):
    page = read_input(sv.write_page(tmp_path, name, charset))
    txt = sv.txt_article()
    assert [(b.kind, b.text) for b in page.blocks] == [(b.kind, b.text) for b in txt.blocks]
    assert (page.title, page.byline, page.date, page.site_name) == (sv.PAGE_TITLE, sv.AUTHOR, sv.DATE, sv.SITE)
    assert page.encoding == codec and page.format == "html" and not page.date_inferred
    body = squash(" ".join(b.text for b in page.blocks))
    appendix = {squash(d.text) for d in page.debris}
    for junk in sv.DEBRIS:
        assert squash(junk) not in body
        assert any(squash(junk) in d for d in appendix), junk
    assert "不是內容" not in body + "".join(appendix)  # scripts are not text


def test_debris_says_where_on_the_page_it_was(tmp_path):
    page = read_input(sv.write_page(tmp_path))
    reasons = {d.text: d.reason for d in page.debris}
    assert reasons[sv.RELATED[1]] == "related links"
    assert reasons[sv.COMMENTS[1]] == "comments"
    assert reasons[" ".join(sv.NAVIGATION)] == "navigation"
    assert reasons[sv.SHARE] == "share buttons"


def test_every_line_of_the_page_is_in_one_place(tmp_path):
    from pipeline.ingest.readers.html import PageText

    path = sv.write_page(tmp_path)
    page = read_input(path)
    placed = sorted([squash(b.text) for b in page.blocks] + [squash(m.text) for m in page.metadata_lines]
                    + [squash(d.text) for d in page.debris])
    visible = sorted(squash(t) for t, _ in PageText(sv.page_html()).lines)
    assert placed == visible


def test_big5_page_needs_our_decoding():
    raw = sv.page_html("big5").encode("cp950")
    text, codec = decode_html(raw, "p.html")
    assert codec == "cp950" and sv.PAGE_TITLE in text
    # a page that declares big5 but uses CP950's extra characters (碁 is 0xF9D6 in CP950 only)
    raw = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>'.encode() \
        + "<p>宏碁今天發表新款筆電，搭載最新的AI處理器，售價三萬元起。</p></body></html>".encode("cp950")
    text, codec = decode_html(raw, "p.html")
    assert "宏碁今天發表" in text and codec == "cp950"


def test_short_article_keeps_its_paragraphs():
    raw = ("<html><head><meta charset='utf-8'><title>短訊</title></head><body><article>"
           "<p>台積電今天宣布擴產。</p><p>股價上漲百分之二。</p></article></body></html>").encode()
    article = read_html(raw, __import__("pathlib").Path("short.html"))
    assert [b.text for b in article.blocks] == ["台積電今天宣布擴產。", "股價上漲百分之二。"]


def test_a_page_with_no_article_is_one_input_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"<html><body><nav>Home</nav></body></html>")
    with pytest.raises(InputError) as err:
        read_input(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)


def test_reporter_byline_the_extractor_took_out_is_still_found():
    raw = ("<html><head><meta charset='utf-8'><title>台積電擴產</title></head><body><article><h1>台積電擴產</h1>"
           "<div class='author'>記者王小明／台北報導</div>"
           "<p>台積電今天宣布在高雄擴建新廠，總投資金額約新台幣一兆元，預計明年量產。</p>"
           "<p>法人預期，明年資本支出仍將維持高檔，先進封裝產能也會加倍。</p></article></body></html>").encode()
    article = read_html(raw, __import__("pathlib").Path("a.html"))
    assert article.byline == "王小明"
    assert "記者王小明／台北報導" in [m.text for m in article.metadata_lines]


def test_a_menu_word_that_the_article_also_uses_is_still_debris():
    raw = ("<html><head><meta charset='utf-8'><title>台積電擴產</title></head><body>"
           "<ul class='menu'><li><a href='/t'>科技</a></li><li><a href='/f'>財經</a></li></ul><article>"
           "<p>台積電今天宣布在高雄擴建新廠，科技業與財經界都看好後市，總投資約新台幣一兆元。</p>"
           "<p>法人預期，明年資本支出仍將維持高檔，先進封裝產能也會加倍。</p></article></body></html>").encode()
    article = read_html(raw, __import__("pathlib").Path("a.html"))
    assert [(d.text, d.reason) for d in article.debris] == [("科技", "navigation"), ("財經", "navigation")]
