"""Engine benchmark: sentences per second of every way to run the model, and start times, from ONE run.

Full-size random-weight opus-mt-zh-en (the real config and tokenizer from
../shared/models/opus-mt-zh-en, built by devtools/random_marian.py), the
product's defaults (int8, beam 4, target vocabulary), no translation memory,
the same seed sentences everywhere.  Random weights rarely stop on their own,
so every sentence decodes to about its length cap: the figures measure
compute, not fluency.

  translate (pipe)   `briefing translate` reading the sentences from a pipe
  run local          `briefing run` (whole-window length-sorted batches)
  run ray x1 / x2    `briefing run --engine ray --actors 1|2 --cpus-per-actor 1`
                     (each starts its own local Ray cluster: counted)
  cold / warm start  `briefing translate 鴻海。` with an empty user cache
                     (hash the weights, load fp32, prepare, save) and again (warm)

Every figure is wall time of the whole command, start-up included.  It prints
figures and never fails on a slow machine.

    .venv/bin/python benchmarks/bench_engines.py [--articles 1] [--model DIR] [--skip-ray]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def briefing(args: list[str], env: dict, stdin: str | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"  ! briefing {' '.join(args[:2])} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return seconds


def article_inputs(seeds: list[Path], folder: Path) -> list[str]:
    """Copy ``seeds`` into ``folder`` (what `run` reads); their sentences and titles as `run` reads them."""
    from pipeline.ingest.readers import read_input

    folder.mkdir()
    lines = []
    for seed in seeds:
        (folder / seed.name).write_bytes(seed.read_bytes())
        article = read_input(seed, 5 << 20)
        lines += [s for b in article.blocks for s in b.sentences] + [article.title]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1, help="seed articles to translate (default 1)")
    parser.add_argument("--model", type=Path, help="a model directory (default: build the full-size random model)")
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()

    from devtools.random_marian import build_model

    work = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    model = args.model or build_model(work / "model", full=True, tokenizer="real")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[: args.articles]
    inputs = work / "in"
    lines = article_inputs(seeds, inputs)
    count = len(lines)
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(work / "cache"), HF_HUB_OFFLINE="1")
    common = ["--model", str(model), "--no-memory"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs (shared), torch threads default; "
          f"{len(seeds)} seed article(s), {count} sentences (titles included); full-size random weights, int8, beam 4")

    short = "鴻海。"  # start-up, not decoding, is what this measures
    cold = briefing(["translate", short, *common], env)
    warm = briefing(["translate", short, *common], env)
    print(f"start to first translation: cold {cold:.1f} s (hash weights, load fp32, quantise, save), warm {warm:.1f} s")

    def rate(name: str, seconds: float) -> float:
        print(f"{name:<28} {count / seconds:6.2f} sentences/s  ({seconds:.1f} s wall, start-up included)")
        return count / seconds

    run = rate("briefing run (local)", briefing(["run", str(inputs), "--out", str(work / "local"), *common], env))
    pipe = rate("briefing translate (pipe)", briefing(["translate", *common], env, stdin="\n".join(lines) + "\n"))
    print(f"{'':<28} pipe / run = {pipe / run:.0%} (goal: at least 80%)")
    if not args.skip_ray:
        for actors in (1, 2):
            rate(f"briefing run --engine ray x{actors}",
                 briefing(["run", str(inputs), "--out", str(work / f"ray{actors}"), "--engine", "ray",
                           "--actors", str(actors), "--cpus-per-actor", "1", *common], env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
