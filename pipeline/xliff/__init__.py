"""XLIFF for CAT tools (memoQ, Trados, Phrase, OmegaT): a briefing's rows out as
XLIFF 1.2 or 2.1 with its segment manifest embedded, and a translator's
targets and notes back in through the same review import as a Word copy.

One module per concern: ``text`` (inline markup to plain text), ``embed``
(the manifest inside an XLIFF file), ``rows`` (what a briefing holds per row),
``export`` and ``read``.
"""

# File names that ``briefing review import`` reads as XLIFF rather than DOCX.
XLIFF_SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".mqxliff")

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"  # 2.0 and 2.1 share the core namespace
SOURCE_LANG, TARGET_LANG = "zh-TW", "en"
OUR_NOTES = "briefing"  # the from= (1.2) or category= (2.x) of the notes the export writes


def is_xliff_path(path) -> bool:
    return str(path).lower().endswith(XLIFF_SUFFIXES)
