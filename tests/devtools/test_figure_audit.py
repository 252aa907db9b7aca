"""The figure audit: the product's enforced figures against what a human reference states.

Parallel lines here are written for these tests; the HKMA and FLORES-200 sets are
read from ../shared/eval in place (never copied; HKMA is CC BY-NC 4.0).
"""

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from devtools.english_figures import read_figures
from devtools.figure_audit import (
    GUESS_CLASSES,
    agreement,
    best_match,
    audit,
    explain,
    line_sentences,
    main,
    product_preparer,
    read_claim,
    sentence_figures,
)
from tests.conftest import NO_SHARED, ROOT, SHARED

EVAL = SHARED / "eval"
needs_eval = pytest.mark.skipif(not EVAL.is_dir(), reason=NO_SHARED)
F = Fraction


@pytest.fixture(scope="module")
def preparer():
    return product_preparer("NT$")


def figure(text):
    found = [f for f in read_figures(text) if not f.in_range]
    assert len(found) == 1, found
    return found[0]


# -- what a constraint claims

@pytest.mark.parametrize("value,unit,target,expected", [
    ("250000000000", "NT$", "NT$250 billion", ("amount", 250 * 10**9, None, "NT$", "")),
    ("-3.5%", "%", "-3.5%", ("percent", F("-3.5"), None, "", "")),
    ("300000000 to 500000000", "US$", "US$300 million to US$500 million", ("amount", 3 * 10**8, 5 * 10**8, "US$", "")),
    ("3% to 5%", "%", "3% to 5%", ("percent", 3, 5, "", "")),
    ("1/3", "", "one third", ("fraction", F(1, 3), None, "", "")),
    ("2", "times", "twice", ("times", 2, None, "", "")),
    ("4000000", "people", "more than 4 million people", ("amount", 4 * 10**6, None, "", "more than")),
    ("38000", "CNY", "CNY 38,000", ("amount", 38000, None, "CNY", "")),
    ("38000", "RMB", "RMB38,000", ("amount", 38000, None, "CNY", "")),
    ("5", "yen", "5 yen", ("amount", 5, None, "JPY", "")),
    ("100", "MW", "100 MW", ("amount", 100, None, "MW", "")),
    ("3", "percentage points", "3 percentage points", ("points", 3, None, "pp", "")),
    ("0.5%", "%", "about 0.5%", ("percent", F("0.5"), None, "", "about")),
])
def test_read_claim(value, unit, target, expected):
    claim = read_claim(value, unit, target)
    assert (claim.kind, claim.low, claim.high, claim.unit, claim.qualifier) == expected


@pytest.mark.parametrize("value,unit,date", [
    ("2025-12-02", "date", (2025, 12, 2)), ("--11-21", "date", (None, 11, 21)), ("2024-09", "date", (2024, 9, None)),
    ("2018", "date", (2018, None, None)),
])
def test_read_claim_dates(value, unit, date):
    assert read_claim(value, unit).date == date


@pytest.mark.parametrize("value,unit", [("", ""), ("", "US$"), ("several", ""), ("3 to 5 to 7", ""), ("1/0", "")])
def test_values_the_audit_cannot_read(value, unit):
    assert read_claim(value, unit) is None


def test_a_plus_minus_value():
    claim = read_claim("±0.5%", "%", "±0.5%")
    assert claim.plus_minus and claim.low == F("0.5")
    assert agreement(claim, figure("±0.5%")) == []
    assert agreement(claim, figure("0.5%")) is None


# -- when a reference figure states a claim

@pytest.mark.parametrize("value,unit,target,reference,notes", [
    ("103500000000", "HK$", "HK$103.5 billion", "HK$103.5 billion", []),
    ("1000000000000", "HK$", "about HK$1 trillion", "some HK$1 trillion", []),  # some = about
    ("70%", "%", "more than 70%", "over 70%", []),
    ("70%", "%", "more than 70%", "above 70%", []),
    ("70%", "%", "more than 70%", "about 70%", ["qualifier: product more than, reference about"]),
    ("70%", "%", "70%", "seventy percent", []),
    ("103500000000", "HK$", "HK$103.5 billion", "103.5 billion", ["unit not written in the reference"]),
    ("5000000000", "US$", "US$5 billion", "5 billion dollars", ["the reference writes $ for US$"]),
    ("7000", "yen", "7,000 yen", "¥7,000", ["the reference writes ¥ for JPY"]),
    ("200000000000", "", "200 billion", "US$200 billion", ["the reference adds the unit US$"]),
    ("625100000000", "CNY", "CNY 625.1 billion", "625.1 billion yuan", []),
    ("-1.8%", "%", "-1.8%", "minus 1.8 per cent", []),
    ("2", "times", "2 times", "doubled", []),
    ("1/3", "", "one third", "a third of", []),
    ("300000000 to 500000000", "US$", "US$300 million to US$500 million", "US$300-500 million", []),
    ("--05-10", "date", "May 10", "10 May 2018", ["the reference adds the year"]),
    ("2018-05-10", "date", "May 10, 2018", "10 May 2018", []),
])
def test_stated(value, unit, target, reference, notes):
    assert agreement(read_claim(value, unit, target), figure(reference)) == notes


@pytest.mark.parametrize("value,unit,target,reference", [
    ("103500000000", "NT$", "NT$103.5 billion", "HK$103.5 billion"),  # another currency
    ("14000000000", "NT$", "NT$14 billion", "RMB14 billion"),
    ("7000", "people", "7,000 people", "US$7,000"),  # people are not money
    ("-1.8%", "%", "-1.8%", "a fall of 1.8%"),  # the sign is part of the value; the word is a guess, not equality
    ("1.8%", "%", "1.8%", "-1.8%"),
    ("70%", "%", "70%", "70 percentage points"),
    ("2018-05-10", "date", "May 10, 2018", "10 May"),  # the reference says less than the product
    ("2018-05-10", "date", "May 10, 2018", "10 May 2017"),
    ("300000000 to 500000000", "US$", "US$300 million to US$500 million", "US$300 million"),
    ("1035", "", "1,035", "1,036"),
    ("12%", "%", "12%", "12 times"),
])
def test_not_stated(value, unit, target, reference):
    assert agreement(read_claim(value, unit, target), figure(reference)) is None


# -- a guess at why not

@pytest.mark.parametrize("value,unit,target,reference,kind,words", [
    ("14000000000", "NT$", "NT$14 billion", "from RMB14 billion", "product", "in CNY"),
    ("-1.8%", "%", "-1.8%", "an 11.3% rise and a fall of 1.8%", "paraphrase", "sign written as a word"),
    ("1.8%", "%", "1.8%", "the index moved -1.8%", "product", "opposite sign"),
    ("103500000000", "HK$", "HK$103.5 billion", "about HK$100 billion", "paraphrase", ""),
    ("11.3%", "%", "11.3%", "11%", "paraphrase", "rounds"),
    ("19000", "", "19,000", "19,500 km²", "paraphrase", "more precise"),
    ("2016-03", "date", "March 2016", "in March", "paraphrase", "omits the year"),
    ("2016-12-31", "date", "December 31, 2016", "during 2016. It closed at 106.7% on 31 December", "paraphrase",
     "omits the year: '31 December'"),
    ("50%", "%", "50%", "half of the banks", "paraphrase", "as a fraction"),
    ("10000000000", "US$", "US$10 billion", "US$1 billion", "product", "factor of 1/10"),
    ("1", "US$", "US$1", "HK$7.85 against the USD", "paraphrase", "named without the number"),
    ("1000000", "", "more than 1 million", "millions of gallons", "paraphrase", "indefinite"),
    ("5%", "%", "5%", "3-5%", "paraphrase", "inside a reference range"),
    ("777", "", "777", "no figures here", "unexplained", "no figure at all"),
    ("777", "", "777", "but 12 here", "unexplained", "no counterpart"),
])
def test_guesses(value, unit, target, reference, kind, words):
    guess, guess_class, _ = explain(read_claim(value, unit, target), read_figures(reference), {}, reference)
    assert guess_class == kind and words in guess
    assert guess_class in GUESS_CLASSES


def test_a_figure_the_next_reference_line_states_is_an_alignment_guess():
    claim = read_claim("35%", "%", "35%")
    guess, guess_class, _ = explain(claim, read_figures("rates rose 2%"), {8: read_figures("the ratio reached 35%")}, "")
    assert (guess_class, "line 8" in guess) == ("alignment", True)


# -- the product's English reads back as its own value

PRODUCT_FIGURES = [
    "2千5百億元", "1億2千萬元", "2萬3456點", "兩千億", "-3.5%", "EPS為-0.5元", "負百分之二十五", "7成", "3成5", "5成多",
    "百分之十二", "三分之一", "約占1/3", "3至5億美元", "3-5%", "44%至46%", "約5億元", "逾4百萬人", "上千億", "近3成",
    "2025年12月2日", "於11/21", "2024年9月", "兩倍", "十一倍", "3.5億美元", "5000億美元", "1,035億港元", "7.75至7.85港元",
    "約10,000億港元", "三倍多", "超過7,000人", "高達20億日圓", "300億韓元", "50億歐元", "2.5兆元",
]


@pytest.mark.parametrize("text", PRODUCT_FIGURES)
def test_every_accepted_form_of_an_enforced_figure_reads_back_as_its_value(preparer, text):
    """The audit reads the product's own English with the reference reader: each form the product accepts
    (target and variants) must state the constraint's value, or the audit would misjudge it."""
    _, spans = sentence_figures(preparer, text)
    enforced = [c for _, _, c in spans if c.enforced]
    assert enforced, f"{text}: the product enforces no figure here any more; choose another example"
    for c in enforced:
        claim = read_claim(c.value, c.unit, c.target)
        assert claim is not None, (c.value, c.unit)
        for form in (c.target, *c.variants):
            assert any(agreement(claim, f) is not None for f in read_figures(form)), (text, form, c.value, c.unit)


# -- the product's sentences

def test_line_sentences_split_as_briefing_eval_does():
    line = "# 總裁報告"
    assert line_sentences(line) == [(2, "總裁報告")]
    line = "營收達到3.5億美元。 淨利成長7成。"
    pieces = line_sentences(line)
    assert len(pieces) == 2
    for offset, sentence in pieces:
        assert line[offset:offset + len(sentence)] == sentence
    assert line_sentences("   ") == []


# -- end to end on small parallel files

SOURCE = [
    "營收達到3.5億美元。",  # stated
    "公司去年虧損5億元，股價下跌-1.8%。",  # NT$500 million against HK$: contradicted; -1.8% against "a fall of 1.8%"
    "人民幣存款減至6,251億元。",  # unsure: 元 after 人民幣
    "# 出口成長7成",  # a heading, stated in other words
    "出口成長7成。",  # contradicted: the reference says 60%
]
REFERENCE = [
    "Revenue reached US$350 million.",
    "The company lost HK$500 million last year and its shares saw a fall of 1.8%.",
    "Renminbi deposits fell to RMB625.1 billion.",
    "# Exports up seventy percent",
    "Exports grew 60%.",
]


@pytest.fixture
def parallel(tmp_path):
    src, ref = tmp_path / "test.zh", tmp_path / "test.en"
    src.write_text("\n".join(SOURCE) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REFERENCE) + "\n", encoding="utf-8")
    return src, ref


def test_audit_finds_the_stated_the_contradicted_and_the_unsure(preparer):
    records, totals = audit(SOURCE, REFERENCE, preparer)
    by_source = {(r.line, r.source): r for r in records}
    assert by_source[(1, "3.5億美元")].stated and by_source[(1, "3.5億美元")].present_as_written
    lost = by_source[(2, "5億元")]
    assert not lost.stated and lost.guess_class == "product" and "HK$" in lost.guess
    assert lost.reference_sentence == REFERENCE[1]
    fall = by_source[(2, "-1.8%")]
    assert not fall.stated and fall.guess_class == "paraphrase"
    unsure = by_source[(3, "6,251億元")]
    assert not unsure.enforced and unsure.reference_figures == ["RMB625.1 billion"]
    heading = by_source[(4, "7成")]
    assert heading.stated and not heading.present_as_written and heading.reference_figure == "seventy percent"
    grew = by_source[(5, "7成")]
    assert not grew.stated and grew.guess_class == "alignment" and "line 4" in grew.guess
    for r in records:
        assert SOURCE[r.line - 1][r.start:r.end] == r.source
    assert totals.enforced == totals.enforced_stated + totals.enforced_not_stated == 5
    assert (totals.enforced_not_stated, totals.unsure, totals.unsure_with_reference_figure) == (3, 1, 1)
    assert totals.stated_in_accepted_form + totals.stated_in_other_form == totals.enforced_stated
    assert sum(totals.not_stated_guess.values()) == totals.enforced_not_stated
    assert (totals.lines, totals.sentences) == (5, 5)


def test_the_default_currency_changes_the_verdict():
    _, totals = audit(SOURCE[1:2], ["The company lost NT$500 million last year."], product_preparer("NT$"))
    _, hk = audit(SOURCE[1:2], ["The company lost NT$500 million last year."], product_preparer("HK$"))
    assert totals.enforced_stated == 1 and hk.enforced_stated == 0


def test_command_prints_every_figure_not_stated(parallel, capsys):
    src, ref = parallel
    assert main(["--src", str(src), "--ref", str(ref)]) == 0
    out = capsys.readouterr().out
    assert "enforced 5: stated 2 (40.0%), not stated 3" in out
    assert "ENFORCED, NOT STATED BY THE REFERENCE (3)" in out
    for where in ("L2 s1 [6:9] 5億元 -> NT$500 million", "L2 s1 [14:19] -1.8% -> -1.8%", "L5 s1 [4:6] 7成 -> 70%"):
        assert where in out
    assert "ref: Exports grew 60%." in out
    assert "UNSURE, THE REFERENCE STATES A FIGURE OF THAT VALUE (1)" in out and "'RMB625.1 billion'" in out


def test_command_json(parallel, capsys):
    src, ref = parallel
    assert main(["--src", str(src), "--ref", str(ref), "--json", "--default-currency", "HK$"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["default_currency"] == "HK$"
    assert {"totals", "not_stated", "unsure_stated_by_reference", "stated_in_other_form", "qualifier_differs",
            "value_not_read", "read_back_differs", "guarantee_failed"} <= set(report)
    totals = report["totals"]
    assert totals["enforced"] == totals["enforced_stated"] + totals["enforced_not_stated"]
    assert len(report["not_stated"]) == totals["enforced_not_stated"]
    for row in report["not_stated"]:
        assert {"line", "sentence", "start", "end", "source", "target", "guess", "guess_class",
                "reference_sentence"} <= set(row)
        assert row["guess_class"] in GUESS_CLASSES


def test_command_limit(parallel, capsys):
    src, ref = parallel
    assert main(["--src", str(src), "--ref", str(ref), "--limit", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["lines"] == 1


def test_usage_and_file_errors_exit_2_with_one_line_naming_the_file(parallel, tmp_path, capsys):
    src, ref = parallel
    short = tmp_path / "short.en"
    short.write_text("one line\n", encoding="utf-8")
    cases = [
        (["--src", str(tmp_path / "missing.zh"), "--ref", str(ref)], "missing.zh"),
        (["--src", str(src), "--ref", str(short)], "short.en"),
        (["--src", str(src), "--ref", str(ref), "--limit", "0"], "--limit"),
        (["--src", str(src), "--ref", str(ref), "--model", str(tmp_path / "nomodel")], "nomodel"),
    ]
    for argv, named in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert named in err and len(err.splitlines()) == 1
    bad = tmp_path / "bad.zh"
    bad.write_bytes(b"\xff\xfe\x00bad")
    assert main(["--src", str(bad), "--ref", str(ref)]) == 2
    assert "bad.zh" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--src", str(src)])
    assert exit_.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_module_runs_from_the_command_line(parallel):
    src, ref = parallel
    proc = subprocess.run([sys.executable, "-m", "devtools.figure_audit", "--src", src, "--ref", ref, "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["totals"]["enforced"] == 5


def test_with_a_model_every_enforced_figure_is_in_the_output(parallel, tiny_model_dir, capsys):
    """--model translates as briefing eval does; the guarantee puts every enforced figure in the output."""
    src, ref = parallel
    assert main(["--src", str(src), "--ref", str(ref), "--model", str(tiny_model_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    totals = report["totals"]
    assert totals["translated"] == totals["enforced"] == 5
    assert totals["guarantee_held"] == 5 and report["guarantee_failed"] == []
    assert report["signature"].startswith("briefing:")


# -- the real sets, when ../shared is here

@needs_eval
@pytest.mark.parametrize("name", ["hkma/2018.zhen", "hkma/2016.zhen"])
def test_hkma_structure(name):
    from pipeline.evaluate import read_lines

    sources = read_lines(EVAL / f"{name}.zh")[:120]
    references = read_lines(EVAL / f"{name}.en")[:120]
    records, totals = audit(sources, references, product_preparer("HK$"))
    assert totals.enforced > 0 and totals.lines == 120 and totals.sentences >= 120
    assert totals.enforced == totals.enforced_stated + totals.enforced_not_stated
    assert sum(totals.not_stated_guess.values()) == totals.enforced_not_stated
    for r in records:
        assert sources[r.line - 1][r.start:r.end] == r.source
        if r.enforced and not r.stated:
            assert r.guess and r.guess_class in GUESS_CLASSES and r.reference_sentence
        if r.enforced and r.stated and r.readable:
            assert r.reference_figure and r.reference_figure in references[r.line - 1]


@needs_eval
def test_measure_figures_summarises_the_audit(capsys):
    from devtools import measure_figures

    flores = EVAL / "flores200_devtest"
    line = measure_figures.measure("FLORES", [(flores / "devtest.zho_Hant", flores / "devtest.eng_Latn")], "NT$")
    assert line.startswith("FLORES: ") and "figures enforced" in line and "stated by value" in line


@pytest.mark.parametrize("reference,stated", [("on 1–2 June", True), ("June 1-2", True), ("1–3 June", False),
                                              ("on 1 June", False)])
def test_a_span_of_days_is_stated_only_by_the_same_span(reference, stated):
    claim = read_claim("--06-01 to --06-02", "date", "June 1-2")
    figures = read_figures(reference)
    assert (best_match(claim, figures) is not None) is stated
