"""Regenerate pipeline/numbers/data/tickers.csv from twstock's copy of the exchanges' code tables.

The figure reader needs to know that 2886 in 2886兆豐金 is a ticker.  The codes
and short names come from the Taiwan Stock Exchange's ISIN pages
(isin.twse.com.tw, strMode=2 for TWSE-listed, strMode=4 for TPEx), which the
MIT-licensed ``twstock`` package republishes as ``twstock/codes/twse_equities.csv``
and ``tpex_equities.csv``.  We keep our own small extract (every row except
warrants: code, short name, market, type) so that nothing at run time depends
on twstock.

Refresh (no install needed, twstock's own dependencies are not imported):

    .venv/bin/pip download twstock --no-deps -d /tmp/twstock
    .venv/bin/python -m devtools.update_tickers --from /tmp/twstock/twstock-*.whl

``--from`` takes the wheel, a folder holding the two CSVs (an unpacked wheel,
twstock's source tree), or is left out to read an installed twstock.  When the
PyPI release is older than you need and the exchanges' pages are reachable,
twstock can rebuild its CSVs itself: ``python -c "from twstock.codes.fetch import
__update_codes as u; u()"`` (needs twstock, requests and lxml installed; the
TWSE limits requests), then run this script without ``--from``.  Afterwards
update the version and dates in pipeline/numbers/data/SOURCE.md.

The output is sorted by code and written byte for byte the same for the same
input; the script prints what was added, removed or changed, the newest
listing date in the input (the snapshot is at least that recent), and new
names that are also common words, for data/ticker_ambiguous_names.csv.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import astuple
from pathlib import Path

from pipeline.numbers.tickers import TABLE_COLUMNS, Listing, TickerTable, read_listings

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "pipeline" / "numbers" / "data" / "tickers.csv"
TWSTOCK_FILES = ("twse_equities.csv", "tpex_equities.csv")
TWSTOCK_HEADER = ["type", "code", "name", "ISIN", "start", "market", "group", "CFI"]
# Warrants are tens of thousands of six-digit codes named after their underlying
# stock (欣銓元大53購04); a reader never needs them and they would only add noise.
SKIPPED_TYPES = frozenset({"上市認購(售)權證", "上櫃認購(售)權證"})


def read_twstock_text(source: Path | None) -> dict[str, str]:
    """The two CSVs' text by file name, from a wheel, a folder, or the installed twstock."""
    if source is None:
        source = _installed_codes_folder()
    if source.is_file():
        with zipfile.ZipFile(source) as wheel:
            return {name: wheel.read(f"twstock/codes/{name}").decode("utf-8") for name in TWSTOCK_FILES}
    folder = source / "twstock" / "codes" if (source / "twstock" / "codes").is_dir() else source
    return {name: (folder / name).read_text(encoding="utf-8") for name in TWSTOCK_FILES}


def _installed_codes_folder() -> Path:
    # find_spec locates the package without importing it (its __init__ imports requests)
    from importlib.util import find_spec

    spec = find_spec("twstock")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("twstock is not installed: pass --from with a downloaded wheel (see the docstring)")
    return Path(next(iter(spec.submodule_search_locations))) / "codes"


def listings_from_twstock(texts: dict[str, str]) -> tuple[list[Listing], str]:
    """Our rows from twstock's CSV text, sorted by code, and the newest listing date seen."""
    rows: dict[str, Listing] = {}
    newest = ""
    for name in TWSTOCK_FILES:
        reader = csv.reader(io.StringIO(texts[name]))
        header = next(reader)
        if header != TWSTOCK_HEADER:
            raise SystemExit(f"{name}: unexpected columns {header}; twstock's format changed, check this script")
        for fields in reader:
            kind, code, short, _isin, start, market = (f.strip() for f in fields[:6])
            newest = max(newest, start)
            if kind in SKIPPED_TYPES:
                continue
            if code in rows:
                raise SystemExit(f"{name}: code {code} listed twice")
            rows[code] = Listing(code, short, market, kind)
    return sorted(rows.values(), key=lambda row: row.code), newest


def render_table(listings: Iterable[Listing]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(astuple(row) for row in sorted(listings, key=lambda row: row.code))
    return out.getvalue()


def changes(old: Iterable[Listing], new: Iterable[Listing]) -> list[str]:
    """One line per added, removed or changed code, in code order."""
    before = {row.code: row for row in old}
    after = {row.code: row for row in new}
    lines = []
    for code in sorted(before.keys() | after.keys()):
        was, now = before.get(code), after.get(code)
        if was == now:
            continue
        if was is None:
            lines.append(f"+ {code} {now.name} ({now.market} {now.type})")
        elif now is None:
            lines.append(f"- {code} {was.name} ({was.market} {was.type})")
        else:
            lines.append(f"~ {code} {was.name} ({was.market} {was.type}) -> {now.name} ({now.market} {now.type})")
    return lines


def read_table(table: Path) -> list[Listing]:
    return read_listings(table.read_text(encoding="utf-8")) if table.exists() else []


def write_table(listings: list[Listing], table: Path) -> None:
    """Write only when the text differs, so an unchanged table keeps its file untouched."""
    from pipeline.fsutil import atomic_write_text

    rendered = render_table(listings)
    if not table.exists() or table.read_text(encoding="utf-8") != rendered:
        atomic_write_text(table, rendered)


def word_like_names(listings: Iterable[Listing], min_frequency: int = 100) -> list[str]:
    """Short names jieba's dictionary knows as common words (世界, 全新): candidates for
    data/ticker_ambiguous_names.csv, which an editor reviews (a name that is chiefly the
    company, such as 燦坤, stays out)."""
    import logging

    import jieba
    import opencc

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    to_simplified = opencc.OpenCC("t2s").convert
    table = TickerTable(listings)  # its names: 臺 read as 台, 大地 for 大地-KY
    return [name for row in listings for name in table.names_of(row.code)
            if (jieba.dt.FREQ.get(to_simplified(name)) or 0) >= min_frequency]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--from", dest="source", type=Path, help="twstock wheel or folder (default: installed twstock)")
    parser.add_argument("--out", type=Path, default=TABLE, help=f"table to write (default: {TABLE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    new, newest = listings_from_twstock(read_twstock_text(args.source))
    old = read_table(args.out)
    lines = changes(old, new)
    write_table(new, args.out)
    for line in lines:
        print(line)
    print(f"{len(lines)} change(s); newest listing date in the source: {newest}")
    fresh = sorted(set(new) - set(old), key=lambda row: row.code)
    for name in word_like_names(fresh) if fresh else ():
        print(f"review: {name} is also a common word; list it in data/ticker_ambiguous_names.csv if news uses it so")
    return 0


if __name__ == "__main__":
    sys.exit(main())
