"""Start-up benchmark: where a `briefing translate` process spends its start, from ONE run.

Full-size random-weight opus-mt-zh-en (the real config and tokenizer from
../shared/models/opus-mt-zh-en, built by devtools/random_marian.py, or --model
DIR), the product's defaults (int8, beam 4, target vocabulary), no translation
memory, a temporary user cache and runtime folder.  Every timed figure is the
wall time of a whole process.

  imports        `python -X importtime` of a warm `briefing translate 鴻海。`,
                 self time grouped by package (torch, transformers, tokenizers/
                 sentencepiece/sacremoses, jieba/rjieba, opencc, pipeline, other)
  warm profile   cProfile of a warm start: reading the prepared file and the token
                 classes, building the translator, glossary, segmenter, the first
                 sentence
  cold start     `briefing translate 鴻海。` with an empty user cache; the one-time
                 preparation (load with transformers, fuse, quantise, cut the
                 head, derive the token classes, save) reported apart, from a
                 profile of a second cold start
  warm start     the same again (the cache filled): median of --repeat
  served start   with `briefing serve` running on the same model and settings
  bytecode       compiled once beforehand (into the run's own PYTHONPYCACHEPREFIX),
                 as pip compiles an installed package
  pipe vs naive  `briefing translate` reading 24 seed sentences from a pipe,
                 against a naive loop (MarianMTModel + MarianTokenizer from
                 transformers, `generate` one sentence at a time, the product's
                 beam and per-sentence length cap); both whole processes, each
                 the median of --repeat
  pipe vs run    sentences per second of `briefing run` on the first seed article
                 and of `briefing translate` piped the same sentences

benchmarks/bench_engines.py measures throughput of the engines (pipe, run,
Ray) and has a cold/warm start line; this one explains the start.  Figures
depend on the machine's load: compare ratios within one run.

    .venv/bin/python benchmarks/bench_startup.py [--model DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCE = "鴻海。"
GROUPS = (("torch", ("torch", "torchgen", "functorch")), ("transformers", ("transformers", "huggingface_hub", "safetensors")),
          ("tokenizers/sentencepiece/sacremoses", ("tokenizers", "sentencepiece", "sacremoses")),
          ("jieba/rjieba", ("jieba", "rjieba")), ("opencc", ("opencc",)), ("pipeline", ("pipeline",)))
# (label, file ending, function) of the warm-start profile
PROFILE_PARTS = (("read the prepared file", "translate/prepared.py", "_load"),
                 ("read the token classes", "translate/prepared.py", "_load_classes"),
                 ("build the translator", "translate/marian.py", "__init__"),
                 ("glossary files", "pipeline/glossary/", "load_source"),
                 ("OpenCC normaliser", "translate/normalise.py", "__init__"),
                 ("number finder", "numbers/finder.py", "__init__"),
                 ("word segmenter (rjieba)", "glossary/words.py", "_cut"),
                 ("prepare the sentence", "translate/prepare.py", "prepare"),
                 ("first sentence (model)", "translate/marian.py", "translate"))
PREPARATION = (("load with transformers", "translate/loading.py", "load_marian"),
               ("fuse, quantise, cut the head", "translate/marian.py", "_prepare"),
               ("derive the token classes", "search/tracker.py", "from_pieces"),
               ("save the prepared files", "translate/prepared.py", "_save"))
NAIVE = """
import sys, time
from transformers import MarianMTModel, MarianTokenizer
from pipeline.translate.settings import DecodingSettings
model_dir, settings = sys.argv[1], DecodingSettings()
tok = MarianTokenizer.from_pretrained(model_dir)
model = MarianMTModel.from_pretrained(model_dir).eval()
import torch
with torch.inference_mode():
    for line in sys.stdin.read().splitlines():
        ids = tok(line, return_tensors="pt")
        cap = settings.max_new_tokens(ids.input_ids.size(1), model.config.max_position_embeddings - 1)
        out = model.generate(**ids, num_beams=settings.beam_size, max_new_tokens=cap)
        print(tok.decode(out[0], skip_special_tokens=True))
"""


def command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def timed(argv: list[str], env: dict, stdin: str | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"  ! {' '.join(argv[1:4])} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return seconds, proc


def import_breakdown(translate: list[str], env: dict) -> tuple[dict[str, float], float]:
    """Seconds of import self time per group, and the total, from -X importtime."""
    _, proc = timed([sys.executable, "-X", "importtime", "-m", "pipeline", *translate], env)
    groups = {name: 0.0 for name, _ in GROUPS} | {"other": 0.0}
    total = 0.0
    for line in proc.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not found:
            continue
        seconds, top = int(found.group(1)) / 1e6, found.group(4).split(".")[0]
        total += seconds
        name = next((n for n, packages in GROUPS if top in packages), "other")
        groups[name] += seconds
    return groups, total


def profile(translate: list[str], env: dict, work: Path, name: str) -> tuple[pstats.Stats, float]:
    out = work / f"{name}.prof"
    code = ("import cProfile, sys\nfrom pipeline.cli import main\nsys.argv = ['briefing'] + sys.argv[1:]\n"
            f"cProfile.run('try:\\n    main(sys.argv[1:])\\nexcept SystemExit:\\n    pass', {str(out)!r})")
    seconds, _ = timed([sys.executable, "-c", code, *translate], env)
    return pstats.Stats(str(out)), seconds


def load_seconds(model: Path, env: dict) -> float:
    """Seconds ``load_translator`` takes in a fresh process (preparing when the cache is empty)."""
    code = ("import sys, time\nfrom pipeline.translate.loading import locate_model\n"
            "from pipeline.translate.prepared import load_translator\n"
            "from pipeline.translate.settings import DecodingSettings\n"
            "where = locate_model(sys.argv[1])\nstart = time.perf_counter()\n"
            "load_translator(where, DecodingSettings(), 16)\nprint(time.perf_counter() - start)")
    _, proc = timed([sys.executable, "-c", code, str(model)], env)
    return float(proc.stdout.split()[-1])


def cumulative(stats: pstats.Stats, where: str, function: str) -> float:
    """Cumulative seconds of ``function`` in files whose path contains ``where`` (recursion counted once)."""
    return sum(row[3] for (file, _, func), row in stats.stats.items() if where in file and func == function)


def served_start(translate: list[str], model_opts: list[str], env: dict) -> float | None:
    from pipeline.serve.channel import socket_path
    from pipeline.serve.client import server_alive

    server = subprocess.Popen(command(["serve", *model_opts, "--idle", "5"]), cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    path = socket_path(env)
    try:
        deadline = time.monotonic() + 600
        while not server_alive(path):
            if server.poll() is not None or time.monotonic() > deadline:
                print(f"  ! briefing serve did not start: {server.stderr.read()[-400:]}")
                return None
            time.sleep(0.2)
        timed(command(translate), env)  # the server's own first request
        return timed(command(translate), env)[0]
    finally:
        subprocess.run(command(["serve", "--stop"]), cwd=ROOT, env=env, capture_output=True)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def seed_sentences(count: int) -> list[str]:
    from pipeline.ingest.segment import split_sentences

    lines = [line for p in sorted((ROOT / "seeds").glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
    sentences = [s for line in lines if line.strip() for s in split_sentences(line) if len(s) > 4]
    return sentences[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a model directory (default: build the full-size random model)")
    parser.add_argument("--repeat", type=int, default=3, help="warm starts to take the median of (default 3)")
    parser.add_argument("--sentences", type=int, default=24, help="sentences in the pipe (default 24)")
    args = parser.parse_args()

    from devtools.random_marian import build_model

    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    model = args.model or build_model(work / "model", full=True, tokenizer="real")
    runtime = work / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "XDG_CACHE_HOME": str(work / "cache"), "XDG_RUNTIME_DIR": str(runtime),
           "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    # Bytecode compiled once, as `pip install` does for an installed package (a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile our ~50 modules on every start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], env=env, check=True)
    model_opts = ["--model", str(model), "--no-memory"]
    translate = ["translate", *model_opts, SENTENCE]
    local = ["translate", *model_opts, "--no-server", SENTENCE]
    print(f"model {model}; python {sys.version.split()[0]}; {os.cpu_count()} cpus; load {os.getloadavg()[0]:.1f}")

    colds = []
    for i in range(max(1, args.repeat)):  # each from its own empty cache
        colds.append(timed(command(local), {**env, "XDG_CACHE_HOME": str(work / f"cache-cold-{i}")})[0])
    cold = statistics.median(colds)
    timed(command(local), env)  # fills the cache the warm starts read
    prepared = statistics.median(load_seconds(model, {**env, "XDG_CACHE_HOME": str(work / f"cache-load-{i}")})
                                 - load_seconds(model, env) for i in range(max(1, args.repeat)))
    prep_env = {**env, "XDG_CACHE_HOME": str(work / "cache-profiled")}
    cold_stats, _ = profile(local, prep_env, work, "cold")
    preparation = {label: cumulative(cold_stats, f, fn) for label, f, fn in PREPARATION}
    warm = statistics.median(timed(command(local), env)[0] for _ in range(max(1, args.repeat)))
    groups, imports = import_breakdown(local, env)
    warm_stats, profiled = profile(local, env, work, "warm")
    served = served_start(translate, model_opts, env)

    sentences = seed_sentences(args.sentences)
    text = "\n".join(sentences) + "\n"
    repeats = range(max(1, args.repeat))
    pipe = statistics.median(timed(command(["translate", *model_opts, "--no-server"]), env, text)[0] for _ in repeats)
    naive = statistics.median(timed([sys.executable, "-c", NAIVE, str(model)], env, text)[0] for _ in repeats)

    from benchmarks.bench_engines import article_inputs

    article = article_inputs(sorted((ROOT / "seeds").glob("*.txt"))[:1], work / "article")
    run_rate = len(article) / statistics.median(
        timed(command(["run", str(work / "article"), "--out", str(work / f"run-{i}"), *model_opts, "--no-server"]),
              env)[0] for i in repeats)
    pipe_rate = len(article) / statistics.median(
        timed(command(["translate", *model_opts, "--no-server"]), env, "\n".join(article) + "\n")[0] for _ in repeats)

    print("\nimports of a warm start (self time, -X importtime):")
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {name:38s} {seconds:6.2f} s  {seconds / imports:5.0%}")
    print(f"  {'all imports':38s} {imports:6.2f} s")
    print(f"\nwarm start under cProfile ({profiled:.2f} s whole process; cumulative, parts overlap):")
    for label, file_end, function in PROFILE_PARTS:
        print(f"  {label:38s} {cumulative(warm_stats, file_end, function):6.2f} s")
    print("\nstart to the first sentence (whole process):")
    print(f"  cold start (empty cache, median of {len(colds)})   {cold:6.2f} s")
    for label, seconds in preparation.items():
        print(f"    of which preparation: {label:30s} {seconds:6.2f} s (profiled cold start)")
    print(f"    preparation, unprofiled (load_translator on an empty cache less on a full one) {prepared:6.2f} s")
    print(f"  cold start less its preparation        {cold - prepared:6.2f} s")
    print(f"  warm start (median of {args.repeat})              {warm:6.2f} s")
    print(f"  served start                           {served:6.2f} s" if served is not None else "  served start: not measured")
    print(f"\n{len(sentences)} sentences, whole process (median of {len(repeats)}):")
    print(f"  briefing translate from a pipe          {pipe:6.2f} s")
    print(f"  naive generate loop (transformers)      {naive:6.2f} s   pipe is {naive / pipe:.1f}x the naive loop")
    print(f"\none seed article, {len(article)} sentences (titles included), whole process (median of {len(repeats)}):")
    print(f"  briefing run                            {run_rate:6.2f} sentences/s")
    print(f"  briefing translate from a pipe          {pipe_rate:6.2f} sentences/s   pipe / run = {pipe_rate / run_rate:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
