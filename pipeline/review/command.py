"""What ``briefing review import`` prints and writes, file by file."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import TextIO

from pipeline.errors import EXIT_OK, EXIT_SOME_FAILED, BriefingError
from pipeline.review.importer import ImportResult, ReviewImporter
from pipeline.review.reader import read_reviewed


def import_reviews(files: list[Path], memory_path: Path, dry_run: bool, prefer: str | None,
                   out: TextIO = sys.stdout, strict: bool = False, briefing: Path | None = None) -> int:
    from pipeline.translate.memory import TranslationMemory

    if not memory_path.exists() and dry_run:
        memory = None  # a dry run creates nothing
    else:
        memory = TranslationMemory(memory_path)
    importer = ReviewImporter(memory, prefer, strict)
    status = EXIT_OK
    for path in files:
        try:
            document = _read(path, briefing)
        except BriefingError as err:
            print(f"briefing: {err}", file=sys.stderr)
            status = EXIT_SOME_FAILED
            continue
        result = importer.examine(document)
        if result.document_refused:
            print(f"briefing: {path}: {result.document_refused}; nothing imported", file=sys.stderr)
            status = EXIT_SOME_FAILED
            continue
        if dry_run:
            print_diff(result, out)
        else:
            importer.write(result)
            if not (result.matching.extra or result.conflicts or result.term_breaks or result.refused):
                _record_import(path)  # nothing the reviewer wrote is left only in this file
        print_summary(result, dry_run, out)
        if result.needs_attention:
            status = EXIT_SOME_FAILED
    return status


def _read(path: Path, briefing: Path | None = None):
    """A Word copy, or an XLIFF file back from a CAT tool (same document, same checks); an XLIFF
    whose tool dropped the embedded manifest is matched to ``briefing`` by unit IDs and sources."""
    from pipeline.xliff import is_xliff_path

    if is_xliff_path(path):
        from pipeline.xliff.read import read_reviewed_xliff

        return read_reviewed_xliff(path, briefing)
    return read_reviewed(path)


def _record_import(path: Path) -> None:
    """If the reviewer's copy sits in an output folder, the next run there may replace it."""
    from pipeline.briefing.outputs import MANIFEST_NAME, Manifest, RunLock

    if (path.parent / MANIFEST_NAME).exists():
        with RunLock(path.parent):
            Manifest(path.parent).record_import(path)


def print_summary(result: ImportResult, dry_run: bool, out: TextIO) -> None:
    doc, m = result.document, result.matching
    how = {h: sum(x.how == h for x in m.matches) for h in ("id", "source", "alignment")}
    verb = "would import" if dry_run else "imported"
    print(f"{doc.path}: reviewer {doc.reviewer}; rows matched {len(m.matches)} (by id {how['id']}, "
          f"by source {how['source']}, by alignment {how['alignment']}); segments changed {result.changed_segments} "
          f"({verb}; {result.confirmed_segments} unchanged beside them confirmed), unchanged {result.unchanged_segments}, unmatched {len(m.extra) + len(m.missing)}, "
          f"conflicts {len(result.conflicts)}, glossary breaks {len(result.term_breaks)}, "
          f"refused {len(result.refused)}, flagged {len(result.flagged)}", file=out)
    print_rows(result, out)


def print_rows(result: ImportResult, out: TextIO) -> None:
    """One line per row that needs a look: refused, unmatched (merged, duplicated, moved), flagged."""
    doc, m = result.document, result.matching
    for match, refusals in result.refused:
        print(f"  refused: {doc.path}: row ID {match.row.id}: {'; '.join(f.reason for f in refusals)}; "
              "nothing imported for this row", file=out)
    merged_rows = {id(r) for r, _ in m.merged} | {id(row) for _, rows in m.merged for row in rows}
    for r, rows in m.merged:
        print(f"  merged: document row {r.position} joins rows ID {', '.join(row.id for row in rows)}; not imported "
              "(split the row back, one row per ID)", file=out)
    copies = {id(r) for group in m.duplicates for r in group}
    for group in m.duplicates:
        unmatched = [r for r in group if r in m.extra]
        print(f"  duplicated: row ID {group[0].row_id} appears {len(group)} times (document rows "
              f"{', '.join(str(r.position) for r in group)}); "
              + ("the copies differ, none imported" if len(unmatched) == len(group) else "identical, imported once"),
              file=out)
    for x in m.moved:
        print(f"  moved: row ID {x.row.id} is now document row {x.reviewed.position}; matched by {x.how}", file=out)
    for row in m.missing:
        if id(row) not in merged_rows:
            print(f"  unmatched: row ID {row.id} ({_short(row.source)}) is not in the document (deleted?); "
                  "nothing imported for it", file=out)
    for row in m.extra:
        if id(row) not in merged_rows and id(row) not in copies:
            print(f"  unmatched: document row {row.position} (ID {row.row_id or 'none'}: {_short(row.source)}) "
                  "matches no segment of this briefing; not imported", file=out)
    for c in result.flagged:
        for flag in c.flags:
            print(f"  flagged: row ID {c.row.id} (segment {', '.join(s.id for s in c.segments)}): {flag.name}: "
                  f"{flag.reason}", file=out)
    for c, current in result.conflicts:
        print(f"  conflict: row ID {c.row.id}: the memory now says {_short(current)!r}, the briefing said "
              f"{_short(c.before)!r}, the reviewer wrote {_short(c.after)!r}; "
              "decide with --prefer review or --prefer memory", file=out)
    for c, broken in result.term_breaks:
        dropped = [t.target for t in broken if t.kind != "forbidden"]
        brought = [t.target for t in broken if t.kind == "forbidden"]
        what = "; ".join(filter(None, [dropped and f"drops {', '.join(dropped)}",
                                       brought and f"uses the forbidden {', '.join(brought)}"]))
        print(f"  glossary: row ID {c.row.id}: the correction {what}; not imported (--strict; "
              "kept for `briefing glossary suggest --from-reviews`)", file=out)


def print_diff(result: ImportResult, out: TextIO) -> None:
    for c in (c for c in result.accepted if c.changed):
        ids = ", ".join(s.id for s in c.segments)
        print(f"--- row ID {c.row.id} (segment {ids}, matched by {c.how})", file=out)
        for line in difflib.ndiff([c.before], [c.after]):
            print(f"  {line}", file=out)
        for note in c.notes:
            print(f"  note: {note}", file=out)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
