"""Whole-corpus batching: batches span articles, briefings still appear as articles complete."""

from __future__ import annotations

from pathlib import Path

from pipeline.briefing.document import BriefingOptions
from pipeline.cli import _setup, build_parser
from pipeline.run import RunOptions, run_batch

from tests.conftest import seed_paths


def _setup_for(model: Path, out: Path):
    args = build_parser().parse_args(["run", "--model", str(model), "--out", str(out), "--no-memory", "--device", "cpu"])
    return _setup(args, None)


def test_briefings_are_written_as_articles_complete_and_the_bar_counts_sentences(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    events = []

    def progress(done, total, record):
        on_disk = sorted(p.name for p in out.glob("*.docx"))
        events.append((done, total, record, on_disk))

    paths = seed_paths()
    options = RunOptions(inputs=paths, out_dir=out, briefing=BriefingOptions(), window_sentences=64, batch_size=16)
    report = run_batch(paths, options, setup.translator, setup.signature, progress)
    total = events[-1][1]
    assert total == sum(a.sentences + 1 for a in report.articles)  # body sentences and titles
    dones = [e[0] for e in events]
    assert dones == sorted(dones) and dones[-1] == total
    first_written = next(e for e in events if e[2] is not None)
    assert first_written[0] < total  # a briefing existed before the last sentence was decoded
    assert first_written[3] == [Path(first_written[2].output).name]
    assert [a.input for a in report.articles] == [str(p) for p in paths]  # input order, whatever finished first
    assert all(a.status == "ok" for a in report.articles)


def test_a_stop_between_batches_keeps_finished_articles_and_lists_the_rest(tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    out.mkdir()
    setup = _setup_for(tiny_model_dir, out)
    finished = []

    def progress(done, total, record):
        if record is not None:
            finished.append(record)

    paths = seed_paths()
    options = RunOptions(inputs=paths, out_dir=out, window_sentences=64, batch_size=16, write_index=False)
    report = run_batch(paths, options, setup.translator, setup.signature, progress, stop_requested=lambda: bool(finished))
    assert report.interrupted and report.not_started
    assert len(report.articles) + len(report.not_started) == len(paths)
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(Path(a.output).name for a in report.articles)
