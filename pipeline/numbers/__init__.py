"""Figures: quantities and dates in the source, in the English a financial journalist writes."""

from pipeline.numbers.finder import NumberFinder
from pipeline.numbers.tables import (
    DEFAULT_TABLES,
    Currency,
    NumberTables,
    with_default_currency,
)

__all__ = ["DEFAULT_TABLES", "Currency", "NumberFinder", "NumberTables", "with_default_currency"]
