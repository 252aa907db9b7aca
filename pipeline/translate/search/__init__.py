"""Our constrained beam search over MarianMT: the algorithm (``beam``), the
constraint tracker (``tracker``), the output projection (``head``) and the
reference-following logits processor for tests and evaluation (``reference``)."""

from pipeline.translate.search.beam import DecodeStats, LogitsProcessor, constrained_beam_search
from pipeline.translate.search.head import OutputHead, quantize_int8
from pipeline.translate.search.tracker import ConstraintTracker, Spelling, TokenClasses
from pipeline.translate.settings import DecodingSettings

__all__ = ["ConstraintTracker", "DecodeStats", "DecodingSettings", "LogitsProcessor", "OutputHead", "Spelling", "TokenClasses",
           "constrained_beam_search", "quantize_int8"]
