"""How often a figure the product enforces is what a human translator wrote: a one-line summary per set.

    .venv/bin/python -m devtools.measure_figures [../shared/eval]

The counting is devtools.figure_audit's (the product's sentence split and
preparation, the reference read as values); this prints its totals for
FLORES-200 devtest (zho_Hant / eng_Latn, Taiwan: bare 元 is NT$) and the HKMA
annual reports 2016 and 2018 (Hong Kong: bare 元 is HK$).  "as written" is
the older measure (one of the figure's accepted English forms is in the
reference, presence.is_present); "stated" compares values, so "eighty percent"
states 80%.  For every figure behind the counts:

    .venv/bin/python -m devtools.figure_audit --src F.zh --ref F.en [--default-currency HK$]
"""

from __future__ import annotations

import sys
from pathlib import Path

from devtools.figure_audit import Totals, audit, product_preparer


def summary(name: str, t: Totals) -> str:
    share = lambda part: f"{part / t.enforced:.1%}" if t.enforced else "n/a"  # noqa: E731
    return (f"{name}: {t.enforced} figures enforced, {t.present_as_written} in the reference as written "
            f"({share(t.present_as_written)}), {t.enforced_stated} stated by value ({share(t.enforced_stated)}), "
            f"{t.unsure} unsure (not enforced), {t.unsure_with_reference_figure} of them stated by the reference")


def measure(name: str, pairs: list[tuple[Path, Path]], default_currency: str) -> str:
    from pipeline.evaluate import read_lines

    sources, references = [], []
    for src, ref in pairs:
        sources += read_lines(src)
        references += read_lines(ref)
    _, totals = audit(sources, references, product_preparer(default_currency))
    return summary(name, totals)


def main(eval_dir: Path) -> None:
    flores = eval_dir / "flores200_devtest"
    print(measure("FLORES-200 devtest zho_Hant", [(flores / "devtest.zho_Hant", flores / "devtest.eng_Latn")], "NT$"))
    hkma = [(eval_dir / "hkma" / f"{y}.zhen.zh", eval_dir / "hkma" / f"{y}.zhen.en") for y in ("2016", "2018")]
    print(measure("HKMA annual reports 2016+2018", hkma, "HK$"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "eval")
