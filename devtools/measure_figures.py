"""How often a figure the finder enforces is what a human translator wrote (not a test: it prints figures).

    .venv/bin/python devtools/measure_figures.py [../shared/eval]

Reads FLORES-200 devtest (zho_Hant / eng_Latn, line-aligned) and the HKMA annual reports 2016 and 2018
(paragraph-aligned, Hong Kong: bare 元 read as HK$), finds the figures of each Chinese line, and counts
how many enforced figures appear in the reference in one of their accepted forms (presence.is_present).
A miss is not always our error (the reference may spell "four million" or round), so the misses are printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency
from pipeline.translate.presence import is_present


def measure(name: str, pairs, finder: NumberFinder, show: int = 12) -> None:
    enforced = present = unsure = 0
    misses = []
    for zh, en in pairs:
        for c in finder.constraints(zh):
            if not c.enforced:
                unsure += 1
                continue
            enforced += 1
            if is_present(c.target, en, c.variants):
                present += 1
            else:
                misses.append((c.source, c.target))
    share = present / enforced if enforced else 0.0
    print(f"{name}: {enforced} figures enforced, {present} in the reference ({share:.1%}), {unsure} unsure (not enforced)")
    for source, target in misses[:show]:
        print(f"    not in reference: {source} -> {target}")


def main(eval_dir: Path) -> None:
    flores = eval_dir / "flores200_devtest"
    zh = (flores / "devtest.zho_Hant").read_text(encoding="utf-8").splitlines()
    en = (flores / "devtest.eng_Latn").read_text(encoding="utf-8").splitlines()
    measure("FLORES-200 devtest zho_Hant", zip(zh, en), NumberFinder())
    hk = NumberFinder(with_default_currency(DEFAULT_TABLES, "HK$"))
    pairs = []
    for year in ("2016", "2018"):
        zh = (eval_dir / "hkma" / f"{year}.zhen.zh").read_text(encoding="utf-8").splitlines()
        en = (eval_dir / "hkma" / f"{year}.zhen.en").read_text(encoding="utf-8").splitlines()
        pairs += zip(zh, en)
    measure("HKMA annual reports 2016+2018", pairs, hk)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "eval")
