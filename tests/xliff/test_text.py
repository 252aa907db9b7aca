"""Inline markup to text: what a CAT tool writes around the words must not reach the memory."""

import pytest
from lxml import etree

from pipeline.xliff.text import inline_text

V12 = 'xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"'
V2 = 'xmlns="urn:oasis:names:tc:xliff:document:2.0"'


@pytest.mark.parametrize("xml, text", [
    # XLIFF 1.2: paired and placeholder codes keep the words, native code is not text
    (f'<target {V12}>TSMC <g id="1">raised</g> its<x id="2"/> forecast</target>', "TSMC raised its forecast"),
    (f'<target {V12}>Revenue <bx id="3"/>rose<ex id="3"/> 5%</target>', "Revenue rose 5%"),
    (f'<target {V12}>Line one<ph id="4">&lt;br/&gt;</ph> line two</target>', "Line one line two"),
    (f'<target {V12}><bpt id="5">&lt;b&gt;</bpt>Bold<ept id="5">&lt;/b&gt;</ept> text<it id="6" pos="open">&lt;i&gt;</it></target>',
     "Bold text"),
    (f'<target {V12}><mrk mtype="seg" mid="1">Segment one.</mrk> <mrk mtype="seg" mid="2">Two.</mrk></target>',
     "Segment one. Two."),
    # tracked changes read as accepted: memoQ and Trados deletions dropped, insertions kept
    (f'<target {V12}><mrk mtype="x-mq-tc" mq:tctype="del">Old </mrk>New<mrk mtype="x-mq-tc" mq:tctype="ins"> text</mrk></target>',
     "New text"),
    (f'<target {V12}><mrk mtype="x-sdl-deleted">Old </mrk>New<mrk mtype="x-sdl-added"> text</mrk></target>', "New text"),
    # XLIFF 2.x
    (f'<target {V2}>TSMC <pc id="1">raised</pc> its<ph id="2"/> forecast</target>', "TSMC raised its forecast"),
    (f'<target {V2}><sc id="1"/>Revenue<ec startRef="1"/> rose <mrk id="m1" type="term">5%</mrk></target>', "Revenue rose 5%"),
    (f'<target {V2}>A<cp hex="0007"/>B <sm id="s" type="comment"/>C<em startRef="s"/></target>', "A\x07B C"),
    # whitespace a tool re-wraps, comments and processing instructions
    (f'<target {V12}>  Two\n   lines <!-- tool note --><?tool x?>here </target>', "Two lines here"),
    (f'<target {V12}/>', ""),
])
def test_inline_text(xml, text):
    assert inline_text(etree.fromstring(xml)) == text


def test_no_element_is_no_text():
    assert inline_text(None) == ""
