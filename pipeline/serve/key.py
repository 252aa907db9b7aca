"""What a client and the server must agree on for the served English to be the
client's own: every setting that determines it, as one string."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def model_key(args) -> dict:
    """The model as the decoder runs it: which files (by revision), and how."""
    from pipeline.translate.loading import locate_model, resolve_model

    where = locate_model(resolve_model(args.model))
    return {"model": [where.model_id, str(Path(where.path).resolve()), where.revision], "device": args.device,
            "precision": args.precision, "beam": args.beam, "batch_size": args.batch_size,
            "no_repeat_ngram": args.no_repeat_ngram}


def translate_key(args) -> str:
    """The model and everything ``briefing translate`` does around it: the glossary files
    (by their bytes, so an edited glossary is a different key), normalisation, figures,
    how terms reach the model, and the memory file."""
    from pipeline.build import glossary_source

    source = glossary_source(args)
    glossary = [(str(p.resolve()), _digest(p)) for p in source.paths]
    fields = model_key(args) | {
        "glossary": glossary, "glossary_origin": source.origin, "opencc": args.opencc,
        "source_terms": args.source_terms, "numbers": not args.no_numbers, "currency": args.default_currency,
        "memory": str(Path(args.memory).resolve()) if args.memory and not args.no_memory else None,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def run_key(args) -> str:
    """What ``run`` asks of the server: only decoding (its glossary, memory and briefings stay its own)."""
    return json.dumps(model_key(args), sort_keys=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
