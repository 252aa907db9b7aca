"""Which of a feed's items a run takes: ``--since`` and ``--max-items``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from pipeline.errors import BriefingError
from pipeline.feeds.parse import FeedItem

_AGO = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``24h``, ``90m``, ``7d``, ``2w`` before ``now``; or a date (``2026-11-30``, from its
    midnight UTC) or an ISO date-time (without a zone: UTC)."""
    now = now or datetime.now(timezone.utc)
    ago = _AGO.match(text)
    if ago:
        return now - timedelta(**{_UNITS[ago.group(2).lower()]: int(ago.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BriefingError(f"--since {text!r}: give a date (2026-11-30), a date-time, or an age (24h, 7d)") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def select_items(items: Sequence[FeedItem], since: datetime | None = None,
                 max_items: int | None = None) -> tuple[list[FeedItem], int]:
    """(the items taken, how many were left out by date or count).  An item without a
    date is taken: whether it is new cannot be told from the feed (the output folder's
    ledger still keeps a repeat from being briefed twice).  ``max_items`` keeps the
    newest (undated ones after the dated), in feed order."""
    taken = [i for i in items if since is None or i.published is None or i.published >= since]
    if max_items is not None and len(taken) > max_items:
        newest = sorted(range(len(taken)), key=lambda k: (taken[k].published is None,
                                                           -(taken[k].published.timestamp() if taken[k].published else 0), k))
        keep = set(newest[:max_items])
        taken = [item for k, item in enumerate(taken) if k in keep]
    return taken, len(items) - len(taken)
