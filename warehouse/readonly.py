"""Opening the published warehouse for analysts: it can be read, and nothing else.

Every analyst path (``microcred sql``, the dashboard, the README's Python example) opens the warehouse with
``connect_readonly``. What DuckDB 2.0 allows by default, and what this module switches off (each is tested
in ``tests/warehouse/test_readonly.py``):

- **Files.** A private in-memory DuckDB ATTACHes the warehouse ``READ_ONLY``; then external access is
  switched off (no ``read_csv``/``read_text``/``glob``/``COPY``/``ATTACH`` of other files) *and* the local
  file system is disabled. The second is needed: DuckDB keeps the attached file and its WAL names on an
  allow-list, so with external access off alone ``COPY ... TO '<warehouse>' (USE_TMP_FILE false)`` still
  overwrites the published file, and ``COPY ... TO '<warehouse>.wal'`` plants a WAL beside it.
- **Extensions.** No automatic install or load, no community extensions; ``INSTALL``/``LOAD`` fail.
- **Configuration** is locked, so no query can ``SET`` any of this back (nor ``profiling_output`` or logging,
  which write files). No spilling to a temporary directory; memory is capped (``MICROCRED_QUERY_MEMORY``).
- **Time.** DuckDB has no statement timeout: a watchdog thread calls ``interrupt()`` when a query runs past
  the limit (``MICROCRED_QUERY_TIMEOUT`` seconds, default 30), and the query fails with ``QueryTimeout``.

It is a private in-memory database that ATTACHes the file rather than ``duckdb.connect(path)``, because the
latter hands out the process-wide instance cached for that path, which keeps reading a file a refresh has
already replaced for as long as any connection to it stays open.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb

TIMEOUT_ENV = "MICROCRED_QUERY_TIMEOUT"
MEMORY_ENV = "MICROCRED_QUERY_MEMORY"
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MEMORY = "2GB"

# Set when the database starts: these cannot be changed once it runs (and are locked afterwards anyway).
_STARTUP_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "temp_directory": "",  # never spill to disk: a query that does not fit in memory fails
}


class QueryTimeout(duckdb.InterruptException):
    """The query ran past the time limit and was interrupted."""

    def __init__(self, seconds: float):
        super().__init__(
            f"the query was stopped after {seconds:g} s, the time limit "
            f"(raise it with --timeout or ${TIMEOUT_ENV})"
        )
        self.seconds = seconds


class QueryCancelled(duckdb.InterruptException):
    """The query was cancelled from outside (its dashboard session closed)."""

    def __init__(self) -> None:
        super().__init__("the query was cancelled")


def timeout_from_env(default: float = DEFAULT_TIMEOUT_S, env: str = TIMEOUT_ENV) -> float:
    """The time limit in seconds from ``env`` (a positive number), else ``default``."""
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    return parse_timeout(raw, what=f"${env}")


def parse_timeout(raw: str, *, what: str = "the time limit") -> float:
    """A positive, finite number of seconds; ValueError naming ``what`` otherwise."""
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{what} must be a number of seconds, not {raw!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{what} must be a positive number of seconds, not {raw!r}")
    return seconds


class ReadOnlyConnection:
    """A connection that can only read the warehouse, with a time limit on every query it runs.

    ``sql`` runs the query to its end inside the time limit and returns the result as a materialised relation,
    so ``.show()``, ``.pl()``, ``.df()`` and ``.fetchall()`` cost nothing more. (DuckDB 2.0's own
    ``execute()`` only runs a query until its first rows are ready and streams the rest while they are
    fetched, outside any limit, so it is not offered.) ``cancel`` (from any thread) stops the running query
    and every later one.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, timeout: float):
        self._con = con
        self.path = path
        self.timeout = timeout
        self._lock = threading.Lock()
        self._cancelled = False

    def sql(self, query: str, params: Sequence | None = None) -> duckdb.DuckDBPyRelation | None:
        """Runs ``query`` (the last statement's result is returned; None when it has none)."""
        with self.time_limit():
            relation = self._con.sql(query, params=list(params) if params is not None else None)
            return relation.materialize() if relation is not None else None

    def cancel(self) -> None:
        """Interrupts the running query, and makes every later one fail with QueryCancelled."""
        with self._lock:
            self._cancelled = True
        self._con.interrupt()

    @contextlib.contextmanager
    def time_limit(self) -> Iterator[None]:
        """Everything run on this connection inside the block is interrupted after ``timeout`` seconds."""
        if self._cancelled:
            raise QueryCancelled()
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self._con.interrupt()

        watchdog = threading.Timer(self.timeout, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield
        except duckdb.InterruptException as error:
            if self._cancelled:
                raise QueryCancelled() from error
            if expired.is_set():
                raise QueryTimeout(self.timeout) from error
            raise
        finally:
            # A late interrupt on an idle connection does nothing (tested): no later query is hit by it.
            watchdog.cancel()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> ReadOnlyConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def connect_readonly(
    path: str | os.PathLike[str],
    *,
    timeout: float | None = None,
    memory_limit: str | None = None,
) -> ReadOnlyConnection:
    """The warehouse at ``path``, readable and nothing else (see the module docstring).

    ``timeout`` (seconds per query) defaults to ``$MICROCRED_QUERY_TIMEOUT`` or 30; ``memory_limit`` to
    ``$MICROCRED_QUERY_MEMORY`` or 2GB. Raises FileNotFoundError when there is no file at ``path``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no warehouse at {path}")
    limit = timeout_from_env() if timeout is None else parse_timeout(str(timeout))
    memory = memory_limit or os.environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY
    con = duckdb.connect(":memory:", config={**_STARTUP_CONFIG, "memory_limit": memory})
    try:
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS registry (READ_ONLY)")
        con.execute("USE registry")
        con.execute("SET enable_progress_bar = false")  # it would print into microcred sql's output
        con.execute("SET enable_external_access = false")
        # External access off still lets a query write the attached file and its WAL (they are allowed
        # paths); with the local file system disabled nothing can open a file any more. The warehouse stays
        # readable through the handle ATTACH opened.
        con.execute("SET disabled_filesystems = 'LocalFileSystem'")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return ReadOnlyConnection(con, path, limit)
