"""Reading XLIFF back, on hand-written files that carry a manifest: what becomes a reviewer's row."""

import pytest
from lxml import etree

from pipeline.errors import BriefingError
from pipeline.review.manifest import Row, Segment, SegmentManifest
from pipeline.xliff.embed import embed_12, metadata_2
from pipeline.xliff.read import read_reviewed_xliff, read_xliff

V12 = "urn:oasis:names:tc:xliff:document:1.2"
V2 = "urn:oasis:names:tc:xliff:document:2.0"


def _manifest():
    rows = [Row(str(i), "paragraph", f"第{i}段。", f"Paragraph {i}.", [Segment(f"{i}.1", f"第{i}段。", f"第{i}段。", (), f"Paragraph {i}.")])
            for i in (1, 2, 3)]
    return SegmentManifest("r", "2026-12-01T00:00:00+00:00", "a.txt", "paragraph", "sig",
                           {"model_id": "m", "model_revision": "", "opencc_config": "", "decoding": "", "version": ""}, rows)


def _write_12(path, body: str, header: str = ""):
    root = etree.fromstring(f'<xliff xmlns="{V12}" version="1.2"><file original="a.docx" datatype="plaintext" '
                            f'source-language="zh-TW" target-language="en"><header>{header}</header><body>{body}'
                            "</body></file></xliff>")
    embed_12(root[0][0], _manifest())
    path.write_bytes(etree.tostring(root))
    return path


def test_an_empty_or_missing_target_leaves_the_row_as_it_was(tmp_path):
    path = _write_12(tmp_path / "a.xlf",
                     '<trans-unit id="1"><source>第1段。</source><target state="new"/></trans-unit>'
                     '<trans-unit id="2"><source>第2段。</source></trans-unit>'
                     '<trans-unit id="3"><source>第3段。</source><target>Changed.</target></trans-unit>')
    rows = read_reviewed_xliff(path).rows
    assert [(r.row_id, r.english) for r in rows] == [("1", "Paragraph 1."), ("2", "Paragraph 2."), ("3", "Changed.")]


def test_the_12_reviewer_from_the_phase_or_the_notes(tmp_path):
    phase = '<phase-group><phase phase-name="t" process-name="translation" contact-name="Pat Phase"/></phase-group>'
    path = _write_12(tmp_path / "a.xlf", '<trans-unit id="1"><source>第1段。</source><target>X.</target></trans-unit>', phase)
    assert read_xliff(path).reviewer == "Pat Phase"
    path = _write_12(tmp_path / "b.xlf", '<trans-unit id="1"><source>第1段。</source><target>X.</target>'
                     '<note from="briefing">Glossary: ours</note><note from="Nina Note">theirs</note></trans-unit>')
    document = read_xliff(path)
    assert document.reviewer == "Nina Note" and document.units[0].notes == ["Nina Note: theirs"]
    path = _write_12(tmp_path / "c.xlf", '<trans-unit id="1"><source>第1段。</source><target>X.</target></trans-unit>')
    assert read_xliff(path).reviewer == "unknown reviewer"


def test_a_21_unit_split_into_segments_is_one_row_and_its_notes_are_the_translators(tmp_path):
    root = etree.fromstring(
        f'<xliff xmlns="{V2}" version="2.1" srcLang="zh-TW" trgLang="en"><file id="f1">'
        '<unit id="1"><notes><note category="briefing">Glossary: ours</note><note>  Check   this. </note></notes>'
        '<segment state="translated"><source>第1</source><target>First</target></segment>'
        '<ignorable><source> </source></ignorable>'
        '<segment state="translated"><source>段。</source><target>half.</target></segment></unit>'
        '<unit id="2"><segment><source>第2段。</source><target>Second.</target></segment></unit>'
        "</file></xliff>")
    root[0].insert(0, metadata_2(_manifest()))
    path = tmp_path / "a.xlf"
    path.write_bytes(etree.tostring(root))
    document = read_xliff(path)
    assert [(u.id, u.source, u.target, u.notes) for u in document.units] == [
        ("1", "第1 段。", "First half.", ["Check this."]), ("2", "第2段。", "Second.", [])]
    assert document.manifest.to_xml() == _manifest().to_xml()


@pytest.mark.parametrize("content, message", [
    (b"not xml", "cannot read as XLIFF"),
    (b"<tmx version='1.4'/>", r"not an XLIFF file \(its root element is <tmx>\)"),
])
def test_what_is_not_xliff_is_one_line(tmp_path, content, message):
    path = tmp_path / "x.xlf"
    path.write_bytes(content)
    with pytest.raises(BriefingError, match=message):
        read_xliff(path)
