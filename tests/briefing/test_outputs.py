"""The output folder's manifest: a briefing and its record commit as one step."""

import json
import signal
import subprocess
import sys
import textwrap

import pytest

from pipeline.briefing.outputs import MANIFEST_NAME, Manifest, sha256

from tests.conftest import ROOT

# Runs Manifest.write_briefing in a child process that SIGKILLs itself at one point of the
# write: "before-rename" (the pending hash is saved, the briefing is not in place yet) or
# "after-rename" (the briefing is in place, its record not yet updated).
_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import pipeline.briefing.outputs as outputs

    out, name, data, where = Path(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4]
    real_write = outputs.atomic_write_bytes

    def write_then_die(path, payload):
        if where == "before-rename":
            os.kill(os.getpid(), signal.SIGKILL)
        real_write(path, payload)
        os.kill(os.getpid(), signal.SIGKILL)

    outputs.atomic_write_bytes = write_then_die
    outputs.Manifest(out).write_briefing(out / name, data)
""")


def killed_write(out, name: str, data: bytes, where: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _KILLER, str(out), name, data.decode(), where], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@pytest.mark.parametrize("where", ["before-rename", "after-rename"])
@pytest.mark.parametrize("earlier", [None, b"first briefing"])
def test_a_killed_write_is_recognised_by_the_next_run(tmp_path, where, earlier):
    if earlier is not None:
        Manifest(tmp_path).write_briefing(tmp_path / "a.docx", earlier)
    killed_write(tmp_path, "a.docx", b"second briefing", where)
    on_disk = (tmp_path / "a.docx").read_bytes() if (tmp_path / "a.docx").exists() else None
    assert on_disk == (b"second briefing" if where == "after-rename" else earlier)
    written = Manifest(tmp_path).write_briefing(tmp_path / "a.docx", b"third briefing")
    assert written == tmp_path / "a.docx"  # its own file, replaced: no "a (2).docx"
    assert written.read_bytes() == b"third briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME, "a.docx"]
    record = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert record["written"]["a.docx"] == sha256(b"third briefing") and "pending" not in record


def test_a_persons_edit_after_a_killed_write_is_kept(tmp_path):
    Manifest(tmp_path).write_briefing(tmp_path / "a.docx", b"first briefing")
    killed_write(tmp_path, "a.docx", b"second briefing", "after-rename")
    (tmp_path / "a.docx").write_bytes(b"second briefing, edited by a reader")
    written = Manifest(tmp_path).write_briefing(tmp_path / "a.docx", b"third briefing")
    assert written == tmp_path / "a (2).docx"
    assert (tmp_path / "a.docx").read_bytes() == b"second briefing, edited by a reader"


def test_the_record_of_one_file_does_not_vouch_for_another(tmp_path):
    killed_write(tmp_path, "a.docx", b"same bytes", "before-rename")  # pending for a.docx only
    (tmp_path / "b.docx").write_bytes(b"same bytes")  # a person's file that happens to match
    assert Manifest(tmp_path).write_briefing(tmp_path / "b.docx", b"new") == tmp_path / "b (2).docx"
    assert Manifest(tmp_path).write_briefing(tmp_path / "a.docx", b"new") == tmp_path / "a.docx"


def test_manifests_of_earlier_versions_still_load(tmp_path):
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"a.docx": sha256(b"old")}), encoding="utf-8")
    (tmp_path / "a.docx").write_bytes(b"old")
    assert Manifest(tmp_path).write_briefing(tmp_path / "a.docx", b"new") == tmp_path / "a.docx"
