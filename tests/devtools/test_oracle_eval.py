"""The oracle evaluation on a handful of WMT23 terminology dev lines.

Data: ../shared/eval/wmt23_terminology_dev (WMT 2023 terminology shared task,
zh-en dev set), read in place, never copied.  The reference-following model
over a tiny random Marian writes the reference; when the reference holds all
of a line's terms, enforcing them must leave that output unchanged.
"""

import json

import pytest

from tests.conftest import NO_SHARED, SHARED

DEV = SHARED / "eval" / "wmt23_terminology_dev"


@pytest.fixture(scope="module")
def translator(tiny_real_tokenizer_model_dir):
    from pipeline.translate.loading import load_marian
    from pipeline.translate.marian import MarianTranslator
    from pipeline.translate.settings import DecodingSettings

    return MarianTranslator(load_marian(str(tiny_real_tokenizer_model_dir)), DecodingSettings(beam_size=4))


def test_constrained_oracle_reproduces_references_that_hold_their_terms(translator, tmp_path):
    if not DEV.exists():
        pytest.skip(NO_SHARED)
    from devtools import oracle_eval
    from pipeline.evaluate import load_terms, read_lines
    from pipeline.translate.presence import is_present

    sources, refs = read_lines(DEV / "zhen.zh"), read_lines(DEV / "zhen.en")
    terms = load_terms(DEV / "zhen.term.proper").per_line
    rows = [r for r in zip(sources, refs, terms) if r[2] and all(is_present(t.en[0], r[1], t.en[1:]) for t in r[2])][:6]
    result = oracle_eval.evaluate(translator, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    spelled = [translator.decode(translator._reference_ids(r[1])) for r in rows]
    assert result["outputs"] == spelled
    figures = result["constrained"]
    assert figures.exact == 1.0 and figures.term_accuracy == 1.0 and figures.duplicated_terms == 0.0
    assert figures.exact_fitting == 1.0 and figures.terms_not_in_source == 0
    assert figures.terms >= len(rows)


def test_command_line_writes_one_translation_per_line(tiny_real_tokenizer_model_dir, tmp_path, capsys):
    if not DEV.exists():
        pytest.skip(NO_SHARED)
    from devtools import oracle_eval

    out = tmp_path / "out.txt"
    code = oracle_eval.main(["--model", str(tiny_real_tokenizer_model_dir), "--src", str(DEV / "zhen.zh"),
                             "--ref", str(DEV / "zhen.en"), "--terms", str(DEV / "zhen.term.proper"),
                             "--complete-only", "--limit", "3", "--convert", "s2twp", "--output", str(out), "--json"])
    assert code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    printed = capsys.readouterr()
    assert '"constrained"' in printed.out and '"unconstrained"' in printed.out
    assert "zhen.term.proper:150" in printed.err  # the malformed line is reported, not fatal


def test_terms_missing_from_the_source_and_references_too_long_are_counted_apart():
    # Hand-made figures (no model): WMT23 dev line 1264-style data, where a
    # line's term list names a term its (truncated) source lacks, and a short
    # source is paired with a reference of several sentences.
    from devtools.oracle_eval import _figures
    from pipeline.evaluate import LineTerm

    terms = [[LineTerm("台積電", ("TSMC",)), LineTerm("諾丁漢", ("Nottingham",))], [LineTerm("鴻海", ("Foxconn",))]]
    outputs = ["TSMC rose.", "Foxconn said"]
    refs = ["TSMC rose.", "Foxconn said. Then it fell."]
    figures = _figures(outputs, refs, list(refs), terms, [[True, False], [True]], [True, False])
    assert figures.terms == 2 and figures.terms_not_in_source == 1 and figures.term_accuracy == 1.0
    assert figures.exact == 0.5 and figures.long_references == 1 and figures.exact_fitting == 1.0


# ---------------------------------------------------------------- --paraphrase: a model that must be forced

def _term(en, zh="詞"):
    from pipeline.evaluate import LineTerm

    return LineTerm(zh, (en,))


def test_paraphrase_is_the_initials_and_never_counts_as_the_term():
    from devtools.oracle_eval import paraphrase
    from pipeline.translate.presence import is_present

    cases = {
        "Shi Feng": "SF", "Mad Saber Three Waves": "MSTW", "Mt. Yellow’s True Monarch": "MYTM",
        "the Eighth Prince": "TEP", "Blackie": "BL", "and": "AN", "he": "HE", "I": "XI",
        "AI": "XAI", "12": "X12", "Kunlun’s Field": "KF", "well-known": "WK",
    }
    for english, expected in cases.items():
        wording = paraphrase(english)
        assert wording == expected, english
        assert not is_present(english, wording) and not is_present(english, f"Then {wording} left.")
    # nor as another term of the line: Lin Xin's "LX" would be the term LX
    assert paraphrase("Lin Xin", [_term("LX")]) == "XLX"


def test_paraphrased_references_replace_every_form_longest_term_first():
    from devtools.oracle_eval import paraphrase_reference

    ref = "The ship of Duan Ling Tian and the raft of Ling Tian met; the end."
    terms = [_term("the"), _term("Ling Tian"), _term("Duan Ling Tian")]
    assert paraphrase_reference(ref, terms) == "TH ship of DLT and TH raft of LT met; TH end."
    # words that merely contain a term, and terms not given, stay as written
    assert paraphrase_reference("Andy and Theo and others.", [_term("and")]) == "Andy AN Theo AN others."


def _dev_rows(indices):
    from pipeline.evaluate import load_terms, read_lines
    from pipeline.translate.presence import is_present

    sources, refs = read_lines(DEV / "zhen.zh"), read_lines(DEV / "zhen.en")
    terms = load_terms(DEV / "zhen.term.proper").per_line
    rows = [r for r in zip(sources, refs, terms) if r[2] and all(is_present(t.en[0], r[1], t.en[1:]) for t in r[2])]
    return [rows[i] for i in indices]


def test_paraphrased_oracle_must_be_forced_to_the_terms(translator):
    # Complete lines 0, 8, 9, 13, 30, 41: one term once; Hao Ren listed twice
    # and written twice; "the" twice; a term whose English holds another
    # (known / known as); you, You (one paraphrase for both) and two more;
    # eight terms on one line, "you" four times.
    if not DEV.exists():
        pytest.skip(NO_SHARED)
    from devtools import oracle_eval
    from pipeline.translate.presence import count_present

    rows = _dev_rows([0, 8, 9, 13, 30, 41])
    sources, refs, terms = ([r[i] for r in rows] for i in range(3))
    result = oracle_eval.evaluate(translator, sources, refs, terms, paraphrased=True)
    spell = lambda text: translator.decode(translator._reference_ids(text))  # noqa: E731
    assert result["paraphrased_terms"] >= len(rows)
    assert result["outputs"] == [spell(r) for r in refs]  # forced, then the original wording throughout
    assert result["unconstrained_outputs"] == [spell(p) for p in result["preferred"]]  # its own wording
    for out, free, ref, line_terms in zip(result["outputs"], result["unconstrained_outputs"], refs, terms):
        for t in line_terms:
            assert count_present(t.en[0], out) == count_present(t.en[0], ref) >= 1
            assert count_present(t.en[0], free) == 0, (t, free)
    assert count_present("Hao Ren", result["outputs"][0]) == 1  # exactly once where the reference has it once
    with_c, without = result["constrained"], result["unconstrained"]
    assert with_c.exact == 1.0 and with_c.term_accuracy == 1.0 and with_c.duplicated_terms == 0.0
    assert without.exact == 0.0 and without.term_accuracy == 0.0 and without.chrf < with_c.chrf


@pytest.mark.parametrize("line", [16, 286, 615, 815, pytest.param(134, marks=pytest.mark.xfail(
    strict=True, reason="line 134: the paraphrase SU of 'Such' and the term share their first piece after an "
    "opening quote; the forced hypothesis still loses its slot and the term is forced after a detour"))])
def test_paraphrased_oracle_keeps_the_forced_hypothesis_when_its_bank_is_shared(translator, line):
    # Complete line 16 (Su Yu ... Qingshan, terms Qingshan, becoming, in, was
    # the).  Where the wordings part ("Su Yu WT" / "Su Yu was the"), the
    # preferred next piece is a bare "▁" (before "WT"), which is also the first
    # piece of the term "▁ Q ing shan": both hypotheses land in bank 1 (one
    # constraint token met), the forced one 50 behind.  Banks 0, 2 and 3 hold
    # hopeless candidates (a full detour each).  Round-robin allocation took the
    # best of every bank before any second best, so with beam 4 the forced
    # hypothesis was dropped and the terms forced later, after a detour; bank 0's
    # best is dominated (behind a candidate of a bank further on) and now waits.
    # The other lines failed the same way in the full run.
    if not DEV.exists():
        pytest.skip(NO_SHARED)
    from devtools import oracle_eval

    rows = _dev_rows([line])
    result = oracle_eval.evaluate(translator, *([r[i] for r in rows] for i in range(3)), paraphrased=True)
    assert result["outputs"] == [translator.decode(translator._reference_ids(rows[0][1]))]


def test_command_line_paraphrase_mode(tiny_real_tokenizer_model_dir, capsys):
    if not DEV.exists():
        pytest.skip(NO_SHARED)
    from devtools import oracle_eval

    args = ["--model", str(tiny_real_tokenizer_model_dir), "--src", str(DEV / "zhen.zh"), "--ref", str(DEV / "zhen.en"),
            "--terms", str(DEV / "zhen.term.proper"), "--complete-only", "--limit", "2", "--paraphrase"]
    assert oracle_eval.main(args + ["--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["paraphrased_terms"] == 2
    assert figures["constrained"]["term_accuracy"] == 1.0 and figures["unconstrained"]["term_accuracy"] == 0.0
    assert oracle_eval.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("paraphrase: 2 enforced terms paraphrased")
    assert "exact 100.0%" in lines[1] and "accuracy 100.0%" in lines[1] and "duplicated 0.0%" in lines[1]
    assert "exact 0.0%" in lines[2] and "accuracy 0.0%" in lines[2]
