"""The oracle evaluation on a handful of WMT23 terminology dev lines.

Data: ../shared/eval/wmt23_terminology_dev (WMT 2023 terminology shared task,
zh-en dev set), read in place, never copied.  The reference-following model
over a tiny random Marian writes the reference; when the reference holds all
of a line's terms, enforcing them must leave that output unchanged.
"""

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
