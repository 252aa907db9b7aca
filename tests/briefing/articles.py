"""Hand-built translated articles for layout tests (no model): what the pipeline would
produce, with the terms, figures, flags and reviewed rows a test needs."""

from pathlib import Path

from pipeline.article import Article, Block, TermResult, TranslatedArticle, TranslatedBlock, TranslatedSentence
from pipeline.signature import Signature
from pipeline.translate.qa import run_checks

# distinctive values, so a test can find every piece of provenance in the document text
SIGNATURE = Signature("Helsinki-NLP/opus-mt-zh-en", "0123456789abcdef", "tw2sp", "feedc0ffee42", 7,
                      "beam=4 length_penalty=1.0", "inline")


def sentence(original: str, english: str, terms=(), origin: str = "model") -> TranslatedSentence:
    """A sentence whose QA flags are the real checks' (pipeline.translate.qa)."""
    terms = list(terms)
    return TranslatedSentence(original, original, original, english, terms, run_checks(original, english, terms),
                              origin != "model", origin=origin,
                              constraints=tuple(t.target for t in terms if t.target and not t.unsure))


def term(source: str, target: str | None, **kw) -> TermResult:
    return TermResult(source, target, target is not None and not kw.get("unsure"), **kw)


def figure(source: str, target: str | None, value: str, unit: str, unsure: str = "") -> TermResult:
    return TermResult(source, target, target is not None and not unsure, "number", value=value, unit=unit, unsure=unsure)


def block(kind: str, sentences: list[TranslatedSentence], line: int) -> TranslatedBlock:
    text = "".join(s.original for s in sentences)
    return TranslatedBlock(Block(kind, text, line, [s.original for s in sentences]), sentences)


TSMC = term("台積電", "TSMC")
FOXCONN = term("鴻海", "Hon Hai (Foxconn)")
FOXCONN_SHORT = term("富士康", "Foxconn")
SAMSUNG_UNSURE = term("三星", None, unsure="part of the word 三星期")
TRILLION = figure("35兆元", "NT$35 trillion", "35000000000000", "NT$")
NOV21 = figure("11月21日", "November 21", "--11-21", "date")
DEC2 = figure("2025年12月2日", "December 2, 2025", "2025-12-02", "date")
SEPT = figure("2024年9月", "September 2024", "2024-09", "date")
VAGUE = figure("數十億", None, "", "", unsure="an approximate amount")
# a sentence naming TSMC twenty times, in Chinese and in English
REPEATS = 20


def sample_article(path: Path = Path("sample.txt")) -> TranslatedArticle:
    repeated = sentence("台積電、" * (REPEATS - 1) + "台積電。", "TSMC, " * (REPEATS - 1) + "TSMC.", [TSMC] * REPEATS)
    blocks = [
        block("heading", [sentence("半導體展望", "Semiconductor outlook")], 1),
        block("paragraph", [
            sentence("台積電營收35兆元。", "TSMC revenue was NT$35 trillion.", [TSMC, TRILLION]),
            sentence("鴻海於11月21日宣布，富士康將擴產。", "On November 21 Hon Hai (Foxconn) said Foxconn will expand.",
                     [NOV21, FOXCONN, FOXCONN_SHORT]),
        ], 2),
        block("paragraph", [repeated], 3),
        block("paragraph", [sentence("報告於2025年12月2日發布。", "The report came out on December 2, 2025.", [DEC2])], 4),
        block("paragraph", [sentence("三星期內投資數十億。", "Within 三星期 billions were invested.", [SAMSUNG_UNSURE, VAGUE])], 5),
        block("paragraph", [sentence("2024年9月這場這場這場這場。", "In September 2024 這場這場這場這場.", [SEPT])], 6),
        block("paragraph", [sentence("市場看好。", "The market is upbeat.", origin="human")], 7),
    ]
    article = Article(path, "台積電營收創新高", "explicit", [b.block for b in blocks], date="2025-12-02",
                      byline="王小明", source="經濟日報")
    return TranslatedArticle(article, "TSMC revenue hits a record", blocks)
