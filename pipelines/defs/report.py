"""The quality report's reading side: the published warehouse's rows, read-only, handed to ``quality.report``.

The rendering (``quality.report``) opens no database; the rows it shows are read here, through
``warehouse.readonly`` (a connection that can read the warehouse and nothing else), by the queries in
``quality_report.sql`` beside this module. The report asset (``pipelines/defs/warehouse.py``) calls
``write_quality_report`` after each publish; by hand:

    python -m pipelines.defs.report data/registry.duckdb [out.html]
"""

from __future__ import annotations

import functools
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from quality.report import QUERY_NAMES, REPORT_NAME, write_report
from warehouse.readonly import connect_readonly

QUERIES_FILE = Path(__file__).with_name("quality_report.sql")
# The report is the pipeline's own read of the whole warehouse, not an analyst's query: a national warehouse
# may take longer than the analysts' default limit.
READ_TIMEOUT_S = 600.0


@functools.cache
def report_queries() -> dict[str, str]:
    """The report's queries by name, from the ``-- name: ...`` sections of ``quality_report.sql``."""
    sections = re.split(r"^-- name: (\w+)\s*$", QUERIES_FILE.read_text(), flags=re.MULTILINE)
    queries = {name: sql.strip() for name, sql in zip(sections[1::2], sections[2::2], strict=True)}
    if set(queries) != set(QUERY_NAMES):
        raise ValueError(f"{QUERIES_FILE} names {sorted(queries)}, the report reads {sorted(QUERY_NAMES)}")
    return queries


def read_report_rows(warehouse: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row the report shows, by query name (lists of dict rows), read from ``warehouse`` read-only."""
    rows: dict[str, list[dict[str, Any]]] = {}
    with connect_readonly(warehouse, timeout=READ_TIMEOUT_S) as con:
        for name, sql in report_queries().items():
            result = con.sql(sql)
            columns = result.columns
            rows[name] = [dict(zip(columns, values, strict=True)) for values in result.fetchall()]
    return rows


def write_quality_report(warehouse: Path, out: Path | None = None, *, now: datetime | None = None) -> Path:
    """Writes the quality report of ``warehouse`` (beside it, or at ``out``); returns the index page."""
    warehouse = Path(warehouse)
    target = Path(out) if out is not None else warehouse.with_name(REPORT_NAME)
    return write_report(read_report_rows(warehouse), target, now=now)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m pipelines.defs.report WAREHOUSE.duckdb [OUT.html]")
    print(write_quality_report(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else None))
