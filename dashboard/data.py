"""Every query the dashboard runs, against the published warehouse, read-only (the longer ones in ``data.sql``).

A refresh replaces ``registry.duckdb`` with ``os.replace``. So the dashboard never keeps a connection: each
page render opens its own (``connect``), reads one consistent version of the file and closes it. The
connection is ``warehouse.readonly.connect_readonly``: a private in-memory DuckDB that ATTACHes the file
``READ_ONLY`` with no access to other files or extensions, locked configuration and a time limit per query
(``$MICROCRED_DASHBOARD_TIMEOUT`` seconds, default 10). ``SessionQueries`` lets the session that opened a
connection cancel its running query when the session ends.

User input only ever reaches SQL as bound parameters, and the free text is bounded (``SEARCH_MAX_CHARS``,
``SEARCH_MAX_WORDS``) before it does.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from registry.languages import english_name
from warehouse.publish import default_data_dir, warehouse_path
from warehouse.readonly import ReadOnlyConnection, connect_readonly, timeout_from_env
from warehouse.sql import Queries

QUERIES = Queries(__file__)  # data.sql: every query of more than one line

TIMEOUT_ENV = "MICROCRED_DASHBOARD_TIMEOUT"
DEFAULT_TIMEOUT_S = 10.0
# The free-text search: every word is one ILIKE over every programme, so both are bounded. The longest
# title-and-outcome phrase anyone types is far below either.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20

CURRENT = "current"  # each institution's latest academic year
ALL = "all"
YearChoice = str | int  # CURRENT, ALL or an academic year (its start year)

SEMESTER_LABELS = {
    "S1": "1st semester",
    "S2": "2nd semester",
    "YEAR": "Full year",
    "SUMMER": "Summer",
    "WINTER": "Winter",
    "unknown": "unknown",
}


def language_label(code: str) -> str:
    """'en' -> 'English (en)'; 'unknown' and codes outside ISO 639-1 as they are."""
    name = english_name(code)
    return f"{name} ({code})" if name else code


def short_name(name: str) -> str:
    """'Ghent University' -> 'Ghent', 'University of Antwerp' -> 'Antwerp' (for chart legends)."""
    return name.removeprefix("University of ").removesuffix(" University").strip() or name


def year_label(year: int) -> str:
    return f"{year}-{year + 1}"


class NoWarehouse(Exception):
    """No warehouse has been published at ``path`` yet."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def warehouse_file() -> Path:
    """``$MICROCRED_DATA_DIR/registry.duckdb``, or ``data/registry.duckdb`` under the repository."""
    return warehouse_path(default_data_dir())


class SessionQueries:
    """The open connections of one dashboard session, so that its end can stop their queries.

    ``cancel`` may come from any thread (Streamlit calls it when the session disconnects); a connection
    opened after it is cancelled at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[ReadOnlyConnection] = set()
        self.cancelled = False

    @contextlib.contextmanager
    def track(self, con: ReadOnlyConnection) -> Iterator[None]:
        with self._lock:
            self._open.add(con)
            if self.cancelled:
                con.cancel()
        try:
            yield
        finally:
            with self._lock:
                self._open.discard(con)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            running = list(self._open)
        for con in running:
            con.cancel()


def dashboard_timeout() -> float:
    """Seconds a dashboard query may run: ``$MICROCRED_DASHBOARD_TIMEOUT``, default 10."""
    return timeout_from_env(DEFAULT_TIMEOUT_S, TIMEOUT_ENV)


@contextlib.contextmanager
def connect(
    path: Path | None = None, *, session: SessionQueries | None = None, timeout: float | None = None
) -> Iterator[Warehouse]:
    """One read-only view of the warehouse for one page render; raises NoWarehouse when there is none."""
    path = Path(path or warehouse_file())
    if not path.is_file():
        raise NoWarehouse(path)
    with connect_readonly(path, timeout=timeout or dashboard_timeout()) as con:
        with session.track(con) if session is not None else contextlib.nullcontext():
            yield Warehouse(con, path)


def fingerprint(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime ns, size) of the file: it changes whenever a refresh publishes a new warehouse."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def search_text_problem(text: str) -> str | None:
    """Why ``text`` cannot be searched (too long, too many words), or None when it can."""
    words = len(text.split())
    if len(text) <= SEARCH_MAX_CHARS and words <= SEARCH_MAX_WORDS:
        return None
    return (
        f"The search text has {len(text):,} characters and {words:,} words; at most {SEARCH_MAX_CHARS} "
        f"characters and {SEARCH_MAX_WORDS} words are searched."
    )


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class SearchFilters:
    """The search page's filters; empty means 'any'."""

    institutions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_credits: float | None = None
    max_credits: float | None = None
    semesters: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    year: YearChoice = CURRENT
    start_from: date | None = None
    text: str = ""
    broken_only: bool = False

    def words(self) -> list[str]:
        """The words to search for; ValueError when the text is beyond the limits (never searched)."""
        problem = search_text_problem(self.text)
        if problem:
            raise ValueError(problem)
        return self.text.split()

    def where(self, alias: str = "") -> tuple[str, list]:
        """The WHERE clause over ``programme_search`` (columns prefixed with ``alias``) and its parameters."""
        p = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list = []
        if self.institutions:
            clauses.append(f"list_contains(?::VARCHAR[], {p}institution_id)")
            params.append(list(self.institutions))
        if self.languages:
            clauses.append(f"list_has_any({p}languages, ?::VARCHAR[])")
            params.append(list(self.languages))
        if self.min_credits is not None:
            clauses.append(f"{p}credits_ects >= ?")
            params.append(float(self.min_credits))
        if self.max_credits is not None:
            clauses.append(f"{p}credits_ects <= ?")
            params.append(float(self.max_credits))
        if self.semesters:
            clauses.append(f"list_contains(?::VARCHAR[], {p}semester)")
            params.append(list(self.semesters))
        if self.areas:
            clauses.append(f"list_contains(?::VARCHAR[], {p}area)")
            params.append(list(self.areas))
        if self.year == CURRENT:
            clauses.append(f"{p}is_current_year")
        elif self.year != ALL:
            clauses.append(f"{p}academic_year = ?")
            params.append(int(self.year))
        if self.start_from is not None:
            clauses.append(f"{p}start_date >= ?")
            params.append(self.start_from)
        for word in self.words():
            # Every word must occur in the title or a learning outcome, in any case.
            clauses.append(f"{p}search_text ILIKE ? ESCAPE '\\'")
            params.append(_like_pattern(word))
        if self.broken_only:
            clauses.append(f"len({p}rules_broken) > 0")
        return (" AND ".join(clauses) or "TRUE"), params


@dataclass
class Warehouse:
    """The queries of the three pages, on one open read-only connection."""

    con: ReadOnlyConnection
    path: Path
    _latest: dict[str, int] | None = field(default=None, repr=False)

    def frame(self, sql: str, params: Sequence | None = None) -> pl.DataFrame:
        return self.con.sql(sql, list(params or [])).pl()

    def rows(self, sql: str, params: Sequence | None = None) -> list[tuple]:
        return self.con.sql(sql, list(params or [])).fetchall()

    # -- what there is ---------------------------------------------------------------------------------
    def institutions(self) -> dict[str, str]:
        """institution id -> name, in the registry's order."""
        return dict(self.rows("SELECT institution_id, name FROM institution ORDER BY rowid"))

    def latest_years(self) -> dict[str, int]:
        """Each institution's latest academic year: its current offer."""
        if self._latest is None:
            self._latest = dict(self.rows(QUERIES["latest_years"]))
        return self._latest

    def academic_years(self) -> list[int]:
        return [row[0] for row in self.rows("SELECT DISTINCT academic_year FROM programme ORDER BY 1 DESC")]

    def languages(self) -> list[str]:
        return [row[0] for row in self.rows(QUERIES["languages"])]

    def semesters(self) -> list[str]:
        return [row[0] for row in self.rows(QUERIES["semesters"])]

    def areas(self) -> list[str]:
        return [
            row[0]
            for row in self.rows(
                "SELECT DISTINCT area FROM programme_search WHERE area IS NOT NULL ORDER BY 1"
            )
        ]

    def credits_bounds(self) -> tuple[float, float]:
        low, high = self.rows("SELECT min(credits_ects), max(credits_ects) FROM programme")[0]
        return float(low or 0), float(high or 0)

    def last_published(self) -> str | None:
        return self.rows("SELECT max(ended_at)::VARCHAR FROM run WHERE published")[0][0]

    def _years(self, year: YearChoice, alias: str = "") -> tuple[str, list]:
        """A clause keeping ``year``: one academic year, all of them, or each institution's latest."""
        p = f"{alias}." if alias else ""
        if year == ALL:
            return "TRUE", []
        if year == CURRENT:
            latest = [f"{inst}:{y}" for inst, y in self.latest_years().items()]
            if not latest:
                return "FALSE", []
            return f"list_contains(?::VARCHAR[], concat({p}institution_id, ':', {p}academic_year))", [latest]
        return f"{p}academic_year = ?", [int(year)]

    @staticmethod
    def _institutions(
        institutions: Sequence[str], alias: str = "", column: str = "institution_id"
    ) -> tuple[str, list]:
        p = f"{alias}." if alias else ""
        if not institutions:
            return "TRUE", []
        return f"list_contains(?::VARCHAR[], {p}{column})", [list(institutions)]

    def _scope(self, institutions: Sequence[str], year: YearChoice, alias: str = "") -> tuple[str, list]:
        inst_sql, inst_params = self._institutions(institutions, alias)
        year_sql, year_params = self._years(year, alias)
        return f"{inst_sql} AND {year_sql}", inst_params + year_params

    # -- overview ------------------------------------------------------------------------------------------
    def current_offer(self, institutions: Sequence[str]) -> pl.DataFrame:
        """Per institution: its latest year's programmes, credits, and the change against the year before."""
        where, params = self._institutions(institutions, "o")
        return self.frame(
            QUERIES.format("current_offer", where=where),
            params,
        )

    def offer_by_year(self, institutions: Sequence[str]) -> pl.DataFrame:
        where, params = self._institutions(institutions, "o")
        return self.frame(
            QUERIES.format("offer_by_year", where=where),
            params,
        )

    def credits_distribution(self, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        where, params = self._scope(institutions, year, "c")
        return self.frame(
            QUERIES.format("credits_distribution", where=where),
            params,
        )

    def language_offer(self, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        where, params = self._scope(institutions, year, "l")
        return self.frame(
            QUERIES.format("language_offer", where=where),
            params,
        )

    def semester_offer(self, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        where, params = self._scope(institutions, year, "s")
        return self.frame(
            QUERIES.format("semester_offer", where=where),
            params,
        )

    def offer_by_refresh(self, institutions: Sequence[str]) -> pl.DataFrame:
        where, params = self._institutions(institutions, "r")
        return self.frame(
            QUERIES.format("offer_by_refresh", where=where),
            params,
        )

    def last_refresh(self, institutions: Sequence[str]) -> pl.DataFrame:
        """The latest run of each source: its status, whether it was published, and why."""
        where, params = self._institutions(institutions, "r", column="source")
        return self.frame(
            QUERIES.format("last_refresh", where=where),
            params,
        )

    # -- search --------------------------------------------------------------------------------------------
    def search(self, filters: SearchFilters, limit: int | None = None) -> pl.DataFrame:
        where, params = filters.where("s")
        limit_sql = ""
        if limit is not None:
            limit_sql = "LIMIT ?"
            params = [*params, int(limit)]
        return self.frame(
            QUERIES.format("search", where=where, limit=limit_sql),
            params,
        )

    def search_count(self, filters: SearchFilters) -> int:
        where, params = filters.where("s")
        return self.rows(f"SELECT count(*) FROM programme_search s WHERE {where}", params)[0][0]

    def search_by_institution(self, filters: SearchFilters) -> pl.DataFrame:
        """Matches per institution (zero included) and how many of them break a registry rule."""
        where, params = filters.where("s")
        inst_where, inst_params = self._institutions(filters.institutions, "i")
        return self.frame(
            QUERIES.format("search_by_institution", where=where, institutions=inst_where),
            params + inst_params,
        )

    def search_flags(self, filters: SearchFilters) -> pl.DataFrame:
        """The flags on the matching programmes: which rule each breaks and why."""
        where, params = filters.where("s")
        return self.frame(
            QUERIES.format("search_flags", where=where),
            params,
        )

    # -- quality -------------------------------------------------------------------------------------------
    def scorecard(self, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        where, params = self._scope(institutions, year, "s")
        return self.frame(
            QUERIES.format("scorecard", where=where),
            params,
        )

    def _flag_scope(self, institutions: Sequence[str], year: YearChoice) -> tuple[str, list]:
        # Harvest-level flags (a page that failed) belong to no academic year: they show with every year.
        inst_sql, inst_params = self._institutions(institutions, "d")
        year_sql, year_params = self._years(year, "d")
        return f"{inst_sql} AND (d.academic_year IS NULL OR {year_sql})", inst_params + year_params

    def flagged_rules(self, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        """The rules with at least one flag in scope, errors first, with their flag counts."""
        where, params = self._flag_scope(institutions, year)
        return self.frame(
            QUERIES.format("flagged_rules", where=where),
            params,
        )

    def rule(self, rule_id: str) -> dict | None:
        frame = self.frame(
            QUERIES["rule"],
            [rule_id],
        )
        return frame.row(0, named=True) if frame.height else None

    def flag_detail(self, rule_id: str, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        where, params = self._flag_scope(institutions, year)
        return self.frame(
            QUERIES.format("flag_detail", where=where),
            [rule_id, *params],
        )

    def annex_i_coverage(self, institutions: Sequence[str], year: YearChoice) -> pl.DataFrame:
        where, params = self._scope(institutions, year, "a")
        return self.frame(
            QUERIES.format("annex_i_coverage", where=where),
            params,
        )
