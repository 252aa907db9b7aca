"""Damaged and hostile inputs, built from a good seed at test time (no external material).

Each builder writes one file and returns its path.  They damage a real Word file
the way a crashed editor, a bad download or a hand-edited archive does.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.ingest import seed_versions as sv

DOCUMENT = "word/document.xml"
# libxml2 refuses XML nested deeper than 256 elements.  The HTML reader parses
# pages without that limit (huge_tree: 2047 deep) and walks them with its own
# stack, so a page nested past Python's stack reads; one past 2047 is refused.
# Tests lower the recursion limit to this many frames to show no reader recurses
# per level of nesting.
SMALL_RECURSION_LIMIT = 200
DEPTH = 240  # past the stack a test leaves, and libxml2's default depth limit
TOO_DEEP = 2100  # past huge_tree's limit: refused


def _good_docx(folder: Path) -> bytes:
    path = sv.write_docx(folder, ".good-seed.docx")
    data = path.read_bytes()
    path.unlink()
    return data


def _rezip(data: bytes, change) -> bytes:
    """The archive with each entry's bytes passed through ``change(name, bytes)``; None drops the entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            changed = change(info.filename, src.read(info.filename))
            if changed is not None:
                dst.writestr(info.filename, changed)
    return out.getvalue()


def docx_broken_xml(folder: Path, name: str = "broken-xml.docx") -> Path:
    """word/document.xml cut in half, as a crashed save leaves it."""
    data = _rezip(_good_docx(folder), lambda n, b: b[: len(b) // 2] if n == DOCUMENT else b)
    return _write(folder / name, data)


def docx_too_deep(folder: Path, name: str = "too-deep.docx") -> Path:
    """A body nested 5,000 content controls deep (libxml2 refuses past 256)."""
    nest = b"<w:sdt><w:sdtContent>" * 5000 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 5000
    data = _rezip(_good_docx(folder), lambda n, b: b.replace(b"<w:body>", b"<w:body>" + nest) if n == DOCUMENT else b)
    return _write(folder / name, data)


def docx_bad_deflate(folder: Path, name: str = "bad-deflate.docx") -> Path:
    """Bytes flipped inside the compressed document.xml: inflating it fails (zlib.error)."""
    data = bytearray(_good_docx(folder))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(DOCUMENT)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # the local header is 30 bytes
    for k in range(5, 13):
        data[start + k] ^= 0xFF
    return _write(folder / name, bytes(data))


def docx_missing_document(folder: Path, name: str = "no-document.docx") -> Path:
    """The archive without word/document.xml."""
    return _write(folder / name, _rezip(_good_docx(folder), lambda n, b: None if n == DOCUMENT else b))


def docx_truncated(folder: Path, name: str = "truncated.docx") -> Path:
    """The first half of the file, as an interrupted download leaves it."""
    data = _good_docx(folder)
    return _write(folder / name, data[: len(data) // 2])


def docx_zip_bomb(folder: Path, name: str = "zip-bomb.docx", unpacked_mb: int = 300) -> Path:
    """The seed with a media part of ``unpacked_mb`` MB of zeros: about 0.1% of that on disk."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_good_docx(folder))) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("word/media/padding.bin", "w", force_zip64=True) as part:
            zeros = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(zeros)
    return _write(folder / name, out.getvalue())


def html_too_deep(folder: Path, name: str = "too-deep.html") -> Path:
    """The seed page with its article inside TOO_DEEP nested <div>s: more than any parser here reads."""
    return html_nested(folder, TOO_DEEP, name)


def html_nested(folder: Path, depth: int, name: str = "deep.html") -> Path:
    """The seed page with its article inside ``depth`` nested <div>s."""
    page = sv.page_html()
    page = page.replace("<body>", "<body>" + "<div>" * depth, 1).replace("</body>", "</div>" * depth + "</body>", 1)
    return _write(folder / name, page.encode("utf-8"))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


DOCX_BUILDERS = (docx_broken_xml, docx_too_deep, docx_bad_deflate, docx_missing_document, docx_truncated, docx_zip_bomb)
