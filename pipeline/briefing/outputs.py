"""The output folder: one writer at a time, and never silently over a reader's edits.

* ``RunLock``: an exclusive ``flock`` on ``OUT/.briefing.lock``; a second run
  on the same folder refuses with a clear message (the lock dies with its
  process, so a killed run never leaves a stale lock behind).
* ``Manifest``: ``OUT/.briefing-manifest.json`` records the SHA-256 of every
  briefing this tool wrote.  A file that differs from its record (or that
  the tool never wrote) may hold a reader's edits: the new briefing goes
  beside it as ``name (2).docx`` unless ``--force``.  A reviewer's copy whose
  corrections ``review import`` took into the memory is recorded too (its
  hash at import): the next run may replace it, since the new briefing
  carries the reviewer's English.

  A briefing and its record commit as one step (``write_briefing``): the new
  hash is saved as *pending* before the briefing is renamed into place, and
  moved to *written* after.  A kill between the two leaves a file whose hash
  is the pending one, which the next run recognises as its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.fsutil import atomic_write_bytes, atomic_write_text, sweep_temporaries

LOCK_NAME = ".briefing.lock"
MANIFEST_NAME = ".briefing-manifest.json"


class RunLock:
    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise BriefingError(
                f"{self.path.parent}: another briefing run (pid {holder}) is writing to this folder; "
                "wait for it to finish or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        sweep_temporaries(self.path.parent)  # what a killed run left half-written: no one writes here now
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Manifest:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}
        if "written" not in data:  # the first format: a flat name -> hash map
            data = {"written": {k: v for k, v in data.items() if isinstance(v, str)}, "imported": {}}
        self._hashes: dict[str, str] = data["written"]
        self._imported: dict[str, list[str]] = data.get("imported", {})
        self._pending: dict[str, str] = data.get("pending", {})

    def write_briefing(self, path: Path, data: bytes, force: bool = False) -> Path:
        """Write ``data`` at ``path`` or, if a reader may have edited the file there, beside it.

        Crash-safe in three steps, each atomic: (1) the new hash is saved as the
        file's *pending* hash; (2) the briefing is renamed into place; (3) the
        pending hash becomes the *written* one.  Killed after (1), the old file
        is still there with its recorded hash; killed after (2), the file there
        has the pending hash: either way the next run knows the file as its own
        (``_unchanged``) and replaces it, with no ``name (2).docx``.  A file
        whose hash is neither is a person's, and is never overwritten."""
        target = path if force else self._safe_target(path)
        digest = sha256(data)
        self._pending[target.name] = digest
        self._save()
        atomic_write_bytes(target, data)
        self._hashes[target.name] = digest
        self._pending.pop(target.name, None)
        self._imported.pop(target.name, None)
        self._save()
        return target

    def record_import(self, path: Path) -> None:
        """``path`` (in this folder) was imported as it is now: a later run may replace it."""
        digest = sha256(path.read_bytes())
        known = self._imported.setdefault(path.name, [])
        if digest not in known:
            known.append(digest)
        self._save()

    def _save(self) -> None:
        data = {"written": self._hashes, "imported": self._imported}
        if self._pending:  # only while a write is under way, or after one was killed
            data["pending"] = self._pending
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def _safe_target(self, path: Path) -> Path:
        candidate, n = path, 1
        while candidate.exists() and not self._unchanged(candidate):
            n += 1
            candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        return candidate

    def _unchanged(self, path: Path) -> bool:
        """The file is as this tool wrote it (its recorded hash, or the pending one of a write
        killed before its record was updated), or as it was when its review was imported."""
        try:
            digest = sha256(path.read_bytes())
        except OSError:
            return False
        ours = (self._hashes.get(path.name), self._pending.get(path.name))
        return digest in ours or digest in self._imported.get(path.name, [])
