"""`microcred sql`: ask the published warehouse a question without installing the DuckDB CLI.

The warehouse is opened with ``warehouse.readonly.connect_readonly``: read-only, no other files, no
extensions, configuration locked, and a time limit (``--timeout``, ``$MICROCRED_QUERY_TIMEOUT``). A read-only
connection never blocks a refresh and a refresh never blocks it: publishing replaces the file atomically, and
this connection keeps reading the version it opened. Every error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from warehouse.publish import warehouse_path
from warehouse.readonly import connect_readonly, timeout_from_env


def _one_line(error: BaseException) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}"


def run_sql(query: str, data_dir: Path, *, timeout: float | None = None, max_rows: int = 10_000) -> int:
    """Prints the result as a table; 1 with a one-line error on stderr if the query cannot run."""
    path = warehouse_path(data_dir)
    if not path.exists():
        print(
            f"No warehouse has been published yet ({path} does not exist); run `make run`.", file=sys.stderr
        )
        return 1
    try:
        limit = timeout if timeout is not None else timeout_from_env()
        with connect_readonly(path, timeout=limit) as con:
            relation = con.sql(query)
            if relation is not None:
                relation.show(max_rows=max_rows, max_width=10_000)
    except (duckdb.Error, ValueError, OSError) as error:
        print(_one_line(error), file=sys.stderr)
        return 1
    return 0
