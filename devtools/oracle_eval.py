"""How the constraints treat a model that knows the answer.

Random weights never want to write a term, so the constraints' effect on a
competent model cannot be seen on them.  Here the search runs with the
reference-following logits processor (``pipeline.translate.search.reference``):
over any Marian model, random weights included, it writes the reference.  The
terms are applied the product's way (each line's terms become glossary
entries, matched and inlined by ``SentencePreparer``, enforced by the
constrained search), and the output is compared with the reference:

* chrF against the reference;
* exact: the output equals the reference as the target SentencePiece spells
  it (``decode(encode(ref))``);
* term accuracy: terms whose English (any accepted form) is present, among
  the terms whose Chinese the source holds (a line's term list sometimes
  names a term its source line lacks; those are counted apart);
* duplicated terms: terms written more often than the reference has them;
* long references: lines whose reference is longer than the output limit the
  product allows for their source (some dev lines pair a short source with a
  reference of several sentences), and exact reproduction on the others.

With constraints and without them (the same model, no glossary).  A good
tracker leaves the oracle's output alone when the reference holds its terms.

That measurement cannot fail: the reference already holds every term, so the
constraints have nothing to force.  ``--paraphrase`` gives the model a wording
of its own: in the reference it prefers, every term the line enforces is
replaced by ``paraphrase(term)`` (its upper-case initials); the original
reference stays its fallback, a wording it knows but does not choose (see
``search.reference``).  Unconstrained, it writes the paraphrase and the terms
are missing; constrained, the search must force each term, after which the
model returns to the original reference.  Every figure is still computed
against the original reference (exact: the output is the original reference
as SentencePiece spells it).  Terms the line does not enforce (not in its
source, or not matched on a word boundary) keep their wording.

    python -m devtools.oracle_eval --model DIR --src F --ref F --terms F \
        [--convert s2twp] [--complete-only] [--paraphrase] [--limit N] [--output FILE] [--json]

``--terms``: WMT-style JSON lists per line ([{"zh": ..., "en": ...}]; a bad line
is reported and counts as having no terms).  ``--convert`` runs the source
through OpenCC first (s2twp: Simplified to Taiwan Traditional, as the product
reads).  ``--complete-only``: only lines whose reference holds all their terms.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class OracleFigures:
    lines: int
    chrf: float
    exact: float  # share of lines reproduced exactly
    terms: int  # terms whose Chinese the source holds
    term_accuracy: float
    duplicated_terms: float  # share of terms written more often than the reference has them
    terms_not_in_source: int
    long_references: int  # lines whose reference does not fit the output limit
    exact_fitting: float  # share of the other lines reproduced exactly


def _line_glossary(terms):
    from pipeline.glossary import Glossary, GlossaryEntry

    return Glossary([GlossaryEntry(t.zh, t.en[0], variants=t.en[1:]) for t in terms])


def _figures(outputs: list[str], refs: list[str], spelled: list[str], terms: list[list],
             in_source: list[list[bool]], fits: list[bool]) -> OracleFigures:
    import sacrebleu

    from pipeline.translate.presence import count_present

    given = present = duplicated = absent = 0
    for out, ref, line_terms, held in zip(outputs, refs, terms, in_source):
        for t, in_src in zip(line_terms, held):
            if not in_src:
                absent += 1
                continue
            given += 1
            written = count_present(t.en[0], out, t.en[1:])
            present += written > 0
            duplicated += written > count_present(t.en[0], ref, t.en[1:])
    exact = [o == s for o, s in zip(outputs, spelled)]
    fitting = [e for e, f in zip(exact, fits) if f]
    return OracleFigures(
        lines=len(outputs),
        chrf=round(sacrebleu.corpus_chrf(outputs, [refs]).score, 2) if outputs else 0.0,
        exact=round(sum(exact) / max(len(outputs), 1), 4),
        terms=given,
        term_accuracy=round(present / given, 4) if given else 1.0,
        duplicated_terms=round(duplicated / given, 4) if given else 0.0,
        terms_not_in_source=absent,
        long_references=len(fits) - len(fitting),
        exact_fitting=round(sum(fitting) / len(fitting), 4) if fitting else 1.0,
    )


def paraphrase(english: str, avoid: list | tuple = ()) -> str:
    """Another wording of a term: the upper-case initials of its words
    (``Shi Feng`` -> ``SF``, ``Mt. Yellow’s True Monarch`` -> ``MYTM``), or of
    a one-word term its first two letters in upper case (``Blackie`` -> ``BL``,
    ``and`` -> ``AN``).  Different letters, hence different tokens; ``X`` is
    put in front while the presence test would accept it as the term or as
    any term in ``avoid`` (``AI`` -> ``XAI``, ``12`` -> ``X12``: a letter
    after a figure would not part it from the figure), so it never counts as one."""
    from pipeline.translate.presence import is_present

    words = [chars for chars in (re.findall(r"[^\W_]", w) for w in re.split(r"[\s\-]+", english)) if chars]
    letters = words[0][:2] if len(words) == 1 else [chars[0] for chars in words]
    wording = "".join(letters).upper() or "X"
    while any(is_present(t.en[0], wording, t.en[1:]) for t in avoid) or is_present(english, wording):
        wording = "X" + wording
    return wording


def paraphrase_reference(reference: str, terms: list, avoid: list | tuple = ()) -> str:
    """``reference`` with every occurrence of each term's English (any form the
    presence test accepts) replaced by its ``paraphrase``; longer terms first, so
    ``Duan Ling Tian`` is one paraphrase, not ``Duan LT``."""
    from pipeline.translate.presence import find_spans

    text = reference
    for t in sorted(terms, key=lambda t: len(t.en[0]), reverse=True):
        wording = paraphrase(t.en[0], [*avoid, *terms])
        for start, end in reversed(find_spans(t.en[0], text, t.en[1:])):
            text = text[:start] + wording + text[end:]
    return text


def evaluate(translator, sources: list[str], refs: list[str], terms: list[list], paraphrased: bool = False) -> dict:
    """Figures with and without constraints, and the outputs.  ``paraphrased``:
    the model prefers the reference with each enforced term paraphrased and
    falls back on the original (the module's ``--paraphrase``)."""
    from pipeline.glossary import Glossary
    from pipeline.translate.normalise import Normaliser
    from pipeline.translate.prepare import SentencePreparer

    normaliser = Normaliser()
    preparer = SentencePreparer(normaliser)
    constrained = []
    for src, line_terms in zip(sources, terms):
        preparer.glossary = _line_glossary(line_terms)
        constrained.append(preparer.prepare(src).request)
    plain = SentencePreparer(normaliser, Glossary())
    free = [plain.prepare(src).request for src in sources]
    spelled = [translator.decode(translator._reference_ids(r)) for r in refs]
    in_source = [[normaliser(t.zh) in normaliser(src) for t in line_terms] for src, line_terms in zip(sources, terms)]
    fits = [_fits(translator, request.text, ref) for request, ref in zip(free, refs)]
    followed: list = list(refs)
    if paraphrased:
        enforced = [_enforced(*line) for line in zip(terms, in_source, constrained)]
        preferred = [paraphrase_reference(*line) for line in zip(refs, enforced, terms)]
        followed = list(zip(preferred, refs))
    with_c = translator.translate(constrained, references=followed)
    without = translator.translate(free, references=followed)
    result = {
        "constrained": _figures(with_c, refs, spelled, terms, in_source, fits),
        "unconstrained": _figures(without, refs, spelled, terms, in_source, fits),
        "outputs": with_c,
        "unconstrained_outputs": without,
    }
    if paraphrased:
        result["preferred"] = preferred
        result["paraphrased_terms"] = sum(map(len, enforced))
    return result


def _enforced(line_terms: list, in_source: list[bool], request) -> list:
    """The line's terms whose Chinese its source holds and whose English the request enforces."""
    required = {forms[0] for forms in request.constraints}
    return [t for t, held in zip(line_terms, in_source) if held and t.en[0] in required]


def _fits(translator, source: str, reference: str) -> bool:
    """Whether the reference fits the output limit the product allows for this source."""
    limit = translator.settings.max_new_tokens(len(translator.source_ids(source)), translator._model_limit - 1)
    return len(translator._reference_ids(reference)) <= limit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.oracle_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="Marian model folder (random weights are fine)")
    parser.add_argument("--src", required=True, type=Path)
    parser.add_argument("--ref", required=True, type=Path)
    parser.add_argument("--terms", required=True, type=Path)
    parser.add_argument("--convert", default="", help="OpenCC config applied to the source first (e.g. s2twp)")
    parser.add_argument("--complete-only", action="store_true", help="only lines whose reference holds all their terms")
    parser.add_argument("--paraphrase", action="store_true",
                        help="the model prefers the reference with each enforced term paraphrased (its initials)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many lines (after selection)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--output", type=Path, help="write the constrained translations, one per source line")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from pipeline.errors import BriefingError
    from pipeline.evaluate import load_terms, read_lines
    from pipeline.translate.presence import is_present

    try:
        sources, refs = read_lines(args.src), read_lines(args.ref)
        term_file = load_terms(args.terms)
    except BriefingError as err:
        print(f"oracle_eval: {err}", file=sys.stderr)
        return 2
    for problem in term_file.problems:
        print(f"oracle_eval: {problem}", file=sys.stderr)
    terms = term_file.per_line or [[] for _ in sources]
    if not (len(sources) == len(refs) == len(terms)):
        print(f"oracle_eval: {args.src}, {args.ref} and {args.terms} differ in length "
              f"({len(sources)}, {len(refs)}, {len(terms)} lines)", file=sys.stderr)
        return 2
    if args.convert:
        import opencc

        converter = opencc.OpenCC(args.convert)
        sources = [converter.convert(s) for s in sources]
    rows = list(zip(sources, refs, terms))
    if args.complete_only:
        rows = [r for r in rows if r[2] and all(is_present(t.en[0], r[1], t.en[1:]) for t in r[2])]
    if args.limit:
        rows = rows[: args.limit]

    from pipeline.translate.loading import load_marian
    from pipeline.translate.marian import MarianTranslator
    from pipeline.translate.settings import DecodingSettings

    translator = MarianTranslator(load_marian(args.model), DecodingSettings(beam_size=args.beam))
    result = evaluate(translator, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], args.paraphrase)
    if args.output:
        from pipeline.fsutil import atomic_write_text

        atomic_write_text(args.output, "".join(o + "\n" for o in result["outputs"]))
    figures = {k: asdict(result[k]) for k in ("constrained", "unconstrained")}
    if args.paraphrase:
        figures["paraphrased_terms"] = result["paraphrased_terms"]
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        if args.paraphrase:
            print(f"paraphrase: {result['paraphrased_terms']} enforced terms paraphrased in the preferred references; "
                  f"figures against the original references")
        for name in ("constrained", "unconstrained"):
            f = figures[name]
            print(f"{name:>13}: {f['lines']} lines  chrF {f['chrf']:.2f}  exact {100 * f['exact']:.1f}% "
                  f"({100 * f['exact_fitting']:.1f}% of the {f['lines'] - f['long_references']} whose reference "
                  f"fits the output limit)  terms {f['terms']}: accuracy {100 * f['term_accuracy']:.1f}%  "
                  f"duplicated {100 * f['duplicated_terms']:.1f}%  ({f['terms_not_in_source']} listed terms "
                  f"not in their source)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
