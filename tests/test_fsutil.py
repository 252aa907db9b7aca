import os

import pytest

from pipeline.fsutil import atomic_write_bytes, check_writable_dir


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["a.docx"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.docx"]


def test_unwritable_output_folder_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "cannot create output folder" in check_writable_dir(blocker / "out")
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        assert "not writable" in check_writable_dir(ro)
    assert check_writable_dir(tmp_path / "fresh") is None


def _aged(path, seconds):
    import os
    import time

    path.write_bytes(b"half")
    old = time.time() - seconds
    os.utime(path, (old, old))
    return path


def test_a_write_sweeps_what_a_killed_write_of_the_same_file_left(tmp_path):
    """issue 19: a killed glossary import left .terms.csv.XXXXXXXX.tmp beside the glossary."""
    from pipeline.fsutil import atomic_write_text

    stale = _aged(tmp_path / ".terms.csv.k3j_x9q2.tmp", 3600)
    live = _aged(tmp_path / ".terms.csv.ab12cd34.tmp", 1)  # another process writing right now
    other = _aged(tmp_path / ".other.csv.ab12cd34.tmp", 3600)  # another file's: left to that file's next write
    longer = _aged(tmp_path / ".terms.csv.bak.ab12cd34.tmp", 3600)  # .terms.csv.bak's, not .terms.csv's
    mine = _aged(tmp_path / ".notes.tmp", 3600)  # a person's file that only looks alike
    atomic_write_text(tmp_path / "terms.csv", "source,target\n")
    assert not stale.exists()
    assert live.exists() and other.exists() and longer.exists() and mine.exists()
    assert (tmp_path / "terms.csv").read_text() == "source,target\n"


def test_sweeping_a_folder_removes_every_temporary_and_nothing_else(tmp_path):
    from pipeline.fsutil import sweep_temporaries

    left = [_aged(tmp_path / n, 0) for n in (".a.docx.abcdefgh.tmp", ".run-report.json.x_1y2z3w.tmp")]
    kept = [_aged(tmp_path / n, 0) for n in (".notes.tmp", "a.docx", ".a.docx.abc.tmp", "x.abcdefgh.tmp")]
    assert sorted(sweep_temporaries(tmp_path)) == sorted(left)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in left)


def test_the_run_lock_sweeps_temporaries_but_not_a_persons_dotfiles(tmp_path):
    """Taking an output folder's lock removes what killed runs left, and only that."""
    from pipeline.briefing.outputs import RunLock

    left = _aged(tmp_path / ".a.docx.abcdefgh.tmp", 0)
    kept = _aged(tmp_path / ".notes.tmp", 0)  # the old sweep took every .*.tmp
    with RunLock(tmp_path):
        pass
    assert not left.exists() and kept.exists()
