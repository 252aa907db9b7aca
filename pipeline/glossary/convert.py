"""``briefing glossary export`` and ``glossary import``: the glossary in the formats editors use.

Export writes the project's glossary (every file, in order, forbidden entries
included) as one CSV, TSV, XLSX or TBX-Basic file for a CAT tool or an editor
with Excel; import turns any of those back into the CSV the project keeps.
Both check the glossary first (an invalid one is refused with every problem),
never overwrite an existing file without ``force``, and write atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BriefingError, GlossaryError
from pipeline.fsutil import atomic_write_bytes
from pipeline.glossary.base import GlossarySource, read_source
from pipeline.glossary.entry import GlossaryEntry, entry_problems
from pipeline.glossary.formats import (
    DEFAULT_TBX_VERSION,
    FORMATS,
    format_of,
    read_glossary_file,
    write_glossary_bytes,
)


@dataclass
class Conversion:
    output: Path
    entries: int = 0
    forbidden: int = 0
    # TBX concepts without a usable source or target term, not part of this glossary (file:line: id (why)).
    skipped: list[str] = field(default_factory=list)
    # TBX information with no column in the project's CSV (definitions, contexts, ...), counted by kind.
    not_kept: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        text = f"wrote {self.output}: {self.entries} entries"
        if self.forbidden:
            text += f" ({self.forbidden} forbidden)"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} concept(s) without the language pair: " + ", ".join(self.skipped)
        if self.not_kept:
            kinds = ", ".join(f"{kind} ×{count}" for kind, count in sorted(self.not_kept.items()))
            text += f"; not carried over (no CSV column): {kinds}"
        return text


def export_glossary(source: GlossarySource | list[Path], output: Path, kind: str | None = None, force: bool = False,
                    tbx_version: str = DEFAULT_TBX_VERSION) -> Conversion:
    """The glossary as one file: a list of paths is one layer; a layered source (``find_glossary``)
    is written as runs see it, each later layer's entries in place of the ones they override."""
    kind = kind or format_of(output)
    if kind not in FORMATS:
        raise BriefingError(f"{output}: say which format with --format ({'|'.join(FORMATS)})")
    if not isinstance(source, GlossarySource):
        source = GlossarySource(tuple(source), "")
    if not source.paths:
        raise BriefingError("no glossary files: give --glossary PATH or create glossary/*.csv")
    entries, _overrides = read_source(source)  # refuses an invalid glossary with every problem
    return _write(entries, [], output, kind, force, tbx_version)


def import_glossary(path: Path, output: Path, force: bool = False,
                    languages: tuple[str, str] | None = None) -> Conversion:
    """Convert ``path`` (CSV, TSV, XLSX or TBX) into ``output`` (.csv, or .tsv)."""
    kind = format_of(output)
    if kind not in ("csv", "tsv"):
        raise BriefingError(f"{output}: import writes the project's CSV; give an output ending in .csv")
    skipped: list[str] = []
    not_kept: dict[str, int] = {}
    if format_of(path) == "tbx":
        from pipeline.glossary.formats.tbx_format import DEFAULT_LANGUAGES, TbxReader

        reader = TbxReader(languages or DEFAULT_LANGUAGES)
        entries, problems = reader.read(Path(path))
        skipped, not_kept = reader.skipped, dict(reader.not_kept)
    else:
        entries, problems = read_glossary_file(Path(path))
    result = _write(entries, problems, output, kind, force)
    result.skipped, result.not_kept = skipped, not_kept
    return result


def _write(entries: list[GlossaryEntry], problems: list[str], output: Path, kind: str, force: bool,
           tbx_version: str = DEFAULT_TBX_VERSION) -> Conversion:
    problems = [*problems, *entry_problems(entries)]
    if problems:
        raise GlossaryError(problems)
    if output.exists() and not force:
        raise BriefingError(f"{output}: already exists; nothing written (use --force to replace it)")
    if output.exists() and not output.is_file():
        raise BriefingError(f"{output}: not a file; nothing written")
    data = write_glossary_bytes(entries, kind, tbx_version)
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(output, data)
    return Conversion(output, len(entries), sum(1 for e in entries if e.status))
