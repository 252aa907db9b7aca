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
TMX file) live in their own table, keyed by the source text alone
(``human_source``: whitespace collapsed, Traditional/Simplified and full-width
forms folded character by character, Latin letters lower-cased) and NOT by
model, settings or requirements: a human's English is used for its sentence on
every later run, whatever the model, the decoding settings, the OpenCC config
or the glossary.  The requirements the sentence had when the English was stored
are kept beside it, so a run can tell a reviewer's deliberate drop of a term
(``reviewer-dropped-term``) from a glossary that changed since
(``glossary-drift``).  The fold is the glossary's (``ScriptFolder``), not the
run's OpenCC config: the key must not depend on a run setting, and a TMX from
another tool may write 臺 where the article writes 台.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.translate.prepare import TranslationRequest

MEMORY_NAME = "translation-memory.sqlite"
# The rule human keys are made by; a memory filed under an older rule is filed again on open.
# 1 (implicit): source + requirements; 2: the folded source alone.
HUMAN_KEY_RULE = "2"
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
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
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


def _close_quietly(db: sqlite3.Connection) -> None:
    try:
        db.close()
    except sqlite3.Error:  # at exit, from another thread than the one that opened it: the OS closes it
        pass


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
                # Closed when collected or at exit, whichever comes first: closing checkpoints the
                # WAL into the file (`briefing` leaves without tearing the interpreter down, and
                # runs exit handlers only), so the .sqlite alone holds everything written.
                self._closer = weakref.finalize(self, _close_quietly, self._db)
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
        self._closer()

    @staticmethod
    def key(context: MemoryContext, request: TranslationRequest) -> str:
        payload = json.dumps([context.as_json(), request.text, list(request.constraints)], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @staticmethod
    def paragraph_key(sentences: Sequence[tuple[str, Sequence[str]]]) -> str:
        """The key of a reviewer's English for a whole paragraph of (source, constraints) sentences."""
        return TranslationMemory.human_key("".join(s for s, _ in sentences))

    @staticmethod
    def human_key(source: str, constraints: Sequence = ()) -> str:
        """The key of a human translation: its source text as ``human_source`` folds it.
        ``constraints`` is accepted and ignored (the requirements are stored beside the
        English, not in its key): a TMX unit without requirements answers a sentence that has some."""
        payload = json.dumps(["human", human_source(source)], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _rekey_human(self) -> None:
        """Human translations stored under a key of an earlier rule are filed again under
        today's (their source is stored beside them).  Two entries that now share a key
        (one sentence stored under two sets of requirements): the newest wins."""
        rule = self._db.execute("SELECT value FROM meta WHERE name = 'human_key_rule'").fetchone()
        if rule and rule[0] == HUMAN_KEY_RULE:
            return
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            rows = self._db.execute("SELECT key, source FROM human_translations ORDER BY created, key").fetchall()
            moved = [(TranslationMemory.human_key(source), key) for key, source in rows]
            self._db.executemany("UPDATE OR REPLACE human_translations SET key = ? WHERE key = ?",
                                 [(new, old) for new, old in moved if new != old])
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('human_key_rule', ?)", (HUMAN_KEY_RULE,))

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        return self._lookup("translations", keys)

    def get_human(self, keys: Sequence[str]) -> dict[str, str]:
        return self._lookup("human_translations", keys)

    def get_human_entries(self, keys: Sequence[str]) -> dict[str, "HumanEntry"]:
        """Key -> the whole human entry (its stored requirements too)."""
        found: dict[str, HumanEntry] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):  # SQLite's variable limit
            chunk = unique[i : i + 500]
            rows = self._db.execute(f"SELECT key, {_HUMAN_COLUMNS} FROM human_translations "
                                    f"WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update((row[0], _human_entry(row[1:])) for row in rows)
        return found

    def lookup(self, context: MemoryContext, requests: Sequence[TranslationRequest]) -> list["MemoryAnswer"]:
        """What the memory holds for each request, in the order a run uses it: a human's
        English for the sentence's source text (whatever the model, settings or
        requirements), else the model's English stored under the request's full key,
        else nothing (origin "model": the model must translate it)."""
        human_keys = [TranslationMemory.human_key(r.source or r.text) for r in requests]
        humans = self.get_human_entries(human_keys)
        keys = [TranslationMemory.key(context, r) for r in requests]
        known = self.get_many([k for k, h in zip(keys, human_keys) if h not in humans])
        answers = []
        for key, human_key in zip(keys, human_keys):
            if human_key in humans:
                answers.append(MemoryAnswer(humans[human_key].translation, "human", humans[human_key]))
            elif key in known:
                answers.append(MemoryAnswer(known[key], "memory"))
            else:
                answers.append(MemoryAnswer(None, "model"))
        return answers

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
        self._write_all([(_PUT_MODEL, _model_rows(context, items))])

    def put_human(self, entries: Sequence["HumanEntry"]) -> None:
        self._write_all([(_PUT_HUMAN, _human_rows(entries))])

    def put_all(self, model: Mapping[MemoryContext, Sequence[tuple[str, TranslationRequest, str]]],
                human: Sequence["HumanEntry"]) -> None:
        """Model entries of several contexts and human entries in one transaction: an import
        that fails or is killed midway leaves the memory exactly as it was."""
        self._write_all([(_PUT_MODEL, _model_rows(context, items)) for context, items in model.items()]
                        + [(_PUT_HUMAN, _human_rows(human))])

    def put_rejected(self, items: Sequence[tuple[str, str, str, Sequence[str], str, str]]) -> None:
        """Corrections that dropped a glossary term, for ``glossary suggest --from-reviews``
        (the evidence of what reviewers keep changing).  Whether the correction itself
        translates later runs is the importer's decision (imported and flagged, or refused
        with ``--strict``); this table only records the drop.  Items: (source, English before, reviewed English,
        [(glossary source, target) missing], reviewer, document)."""
        now = time.time()
        rows = [(TranslationMemory.human_key(source, ()), source, before, after, json.dumps(list(missing)), reviewer,
                 document, now) for source, before, after, missing, reviewer, document in items]
        self._write("INSERT OR REPLACE INTO rejected_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _write(self, sql: str, rows: list[tuple]) -> None:
        self._write_all([(sql, rows)])

    def _write_all(self, batches: Sequence[tuple[str, list[tuple]]]) -> None:
        with self._db:  # one transaction: all of the batches or none of them
            self._db.execute("BEGIN IMMEDIATE")
            for sql, rows in batches:
                self._db.executemany(sql, rows)

    def human_entries(self) -> list["HumanEntry"]:
        rows = self._db.execute(f"SELECT {_HUMAN_COLUMNS} FROM human_translations ORDER BY created, key")
        return [_human_entry(row) for row in rows]

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


_PUT_MODEL = ("INSERT OR REPLACE INTO translations (key, model_input, constraints, translation, context, created, "
              "source) VALUES (?, ?, ?, ?, ?, ?, ?)")
_PUT_HUMAN = "INSERT OR REPLACE INTO human_translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _model_rows(context: MemoryContext, items: Sequence[tuple[str, TranslationRequest, str]]) -> list[tuple]:
    now = time.time()
    return [(key, req.text, json.dumps(list(req.constraints), ensure_ascii=False), text, context.as_json(), now,
             req.source) for key, req, text in items]


def _human_rows(entries: Sequence["HumanEntry"]) -> list[tuple]:
    now = time.time()
    return [(TranslationMemory.human_key(e.source, e.constraints), e.source,
             json.dumps(list(e.constraints), ensure_ascii=False), e.translation, e.reviewer, e.reviewed_at,
             e.document, e.note, now) for e in entries]


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


_HUMAN_COLUMNS = "source, constraints, translation, reviewer, reviewed_at, document, note"


def _human_entry(row) -> HumanEntry:
    source, constraints, translation, reviewer, reviewed_at, document, note = row
    return HumanEntry(source, requirements_from_json(constraints), translation, reviewer, reviewed_at, document, note)


@dataclass(frozen=True)
class MemoryAnswer:
    """The memory's answer for one request: ``english`` None when the model must translate."""

    english: str | None
    origin: str  # "human", "memory" or "model"
    human: HumanEntry | None = None  # the human entry used (its stored requirements)


def human_source(source: str) -> str:
    """A source text as human translations are matched: each character folded as the
    glossary folds it (臺/台, 積/积, full-width and Latin case), and whitespace kept only
    as one space between two Latin letters or digits (``iPhone 16``): between Chinese
    characters a space is layout, which CAT tools and pasted text add and drop."""
    return _INNER_SPACE.sub(lambda m: " " if _wordish(m.group(1)) and _wordish(m.group(2)) else "",
                            " ".join(_folder()(source).split())).strip()


_INNER_SPACE = re.compile(r"(?<=(.)) (?=(.))")


def _wordish(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def fold_characters(text: str) -> str:
    """``text`` folded character by character as ``human_source`` folds it (same length)."""
    return _folder()(text)


@lru_cache(maxsize=1)
def _folder():
    """One ScriptFolder for the process (an OpenCC converter and its memo; costly to make)."""
    from pipeline.translate.normalise import ScriptFolder

    return ScriptFolder()


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
        self.last_humans: list = []  # per request: the HumanEntry used, or None

    @property
    def inner(self):
        if self._inner is None:
            self._inner = self._load_inner()
        return self._inner

    def translate(self, requests: Sequence[TranslationRequest]) -> list[str]:
        answers = self.memory.lookup(self.context, requests)  # a human's English wins over any model's
        missing = [i for i, a in enumerate(answers) if a.english is None]
        self.last_origins = [a.origin for a in answers]
        self.last_humans = [a.human for a in answers]
        self.last_hits = [a.english is not None for a in answers]
        self.hits += len(requests) - len(missing)
        self.misses += len(missing)
        english = [a.english for a in answers]
        if missing:
            fresh = self.inner.translate([requests[i] for i in missing])
            self.memory.put_many(self.context, [(TranslationMemory.key(self.context, requests[i]), requests[i], text)
                                                for i, text in zip(missing, fresh)])
            for i, text in zip(missing, fresh):
                english[i] = text
        return english

    def apply_reviewed_paragraphs(self, blocks) -> None:
        """Give each TranslatedBlock of several sentences the reviewer's paragraph English, if any."""
        keys = {id(b): TranslationMemory.paragraph_key([(s.original, s.constraints) for s in b.sentences])
                for b in blocks if len(b.sentences) > 1}
        found = self.memory.get_human_entries(list(keys.values()))
        for block in blocks:
            if id(block) in keys and keys[id(block)] in found:
                entry = found[keys[id(block)]]
                block.reviewed_translation, block.reviewed_constraints = entry.translation, tuple(entry.constraints)
