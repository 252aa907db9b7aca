"""Documents that look made by people (issue 20, part 4), read back as XML with zipfile
and lxml: true properties and no template leftovers, languages on every run, no
italic Chinese, provenance only in the last section, the figure table as printed,
a term bold once per row, labels that fit, and an index whose file names are links.
Rendered from hand-built articles (tests/briefing/articles.py), no model."""

import io
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

from docx import Document
from docx.oxml.ns import qn

from pipeline.briefing.document import (ABOUT_HEADING, BODY_HEADER, FIGURE_HEADER, LABEL_SIZE, MARK_SIZE,
                                        REVIEWED_MARK, BriefingOptions, render_briefing, text_width)
from pipeline.briefing.index import ABOUT_HEADING as INDEX_ABOUT, COLUMNS, render_index
from pipeline.briefing.properties import default_author
from pipeline.briefing.report import ArticleRecord

from tests.briefing.articles import REPEATS, SIGNATURE, sample_article
from tests.briefing.docx_helpers import CJK, R, W, find_table, is_on, italic_styles, last_section, parts, run_text, xml

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
AUTHOR = "Mei-ling Chen"
PROVENANCE = (SIGNATURE.model_id, SIGNATURE.model_revision, SIGNATURE.glossary_hash, SIGNATURE.decoding,
              SIGNATURE.short())
TEMPLATE_COUNTS = ("Pages", "Words", "Characters", "Lines", "Paragraphs", "CharactersWithSpaces", "TotalTime")


def briefing(**options) -> bytes:
    return render_briefing(sample_article(), SIGNATURE, BriefingOptions(author=AUTHOR, **options), generated_at=WHEN)


def records(folder: Path) -> list[ArticleRecord]:
    names = ["000_58b913a21f0d624b.docx", "台積電 營收 (final).docx", "a-long-file-name-for-a-briefing.docx"]
    done = [ArticleRecord(input=str(folder / f"in{i}.txt"), output=str(folder / name), status="ok",
                          title=f"標題{i}", title_english=f"Title {i}", date=f"2025-12-0{i + 1}")
            for i, name in enumerate(names)]
    return done + [ArticleRecord(input=str(folder / "broken.pdf"), output=None, status="error",
                                 error="not a text file (PDF)")]


def index(folder: Path) -> bytes:
    return render_index(records(folder), SIGNATURE, generated_at=WHEN, author=AUTHOR)


def _documents(tmp_path):
    return {"briefing": briefing(), "index": index(tmp_path)}


# ---------------------------------------------------------------- properties


def test_no_template_date_thumbnail_or_counts_anywhere(tmp_path):
    for name, data in _documents(tmp_path).items():
        package = parts(io.BytesIO(data))
        leftovers = [part for part, blob in package.items() if b"2013" in blob]
        assert not leftovers, (name, leftovers)
        assert not [part for part in package if "thumbnail" in part], name
        assert b"thumbnail" not in package["_rels/.rels"], name
        app = package["docProps/app.xml"].decode()
        assert "<Application>briefing " in app and "Microsoft" not in app
        assert not [tag for tag in TEMPLATE_COUNTS if f"<{tag}>" in app], (name, app)
        assert b"python-docx" not in package["docProps/core.xml"], name


def test_core_properties_are_true(tmp_path):
    for name, data in _documents(tmp_path).items():
        props = Document(io.BytesIO(data)).core_properties
        assert props.author == AUTHOR, name
        assert props.created == props.modified == WHEN, name
        assert props.language == "en-US" and props.title, name
        assert props.last_modified_by.startswith("briefing "), name  # review import: nobody has saved it since
    assert Document(io.BytesIO(briefing())).core_properties.title == "TSMC revenue hits a record"


def test_created_is_now_in_utc_and_the_author_defaults_to_the_user():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    props = Document(io.BytesIO(render_briefing(sample_article(), SIGNATURE))).core_properties
    after = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert before <= props.created <= after and props.modified == props.created
    assert BriefingOptions().author == default_author() == props.author and props.author
    # a non-UTC generation time is written as the same instant in UTC
    taipei = WHEN.astimezone(timezone(timedelta(hours=8)))
    local = Document(io.BytesIO(render_briefing(sample_article(), SIGNATURE, generated_at=taipei))).core_properties
    assert local.created == WHEN


# ---------------------------------------------------------------- languages and italics


def test_every_run_carries_english_and_traditional_chinese_languages(tmp_path):
    for name, data in _documents(tmp_path).items():
        body = xml(io.BytesIO(data), "word/document.xml")
        table_runs = [r for tbl in body.iter(W + "tbl") for r in tbl.iter(W + "r")]
        assert len(table_runs) > 20, name
        for run in body.iter(W + "r"):
            lang = run.find(f"{W}rPr/{W}lang")
            assert lang is not None, (name, run_text(run))
            assert (lang.get(W + "val"), lang.get(W + "eastAsia")) == ("en-US", "zh-TW"), (name, run_text(run))
        assert any(CJK.search(run_text(r)) for r in table_runs), name  # the test saw Chinese runs


def test_no_italic_on_chinese_runs_or_their_styles(tmp_path):
    for name, data in _documents(tmp_path).items():
        source = io.BytesIO(data)
        body, italic = xml(source, "word/document.xml"), italic_styles(xml(source, "word/styles.xml"))
        chinese = 0
        for paragraph in body.iter(W + "p"):
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            for run in paragraph.iter(W + "r"):
                if not CJK.search(run_text(run)):
                    continue
                chinese += 1
                assert not is_on(run.find(f"{W}rPr/{W}i")), (name, run_text(run))
                run_style = run.find(f"{W}rPr/{W}rStyle")
                assert run_style is None or run_style.get(W + "val") not in italic
                assert style is None or style.get(W + "val") not in italic, (name, style.get(W + "val"), run_text(run))
        assert chinese >= 3, name  # the test saw Chinese runs
    subtitle = Document(io.BytesIO(briefing())).paragraphs[1]
    assert subtitle.style.name == "Subtitle" and subtitle.text == "台積電營收創新高"


def test_theme_fonts_do_not_override_the_traditional_chinese_font():
    styles = parts(io.BytesIO(briefing()))["word/styles.xml"].decode()
    for style_id in ("Title", "Subtitle", "Heading1", "Heading2"):
        block = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S).group(0)
        assert 'w:eastAsia="Microsoft JhengHei"' in block and "eastAsiaTheme" not in block, style_id


# ---------------------------------------------------------------- what is where


def test_first_page_for_readers_provenance_only_in_the_last_section():
    body = xml(io.BytesIO(briefing()), "word/document.xml")
    before, about = last_section(body, ABOUT_HEADING)
    for item in PROVENANCE:
        assert item not in before and item in about, item
    assert "sample.txt" in about and "sample.txt" not in before and AUTHOR in about
    doc = Document(io.BytesIO(briefing()))
    first = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert (first["Date"], first["Source"], first["Byline"]) == ("2025-12-02", "經濟日報", "王小明")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Key figures", "Key terms", "Original and English"]
    figures = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["English", "原文"])
    assert [[c.text for c in r.cells] for r in figures.rows[1:]] == [["NT$35 trillion", "35兆元"]]  # dates aside
    for part, blob in parts(io.BytesIO(briefing())).items():  # nor in the page header or footer
        if re.match(r"word/(header|footer)\d*\.xml", part):
            assert not any(item.encode() in blob for item in PROVENANCE), part


def test_index_shows_the_signature_only_in_its_last_section(tmp_path):
    body = xml(io.BytesIO(index(tmp_path)), "word/document.xml")
    before, about = last_section(body, INDEX_ABOUT)
    for item in PROVENANCE:
        assert item not in before and item in about, item


def test_figure_table_prints_the_english_and_whole_or_written_dates():
    doc = Document(io.BytesIO(briefing()))
    rows = [[c.text for c in r.cells] for r in find_table(doc, FIGURE_HEADER).rows[1:]]
    assert rows == [
        ["NT$35 trillion", "35兆元", "NT$", "yes"],
        ["November 21", "11月21日", "date as written (no year)", "yes"],
        ["December 2, 2025", "2025年12月2日", "2025-12-02", "yes"],
        ["not enforced", "數十億", "number", "unsure"],
        ["September 2024", "2024年9月", "date as written", "yes"],
    ]
    text = " ".join(c for row in rows for c in row)
    assert "35000000000000" not in text and "--11-21" not in text and "2024-09" not in text


# ---------------------------------------------------------------- QA reasons, bold, widths


def test_qa_reasons_read_english_first_with_the_chinese_quoted():
    doc = Document(io.BytesIO(briefing()))
    reasons = [r.cells[1].text for r in find_table(doc, ("Flag", "Reason", "Sentence")).rows[1:]]
    with_chinese = [r for r in reasons if CJK.search(r)]
    assert len(with_chinese) >= 3, reasons  # untranslated, repetition, term-unsure, number-unsure
    for reason in with_chinese:
        assert re.match(r"[A-Za-z0-9]", reason), reason
        outside = re.sub(r"“[^”]*”|\([^()]*\)", "", reason)  # quoted, or explained in brackets
        assert not CJK.search(outside), reason
    comments = parts(io.BytesIO(briefing()))["word/comments.xml"].decode()
    assert "repeated 4 times: “這場”" in comments and "Chinese character(s) left in the English: “" in comments


def _bold_texts(cell) -> list[str]:
    return [run_text(r) for r in cell.iter(W + "r") if is_on(r.find(f"{W}rPr/{W}b"))]


def test_a_term_is_bold_once_per_row():
    doc = Document(io.BytesIO(briefing()))
    rows = find_table(doc, BODY_HEADER).rows[1:]
    cells = {row.cells[0].text: [c._tc for c in row.cells] for row in rows}
    original, english = cells["台積電、" * (REPEATS - 1) + "台積電。"][:2]
    assert _bold_texts(original) == ["台積電"] and _bold_texts(english) == ["TSMC"]
    # a term inside a longer one is not its first occurrence: Foxconn is bold where it stands alone
    original, english = cells["台積電營收35兆元。鴻海於11月21日宣布，富士康將擴產。"][:2]
    assert _bold_texts(english) == ["TSMC", "Hon Hai (Foxconn)", "Foxconn"]
    runs = [run_text(r) for r in english.iter(W + "r")]
    assert runs.index("Foxconn") > runs.index("Hon Hai (Foxconn)") + 1
    assert _bold_texts(original) == ["台積電", "鴻海", "富士康"]
    for row in rows:  # nowhere twice in one cell
        if row.cells[0]._tc is not row.cells[1]._tc:
            for cell in row.cells[:2]:
                bold = _bold_texts(cell._tc)
                assert len(bold) == len(set(bold)), bold


def _grid(table) -> list[int]:
    return [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _twips(emu: int) -> float:
    return emu / 635


def test_label_columns_fit_their_longest_label():
    doc = Document(io.BytesIO(briefing()))
    body = _grid(find_table(doc, BODY_HEADER))
    assert body[2] >= _twips(text_width(REVIEWED_MARK, MARK_SIZE, bold=True)) - 1  # "reviewed" on one line
    assert body[2] > 0.08 * sum(body)  # the old 8% share wrapped it as "reviewe/d" in LibreOffice
    assert body[0] == body[1]
    qa = find_table(doc, ("Flag", "Reason", "Sentence"))
    flags = [r.cells[0].text for r in qa.rows[1:]]
    assert "number-unsure" in flags and _grid(qa)[0] >= max(_twips(text_width(f, LABEL_SIZE)) for f in flags) - 1
    for table in (doc.tables[0], doc.tables[-1]):  # the first page's labels and the About section's
        labels = [r.cells[0].text for r in table.rows]
        assert _grid(table)[0] >= max(_twips(text_width(label, LABEL_SIZE, bold=True)) for label in labels) - 1
    assert abs(sum(_grid(doc.tables[0])) - sum(body)) <= 2  # every table spans the text width


def test_text_width_grows_with_length_size_weight_and_script():
    assert text_width("reviewed", 6) < text_width("reviewed", 6, bold=True) < text_width("reviewed", 10.5)
    assert text_width("ab", 9) < text_width("abc", 9) and text_width("ab", 9) < text_width("中文", 9)


# ---------------------------------------------------------------- index links


def test_index_file_names_are_relative_links_that_do_not_break(tmp_path):
    data = index(tmp_path)
    source = io.BytesIO(data)
    rels = xml(source, "word/_rels/document.xml.rels")
    links = {r.get("Id"): r for r in rels if r.get("Type").endswith("/hyperlink")}
    body = xml(source, "word/document.xml")
    anchors = [(h.get(R + "id"), "".join(t.text for t in h.iter(W + "t"))) for h in body.iter(W + "hyperlink")]
    ok = [Path(r.output).name for r in records(tmp_path) if r.status == "ok"]
    assert sorted(text for _, text in anchors) == sorted(ok)
    for rid, text in anchors:
        rel = links[rid]
        target = rel.get("Target")
        assert rel.get("TargetMode") == "External"
        assert unquote(target) == text and " " not in target  # relative: the briefing beside the index
        assert not re.match(r"[a-z]+:|/|\\", target, re.I)
    doc = Document(io.BytesIO(data))
    table = find_table(doc, COLUMNS)
    statuses = [r.cells[5].text for r in table.rows[1:]]
    assert sum(s.startswith("ok: ") for s in statuses) == 3 and any(s.startswith("failed: ") for s in statuses)
    widest = max(text_width(word, 9) for name in ok for word in name.split())
    assert _grid(table)[5] >= _twips(widest) - 1  # no file name breaks mid-word (between words it may)


def test_key_figures_are_few_enough_for_the_first_page():
    from pipeline.article import TranslatedArticle
    from pipeline.briefing.document import KEY_FIGURES

    from tests.briefing.articles import block, figure, sentence

    sums = [figure(f"{n}億元", f"NT${n}00 million", f"{n}00000000", "NT$") for n in range(1, KEY_FIGURES + 3)]
    english = ", ".join(f.target for f in sums)
    text = "、".join(f.source for f in sums) + "。"
    blocks = [block("paragraph", [sentence(text, english, sums), sentence(text, english, sums[:2])], 1)]
    article = sample_article()
    doc = Document(io.BytesIO(render_briefing(TranslatedArticle(article.article, "T", blocks), SIGNATURE,
                                              BriefingOptions(author=AUTHOR))))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["English", "原文"])
    assert [r.cells[0].text for r in table.rows[1:]] == [f.target for f in sums[:KEY_FIGURES]]  # each once, in order
    assert "2 more in the appendix (Figures)." in [p.text for p in doc.paragraphs]


def test_figure_english_is_the_form_the_text_prints():
    from pipeline.article import TermResult
    from pipeline.briefing.document import printed

    cap = TermResult("最多300億美元", "as much as US$30 billion", True, "number", ("up to US$30 billion",),
                     "30000000000", "US$")
    assert printed(cap, "It may invest up to US$30 billion.") == "up to US$30 billion"
    assert printed(cap, "It may invest as much as US$30 billion.") == "as much as US$30 billion"
    assert printed(cap, "No figure here.") == "as much as US$30 billion"  # missing: the English it required
    assert printed(TermResult("數十億", None, False, "number", unsure="approximate"), "Billions.") == "not enforced"
