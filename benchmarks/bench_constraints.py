"""Old vs new constrained search, timed alternately in one session.

    python benchmarks/bench_constraints.py OLD_CHECKOUT NEW_CHECKOUT MODEL_DIR [--sentences 24] [--rounds 3] [--threads 1]

Each timing runs bench_speed.run_ours (the benchmark's default path, glossary and
figures on, guarantee asserted) in a fresh process with only that checkout on the
path, the garbage collected just before the timed call (``--no-collect`` to skip)
and one torch thread (``--threads`` for more: the model's work then
spreads over cores while the search's small tensor steps do not).  Checkouts alternate so that load from other processes
falls on both; the best and the median of each side, their ratios, and the
median of the per-round ratios are printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

# run inside the child: the checkout under test is the only pipeline on sys.path
CHILD = """
import gc, sys, torch
from pathlib import Path
root, model, n, threads, collect = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
sys.path[:0] = [str(root), str(root / "benchmarks")]
torch.set_num_threads(threads)
import bench_speed as b
if collect:
    timed = b.timed
    b.timed = lambda fn: (gc.collect(), timed(fn))[1]
seconds, _, _ = b.run_ours(model, b.seed_sentences(n), True, 1)
print(seconds)
"""


def time_once(checkout: Path, model: Path, sentences: int, threads: int, collect: bool = True) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    out = subprocess.run([sys.executable, "-c", CHILD, str(checkout), str(model), str(sentences), str(threads),
                          "1" if collect else "0"], env=env, capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("model", type=Path)
    ap.add_argument("--sentences", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--no-collect", action="store_true",
                    help="do not collect garbage before the timed call (a full collection the set-up leaves due then "
                         "lands in one side's window or the other's by chance: about 0.2 s with the full-size model)")
    args = ap.parse_args()
    old, new = [], []
    for r in range(args.rounds):
        old.append(time_once(args.old, args.model, args.sentences, args.threads, not args.no_collect))
        new.append(time_once(args.new, args.model, args.sentences, args.threads, not args.no_collect))
        print(f"round {r + 1}: old {old[-1]:.2f} s  new {new[-1]:.2f} s  ratio {new[-1] / old[-1]:.3f}", flush=True)
    print(f"best: old {min(old):.2f} s  new {min(new):.2f} s  new/old {min(new) / min(old):.3f}")
    med_old, med_new = statistics.median(old), statistics.median(new)
    rounds = statistics.median(n / o for n, o in zip(new, old))
    print(f"median: old {med_old:.2f} s  new {med_new:.2f} s  new/old {med_new / med_old:.3f}  "
          f"(median of the rounds' ratios {rounds:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
