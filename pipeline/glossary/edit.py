"""``briefing glossary add``: append one entry without touching the rest of the file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.fsutil import atomic_write_bytes
from pipeline.glossary import ALIAS_SEPARATOR, COLUMNS, GlossaryEntry, load_glossary


def add_entry(
    path: Path,
    source: str,
    target: str,
    aliases: str = "",
    category: str = "",
    note: str = "",
    others: list[Path] | None = None,
) -> GlossaryEntry:
    """Append a row to ``path`` (created with a header if missing); refuses duplicates.

    The existing bytes are kept exactly (BOM, line endings, quoting) and the
    file is replaced atomically, so an editor's file is never half-written.
    """
    source, target = source.strip(), target.strip()
    alias_list = [a.strip() for a in aliases.split(ALIAS_SEPARATOR) if a.strip()]
    if not source or not target:
        raise BriefingError("glossary add: source and target must not be empty")
    if any(ch in source + target for ch in "\r\n"):
        raise BriefingError("glossary add: source and target must be one line each")
    existing = [p for p in [path, *(others or [])] if p.exists()]
    glossary = load_glossary(existing)  # refuses to add to an invalid glossary
    candidate = GlossaryEntry(source, target, tuple(alias_list))
    for entry in glossary.entries:
        clash = _clash(entry, candidate, glossary)
        if clash:
            raise BriefingError(f"glossary add: {clash} ({entry.where}: {entry.source} → {entry.target}); nothing added")

    raw = path.read_bytes() if path.exists() else b""
    newline = "\r\n" if b"\r\n" in raw else "\n"
    row = io.StringIO()
    csv.writer(row, lineterminator=newline).writerow(
        [source, target, ALIAS_SEPARATOR.join(alias_list), category.strip(), note.strip()]
    )
    prefix = b""
    if not raw:
        header = io.StringIO()
        csv.writer(header, lineterminator=newline).writerow(COLUMNS)
        prefix = header.getvalue().encode("utf-8")
    elif not raw.endswith(b"\n"):
        prefix = newline.encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, raw + prefix + row.getvalue().encode("utf-8"))
    return candidate


def _clash(entry: GlossaryEntry, new: GlossaryEntry, glossary) -> str | None:
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    existing = {fold(s) for s in entry.spellings}
    for spelling in new.spellings:
        if fold(spelling) in existing:
            which = "source" if fold(spelling) == fold(entry.source) else "alias"
            return f"'{spelling}' is already a {which} in the glossary"
    return None
