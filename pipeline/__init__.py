"""briefing: Traditional Chinese news articles into bilingual English Word briefings.

One module per stage, plain dataclasses between them:

    ingest -> segment -> normalise -> glossary/numbers -> translate (decoding) -> qa -> docx_briefing

Heavy imports (torch, transformers) live only in ``translate`` and ``decoding``
so that ``briefing --help`` and ``briefing glossary check`` start instantly.
"""

__version__ = "0.2.0"
