"""Reading a reviewer's cell: tracked changes accepted (w:ins kept, w:del and w:moveFrom dropped)."""

from lxml import etree

from pipeline.review.reader import W, accepted_text


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
