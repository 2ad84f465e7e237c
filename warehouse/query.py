"""`microcred sql`: ask the published warehouse a question without installing the DuckDB CLI.

The connection is read-only, so it never blocks a refresh and a refresh never blocks it: publishing replaces
the file atomically, and this connection keeps reading the version it opened.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from warehouse.publish import warehouse_path


def run_sql(query: str, data_dir: Path, *, max_rows: int = 10_000) -> int:
    """Prints the result as a table; 1 with the error on stderr if the query fails."""
    path = warehouse_path(data_dir)
    if not path.exists():
        print(
            f"No warehouse has been published yet ({path} does not exist); run `make run`.", file=sys.stderr
        )
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            relation = con.sql(query)
        except duckdb.Error as error:
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
            return 1
        if relation is not None:
            relation.show(max_rows=max_rows, max_width=10_000)
    return 0
