"""The translation memory: a SQLite file of translated sentences.

Each sentence is keyed by everything that determines its English: the model
input (normalised text with glossary terms and figures inlined), the
constraints that applied, the model id and revision, the OpenCC config, the
decoding settings and the package version.  A re-run with nothing changed
does no model work; editing one glossary entry changes the key of exactly
the sentences that contain it.

SQLite gives the rest: every write is a transaction (atomic, durable), and
WAL mode with a busy timeout lets two runs share one file safely.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.translate.prepare import TranslationRequest

MEMORY_NAME = "translation-memory.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model_input TEXT NOT NULL,
    constraints TEXT NOT NULL,
    translation TEXT NOT NULL,
    context TEXT NOT NULL,
    created REAL NOT NULL
)
"""


@dataclass(frozen=True)
class MemoryContext:
    """The run-wide part of every key."""

    model_id: str
    model_revision: str
    opencc_config: str
    decoding: str
    version: str

    def as_json(self) -> str:
        return json.dumps([self.model_id, self.model_revision, self.opencc_config, self.decoding, self.version])


class TranslationMemory:
    def __init__(self, path: Path, timeout: float = 60.0):
        self.path = Path(path)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
                # Switching to WAL takes an exclusive lock and may answer "locked"
                # at once while another run opens the file: retry until the deadline.
                if self._db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as err:
                if "locked" in str(err) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise BriefingError(f"{self.path}: cannot open the translation memory ({err}); "
                                    "delete the file or pass --no-memory") from None
            except sqlite3.DatabaseError as err:
                raise BriefingError(f"{self.path}: cannot open the translation memory ({err}); "
                                    "delete the file or pass --no-memory") from None

    def close(self) -> None:
        self._db.close()

    @staticmethod
    def key(context: MemoryContext, request: TranslationRequest) -> str:
        payload = json.dumps([context.as_json(), request.text, list(request.constraints)], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):  # SQLite's variable limit
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, translation in self._db.execute(f"SELECT key, translation FROM translations WHERE key IN ({marks})", chunk):
                found[key] = translation
        return found

    def put_many(self, context: MemoryContext, items: Sequence[tuple[str, TranslationRequest, str]]) -> None:
        now = time.time()
        rows = [(key, req.text, json.dumps(list(req.constraints), ensure_ascii=False), text, context.as_json(), now)
                for key, req, text in items]
        with self._db:  # one transaction: all of a batch or none of it
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)", rows)

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]


class CachedTranslator:
    """A translator that answers from the memory and asks ``load_inner()`` only on a miss.

    The inner translator (and with it torch and the model) is created lazily,
    so a run whose every sentence is remembered never loads the model.
    """

    def __init__(self, memory: TranslationMemory, context: MemoryContext, load_inner):
        self.memory = memory
        self.context = context
        self._load_inner = load_inner
        self._inner = None
        self.model_id = context.model_id
        self.model_revision = context.model_revision
        self.hits = 0
        self.misses = 0
        self.last_hits: list[bool] = []  # per request of the last call: answered by the memory?

    @property
    def inner(self):
        if self._inner is None:
            self._inner = self._load_inner()
        return self._inner

    def translate(self, requests: Sequence[TranslationRequest]) -> list[str]:
        keys = [TranslationMemory.key(self.context, r) for r in requests]
        known = self.memory.get_many(keys)
        missing = [i for i, k in enumerate(keys) if k not in known]
        self.last_hits = [k in known for k in keys]
        self.hits += len(requests) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.translate([requests[i] for i in missing])
            self.memory.put_many(self.context, [(keys[i], requests[i], text) for i, text in zip(missing, fresh)])
            known.update((keys[i], text) for i, text in zip(missing, fresh))
        return [known[k] for k in keys]
