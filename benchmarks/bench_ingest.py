"""Ingest speed per format: one seed as .txt, saved page (UTF-8, Big5), Word and Markdown.

    PYTHONPATH=$PWD python benchmarks/bench_ingest.py [ROUNDS]

Prints milliseconds per article for each format (median of ROUNDS reads, the
first read, which imports the format's library, reported apart).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(rounds: int = 20) -> None:
    from pipeline.ingest.readers import read_input
    from tests.ingest import seed_versions as sv

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "seed.txt").write_bytes(sv.SEED.read_bytes())
        files = [folder / "seed.txt", sv.write_page(folder, "seed.html"), sv.write_page(folder, "big5.htm", "big5"),
                 sv.write_docx(folder), sv.write_markdown(folder)]
        files += sorted((ROOT / "tests" / "data" / "pages").glob("*.html"))
        print(f"{'input':28} {'first ms':>9} {'median ms':>10} {'blocks':>7} {'debris':>7}")
        for path in files:
            start = time.perf_counter()
            article = read_input(path)
            first = (time.perf_counter() - start) * 1000
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                read_input(path)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{path.name:28} {first:9.1f} {statistics.median(times):10.1f} {len(article.blocks):7} {len(article.debris):7}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
