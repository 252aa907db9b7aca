"""Every briefing carries segment ids (a grey ID column) and a segment manifest in a custom XML
part; reviewed rows are marked; the appendix lists figures and unsure items.  Rendered from a
hand-built TranslatedArticle (no model), reopened as XML."""

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from pipeline.article import Article, Block, TermResult, TranslatedArticle, TranslatedBlock, TranslatedSentence
from pipeline.briefing.document import BriefingOptions, render_briefing
from pipeline.review.manifest import NAMESPACE, SegmentManifest, read, text_hash
from pipeline.signature import Signature

from tests.briefing.docx_helpers import find_table

SIGNATURE = Signature("m", "rev1", "tw2sp", "abc", 3, "beam=4", "inline")


def sentence(original, english, terms=(), origin="model"):
    return TranslatedSentence(original, original, original, english, list(terms), [], origin != "model",
                              constraints=tuple((t.target,) for t in terms if t.target and not t.unsure), origin=origin)


@pytest.fixture
def article():
    tsmc = TermResult("台積電", "TSMC", True)
    revenue = TermResult("50億元", "NT$5 billion", True, "number", value="5000000000", unit="NT$")
    vague = TermResult("數十億", None, False, "number", unsure="an approximate amount")
    blocks = [
        TranslatedBlock(Block("heading", "半導體", 1, ["半導體"]), [sentence("半導體", "Semiconductors")]),
        TranslatedBlock(Block("paragraph", "台積電營收50億元。市場看好。", 2, ["台積電營收50億元。", "市場看好。"]),
                        [sentence("台積電營收50億元。", "TSMC revenue was NT$5 billion.", [tsmc, revenue]),
                         sentence("市場看好。", "The market is upbeat.")]),
        TranslatedBlock(Block("paragraph", "投資數十億。", 3, ["投資數十億。"]),
                        [sentence("投資數十億。", "Billions invested.", [vague], origin="human")]),
    ]
    return TranslatedArticle(Article(Path("a.txt"), "標題", "explicit", [b.block for b in blocks]), "Title", blocks)


def render(article, **options):
    return render_briefing(article, SIGNATURE, BriefingOptions(run_id="run-1", **options))


def test_rows_carry_grey_ids_and_reviewed_rows_are_marked(article):
    doc = Document(io.BytesIO(render(article)))
    table = find_table(doc, ("原文", "English", "ID"))
    ids = [row.cells[-1].paragraphs[0].text for row in table.rows[1:]]
    assert ids == ["1", "2", "3"]
    grey = table.rows[1].cells[-1].paragraphs[0].runs[0]
    assert str(grey.font.color.rgb) == "808080"
    reviewed = table.rows[3]
    assert "reviewed" in reviewed.cells[-1].text and "reviewed" not in table.rows[2].cells[-1].text
    assert reviewed.cells[1]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "E2EFDA"
    meta = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert meta["Reviewed"].startswith("1 of 3 paragraphs")


def test_manifest_is_a_custom_xml_part_with_props_and_relationship(article):
    data = render(article)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = read(z)
        names = z.namelist()
        item = next(n for n in names if n.startswith("customXml/item") and b"urn:briefing" in z.read(n)
                    and "Props" not in n)
        number = item.removeprefix("customXml/item").removesuffix(".xml")
        props = etree.fromstring(z.read(f"customXml/itemProps{number}.xml"))
        assert props.find(".//{*}schemaRef").get("{http://schemas.openxmlformats.org/officeDocument/2006/customXml}uri") == NAMESPACE
        assert f"itemProps{number}.xml" in z.read(f"customXml/_rels/item{number}.xml.rels").decode()
        assert f"../{item}" in z.read("word/_rels/document.xml.rels").decode()
        assert "/customXml/itemProps" in z.read("[Content_Types].xml").decode()
    assert manifest.run == "run-1" and manifest.signature == SIGNATURE.short()
    assert manifest.context["model_revision"] == "rev1"
    assert [(r.id, r.kind) for r in manifest.rows] == [("1", "heading"), ("2", "paragraph"), ("3", "paragraph")]
    row = manifest.rows[1]
    assert row.english == "TSMC revenue was NT$5 billion. The market is upbeat."
    assert row.source_hash == text_hash("台積電營收50億元。市場看好。")
    first = row.segments[0]
    assert (first.id, first.source, first.english) == ("2.1", "台積電營收50億元。", "TSMC revenue was NT$5 billion.")
    assert first.constraints == (("TSMC",), ("NT$5 billion",)) and [t.target for t in first.terms] == ["TSMC", "NT$5 billion"]
    assert manifest.rows[2].segments[0].origin == "human"
    assert SegmentManifest.from_xml(manifest.to_xml()) == manifest


def test_sentence_rows_have_sentence_ids(article):
    manifest = read(zipfile.ZipFile(io.BytesIO(render(article, align="sentence"))))
    assert [r.id for r in manifest.rows] == ["1.1", "2.1", "2.2", "3.1"]


def test_appendix_lists_figures_with_values_and_unsure_items(article):
    doc = Document(io.BytesIO(render(article)))
    # the English as printed, not the parsed value (5000000000): readers check the English
    figures = find_table(doc, ("English", "原文", "Reads as", "In the English"))
    assert [[c.text for c in r.cells] for r in figures.rows[1:]] == [
        ["NT$5 billion", "50億元", "NT$", "yes"],
        ["not enforced", "數十億", "number", "unsure"],
    ]
    unsure = find_table(doc, ("Kind", "原文", "Why not enforced", "Sentence"))
    assert [[c.text for c in r.cells] for r in unsure.rows[1:]] == [
        ["number-unsure", "數十億", "an approximate amount", "投資數十億。"]]
