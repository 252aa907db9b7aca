"""Damaged and hostile inputs: one InputError naming the file, never a library's exception.

The builders (tests/ingest/readers/hostile.py) damage a real Word file and the
seed page; every error must be a one-line InputError that starts with the path.
"""

import sys

import pytest

from pipeline.errors import InputError, one_line
from pipeline.ingest.readers import input_errors, read_input
from tests.ingest.readers import hostile


def refused(path) -> str:
    return hostile.one_line_refusal(InputError, read_input, path)


@pytest.mark.parametrize("build, reason", [
    (hostile.docx_broken_xml, "malformed XML"),
    (hostile.docx_too_deep, "malformed XML"),  # libxml2 refuses nesting past 256
    (hostile.docx_bad_deflate, "damaged archive"),
    (hostile.docx_missing_document, "not a readable Word"),
    (hostile.docx_truncated, "not a readable Word"),
    (hostile.docx_zip_bomb, "MB, over the 100 MB limit (20x --max-input-mb; a zip bomb?)"),
    (hostile.docx_empty_paragraphs, "MB, over the 100 MB limit"),
    (hostile.docx_lying_size, "word/document.xml inflates past the"),
])
def test_a_damaged_word_file_is_one_input_error(tmp_path, build, reason):
    assert reason in refused(build(tmp_path))


@pytest.mark.parametrize("build, kwargs, reason", [
    (hostile.docx_empty_paragraphs, {}, "MB, over the 100 MB limit"),
    (hostile.docx_empty_paragraphs, {"unpacked_mb": 20}, "word/document.xml compresses"),  # under the total: the ratio
    (hostile.docx_lying_size, {"unpacked_mb": 300}, "its header declares (a forged archive)"),
])
def test_a_word_bomb_is_refused_in_bounded_memory_and_time(tmp_path, build, kwargs, reason):
    """issue 19: a 953 KB DOCX of empty paragraphs that unpacks to 600 MB drove a run past 6 GB."""
    import time

    path = build(tmp_path, **kwargs)
    assert path.stat().st_size < 1024 * 1024
    started = time.monotonic()
    message, peak = hostile.with_peak(lambda: refused(path))
    assert reason in message
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1048576:.0f} MB"
    assert time.monotonic() - started < 30


def test_the_word_budget_follows_the_input_cap(tmp_path):
    path = hostile.docx_empty_paragraphs(tmp_path)  # 150 MB unpacked: over 20x 5 MB, within 20x 10 MB
    with pytest.raises(InputError) as err:
        read_input(path, max_bytes=10 * 1024 * 1024)
    assert "compresses" in str(err.value)  # the total passes; still a bomb by its ratio


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_a_page_nested_deeper_than_the_stack_reads_whole(tmp_path):
    """Past libxml2's default depth (255) and past the stack a test leaves: the same article as the flat page."""
    flat = read_input(hostile.html_nested(tmp_path, 0, "flat.html"))
    path = hostile.html_nested(tmp_path, hostile.DEPTH)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + hostile.SMALL_RECURSION_LIMIT)
    try:
        article = read_input(path)
    finally:
        sys.setrecursionlimit(limit)
    assert [b.text for b in article.blocks] == [b.text for b in flat.blocks]


def test_a_page_nested_past_every_parser_is_one_input_error(tmp_path):
    message = refused(hostile.html_too_deep(tmp_path))
    assert "nested too deeply to read" in message and "2047" in message


def test_a_recursion_error_in_a_reader_is_the_inputs_fault():
    with pytest.raises(InputError, match=r"^a\.md: nested too deeply to read$"), input_errors("a.md"):
        raise RecursionError("maximum recursion depth exceeded")


def test_a_bug_is_not_passed_off_as_the_inputs_fault():
    # the run reports it as an internal error, with --debug's traceback
    with pytest.raises(AttributeError), input_errors("x.docx"):
        raise AttributeError("'NoneType' object has no attribute 'text'")


@pytest.mark.parametrize("message", ["a.txt: first\nsecond", "a.txt: first\r\n  second\n", "a b.txt: one\n\n\ntwo"])
def test_every_input_error_leaves_the_reader_on_one_line(message):
    with pytest.raises(InputError) as err, input_errors("a.txt"):
        raise InputError(message)
    assert "\n" not in str(err.value) and "\r" not in str(err.value)
    assert str(err.value) == one_line(message) and str(err.value).endswith(("second", "two"))
    assert one_line("dir with  two  spaces/a.txt: x") == "dir with  two  spaces/a.txt: x"  # paths keep their spaces


@pytest.mark.parametrize("name, content, reason", [
    ("empty\nname.txt", b"", "empty file"),
    ("two\r\nlines.md", "台積電".encode() + b"\x00" * 64, "binary"),
    ("deep\nname.docx", None, "not a readable Word"),
])
def test_a_file_named_with_a_line_break_gets_a_one_line_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content if content is not None else hostile.docx_truncated(tmp_path).read_bytes())
    with pytest.raises(InputError) as err:
        read_input(path)
    assert "\n" not in str(err.value) and "\r" not in str(err.value) and reason in str(err.value)
    assert str(err.value).startswith(one_line(str(path)))
