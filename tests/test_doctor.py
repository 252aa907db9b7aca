"""`briefing doctor`: each check says what it found and how to fix it; required ones decide the exit code."""

import importlib.util
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tomllib

import pytest

from pipeline import doctor
from pipeline.doctor import PACKAGES, Check, check_package, check_python, check_writable, read_lock, run_checks
from tests.conftest import ROOT


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def run_doctor(*args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "pipeline", "doctor", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_name(requirement: str) -> str:
    """'ray[data]>=2.40' -> 'ray', canonical."""
    return doctor.canonical(re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0))


# ---------------------------------------------------------------- the model


def copy_model(src, dest, drop=(), config=None):
    shutil.copytree(src, dest)
    for pattern in drop:
        for f in dest.glob(pattern):
            f.unlink()
    if config is not None:
        (dest / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return dest


@pytest.mark.parametrize("defect", ["missing dir", "a file", "no weights", "no tokenizer", "not marian",
                                    "broken tokenizer"])
def test_a_broken_model_is_a_required_failure_with_a_fix(defect, tmp_path, tiny_model_dir):
    if defect == "missing dir":
        model = tmp_path / "no" / "such-model"
    elif defect == "a file":
        model = tmp_path / "model.bin"
        model.write_bytes(b"\0")
    elif defect == "no weights":
        model = copy_model(tiny_model_dir, tmp_path / "m", drop=["*.safetensors", "*.bin"])
    elif defect == "no tokenizer":
        model = copy_model(tiny_model_dir, tmp_path / "m", drop=["source.spm"])
    elif defect == "not marian":
        config = json.loads((tiny_model_dir / "config.json").read_text(encoding="utf-8"))
        model = copy_model(tiny_model_dir, tmp_path / "m", config=dict(config, model_type="bert"))
    else:  # every file there, but the SentencePiece model is not one
        model = copy_model(tiny_model_dir, tmp_path / "m")
        (model / "source.spm").write_bytes(b"not a sentencepiece model")
    checks = [c for c in run_checks(model=str(model), out=tmp_path / "out") if c.name in ("model", "tokenizer")]
    failed = [c for c in checks if not c.ok]
    assert len(failed) == 1 and failed[0].required, checks
    assert "--model DIR" in failed[0].fix and "\n" not in failed[0].what
    stream = io.StringIO()
    assert doctor.doctor(str(model), tmp_path / "out", stream=stream) == 1
    lines = stream.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("FAIL") and failed[0].name in line)
    assert lines[at + 1].strip().startswith("fix: ") and "not ready" in lines[-1]


def test_a_complete_model_and_this_venv_pass(tmp_path, tiny_model_dir):
    checks = run_checks(model=str(tiny_model_dir), out=tmp_path / "out")
    named = by_name(checks)
    assert named["model"].ok and str(tiny_model_dir) in named["model"].what
    assert named["tokenizer"].ok
    assert all(named[name].ok or not named[name].required for name in PACKAGES)  # the test venv has them all
    assert all(c.ok for c in checks if c.required), [c for c in checks if c.required and not c.ok]
    stream = io.StringIO()
    assert doctor.doctor(str(tiny_model_dir), tmp_path / "out", stream=stream) == 0
    lines = stream.getvalue().splitlines()
    assert len([line for line in lines if not line.startswith(" ")]) == len(checks) + 1  # one line each, a summary
    assert lines[-1].startswith("briefing doctor: ready: ")


def test_the_default_hub_model_is_looked_up_in_the_cache_only(tmp_path, monkeypatch):
    """Not in the (empty) test cache: a failure saying so, without one lookup of the hub's address."""
    def no_network(*args, **kwargs):
        raise AssertionError("briefing doctor touched the network")

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("BRIEFING_MODEL", raising=False)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    model = by_name(doctor.check_model(None))["model"]
    assert not model.ok and model.required
    assert "Helsinki-NLP/opus-mt-zh-en" in model.what and "Hugging Face cache" in model.what
    assert "hf download" in model.fix


# ---------------------------------------------------------------- packages and the lock


def test_a_package_that_does_not_import_fails_with_the_install_command():
    """What an old pip's missing lxml_html_clean looked like: a module that is not there."""
    failed = check_package("lxml-html-clean", ("lxml.html.no_such_cleaner",), {})
    assert not failed.ok and failed.required
    assert "cannot import lxml.html.no_such_cleaner" in failed.what and "constraints.txt" in failed.fix
    torch_missing = check_package("torch", ("no_such_torch",), {})
    assert not torch_missing.ok and "torch==2.13.0" in torch_missing.fix


def test_a_version_other_than_the_locks_only_warns(tmp_path):
    from importlib.metadata import version

    lock = tmp_path / "constraints.txt"
    lock.write_text("# comment\nLXML==0.0.1\nRapidFuzz==" + version("rapidfuzz") + "  # same\n", encoding="utf-8")
    pins = read_lock(lock)
    assert pins == {"lxml": "0.0.1", "rapidfuzz": version("rapidfuzz")}
    differs = check_package("lxml", ("lxml.etree",), pins)
    assert not differs.ok and not differs.required and "pins 0.0.1" in differs.what and "make lock" in differs.fix
    assert check_package("rapidfuzz", ("rapidfuzz",), pins).ok
    assert check_package("torch", ("torch",), {"torch": "2.13.0"}).ok  # 2.13.0+cpu is the pinned 2.13.0


def test_a_missing_optional_package_only_warns(monkeypatch):
    monkeypatch.setattr(doctor, "OPTIONAL_PACKAGES", {"ray": ("the Ray engine", "pip install -e '.[ray]'"),
                                                      "no_such_engine": ("an engine", "pip install no-such-engine")})
    ray, missing = doctor.check_optional_packages()
    assert ray.ok == (importlib.util.find_spec("ray") is not None)
    assert not missing.ok and not missing.required and "an engine" in missing.what and missing.fix.startswith("pip")


def test_the_lock_pins_every_package_pyproject_declares():
    """A dependency added to pyproject.toml without `make lock` would install unpinned."""
    pins = read_lock(ROOT / "constraints.txt")
    declared = pyproject()["project"]["dependencies"] + [
        req for extra in ("test", "ray") for req in pyproject()["project"]["optional-dependencies"][extra]]
    names = {requirement_name(req) for req in declared}
    assert names and names <= set(pins), names - set(pins)
    assert "torch" not in pins  # pinned by the Makefile: the CPU build's local version would not resolve elsewhere
    assert all(doctor.canonical(name) in pins for name in PACKAGES if name != "torch")


def test_the_doctor_checks_what_pyproject_declares():
    declared = {requirement_name(req) for req in pyproject()["project"]["dependencies"]}
    assert set(PACKAGES) - declared == {"torch", "huggingface-hub", "numpy"}  # see PACKAGES' comment
    assert declared <= set(PACKAGES)


def test_python_version_matches_pyproject():
    assert pyproject()["project"]["requires-python"] == ">=" + ".".join(map(str, doctor.MIN_PYTHON))
    assert check_python((3, 11, 7)).ok and check_python((3, 13, 0)).ok
    old = check_python((3, 10, 12))
    assert not old.ok and old.required and "3.10.12" in old.what and "python3.11" in old.fix


# ---------------------------------------------------------------- folders and optional tools


def test_folders_writable_creatable_or_not(tmp_path, monkeypatch):
    assert check_writable("output", tmp_path, "x", True).ok
    creatable = check_writable("output", tmp_path / "a" / "b", "x", True)
    assert creatable.ok and "will be created" in creatable.what and not (tmp_path / "a").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    blocked = check_writable("output", blocker / "out", "x", True)
    assert not blocked.ok and blocked.required and "--out DIR" in blocked.fix
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    cache = by_name(doctor.check_folders(tmp_path))["cache"]
    assert not cache.ok and not cache.required and "XDG_CACHE_HOME" in cache.fix
    assert list(tmp_path.iterdir()) == [blocker]  # the probes left nothing behind


def test_missing_libreoffice_and_fonts_only_warn(tmp_path, monkeypatch, tiny_model_dir):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no fc-list
    named = by_name(run_checks(model=str(tiny_model_dir), out=tmp_path / "out"))
    for name in ("libreoffice", "cjk font"):
        assert not named[name].ok and not named[name].required and "apt-get install" in named[name].fix
    assert doctor.doctor(str(tiny_model_dir), tmp_path / "out", stream=io.StringIO()) == 0


# ---------------------------------------------------------------- the command


def test_command_reports_a_missing_model_dir_and_exits_1(tmp_path):
    proc = run_doctor("--model", tmp_path / "missing-model", "--out", tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("FAIL  model"))
    assert "missing-model" in lines[at] and lines[at + 1].strip().startswith("fix: pass --model DIR")
    assert lines[-1].startswith("briefing doctor: not ready: ") and "1 failed" in lines[-1]


def test_command_json_passes_with_a_complete_model(tmp_path, tiny_model_dir):
    proc = run_doctor("--json", "--model", tiny_model_dir, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True and report["failed"] == 0
    rows = {row["name"]: row for row in report["checks"]}
    assert set(PACKAGES) <= set(rows) and {"python", "model", "tokenizer", "output", "cache"} <= set(rows)
    assert all(row["status"] in ("ok", "warn") for row in rows.values())
    assert all(set(row) == {"name", "ok", "what", "fix", "required", "status"} for row in rows.values())


def test_doctor_help_is_instant():
    code = ("import sys; from pipeline.cli import main\ntry:\n    main(['doctor', '--help'])\nexcept SystemExit: pass\n"
            "import pipeline.doctor\nprint('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "--json" in out.stdout and out.stdout.strip().endswith("False False"), out
