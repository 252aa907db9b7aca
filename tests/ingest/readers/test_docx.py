"""Word files: styles give the title and headings; tracked changes read as accepted."""

import zipfile

import pytest

from pipeline.errors import InputError
from pipeline.ingest.readers import read_input
from tests.ingest import seed_versions as sv


def test_word_version_of_a_seed_gives_the_txt_body(tmp_path):
    article = read_input(sv.write_docx(tmp_path))
    txt = sv.txt_article()
    assert [(b.kind, b.text) for b in article.blocks] == [(b.kind, b.text) for b in txt.blocks]
    assert (article.title, article.title_source, article.byline) == (sv.PAGE_TITLE, "explicit", sv.AUTHOR)
    assert article.format == "docx"


def test_tracked_changes_are_accepted_where_python_docx_text_is_not(tmp_path):
    import docx

    path = sv.write_docx(tmp_path)
    article = read_input(path)
    body = "".join(b.text for b in article.blocks)
    assert sv.DELETED not in body
    paragraphs = [p.text for p in docx.Document(path).paragraphs]
    txt_first = next(b.text for b in sv.txt_article().blocks if not b.is_heading)
    assert txt_first not in paragraphs  # python-docx alone misses the inserted half (or shows the deleted words)
    assert txt_first in [b.text for b in article.blocks]
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "<w:del " in xml and "<w:ins " in xml  # the fixture really holds tracked changes


def test_a_broken_docx_is_one_input_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as err:
        read_input(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)
