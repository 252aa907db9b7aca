"""Glossary file formats, one module each, chosen by the file's suffix.

Every reader returns ``(entries, problems)``, each problem one line naming the
place: ``file:line: ...`` (CSV, TSV, TBX) or ``file:sheet!row: ...`` (XLSX).
Every writer returns the file's bytes; callers write them atomically.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.glossary.entry import GlossaryEntry

FORMATS = ("csv", "tsv", "xlsx", "tbx")
# TBX export: "2008" is TBX-Basic in <martif> (ISO 30042:2008, TBX v2), the form CAT tools have
# imported for longest; "2019" is <tbx> with conceptEntry (ISO 30042:2019, TBX v3).  Import reads both.
TBX_VERSIONS = ("2008", "2019")
DEFAULT_TBX_VERSION = "2008"
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".tbx": "tbx"}
# Spreadsheets openpyxl cannot open: say what to do instead of "undecodable bytes".
_SAVE_AS = {".xls": "Excel 97-2003", ".ods": "OpenDocument", ".numbers": "Numbers"}


def format_of(path: Path) -> str | None:
    return _SUFFIXES.get(Path(path).suffix.lower())


def read_glossary_file(path: Path, languages: tuple[str, str] | None = None) -> tuple[list[GlossaryEntry], list[str]]:
    """Read any supported glossary file.  ``languages`` (source, target) applies to TBX (default zh, en)."""
    kind = format_of(path)
    old = _SAVE_AS.get(Path(path).suffix.lower())
    if old:
        return [], [f"{path}:0: {old} workbooks are not read; save it as .xlsx (Excel Workbook) or CSV UTF-8"]
    if kind == "xlsx":
        from pipeline.glossary.formats.xlsx_format import read_xlsx

        return read_xlsx(Path(path))
    if kind == "tbx":
        from pipeline.glossary.formats.tbx_format import DEFAULT_LANGUAGES, read_tbx

        return read_tbx(Path(path), languages or DEFAULT_LANGUAGES)
    from pipeline.glossary.formats.csv_format import read_csv, read_tsv

    # Anything else is read as CSV, as before: its messages say what is wrong.
    return read_tsv(Path(path)) if kind == "tsv" else read_csv(Path(path))


def write_glossary_bytes(entries: list[GlossaryEntry], kind: str, tbx_version: str = DEFAULT_TBX_VERSION) -> bytes:
    """The file's content in format ``kind`` (TBX in ``tbx_version``, one of ``TBX_VERSIONS``);
    raises ``BriefingError`` for an entry the format cannot hold."""
    if kind == "xlsx":
        from pipeline.glossary.formats.xlsx_format import write_xlsx

        return write_xlsx(entries)
    if kind == "tbx":
        from pipeline.glossary.formats.tbx_format import write_tbx

        return write_tbx(entries, version=tbx_version)
    if kind in ("csv", "tsv"):
        from pipeline.glossary.formats.csv_format import write_csv

        return write_csv(entries, delimiter="\t" if kind == "tsv" else ",")
    raise ValueError(f"unknown glossary format {kind!r}; one of {', '.join(FORMATS)}")
