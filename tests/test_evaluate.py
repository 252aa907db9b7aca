"""briefing eval: end to end on the shared test sets with a tiny model, and its loaders."""

import json
import subprocess
import sys

import pytest

from pipeline.evaluate import load_terms

from tests.conftest import ROOT, SHARED, NO_SHARED

EVAL = SHARED / "eval"
needs_eval = pytest.mark.skipif(not EVAL.is_dir(), reason=NO_SHARED)


def briefing(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600)


@needs_eval
def test_eval_on_flores_prints_every_figure(tiny_model_dir):
    flores = EVAL / "flores200_devtest"
    proc = briefing("eval", "--model", tiny_model_dir, "--src", flores / "devtest.zho_Hant", "--ref", flores / "devtest.eng_Latn", "--limit", 6)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for figure in ("BLEU", "chrF", "nrefs:1|case:mixed", "terms:", "numbers:", "QA flags:", "sentences/s", "signature: briefing:"):
        assert figure in out


@needs_eval
def test_eval_on_wmt23_terminology_json(tiny_model_dir, tmp_path):
    wmt = EVAL / "wmt23_terminology_dev"
    hyp = tmp_path / "hyp.txt"
    proc = briefing("eval", "--model", tiny_model_dir, "--src", wmt / "zhen.zh", "--ref", wmt / "zhen.en",
                    "--terms", wmt / "zhen.term.proper", "--limit", 12, "--json", "--hypotheses", hyp)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["lines"] == 12 and result["sentences"] >= 12
    assert result["terms"]["matched"] > 0
    assert result["terms"]["accuracy"] == 1.0  # the decoder guarantee, on a random model
    assert {"bleu", "chrf", "bleu_signature", "chrf_signature", "flags_per_100_sentences", "sentences_per_second"} <= set(result)
    assert len(hyp.read_text(encoding="utf-8").splitlines()) == 12
    assert "zhen.term.proper:150: invalid JSON" in proc.stderr  # the known upstream defect is reported, not fatal


@needs_eval
def test_eval_with_hkma_paragraph_terms_and_headings(tiny_model_dir):
    hkma = EVAL / "hkma"
    proc = briefing("eval", "--model", tiny_model_dir, "--src", hkma / "2016.zhen.zh", "--ref", hkma / "2016.zhen.en",
                    "--terms", hkma / "2016.zhen.terms_matched.jsonl", "--limit", 2, "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["terms"]["accuracy"] == 1.0 and result["sentences"] > 2


def test_term_loader_formats(tmp_path):
    wmt = tmp_path / "t.jsonl"
    wmt.write_text('[{"zh":"郝仁","en":"Hao Ren"}]\n[]\n[{"zh":"甲","en":"A"},,{"zh":"乙","en":"B"}]\n[{"zh":"丙","en":["C","c"]},{"zh":"","en":"x"}]\n', encoding="utf-8")
    terms = load_terms(wmt)
    assert [[t.zh for t in line] for line in terms.per_line] == [["郝仁"], [], [], ["丙"]]
    assert terms.per_line[3][0].en == ("C", "c")
    assert terms.problems[0].startswith(f"{wmt}:3: invalid JSON")
    assert terms.problems[1].startswith(f"{wmt}:4: term skipped")
    tsv = tmp_path / "g.tsv"
    tsv.write_text("# comment\n金管局\tHKMA|||Monetary Authority\nbad line\n", encoding="utf-8")
    terms = load_terms(tsv)
    assert terms.shared[0].en == ("HKMA", "Monetary Authority") and terms.problems == [f"{tsv}:3: expected 'zh<TAB>en' "]


def test_misaligned_files_are_a_usage_error(tmp_path, tiny_model_dir):
    src, ref = tmp_path / "s.txt", tmp_path / "r.txt"
    src.write_text("一。\n二。\n", encoding="utf-8")
    ref.write_text("one.\n", encoding="utf-8")
    proc = briefing("eval", "--model", tiny_model_dir, "--src", src, "--ref", ref)
    assert proc.returncode == 2 and "line-aligned" in proc.stderr and "Traceback" not in proc.stderr
