"""Atomic file writes: a crash or kill never leaves a half-written output."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

# mkstemp's names for atomic_write_bytes: .NAME.XXXXXXXX.tmp (8 random characters)
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, fsync, then rename over ``path``."""
    path = Path(path)
    sweep_temporaries(path.parent, name=path.name, min_age=60.0)  # a killed earlier write of this file
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


def sweep_temporaries(folder: Path, name: str | None = None, min_age: float = 0.0) -> list[Path]:
    """Remove what a killed ``atomic_write_bytes`` left in ``folder`` (of ``name`` only, if given),
    at least ``min_age`` seconds old: a live write of another process is younger.  Nothing else
    is touched: only names of the form mkstemp gave them.  Returns what was removed."""
    removed = []
    prefix = f".{name}." if name is not None else "."
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not _TEMPORARY.match(entry.name):
            continue
        if name is not None and len(entry.name) != len(prefix) + len("XXXXXXXX.tmp"):
            continue  # .a.docx.XXXXXXXX.tmp is not a temporary of "a"
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime >= min_age:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


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
