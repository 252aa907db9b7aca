"""A declared charset is verified, not trusted (issue 19: Big5 declared as gb2312 was translated as gibberish).

Pages are the seed page (tests/ingest/seed_versions.py) encoded here; a wrong
declaration is refused when the bytes do not decode in it, or decode into text
that is Chinese only in another charset.  The article and the run report record
what was declared and what read the page.
"""

from datetime import datetime
from pathlib import Path

import pytest

from pipeline.article import TranslatedArticle
from pipeline.briefing.report import ArticleRecord, RunReport
from pipeline.ingest.readers import read_input
from pipeline.ingest.readers.html import decode_page, read_html
from pipeline.ingest.text import decode_declared, reads_as_chinese
from tests.ingest import seed_versions as sv


def big5_page(meta: str) -> bytes:
    """The seed page's Big5 bytes (CP950), its <meta charset> saying ``meta``."""
    return sv.page_html(meta).encode("cp950")


@pytest.fixture(scope="module")
def right():
    """The seed page read as its charset says: what every wrong declaration must give too."""
    return read_html(big5_page("big5"), Path("right.html"))


def bodies(article) -> list[str]:
    return [b.text for b in article.blocks]


@pytest.mark.parametrize("meta", ["gb2312", "GBK", "gb18030", "iso-8859-1", "windows-1252", "utf-8", "shift_jis", "euc-kr",
                                  "no-such-charset"])
def test_big5_declared_wrong_in_the_page_is_read_as_big5(tmp_path, right, meta):
    path = tmp_path / "page.html"
    path.write_bytes(big5_page(meta))
    article = read_input(path)
    assert article.encoding == "cp950" and bodies(article) == bodies(right)
    assert article.encoding_note.startswith(f"<meta> declared {meta}: ") and article.encoding_note.endswith("cp950 (detected)")


@pytest.mark.parametrize("header", ["gb2312", "latin-1", "utf-8", "koi8-r"])
def test_a_wrong_http_header_falls_back_to_the_pages_own_declaration(right, header):
    article = read_html(big5_page("big5"), Path("page.html"), declared_charset=header)
    assert article.encoding == "cp950" and bodies(article) == bodies(right)
    assert article.encoding_note.startswith(f"HTTP header declared {header}: ") and article.encoding_note.endswith(
        "read as cp950")


def test_header_and_meta_both_gb2312_on_big5_bytes(right):
    """The case of issue 19: both declarations wrong; detection reads it, and the note names both."""
    article = read_html(big5_page("gb2312"), Path("page.html"), declared_charset="gb2312")
    assert article.encoding == "cp950" and bodies(article) == bodies(right)
    assert article.encoding_note == ("HTTP header declared gb2312: not Chinese text in it, but in cp950; "
                                     "<meta> declared gb2312: not Chinese text in it, but in cp950; read as cp950 (detected)")


@pytest.mark.parametrize("charset, codec, simplified", [("utf-8", "utf-8", False), ("big5", "cp950", False),
                                                        ("gb2312", "gb18030", True), ("GBK", "gb18030", True)])
def test_a_right_declaration_is_used_without_a_note(charset, codec, simplified):
    text = sv.page_html(charset)
    if simplified:  # GB pages are Simplified in practice
        import opencc

        text = opencc.OpenCC("t2s").convert(text)
    article = read_html(text.encode(codec), Path("page.html"), declared_charset=charset)
    assert (article.encoding, article.encoding_note) == (codec, None)
    assert reads_as_chinese("".join(bodies(article)))


def test_a_right_declaration_costs_no_detection():
    """Verifying a declaration that reads as Chinese asks no detector: (text, None) straight from the codec."""
    raw = sv.page_html("big5").encode("cp950")
    assert decode_declared(raw, "cp950", "p.html") == (raw.decode("cp950"), None)
    assert decode_declared(raw, "gb18030", "p.html") == (None, "not Chinese text in it, but in cp950")
    assert decode_declared(raw, "utf-8", "p.html")[1].startswith("undecodable at byte ")
    assert decode_declared(raw, "x-unknown", "p.html") == (None, "unknown charset")


def test_a_page_that_is_not_chinese_keeps_its_declared_charset():
    """Nothing to referee: an English page in Latin-1 stays Latin-1 (and is then refused as not Chinese, as ever)."""
    raw = "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\u00e9 prices rose.</p></body></html>".encode("latin-1")
    page = decode_page(raw, "p.html")
    assert (page.encoding, page.note) == ("iso-8859-1", None) and "Caf\u00e9" in page.text


def test_the_run_report_records_the_fallback(tmp_path, right):
    import json

    from pipeline.signature import Signature

    article = read_html(big5_page("gb2312"), Path("page.html"), declared_charset="gb2312")
    records = []
    for read in (article, right):
        record = ArticleRecord(input=str(read.path), output="page.docx", status="ok", encoding=read.encoding)
        record.fill_from(TranslatedArticle(read, "", []))
        records.append(record)
    signature = Signature("Helsinki-NLP/opus-mt-zh-en", "abc123", "tw2sp", "dd20b029b6d0", 85, "beam=4", "inline")
    report = RunReport(signature, datetime(2026, 1, 1), articles=records)
    wrong, plain = json.loads(report.write(tmp_path).read_text(encoding="utf-8"))["articles"]
    assert wrong["encoding"] == "cp950"
    assert "declared gb2312" in wrong["encoding_note"] and wrong["encoding_note"].endswith("read as cp950 (detected)")
    assert (plain["encoding"], plain["encoding_note"]) == ("cp950", None)
