"""Reading time and peak memory on large generated pages (issue 19: reading must be linear).

    PYTHONPATH=$PWD python benchmarks/bench_reading.py [--only NAME ...] [--max-input-mb 16]

Each input is read once through ``pipeline.ingest.readers.read_input`` in a
fresh subprocess, which reports its wall time, its CPU time and its peak
resident memory (``ru_maxrss``; the interpreter and the imported libraries
included), so one input's garbage never counts against the next.  On a shared
machine the CPU seconds are the steadier figure.

Inputs: web pages of 2k to 32k paragraphs; a 5 MB web page, flat and with
2,000 paragraphs in unclosed <div>s; a 5 MB Markdown table.  Targets: an
8k-paragraph page under 2 s; a 5 MB input under 10 s and 500 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Distinct sentences (a page of one repeated line is not an article; extractors drop duplicates).
_WORDS = "台積電鴻海聯發科營收成長法人預期資本支出先進封裝產能市場需求強勁半導體供應鏈"
MB = 1024 * 1024


def sentence(k: int) -> str:
    """A distinct Chinese sentence for paragraph ``k`` (about 40 characters)."""
    picks = "".join(_WORDS[(k * 7 + j * 3) % len(_WORDS)] for j in range(12))
    return f"第{k}段：{picks}，今年第{k % 4 + 1}季營收{k % 900 + 100}億元，較去年同期成長{k % 30 + 1}%。"


def html_page(paragraphs: int) -> str:
    body = "\n".join(f"<p>{sentence(k)}</p>" for k in range(paragraphs))
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>台積電法說會 - 新聞網</title></head>"
            f"<body><nav><a href=\"/\">首頁</a></nav><article><h1>台積電法說會</h1>{body}</article>"
            "<footer>版權所有</footer></body></html>")


def html_of_size(size: int) -> str:
    """A page of about ``size`` bytes of UTF-8."""
    per = len(f"<p>{sentence(12345)}</p>\n".encode("utf-8"))
    return html_page(size // per)


def markdown_table(size: int) -> str:
    """A Markdown table of about ``size`` bytes: a header and rows of three cells."""
    rows = ["# 營收一覽", "", "| 公司 | 說明 | 營收 |", "| --- | --- | --- |"]
    total, k = 0, 0
    while total < size:
        row = f"| 公司{k} | {sentence(k)} | {k % 900 + 100}億 |"
        rows.append(row)
        total += len(row.encode("utf-8")) + 1
        k += 1
    return "\n".join(rows) + "\n"


def inputs() -> dict[str, tuple[str, str]]:
    """name -> (suffix, text) of every benchmark input."""
    out = {f"page-{n // 1000}k-paragraphs": (".html", html_page(n)) for n in (2000, 4000, 8000, 16000, 32000)}
    out["page-5MB"] = (".html", html_of_size(5 * MB - 4096))
    # The worst nesting a page may have: 2,000 paragraphs each in one more unclosed <div>, then the rest.
    nested = "".join(f"<div><p>{sentence(10**6 + k)}" for k in range(2000))
    out["page-5MB-2000-deep"] = (".html", html_of_size(5 * MB - 4096 - len(nested.encode("utf-8"))).replace(
        "<article>", "<article>" + nested, 1))
    out["markdown-table-5MB"] = (".md", markdown_table(5 * MB - 4096))
    return out


def measure(path: Path, max_bytes: int) -> dict:
    """Read ``path`` in this process: seconds, peak RSS in MB, blocks and debris lines."""
    import resource

    from pipeline.ingest.readers import read_input

    start, cpu_start = time.perf_counter(), time.process_time()
    article = read_input(path, max_bytes)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "blocks": len(article.blocks),
            "debris": len(article.debris)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="names of inputs to read (default: all)")
    parser.add_argument("--max-input-mb", type=float, default=16.0, help="read_input's size limit")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: read this one file and print JSON
    args = parser.parse_args()
    max_bytes = int(args.max_input_mb * MB)
    if args.child:
        print(json.dumps(measure(Path(args.child), max_bytes)))
        return
    print(f"{'input':24} {'MB':>6} {'seconds':>8} {'cpu s':>7} {'peak MB':>8} {'blocks':>7} {'debris':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (suffix, text) in inputs().items():
            if args.only and name not in args.only:
                continue
            path = Path(tmp) / f"{name}{suffix}"
            path.write_text(text, encoding="utf-8")
            done = subprocess.run([sys.executable, __file__, "--child", str(path), "--max-input-mb", str(args.max_input_mb)],
                                  capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(f"{name:24} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name:24} {path.stat().st_size / MB:6.2f} {r['seconds']:8.2f} {r['cpu']:7.2f} {r['peak_mb']:8.0f} {r['blocks']:7} {r['debris']:7}")


if __name__ == "__main__":
    main()
