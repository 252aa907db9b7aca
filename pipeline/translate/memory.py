"""The translation memory: a SQLite file of translated sentences.

Each sentence is keyed by everything that determines its English: the model
input (normalised text with glossary terms and figures inlined), the
constraints that applied, the model id and revision, the OpenCC config, the
decoding settings and the package version.  A re-run with nothing changed
does no model work; editing one glossary entry changes the key of exactly
the sentences that contain it.

SQLite gives the rest: every write is a transaction (atomic, durable), and
WAL mode with a busy timeout lets two runs share one file safely.

Human translations (a reviewer's corrections, imported from a briefing or a
TMX file) live in their own table, keyed by the sentence as written plus the
English its glossary terms and figures require, and NOT by model or settings:
a reviewer's English wins over the model's on every later run, across model
and decoding changes, until a glossary change alters what the sentence must say.
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
);
CREATE TABLE IF NOT EXISTS human_translations (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    constraints TEXT NOT NULL,
    translation TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    document TEXT NOT NULL,
    note TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected_reviews (
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    model_translation TEXT NOT NULL,
    translation TEXT NOT NULL,
    missing TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    document TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (key, translation)
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
                self._db.executescript(_SCHEMA)
                self._add_source_column()
                self._rekey_human()
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

    def _add_source_column(self) -> None:
        """Memories written before the source column existed gain it (empty: unknown)."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(translations)")}
        if "source" not in columns:
            try:
                self._db.execute("ALTER TABLE translations ADD COLUMN source TEXT NOT NULL DEFAULT ''")
            except sqlite3.OperationalError as err:  # another run added it first
                if "duplicate column" not in str(err):
                    raise

    def close(self) -> None:
        self._db.close()

    @staticmethod
    def key(context: MemoryContext, request: TranslationRequest) -> str:
        payload = json.dumps([context.as_json(), request.text, list(request.constraints)], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @staticmethod
    def paragraph_key(sentences: Sequence[tuple[str, Sequence[str]]]) -> str:
        """The key of a reviewer's English for a whole paragraph of (source, constraints) sentences."""
        source = "".join(s for s, _ in sentences)
        return TranslationMemory.human_key(source, sorted({c for _, cs in sentences for c in cs}))

    @staticmethod
    def human_key(source: str, constraints: Sequence) -> str:
        """The key of a human translation: the sentence as written and the English it must
        contain, each requirement by its canonical form only, so that a change in the forms
        a requirement also accepts (plurals, a name in capitals) never loses a reviewer's work."""
        canonical = sorted(c[0] if isinstance(c, (list, tuple)) else c for c in constraints if c)
        payload = json.dumps(["human", " ".join(source.split()), canonical], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _rekey_human(self) -> None:
        """Human translations stored under a key of an earlier rule are filed again under
        today's (their source and requirements are stored beside them)."""
        rows = self._db.execute("SELECT key, source, constraints FROM human_translations").fetchall()
        moved = [(TranslationMemory.human_key(source, json.loads(constraints)), key) for key, source, constraints in rows]
        moved = [(new, old) for new, old in moved if new != old]
        if moved:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("UPDATE OR REPLACE human_translations SET key = ? WHERE key = ?", moved)

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        return self._lookup("translations", keys)

    def get_human(self, keys: Sequence[str]) -> dict[str, str]:
        return self._lookup("human_translations", keys)

    def _lookup(self, table: str, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):  # SQLite's variable limit
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, translation in self._db.execute(f"SELECT key, translation FROM {table} WHERE key IN ({marks})", chunk):
                found[key] = translation
        return found

    def put_many(self, context: MemoryContext, items: Sequence[tuple[str, TranslationRequest, str]]) -> None:
        now = time.time()
        rows = [(key, req.text, json.dumps(list(req.constraints), ensure_ascii=False), text, context.as_json(), now,
                 req.source) for key, req, text in items]
        self._write("INSERT OR REPLACE INTO translations (key, model_input, constraints, translation, context, created, "
                    "source) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def put_human(self, entries: Sequence["HumanEntry"]) -> None:
        now = time.time()
        rows = [(TranslationMemory.human_key(e.source, e.constraints), e.source,
                 json.dumps(list(e.constraints), ensure_ascii=False), e.translation, e.reviewer, e.reviewed_at,
                 e.document, e.note, now) for e in entries]
        self._write("INSERT OR REPLACE INTO human_translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def put_rejected(self, items: Sequence[tuple[str, str, str, Sequence[str], str, str]]) -> None:
        """Corrections that dropped a glossary term: kept aside (never used to translate) for
        ``glossary suggest --from-reviews``.  Items: (source, English before, reviewed English,
        [(glossary source, target) missing], reviewer, document)."""
        now = time.time()
        rows = [(TranslationMemory.human_key(source, ()), source, before, after, json.dumps(list(missing)), reviewer,
                 document, now) for source, before, after, missing, reviewer, document in items]
        self._write("INSERT OR REPLACE INTO rejected_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _write(self, sql: str, rows: list[tuple]) -> None:
        with self._db:  # one transaction: all of a batch or none of it
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(sql, rows)

    def human_entries(self) -> list["HumanEntry"]:
        rows = self._db.execute("SELECT source, constraints, translation, reviewer, reviewed_at, document, note "
                                "FROM human_translations ORDER BY created, key")
        return [HumanEntry(source, requirements_from_json(constraints), translation, reviewer, reviewed_at, document, note)
                for source, constraints, translation, reviewer, reviewed_at, document, note in rows]

    def model_entries(self) -> list["ModelEntry"]:
        rows = self._db.execute("SELECT key, model_input, constraints, translation, context, created, source "
                                "FROM translations ORDER BY created, key")
        return [ModelEntry(key, MemoryContext(*json.loads(context)), TranslationRequest(text, requirements_from_json(cons),
                           source=source), translation, created)
                for key, text, cons, translation, context, created, source in rows]

    def rejected_reviews(self) -> list[tuple[str, str, str, list[str], str, str]]:
        rows = self._db.execute("SELECT source, model_translation, translation, missing, reviewer, document "
                                "FROM rejected_reviews ORDER BY created")
        return [(s, b, a, json.loads(m), r, d) for s, b, a, m, r, d in rows]

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]


@dataclass(frozen=True)
class HumanEntry:
    """A reviewer's English for one source sentence (or paragraph: sentences joined as written)."""

    source: str
    constraints: tuple[str, ...]
    translation: str
    reviewer: str = ""
    reviewed_at: str = ""  # ISO date/time
    document: str = ""  # the file it came from
    note: str = ""  # the reviewer's comments


@dataclass(frozen=True)
class ModelEntry:
    key: str
    context: MemoryContext
    request: TranslationRequest
    translation: str
    created: float


def requirements_from_json(text: str) -> tuple:
    """Constraints as stored (JSON): each requirement a tuple of accepted forms, as
    ``TranslationRequest`` holds them (a bare string, from older memories, stays one)."""
    return tuple(tuple(c) if isinstance(c, list) else c for c in json.loads(text or "[]"))


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
        self.last_origins: list[str] = []  # per request: "human", "memory" or "model"

    @property
    def inner(self):
        if self._inner is None:
            self._inner = self._load_inner()
        return self._inner

    def translate(self, requests: Sequence[TranslationRequest]) -> list[str]:
        human_keys = [TranslationMemory.human_key(r.source or r.text, r.constraints) for r in requests]
        reviewed = self.memory.get_human(human_keys)  # a reviewer's English wins over any model's
        keys = [TranslationMemory.key(self.context, r) for r in requests]
        known = self.memory.get_many(keys)
        missing = [i for i, (k, h) in enumerate(zip(keys, human_keys)) if k not in known and h not in reviewed]
        self.last_origins = ["human" if h in reviewed else "memory" if k in known else "model"
                             for k, h in zip(keys, human_keys)]
        self.last_hits = [origin != "model" for origin in self.last_origins]
        self.hits += len(requests) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.translate([requests[i] for i in missing])
            self.memory.put_many(self.context, [(keys[i], requests[i], text) for i, text in zip(missing, fresh)])
            known.update((keys[i], text) for i, text in zip(missing, fresh))
        return [reviewed[h] if h in reviewed else known[k] for k, h in zip(keys, human_keys)]

    def apply_reviewed_paragraphs(self, blocks) -> None:
        """Give each TranslatedBlock of several sentences the reviewer's paragraph English, if any."""
        keys = {id(b): TranslationMemory.paragraph_key([(s.original, s.constraints) for s in b.sentences])
                for b in blocks if len(b.sentences) > 1}
        found = self.memory.get_human(list(keys.values()))
        for block in blocks:
            if id(block) in keys and keys[id(block)] in found:
                block.reviewed_translation = found[keys[id(block)]]
