"""Budgets for the zip archives we open (Word articles, reviewed briefings, XLSX glossaries).

python-docx and openpyxl inflate parts into memory and parse them whole, so a
small file that unpacks to gigabytes (a zip bomb) would exhaust memory before
any of our code sees it.  ``check_archive`` looks first: entry count, each
entry's declared size, the total, and the compression ratio of large entries,
against limits proportional to the input cap (``--max-input-mb``).  Declared
sizes can lie, so it then inflates every entry in chunks and stops as soon as
one yields more than its header declared: after that the declared sizes, and
so the budget, bound what the libraries will inflate.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES

MB = 1024 * 1024
# A real Word file or workbook unpacks to a few times its size (XML compresses
# 5-20:1, images not at all); 20x the input cap is far above that.  Never below
# 100 MB, so a small --max-input-mb does not refuse an ordinary file.
UNPACKED_PER_INPUT_BYTE = 20
MIN_UNPACKED_BYTES = 100 * MB
# Small XML parts compress extremely well (a styles part of 40 KB can reach
# 200:1), so the ratio is judged only on entries big enough to hurt.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 * MB
MAX_ENTRIES = 10_000
CHUNK = 1 * MB
# Office files only store or deflate their parts.  zipfile inflates bzip2 and LZMA
# without an output limit per read, so a forged entry in either could exhaust
# memory inside one read: they are refused, not inflated.
_OFFICE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


@dataclass(frozen=True)
class ArchiveLimits:
    max_unpacked: int  # all entries together, inflated
    max_ratio: float = MAX_RATIO
    ratio_from: int = RATIO_FROM_BYTES
    max_entries: int = MAX_ENTRIES


def archive_limits(max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> ArchiveLimits:
    """The limits for an archive read under the input cap ``max_input_bytes``."""
    return ArchiveLimits(max(UNPACKED_PER_INPUT_BYTE * max_input_bytes, MIN_UNPACKED_BYTES))


def check_archive(source: bytes | Path, name: str, max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> None:
    """Raise ``InputError("<name>: <which limit>")`` when the zip ``source`` is over its budget.

    A file that is not a zip at all raises ``zipfile.BadZipFile`` (and a damaged
    entry ``zlib.error`` or ``BadZipFile``): each reader words those itself.
    """
    problem = archive_problem(source, archive_limits(max_input_bytes))
    if problem:
        raise InputError(f"{name}: {problem}")


def archive_problem(source: bytes | Path, limits: ArchiveLimits) -> str | None:
    """Which limit the zip ``source`` breaks, in words; None when it is within all of them."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        entries = archive.infolist()
        return _declared_problem(entries, limits) or _inflated_problem(archive, entries)


def _declared_problem(entries: list[zipfile.ZipInfo], limits: ArchiveLimits) -> str | None:
    if len(entries) > limits.max_entries:
        return f"holds {len(entries):,} archive entries, over the limit of {limits.max_entries:,}"
    total = sum(info.file_size for info in entries)
    if total > limits.max_unpacked:
        return (f"unpacks to {total / MB:,.0f} MB, over the {limits.max_unpacked / MB:,.0f} MB limit "
                f"({UNPACKED_PER_INPUT_BYTE}x --max-input-mb; a zip bomb?)")
    for info in entries:
        if info.file_size >= limits.ratio_from and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            return (f"{info.filename} compresses {ratio:,.0f}:1, over the {limits.max_ratio:g}:1 limit "
                    f"for a part of {limits.ratio_from / MB:g} MB or more (a zip bomb?)")
    return None


def _inflated_problem(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> str | None:
    """Inflate each entry in chunks; stop at the first byte past its declared size."""
    for info in entries:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:  # zipfile would ask for a password (RuntimeError): no Office file is built so
            return f"{info.filename} is encrypted (a password-protected zip, not an Office file)"
        if info.compress_type not in _OFFICE_METHODS:
            return (f"{info.filename} uses compression method {info.compress_type} "
                    f"({zipfile.compressor_names.get(info.compress_type, 'unknown')}); Office files store or deflate")
        probe = copy.copy(info)
        probe.file_size = info.file_size + 1  # zipfile stops at the declared size: allow one byte more to see a lie
        del probe.CRC  # else zipfile's CRC check at that byte would speak first; the libraries check it when reading
        inflated = 0
        with archive.open(probe) as part:
            while chunk := part.read(CHUNK):
                inflated += len(chunk)
                if inflated > info.file_size:
                    return (f"{info.filename} inflates past the {info.file_size:,} bytes its header declares "
                            "(a forged archive)")
    return None
