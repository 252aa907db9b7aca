"""Match the rows of a reviewer's copy to the manifest's rows: by id, then by
source hash, then by position between matched rows where only one pairing is
possible.  Anything else is left unmatched and reported, never guessed."""

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


def match_rows(reviewed: list[ReviewedRow], rows: list[Row]) -> Matching:
    pairs: dict[int, tuple[int, str]] = {}  # reviewed index -> (manifest index, how)
    taken: set[int] = set()
    _by_id(reviewed, rows, pairs, taken)
    _by_source(reviewed, rows, pairs, taken)
    _by_alignment(reviewed, rows, pairs, taken)
    result = Matching()
    for i, r in enumerate(reviewed):
        if i in pairs:
            j, how = pairs[i]
            result.matches.append(RowMatch(r, rows[j], how))
        else:
            result.extra.append(r)
    result.missing = [row for j, row in enumerate(rows) if j not in taken]
    return result


def _by_id(reviewed, rows, pairs, taken) -> None:
    """The printed id, confirmed by the source text (an id cell copied onto another row does not count)."""
    index = {row.id: j for j, row in enumerate(rows)}
    for i, r in enumerate(reviewed):
        j = index.get(r.row_id)
        if j is not None and j not in taken and text_hash(r.source) == rows[j].source_hash:
            pairs[i] = (j, "id")
            taken.add(j)


def _by_source(reviewed, rows, pairs, taken) -> None:
    """Same original text: paired in order only when the document and manifest hold it equally often."""
    in_doc, in_manifest = defaultdict(list), defaultdict(list)
    for i, r in enumerate(reviewed):
        if i not in pairs:
            in_doc[text_hash(r.source)].append(i)
    for j, row in enumerate(rows):
        if j not in taken:
            in_manifest[row.source_hash].append(j)
    for digest, doc_rows in in_doc.items():
        manifest_rows = in_manifest.get(digest, [])
        if manifest_rows and len(manifest_rows) == len(doc_rows):
            for i, j in zip(doc_rows, manifest_rows):
                pairs[i] = (j, "source")
                taken.add(j)


def _by_alignment(reviewed, rows, pairs, taken) -> None:
    """Between two matched rows, one unmatched row on each side: they are the same row
    (its original text was edited).  Wider gaps (added, deleted or merged rows) stay unmatched."""
    anchors = sorted((i, j) for i, (j, _) in pairs.items())
    bounds = [(-1, -1), *anchors, (len(reviewed), len(rows))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        doc_gap = [i for i in range(i0 + 1, i1) if i not in pairs]
        manifest_gap = [j for j in range(j0 + 1, j1) if j not in taken]
        if len(doc_gap) == 1 and len(manifest_gap) == 1 and j1 > j0:
            pairs[doc_gap[0]] = (manifest_gap[0], "alignment")
            taken.add(manifest_gap[0])
