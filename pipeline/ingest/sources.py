"""What an INPUT is: a link or a path.  No imports beyond pathlib, so `briefing --help` stays instant."""

from __future__ import annotations

from pathlib import Path


def is_link(source) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def as_input(arg: str) -> Path | str:
    """A command-line INPUT: an http(s) link stays a string (Path would fold its //), anything else is a path."""
    return arg if is_link(arg) else Path(arg)
