"""The README's page images: the first page of a seed's briefing, and its digest, as LibreOffice renders them.

Builds a tiny random-weight model (the real weights are not on the build
machine, so the English is nonsense; its glossary terms and figures are the
enforced ones), runs ``briefing run --pdf`` on one seed, and rasterises page 1
of the briefing and of the digest with poppler into ``devtools/readme/``.

    python -m devtools.readme_page [--seed seeds/000_58b913a21f0d624b.txt] [--dpi 60]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "devtools" / "readme"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=Path, default=ROOT / "seeds" / "000_58b913a21f0d624b.txt")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--model", type=Path, help="a model directory (default: build a tiny random one)")
    args = parser.parse_args()
    missing = [t for t in ("soffice", "pdftoppm") if shutil.which(t) is None]
    if missing:
        raise SystemExit(f"needs LibreOffice and poppler ({', '.join(missing)} not found)")
    work = Path(tempfile.mkdtemp(prefix="readme-page-"))
    model = args.model
    if model is None:
        from devtools.random_marian import build_model

        model = build_model(work / "model", tokenizer="trained")
    out = work / "out"
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(args.seed), "--model", str(model), "--out", str(out),
                    "--no-memory", "--pdf", "--author", "Analyst desk"], cwd=ROOT, check=True)
    IMAGES.mkdir(parents=True, exist_ok=True)
    for pdf, name in ((out / f"{args.seed.stem}.pdf", "briefing-page-1"), (out / "digest.pdf", "digest-page-1")):
        subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(work / name)], check=True)
        shutil.copyfile(work / f"{name}.png", IMAGES / f"{name}.png")
        print(f"wrote devtools/readme/{name}.png ({(IMAGES / f'{name}.png').stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
