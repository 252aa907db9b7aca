"""The worker behind ``briefing serve``: one warm model, a Unix socket, a queue.

Each connection has a thread, but only the main thread runs the model: the
connections queue their work for it, so clients take turns and each client's
sentences are decoded exactly as its own process would decode them.  (torch's
OpenMP workers belong to the thread that starts them: a model run from each
connection's own thread took twice as long on two cores, the main thread's idle
workers competing with the new ones.)  While a request waits or runs the
server says so every ``HEARTBEAT`` seconds, so a client can tell a busy server
from a hung one; a client found gone before its turn is dropped without
decoding.
"""

from __future__ import annotations

import os
import queue
import socket
import sys
import threading
import time
from pathlib import Path

from pipeline.serve.channel import messages, private_dir, send, socket_path

HEARTBEAT = 2.0
WARM_UP = "測試。"  # one short sentence through every stage: the first client's request finds all loaded


class Server:
    def __init__(self, args, path: Path | None = None):
        from pipeline.build import build_translator
        from pipeline.serve.key import run_key, translate_key

        self.args = args
        self.path = path or socket_path()
        self.translate_key, self.run_key = translate_key(args), run_key(args)
        self.setup = build_translator(args, args.memory)  # exactly as `translate` builds it
        self.jobs: queue.Queue = queue.Queue()  # work for the model, run by the main thread in turn
        self.busy = False  # the main thread is running a job
        self.idle_s = max(0.0, args.idle * 60.0)
        self.last_request = time.monotonic()
        self.active = 0
        self._count = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.connections: set[socket.socket] = set()
        self.stopping = threading.Event()

    # ---------------------------------------------------------------- life
    def warm_up(self) -> None:
        self.setup.translator.translate([WARM_UP])

    def serve_forever(self) -> None:
        """Run the queued work on this (the main) thread until stopped or idle."""
        listener = self._listen()
        acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        acceptor.start()
        print(f"briefing: serving {self.setup.signature.model_id} on {self.path} "
              f"(idle exit after {self.args.idle:g} min)", file=sys.stderr, flush=True)
        try:
            while not self.stopping.is_set() and not self._idle_over():
                try:
                    job = self.jobs.get(timeout=1.0)
                except queue.Empty:
                    continue
                if self.stopping.is_set():  # a stop came while this waited: its client is hung up
                    break
                self.busy = True
                try:
                    job()
                finally:
                    self.busy = False
        finally:
            self.stopping.set()
            acceptor.join(timeout=5)
            listener.close()
            if self.path.exists():
                self.path.unlink()
            self._hang_up()

    def _accept(self, listener: socket.socket) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:  # the listener closed
                return
            thread = threading.Thread(target=self._connection, args=(conn,), daemon=True)
            self.threads = [t for t in self.threads if t.is_alive()] + [thread]
            thread.start()

    def stop(self) -> None:
        """Stop now.  An idle main thread is woken and closes up itself (the memory closes on
        the thread that opened it).  A busy one is not waited for: the socket goes, every
        client is hung up (each then translates its work itself, as when a server dies) and
        the process exits; the memory keeps what it wrote in its log, as after a kill."""
        from pipeline.leaving import leave

        self.stopping.set()
        if not self.busy:
            self.jobs.put(lambda: None)  # wakes the main thread, which sees the stop
            return
        self.path.unlink(missing_ok=True)
        with self._count:
            connections = list(self.connections)
        for conn in connections:
            _shut(conn)
        leave(0, at_once=True)

    def _hang_up(self) -> None:
        """End every connection and wait a moment for its thread, so the process can exit cleanly."""
        with self._count:
            connections = list(self.connections)
        for conn in connections:
            _shut(conn)
        for thread in self.threads:
            thread.join(timeout=5)

    def _listen(self) -> socket.socket:
        private_dir(self.path.parent)
        if self.path.exists():
            self.path.unlink()  # the caller checked that no server answers there: a dead one's socket
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket is created 0600: this user alone may connect
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(old)
        listener.listen(16)
        listener.settimeout(1.0)
        return listener

    def _idle_over(self) -> bool:
        return self.idle_s > 0 and self.active == 0 and time.monotonic() - self.last_request > self.idle_s

    # ---------------------------------------------------------------- one client
    def _connection(self, conn: socket.socket) -> None:
        with self._count:
            self.active += 1
            self.connections.add(conn)
        lock = threading.Lock()  # the heartbeat and the answer write to one socket
        agreed: set[str] = set()  # what this client may ask: the kinds whose key it showed in a hello
        try:
            with conn:
                for message in messages(conn):
                    self._answer(conn, lock, message, agreed)
        except (OSError, ValueError):
            pass  # the client went away or sent garbage: only its connection ends
        finally:
            with self._count:
                self.active -= 1
                self.connections.discard(conn)
            self.last_request = time.monotonic()

    def _answer(self, conn, lock, message: dict, agreed: set[str]) -> None:
        op = message.get("op")
        if op == "stop":
            _send(conn, lock, {"ok": True})
            return self.stop()
        if op == "hello":
            kind = message.get("kind")
            key = {"translate": self.translate_key, "decode": self.run_key}.get(kind)
            if key is None or message.get("key") != key:
                return _send(conn, lock, {"ok": False, "mismatch": True})
            agreed.add(kind)
            return _send(conn, lock, {"ok": True, "describe": self.setup.glossary.describe(), "pid": os.getpid()})
        if op not in ("translate", "decode"):
            return _send(conn, lock, {"ok": False, "error": f"unknown request {op!r}"})
        if op not in agreed:  # settings never compared: the English might not be the client's
            return _send(conn, lock, {"ok": False, "error": "no hello with matching settings"})
        work = (lambda: self._translate(message)) if op == "translate" else (lambda: self._decode(message))
        self._in_turn(conn, lock, work, f"{op} of {len(message.get('lines') or message.get('rows') or [])}")

    def _in_turn(self, conn, lock, work, what: str) -> None:
        """Queue ``work`` for the main thread, wait for it, answer; heartbeats meanwhile.
        A client whose heartbeat cannot be delivered has gone: its work is not started.
        A server stopping before the work's turn hangs up (the client translates itself)."""
        done, gone, started = threading.Event(), threading.Event(), threading.Event()
        answers: list[dict] = []

        def beat():
            while not done.wait(HEARTBEAT):
                if not _send(conn, lock, {"wait": True}):
                    gone.set()
                    return

        def job():  # on the main thread
            started.set()
            try:
                if gone.is_set() or _closed(conn):
                    return
                print(f"briefing: {what}", file=sys.stderr, flush=True)  # a log line per request served
                answers.append(work())
            except Exception as err:  # a bug: this client hears it in one line, the server goes on
                answers.append({"ok": False, "error": f"{type(err).__name__}: {' '.join(str(err).split())[:300]}"})
            finally:
                done.set()

        threading.Thread(target=beat, daemon=True).start()
        self.jobs.put(job)
        while not done.wait(1.0):
            if self.stopping.is_set() and not started.is_set():  # its turn will not come:
                done.set()
                return _shut(conn)  # hung up, the client translates its work itself at once
        if answers:
            _send(conn, lock, answers[0])

    def _translate(self, message: dict) -> dict:
        from pipeline.translate.lines import translation_lines

        lines = [str(line) for line in message.get("lines", [])]
        return {"ok": True, "output": translation_lines(self.setup.translator, lines, bool(message.get("json")))}

    def _decode(self, message: dict) -> dict:
        from pipeline.engines.batch import translate_rows

        return {"ok": True, "rows": translate_rows(self._model(), message.get("rows", []))}

    def _model(self):
        translator = self.setup.translator.translator
        return translator.inner if getattr(translator, "memory", None) is not None else translator


def _send(conn, lock, message: dict) -> bool:
    try:
        with lock:
            send(conn, message)
        return True
    except OSError:
        return False


def _shut(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _closed(conn: socket.socket) -> bool:
    """Whether the client has hung up (readable with nothing to read), without waiting."""
    import select

    readable, _, _ = select.select([conn], [], [], 0)
    if not readable:
        return False
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
