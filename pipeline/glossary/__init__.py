"""The editors' term base: entries, loading and validation, matching, editing."""

from pipeline.glossary.base import (
    ALIAS_SEPARATOR,
    COLUMNS,
    Glossary,
    GlossaryEntry,
    TermMatch,
    check_glossary,
    default_glossary_paths,
    load_glossary,
)

__all__ = ["ALIAS_SEPARATOR", "COLUMNS", "Glossary", "GlossaryEntry", "TermMatch", "check_glossary",
           "default_glossary_paths", "load_glossary"]
