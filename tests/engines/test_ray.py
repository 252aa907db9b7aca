"""--engine ray and --engine local give the same briefings and the same report.

A real local Ray cluster (2 CPUs), two translator actors so batches finish out
of order, the seeds, and a tiny random-weight model: the English is nonsense,
but it must be the same bytes, matched back to its (article, sentence) key.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from pipeline.cli import main

from tests.conftest import seed_paths

_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?"
                   r"|\d{8}T\d{6}Z-[0-9a-f]{6}")  # the run id each briefing's segment manifest records


def _seeds() -> list[str]:
    """The two shortest seeds (72 sentences): enough for 3 windows of 3 batches on a shared 2-core machine."""
    return [str(p) for p in sorted(seed_paths(), key=lambda p: p.stat().st_size)[:2]]


def _run(out: Path, model: Path, *extra: str) -> int:
    return main(["run", *_seeds(), "--model", str(model), "--out", str(out), "--window", "24", "--batch-size", "8",
                 "--device", "cpu", *extra])


def _report(out: Path) -> dict:
    text = (out / "run-report.json").read_text(encoding="utf-8").replace(str(out), "OUT")
    report = json.loads(text)
    for key in ("started_at", "finished_at"):
        report["run"].pop(key)
    for article in report["articles"]:
        article.pop("seconds")
        article.pop("output_sha256")  # a hash of DOCX bytes that embed the generation time; parts are compared
    return report


def _parts(path: Path) -> dict[str, str]:
    """Every part of a DOCX, with generation times (cover line, comment dates) and the run id blanked."""
    with zipfile.ZipFile(path) as z:
        return {name: _TIME.sub("TIME", z.read(name).decode("utf-8", "replace")) for name in sorted(z.namelist())}


def test_ray_and_local_engines_write_the_same_briefings_and_report(tmp_path, tiny_model_dir, ray_cluster):
    local, distributed = tmp_path / "local", tmp_path / "ray"
    assert _run(local, tiny_model_dir) == 0
    assert _run(distributed, tiny_model_dir, "--engine", "ray", "--actors", "2", "--cpus-per-actor", "1") == 0
    report = _report(local)
    assert report["summary"]["ok"] == 2 and report["summary"]["sentences_from_memory"] == 0
    assert _report(distributed) == report
    names = sorted(p.name for p in local.glob("*.docx"))
    assert len(names) == 4 and names == sorted(p.name for p in distributed.glob("*.docx"))  # 2 briefings, index, digest
    for name in names:
        assert _parts(distributed / name) == _parts(local / name), name


def test_a_ray_rerun_is_answered_by_the_memory_without_decoding(tmp_path, tiny_model_dir, ray_cluster):
    out = tmp_path / "out"
    assert _run(out, tiny_model_dir, "--engine", "ray", "--actors", "2") == 0
    first = _report(out)
    assert _run(out, tiny_model_dir, "--engine", "ray", "--actors", "2") == 0
    again = _report(out)
    assert again["summary"]["sentences_from_memory"] == again["summary"]["sentences"] == first["summary"]["sentences"]
