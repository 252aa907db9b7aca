"""Distinct, deterministic briefing names for a batch's inputs.

Two inputs with the same stem (a/news.txt, b/news.txt) must not write the same
briefing.  The first keeps the plain stem; each later one gets the name of what
tells them apart: its parent folder (``news (b)``), its format where one
folder holds several (``news (html)``, ``news (a md)``), a link's host; then a
counter if still taken.  Names are
compared case-insensitively (macOS and Windows file systems fold case).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pipeline.ingest.text import is_link


def input_stem(source: Path | str) -> str:
    if is_link(source):
        from pipeline.ingest.fetch import page_path

        return page_path(str(source)).stem
    return Path(source).stem


def output_names(inputs: list[Path | str]) -> dict[Path | str, str]:
    """Input -> briefing stem, unique within the batch, the same for the same inputs."""
    stems = {source: input_stem(source) for source in inputs}
    groups: dict[str, list] = {}
    for source in inputs:
        groups.setdefault(stems[source].casefold(), []).append(source)
    taken = {stem.casefold() for stem in stems.values()}
    names: dict[Path | str, str] = {}
    for source in inputs:
        group = groups[stems[source].casefold()]
        if source is group[0] or source == group[0]:
            names[source] = stems[source]
            continue
        name = f"{stems[source]} ({_tell_apart(source, group)})"
        count = 2
        while name.casefold() in taken:
            name = f"{stems[source]} ({_tell_apart(source, group)} {count})"
            count += 1
        taken.add(name.casefold())
        names[source] = name
    return names


def _tell_apart(source: Path | str, group: list) -> str:
    """What this input has that the others of its group lack: folder, format, or both; a link's host."""
    if is_link(source):
        return urlsplit(str(source)).hostname or "link"
    path = Path(source)
    files = [Path(s) for s in group if not is_link(s)]
    parts = []
    if len({p.parent for p in files}) > 1 and path.parent.name:
        parts.append(path.parent.name)
    if sum(1 for p in files if p.parent == path.parent) > 1:
        parts.append(path.suffix.lstrip(".").lower())
    return " ".join(p for p in parts if p) or "2"
