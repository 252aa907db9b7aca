"""What an output folder has already briefed from feeds, so that running the same
feeds every morning briefs only what is new.

An item is already briefed when its link is in the ledger, or when its text is:
the same story at a second address (syndication, a tracking parameter) is one
story.  The ledger lives beside the briefings (``OUT/briefed-items.json``) and
is written atomically after each briefing, so a killed run loses at most the
article in flight, which the next run briefs again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from pipeline.fsutil import atomic_write_text

LEDGER_NAME = "briefed-items.json"


def text_key(article) -> str:
    """The article's text as a key: title and body, whitespace folded (a re-served page
    with other spacing or markup is the same text)."""
    text = "\n".join([article.title, *(b.text for b in article.blocks)])
    return "sha256:" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class Ledger:
    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LEDGER_NAME
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}
        self.links: dict[str, dict] = data.get("links", {}) if isinstance(data, dict) else {}
        self.texts = {entry.get("text"): link for link, entry in self.links.items() if entry.get("text")}

    def has_link(self, link: str) -> bool:
        return link in self.links

    def briefed_as(self, key: str) -> str | None:
        """The link under which this text was briefed, if it was."""
        return self.texts.get(key)

    def record(self, link: str, key: str, briefing: str) -> None:
        when = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.links[link] = {"text": key, "briefing": briefing, "at": when}
        self.texts[key] = link
        self.save()

    def save(self) -> None:
        data = {"links": self.links}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
