"""Per-sentence cost of the Normaliser on the seeds: main's (plain OpenCC) against this checkout's.

    python tests/data/normalise/timing.py      (from the checkout's root; reads main's version with git)
"""

import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, ".")

from pipeline.ingest.segment import split_sentences  # noqa: E402
from pipeline.translate.normalise import Normaliser  # noqa: E402


def main_normaliser():
    source = subprocess.run(["git", "show", "main:pipeline/translate/normalise.py"],
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "main_normalise.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("main_normalise", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Normaliser()


def seed_sentences() -> list[str]:
    return [s for path in sorted(Path("seeds").glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() for s in split_sentences(line.strip()) if s.strip()]


def per_sentence_us(normalise, sentences: list[str], passes: int = 7) -> list[float]:
    for s in sentences:
        normalise(s)  # warm: memos, the segmenter's dictionary (loaded once per process)
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for s in sentences:
            normalise(s)
        times.append((time.perf_counter() - start) / len(sentences) * 1e6)
    return sorted(times)


if __name__ == "__main__":
    sentences = seed_sentences()
    for label, normalise in (("main", main_normaliser()), ("this checkout", Normaliser())):
        times = per_sentence_us(normalise, sentences)
        print(f"{label}: {times[0]:.1f} µs a sentence (best of {len(times)} passes over {len(sentences)} seed "
              f"sentences; median {times[len(times) // 2]:.1f})")
