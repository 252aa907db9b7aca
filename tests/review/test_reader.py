"""Reading a reviewer's copy: tracked changes accepted (w:ins kept, w:del and w:moveFrom dropped); a copy over the zip budget refused."""

import pytest
from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.reader import W, accepted_text, read_reviewed
from tests.ingest.readers import hostile


def paragraph(body):
    return etree.fromstring(f'<w:p xmlns:w="{W}">{body}</w:p>')


def test_insertions_kept_deletions_dropped():
    p = paragraph('<w:r><w:t xml:space="preserve">Hon Hai </w:t></w:r>'
                  '<w:del w:id="1" w:author="Ann"><w:r><w:delText>said</w:delText></w:r></w:del>'
                  '<w:ins w:id="2" w:author="Ann"><w:r><w:t>announced</w:t></w:r></w:ins>'
                  '<w:moveFrom w:id="3" w:author="Ann"><w:r><w:t> twice</w:t></w:r></w:moveFrom>'
                  '<w:r><w:t>.</w:t></w:r>')
    assert accepted_text(p) == "Hon Hai announced."


def test_a_deleted_run_that_still_uses_w_t_is_dropped():
    # some writers keep w:t inside w:del; the ancestor decides, not the tag
    p = paragraph('<w:del w:id="1" w:author="Ann"><w:r><w:t>old</w:t></w:r></w:del><w:r><w:t>new</w:t></w:r>')
    assert accepted_text(p) == "new"


# ---------------------------------------------------------------- opening a reviewed copy: the zip budget

def refused_review(path) -> str:
    return hostile.one_line_refusal(BriefingError, read_reviewed, path)


@pytest.mark.parametrize("build, kwargs, reason", [
    (hostile.docx_empty_paragraphs, {}, "MB, over the 100 MB limit"),
    (hostile.docx_empty_paragraphs, {"unpacked_mb": 20}, "word/document.xml compresses"),
    (hostile.docx_lying_size, {"unpacked_mb": 200}, "its header declares (a forged archive)"),
    (hostile.docx_zip_bomb, {}, "MB, over the 100 MB limit"),
])
def test_a_bomb_sent_back_as_a_review_is_refused_in_bounded_memory(tmp_path, build, kwargs, reason):
    """issue 19: `review import` of a DOCX that unpacks to 600 MB went past 6 GB like a run did."""
    path = build(tmp_path, **kwargs)
    message, peak = hostile.with_peak(lambda: refused_review(path))
    assert reason in message
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1048576:.0f} MB"


@pytest.mark.parametrize("build", [hostile.docx_bad_deflate, hostile.docx_truncated])
def test_a_damaged_review_copy_is_one_line_not_an_internal_error(tmp_path, build):
    assert "cannot read as a Word document" in refused_review(build(tmp_path))
