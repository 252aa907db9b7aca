"""Atomic file writes: a crash or kill never leaves a half-written output."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, fsync, then rename over ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def check_writable_dir(path: Path) -> str | None:
    """Create ``path`` if needed; returns a reason when it cannot be written, else None."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        return f"{path}: cannot create output folder ({err.strerror or err})"
    if not path.is_dir():
        return f"{path}: output path is not a folder"
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        return f"{path}: output folder is not writable ({err.strerror or err})"
    return None
