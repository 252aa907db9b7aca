"""The manifest inside the XLIFF file comes back byte for byte, or the import stops."""

import base64

import pytest
from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.manifest import Row, Segment, SegmentManifest, TermRecord
from pipeline.xliff.embed import MDA_NS, embed_12, find_manifest, metadata_2


def _manifest():
    segment = Segment("1.1", "台積電營收成長5%。", "台積電營收成長5%。", (("TSMC",), ("5%", "5 percent")),
                      "TSMC revenue grew 5%.", "model", [TermRecord("台積電", "TSMC", ("Taiwan Semiconductor",))])
    return SegmentManifest(run="r1", generated="2026-12-01T00:00:00+00:00", article="a.txt", align="paragraph",
                           signature="sig", context={"model_id": "m", "model_revision": "", "opencc_config": "s2twp",
                                                     "decoding": "beam4", "version": "0.2.0"},
                           rows=[Row("1", "paragraph", "台積電營收成長5%。", "TSMC revenue grew 5%.", [segment]),
                                 Row("2", "heading", "標題 & <符號>", "Title & <signs>", [])])


def test_the_manifest_comes_back_exactly_from_either_version():
    manifest = _manifest()
    header = etree.Element("{urn:oasis:names:tc:xliff:document:1.2}header")
    embed_12(header, manifest)
    file_2 = etree.Element("{urn:oasis:names:tc:xliff:document:2.0}file")
    file_2.append(metadata_2(manifest))
    for root in (header, file_2):
        reparsed = etree.fromstring(etree.tostring(root, pretty_print=True))
        assert find_manifest(reparsed, "x.xlf").to_xml() == manifest.to_xml()


def test_no_manifest_is_none():
    assert find_manifest(etree.fromstring(b"<xliff/>"), "x.xlf") is None


@pytest.mark.parametrize("payload", ["not base64 at all!", base64.b64encode(b"<other/>").decode(), ""])
def test_a_damaged_21_manifest_stops_the_import(payload):
    root = etree.fromstring(f'<xliff><mda:meta xmlns:mda="{MDA_NS}" type="briefing-manifest">{payload}</mda:meta></xliff>'.encode())
    with pytest.raises(BriefingError, match="x.xlf: the embedded briefing manifest is damaged"):
        find_manifest(root, "x.xlf")


@pytest.mark.parametrize("payload", ["not base64 at all!", base64.b64encode(b"<other/>").decode(), ""])
def test_a_12_internal_file_that_is_no_manifest_is_someone_elses(payload):
    """Trados keeps its own data in header/reference/internal-file (see the sample): not ours, not an error."""
    root = etree.fromstring(f'<xliff><header><reference><internal-file form="base64">{payload}</internal-file>'
                            "</reference></header></xliff>".encode())
    assert find_manifest(root, "x.xlf") is None
