"""The one batch function both engines run, and what it needs to build a translator anywhere.

A row is one distinct request, keyed by the (article, sentence) that first
asked for it; a batch is a list of rows planned by the driver.  Engines must
decode exactly the planned batches: int8 dynamic quantisation scales each
batch's activations as a whole, so the same sentence in another batch can
come out differently.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.translate.loading import ModelLocation
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.settings import DecodingSettings


@dataclass(frozen=True)
class ModelSpec:
    """Everything a worker needs to load the same translator (picklable: shipped to Ray actors)."""

    where: ModelLocation
    settings: DecodingSettings
    batch_size: int
    device: str = "cpu"
    threads: int | None = None
    prepared_cache: bool = True

    def load(self):
        from pipeline.translate.prepared import load_translator

        return load_translator(self.where, self.settings, self.batch_size, self.device,
                               self.threads or threads_from_environment(), self.prepared_cache)


def threads_from_environment() -> int | None:
    """Ray sets OMP_NUM_THREADS to an actor's CPUs; torch must use exactly those."""
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def request_row(article: int, sentence: int, batch: int, request: TranslationRequest) -> dict:
    return {
        "article": article,
        "sentence": sentence,
        "batch": batch,
        "text": request.text,
        "constraints": [list(forms) for forms in request.constraints],  # per requirement, its accepted forms
        "max_new_tokens": request.max_new_tokens or 0,
        "anchors": [list(a) for a in request.anchors],  # where each requirement stands, for splitting
        "shares": [bool(f) for f in request.shares],  # per requirement: a glossary term shares an occurrence
    }


def row_request(row: dict) -> TranslationRequest:
    constraints = tuple(tuple(str(form) for form in forms) for forms in row["constraints"])
    anchors = tuple((int(a[0]), int(a[1])) for a in row.get("anchors") or ())
    shares = tuple(bool(f) for f in row.get("shares") or ())  # a row written before flags existed: none share
    return TranslationRequest(str(row["text"]), constraints, int(row["max_new_tokens"]) or None, anchors=anchors,
                              shares=shares)


def translate_rows(translator, rows: Sequence[dict]) -> list[dict]:
    """Translate one planned batch: rows in, ``{article, sentence, english}`` out (same order)."""
    english = translator.translate([row_request(r) for r in rows])
    return [{"article": int(r["article"]), "sentence": int(r["sentence"]), "english": e} for r, e in zip(rows, english)]


def plan_batches(rows: Sequence[dict], batch_size: int) -> list[list[dict]]:
    """Length-sorted batches (by characters: the driver needs no tokenizer); ties keep input order."""
    ordered = sorted(rows, key=lambda r: len(r["text"]) + sum(len(forms[0]) for forms in r["constraints"]))
    return [ordered[i : i + batch_size] for i in range(0, len(ordered), batch_size)]
