"""The ``briefing`` command line.

    briefing run [INPUT ...] [--out DIR] [--model M] [--glossary PATH ...]
    briefing translate [TEXT] [--model M] [--glossary PATH ...] [--json]
    briefing eval --src FILE --ref FILE [--terms FILE] [--json]
    briefing glossary check|list|add|suggest
    briefing review import FILE.docx|FILE.xlf ...
    briefing memory export|import FILE.tmx
    briefing xliff export BRIEFING.docx ... | --out DIR [--version 1.2|2.1] [--output PATH]
    briefing feeds add|list|remove URL [--name N]
    briefing doctor [--model M] [--out DIR] [--json]
    briefing serve [--idle MIN] [--stop]

Exit codes: 0 all good; 1 some articles failed (the rest were written);
2 usage, configuration or model errors.  No traceback unless --debug.
Only the stages that translate import torch/transformers, so ``--help`` and
``glossary`` commands start instantly.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from pipeline import __version__
from pipeline.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, BriefingError, GlossaryError, one_line
from pipeline.leaving import leave
from pipeline.build import build_sentence_translator, build_translator, glossary_source, preparation
from pipeline.ingest.sources import as_input
from pipeline.translate.lines import translation_lines

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUT = Path("output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Traditional Chinese news articles into bilingual English Word briefings.",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    model_opts = argparse.ArgumentParser(add_help=False)
    model_opts.add_argument("--model", help="MarianMT model directory or hub id (default: $BRIEFING_MODEL, else Helsinki-NLP/opus-mt-zh-en)")
    model_opts.add_argument("--glossary", action="append", type=Path, metavar="PATH",
                            help="glossary file or folder (repeatable; default: $BRIEFING_GLOSSARY, else the nearest "
                                 "glossary/ folder from here up, else the starter glossary shipped with briefing)")
    model_opts.add_argument("--no-glossary", action="store_true", help="translate without glossary constraints")
    model_opts.add_argument("--opencc", default=None, metavar="CONFIG",
                            help="OpenCC config for the model input: tw2sp (default), tw2s, t2s, none")
    model_opts.add_argument("--source-terms", choices=("inline", "keep"), default="inline",
                            help="inline: the model reads glossary terms in English (default); keep: in Chinese")
    model_opts.add_argument("--no-numbers", action="store_true", help="do not enforce the English form of figures and dates")
    model_opts.add_argument("--default-currency", default="NT$", metavar="PREFIX",
                            help="what a bare 元 means (default NT$, for Taiwan articles)")
    model_opts.add_argument("--beam", type=int, default=None, metavar="K", help="beam size (default 4)")
    model_opts.add_argument("--batch-size", type=int, default=None, metavar="N",
                            help="sentences per model batch (default 16 on CPU, 64 on CUDA)")
    model_opts.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                            help="where the model runs (default auto: CUDA when torch sees a GPU)")
    model_opts.add_argument("--no-repeat-ngram", type=int, default=0, metavar="N",
                            help="loop guard: forbid any N-gram twice in a sentence (default 0: off; terms exempt)")
    model_opts.add_argument("--precision", choices=("int8", "fp32", "fp16", "bf16"), default=None,
                            help="CPU: int8 (default, quantised, about 2.5x faster) or fp32 (the weights as published); "
                                 "CUDA: fp16 (default), bf16 or fp32")
    model_opts.add_argument("--memory", type=Path, metavar="FILE",
                            help="translation memory (SQLite); `run` defaults to OUT/translation-memory.sqlite")
    model_opts.add_argument("--no-memory", action="store_true", help="neither read nor write the translation memory")

    run = sub.add_parser("run", parents=[model_opts], help="translate articles into DOCX briefings",
                         description="Translate article files or folders (default seeds/) into output/<stem>.docx and output/run-report.json.")
    run.add_argument("inputs", nargs="*", type=as_input, metavar="INPUT",
                     help="article files (.txt .html .docx .md), folders or http(s) links (default: seeds/)")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: output/)")
    run.add_argument("--align", choices=("paragraph", "sentence"), default="paragraph",
                     help="one table row per paragraph (default) or per sentence")
    run.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    run.add_argument("--max-input-mb", type=float, default=5.0, metavar="MB", help="refuse larger article files")
    run.add_argument("--fetch-timeout", type=float, default=30.0, metavar="SEC",
                     help="give up on a link after SEC seconds (default 30)")
    run.add_argument("--dry-run", action="store_true",
                     help="read and segment the inputs, print what each holds and an estimated time; "
                          "load no model, write nothing")
    run.add_argument("--no-index", action="store_true", help="do not write OUT/index.docx")
    run.add_argument("--no-digest", action="store_true", help="do not write OUT/digest.docx")
    run.add_argument("--author", metavar="NAME", help="the documents' author (default: your name on this system)")
    run.add_argument("--pdf", action="store_true",
                     help="also a PDF of each briefing and of the digest (LibreOffice, one process for the batch)")
    run.add_argument("--no-server", action="store_true",
                     help="load the model here even when `briefing serve` runs the same model and settings")
    run.add_argument("--progress-every", type=float, default=10.0, metavar="SEC", help=argparse.SUPPRESS)
    feeds = run.add_argument_group("feeds", "an INPUT that is an RSS/Atom/RDF feed stands for its items' pages")
    feeds.add_argument("--feeds", action="store_true", help="also every feed of `briefing feeds list`")
    feeds.add_argument("--since", metavar="DATE|AGE",
                       help="only items published since DATE (2026-11-30) or within AGE (24h, 7d)")
    feeds.add_argument("--max-items", type=int, metavar="N", help="at most N items per feed (the newest)")
    run.add_argument("--force", action="store_true",
                     help="overwrite briefings even when they differ from what this tool wrote (a reader's edits)")
    run.add_argument("--window", type=int, default=None, metavar="N",
                     help="sentences planned together, length-sorted into batches across articles "
                          "(default 8 batches); same --window, same English on either engine")
    eng = run.add_argument_group("engine")
    eng.add_argument("--engine", choices=("local", "ray"), default="local",
                     help="local: this process (default); ray: a Ray Data actor pool (pip install 'briefing[ray]')")
    eng.add_argument("--actors", type=int, default=1, metavar="N", help="ray: translator actors (each loads the model once)")
    eng.add_argument("--cpus-per-actor", type=float, default=1, metavar="K", help="ray: CPUs per actor (torch uses that many threads)")
    eng.add_argument("--gpus-per-actor", type=float, default=0, metavar="G", help="ray: GPUs per actor (with --device cuda)")
    eng.add_argument("--address", default=None, metavar="ADDR",
                     help="ray: cluster to join: auto (the one on this node) or ray://HEAD:10001 (default: start a local one)")
    run.set_defaults(handler=cmd_run)

    tr = sub.add_parser("translate", parents=[model_opts], help="translate TEXT or stdin lines",
                        description="Translate TEXT, or standard input: a pipe or file in batches "
                                    "(--buffer-size lines at a time, default all), a terminal line by line.")
    tr.add_argument("text", nargs="?", help="text to translate (default: read stdin)")
    tr.add_argument("--buffer-size", type=int, default=0, metavar="N",
                    help="piped input: translate N lines at a time (default 0: read all of it first)")
    tr.add_argument("--json", action="store_true", help="one JSON object per input line")
    tr.add_argument("--no-server", action="store_true",
                    help="load the model here even when `briefing serve` is running with the same settings")
    tr.set_defaults(handler=cmd_translate)

    srv = sub.add_parser("serve", parents=[model_opts], help="keep a model warm for translate and run",
                         description="Load the model once and answer `briefing translate` and `briefing run` of this "
                                     "user over a Unix socket in $XDG_RUNTIME_DIR/briefing (else /tmp/briefing-UID), "
                                     "when they run with the same model and settings; they load it themselves otherwise.")
    srv.add_argument("--idle", type=float, default=30.0, metavar="MIN",
                     help="exit after MIN minutes without requests (default 30; 0: never)")
    srv.add_argument("--stop", action="store_true", help="stop the running server")
    srv.set_defaults(handler=cmd_serve)

    ev = sub.add_parser("eval", parents=[model_opts], help="score translations of a line-aligned test set",
                        description="Translate --src, score against --ref: BLEU and chrF (sacreBLEU), term and number "
                                    "accuracy, QA flags per 100 sentences, sentences per second. The glossary is only "
                                    "used when --glossary is given.")
    ev.add_argument("--src", type=Path, required=True, metavar="FILE", help="source lines (Chinese)")
    ev.add_argument("--ref", type=Path, required=True, metavar="FILE", help="reference lines (English)")
    ev.add_argument("--terms", type=Path, metavar="FILE", help="per-line JSON term lists (WMT), a glossary CSV, or a zh<TAB>en TSV")
    ev.add_argument("--limit", type=int, metavar="N", help="only the first N lines")
    ev.add_argument("--hypotheses", type=Path, metavar="FILE", help="also write the translations here")
    ev.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ev.set_defaults(handler=cmd_eval)

    gl = sub.add_parser("glossary", help="check, list, add to or mine the glossary")
    gsub = gl.add_subparsers(dest="glossary_command", metavar="ACTION", required=True)
    check = gsub.add_parser("check", help="validate glossary files (file:line: problem)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    check.set_defaults(handler=cmd_glossary_check)
    lst = gsub.add_parser("list", help="list glossary entries and the file:line each comes from")
    lst.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    lst.add_argument("--category", help="only this category")
    lst.set_defaults(handler=cmd_glossary_list)
    add = gsub.add_parser("add", help="append an entry to the project's or your own glossary (refuses duplicates)",
                          description="Inside a project (a glossary/ folder here or above) the entry goes to the "
                                      "project's file for its --category; elsewhere to your own glossary, "
                                      "$XDG_CONFIG_HOME/briefing/glossary (default ~/.config/briefing/glossary), "
                                      "which runs use over the starter glossary.")
    add.add_argument("source")
    add.add_argument("target")
    add.add_argument("--aliases", default="", help="other source spellings separated by |")
    add.add_argument("--category", default="", help="company, person, ...: chooses the file it goes to")
    add.add_argument("--note", default="")
    add.add_argument("--requires", default="", metavar="A|B", help="context words, one of which must be present")
    add.add_argument("--file", type=Path, default=None,
                     help="CSV file to append to (default: the category's file in the project, or your glossary)")
    add.set_defaults(handler=cmd_glossary_add)
    export = gsub.add_parser("export", help="write the glossary as one CSV, TSV, XLSX or TBX-Basic file")
    export.add_argument("--format", choices=("csv", "tsv", "xlsx", "tbx"), default=None,
                        help="default: from the --output suffix")
    export.add_argument("--tbx-version", choices=("2008", "2019"), default="2008",
                        help="TBX: 2008 = TBX-Basic in <martif> (ISO 30042:2008), the form CAT tools have imported "
                             "longest (default); 2019 = <tbx>/conceptEntry (ISO 30042:2019)")
    export.add_argument("--output", type=Path, required=True, metavar="FILE")
    export.add_argument("--glossary", action="append", type=Path, metavar="PATH",
                        help="glossary file, any format (repeatable; default: the glossary runs use)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(handler=cmd_glossary_export)
    imp = gsub.add_parser("import", help="convert a CSV, TSV, XLSX or TBX glossary into the project's CSV")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--output", type=Path, required=True, metavar="FILE.csv")
    imp.add_argument("--force", action="store_true", help="replace the output if it exists")
    imp.add_argument("--source-lang", default="zh", metavar="CODE", help="TBX: the articles' language (default zh)")
    imp.add_argument("--target-lang", default="en", metavar="CODE", help="TBX: the briefings' language (default en)")
    imp.set_defaults(handler=cmd_glossary_import)
    suggest = gsub.add_parser("suggest", help="mine candidate entries from articles (CSV on stdout)")
    suggest.add_argument("inputs", nargs="*", type=Path, metavar="INPUT")
    suggest.add_argument("--min-count", type=int, default=1)
    suggest.add_argument("--from-reviews", action="store_true",
                         help="propose entries from reviewers' corrections in the translation memory instead")
    suggest.add_argument("--memory", type=Path, default=None, metavar="DB",
                         help="with --from-reviews (default: output/translation-memory.sqlite)")
    suggest.set_defaults(handler=cmd_glossary_suggest)
    _add_review_commands(sub)
    _add_xliff_commands(sub)
    _add_doctor_command(sub)
    _add_feeds_commands(sub)
    _debug_anywhere(sub)
    return parser


def _debug_anywhere(sub) -> None:
    """``--debug`` after any subcommand too (``briefing run --debug``, ``briefing glossary check --debug``).
    Its default is SUPPRESS: a subcommand's own default would otherwise overwrite ``briefing --debug run``."""
    for command in {id(p): p for p in sub.choices.values()}.values():
        if not any("--debug" in action.option_strings for action in command._actions):
            command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _debug_anywhere(action)


def _add_xliff_commands(sub) -> None:
    xliff = sub.add_parser("xliff", help="exchange briefings with CAT tools as XLIFF 1.2 or 2.1")
    xsub = xliff.add_subparsers(dest="xliff_command", metavar="ACTION", required=True)
    export = xsub.add_parser("export", help="write each briefing as an XLIFF file for memoQ, Trados, Phrase or OmegaT",
                             description="One unit per briefing row (its ID), the original as source, the English as "
                                         "target, glossary terms and QA flags as notes; flagged rows need review. The "
                                         "segment manifest travels inside, so `briefing review import FILE.xlf` takes "
                                         "the translated file back.")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("briefings", nargs="*", type=Path, metavar="BRIEFING.docx", default=[])
    which.add_argument("--out", type=Path, metavar="DIR", help="every briefing in this output folder")
    export.add_argument("--version", choices=("1.2", "2.1"), default="1.2", help="XLIFF version (default: 1.2)")
    export.add_argument("--output", type=Path, metavar="PATH",
                        help="an .xlf file (one briefing) or a folder (default: beside each briefing)")
    export.set_defaults(handler=cmd_xliff_export)


def _add_feeds_commands(sub) -> None:
    feeds = sub.add_parser("feeds", help="the RSS/Atom feeds `briefing run --feeds` reads",
                           description="Keep a list of feeds in $XDG_CONFIG_HOME/briefing/feeds.json "
                                       "(default ~/.config/briefing/feeds.json).")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = fsub.add_parser("add", help="add a feed (or rename one)")
    add.add_argument("url", metavar="URL")
    add.add_argument("--name", default="", help="a short name for it")
    add.set_defaults(handler=cmd_feeds_add)
    fsub.add_parser("list", help="list the feeds").set_defaults(handler=cmd_feeds_list)
    remove = fsub.add_parser("remove", help="remove a feed by URL or name")
    remove.add_argument("url", metavar="URL|NAME")
    remove.set_defaults(handler=cmd_feeds_remove)


def cmd_feeds_add(args) -> int:
    from pipeline.feeds.config import add_feed, feeds_path

    changed = add_feed(feeds_path(), args.url, args.name)
    print(f"briefing: {'added' if changed else 'already listed:'} {args.url} ({feeds_path()})", file=sys.stderr)
    return EXIT_OK


def cmd_feeds_list(args) -> int:
    from pipeline.feeds.config import feeds_path, load_feeds

    feeds = load_feeds(feeds_path())
    for feed in feeds:
        print(f"{feed.url}\t{feed.name}" if feed.name else feed.url)
    if not feeds:
        print(f"briefing: no feeds yet (briefing feeds add URL); the list lives in {feeds_path()}", file=sys.stderr)
    return EXIT_OK


def cmd_feeds_remove(args) -> int:
    from pipeline.feeds.config import feeds_path, remove_feed

    gone = remove_feed(feeds_path(), args.url)
    print(f"briefing: removed {gone.url}", file=sys.stderr)
    return EXIT_OK


def _add_doctor_command(sub) -> None:
    doctor = sub.add_parser("doctor", help="check Python, the packages, the model, LibreOffice, fonts and folders",
                            description="One line per check, a fix line under each problem, then a summary. Exit 0 "
                                        "when every required check passes, 1 otherwise; LibreOffice, a CJK font, a "
                                        "GPU, Ray and the user cache only warn. Never touches the network.")
    doctor.add_argument("--model", help="the model to check (default: $BRIEFING_MODEL, else Helsinki-NLP/opus-mt-zh-en)")
    doctor.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help="the output folder runs will write to (default: output/)")
    doctor.add_argument("--json", action="store_true", help="the checks as JSON")
    doctor.set_defaults(handler=cmd_doctor)


def cmd_doctor(args) -> int:
    from pipeline.doctor import doctor

    return doctor(args.model, args.out, as_json=args.json)


def _add_review_commands(sub) -> None:
    from pipeline.translate.memory import MEMORY_NAME

    default_db = DEFAULT_OUT / MEMORY_NAME
    review = sub.add_parser("review", help="take a reviewer's corrections back from a briefing or an XLIFF file")
    rsub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    imp = rsub.add_parser("import", help="import the English a reviewer changed in briefings or XLIFF into the memory",
                          description="Read reviewed briefings (tracked changes accepted, comments as notes) or the "
                                      "XLIFF files `briefing xliff export` wrote, back from a CAT tool; match "
                                      "their rows to the segments they were written from, and store the changed "
                                      "English as human translations that every later run uses.")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE.docx|FILE.xlf")
    imp.add_argument("--briefing", type=Path, metavar="BRIEFING.docx",
                     help="for an XLIFF file whose CAT tool dropped the embedded manifest: the briefing it was "
                          "exported from (every unit's ID and source must match it)")
    where = imp.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, metavar="DIR", help="output folder whose memory to use (default: output/)")
    where.add_argument("--memory", type=Path, metavar="DB", help=f"translation memory (default: {default_db})")
    imp.add_argument("--dry-run", action="store_true", help="show what changed; write nothing")
    imp.add_argument("--prefer", choices=("review", "memory"),
                     help="when the memory changed since the briefing was written: take the review or keep the memory")
    imp.add_argument("--strict", action="store_true",
                     help="refuse corrections that drop a required glossary term or figure or bring in a forbidden "
                          "term (default: import them, flagged reviewer-dropped-term/-figure)")
    imp.set_defaults(handler=cmd_review_import)

    memory = sub.add_parser("memory", help="exchange the translation memory as TMX 1.4")
    msub = memory.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    for action, text in (("export", "write the memory as a TMX 1.4 file"), ("import", "add a TMX file's units to the memory")):
        m = msub.add_parser(action, help=text)
        m.add_argument("tmx", type=Path, metavar="FILE.tmx")
        m.add_argument("--memory", type=Path, default=default_db, metavar="DB", help=f"default: {default_db}")
        m.add_argument("--source-lang", default="zh-TW", metavar="TAG",
                       help="the Chinese side's language tag (default: zh-TW; import also takes any zh-*)")
        m.add_argument("--target-lang", default="en-US", metavar="TAG",
                       help="the English side's language tag (default: en-US; import also takes any en-*)")
        if action == "export":
            m.add_argument("--human-only", action="store_true",
                           help="only human translations (reviewers', imported TMX), not the model's")
        else:
            m.add_argument("--prefer", choices=("memory", "tmx"), default="memory",
                           help="where the memory already holds other human English for a sentence: keep it "
                                "(default) or take the TMX's; each such sentence is named")
        m.set_defaults(handler=cmd_memory_export if action == "export" else cmd_memory_import)


def entry() -> None:
    """The ``briefing`` command (console script and ``python -m pipeline``): ``main``, then leave."""
    leave(main())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except GlossaryError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"briefing: the glossary has {len(err.problems)} problem(s); nothing was translated", file=sys.stderr)
        return err.exit_code
    except BriefingError as err:
        if args.debug:
            traceback.print_exc()
        print(f"briefing: {one_line(str(err))}", file=sys.stderr)  # one line, whoever wrote the message
        return err.exit_code
    except KeyboardInterrupt:
        print("\nbriefing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `briefing ... | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as err:  # a bug: one line unless --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(f"briefing: internal error: {type(err).__name__}: {one_line(str(err))} (run with --debug for details)",
                  file=sys.stderr)
        return EXIT_USAGE


# ---------------------------------------------------------------- shared set-up


def _engine(args, spec):
    """The engine for ``run``: local (default) or ray; options checked before any work."""
    if args.engine == "local":
        return None
    for name in ("actors",):
        if getattr(args, name) < 1:
            raise BriefingError("--actors must be at least 1")
    if args.cpus_per_actor <= 0 or args.gpus_per_actor < 0:
        raise BriefingError("--cpus-per-actor must be positive and --gpus-per-actor 0 or more")
    if args.gpus_per_actor and not spec.device.startswith("cuda"):
        raise BriefingError("--gpus-per-actor needs --device cuda (or auto on a machine with a GPU)")
    from pipeline.engines.ray import RayEngine, import_ray

    import_ray()  # a missing extra is a usage error, said before anything is written
    import dataclasses

    spec = dataclasses.replace(spec, threads=max(1, int(args.cpus_per_actor)))
    return RayEngine(spec, args.actors, args.cpus_per_actor, args.gpus_per_actor, args.address)


# ---------------------------------------------------------------- commands


def cmd_run(args) -> int:
    from pipeline.briefing.document import BriefingOptions
    from pipeline.fsutil import check_writable_dir
    from pipeline.run import RunOptions, run_batch

    _check_run_options(args)
    paths, expansion = _run_inputs(args)
    if args.dry_run:
        return _dry_run(args, paths, dict(expansion.failed) if expansion else {})
    if problem := check_writable_dir(args.out):
        raise BriefingError(problem)
    if args.pdf:
        from pipeline.briefing.pdf import require_soffice

        require_soffice()  # said before any model work
    if not paths:
        return _nothing_new(args, expansion)
    from pipeline.translate.memory import MEMORY_NAME

    setup = build_translator(args, args.memory or args.out / MEMORY_NAME)
    translator, signature = setup.translator, setup.signature
    print(f"briefing: {setup.glossary.describe()}", file=sys.stderr)  # which terms will be enforced, or none
    engine = _engine(args, setup.spec) or _served_engine(args, translator)
    options = RunOptions(
        window_sentences=args.window or 8 * setup.spec.batch_size,
        batch_size=setup.spec.batch_size,
        inputs=list(paths),
        out_dir=args.out,
        briefing=BriefingOptions(page_size=args.page_size, align=args.align, run_id=_run_id(),
                                 **({"author": args.author} if args.author is not None else {})),
        max_input_bytes=int(args.max_input_mb * 1024 * 1024),
        fetch_timeout=args.fetch_timeout,
        debug=args.debug,
        force=args.force,
        write_index=not args.no_index,
        write_digest=not args.no_digest,
        feed_items=frozenset(expansion.from_feeds) if expansion else frozenset(),
        skipped=tuple(expansion.skipped) if expansion else (),
        known_errors=dict(expansion.failed) if expansion else {},
    )
    from pipeline.briefing.outputs import RunLock

    progress = _Progress(sys.stderr, len(paths), every=args.progress_every)
    with RunLock(args.out), _StopOnInterrupt(progress) as stop:
        report = run_batch(paths, options, translator, signature, progress, stop_requested=stop, engine=engine)
    progress.close()
    pdf_failed = _pdfs(args, report) if args.pdf else 0
    _summary(args, report, len(paths))
    if report.interrupted:
        remembered = "" if args.no_memory else " (translated sentences are remembered)"
        print(f"briefing: interrupted; not started: {len(report.not_started)} article(s). "
              f"Run the same command again to finish{remembered}.", file=sys.stderr)
        return 130
    return EXIT_SOME_FAILED if report.failed or pdf_failed else EXIT_OK


def _check_run_options(args) -> None:
    """Every option checked before anything is read, fetched or loaded."""
    for name, value in (("--max-input-mb", args.max_input_mb), ("--fetch-timeout", args.fetch_timeout),
                        ("--progress-every", args.progress_every)):
        if value <= 0:
            raise BriefingError(f"{name} must be positive")
    if args.window is not None and args.window < 1:
        raise BriefingError("--window must be at least 1")
    if args.max_items is not None and args.max_items < 1:
        raise BriefingError("--max-items must be at least 1")
    if args.since is not None:
        from pipeline.feeds.select import parse_since

        args.since_time = parse_since(args.since)


def _run_inputs(args):
    """(inputs, feed expansion or None): files, folders and links; feeds become their new items' links."""
    from pipeline.ingest.sources import is_link
    from pipeline.ingest.text import find_inputs

    inputs = list(args.inputs)
    if args.feeds:
        from pipeline.feeds.config import feeds_path, load_feeds

        listed = load_feeds(feeds_path())
        if not listed:
            raise BriefingError(f"--feeds: no feeds in {feeds_path()} (add one with `briefing feeds add URL`)")
        inputs += [f.url for f in listed]
    if not inputs:
        if not DEFAULT_INPUT.exists():
            raise BriefingError(f"{DEFAULT_INPUT}: no such folder; give article files or folders to translate")
        inputs = [DEFAULT_INPUT]
    paths = find_inputs(inputs)
    if not paths:
        raise BriefingError(f"no article files (.txt .html .htm .docx .md) found in {', '.join(map(str, inputs))}")
    if not any(is_link(p) for p in paths):
        return paths, None
    from pipeline.feeds.expand import expand_feeds
    from pipeline.feeds.ledger import Ledger

    expansion = expand_feeds(paths, Ledger(args.out), since=getattr(args, "since_time", None),
                             max_items=args.max_items, timeout=args.fetch_timeout,
                             max_bytes=int(args.max_input_mb * 1024 * 1024))
    return expansion.inputs, expansion


def _nothing_new(args, expansion) -> int:
    """Every item of the feeds was briefed before (or left out by --since/--max-items): say so, write nothing."""
    skipped = len(expansion.skipped) if expansion else 0
    print(f"briefing: nothing new to brief ({skipped} item(s) briefed before"
          + (f", {expansion.left_out} outside --since/--max-items" if expansion and expansion.left_out else "")
          + f"); {args.out}/ is unchanged", file=sys.stderr)
    return EXIT_OK


def _served_engine(args, translator):
    """The running ``briefing serve`` as the engine, when it runs this model with these settings; else None."""
    if args.no_server:
        return None
    from pipeline.run import model_loader
    from pipeline.serve.client import ServedEngine, Session
    from pipeline.serve.key import run_key

    session = Session.open("decode", run_key(args))
    return ServedEngine(session, model_loader(translator.translator)) if session is not None else None


def _pdfs(args, report) -> int:
    """PDFs of the run's briefings and its digest; the number that failed (each said in one line)."""
    from pipeline.briefing.outputs import Manifest
    from pipeline.briefing.pdf import convert_batch

    documents = [Path(r.output) for r in report.articles if r.status == "ok" and r.output]
    documents += [Path(report.digest)] if report.digest else []
    result = convert_batch(documents, args.out, Manifest(args.out))
    print(f"briefing: {len(result.written)} PDF(s) written beside the briefings", file=sys.stderr)
    for why in result.failed.values():
        print(f"briefing: failed: {why}", file=sys.stderr)
    return len(result.failed)


def _summary(args, report, inputs: int) -> None:
    """What the run did, in the progress's own counts (sentences and titles translated)."""
    ok = sum(r.status == "ok" for r in report.articles)
    skipped = len(report.skipped)
    print(f"briefing: {ok} of {inputs} briefings written to {args.out}/ (report: {args.out / 'run-report.json'}"
          + (f", digest: {Path(report.digest).name}" if report.digest else "") + "); "
          f"{report.sentences_translated} sentences translated, titles included, "
          f"{report.sentences_remembered} of them from the translation memory"
          + (f"; {skipped} feed item(s) skipped, briefed before" if skipped else ""), file=sys.stderr)
    for record in report.articles:
        if record.note and record.status != "skipped":
            print(f"briefing: note: {record.note}", file=sys.stderr)
    for record in report.failed:
        print(f"briefing: failed: {record.error}", file=sys.stderr)


def _dry_run(args, paths, known_errors: dict) -> int:
    """``run --dry-run``: each input read and prepared as the run would, one line each on stdout;
    no model, no torch, nothing written.  Exit 1 when an input cannot be read."""
    from pipeline.run import SECONDS_PER_SENTENCE, RunOptions, survey

    options = RunOptions(inputs=list(paths), out_dir=args.out, max_input_bytes=int(args.max_input_mb * 1024 * 1024),
                         fetch_timeout=args.fetch_timeout, debug=args.debug, known_errors=known_errors)
    prepared = preparation(args)
    print(f"briefing: {prepared.glossary.describe()}", file=sys.stderr)
    print("paragraphs\tsentences\tterms\tfigures\tunsure\testimate\tinput")
    read = failed = sentences = 0
    for found in survey(paths, options, prepared.preparer):
        if found.error is not None:
            failed += 1
            print(f"-\t-\t-\t-\t-\t-\t{found.input}\t{found.error}")
            continue
        read += 1
        sentences += found.sentences
        print(f"{found.paragraphs}\t{found.sentences}\t{found.terms}\t{found.figures}\t{found.unsure}\t"
              f"{found.seconds:.0f} s\t{found.input}")
    print(f"briefing: dry run: {read} of {len(paths)} articles read, {sentences} sentences (titles included); "
          f"estimated {sentences * SECONDS_PER_SENTENCE:.0f} s at {SECONDS_PER_SENTENCE:.2f} s/sentence "
          "(full-size model, 2 CPU cores; less for sentences the memory holds); nothing written", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _run_id() -> str:
    """Names this run in every briefing's segment manifest: start time plus a random tag."""
    import os
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + os.urandom(3).hex()


class _StopOnInterrupt:
    """First Ctrl-C: finish the current batch (and every article it completes), write the report, stop.
    Second: quit now."""

    def __init__(self, progress):
        self.progress = progress
        self.requested = False

    def __enter__(self):
        import signal

        self._previous = signal.signal(signal.SIGINT, self._handle)
        return lambda: self.requested

    def __exit__(self, *exc):
        import signal

        signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt  # outputs are atomic: nothing half-written is left behind
        self.requested = True
        self.progress.close()
        print("briefing: stopping after the current batch (Ctrl-C again to quit at once)", file=sys.stderr)


def cmd_translate(args) -> int:
    if args.buffer_size < 0:
        raise BriefingError("--buffer-size must be 0 (all of standard input) or more")
    chunks = _translate_chunks(args)
    session = None if args.no_server else _served_session(args)
    if session is not None:
        print(f"briefing: {session.describe}", file=sys.stderr)
        chunks = _print_served(session, chunks, args.json)
        if chunks is None:
            return EXIT_OK
    glossary, translator, _signature = build_sentence_translator(args, args.memory)
    if session is None:
        print(f"briefing: {glossary.describe()}", file=sys.stderr)  # which terms will be enforced, or none
    for lines in chunks:
        _emit(translation_lines(translator, lines, args.json))
    return EXIT_OK


def _translate_chunks(args):
    """TEXT; or a terminal line by line; or a pipe or a file in batches, as fairseq-interactive and marian-decoder read."""
    if args.text is not None:
        return iter([[args.text]])
    if sys.stdin.isatty():  # a person typing: each line is answered as soon as it is entered
        return ([line.rstrip("\n")] for line in sys.stdin)
    return _stdin_buffers(sys.stdin, args.buffer_size)


def _served_session(args):
    """A session with a running ``briefing serve`` of exactly these settings, else None."""
    from pipeline.serve.client import Session
    from pipeline.serve.key import translate_key

    try:
        key = translate_key(args)
    except BriefingError:
        return None  # a bad option or model: the local set-up says so, in its own order and words
    return Session.open("translate", key)


def _print_served(session, chunks, as_json: bool):
    """Print what the server translates; None when all is done, else the chunks
    still to do here (the server stopped answering: they are translated locally)."""
    import itertools

    from pipeline.serve.client import ServerGone

    chunks = iter(chunks)
    try:
        for lines in chunks:
            try:
                output = session.request({"op": "translate", "lines": lines, "json": as_json})["output"]
            except ServerGone as err:
                print(f"briefing: the translation server stopped answering ({err}); loading the model here",
                      file=sys.stderr)
                return itertools.chain([lines], chunks)
            _emit(output)
    finally:
        session.close()
    return None


def cmd_serve(args) -> int:
    from pipeline.serve.client import server_alive, stop_server
    from pipeline.serve.channel import socket_path

    if args.stop:
        if not stop_server():
            raise BriefingError(f"no server is running ({socket_path()} does not answer)")
        _wait_until_gone(socket_path())
        print("briefing: server stopped", file=sys.stderr)
        return EXIT_OK
    if args.idle < 0:
        raise BriefingError("--idle must be 0 (never) or more minutes")
    if server_alive():
        raise BriefingError(f"a server is already running on {socket_path()} (stop it with `briefing serve --stop`)")
    from pipeline.serve.server import Server

    server = Server(args)
    server.warm_up()
    server.serve_forever()
    # the socket is gone and every client hung up; the exit handlers close the memory here, on
    # the thread that opened it; at once, since a thread still inside torch when the interpreter
    # finalises can abort the process (SIGABRT) instead of exit 0
    leave(EXIT_OK, at_once=True)


def _wait_until_gone(path, seconds: float = 10.0) -> None:
    """A stopped server removes its socket as it closes up: `serve --stop` returns after that."""
    import time

    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _stdin_buffers(stream, size: int):
    """Lists of lines (newline stripped): all of them when ``size`` is 0, else ``size`` at a time."""
    buffer = []
    for line in stream:
        buffer.append(line.rstrip("\n"))
        if size and len(buffer) >= size:
            yield buffer
            buffer = []
    if buffer:
        yield buffer


def _emit(output: list[str]) -> None:
    for line in output:
        print(line)
    sys.stdout.flush()


def cmd_eval(args) -> int:
    from pipeline.evaluate import evaluate
    from pipeline.fsutil import atomic_write_text

    for path in (args.src, args.ref, args.terms):
        if path is not None and not path.is_file():
            raise BriefingError(f"{path}: no such file")
    if args.limit is not None and args.limit < 1:
        raise BriefingError("--limit must be at least 1")
    if not args.glossary:
        args.no_glossary = True  # test sets bring their own terms
    glossary, translator, signature = build_sentence_translator(args, args.memory)
    result = evaluate(args.src, args.ref, translator, glossary, args.terms, args.limit, signature.short())
    for problem in result.problems:
        print(f"briefing: {problem}", file=sys.stderr)
    if args.hypotheses:
        atomic_write_text(args.hypotheses, "\n".join(result.hypotheses) + "\n")
    print(json.dumps(result.as_dict(), ensure_ascii=False) if args.json else result.report())
    return EXIT_OK


def cmd_glossary_check(args) -> int:
    from pipeline.glossary import GlossarySource, expand_glossary_paths, find_glossary
    from pipeline.glossary.base import check_source

    source = GlossarySource(tuple(expand_glossary_paths(args.paths)), "") if args.paths else find_glossary()
    if not source.paths:
        raise BriefingError("no glossary files: give paths or create glossary/*.csv")
    problems, overrides = check_source(source)
    for line in problems + overrides:  # an override is no problem, but an editor should see it
        print(line)
    if problems:
        print(f"briefing: {len(problems)} problem(s) in {len(source.paths)} file(s)", file=sys.stderr)
        return EXIT_SOME_FAILED
    layers = f" ({source.origin})" if source.origin else ""
    overridden = f"; {len(overrides)} entr{'y' if len(overrides) == 1 else 'ies'} of a later layer override an earlier one" \
        if overrides else ""
    print(f"ok: {len(source.paths)} file(s) valid{layers}{overridden}", file=sys.stderr)
    return EXIT_OK


def cmd_glossary_list(args) -> int:
    from pipeline.glossary import GlossarySource, expand_glossary_paths, find_glossary
    from pipeline.glossary.base import load_source

    source = GlossarySource(tuple(expand_glossary_paths(args.paths)), "") if args.paths else find_glossary()
    glossary = load_source(source)
    for e in glossary.by_category(args.category):  # the last column: where the entry comes from
        aliases = f" [{' | '.join(e.aliases)}]" if e.aliases else ""
        print(f"{e.source}{aliases}\t{e.target}\t{e.category}\t{e.where}")
    for e in glossary.forbidden:  # English that must not appear (TBX deprecated terms)
        if not args.category or e.category.lower() == args.category.lower():
            print(f"{e.source}\tnot: {' | '.join((e.target, *e.variants))}\t{e.category}\t{e.where}")
    return EXIT_OK


def cmd_glossary_export(args) -> int:
    from pipeline.glossary.convert import export_glossary

    try:
        result = export_glossary(glossary_source(args), args.output, args.format, args.force, args.tbx_version)
    except GlossaryError as err:
        return _conversion_refused(err, args.output)
    print(result.summary(), file=sys.stderr)
    return EXIT_OK


def cmd_glossary_import(args) -> int:
    from pipeline.glossary.convert import import_glossary

    try:
        result = import_glossary(args.file, args.output, args.force, (args.source_lang, args.target_lang))
    except GlossaryError as err:
        return _conversion_refused(err, args.output)
    print(result.summary(), file=sys.stderr)
    return EXIT_OK


def _conversion_refused(err: GlossaryError, output: Path) -> int:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    print(f"briefing: the glossary has {len(err.problems)} problem(s); {output} not written", file=sys.stderr)
    return err.exit_code


def cmd_glossary_add(args) -> int:
    from pipeline.glossary.edit import add_to_glossary

    added = add_to_glossary(args.source, args.target, aliases=args.aliases, category=args.category, note=args.note,
                            requires=args.requires, file=args.file)
    print(f"added to {added.path} ({added.layer}): {added.entry.source} -> {added.entry.target}", file=sys.stderr)
    for line in added.overrides:
        print(f"briefing: {line}", file=sys.stderr)
    return EXIT_OK


def cmd_review_import(args) -> int:
    from pipeline.review.command import import_reviews
    from pipeline.translate.memory import MEMORY_NAME

    for path in args.files:
        if not path.is_file():
            raise BriefingError(f"{path}: no such file")
    memory = args.memory or (args.out or DEFAULT_OUT) / MEMORY_NAME
    if args.briefing is not None and not args.briefing.is_file():
        raise BriefingError(f"{args.briefing}: no such file")
    return import_reviews(args.files, memory, args.dry_run, args.prefer, strict=args.strict, briefing=args.briefing)


def cmd_xliff_export(args) -> int:
    from pipeline.xliff.command import briefings_in, export_briefings

    if args.out is not None and not args.out.is_dir():
        raise BriefingError(f"{args.out}: no such folder")
    briefings = briefings_in(args.out) if args.out is not None else args.briefings
    if not briefings:
        raise BriefingError(f"{args.out}: no briefings in this folder" if args.out else "give briefings or --out DIR")
    for path in briefings:
        if not path.is_file():
            raise BriefingError(f"{path}: no such file")
    return export_briefings(briefings, args.version, args.output)


def cmd_memory_export(args) -> int:
    from pipeline.translate.memory import TranslationMemory
    from pipeline.translate.tmx import export_tmx

    if not args.memory.is_file():
        raise BriefingError(f"{args.memory}: no such translation memory")
    counts = export_tmx(TranslationMemory(args.memory), args.tmx, args.human_only, args.source_lang, args.target_lang)
    print(f"briefing: wrote {args.tmx}: {counts['model']} model and {counts['human']} human translation units",
          file=sys.stderr)
    return EXIT_OK


def cmd_memory_import(args) -> int:
    from pipeline.translate.memory import TranslationMemory
    from pipeline.translate.tmx import import_tmx

    if not args.tmx.is_file():
        raise BriefingError(f"{args.tmx}: no such file")
    counts = import_tmx(args.tmx, TranslationMemory(args.memory), args.source_lang, args.target_lang, args.prefer)
    kept = f"; {counts['kept']} kept as the memory had them (--prefer tmx to take the TMX's)" if counts["kept"] else ""
    print(f"briefing: {args.tmx} into {args.memory}: {counts['model']} model and {counts['human']} human "
          f"translation units; {counts['skipped']} skipped{kept}", file=sys.stderr)
    for line in counts["problems"] + counts["conflicts"]:
        print(f"briefing: {line}", file=sys.stderr)
    return EXIT_SOME_FAILED if counts["problems"] else EXIT_OK


def cmd_glossary_suggest(args) -> int:
    if args.from_reviews:
        return _suggest_from_reviews(args)
    from pipeline.glossary import load_source
    from pipeline.glossary.suggest import suggest, write_csv
    from pipeline.ingest.text import find_inputs

    glossary = load_source(glossary_source(args))
    paths = find_inputs(args.inputs or [DEFAULT_INPUT])
    suggestions, problems = suggest(paths, glossary, args.min_count)
    for problem in problems:
        print(f"briefing: skipped {problem}", file=sys.stderr)
    write_csv(suggestions, sys.stdout)
    return EXIT_SOME_FAILED if problems else EXIT_OK


def _suggest_from_reviews(args) -> int:
    from pipeline.review.suggest import suggest_from_reviews
    from pipeline.glossary.suggest import write_csv
    from pipeline.translate.memory import MEMORY_NAME, TranslationMemory

    path = args.memory or DEFAULT_OUT / MEMORY_NAME
    if not path.is_file():
        raise BriefingError(f"{path}: no such translation memory")
    write_csv(suggest_from_reviews(TranslationMemory(path), args.min_count), sys.stdout)
    return EXIT_OK


class _Progress:
    """A one-line bar on a terminal; without one (logs, CI) a line per finished article with
    its own time, and a line at least every ``every`` seconds while articles are in flight.

    Inputs are read as the run goes, so the bar moves by articles finished of all the
    inputs, and the sentence count is of the articles read so far."""

    def __init__(self, stream, inputs: int = 0, every: float = 10.0, clock=None):
        import time

        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.inputs = inputs
        self.articles = self.done = self.total = 0
        self.every = every
        self.clock = clock or time.monotonic
        self.started = self.last_line = self.clock()
        self._ticker = None
        if not self.tty and every > 0:
            self._start_ticker()

    def __call__(self, done: int, total: int, record) -> None:
        self.done, self.total = done, total
        if record is not None:
            self.articles += 1
        of = f"/{self.inputs}" if self.inputs else ""
        if self.tty:
            width = 30
            filled = int(width * self.articles / self.inputs) if self.inputs else 0
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.articles}{of} article(s) done, "
                              f"{done}/{total} sentences of those read")
            self.stream.flush()
        elif record is not None:
            status = {"ok": "ok", "skipped": "skipped"}.get(record.status, "FAILED")
            self._line(f"[{self.articles}{of} articles, {done}/{total} sentences] {Path(record.input).name}: {status} "
                       f"({record.seconds:.1f} s)")

    def tick(self) -> None:
        """Say where the run is when nothing was said for ``every`` seconds: done/total, rate, ETA."""
        now = self.clock()
        if now - self.last_line < self.every:
            return
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        of = f"/{self.inputs}" if self.inputs else ""
        eta = ""
        if rate > 0 and self.articles and self.inputs:
            # sentences left: of the articles read, plus the unread ones at the average so far
            per_article = self.total / max(self.articles, 1)
            left = max(self.total - self.done, 0) + per_article * max(self.inputs - self.articles - 1, 0)
            eta = f", about {left / rate / 60:.0f} min left"
        self._line(f"[{self.articles}{of} articles, {self.done}/{self.total} sentences] "
                   f"{rate:.1f} sentences/s{eta}")

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
        self.last_line = self.clock()

    def _start_ticker(self) -> None:
        import threading

        stop = threading.Event()

        def run():
            while not stop.wait(min(self.every, 1.0)):
                self.tick()

        self._ticker = (stop, threading.Thread(target=run, daemon=True))
        self._ticker[1].start()

    def close(self) -> None:
        if self._ticker is not None:
            self._ticker[0].set()
            self._ticker[1].join(timeout=5)
        if self.tty:
            self.stream.write("\n")
