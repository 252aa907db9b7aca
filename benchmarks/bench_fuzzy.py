"""Fuzzy-match lookups against a large human translation memory.

    python benchmarks/bench_fuzzy.py [--units 100000] [--queries 500] [--check 100] [--seed 0]

Builds a SQLite memory of ``--units`` human units (varied Chinese sentences made
deterministically from the seed articles' sentences: clauses of two sentences
joined, names and figures swapped, characters inserted, dropped and replaced),
indexes it as a run does (``FuzzyIndex(memory.human_entries())``) and times
``best`` for ``--queries`` new sentences made the same way (about half of them
near a unit).  Prints the build times, the lookup time per sentence (mean,
median, 95th percentile, worst) and, on ``--check`` of the queries, how often
the index finds a unit as good as scoring every unit with rapidfuzz would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = ["台積電", "鴻海", "聯發科", "輝達", "廣達", "緯創", "英特爾", "三星", "蘋果", "微軟", "日月光", "華碩"]
FIGURES = ["3.5%", "120億元", "5000億美元", "11/21", "第3季", "2026年", "7成", "1.8兆元", "45%", "2.6倍"]


def seed_sentences() -> list[str]:
    from pipeline.ingest.readers import read_input

    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = read_input(path, 10**7)
        out += [s for b in article.blocks for s in b.sentences if len(s) >= 10]
    return list(dict.fromkeys(out))


def variant(rng: random.Random, bases: list[str], alphabet: str) -> str:
    """A new sentence from the seeds: joined clauses, then a few edits."""
    text = rng.choice(bases)
    if rng.random() < 0.6:  # the first clause of one sentence, the rest of another
        other = rng.choice(bases)
        head, tail = text.split("，", 1)[0], other.split("，", 1)[-1]
        text = f"{head}，{tail}" if head != text or tail != other else f"{head}{tail}"
    for _ in range(rng.randint(1, 4)):
        text = edit(rng, text, alphabet)
    return text


def edit(rng: random.Random, text: str, alphabet: str) -> str:
    at = rng.randrange(len(text) + 1)
    kind = rng.random()
    if kind < 0.3:
        return text[:at] + rng.choice(NAMES) + text[at:]
    if kind < 0.5:
        return text[:at] + rng.choice(FIGURES) + text[at:]
    if kind < 0.75:
        return text[:at] + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) + text[at + 1 :]
    return text[:at] + text[at + rng.randint(1, 3) :] if len(text) > 12 else text


def near(rng: random.Random, text: str, alphabet: str) -> str:
    """A sentence a few characters from ``text`` (a unit of the memory)."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice(alphabet) + text[at + 1 :]
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--check", type=int, default=100, help="queries also scored against every unit")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from rapidfuzz import fuzz, process

    from pipeline.translate.fuzzy import THRESHOLD, FuzzyIndex
    from pipeline.translate.memory import HumanEntry, TranslationMemory, human_source

    rng = random.Random(args.seed)
    bases = seed_sentences()
    alphabet = "".join(sorted({ch for s in bases for ch in s if "\u4e00" <= ch <= "\u9fff"}))
    sources: dict[str, str] = {}  # folded -> as written: one unit per sentence, as the memory keys them
    while len(sources) < args.units:
        text = variant(rng, bases, alphabet)
        sources.setdefault(human_source(text), text)
    units = list(sources.values())
    print(f"{len(bases)} seed sentences -> {len(units):,} units, {statistics.mean(map(len, units)):.0f} characters "
          f"on average")

    with tempfile.TemporaryDirectory() as tmp:
        memory = TranslationMemory(Path(tmp) / "tm.sqlite")
        start = time.perf_counter()
        memory.put_human([HumanEntry(s, (), f"English of unit {i}.", "bench") for i, s in enumerate(units)])
        stored = time.perf_counter() - start
        start = time.perf_counter()
        entries = memory.human_entries()
        read = time.perf_counter() - start
        start = time.perf_counter()
        index = FuzzyIndex(entries)
        built = time.perf_counter() - start
        memory.close()
    print(f"memory: written {stored:.1f} s, read {read:.1f} s; index built {built:.1f} s")

    queries = [near(rng, rng.choice(units), alphabet) if i % 2 == 0 else variant(rng, bases, alphabet)
               for i in range(args.queries)]
    index.best(queries[0])  # imports and first-call costs are not lookups
    times, found = [], 0
    for query in queries:
        start = time.perf_counter()
        match = index.best(query)
        times.append((time.perf_counter() - start) * 1000)
        found += match is not None
    times.sort()
    print(f"lookups: {len(queries)} sentences, {found} with a match >= {THRESHOLD:.0f}%; per sentence "
          f"mean {statistics.mean(times):.2f} ms, median {statistics.median(times):.2f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} ms, worst {times[-1]:.2f} ms")

    texts = [human_source(e.source) for e in entries]
    same = missed = worse = 0
    for query in queries[: args.check]:
        folded = human_source(query)
        brute = process.extractOne(folded, texts, scorer=fuzz.ratio, score_cutoff=THRESHOLD)
        match = index.best(query)
        if brute is None or brute[1] == 100:
            same += match is None or brute is not None
        elif match is None:
            missed += 1
        elif match.score + 1e-9 < brute[1]:
            worse += 1
        else:
            same += 1
    print(f"against scoring every unit ({args.check} queries): {same} as good, {worse} a worse unit, "
          f"{missed} missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
