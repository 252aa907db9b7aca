"""What ``briefing xliff export`` writes and prints, briefing by briefing."""

from __future__ import annotations

import sys
import zipfile
import zlib
from pathlib import Path
from typing import TextIO

from pipeline.errors import EXIT_OK, EXIT_SOME_FAILED, BriefingError
from pipeline.fsutil import atomic_write_bytes
from pipeline.ingest.text import DEFAULT_MAX_INPUT_BYTES
from pipeline.xliff import is_xliff_path


def briefings_in(folder: Path) -> list[Path]:
    """The briefings (DOCX files carrying a segment manifest) in an output folder."""
    from pipeline.ingest.archive import archive_limits, archive_problem
    from pipeline.review.manifest import read

    found, limits = [], archive_limits(DEFAULT_MAX_INPUT_BYTES)
    for path in sorted(folder.glob("*.docx")):
        try:
            if archive_problem(path, limits):
                continue  # over the zip budget: no briefing of ours, and not to be unpacked
            with zipfile.ZipFile(path) as z:
                if read(z) is not None:
                    found.append(path)
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError):
            continue  # not a briefing; ``--out`` takes only what this tool wrote
    return found


def destination(briefing: Path, output: Path | None, many: bool) -> Path:
    """Beside the briefing by default; ``output`` is the file (one briefing, an .xlf-like name) or a folder."""
    name = briefing.with_suffix(".xlf").name
    if output is None:
        return briefing.with_name(name)
    if is_xliff_path(output) and not output.is_dir():
        if many:
            raise BriefingError(f"--output {output}: several briefings need a folder, not one file")
        return output
    return output / name


def export_briefings(briefings: list[Path], version: str, output: Path | None, err: TextIO = sys.stderr) -> int:
    from pipeline.xliff.export import export_xliff

    status = EXIT_OK
    for briefing in briefings:
        try:
            target = destination(briefing, output, len(briefings) > 1)
            data = export_xliff(briefing, version)
        except BriefingError as problem:
            print(f"briefing: {problem}", file=err)
            status = EXIT_SOME_FAILED
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
        print(f"briefing: wrote {target} (XLIFF {version}) from {briefing}", file=err)
    return status
