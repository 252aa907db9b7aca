"""List where an OpenCC tw2sp phrase entry matches across a jieba word boundary in real text.

How the cases of tests/translate/test_normalise.py were found (see SOURCE.md).  The
phrase tables come from the installed official ``opencc`` wheel: its ``opencc_dict``
tool exports each ``.ocd2`` dictionary as text.  For every sentence of the seeds, FLORES-200
devtest (Traditional) and the HKMA reports, and every occurrence of a phrase key, it
prints the occurrences that cross a word boundary of jieba's segmentation (rjieba, HMM
off, on the script-folded text) without covering whole words, whether plain OpenCC's
output changes when the sentence is split at the boundary the key crosses, and what this branch's Normaliser writes.

    python tests/data/normalise/find_crossings.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

TABLES = ("TWPhrasesRev", "TWVariantsRevPhrases", "TSPhrases")  # the phrase tables tw2sp uses


def phrase_keys() -> dict[str, str]:
    import opencc.clib

    clib = Path(opencc.clib.__file__).parent
    keys: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for table in TABLES:
            out = Path(tmp) / f"{table}.txt"
            subprocess.run([clib / "bin" / "opencc_dict", "-i", clib / "share" / "opencc" / f"{table}.ocd2",
                            "-o", out, "-f", "ocd2", "-t", "text"], check=True,
                           env={"LD_LIBRARY_PATH": str(clib / "lib64")})
            for line in out.read_text(encoding="utf-8").splitlines():
                key, values = line.split("\t")
                if len(key) > 1:
                    keys.setdefault(key, f"{table}: {key}→{values}")
    return keys


def sources(shared: Path):
    files = sorted((ROOT / "seeds").glob("*.txt"))
    files += [shared / "eval/flores200_devtest/devtest.zho_Hant", *sorted((shared / "eval/hkma").glob("*.zh"))]
    for path in files:
        if path.exists():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield f"{path.parent.name}/{path.name}:{number}", line


def main() -> None:
    import opencc

    from pipeline.glossary.words import Segmentation
    from pipeline.ingest.segment import split_sentences
    from pipeline.translate.normalise import Normaliser, ScriptFolder, unify_ideographs

    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    keys, fold, convert, normalise = phrase_keys(), ScriptFolder(), opencc.OpenCC("tw2sp").convert, Normaliser()
    longest = max(map(len, keys))
    for where, line in sources(args.shared):
        for sentence in (unify_ideographs(s.strip()) for s in split_sentences(line) if s.strip()):
            words = Segmentation(fold(sentence))
            cut = [i == 0 or i == len(sentence) or words.word_across(i) is None for i in range(len(sentence) + 1)]
            whole = convert(sentence)
            for start in range(len(sentence)):
                for end in range(start + 2, min(len(sentence), start + longest) + 1):
                    key = sentence[start:end]
                    crossed = [i for i in range(start + 1, end) if cut[i]]
                    if key in keys and crossed and not (cut[start] and cut[end]):
                        # does OpenCC's output change when the sentence is split at a boundary it crosses?
                        split = any(convert(sentence[:i]) + convert(sentence[i:]) != whole for i in crossed)
                        differs = "rewritten" if split else "harmless"
                        print(where, keys[key], differs, sentence[max(0, start - 6):end + 6],
                              convert(sentence), normalise(sentence), sep="\t")


if __name__ == "__main__":
    main()
