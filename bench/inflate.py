"""A national-size warehouse in seconds: a published one with its record tables multiplied (for the dashboard).

A national crawl takes half an hour; the dashboard's speed only depends on how many rows it reads. So this
copies a published ``registry.duckdb`` and adds ``times - 1`` copies of every programme, course unit, their
links, flags, history and raw records, each copy with its own keys (``~2``, ``~3``, ...) and titles
(``title (copy 2)``), so the primary keys hold and the views (search, flags, scorecard) join as before.

    python -m bench.inflate data/registry.duckdb /tmp/national/registry.duckdb --times 85 --pages

``--pages`` then times the dashboard's pages on the copy in headless Chromium, as ``make bench`` does.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb

# Columns that identify a record (suffixed with ~k) and columns a reader sees as its name (given "(copy k)").
KEYS = {"registry_id", "course_key", "code", "course_code", "record_key"}
NAMES = {"title", "name", "course_name"}
TABLES = (
    "programme",
    "course_unit",
    "programme_course",
    "flag",
    "programme_history",
    "raw_programme",
    "raw_course_unit",
    "raw_programme_course",
)


def inflate(source: Path, target: Path, times: int) -> dict[str, int]:
    """Copy ``source`` to ``target`` with each table of ``TABLES`` ``times`` as large: table -> rows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    counts = {}
    with duckdb.connect(str(target)) as con:
        for table in TABLES:
            columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
            select = ", ".join(
                f"{column} || '~' || k"
                if column in KEYS
                else f"{column} || ' (copy ' || k || ')'"
                if column in NAMES
                else column
                for column in columns
            )
            quoted = ", ".join(columns)
            con.execute(
                f"INSERT INTO {table} ({quoted}) SELECT {select} FROM {table}, range(2, ?) AS copies(k)",
                [times + 1],
            )
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.execute("CHECKPOINT")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a published registry.duckdb")
    parser.add_argument("target", type=Path, help="where the inflated copy goes")
    parser.add_argument(
        "--times", type=int, default=85, help="how many times each table's rows (85: national)"
    )
    parser.add_argument("--pages", action="store_true", help="then time the dashboard's pages on the copy")
    args = parser.parse_args()
    for table, rows in inflate(args.source, args.target, args.times).items():
        print(f"{table:22} {rows:>9,}")
    if args.pages:
        from bench.scale import dashboard_pages

        for page, seconds in dashboard_pages(args.target.parent):
            print(f"dashboard page {page:14} {seconds:5.1f} s")


if __name__ == "__main__":
    main()
