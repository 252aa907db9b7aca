"""Errors a user can act on.

Every error that reaches the command line is a ``BriefingError``: one line that
names the file (and line) at fault, plus the exit code of the CLI contract.
Anything else is a bug and is shown with a traceback only under ``--debug``.
"""

from __future__ import annotations

import re

# Exit codes of the CLI contract.
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some articles failed, the others were written
EXIT_USAGE = 2  # usage, configuration or model errors: nothing was translated


class BriefingError(Exception):
    """A problem the user can fix; ``str(err)`` is the one-line message."""

    exit_code = EXIT_USAGE


class InputError(BriefingError):
    """One article cannot be read; the batch goes on without it."""

    exit_code = EXIT_SOME_FAILED


class ModelLoadError(BriefingError):
    """The translation model cannot be loaded."""


class GlossaryError(BriefingError):
    """The glossary is invalid; ``problems`` holds every ``file:line: reason``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def one_line(text: str) -> str:
    """``text`` on one line: each line break (and the blanks around it) becomes one space; paths keep their spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()
