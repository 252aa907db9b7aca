"""What the review and XLIFF round-trip tests share: the command line as a user runs it,
a briefing of one seed written by `briefing run`, and the manifest inside a briefing."""

import subprocess
import sys
import zipfile

from pipeline.review.manifest import read as read_manifest

from tests.conftest import ROOT, seed_paths

SEED = seed_paths()[0]


def briefing_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def seed_run(tmp_path_factory, model_dir, name: str):
    """An output folder holding the briefing of ``SEED``, written by the tiny model."""
    out = tmp_path_factory.mktemp(name)
    proc = briefing_cli("run", SEED, "--model", model_dir, "--out", out, "--no-index")
    assert proc.returncode == 0, proc.stderr
    return out


def briefing_manifest(path):
    with zipfile.ZipFile(path) as z:
        return read_manifest(z)


def norm(text):
    return " ".join(text.split())


def copy_of_run(first_run, tmp_path):
    """A test's own copy of the seed run's output folder (the module's run stays untouched),
    and the briefing in it."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(first_run, out)
    return out, out / f"{SEED.stem}.docx"
