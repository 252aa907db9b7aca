"""What the command-line options build: the glossary they name, the preparation of a
sentence (glossary, OpenCC, figures), and the translator with its signature.

One place for every command and for ``briefing serve``, which must build exactly
what ``translate`` and ``run`` build (the server's English is the client's own).
Heavy imports stay inside the functions, so ``briefing --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import BriefingError


def glossary_source(args):
    """--no-glossary, else --glossary, else the default (``find_glossary``)."""
    from pipeline.glossary import GlossarySource, expand_glossary_paths, find_glossary

    if getattr(args, "no_glossary", False):
        return GlossarySource((), "--no-glossary")
    if getattr(args, "glossary", None):
        return GlossarySource(tuple(expand_glossary_paths(args.glossary)), "--glossary")
    return find_glossary()


def build_sentence_translator(args, memory_path: Path | None = None):
    """Glossary, settings and the model's location first (cheap, fail fast, exit 2);
    the model itself loads on first use (never, when the memory knows every sentence)."""
    setup = build_translator(args, memory_path)
    return setup.glossary, setup.translator, setup.signature


def build_translator(args, memory_path: Path | None = None):
    from types import SimpleNamespace

    from pipeline.engines.batch import ModelSpec
    from pipeline.translate.settings import DecodingSettings
    from pipeline.translate.device import choose_device, choose_precision, default_batch_size
    from pipeline.translate.sentences import SentenceTranslator
    from pipeline.signature import Signature
    from pipeline.translate.loading import locate_model, resolve_model

    prepared = preparation(args)
    glossary, normaliser = prepared.glossary, prepared.normaliser
    if args.beam is not None and args.beam < 1:
        raise BriefingError("--beam must be at least 1")
    if args.batch_size is not None and args.batch_size < 1:
        raise BriefingError("--batch-size must be at least 1")
    if args.no_repeat_ngram < 0:
        raise BriefingError("--no-repeat-ngram must be 0 (off) or more")
    device = choose_device(args.device)
    settings = DecodingSettings(beam_size=args.beam or DecodingSettings.beam_size,
                                precision=choose_precision(device, args.precision),
                                no_repeat_ngram_size=args.no_repeat_ngram)
    where = locate_model(resolve_model(args.model))
    signature = Signature(
        model_id=where.model_id,
        model_revision=where.revision,
        opencc_config=normaliser.config,
        glossary_hash=glossary.digest,
        glossary_entries=len(glossary.entries),
        decoding=settings.describe(),
        source_terms=args.source_terms,
        numbers="off" if args.no_numbers else f"on({args.default_currency})",
    )
    spec = ModelSpec(where, settings, args.batch_size or default_batch_size(device), device)
    if args.no_memory or memory_path is None:
        translator = spec.load()
    else:
        from pipeline.translate.memory import CachedTranslator, MemoryContext, TranslationMemory

        context = MemoryContext(where.model_id, where.revision, normaliser.config, settings.describe(), signature.version)
        translator = CachedTranslator(TranslationMemory(memory_path), context, spec.load)
    return SimpleNamespace(glossary=glossary, translator=SentenceTranslator(prepared.preparer, translator),
                           signature=signature, spec=spec)


def preparation(args):
    """The glossary, OpenCC and the figure finder, and the SentencePreparer they make:
    all a sentence needs before the model (``run --dry-run`` uses no more)."""
    from types import SimpleNamespace

    from pipeline.glossary import load_source
    from pipeline.translate.normalise import DEFAULT_OPENCC_CONFIG, Normaliser
    from pipeline.translate.prepare import SentencePreparer

    glossary = load_source(glossary_source(args))  # layer by layer: starter < user < project
    normaliser = Normaliser(args.opencc or DEFAULT_OPENCC_CONFIG)
    numbers = None
    if not args.no_numbers:
        from pipeline.numbers import DEFAULT_TABLES, NumberFinder, with_default_currency

        numbers = NumberFinder(with_default_currency(DEFAULT_TABLES, args.default_currency))
    preparer = SentencePreparer(normaliser, glossary, args.source_terms, numbers)
    return SimpleNamespace(glossary=glossary, normaliser=normaliser, preparer=preparer)
