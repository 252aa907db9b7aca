"""What ``briefing translate`` prints for its input lines (the server prints the same)."""

from __future__ import annotations

import json


def translation_lines(translator, lines: list[str], as_json: bool) -> list[str]:
    """What ``translate`` prints for ``lines``: the sentences of all of them translated in one
    call (one set of batches), one output line per input line.  The server prints the same."""
    from pipeline.ingest.segment import split_sentences

    per_line = [[s for s in split_sentences(line) if s.strip()] for line in lines]
    results = translator.translate([s for sentences in per_line for s in sentences])
    out, cursor = [], 0
    for line, sentences in zip(lines, per_line):
        out.append(_translation_line(line, results[cursor : cursor + len(sentences)], as_json))
        cursor += len(sentences)
    return out


def _translation_line(line: str, results, as_json: bool) -> str:
    english = " ".join(r.translation for r in results if r.translation)
    if not as_json:
        return english
    record = {
        "source": line,
        "normalised": "".join(r.normalised for r in results),
        "model_input": " ".join(r.model_input for r in results),
        "translation": english,
        "terms": [_term_json(t) for r in results for t in r.terms if t.kind == "term"],
        "numbers": [_term_json(t) | {"value": t.value, "unit": t.unit} for r in results for t in r.terms if t.kind == "number"],
        "flags": [{"name": f.name, "reason": f.reason} for r in results for f in r.flags],
        "sentences": [{"source": r.original, "translation": r.translation,
                       "flags": [{"name": f.name, "reason": f.reason} for f in r.flags]} for r in results],
    }
    return json.dumps(record, ensure_ascii=False)


def _term_json(t) -> dict:
    record = {"source": t.source, "target": t.target, "found": t.found}
    if t.unsure:
        record["unsure"] = t.unsure
    return record
