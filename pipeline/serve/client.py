"""Asking a running ``briefing serve``.  Every answer that could differ from the
caller's own is refused here (no server, another model or glossary, a server
that died or went silent): the caller then loads the model itself."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator, Sequence

from pipeline.serve.channel import messages, send, socket_path

CONNECT_TIMEOUT = 2.0
SILENCE = 30.0  # the server beats every 2 s while busy: this much silence is a hung server


class ServerGone(Exception):
    """The server stopped answering mid-request."""


class Session:
    """One connection to a server that agreed on ``key``; ``describe``: its glossary, as the CLI prints it."""

    def __init__(self, sock: socket.socket, describe: str):
        self.sock, self.describe = sock, describe

    @classmethod
    def open(cls, kind: str, key: str, path=None) -> "Session | None":
        """A session with the server, or None when there is none or it runs other settings."""
        sock = connect(path)
        if sock is None:
            return None
        try:
            answer = cls._ask(sock, {"op": "hello", "kind": kind, "key": key})
        except (OSError, ServerGone, ValueError):
            sock.close()
            return None
        if not answer.get("ok"):
            sock.close()
            return None
        return cls(sock, str(answer.get("describe", "")))

    def request(self, message: dict) -> dict:
        """The server's answer (``ServerGone`` when it closes, goes silent or fails)."""
        try:
            answer = self._ask(self.sock, message)
        except (OSError, ValueError) as err:
            raise ServerGone(str(err) or type(err).__name__) from None
        if not answer.get("ok"):
            raise ServerGone(answer.get("error") or "it refused the request")
        return answer

    @staticmethod
    def _ask(sock: socket.socket, message: dict) -> dict:
        sock.settimeout(SILENCE)
        send(sock, message)
        for answer in messages(sock):
            if not answer.get("wait"):
                return answer
        raise ServerGone("it closed the connection")

    def close(self) -> None:
        self.sock.close()


def connect(path=None) -> socket.socket | None:
    """A connection to the server's socket, or None when nobody listens there."""
    path = path or socket_path()
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT)
        sock.connect(str(path))
        return sock
    except OSError:
        sock.close()
        return None


def stop_server(path=None) -> bool:
    """Ask the server to stop; False when none answered."""
    sock = connect(path)
    if sock is None:
        return False
    try:
        send(sock, {"op": "stop"})
        next(messages(sock), None)  # its answer, or the connection closing
        return True
    except (OSError, ValueError):
        return False
    finally:
        sock.close()


def server_alive(path=None) -> bool:
    sock = connect(path)
    if sock is not None:
        sock.close()
    return sock is not None


class ServedEngine:
    """The run's planned batches decoded by the server, batch for batch; if it goes
    away the rest are decoded here (``fallback`` loads the model)."""

    name = "served"

    def __init__(self, session: Session, fallback: Callable[[], object]):
        self.session, self._fallback = session, fallback
        self._local = None

    def run(self, batches: Sequence[list[dict]]) -> Iterator[list[dict]]:
        from pipeline.engines.batch import translate_rows

        for rows in batches:
            if self._local is None and self.session is not None:
                try:
                    yield self.session.request({"op": "decode", "rows": rows})["rows"]
                    continue
                except ServerGone as err:
                    print(f"briefing: the translation server stopped answering ({err}); "
                          "loading the model here", file=sys.stderr)
                    self.session.close()
                    self.session = None
            if self._local is None:
                self._local = self._fallback()
            yield translate_rows(self._local, rows)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
