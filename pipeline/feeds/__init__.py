"""Feeds as inputs: an RSS/Atom/RDF feed is a list of article links.

``parse``: a feed's bytes into items (link, title, date), with ``feedparser``;
``select``: which items a run takes (``--since``, ``--max-items``);
``ledger``: which links and texts an output folder has already briefed, so a
morning run briefs only what is new; ``config``: the user's list of feeds
(``briefing feeds add|list|remove``, ``briefing run --feeds``).
"""
