"""Which sentences the Normaliser writes differently from plain OpenCC, per corpus.

    python tests/data/normalise/changes.py [config] [--shared ../shared]

Corpora: seeds/*.txt, FLORES-200 devtest (Traditional) and the HKMA reports from
../shared/eval (skipped when absent), split with the pipeline's sentence splitter.
"""

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))


def corpora(shared: Path) -> dict[str, list[Path]]:
    return {"seeds": sorted((ROOT / "seeds").glob("*.txt")),
            "flores devtest": [shared / "eval/flores200_devtest/devtest.zho_Hant"],
            "hkma": sorted((shared / "eval/hkma").glob("*.zh"))}


def differences(before: str, after: str) -> str:
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return " | ".join(f"{before[max(0, i1 - 4):i2 + 4]} -> {after[max(0, j1 - 4):j2 + 4]}"
                      for op, i1, i2, j1, j2 in ops if op != "equal")


def main() -> None:
    import opencc

    from pipeline.ingest.segment import split_sentences
    from pipeline.translate.normalise import Normaliser, unify_ideographs

    parser = argparse.ArgumentParser()
    parser.add_argument("config", nargs="?", default="tw2sp")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    plain, normalise = opencc.OpenCC(args.config), Normaliser(args.config)
    for name, paths in corpora(args.shared).items():
        paths = [p for p in paths if p.exists()]
        if not paths:
            print(f"== {name}: not found")
            continue
        total, changed = 0, []
        for path in paths:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for sentence in (s.strip() for s in split_sentences(line) if s.strip()):
                    total += 1
                    before, after = plain.convert(unify_ideographs(sentence)), normalise(sentence)
                    if before != after:
                        changed.append(f"  {path.name}:{number}\t{differences(before, after)}")
        print(f"== {name}: {len(changed)} of {total} sentences change", *changed, sep="\n")


if __name__ == "__main__":
    main()
