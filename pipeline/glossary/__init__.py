"""The editors' term base: entries, loading and validation, matching, editing."""

from pipeline.glossary.base import (
    ALIAS_SEPARATOR,
    COLUMNS,
    GLOSSARY_ENV,
    Glossary,
    GlossaryEntry,
    GlossaryLayer,
    GlossarySource,
    TermMatch,
    check_glossary,
    default_glossary_paths,
    expand_glossary_paths,
    find_glossary,
    load_glossary,
    load_source,
    user_glossary_folder,
)

__all__ = ["ALIAS_SEPARATOR", "COLUMNS", "GLOSSARY_ENV", "Glossary", "GlossaryEntry", "GlossaryLayer", "GlossarySource", "TermMatch",
           "check_glossary", "default_glossary_paths", "expand_glossary_paths", "find_glossary", "load_glossary",
           "load_source", "user_glossary_folder"]
