"""TMX interchange throughput: export and import of a memory of N entries, from ONE run.

The entries are synthetic memory rows (the format's cost does not depend on
the words); half model entries with their key fields, a tenth human entries.
Prints entries per second and the file size; never fails on a slow machine.

    .venv/bin/python benchmarks/bench_memory_interchange.py [--entries 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.translate.memory import HumanEntry, MemoryContext, TranslationMemory
from pipeline.translate.prepare import TranslationRequest
from pipeline.translate.tmx import export_tmx, import_tmx


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    n = parser.parse_args().entries
    context = MemoryContext("Helsinki-NLP/opus-mt-zh-en", "sha256:0123456789ab", "tw2sp", "beam=4 int8", "0.1.0")
    with tempfile.TemporaryDirectory() as tmp:
        source = TranslationMemory(Path(tmp) / "a.sqlite")
        items = []
        for i in range(n):
            text = f"鸿海第{i}季营收成长{i % 97}%，Young Liu表示。"
            request = TranslationRequest(text, ("Young Liu",), source=f"鴻海第{i}季營收成長{i % 97}%，劉揚偉表示。")
            items.append((TranslationMemory.key(context, request), request, f"Sentence {i}: Young Liu said."))
        source.put_many(context, items)
        source.put_human([HumanEntry(f"審閱句子{i}。", (), f"Reviewed sentence {i}.", "Ann", "2026-11-20T10:00:00+00:00",
                                     "a.docx") for i in range(n // 10)])
        tmx = Path(tmp) / "m.tmx"
        start = time.perf_counter()
        counts = export_tmx(source, tmx)
        exported = time.perf_counter() - start
        start = time.perf_counter()
        imported = import_tmx(tmx, TranslationMemory(Path(tmp) / "b.sqlite"))
        took = time.perf_counter() - start
        total = counts["model"] + counts["human"]
        print(f"entries {total} ({counts['model']} model, {counts['human']} human); TMX {tmx.stat().st_size / 1e6:.1f} MB")
        print(f"export {exported:.2f} s ({total / exported:.0f} entries/s); "
              f"import {took:.2f} s ({(imported['model'] + imported['human']) / took:.0f} entries/s)")


if __name__ == "__main__":
    main()
