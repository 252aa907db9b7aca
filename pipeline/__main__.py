"""``python -m pipeline`` is the same as the ``briefing`` console script."""

from pipeline.cli import entry

entry()
