"""SIGKILL the commands that write, at random points, and check what they leave.

    python -m devtools.kill_test [--kills 20] [--seed 0] [--articles 3] [--work DIR] [--model DIR]

Runs ``briefing run``, ``briefing review import``, ``briefing memory import``
and ``briefing glossary import`` as subprocesses, in turn, and SIGKILLs each
after a random delay (seeded) between Python's start-up and the time the
command takes when left alone, until ``--kills`` kills have landed on a live
process.  After every kill:

* every .docx in the output folder (and the reviewer's copy) opens with python-docx;
* the translation memory passes SQLite's ``PRAGMA integrity_check``;
* the run report, where there is one, parses as JSON;
* the imported glossary, where there is one, parses as a glossary CSV.

Then one more run, left alone, must exit 0 with every article ok, leave no
``.tmp`` in the output folder, and write no ``name (2).docx``.  Prints one
line per kill and the count; exits 1 when any check failed.  Besides those
checks it notes (without failing) a memory import that a kill left half done
and a ``.tmp`` left in the glossary folder.

The model is a tiny random-weight MarianMT built here (devtools/random_marian.py)
unless ``--model`` names one; the articles are the opening paragraphs of seeds/;
before each killed run every article gets one new paragraph, so each run
decodes, remembers and writes; the TMX and the glossary are generated (our
own text, no outside material).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY = "translation-memory.sqlite"


@dataclass
class Layout:
    """The files one kill test works on, all under ``work``."""

    work: Path
    model: Path
    inputs: Path = field(init=False)
    out: Path = field(init=False)
    tmx: Path = field(init=False)
    glossary_in: Path = field(init=False)
    glossary_out: Path = field(init=False)
    review: Path = field(init=False)

    def __post_init__(self):
        self.inputs, self.out = self.work / "in", self.work / "out"
        self.tmx, self.glossary_in = self.work / "units.tmx", self.work / "terms.csv"
        self.glossary_out = self.work / "glossary" / "imported.csv"
        self.review = self.work / "review" / "reviewed.docx"

    @property
    def memory(self) -> Path:
        return self.out / MEMORY


def short_articles(folder: Path, count: int) -> None:
    """The title and first two paragraphs of ``count`` seeds: real articles, quick to translate."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[:count]:
        lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        (folder / seed.name).write_text("\n\n".join(lines[:4]) + "\n", encoding="utf-8")


def add_news(folder: Path, tag: int) -> None:
    """One new paragraph in every article: each run has sentences to decode and remember."""
    for path in sorted(folder.glob("*.txt")):
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"\n第{tag}次更新：台積電表示，本季營收成長{tag}%，需求依然強勁。\n")


def write_tmx(path: Path, units: int) -> None:
    """A TMX 1.4 file of ``units`` generated human translations."""
    body = "".join(
        f'<tu><tuv xml:lang="zh-TW"><seg>第{i}號測試句子，營收成長{i % 97}%。</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>Test sentence {i}: revenue grew {i % 97}%.</seg></tuv></tu>\n'
        for i in range(units))
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4"><header creationtool="kill_test" '
                    'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en-US" srclang="zh-TW" '
                    f'datatype="plaintext"/><body>\n{body}</body></tmx>\n', encoding="utf-8")


def write_glossary(path: Path, entries: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["source", "target", "aliases", "category", "note"])
        out.writerows([f"測試公司{i:05d}", f"Test Company {i}", "", "company", ""] for i in range(entries))


def edit_a_row(briefing: Path, copy: Path, tag: str) -> None:
    """A reviewer's copy of ``briefing`` with the English of its first sentence row changed."""
    from docx import Document

    copy.parent.mkdir(parents=True, exist_ok=True)
    doc = Document(briefing)
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["原文", "English"])
    row = next(r for r in table.rows[1:] if r.cells[0]._tc is not r.cells[1]._tc)  # not a heading's merged row
    row.cells[1].paragraphs[0].text = f"Reviewed English ({tag})."
    doc.save(copy)


def commands(layout: Layout) -> dict[str, list[str]]:
    briefing = [sys.executable, "-m", "pipeline"]
    return {
        "run": [*briefing, "run", str(layout.inputs), "--model", str(layout.model), "--out", str(layout.out),
                "--device", "cpu"],
        "review import": [*briefing, "review", "import", str(layout.review), "--memory", str(layout.memory),
                          "--prefer", "review"],
        "memory import": [*briefing, "memory", "import", str(layout.tmx), "--memory", str(layout.memory)],
        "glossary import": [*briefing, "glossary", "import", str(layout.glossary_in), "--output",
                            str(layout.glossary_out), "--force"],
    }


def run_alone(argv: list[str]) -> tuple[int, float, str]:
    start = time.monotonic()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    return proc.returncode, time.monotonic() - start, proc.stderr


def kill_after(argv: list[str], delay: float) -> tuple[bool, float]:
    """Start ``argv``, SIGKILL it after ``delay`` s; (whether it was still running, seconds it ran)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False, time.monotonic() - start
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True, time.monotonic() - start


def problems_left(layout: Layout) -> list[str]:
    """What a kill must never leave: an unreadable briefing, memory, report or glossary."""
    from docx import Document

    problems = []
    for path in sorted(layout.out.glob("*.docx")) + ([layout.review] if layout.review.exists() else []):
        try:
            with zipfile.ZipFile(path) as z:
                if z.testzip() is not None:
                    raise ValueError("a damaged member")
            Document(path)
        except Exception as err:  # any failure to open is the finding
            problems.append(f"{path.name}: does not open ({type(err).__name__}: {err})")
    if layout.memory.exists():
        if (verdict := integrity(layout.memory)) != "ok":
            problems.append(f"{layout.memory.name}: integrity_check says {verdict}")
    report = layout.out / "run-report.json"
    if report.exists():
        try:
            json.loads(report.read_text(encoding="utf-8"))
        except ValueError as err:
            problems.append(f"{report.name}: not JSON ({err})")
    if layout.glossary_out.exists():
        from pipeline.glossary.formats import read_glossary_file

        _, glossary_problems = read_glossary_file(layout.glossary_out)
        problems += [f"{layout.glossary_out.name}: {p}" for p in glossary_problems]
    return problems


def integrity(database: Path) -> str:
    """SQLite's own verdict on ``database`` ("ok"), or why it cannot give one."""
    db = sqlite3.connect(database)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as err:
        return f"{type(err).__name__}: {err}"
    finally:
        db.close()


def human_units(memory: Path) -> int:
    if not memory.exists():
        return 0
    db = sqlite3.connect(memory)
    try:
        return db.execute("SELECT COUNT(*) FROM human_translations").fetchone()[0]
    except sqlite3.Error:
        return 0  # no table yet (or damaged: problems_left says so)
    finally:
        db.close()


def prepare(layout: Layout, articles: int, log) -> dict[str, float]:
    """The inputs, then each command once, left alone: the briefings a review needs, and how
    long each command takes (the range of the random kill points)."""
    short_articles(layout.inputs, articles)
    write_tmx(layout.tmx, 3000)
    write_glossary(layout.glossary_in, 3000)
    layout.glossary_out.parent.mkdir(parents=True, exist_ok=True)
    durations = {}
    for name, argv in commands(layout).items():
        if name == "review import":
            edit_a_row(sorted(layout.out.glob("*.docx"))[0], layout.review, "first")
        rc, seconds, err = run_alone(argv)
        if rc not in (0, 1):
            raise SystemExit(f"kill_test: {name} fails when left alone (exit {rc}): {err.strip()[-500:]}")
        durations[name] = seconds
        log(f"{name}: {seconds:.1f} s left alone (exit {rc})")
    return durations


def startup_seconds() -> float:
    """How long ``briefing --version`` takes: kills before then hit only Python's start-up."""
    _, seconds, _ = run_alone([sys.executable, "-m", "pipeline", "--version"])
    return seconds


def kill_test(layout: Layout, kills: int, seed: int, articles: int, log=print) -> int:
    durations = prepare(layout, articles, log)
    startup = startup_seconds()
    log(f"start-up: {startup:.2f} s (kill points are drawn after it, up to the command's own time)")
    argv, order = commands(layout), list(commands(layout))
    rng = random.Random(seed)
    problems, notes, landed, attempts = [], [], 0, 0
    full = human_units(layout.memory)  # every TMX unit is in after the first import
    while landed < kills:
        attempts += 1
        if attempts > 5 * kills + 20:
            raise SystemExit(f"kill_test: only {landed} of {kills} kills landed in {attempts - 1} attempts")
        name = order[landed % len(order)]
        if name == "review import":
            edit_a_row(sorted(layout.out.glob("*.docx"))[0], layout.review, f"kill {landed + 1}")
        if name == "run":
            add_news(layout.inputs, attempts)
        before = human_units(layout.memory)
        delay = rng.uniform(min(startup, 0.9 * durations[name]), durations[name])
        alive, ran = kill_after(argv[name], delay)
        if not alive:  # it finished first: aim earlier next time
            durations[name] = max(0.1, ran * 0.9)
            continue
        landed += 1
        found = problems_left(layout)
        problems += [f"kill {landed} ({name}): {p}" for p in found]
        after = human_units(layout.memory)
        if name == "memory import" and after not in (before, full):
            notes.append(f"kill {landed} (memory import): {after} human units, neither {before} nor {full}")
        log(f"kill {landed:2d}: {name} after {delay:.2f} s: {'ok' if not found else '; '.join(found)}")
    rc, seconds, err = run_alone(argv["run"])
    report = json.loads((layout.out / "run-report.json").read_text(encoding="utf-8"))
    statuses = [a["status"] for a in report["articles"]]
    if rc != 0 or statuses != ["ok"] * articles or report["not_started"]:
        problems.append(f"the next run: exit {rc}, statuses {statuses}: {err.strip()[-300:]}")
    problems += [f"the next run left {p.name}" for p in layout.out.glob(".*.tmp")]
    problems += [f"the next run wrote {p.name}" for p in layout.out.glob("* (2).docx")]
    problems += [f"after the next run: {p}" for p in problems_left(layout)]
    notes += [f"{p} is left in the glossary folder" for p in layout.glossary_out.parent.glob(".*.tmp")]
    for note in notes:
        log(f"note: {note}")
    for problem in problems:
        log(f"PROBLEM: {problem}")
    per = {name: sum(1 for i in range(landed) if order[i % len(order)] == name) for name in order}
    log(f"kill_test: {landed} SIGKILLs landed ({', '.join(f'{n} {k}' for k, n in per.items())}; "
        f"{attempts - landed} finished first), the next run exit {rc} in {seconds:.1f} s; "
        f"{len(problems)} problem(s), {len(notes)} note(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--articles", type=int, default=3, help="short articles per run (default 3)")
    parser.add_argument("--work", type=Path, help="working folder (default: a new temporary one)")
    parser.add_argument("--model", type=Path, help="model directory (default: a tiny random one built here)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kill-test-"))
    work.mkdir(parents=True, exist_ok=True)
    model = args.model
    if model is None:
        from devtools.random_marian import build_model

        model = build_model(work / "model", tokenizer="trained")
    print(f"kill_test: working in {work}", flush=True)
    return kill_test(Layout(work, Path(model)), args.kills, args.seed, args.articles,
                     log=lambda line: print(line, flush=True))


if __name__ == "__main__":
    sys.exit(main())
