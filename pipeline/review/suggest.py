"""``briefing glossary suggest --from-reviews``: glossary changes reviewers keep asking for.

A correction that drops a required glossary term is imported and flagged
(``--strict``: refused), and in both cases also kept in the memory's
rejected_reviews table, the record of what reviewers replaced.  When reviewers replaced the same term by
the same English in at least ``min_count`` corrections (two by default), that
English is proposed as the entry's new target, as CSV rows in the glossary's
columns for an editor to paste.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from pipeline.glossary.suggest import Suggestion

_TOKEN = re.compile(r"\w(?:[\w'’&.\-]*\w)?|[^\w\s]")


def suggest_from_reviews(memory, min_count: int = 2) -> list[Suggestion]:
    seen: dict[tuple[str, str], list[tuple[str | None, str, str]]] = defaultdict(list)
    for _source, before, after, missing, reviewer, _document in memory.rejected_reviews():
        for term_source, target in missing:
            seen[(term_source, target)].append((replacement(before, after, target), after, reviewer))
    suggestions = []
    for (term_source, target), cases in sorted(seen.items()):
        renderings = {r for r, _, _ in cases}
        if len(renderings) != 1 or None in renderings or len(cases) < max(min_count, 1):
            continue  # not consistent: left to the editors reading the import reports
        new = renderings.pop()
        reviewers = sorted({who for _, _, who in cases})
        suggestions.append(Suggestion(term_source, new, "", len(cases), cases[0][1],
                                      {f"reviewers wrote {new!r} for {target!r} ({', '.join(reviewers)})"}))
    return suggestions


def replacement(before: str, after: str, target: str) -> str | None:
    """What ``after`` has where ``before`` had ``target``: the words between the unchanged words
    on either side of it, or None (the term was deleted, or its neighbours were rewritten too)."""
    b, a, t = _TOKEN.findall(before), _TOKEN.findall(after), _TOKEN.findall(target)
    mapped = {}
    for block in difflib.SequenceMatcher(None, b, a, autojunk=False).get_matching_blocks():
        mapped.update((block.a + k, block.b + k) for k in range(block.size))
    mapped[-1], mapped[len(b)] = -1, len(a)  # the text's edges anchor too
    for i in (i for i in range(len(b) - len(t) + 1) if b[i : i + len(t)] == t):
        left, right = mapped.get(i - 1), mapped.get(i + len(t))
        if left is not None and right is not None and right - left > 1:
            return _join(a[left + 1 : right])
    return None


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return re.sub(r" ([^\w\s])", r"\1", text)
