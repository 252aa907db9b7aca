"""``briefing eval``: translate a line-aligned test set and measure it.

Reports sacreBLEU BLEU and chrF (with sacreBLEU's own signatures), term
exact-match accuracy when terms are given, number accuracy, QA flags per 100
sentences and sentences per second, stamped with the run signature.  With
random weights the scores are meaningless; with real weights this is how
settings (OpenCC config, beam size, constraints on/off) are compared.

Term files: a JSON list of ``{"zh", "en"}`` per line (WMT terminology format;
``en`` may be a list of accepted variants, as in the HKMA set), a glossary CSV,
or a TSV of ``zh<TAB>en|||variant``.  A malformed line is reported with its
file and line number and counts as having no terms; it never stops the run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.glossary import Glossary, GlossaryEntry, load_glossary


@dataclass(frozen=True)
class LineTerm:
    zh: str
    en: tuple[str, ...]  # accepted English variants; the first is enforced


@dataclass
class TermFile:
    per_line: list[list[LineTerm]] | None = None  # one list per test line
    shared: list[LineTerm] = field(default_factory=list)  # a glossary for every line
    problems: list[str] = field(default_factory=list)


def read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BriefingError(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise BriefingError(f"{path}: undecodable bytes at offset {err.start} (test sets must be UTF-8)") from None
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def load_terms(path: Path) -> TermFile:
    if path.suffix.lower() == ".csv":
        glossary = load_glossary([path])
        return TermFile(shared=[LineTerm(s, (e.target,)) for e in glossary.entries for s in e.spellings])
    lines = read_lines(path)
    if path.suffix.lower() == ".tsv":
        shared, problems = [], []
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
                problems.append(f"{path}:{number}: expected 'zh<TAB>en' ")
                continue
            shared.append(LineTerm(parts[0].strip(), tuple(v.strip() for v in parts[1].split("|||") if v.strip())))
        return TermFile(shared=shared, problems=problems)
    per_line, problems = [], []
    for number, line in enumerate(lines, start=1):
        terms: list[LineTerm] = []
        try:
            items = json.loads(line) if line.strip() else []
            if not isinstance(items, list):
                raise ValueError("not a JSON list")
        except ValueError as err:
            problems.append(f"{path}:{number}: invalid JSON ({str(err).splitlines()[0][:80]}); line counted without terms")
            items = []
        for item in items:
            try:
                en = item["en"]
                variants = tuple(en) if isinstance(en, list) else (en,)
                if not isinstance(item["zh"], str) or not item["zh"].strip():
                    raise ValueError("empty zh")
                if not variants or not all(isinstance(v, str) and v.strip() for v in variants):
                    raise ValueError("empty en")
                terms.append(LineTerm(item["zh"].strip(), tuple(v.strip() for v in variants)))
            except (KeyError, TypeError, ValueError) as err:
                problems.append(f"{path}:{number}: term skipped ({type(err).__name__}: {err})")
        per_line.append(terms)
    return TermFile(per_line=per_line, problems=problems)


def _line_glossary(base: Glossary, terms: list[LineTerm]) -> Glossary:
    """The run's glossary plus this line's terms (the line's own terms win)."""
    entries = [GlossaryEntry(t.zh, t.en[0]) for t in terms]
    sources = {t.zh for t in terms}
    entries += [e for e in base.entries if e.source not in sources]
    return Glossary(entries)


@dataclass
class EvalResult:
    lines: int
    sentences: int
    seconds: float
    bleu: float
    bleu_signature: str
    chrf: float
    chrf_signature: str
    terms_given: int
    terms_matched: int
    terms_correct: int
    numbers_required: int
    numbers_correct: int
    flags: dict[str, int]
    problems: list[str]
    signature: str
    hypotheses: list[str] = field(default_factory=list, repr=False)

    @property
    def term_accuracy(self) -> float | None:
        return self.terms_correct / self.terms_matched if self.terms_matched else None

    @property
    def number_accuracy(self) -> float | None:
        return self.numbers_correct / self.numbers_required if self.numbers_required else None

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0

    @property
    def flags_per_100(self) -> float:
        return 100 * sum(self.flags.values()) / self.sentences if self.sentences else 0.0

    def as_dict(self) -> dict:
        return {
            "lines": self.lines, "sentences": self.sentences, "seconds": round(self.seconds, 3),
            "sentences_per_second": round(self.sentences_per_second, 3),
            "bleu": round(self.bleu, 2), "bleu_signature": self.bleu_signature,
            "chrf": round(self.chrf, 2), "chrf_signature": self.chrf_signature,
            "terms": {"given": self.terms_given, "matched": self.terms_matched, "correct": self.terms_correct,
                      "accuracy": None if self.term_accuracy is None else round(self.term_accuracy, 4)},
            "numbers": {"required": self.numbers_required, "correct": self.numbers_correct,
                        "accuracy": None if self.number_accuracy is None else round(self.number_accuracy, 4)},
            "flags": self.flags, "flags_per_100_sentences": round(self.flags_per_100, 2),
            "problems": self.problems, "signature": self.signature,
        }

    def report(self) -> str:
        pct = lambda v: "n/a" if v is None else f"{100 * v:.1f}%"  # noqa: E731
        flag_list = ", ".join(f"{k} {v}" for k, v in sorted(self.flags.items())) or "none"
        return "\n".join([
            f"lines {self.lines}, sentences {self.sentences}, {self.seconds:.1f} s, {self.sentences_per_second:.2f} sentences/s",
            f"BLEU {self.bleu:.2f}  ({self.bleu_signature})",
            f"chrF {self.chrf:.2f}  ({self.chrf_signature})",
            f"terms: {self.terms_correct}/{self.terms_matched} exact ({pct(self.term_accuracy)}); {self.terms_given} given",
            f"numbers: {self.numbers_correct}/{self.numbers_required} ({pct(self.number_accuracy)})",
            f"QA flags: {self.flags_per_100:.1f} per 100 sentences ({flag_list})",
            f"signature: {self.signature}",
        ])


def line_sentences(line: str) -> list[tuple[int, str]]:
    """(offset in the line, sentence) of one test line: a ``#`` heading marker (HKMA)
    is not translated, the rest is split into sentences; blank pieces are dropped."""
    from pipeline.ingest.segment import split_sentences

    marker = line[: len(line) - len(line.lstrip("#"))] if line.startswith("#") else ""
    body = line[len(marker):]
    at = len(marker) + len(body) - len(body.lstrip())
    pieces = []
    for piece in split_sentences(body.strip()):
        if piece.strip():
            pieces.append((at, piece))
        at += len(piece)
    return pieces


def line_context(line: str):
    """A test line is its own article: paragraph-level sets (HKMA) say in the paragraph
    what it is about (the place of a bare 元, the words a glossary entry requires)."""
    from pipeline.translate.prepare import ArticleContext

    text = line.lstrip("#").strip()
    return ArticleContext(text=text, lead=text)


def evaluate(src: Path, ref: Path, translator, glossary: Glossary, terms_path: Path | None = None,
             limit: int | None = None, signature: str = "") -> EvalResult:
    """``translator`` is a ``SentenceTranslator``; its preparer's glossary is swapped per line."""
    import sacrebleu

    from pipeline.translate.presence import is_present

    sources, references = read_lines(src), read_lines(ref)
    if len(sources) != len(references):
        raise BriefingError(f"{src} has {len(sources)} lines but {ref} has {len(references)}; test sets must be line-aligned")
    terms = load_terms(terms_path) if terms_path else TermFile()
    if terms.per_line is not None and len(terms.per_line) != len(sources):
        raise BriefingError(f"{terms_path} has {len(terms.per_line)} lines but {src} has {len(sources)}")
    if limit is not None:
        sources, references = sources[:limit], references[:limit]

    from pipeline.translate.normalise import ScriptFolder

    fold = ScriptFolder()
    shared_glossary = _line_glossary(glossary, terms.shared) if terms.shared else glossary
    preparer = translator.preparer
    hypotheses: list[str] = []
    flags: dict[str, int] = {}
    n_sentences = terms_given = terms_matched = terms_correct = numbers_required = numbers_correct = 0
    seconds = 0.0
    for index, line in enumerate(sources):
        line_terms = terms.per_line[index] if terms.per_line is not None else []
        preparer.glossary = _line_glossary(shared_glossary, line_terms) if line_terms else shared_glossary
        heading = line.startswith("#")  # HKMA markdown headings: translate the text, keep the marker
        marker = line[: len(line) - len(line.lstrip("#"))] if heading else ""
        sentences = [sentence for _, sentence in line_sentences(line)]
        start = time.perf_counter()
        results = translator.translate(sentences, line_context(line)) if sentences else []
        seconds += time.perf_counter() - start
        n_sentences += len(results)
        english = " ".join(r.translation for r in results if r.translation)
        hypotheses.append(f"{marker} {english}".strip() if heading else english)
        for r in results:
            for f in r.flags:
                flags[f.name] = flags.get(f.name, 0) + 1
            for t in r.terms:
                if t.kind == "number":
                    numbers_required += 1
                    numbers_correct += t.found
        # term accuracy: a term counts when its Chinese is in the source line
        folded_line = fold(line)
        given = line_terms + [t for t in terms.shared if fold(t.zh) in folded_line]
        terms_given += len(given)
        for t in given:
            if fold(t.zh) in folded_line:
                terms_matched += 1
                terms_correct += any(is_present(v, english) for v in t.en)
    preparer.glossary = glossary

    bleu = sacrebleu.metrics.BLEU()
    chrf = sacrebleu.metrics.CHRF()
    bleu_score = bleu.corpus_score(hypotheses, [references])
    chrf_score = chrf.corpus_score(hypotheses, [references])
    return EvalResult(
        lines=len(sources), sentences=n_sentences, seconds=seconds,
        bleu=bleu_score.score, bleu_signature=str(bleu.get_signature()),
        chrf=chrf_score.score, chrf_signature=str(chrf.get_signature()),
        terms_given=terms_given, terms_matched=terms_matched, terms_correct=terms_correct,
        numbers_required=numbers_required, numbers_correct=numbers_correct,
        flags=flags, problems=terms.problems, signature=signature, hypotheses=hypotheses,
    )
