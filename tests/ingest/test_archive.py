"""Zip budgets (pipeline/ingest/archive.py) on small generated archives, one per limit.

Every archive here is written by the test with zipfile; the limits are shrunk
(ArchiveLimits) so each case stays a few MB.  Real Word files, an incompressible
image and moderately compressible text must pass: the budget refuses bombs, not documents.
"""

import io
import random
import zipfile

import pytest

from pipeline.errors import InputError
from pipeline.ingest.archive import (
    MIN_UNPACKED_BYTES,
    ArchiveLimits,
    archive_limits,
    archive_problem,
    check_archive,
)
from tests.ingest import seed_versions as sv
from tests.ingest.readers import hostile

MB = 1024 * 1024


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def hanzi_text(size: int, seed: int = 19) -> bytes:
    """Random CJK characters from a few hundred: compresses about 2:1 like real text, not 1,000:1."""
    rng = random.Random(seed)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
    return "".join(rng.choice(pool) for _ in range(size // 3)).encode("utf-8")


def test_limits_follow_the_input_cap_and_never_fall_below_the_floor():
    assert archive_limits(5 * MB).max_unpacked == MIN_UNPACKED_BYTES == 100 * MB
    assert archive_limits(10 * MB).max_unpacked == 200 * MB
    assert archive_limits(50 * MB).max_unpacked == 1000 * MB
    assert archive_limits(1 * MB).max_unpacked == 100 * MB  # a small cap does not refuse ordinary files


@pytest.mark.parametrize("parts, limits, expected", [
    ({f"p{i}.xml": b"<a/>" for i in range(30)}, ArchiveLimits(10 * MB, max_entries=20), "holds 30 archive entries, over the limit of 20"),
    ({"a.bin": hanzi_text(3 * MB)}, ArchiveLimits(2 * MB), "unpacks to 3 MB, over the 2 MB limit"),
    ({"a.xml": b"<w:p/>" * (2 * MB // 6)}, ArchiveLimits(10 * MB), "a.xml compresses"),
])
def test_each_limit_is_named_in_the_refusal(parts, limits, expected):
    assert expected in (archive_problem(zipped(parts), limits) or "")


def test_the_ratio_limit_is_the_one_configured():
    part = random.Random(2).randbytes(64 * 1024) + bytes(5 * MB)  # about 75:1
    archive = zipped({"x.xml": part})
    assert "x.xml compresses 7" in archive_problem(archive, ArchiveLimits(10 * MB, max_ratio=50))
    assert "over the 50:1 limit for a part of 1 MB or more" in archive_problem(archive, ArchiveLimits(10 * MB, max_ratio=50))
    assert archive_problem(archive, ArchiveLimits(10 * MB)) is None  # 100:1 by default
    assert archive_problem(archive, ArchiveLimits(10 * MB, max_ratio=50, ratio_from=6 * MB)) is None  # too small to judge


@pytest.mark.parametrize("parts", [
    {"word/media/image1.png": random.Random(1).randbytes(3 * MB)},  # images barely compress
    {"word/document.xml": hanzi_text(4 * MB)},
    {"word/styles.xml": b"<w:style/>" * 50_000},  # 500 KB at ~500:1: small parts may compress that well
    {f"customXml/item{i}.xml": b"<x/>" for i in range(500)},
])
def test_ordinary_archives_are_within_budget(parts):
    assert archive_problem(zipped(parts), archive_limits()) is None


def test_the_seed_word_file_and_its_path_pass(tmp_path):
    path = sv.write_docx(tmp_path)
    assert archive_problem(path, archive_limits()) is None  # a Path works as well as the bytes
    check_archive(path.read_bytes(), str(path))


@pytest.mark.parametrize("actual_mb", [2, 6])
def test_a_header_that_understates_an_entry_is_caught_while_inflating(tmp_path, actual_mb):
    path = hostile.docx_lying_size(tmp_path, unpacked_mb=actual_mb)
    with zipfile.ZipFile(path) as archive:  # the forgery holds: zipfile believes the small size
        declared = archive.getinfo(hostile.DOCUMENT).file_size
    assert declared < 100_000
    with pytest.raises(InputError) as err:
        check_archive(path.read_bytes(), "forged.docx")
    assert str(err.value) == (f"forged.docx: {hostile.DOCUMENT} inflates past the {declared:,} bytes "
                              "its header declares (a forged archive)")


def test_a_file_that_is_not_a_zip_is_left_to_the_reader_to_word():
    with pytest.raises(zipfile.BadZipFile):
        check_archive(b"not a zip at all", "x.docx")


def _patched(data: bytes, name: str, local_offset: int, central_offset: int, value: bytes) -> bytes:
    """``data`` with the bytes at the given offsets of ``name``'s local header and central record replaced."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        header = archive.getinfo(name).header_offset
    record = hostile._central_record(data, name)
    out[header + local_offset:header + local_offset + len(value)] = value
    out[record + central_offset:record + central_offset + len(value)] = value
    return bytes(out)


@pytest.mark.parametrize("field, value, expected", [
    # general purpose flags (bit 0: encrypted): offset 6 local, 8 central
    ((6, 8), b"\x01\x00", "word/document.xml is encrypted (a password-protected zip, not an Office file)"),
    # compression method: offset 8 local, 10 central
    ((8, 10), b"\x0c\x00", "word/document.xml uses compression method 12 (bzip2); Office files store or deflate"),
    ((8, 10), b"\x0e\x00", "word/document.xml uses compression method 14 (lzma)"),
    ((8, 10), b"\x63\x00", "word/document.xml uses compression method 99 (unknown)"),
])
def test_an_entry_zipfile_cannot_or_should_not_inflate_is_named(tmp_path, field, value, expected):
    data = _patched(sv.write_docx(tmp_path).read_bytes(), hostile.DOCUMENT, *field, value)
    assert archive_problem(data, archive_limits()).startswith(expected)
    with pytest.raises(InputError) as err:  # through the reader: one line, not RuntimeError or NotImplementedError
        read_input_bytes(tmp_path / "odd.docx", data)
    assert str(err.value) == f"{tmp_path / 'odd.docx'}: {archive_problem(data, archive_limits())}"


def read_input_bytes(path, data):
    from pipeline.ingest.readers import read_input

    path.write_bytes(data)
    return read_input(path)
