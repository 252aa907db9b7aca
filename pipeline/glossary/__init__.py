"""The editors' term base: entries, loading and validation, matching, editing."""

from pipeline.glossary.base import (
    ALIAS_SEPARATOR,
    COLUMNS,
    GLOSSARY_ENV,
    Glossary,
    GlossaryEntry,
    GlossarySource,
    TermMatch,
    check_glossary,
    default_glossary_paths,
    expand_glossary_paths,
    find_glossary,
    load_glossary,
)

__all__ = ["ALIAS_SEPARATOR", "COLUMNS", "GLOSSARY_ENV", "Glossary", "GlossaryEntry", "GlossarySource", "TermMatch",
           "check_glossary", "default_glossary_paths", "expand_glossary_paths", "find_glossary", "load_glossary"]
