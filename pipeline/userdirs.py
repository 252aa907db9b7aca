"""Where briefing keeps a user's own files (XDG base directories).  No imports beyond the standard library."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def user_config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/briefing``, default ``~/.config/briefing`` (a relative
    XDG_CONFIG_HOME is ignored, as the XDG base directory specification says)."""
    environ = os.environ if environ is None else environ
    config = environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "briefing"
