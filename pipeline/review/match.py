"""Match the rows of a reviewer's copy to the manifest's rows: by id, then by
source hash, then by position between matched rows where only one pairing is
possible.  Anything else is left unmatched and reported, never guessed:

* duplicated rows (the same ID and original text more than once: a row copied
  over another) are not matched unless every copy carries the same English;
* a merged row (its original text is that of two or more consecutive
  manifest rows) is not matched, and is reported as a merge;
* a moved row (matched by ID or text, out of order with the rows around it)
  is matched, reported, and never used as an anchor for alignment.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.review.manifest import Row, text_hash
from pipeline.review.reader import ReviewedRow


@dataclass
class RowMatch:
    reviewed: ReviewedRow
    row: Row
    how: str  # id | source | alignment


@dataclass
class Matching:
    matches: list[RowMatch] = field(default_factory=list)
    extra: list[ReviewedRow] = field(default_factory=list)  # in the document, no segment of the manifest
    missing: list[Row] = field(default_factory=list)  # in the manifest, not found in the document (deleted?)
    # annotations of the above, for the report
    duplicates: list[list[ReviewedRow]] = field(default_factory=list)  # copies of one row; unmatched if they differ
    merged: list[tuple[ReviewedRow, list[Row]]] = field(default_factory=list)  # a document row and the rows it merges
    moved: list[RowMatch] = field(default_factory=list)  # matched, out of order with its neighbours


def match_rows(reviewed: list[ReviewedRow], rows: list[Row]) -> Matching:
    pairs: dict[int, tuple[int, str]] = {}  # reviewed index -> (manifest index, how)
    taken: set[int] = set()
    copies = _duplicates(reviewed)
    excluded = {i for group in copies for i in (group[1:] if _same_english(reviewed, group) else group)}
    candidates = [i for i in range(len(reviewed)) if i not in excluded]
    _by_id(reviewed, rows, pairs, taken, candidates)
    _by_source(reviewed, rows, pairs, taken, candidates)
    moved = _out_of_order(pairs)
    # an unmatched row with the original text of some manifest row is a copy, not an edited row
    known = {row.source_hash for row in rows}
    copied = {i for i in candidates if i not in pairs and text_hash(reviewed[i].source) in known}
    _by_alignment(len(reviewed), excluded | copied, rows, pairs, taken, moved)
    result = Matching()
    for i, r in enumerate(reviewed):
        if i in pairs:
            j, how = pairs[i]
            result.matches.append(RowMatch(r, rows[j], how))
            if i in moved:
                result.moved.append(result.matches[-1])
        else:
            result.extra.append(r)
    result.missing = [row for j, row in enumerate(rows) if j not in taken]
    result.duplicates = [[reviewed[i] for i in group] for group in copies]
    result.merged = _merges(result.extra, rows, taken)
    return result


def _duplicates(reviewed) -> list[list[int]]:
    """Rows with the same printed ID and original text: a row copied over another."""
    groups = defaultdict(list)
    for i, r in enumerate(reviewed):
        if r.row_id:
            groups[(r.row_id, text_hash(r.source))].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _same_english(reviewed, group: list[int]) -> bool:
    return len({" ".join(reviewed[i].english.split()) for i in group}) == 1


def _out_of_order(pairs) -> set[int]:
    """Matched rows outside the longest run in manifest order (moved rows): the reviewed indices."""
    anchors = sorted((i, j) for i, (j, _) in pairs.items())
    best: list[list[tuple[int, int]]] = []  # best[k]: the longest increasing run ending at anchors[k]
    for k, (i, j) in enumerate(anchors):
        before = [best[m] for m in range(k) if anchors[m][1] < j]
        best.append(max(before, key=len, default=[]) + [(i, j)])
    keep = {i for i, _ in max(best, key=len, default=[])}
    return {i for i, _ in anchors if i not in keep}


def _merges(extra, rows, taken) -> list[tuple[ReviewedRow, list[Row]]]:
    """Unmatched document rows whose original text is two or more consecutive unmatched manifest rows'."""
    found = []
    for r in extra:
        text = "".join(r.source.split())
        for start in range(len(rows)):
            joined, span = "", []
            for j in range(start, len(rows)):
                if j in taken:
                    break
                joined += "".join(rows[j].source.split())
                span.append(rows[j])
                if not text.startswith(joined):
                    break
                if joined == text and len(span) > 1:
                    found.append((r, span))
                    break
    return found


def _by_id(reviewed, rows, pairs, taken, candidates) -> None:
    """The printed id, confirmed by the source text (an id cell copied onto another row does not count)."""
    index = {row.id: j for j, row in enumerate(rows)}
    for i in candidates:
        r = reviewed[i]
        j = index.get(r.row_id)
        if j is not None and j not in taken and text_hash(r.source) == rows[j].source_hash:
            pairs[i] = (j, "id")
            taken.add(j)


def _by_source(reviewed, rows, pairs, taken, candidates) -> None:
    """Same original text: paired in order only when the document and manifest hold it equally often."""
    in_doc, in_manifest = defaultdict(list), defaultdict(list)
    for i in candidates:
        if i not in pairs:
            in_doc[text_hash(reviewed[i].source)].append(i)
    for j, row in enumerate(rows):
        if j not in taken:
            in_manifest[row.source_hash].append(j)
    for digest, doc_rows in in_doc.items():
        manifest_rows = in_manifest.get(digest, [])
        if manifest_rows and len(manifest_rows) == len(doc_rows):
            for i, j in zip(doc_rows, manifest_rows):
                pairs[i] = (j, "source")
                taken.add(j)


def _by_alignment(n_reviewed, excluded, rows, pairs, taken, moved) -> None:
    """Between two matched rows in order, one unmatched row on each side: they are the same row
    (its original text was edited).  Wider gaps (added, deleted, merged or duplicated rows) stay
    unmatched, and a moved row anchors nothing."""
    anchors = sorted((i, j) for i, (j, _) in pairs.items() if i not in moved)
    bounds = [(-1, -1), *anchors, (n_reviewed, len(rows))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        doc_gap = [i for i in range(i0 + 1, i1) if i not in pairs]  # a duplicate here blocks the gap
        if any(i in excluded for i in doc_gap):
            continue
        manifest_gap = [j for j in range(j0 + 1, j1) if j not in taken]
        if len(doc_gap) == 1 and len(manifest_gap) == 1 and j1 > j0:
            pairs[doc_gap[0]] = (manifest_gap[0], "alignment")
            taken.add(manifest_gap[0])
