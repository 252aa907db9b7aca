"""Where the server listens and how messages travel: one JSON object per line."""

from __future__ import annotations

import json
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import BriefingError

SOCKET_NAME = "serve.sock"
MAX_LINE = 256 * 1024 * 1024  # one message; a batch of long sentences is far below this


def runtime_dir(environ=None) -> Path:
    """``$XDG_RUNTIME_DIR/briefing`` (the user's own, cleared at logout), else ``/tmp/briefing-UID``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_RUNTIME_DIR", "")
    if base and Path(base).is_absolute() and Path(base).is_dir():
        return Path(base) / "briefing"
    return Path("/tmp") / f"briefing-{os.getuid()}"


def socket_path(environ=None) -> Path:
    return runtime_dir(environ) / SOCKET_NAME


def private_dir(folder: Path) -> Path:
    """Create ``folder`` for this user alone (0700), or refuse one another user could enter or own."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise BriefingError(f"{folder}: not a folder of this user; the server's socket cannot live there")
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)  # ours, but opened up (a umask, a copy): close it again
    return folder


def send(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")


def messages(sock: socket.socket) -> Iterator[dict]:
    """The messages arriving on ``sock`` until it closes (a socket timeout propagates)."""
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        if len(buffer) > MAX_LINE:
            raise BriefingError("a message over the size limit")
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)
