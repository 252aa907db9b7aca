"""Ingest of every seed: metadata, title, headings, debris, sentences, nothing lost."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.errors import InputError
from pipeline.ingest.readers import read_input
from pipeline.ingest.text import clean_text, decode_bytes, parse_article

from tests.conftest import SEEDS, seed_paths

SEED = {p.name[:3]: p for p in seed_paths()}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_five_seeds_are_the_shared_articles():
    shared = SEEDS.parent.parent / "shared" / "seeds"
    assert len(SEED) == 5
    if shared.is_dir():
        for p in shared.iterdir():
            assert (SEEDS / p.name).read_bytes() == p.read_bytes()


@pytest.mark.parametrize(
    "key,date,byline,source",
    [
        ("000", None, "劉煥彥", "今周刊"),
        ("001", "2025-11-21", None, None),
        ("002", "2026-01-12", "George Kuo", None),
        ("003", "2025-12-02", "劉佩真", "科技產業資訊室(iKnow)"),
        ("004", "2025-12-21", "張維君", None),
    ],
)
def test_metadata_of_each_seed(key, date, byline, source):
    article = read_input(SEED[key])
    assert (article.date, article.byline, article.source) == (date, byline, source)
    assert article.encoding == "utf-8"


def test_titles_come_from_the_first_heading_or_first_sentence():
    assert read_input(SEED["003"]).title == "川普創世紀任務 台灣將成為美方AI的核心關鍵夥伴"
    assert read_input(SEED["002"]).title == "結盟東元、牽手三菱，鴻海的價值創新魔法"
    a001 = read_input(SEED["001"])
    assert a001.title_source == "first sentence"
    assert a001.title.startswith("鴻海科技集團（2317）今（21）日舉辦")


def test_headings_are_short_lines_without_final_punctuation():
    headings = [b.text for b in read_input(SEED["000"]).blocks if b.is_heading]
    assert headings == [
        "OpenAI估值達5000億美元，放在台股是市值第二大公司",
        "鴻海牽手OpenAI，聚焦下世代AI基礎設施的硬體設計",
        "劉揚偉：OpenAI是在生成式AI最大的使用者",
        "鴻海成立雲端運算平台事業亞灣超算，預定2026上半年啟用",
        "電電公會推海外科學園區，鴻海、中鼎、東元三方合作",
    ]
    a001 = read_input(SEED["001"])
    assert not any(b.is_heading for b in a001.blocks)  # captions ending in （…攝） are not headings


def test_debris_is_separated_but_kept_with_reasons():
    article = read_input(SEED["003"])
    reasons = {d.text: d.reason for d in article.debris}
    assert reasons["︿"] == reasons["Top"] == "navigation button"
    assert any(r == "view counter" for t, r in reasons.items() if "瀏覽次數" in t)
    assert reasons["facebook twitter wechat twitter"] == "share buttons"
    assert reasons["歡迎來粉絲團按讚!"] == "social media prompt"
    assert reasons["【聲明】"] == "legal notice"
    assert sum(1 for d in article.debris if d.reason == "legal notice") == 3
    body = " ".join(b.text for b in article.blocks)
    assert "瀏覽次數" not in body and "著作權所有" not in body
    assert "參考資料" in body and "(1904字;圖1)" in body  # the author's text stays in the body
    for key in ("000", "001", "002", "004"):
        assert read_input(SEED[key]).debris == []


def test_date_prefix_is_removed_from_the_first_paragraph():
    article = read_input(SEED["001"])
    assert article.blocks[0].text.startswith("鴻海科技集團（2317）")
    assert article.metadata_lines[0].text == "date 2025-11-21"


def test_sentence_split_of_a_seed_paragraph():
    article = read_input(SEED["000"])
    first = article.blocks[0]
    assert len(first.sentences) == 2
    assert first.sentences[0].endswith("就敲定攜手合作。 ")
    assert first.sentences[1].strip().endswith("「不代表未來不會發生」。")
    for block in article.blocks:
        assert "".join(block.sentences).strip() == block.text.strip()


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_nothing_the_author_wrote_is_lost(path):
    article = read_input(path)
    kept = [b.text for b in article.blocks] + [m.text for m in article.metadata_lines] + [d.text for d in article.debris]
    original = clean_text(path.read_text(encoding="utf-8"))
    assert sorted(_squash("".join(kept))) == sorted(_squash(original))
    # and in reading order, line by line
    lines = sorted([(b.line, b.text) for b in article.blocks] + [(d.line, d.text) for d in article.debris])
    assert [n for n, _ in lines] == sorted(n for n, _ in lines)


def test_bad_inputs_give_one_line_reasons(tmp_path):
    cases = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "doc.txt": b"%PDF-1.7 binary",
        "zip.txt": b"PK\x03\x04rest",
        "nul.txt": b"abc\x00\x00\x01\x02" * 20,
        "english.txt": b"This is an English text with no Chinese at all. " * 5,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError) as err:
            read_input(tmp_path / name)
        message = str(err.value)
        assert message.startswith(str(tmp_path / name)) and "\n" not in message
    with pytest.raises(InputError, match="no such file"):
        read_input(tmp_path / "missing.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(InputError, match="broken symbolic link"):
        read_input(tmp_path / "link.txt")
    big = tmp_path / "big.txt"
    big.write_text("中文內容。" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="over the"):
        read_input(big, max_bytes=1000)


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "cp950", "gb18030"])
def test_legacy_encodings_decode_to_the_same_article(tmp_path, codec):
    path = SEED["004"]  # the seed whose characters all exist in Big5/CP950
    text = path.read_text(encoding="utf-8")
    if codec == "gb18030":
        import opencc

        text = opencc.OpenCC("t2s").convert(text)  # GB text is Simplified in practice
    data = text.encode(codec)
    (tmp_path / "a.txt").write_bytes(data)
    article = read_input(tmp_path / "a.txt")
    expected = parse_article(clean_text(text), path)
    assert [b.text for b in article.blocks] == [b.text for b in expected.blocks]


def _clean_char_by_the_rule(ch: str) -> str:
    import unicodedata

    if ch in "\n\t":
        return ch
    if ch in "\u00a0\u3000\u2007\u202f":
        return " "
    return "" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch


def test_cleaning_treats_every_code_point_by_the_rule():
    """clean_text's fast path (runs of ordinary characters pass untouched) changes nothing: all of Unicode, one by one."""
    everything = "".join(chr(o) for o in range(0x110000) if o not in (0x0D, 0x3C, 0x26))  # CR, <, & : tags, entities
    expected = "".join(_clean_char_by_the_rule(ch) for ch in everything)
    assert clean_text(everything) == expected


def test_cleaning_keeps_content():
    raw = "第一行\r\n第二行\r第三\u200b行\u00a0有&amp;符號<br>第四行<b>粗</b>"
    assert clean_text(raw) == "第一行\n第二行\n第三行 有&符號\n第四行粗"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), min_size=0, max_size=400))
def test_fuzzed_text_never_raises_unexpectedly(text):
    try:
        article = parse_article(clean_text(text), Path("fuzz.txt"))
    except InputError:
        return
    assert article.blocks
    for block in article.blocks:
        assert "".join(block.sentences).strip() == block.text.strip() or not block.text.strip()


def test_decode_refuses_mojibake_bytes():
    with pytest.raises(InputError, match="undecodable"):
        decode_bytes(bytes(range(0x80, 0x100)) * 4, "x.txt")
