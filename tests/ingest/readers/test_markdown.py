"""Markdown: # title, ## headings, paragraphs, lists and quotations."""

from pipeline.ingest.readers import read_input
from tests.ingest import seed_versions as sv


def test_markdown_version_of_a_seed_gives_the_txt_body(tmp_path):
    article = read_input(sv.write_markdown(tmp_path))
    txt = sv.txt_article()
    assert [(b.kind, b.text) for b in article.blocks] == [(b.kind, b.text) for b in txt.blocks]
    assert (article.title, article.byline, article.date) == (sv.PAGE_TITLE, sv.AUTHOR, sv.DATE)
    assert article.format == "markdown"


def test_lists_quotes_and_markup(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "# 台積電擴產\n\n台積電今天宣布在**高雄**擴建新廠，預計明年量產。\n\n"
        "- 與OpenAI合作\n- 擴建產能\n\n> 「AI需求非常強勁」\n\n## 投資金額\n\n"
        "總投資金額約新台幣一兆元，\n分三年投入。\n", encoding="utf-8")
    article = read_input(path)
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "台積電今天宣布在高雄擴建新廠，預計明年量產。"),
        ("paragraph", "與OpenAI合作"), ("paragraph", "擴建產能"), ("paragraph", "「AI需求非常強勁」"),
        ("heading", "投資金額"), ("paragraph", "總投資金額約新台幣一兆元，分三年投入。"),
    ]
    assert article.title == "台積電擴產"
