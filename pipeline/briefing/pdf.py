"""PDF beside each DOCX (``briefing run --pdf``): LibreOffice headless, one process
for the whole batch, with a time limit.

LibreOffice runs with a profile of its own in a temporary folder, so that it
neither waits on nor disturbs a LibreOffice the user has open, and converts
into a temporary folder inside the output folder; each PDF is then moved into
place atomically, beside its DOCX.  A PDF is written like a briefing
(``Manifest.write_briefing``): one a person changed is kept, never overwritten.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BriefingError

SOFFICE = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    for name in SOFFICE:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    """The LibreOffice program, or the one-line error ``--pdf`` gives before a run starts."""
    found = find_soffice()
    if found is None:
        raise BriefingError("--pdf needs LibreOffice (soffice), which is not installed here: "
                            "install it (apt-get install libreoffice-writer fonts-noto-cjk) or run without --pdf")
    return found


@dataclass
class PdfResult:
    written: dict[Path, Path] = field(default_factory=dict)  # docx -> pdf
    failed: dict[Path, str] = field(default_factory=dict)  # docx -> why


def convert_batch(documents: Sequence[Path], out_dir: Path, manifest, *, timeout: float | None = None,
                  soffice: str | None = None) -> PdfResult:
    """Convert ``documents`` (in ``out_dir``) to PDFs beside them in one LibreOffice process."""
    result = PdfResult()
    if not documents:
        return result
    soffice = soffice or require_soffice()
    timeout = timeout if timeout is not None else 60 + 15 * len(documents)  # start-up, then per document
    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=out_dir) as work:
        work = Path(work)
        problem = _run(soffice, documents, work, timeout)
        for docx in documents:
            made = work / "pdf" / f"{docx.stem}.pdf"
            if made.exists() and made.stat().st_size > 0:
                result.written[docx] = manifest.write_briefing(docx.with_suffix(".pdf"), made.read_bytes())
            else:
                result.failed[docx] = f"{docx.name}: no PDF ({problem or 'LibreOffice did not convert it'})"
    return result


def _run(soffice: str, documents: Sequence[Path], work: Path, timeout: float) -> str | None:
    """Run LibreOffice; None when it exited cleanly, else why not (one line)."""
    command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work / "pdf"), *map(str, documents)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # LibreOffice starts helpers of its own: end them all
        proc.communicate()
        return f"LibreOffice took over {timeout:g} s and was stopped"
    if proc.returncode != 0:
        return f"LibreOffice exited with status {proc.returncode}: {' '.join(err.decode(errors='replace').split())[:200]}"
    return None
