"""``briefing doctor``: is this machine ready to translate, and if not, what to fix.

Each check is a small function returning ``Check`` objects: what it found and,
when that is wrong, how to fix it.  Required checks (Python, the packages, the
model, the output folder) decide the exit code; optional ones (the Ray engine,
a GPU, LibreOffice and a CJK font for looking at briefings, the user cache)
only warn.  Nothing here touches the network: a hub model is looked up in the
Hugging Face cache only.  Heavy imports happen inside the checks, so importing
this module (and ``briefing --help``) stays instant.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

MIN_PYTHON = (3, 11)  # pyproject.toml's requires-python (tests/test_doctor.py compares them)
LOCK_NAME = "constraints.txt"  # written by `make lock`, beside pyproject.toml

# The distributions the package needs (pyproject.toml's dependencies, torch, and the two that
# transformers brings but we import ourselves: huggingface_hub and numpy), each with the modules
# we import from it.  Importing them is the check: lxml_html_clean missing shows as
# lxml.html.clean failing here, not as every web page failing at run time.
PACKAGES = {
    "torch": ("torch",),
    "transformers": ("transformers",),
    "huggingface-hub": ("huggingface_hub",),
    "numpy": ("numpy",),
    "sentencepiece": ("sentencepiece",),
    "sacremoses": ("sacremoses",),
    "opencc": ("opencc",),
    "python-docx": ("docx",),
    "sacrebleu": ("sacrebleu",),
    "charset-normalizer": ("charset_normalizer",),
    "cn2an": ("cn2an",),
    "jieba": ("jieba",),
    "rjieba": ("rjieba",),
    "trafilatura": ("trafilatura", "trafilatura.settings"),
    "markdown-it-py": ("markdown_it",),
    "openpyxl": ("openpyxl",),
    "lxml": ("lxml.etree", "lxml.html"),
    "lxml-html-clean": ("lxml.html.clean",),
    "translate-toolkit": ("translate.storage.xliff", "translate.storage.xliff2"),
    "rapidfuzz": ("rapidfuzz",),
    "feedparser": ("feedparser",),
}
OPTIONAL_PACKAGES = {"ray": ("the Ray engine (briefing run --engine ray)", f"pip install -c {LOCK_NAME} -e '.[ray]'")}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    what: str  # what was found
    fix: str = ""  # how to fix it, when not ok
    required: bool = True

    @property
    def status(self) -> str:
        return "ok" if self.ok else ("FAIL" if self.required else "warn")


def run_checks(model: str | None = None, out: Path = Path("output")) -> list[Check]:
    """Every check, in the order a person would fix them."""
    checks = [check_python()]
    checks += check_packages()
    checks += check_optional_packages()
    checks += check_model(model)
    checks.append(check_gpu())
    checks.append(check_libreoffice())
    checks.append(check_cjk_font())
    checks += check_folders(out)
    return checks


def doctor(model: str | None = None, out: Path = Path("output"), as_json: bool = False, stream=None) -> int:
    """Print every check (one line each, a fix line under each problem) and a summary; 0 when all required pass."""
    stream = stream or sys.stdout
    checks = run_checks(model, out)
    failed = [c for c in checks if not c.ok and c.required]
    warned = [c for c in checks if not c.ok and not c.required]
    if as_json:
        rows = [dict(asdict(c), status=c.status) for c in checks]
        json.dump({"ok": not failed, "failed": len(failed), "warnings": len(warned), "checks": rows},
                  stream, ensure_ascii=False, indent=1)
        stream.write("\n")
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            stream.write(f"{c.status:<4}  {c.name:<{width}}  {c.what}\n")
            if not c.ok and c.fix:
                stream.write(f"{'':<4}  {'':<{width}}  fix: {c.fix}\n")
        verdict = "ready" if not failed else "not ready"
        stream.write(f"briefing doctor: {verdict}: {len(checks) - len(failed) - len(warned)} ok, "
                     f"{len(failed)} failed, {len(warned)} warning(s)\n")
    return 1 if failed else 0


# ---------------------------------------------------------------- Python and packages


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    shown = ".".join(map(str, version))
    if version[:2] >= MIN_PYTHON:
        return Check("python", True, f"{shown} ({sys.executable})")
    need = ".".join(map(str, MIN_PYTHON))
    return Check("python", False, f"{shown} is too old; briefing needs {need} or newer",
                 f"create the venv with python{need} (make PYTHON=python{need} install)")


def check_packages(packages: dict[str, tuple[str, ...]] = PACKAGES, lock: dict[str, str] | None = None) -> list[Check]:
    """One check per distribution: its modules import, and its version (a warning where it differs from the lock)."""
    lock = read_lock() if lock is None else lock
    return [check_package(name, modules, lock) for name, modules in packages.items()]


def check_package(name: str, modules: tuple[str, ...], lock: dict[str, str]) -> Check:
    install = f"make install (or: pip install -c {LOCK_NAME} -e .)"
    if name == "torch":
        install = "pip install torch==2.13.0 (the CPU build; see README), then -e ."
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as err:  # ImportError, or a broken build failing as it loads
            return Check(name, False, f"cannot import {module}: {type(err).__name__}: {_first_line(err)}", install)
    version = installed_version(name)
    pinned = lock.get(canonical(name))
    if pinned and version and _release(version) != _release(pinned):
        return Check(name, False, f"{version}, but {LOCK_NAME} pins {pinned} (CI tested that one)",
                     f"pip install -c {LOCK_NAME} -e . (or `make lock` to take the new versions)", required=False)
    return Check(name, True, version or "imports (version unknown)")


def check_optional_packages() -> list[Check]:
    """Found without importing them (ray takes seconds to import)."""
    from importlib.util import find_spec

    checks = []
    for name, (purpose, install) in OPTIONAL_PACKAGES.items():
        if find_spec(name) is None:
            checks.append(Check(name, False, f"not installed; only needed for {purpose}", install, required=False))
        else:
            checks.append(Check(name, True, installed_version(name) or "installed"))
    return checks


def installed_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def canonical(name: str) -> str:
    """PEP 503: lxml_html_clean, lxml-html-clean and LXML.html.clean are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _release(version: str) -> str:
    return version.split("+")[0]  # 2.13.0+cpu is the 2.13.0 that is pinned


def lock_path() -> Path:
    """The lock beside pyproject.toml: present in a checkout (editable install), absent in an installed wheel."""
    return Path(__file__).resolve().parent.parent / LOCK_NAME


def read_lock(path: Path | None = None) -> dict[str, str]:
    """``name==version`` lines of the lock, by canonical name; {} when there is none."""
    try:
        text = (path or lock_path()).read_text(encoding="utf-8")
    except OSError:
        return {}
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


# ---------------------------------------------------------------- the model


def check_model(model: str | None = None) -> list[Check]:
    """The model is found (a directory, or the Hugging Face cache, never the network), complete, and its tokenizer loads."""
    from pipeline.errors import ModelLoadError
    from pipeline.translate.loading import DEFAULT_MODEL, MODEL_ENV, locate_model, resolve_model

    ref = resolve_model(model)
    fix = (f"pass --model DIR (or set {MODEL_ENV}) to a MarianMT model directory, or download {DEFAULT_MODEL} "
           f"once where there is network (`hf download {DEFAULT_MODEL}`, which fills $HF_HOME)")
    try:
        where = locate_model(_model_directory(ref))
    except ModelLoadError as err:
        return [Check("model", False, _first_line(err).split("; ")[0], fix)]
    found = Check("model", True, f"{ref} at {where.path} (revision {where.revision})")
    return [found, check_tokenizer(where.path, fix)]


def _model_directory(ref: str) -> str:
    """A directory for ``ref``: itself, or its Hugging Face cache snapshot.  Raises ModelLoadError."""
    from pipeline.errors import ModelLoadError

    if Path(ref).expanduser().exists() or ref.startswith((".", "/", "~")) or ref.count("/") != 1:
        return ref  # locate_model says what is wrong with a path, without looking at the hub
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(ref, local_files_only=True)  # the cache only: never the network
    except Exception:
        home = os.environ.get("HF_HOME", "~/.cache/huggingface")
        raise ModelLoadError(f"'{ref}' is neither a directory nor in the Hugging Face cache ({home})") from None


def check_tokenizer(path: str, fix: str) -> Check:
    try:
        from transformers import MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        tokenizer = MarianTokenizer.from_pretrained(path)
        pieces = tokenizer.tokenize("台積電")
    except Exception as err:
        return Check("tokenizer", False, f"does not load from {path}: {type(err).__name__}: {_first_line(err)}", fix)
    return Check("tokenizer", True, f"loads ({tokenizer.vocab_size} pieces; 台積電 -> {' '.join(pieces)})")


def check_gpu() -> Check:
    try:
        import torch

        if torch.cuda.is_available():
            return Check("gpu", True, f"CUDA: {torch.cuda.get_device_name(0)}", required=False)
    except Exception:  # torch missing is its own failure above
        pass
    return Check("gpu", False, "none: runs on the CPU (int8), which is fine",
                 "for speed on large batches, a CUDA GPU and torch's CUDA build", required=False)


# ---------------------------------------------------------------- looking at briefings


def check_libreoffice() -> Check:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return Check("libreoffice", True, found, required=False)
    return Check("libreoffice", False, "soffice not found: only needed to look at briefings as PDF pages",
                 "apt-get install libreoffice-writer poppler-utils", required=False)


def check_cjk_font() -> Check:
    fix = "apt-get install fonts-noto-cjk (Word on Windows and macOS has its own)"
    if shutil.which("fc-list") is None:
        return Check("cjk font", False, "fc-list not found, so the fonts cannot be listed", fix, required=False)
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError) as err:
        return Check("cjk font", False, f"fc-list failed: {_first_line(err)}", fix, required=False)
    families = sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})
    if not families:
        return Check("cjk font", False, "no font for Chinese: LibreOffice would show boxes", fix, required=False)
    return Check("cjk font", True, f"{families[0]} (+{len(families) - 1} more)", required=False)


# ---------------------------------------------------------------- folders


def check_folders(out: Path) -> list[Check]:
    """Where a run writes: the output folder (briefings, report, translation memory) and the user cache
    (prepared models, file hashes; an unwritable one only costs speed)."""
    from pipeline.translate.loading import user_cache_dir

    return [check_writable("output", Path(out).absolute(), "briefings, run report, translation memory", True),
            check_writable("cache", user_cache_dir(), "prepared models, file hashes", False)]


def check_writable(name: str, folder: Path, holds: str, required: bool) -> Check:
    """Writable now, or creatable: the nearest existing folder above it takes a file."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    fix = f"make {folder} writable, or point it elsewhere" + (" (--out DIR)" if name == "output" else
                                                                " ($XDG_CACHE_HOME)")
    if not existing.is_dir():
        return Check(name, False, f"{folder}: {existing} is not a folder", fix, required)
    try:
        with tempfile.TemporaryFile(dir=existing):  # unnamed where the OS allows: nothing to leave behind
            pass
    except OSError as err:
        return Check(name, False, f"{folder} is not writable ({err.strerror or err})", fix, required)
    state = "writable" if existing == folder else f"will be created (in {existing})"
    return Check(name, True, f"{folder} {state}: {holds}", required=required)


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
