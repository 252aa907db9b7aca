"""The user's feeds: ``$XDG_CONFIG_HOME/briefing/feeds.json`` (``briefing feeds
add|list|remove``; ``briefing run --feeds`` runs them all)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import BriefingError
from pipeline.fsutil import atomic_write_text
from pipeline.ingest.sources import is_link

FEEDS_NAME = "feeds.json"


@dataclass(frozen=True)
class FeedEntry:
    url: str
    name: str = ""


def feeds_path(environ: Mapping[str, str] | None = None) -> Path:
    from pipeline.userdirs import user_config_dir

    return user_config_dir(environ) / FEEDS_NAME


def load_feeds(path: Path) -> list[FeedEntry]:
    """The feeds listed in ``path`` (none when it does not exist); a damaged file is an error naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        raise BriefingError(f"{path}: cannot read the feed list ({' '.join(str(err).split())[:200]})") from None
    rows = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("url"), str) for r in rows):
        raise BriefingError(f"{path}: not a feed list (expected {{\"feeds\": [{{\"url\": ..., \"name\": ...}}]}})")
    return [FeedEntry(r["url"], str(r.get("name") or "")) for r in rows]


def save_feeds(path: Path, feeds: list[FeedEntry]) -> None:
    rows = [{"url": f.url, "name": f.name} for f in feeds]
    atomic_write_text(path, json.dumps({"feeds": rows}, ensure_ascii=False, indent=1) + "\n")


def add_feed(path: Path, url: str, name: str = "") -> bool:
    """Add (or rename) a feed; False when it was listed already with that name."""
    if not is_link(url):
        raise BriefingError(f"{url}: a feed is an http(s) link")
    feeds = load_feeds(path)
    for i, f in enumerate(feeds):
        if f.url == url:
            if not name or name == f.name:
                return False
            feeds[i] = FeedEntry(url, name)
            break
    else:
        feeds.append(FeedEntry(url, name))
    path.parent.mkdir(parents=True, exist_ok=True)
    save_feeds(path, feeds)
    return True


def remove_feed(path: Path, key: str) -> FeedEntry:
    """Remove the feed with this URL or name; an error when none matches."""
    feeds = load_feeds(path)
    gone = [f for f in feeds if key in (f.url, f.name)]
    if not gone:
        raise BriefingError(f"{key}: no such feed in {path} (see `briefing feeds list`)")
    save_feeds(path, [f for f in feeds if f not in gone])
    return gone[0]
