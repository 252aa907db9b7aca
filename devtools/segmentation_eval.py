"""How often glossary matches fall on gold word boundaries: the product's matcher vs plain substrings.

    python -m devtools.segmentation_eval GOLD [GOLD ...] [--terms 1000] [--seed 0] [--json]

GOLD is a word-segmented corpus: one sentence per line with words separated
by spaces (SIGHAN bakeoff ``*_gold.utf8``, ideographic spaces accepted), or a
Universal Dependencies ``.conllu`` file (its word forms).

Protocol.  The raw sentences are the gold words joined without spaces.  A term
list plays the glossary: a seeded sample of ``--terms`` gold word *types* of
two or more Han characters.  Two lists are drawn:

- ``uniform``: any such type, each equally likely;
- ``ambiguous``: only types that also occur somewhere *not* as a whole gold
  word (inside a longer word, or across a boundary), where the judgement
  matters.

Each list becomes a ``Glossary`` and is matched against every raw sentence by
the product's matcher (``Glossary.match``: script folding, longest match,
the word test of ``pipeline.glossary.words``).  ``substring`` is the same
matcher with the word test off (every entry ``match: always``).  For the
product, only sure matches count as matches (an unsure one is reported, not
enforced).

- precision: matches that start and end on gold word boundaries / matches;
- recall: gold whole-word occurrences of a listed term (the gold word equals
  the term) that a match covers exactly / all such occurrences.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,}$")
# Numerals are the figure parser's, never glossary entries: 八十 in 八十六年 is no term question.
_NUMERAL = re.compile(r"^第?[〇零一二三四五六七八九十百千萬万億亿兆兩两廿卅壹貳參肆伍陸柒捌玖拾佰仟數数幾几]+$")


@dataclass
class Score:
    method: str
    terms: str
    matches: int = 0
    on_boundaries: int = 0
    gold_occurrences: int = 0
    found: int = 0
    unsure: int = 0

    @property
    def precision(self) -> float:
        return self.on_boundaries / self.matches if self.matches else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold_occurrences if self.gold_occurrences else 0.0


def read_gold(path: Path) -> list[list[str]]:
    """Sentences as lists of gold words."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".conllu":
        return _conllu_sentences(text)
    return [line.split() for line in text.splitlines() if line.split()]


def _conllu_sentences(text: str) -> list[list[str]]:
    sentences, words = [], []
    for line in text.splitlines():
        if not line.strip():
            if words:
                sentences.append(words)
            words = []
            continue
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 2 or not cols[0].isdigit():
            continue  # comments, multiword ranges (1-2), empty nodes (1.1)
        words.append(cols[1])
    if words:
        sentences.append(words)
    return sentences


def term_lists(sentences: list[list[str]], size: int, seed: int) -> dict[str, list[str]]:
    from collections import Counter

    words = Counter(w for s in sentences for w in s if _HAN_WORD.match(w) and not _NUMERAL.match(w))
    raw = "\n".join("".join(s) for s in sentences)
    types = sorted(words)
    ambiguous = [t for t in types if raw.count(t) > words[t]]
    rng = random.Random(seed)
    return {"uniform": rng.sample(types, min(size, len(types))),
            "ambiguous": rng.sample(ambiguous, min(size, len(ambiguous)))}


def score(sentences: list[list[str]], terms: list[str], list_name: str) -> list[Score]:
    from pipeline.glossary import Glossary, GlossaryEntry
    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    listed = {fold(t) for t in terms}
    methods = {
        "substring": Glossary([GlossaryEntry(t, t, match="always") for t in terms]),
        "word-boundary": Glossary([GlossaryEntry(t, t) for t in terms]),
    }
    scores = {name: Score(name, list_name) for name in methods}
    for words in sentences:
        raw = "".join(words)
        boundaries, gold, pos = {0}, set(), 0
        for w in words:
            if fold(w) in listed:
                gold.add((pos, pos + len(w)))
            pos += len(w)
            boundaries.add(pos)
        for name, glossary in methods.items():
            s = scores[name]
            s.gold_occurrences += len(gold)
            for m in glossary.match(raw):
                if not m.sure:
                    s.unsure += 1
                    continue
                s.matches += 1
                s.on_boundaries += m.start in boundaries and m.end in boundaries
                s.found += (m.start, m.end) in gold
    return list(scores.values())


def evaluate(paths: list[Path], size: int = 1000, seed: int = 0) -> list[dict]:
    results = []
    for path in paths:
        sentences = read_gold(path)
        for list_name, terms in term_lists(sentences, size, seed).items():
            for s in score(sentences, terms, list_name):
                results.append({"corpus": path.name, "sentences": len(sentences), "term_types": len(terms),
                                **asdict(s), "precision": round(s.precision, 4), "recall": round(s.recall, 4)})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.segmentation_eval", description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="+", type=Path, help="word-segmented corpus (space-separated words, or .conllu)")
    parser.add_argument("--terms", type=int, default=1000, help="term types per list (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for path in args.gold:
        if not path.is_file():
            print(f"segmentation_eval: {path}: no such file", file=sys.stderr)
            return 2
    started = time.perf_counter()
    results = evaluate(args.gold, args.terms, args.seed)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print(f"{'corpus':26} {'terms':10} {'method':14} {'matches':>8} {'precision':>9} {'recall':>7} {'unsure':>7}")
    for r in results:
        print(f"{r['corpus'][:26]:26} {r['terms']:10} {r['method']:14} {r['matches']:8d} "
              f"{r['precision']:9.1%} {r['recall']:7.1%} {r['unsure']:7d}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
