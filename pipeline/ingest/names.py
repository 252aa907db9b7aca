"""Distinct, deterministic briefing names for a batch's inputs.

Two inputs with the same stem (a/news.txt, b/news.txt) must not write the same
briefing.  The first keeps the plain stem; each later one gets the name of what
tells them apart: its parent folder (``news (b)``), else its format
(``news (html)``), else a link's host; then a counter if still taken.  Names are
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
    if is_link(source):
        return urlsplit(str(source)).hostname or "link"
    path = Path(source)
    parents = {Path(s).parent.name for s in group if not is_link(s)}
    if len(parents) > 1 and path.parent.name:
        return path.parent.name
    return path.suffix.lstrip(".").lower() or "2"
