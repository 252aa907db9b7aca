"""Glossary formats benchmark: write and read a generated term base in every format.

Entries carry an alias, a variant, a category and a note with a comma, like a
real term base exported from a CAT tool.  It prints figures; it never fails on
a slow machine.

    .venv/bin/python benchmarks/bench_glossary_formats.py [--entries 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.glossary.base import GlossaryEntry
from pipeline.glossary.formats import FORMATS, read_glossary_file, write_glossary_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()
    entries = [GlossaryEntry(f"詞{i}", f"term {i}", (f"詞別{i}",), "term", f"note, {i}", variants=(f"terms {i}",))
               for i in range(args.entries)]
    with tempfile.TemporaryDirectory() as folder:
        for kind in FORMATS:
            start = time.perf_counter()
            data = write_glossary_bytes(entries, kind)
            written = time.perf_counter() - start
            path = Path(folder) / f"glossary.{kind}"
            path.write_bytes(data)
            start = time.perf_counter()
            back, problems = read_glossary_file(path)
            read = time.perf_counter() - start
            status = "ok" if len(back) == len(entries) and not problems else f"MISMATCH ({len(back)}, {problems[:1]})"
            print(f"{kind:5} {len(entries)} entries  {len(data) / 1e6:5.1f} MB  write {written:6.2f} s  "
                  f"read {read:6.2f} s  ({len(entries) / read:,.0f} entries/s)  {status}")


if __name__ == "__main__":
    main()
