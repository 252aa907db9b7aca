"""Tickers told from amounts: 2886兆豐金 is Mega Financial, 2886萬元 is NT$28.86 million.

The table is the exchanges' code list as twstock 1.5.1 republishes it
(pipeline/numbers/data/SOURCE.md: TWSE ISIN pages, MIT-licensed twstock).  The
news phrases below are written for these tests in the forms Taiwan financial
news uses; the seed articles (seeds/) are checked line by line.
"""

import re
from pathlib import Path

import pytest

from devtools import update_tickers
from pipeline.numbers.tables import DEFAULT_TABLES
from pipeline.numbers.tickers import Listing, TickerTable, data_folder, read_listings
from pipeline.numbers.words import WordBoundaries

ROOT = Path(__file__).resolve().parents[2]
TABLE = TickerTable.load()
NUMBER = re.compile(r"[0-9０-９]+")
FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _glued():
    """The reader's dictionary question (jieba, via WordBoundaries): do two characters make a word?"""
    return WordBoundaries(DEFAULT_TABLES).is_word


def _ticker(text: str, code: str):
    """ticker_at for the run of digits that begins the code (not the 50 of 元大台灣50)."""
    run = next(m for m in NUMBER.finditer(text) if code.startswith(m.group().translate(FULLWIDTH)))
    return TABLE.ticker_at(text, run.end())


@pytest.mark.parametrize("code,name", [
    ("2886", "兆豐金"), ("2615", "萬海"), ("2393", "億光"), ("2330", "台積電"), ("2317", "鴻海"),
    ("2412", "中華電"), ("1504", "東元"), ("2308", "台達電"), ("2834", "臺企銀"), ("4958", "臻鼎-KY"),
    ("2881A", "富邦特"), ("0050", "元大台灣50"), ("00878", "國泰永續高股息"), ("8069", "元太"),
])
def test_real_pairs_are_in_the_table(code, name):
    assert TABLE.listing(code).name == name


def test_the_table_is_the_exchanges_whole_list_without_warrants():
    listings = read_listings((data_folder() / "tickers.csv").read_text(encoding="utf-8"))
    assert len(listings) == len(TABLE) > 2300
    assert {row.market for row in listings} == {"上市", "上櫃", "上市臺灣創新板"}
    assert not any("權證" in row.type for row in listings)
    assert all(re.fullmatch(r"[0-9]{4,6}([A-Z][0-9]?)?", row.code) for row in listings)


@pytest.mark.parametrize("text,code,expression,form", [
    ("2886兆豐金獲利創新高", "2886", "2886兆豐金", "code name"),
    ("2615萬海今年貨櫃運價", "2615", "2615萬海", "code name"),
    ("2393億光第三季", "2393", "2393億光", "code name"),
    ("盤面上2330 台積電領漲", "2330", "2330 台積電", "code name"),
    ("２３３０台積電", "2330", "２３３０台積電", "code name"),
    ("0050元大台灣50規模", "0050", "0050元大台灣50", "code name"),
    ("00878國泰永續高股息", "00878", "00878國泰永續高股息", "code name"),
    ("2881A富邦特", "2881A", "2881A富邦特", "code name"),
    ("2887Z1台新新光己特", "2887Z1", "2887Z1台新新光己特", "code name"),
    ("兆豐金(2886)今日公布", "2886", "兆豐金(2886)", "name (code)"),
    ("萬海（2615-TW）股價", "2615", "萬海（2615-TW）", "name (code)"),
    ("億光 (2393.TW)", "2393", "億光 (2393.TW)", "name (code)"),
    ("鴻海（股票代號：2317）", "2317", "鴻海（股票代號：2317）", "name (code)"),
    ("臺積電（2330）", "2330", "臺積電（2330）", "name (code)"),
    ("元大台灣50（0050）", "0050", "元大台灣50（0050）", "name (code)"),
    ("臻鼎-KY(4958)", "4958", "臻鼎-KY(4958)", "name (code)"),
    ("臻鼎(4958)", "4958", "臻鼎(4958)", "name (code)"),
    ("國巨(2327)", "2327", "國巨(2327)", "name (code)"),
    ("台積電(2330、2303)", "2330", "台積電(2330", "name (code)"),
    ("台達電子(2308)", "2308", "台達電子(2308)", "name (code)"),
    ("中華電信(2412)", "2412", "中華電信(2412)", "name (code)"),
    ("兆豐金控（2886）", "2886", "兆豐金控（2886）", "name (code)"),
    ("鴻海精密工業(2317)", "2317", "鴻海精密工業(2317)", "name (code)"),
    ("台積公司（2330）", "2330", "台積公司（2330）", "name (code)"),
    ("日月光(3711)", "3711", "日月光(3711)", "name (code)"),
    ("(2886)兆豐金", "2886", "(2886)兆豐金", "(code) name"),
    ("【2317】鴻海", "2317", "【2317】鴻海", "(code) name"),
    ("台積電2330、聯發科2454", "2330", "台積電2330", "name code"),
    ("國泰金控 2882", "2882", "國泰金控 2882", "name code"),
])
def test_a_code_beside_its_own_company_is_a_ticker(text, code, expression, form):
    match = _ticker(text, code)
    assert (match.code, text[match.span[0]:match.span[1]], match.form) == (code, expression, form)
    assert text[match.code_span[0]:match.code_span[1]].translate(FULLWIDTH) == code
    assert match.name == TABLE.listing(code).name


def test_a_second_code_in_a_list_is_found_by_its_own_name():
    assert _ticker("台積電2330、聯發科2454", "2454").code == "2454"


@pytest.mark.parametrize("text", [
    "2886萬元",  # an amount: 萬 is not 兆豐金
    "2025年營收",  # a year
    "4000億元",
    "營收2,886億元",  # part of a written-out number
    "每股2886.5元",
    "兆豐金(2884)",  # 2884 is 玉山金, not 兆豐金
    "2330聯電",  # 2330 is not 聯電's code
    "台積電2330億元營收",  # the company, then an amount equal to its code
    "台積電2330TW",
    "兆豐(2886)",  # 兆豐 alone is not a name of the company
    "電子(2308)",  # an ending word with no name before it
    "第2886兆",
    "指數下跌1.2330台積電",  # decimals of a number, though 2330台積電 follows
    "成交2,2330台積電",
])
def test_numbers_that_are_not_tickers(text):
    assert all(TABLE.ticker_at(text, m.end()) is None for m in NUMBER.finditer(text))


def test_only_the_end_of_a_digit_run_is_asked():
    assert TABLE.ticker_at("2886兆豐金", 3) is None
    assert TABLE.ticker_at("兆豐金", 0) is None


def test_seed_articles_name_their_tickers():
    found = set()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in NUMBER.finditer(line):
                match = TABLE.ticker_at(line, m.end())
                if match:
                    found.add((path.name[:3], number, match.code, line[match.span[0]:match.span[1]]))
    assert found == {("000", 3, "2317", "鴻海（2317）"), ("000", 49, "1504", "東元電機（1504）"),
                     ("001", 1, "2317", "鴻海科技集團（2317）")}


def test_every_listing_is_found_beside_its_code():
    for code in _all_codes():
        name, digits = TABLE.listing(code).name, re.match("[0-9]+", code).group()
        assert TABLE.ticker_at(f"於{name}({code})。", 2 + len(name) + len(digits)).code == code
        if not (name[0].isascii() and name[0].isalnum()):  # 674191APP*-KY runs code and name together
            assert TABLE.ticker_at(f"{code}{name}。", len(digits)).code == code


def _all_codes():
    return [row.code for row in read_listings((data_folder() / "tickers.csv").read_text(encoding="utf-8"))]


# -- company_after: some other company's name after the number
@pytest.mark.parametrize("text,code", [
    ("1234兆豐金獲利", "2886"),  # a code we do not know (or a typing error) before 兆豐金
    ("3000億光營收", "2393"),
    ("5000台積電今天", "2330"),
    ("9999日月光", "3711"),
    ("2000元大金控", "2885"),
])
def test_another_company_after_a_number_makes_it_unsure(text, code):
    end = NUMBER.search(text).end()
    match = TABLE.company_after(text, end, glued=_glued())
    assert match.code == code
    assert text[match.span[0]:match.span[1]] in TABLE.names_of(code)


@pytest.mark.parametrize("text", [
    "2886兆豐金獲利",  # its own code: ticker_at answers
    "1000萬海外",  # 海外 is a word: 萬海 is not the company
    "1000億光電產業",
    "2000元太貴",
    "3000台灣大學",
    "2030世界盃",  # ambiguous names, data/ticker_ambiguous_names.csv
    "2025全新車款",
    "1000萬在台灣",
    "2025年興櫃",
    "1,000萬海運",  # a written-out amount
    "2886萬元",
    "2025年",
])
def test_ordinary_text_after_a_number_is_not_a_company(text):
    assert all(TABLE.company_after(text, m.end(), glued=_glued()) is None for m in NUMBER.finditer(text))


def test_no_common_word_after_a_number_reads_as_a_company():
    """Every word jieba's dictionary gives a frequency of 300 or more (14,344, in Taiwan
    forms via OpenCC s2twp), written after 1000: none is taken for a company's name.  At 50 or
    more, 34 of 46,000 are, chiefly the companies themselves (華碩, 燦坤) and rare idioms."""
    import jieba
    import opencc

    jieba.initialize()
    to_taiwan = opencc.OpenCC("s2twp").convert
    glued = _glued()
    words = [to_taiwan(w) for w, freq in jieba.dt.FREQ.items() if freq >= 300 and len(w) > 1]
    assert len(words) > 14000
    taken = [(w, m.name) for w in words if (m := TABLE.company_after("1000" + w, 4, glued=glued))]
    assert taken == []


def test_without_a_dictionary_only_the_list_applies():
    assert TABLE.company_after("1000萬海外", 4).name == "萬海"
    assert TABLE.company_after("2030世界盃", 4) is None
    assert TABLE.company_after("1,000萬海外", 5) is None  # a written-out amount


def test_every_unambiguous_name_is_found_after_a_number():
    for code in _all_codes():
        for name in TABLE.names_of(code):
            if name[0].isdigit() or name in _ambiguous():
                continue
            match = TABLE.company_after(f"0001{name}", 4)
            assert match is not None and name in TABLE.names_of(match.code), (code, name)


def _ambiguous():
    from pipeline.numbers.tickers import read_ambiguous_names

    return set(read_ambiguous_names((data_folder() / "ticker_ambiguous_names.csv").read_text(encoding="utf-8")))


def test_aliases_and_ambiguous_names_refer_to_listed_companies():
    from pipeline.numbers.tickers import read_aliases

    aliases = read_aliases((data_folder() / "ticker_aliases.csv").read_text(encoding="utf-8"))
    assert all(TABLE.listing(code) for code in aliases)
    names = {name for code in _all_codes() for name in TABLE.names_of(code)}
    assert _ambiguous() <= names


def test_a_table_built_from_rows():
    table = TickerTable([Listing("9999", "測試", "上市", "股票")], {"9999": ["測試科技公司"]}, ["測試"])
    assert table.ticker_at("測試科技公司(9999)", 11).name_span == (0, 6)
    assert table.company_after("1234測試", 4) is None


# -- devtools/update_tickers.py on the packaged data
def _twstock_texts(listings, extra_twse=()):
    """The packaged rows back in twstock's column layout (ISIN, dates, group, CFI left empty)."""
    header = ",".join(update_tickers.TWSTOCK_HEADER)
    files = {"twse_equities.csv": [header, *extra_twse], "tpex_equities.csv": [header]}
    for row in listings:
        target = "tpex_equities.csv" if row.market == "上櫃" else "twse_equities.csv"
        files[target].append(f"{row.type},{row.code},{row.name},,2000/01/01,{row.market},,")
    return {name: "\n".join(lines) + "\n" for name, lines in files.items()}


def _write(folder: Path, texts) -> Path:
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_packaged_table_is_written_as_the_script_writes_it():
    text = (data_folder() / "tickers.csv").read_text(encoding="utf-8")
    assert update_tickers.render_table(read_listings(text)) == text


def test_update_on_the_packaged_data_changes_nothing(tmp_path, capsys):
    packaged = (data_folder() / "tickers.csv").read_text(encoding="utf-8")
    warrant = "上市認購(售)權證,030001,測試元大01購01,,2026/03/31,上市,,"  # skipped, but dates the snapshot
    source = _write(tmp_path / "twstock", _twstock_texts(read_listings(packaged), [warrant]))
    out = tmp_path / "tickers.csv"
    out.write_text(packaged, encoding="utf-8")
    assert update_tickers.main(["--from", str(source), "--out", str(out)]) == 0
    assert capsys.readouterr().out == "0 change(s); newest listing date in the source: 2026/03/31\n"
    assert out.read_text(encoding="utf-8") == packaged


def test_update_reports_each_change_and_is_deterministic(tmp_path, capsys):
    packaged = read_listings((data_folder() / "tickers.csv").read_text(encoding="utf-8"))
    edited = [Listing(r.code, "兆豐金控", r.market, r.type) if r.code == "2886" else r
              for r in packaged if r.code != "2615"] + [Listing("9998", "全新", "上櫃", "股票")]
    source = _write(tmp_path / "twstock", _twstock_texts(reversed(edited)))
    out = tmp_path / "tickers.csv"
    out.write_text(update_tickers.render_table(packaged), encoding="utf-8")
    update_tickers.main(["--from", str(source), "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert printed[:3] == ["- 2615 萬海 (上市 股票)", "~ 2886 兆豐金 (上市 股票) -> 兆豐金控 (上市 股票)",
                           "+ 9998 全新 (上櫃 股票)"]
    assert printed[3].startswith("3 change(s)")
    assert any(line.startswith("review: 全新") for line in printed[4:])
    first = out.read_bytes()
    update_tickers.main(["--from", str(source), "--out", str(out)])
    assert capsys.readouterr().out.startswith("0 change(s)")
    assert out.read_bytes() == first
    assert read_listings(first.decode("utf-8")) == sorted(edited, key=lambda r: r.code)


def test_update_refuses_a_changed_twstock_format(tmp_path):
    texts = {"twse_equities.csv": "type,code,name\n", "tpex_equities.csv": "type,code,name\n"}
    with pytest.raises(SystemExit, match="format changed"):
        update_tickers.listings_from_twstock(texts)
