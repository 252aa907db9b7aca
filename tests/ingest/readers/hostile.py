"""Damaged and hostile inputs, built from a good seed at test time (no external material).

Each builder writes one file and returns its path.  They damage a real Word file
the way a crashed editor, a bad download or a hand-edited archive does, or build
what an attacker would (zip bombs, forged headers).  Workbooks (XLSX glossaries)
are written part by part from scratch, streamed, so a huge sheet is cheap to make.
"""

from __future__ import annotations

import io
import itertools
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator
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


def one_line_refusal(error: type[Exception], read: Callable, path: Path) -> str:
    """The message ``read(path)`` refuses ``path`` with: one line, naming the file first."""
    try:
        read(path)
    except error as err:
        message = str(err)
    else:
        raise AssertionError(f"{path} was read, not refused")
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    return message


def with_peak(call: Callable):
    """(what ``call()`` returns, the peak of memory Python allocated meanwhile, in bytes)."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


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


def docx_empty_paragraphs(folder: Path, name: str = "empty-paragraphs.docx", unpacked_mb: int = 150) -> Path:
    """The seed whose document.xml holds ``unpacked_mb`` MB of empty paragraphs (<w:p/>), as in issue 19
    (953 KB on disk, 600 MB unpacked); deflate packs them about 1,000:1."""
    seed = _good_docx(folder)
    with zipfile.ZipFile(io.BytesIO(seed)) as src:
        head, tail = src.read(DOCUMENT).split(b"</w:body>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != DOCUMENT:
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open(DOCUMENT, "w", force_zip64=True) as part:
            part.write(head)
            block = b"<w:p/>" * (1024 * 1024 // 6)
            for _ in range(unpacked_mb):
                part.write(block)
            part.write(b"</w:body>" + tail)
    return _write(folder / name, out.getvalue())


def docx_lying_size(folder: Path, name: str = "lying-size.docx", unpacked_mb: int = 40) -> Path:
    """Empty paragraphs whose document.xml declares only the seed's own size, in the local header and
    in the central directory alike: what a reader trusting the headers would let through."""
    data = bytearray(docx_empty_paragraphs(folder, name, unpacked_mb).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(DOCUMENT)
        claimed = len(_good_docx_part(folder))
    # 4-byte uncompressed size: offset 22 in the local header, 24 in the central directory record
    data[info.header_offset + 22:info.header_offset + 26] = claimed.to_bytes(4, "little")
    record = _central_record(bytes(data), DOCUMENT)
    data[record + 24:record + 28] = claimed.to_bytes(4, "little")
    return _write(folder / name, bytes(data))


def _good_docx_part(folder: Path, part: str = DOCUMENT) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_good_docx(folder))) as archive:
        return archive.read(part)


def _central_record(data: bytes, filename: str) -> int:
    """Offset of ``filename``'s central directory record (walked from the end-of-directory record)."""
    end = data.rfind(b"PK\x05\x06")
    at = int.from_bytes(data[end + 16:end + 20], "little")
    while data[at:at + 4] == b"PK\x01\x02":
        lengths = [int.from_bytes(data[at + k:at + k + 2], "little") for k in (28, 30, 32)]
        if data[at + 46:at + 46 + lengths[0]] == filename.encode():
            return at
        at += 46 + sum(lengths)
    raise KeyError(filename)


def html_too_deep(folder: Path, name: str = "too-deep.html") -> Path:
    """The seed page with its article inside TOO_DEEP nested <div>s: more than any parser here reads."""
    return html_nested(folder, TOO_DEEP, name)


def html_nested(folder: Path, depth: int, name: str = "deep.html") -> Path:
    """The seed page with its article inside ``depth`` nested <div>s."""
    page = sv.page_html()
    page = page.replace("<body>", "<body>" + "<div>" * depth, 1).replace("</body>", "</div>" * depth + "</body>", 1)
    return _write(folder / name, page.encode("utf-8"))


# ---------------------------------------------------------------- workbooks (XLSX glossaries)

_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '{strings_type}</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SHEET_NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Terms" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>'),
}
_STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_STRINGS_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'sharedStrings" Target="sharedStrings.xml"/>')
GLOSSARY_HEADER = ("source", "target", "aliases", "note")


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_rows(number: int, far: str = "") -> Iterator[str]:
    """<row> elements: the glossary header, then ``number`` terms; with ``far`` (a column such as XFD)
    each row also holds one note far to the right, as a stray cell a careless edit leaves."""
    yield '<row r="1">' + "".join(_text_cell(f"{c}1", h) for c, h in zip("ABCD", GLOSSARY_HEADER)) + "</row>"
    for n in range(2, number + 2):
        stray = _text_cell(f"{far}{n}", "x") if far else ""
        yield f'<row r="{n}">{_text_cell(f"A{n}", f"詞{n}")}{_text_cell(f"B{n}", f"Term {n}")}{stray}</row>'


def xlsx_workbook(folder: Path, name: str, rows: Iterable[str], shared_strings: Iterable[str] = ()) -> Path:
    """A minimal workbook written part by part (no <dimension>: the sheet says nothing of its size),
    streamed so a large sheet costs little memory to build."""
    strings = iter(shared_strings)
    first = next(strings, None)
    with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, xml in _XLSX_PARTS.items():
            archive.writestr(part, xml.format(strings_type=_STRINGS_TYPE if first is not None else "",
                                              strings_rel=_STRINGS_REL if first is not None else ""))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}"><sheetData>'.encode())
            for row in rows:
                sheet.write(row.encode("utf-8"))
            sheet.write(b"</sheetData></worksheet>")
        if first is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_SHEET_NS}">'.encode())
                for text in itertools.chain((first,), strings):
                    part.write(f"<si><t>{text}</t></si>".encode())
                part.write(b"</sst>")
    return folder / name


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


DOCX_BUILDERS = (docx_broken_xml, docx_too_deep, docx_bad_deflate, docx_missing_document, docx_truncated, docx_zip_bomb,
                 docx_empty_paragraphs, docx_lying_size)
