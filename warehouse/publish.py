"""Builds a new warehouse file beside the published one and moves it into place only when it is sound.

Readers never see a half-written warehouse: everything is written to ``data/build/registry-{run}.duckdb``,
checkpointed, fsynced and then renamed over ``data/registry.duckdb`` in one ``os.replace``. A source whose
harvest failed, or whose harvest a blocking check rejected, keeps its rows from the last published file.

Publishes are serialised by the data folder's publish lock (``warehouse.lock``). A published file that does
not open is moved to ``data/damaged/`` and the warehouse is rebuilt from every source's last good staged data.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from normalise.transform import CoreTables
from quality import checks
from quality.rules import RULES
from registry.files import fsync_dir, fsync_file
from registry.institutions import INSTITUTIONS
from registry.tables import INSTITUTION, RULE, Table, ddl
from warehouse.dictionary import document
from warehouse.lock import PUBLISH_LOCK, folder_lock

SQL_DIR = Path(__file__).parent
SOURCE_TABLES = (
    "programme",
    "course_unit",
    "programme_course",
    "flag",
    "harvest_issue",
    "raw_programme",
    "raw_programme_course",
    "raw_course_unit",
)
HISTORY_FIELDS = ("title", "credits_ects", "semester", "languages", "url")
BUILD_MEMORY_LIMIT = os.environ.get("MICROCRED_BUILD_MEMORY_LIMIT", "512MB")


@dataclass
class SourceHarvest:
    """What this run got for one source: the crawl's outcome and, when it succeeded, the core tables."""

    source: str
    succeeded: bool
    reason: str
    core: CoreTables | None = None
    # The blocking checks' decision on this harvest (``quality.checks.blocking_verdict``), judged once by the
    # asset checks after normalising; a harvest without one is not published.
    verdict: checks.Verdict | None = None
    pages_fetched: int = 0
    not_modified: int = 0
    skipped_by_policy: int = 0  # detail pages the revisit policy did not request (replayed from the memo)
    politeness: dict = field(default_factory=dict)  # host -> requests, bytes, delay_s, polite_seconds
    errors: int = 0
    items: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass
class PublishResult:
    warehouse: Path
    run_id: str
    published_sources: list[str] = field(default_factory=list)
    kept_sources: dict[str, str] = field(default_factory=dict)  # source -> why its previous rows were kept
    damaged: Path | None = None  # where a damaged published warehouse was moved, if it was

    @property
    def published_any(self) -> bool:
        return bool(self.published_sources)


def default_data_dir() -> Path:
    """``$MICROCRED_DATA_DIR``, or ``data/`` under the repository."""
    return Path(os.environ.get("MICROCRED_DATA_DIR") or Path(__file__).resolve().parents[1] / "data")


def warehouse_path(data_dir: Path) -> Path:
    return Path(data_dir) / "registry.duckdb"


# What a staged-data fallback gives for a source: its core tables, or None and why not.
StagedFallback = Callable[[str], "tuple[CoreTables | None, str]"]


def sql_string(text: str | Path) -> str:
    """A SQL string literal, for the few statements (``ATTACH``, ``COPY``) that take no parameters."""
    return "'" + str(text).replace("'", "''") + "'"


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def warehouse_damage(path: Path) -> str | None:
    """Why the published warehouse cannot be used (one line), or None when it opens and reads."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            for table in ("run", "programme_history", "programme", "institution"):
                con.execute(f"SELECT count(*) FROM {table}").fetchall()
    except Exception as error:  # noqa: BLE001 - any failure to open or read means damaged
        return first_line(error)
    return None


def move_aside(path: Path, data_dir: Path, now: datetime) -> Path:
    """Moves a damaged warehouse (and its WAL) to ``data/damaged/``, kept for inspection."""
    damaged_dir = Path(data_dir) / "damaged"
    damaged_dir.mkdir(parents=True, exist_ok=True)
    target = damaged_dir / f"registry-{now.strftime('%Y%m%dT%H%M%S%fZ')}.duckdb"
    os.replace(path, target)
    wal = path.with_suffix(".duckdb.wal")
    if wal.exists():
        os.replace(wal, target.with_suffix(".duckdb.wal"))
    fsync_dir(damaged_dir)
    fsync_dir(path.parent)
    return target


def clean_build(data_dir: Path) -> list[Path]:
    """Removes what a killed publish left in ``data/build/`` (half-built file, WAL); returns what it removed.

    Taken under the publish lock: a publish in progress (a nightly run) is never cut from under itself.
    """
    build_dir = Path(data_dir) / "build"
    if not build_dir.is_dir():
        return []
    with folder_lock(data_dir, PUBLISH_LOCK):
        removed = [p for p in build_dir.iterdir() if p.is_file()]
        for leftover in removed:
            leftover.unlink(missing_ok=True)
    return removed


def published_programmes(data_dir: Path, source: str) -> pl.DataFrame | None:
    """The source's programmes in the published warehouse (for drift and id-stability checks).

    None when there is none, or when it is damaged: the publish moves a damaged file aside and rebuilds.
    """
    path = warehouse_path(data_dir)
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            table = con.sql(
                "SELECT registry_id, academic_year, url, title, credits_ects, languages, semester, "
                "learning_outcomes FROM programme WHERE institution_id = ?",
                params=[source],
            ).to_arrow_table()
    except duckdb.Error:
        return None
    return pl.from_arrow(table)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    con.register("incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Inserts rows given as column name -> value, by name (never by position)."""
    for row in rows:
        names = ", ".join(f"? AS {name}" for name in row)
        con.execute(f"INSERT INTO {table} BY NAME SELECT {names}", list(row.values()))


def _row(thing: object, table: Table) -> dict[str, object]:
    """An object of the core as a row of its reference table: the table's columns, read as attributes."""
    values = {name: getattr(thing, name) for name in table.names}
    return {name: list(v) if isinstance(v, tuple) else v for name, v in values.items()}


def _reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The institutions (from the core) and the rule catalogue."""
    _insert_rows(con, "institution", [_row(i, INSTITUTION) for i in INSTITUTIONS.values()])
    _insert_rows(con, "rule", [_row(r, RULE) for r in RULES.values()])


def _load_source(con: duckdb.DuckDBPyConnection, core: CoreTables, run_id: str) -> None:
    flags = core.flag
    if flags is None:
        flags = checks.record_flags(core.programme, core.course_unit, core.harvest_issue)
    flags = flags.with_columns(run_id=pl.lit(run_id))
    # One row per registry id and year (the registry_id_unique rule has flagged every duplicate; the raw
    # records of all of them stay in raw_programme). Rows without an academic year cannot be placed in
    # time: they are flagged by academic_year_plausible and kept in raw_programme only.
    programme = core.programme.filter(pl.col("academic_year").is_not_null()).unique(
        subset=["registry_id", "academic_year"], keep="first", maintain_order=True
    )
    _insert_frame(con, "programme", programme)
    _insert_frame(con, "course_unit", core.course_unit.filter(pl.col("academic_year").is_not_null()))
    _insert_frame(con, "programme_course", core.programme_course)
    _insert_frame(con, "harvest_issue", core.harvest_issue)
    _insert_frame(con, "flag", flags)
    for kind, table in (
        ("programme", "raw_programme"),
        ("programme_course", "raw_programme_course"),
        ("course_unit", "raw_course_unit"),
    ):
        _insert_raw(con, table, core, kind, run_id)


def _insert_raw(con: duckdb.DuckDBPyConnection, table: str, core: CoreTables, kind: str, run_id: str) -> None:
    """One kind of raw lines into its table (read from the staged folder here and let go on return)."""
    lines = core.raw.get(kind)
    if lines is not None and len(lines):
        frame = pl.DataFrame({"record": lines}).select(
            institution_id=pl.lit(core.institution_id, pl.Utf8),
            run_id=pl.lit(run_id, pl.Utf8),
            record="record",
        )
        _insert_frame(con, table, frame)


# Pages that lead to programmes rather than describe one: when one of them fails, the harvest cannot tell
# which programmes are gone, so every programme it misses is kept.
DISCOVERY_PAGE_KINDS = (
    "landing",
    "listing",
    "chunk",
    "overview",
    "catalog_link",
    "faculty_catalog",
    "scheme",
)


def _keep_failed_pages(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    """Keeps the previous rows of programmes this night's harvest missed because one of their pages failed.

    A programme that is absent from tonight's harvest is withdrawn only if nothing on the way to it failed.
    If a page of its own failed (the page itself, a page below it, or a page above it such as its root), or
    a discovery page failed, its absence says nothing about the site: the last good row (with its course
    units, and the flags it had) stays, with the run id it was harvested in. Returns the registry ids kept.
    """
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE kept_programme AS
        WITH issue AS (
            SELECT source_url, page_kind, rtrim(regexp_replace(source_url, '[?#].*$', ''), '/') AS base
            FROM harvest_issue WHERE institution_id = $source
        ), missing AS (
            SELECT p.registry_id, p.academic_year, p.url, p.source_url,
                   rtrim(regexp_replace(p.url, '[?#].*$', ''), '/') AS base
            FROM prev.programme p
            WHERE p.institution_id = $source
              AND NOT EXISTS (SELECT 1 FROM programme n
                              WHERE n.registry_id = p.registry_id AND n.academic_year = p.academic_year)
        )
        SELECT DISTINCT m.registry_id, m.academic_year
        FROM missing m JOIN issue i
          ON list_contains($discovery, i.page_kind)
          OR i.source_url IN (m.url, m.source_url)
          OR starts_with(m.base || '/', i.base || '/')
          OR starts_with(i.base || '/', m.base || '/')""",
        {"source": source, "discovery": list(DISCOVERY_PAGE_KINDS)},
    )
    con.execute(
        "INSERT INTO programme BY NAME SELECT p.* FROM prev.programme p "
        "SEMI JOIN kept_programme k USING (registry_id, academic_year)"
    )
    con.execute(
        """
        INSERT INTO programme_course BY NAME
        SELECT pc.* FROM prev.programme_course pc SEMI JOIN kept_programme k USING (registry_id, academic_year)
        ANTI JOIN programme_course n USING (registry_id, course_code, academic_year)"""
    )
    con.execute(
        """
        INSERT INTO course_unit BY NAME
        SELECT c.* FROM prev.course_unit c
        SEMI JOIN (SELECT pc.institution_id, pc.course_code AS code, pc.academic_year
                   FROM prev.programme_course pc SEMI JOIN kept_programme k USING (registry_id, academic_year)
                  ) USING (institution_id, code, academic_year)
        ANTI JOIN course_unit n USING (institution_id, code, academic_year)"""
    )
    con.execute(
        """
        INSERT INTO flag BY NAME
        SELECT f.* FROM prev.flag f JOIN prev.rule r USING (rule_id)
        SEMI JOIN kept_programme k ON k.registry_id = f.record_key AND k.academic_year = f.academic_year
        WHERE r.record = 'programme' AND f.institution_id = ?""",
        [source],
    )
    rows = con.execute("SELECT DISTINCT registry_id FROM kept_programme ORDER BY 1").fetchall()
    return [registry_id for (registry_id,) in rows]


def _keep_previous(con: duckdb.DuckDBPyConnection, source: str) -> str | None:
    """Copies the source's rows from the previous warehouse; returns the run id they were published by."""
    for table in SOURCE_TABLES:
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM prev.{table} WHERE institution_id = ?", [source]
        )
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open, and the next register() fails.
    rows = con.execute("SELECT max(run_id) FROM prev.run WHERE source = ? AND published", [source]).fetchall()
    return rows[0][0] if rows else None


def _update_history(
    con: duckdb.DuckDBPyConnection, source: str, run_id: str, now: datetime, has_prev: bool
) -> None:
    """SCD2: close changed or withdrawn versions, open new ones, for a source published in this run."""
    fields = ", ".join(HISTORY_FIELDS)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE new_version AS
        SELECT registry_id, academic_year, institution_id, {fields},
               md5(CAST(to_json(struct_pack({fields})) AS VARCHAR)) AS record_hash
        FROM programme WHERE institution_id = ?""",
        [source],
    )
    if not has_prev:
        con.execute("CREATE OR REPLACE TEMP TABLE old_version AS SELECT * FROM programme_history WHERE false")
    else:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE old_version AS
            SELECT * FROM programme_history WHERE institution_id = ? AND is_current AND change <> 'withdrawn'""",
            [source],
        )
    changed_fields = " , ".join(
        f"CASE WHEN o.{f} IS DISTINCT FROM n.{f} THEN '{f}' END" for f in HISTORY_FIELDS
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE history_change AS
        SELECT n.registry_id, n.academic_year,
               CASE WHEN o.registry_id IS NULL THEN 'added' ELSE 'changed' END AS change,
               CASE WHEN o.registry_id IS NULL THEN NULL
                    ELSE list_filter(["""
        + changed_fields
        + """], lambda x: x IS NOT NULL) END AS changed_fields
        FROM new_version n LEFT JOIN old_version o USING (registry_id, academic_year)
        WHERE o.registry_id IS NULL OR o.record_hash <> n.record_hash
        UNION ALL
        SELECT o.registry_id, o.academic_year, 'withdrawn', NULL
        FROM old_version o ANTI JOIN new_version n USING (registry_id, academic_year)"""
    )
    # Close the versions that stop being current in this run.
    con.execute(
        """
        UPDATE programme_history h SET valid_to_run = ?, valid_to = ?, is_current = false
        FROM history_change c
        WHERE h.registry_id = c.registry_id AND h.academic_year = c.academic_year AND h.is_current""",
        [run_id, now],
    )
    con.execute(
        f"""
        INSERT INTO programme_history BY NAME
        SELECT n.registry_id, n.academic_year, n.institution_id, n.record_hash, {", ".join("n." + f for f in HISTORY_FIELDS)},
               c.change, c.changed_fields, ? AS valid_from_run, ? AS valid_from, true AS is_current
        FROM history_change c JOIN new_version n USING (registry_id, academic_year)""",
        [run_id, now],
    )
    con.execute(
        f"""
        INSERT INTO programme_history BY NAME
        SELECT o.registry_id, o.academic_year, o.institution_id, o.record_hash, {", ".join("o." + f for f in HISTORY_FIELDS)},
               'withdrawn' AS change, ? AS valid_from_run, ? AS valid_from, true AS is_current
        FROM history_change c JOIN old_version o USING (registry_id, academic_year)
        WHERE c.change = 'withdrawn'""",
        [run_id, now],
    )


def publish(
    data_dir: Path,
    run_id: str,
    harvests: dict[str, SourceHarvest],
    *,
    live: bool = False,
    staged_fallback: StagedFallback | None = None,
) -> PublishResult:
    """Builds the new warehouse from this run's harvests (and the previous warehouse) and publishes it.

    Holds the publish lock throughout. ``staged_fallback`` gives a source's last good staged tables; it is
    used only when the published warehouse is damaged, for every source this run does not publish.
    """
    with folder_lock(data_dir, PUBLISH_LOCK):
        return _publish(Path(data_dir), run_id, harvests, live, staged_fallback)


def _recover_source(
    con: duckdb.DuckDBPyConnection, source: str, staged_fallback: StagedFallback | None, now: datetime
) -> tuple[str | None, str]:
    """Loads a source's last good staged tables into a rebuilt warehouse: (their run id or None, what happened)."""
    core, note = staged_fallback(source) if staged_fallback else (None, "no staged data to rebuild from")
    if core is None:
        return None, f"its rows are lost ({note})"
    _load_source(con, core, core.run_id)
    _update_history(con, source, core.run_id, now, has_prev=False)
    return core.run_id, f"rebuilt from its staged data of run {core.run_id}"


def _publish(
    data_dir: Path,
    run_id: str,
    harvests: dict[str, SourceHarvest],
    live: bool,
    staged_fallback: StagedFallback | None,
) -> PublishResult:
    target = warehouse_path(data_dir)
    build_dir = data_dir / "build"
    build_dir.mkdir(parents=True, exist_ok=True)
    build = build_dir / f"registry-{run_id}.duckdb"
    for stale in (build, build.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    now = datetime.now(UTC)
    result = PublishResult(warehouse=target, run_id=run_id)
    damage_note = ""
    if target.exists():
        damage = warehouse_damage(target)
        if damage is not None:
            result.damaged = move_aside(target, data_dir, now)
            damage_note = f"the published warehouse was damaged ({damage}) and moved to {result.damaged}"
    # Bounded: past this DuckDB writes its buffers out (to the build file, or spills beside it) instead of
    # holding a national build in memory. An operator can raise it (MICROCRED_BUILD_MEMORY_LIMIT).
    con = duckdb.connect(str(build), config={"memory_limit": BUILD_MEMORY_LIMIT})
    try:
        con.execute(ddl())
        _reference_tables(con)
        has_prev = target.exists()
        if has_prev:
            con.execute(f"ATTACH {sql_string(target)} AS prev (READ_ONLY)")
            con.execute("INSERT INTO run BY NAME SELECT * FROM prev.run")
            con.execute("INSERT INTO programme_history BY NAME SELECT * FROM prev.programme_history")
        for source in INSTITUTIONS:
            harvest = harvests.get(source)
            if harvest is None:
                if has_prev:
                    _keep_previous(con, source)
                elif result.damaged is not None:
                    recovered_run, what = _recover_source(con, source, staged_fallback, now)
                    con.execute(
                        "INSERT INTO run (run_id, source, ended_at, live, status, published, reason, "
                        "published_run_id) VALUES (?, ?, ?, ?, 'kept', false, ?, ?)",
                        [
                            run_id,
                            source,
                            now,
                            live,
                            f"not harvested in this run; {damage_note}: {what}",
                            recovered_run,
                        ],
                    )
                continue
            status, published, reason, published_run = "harvested", False, harvest.reason, None
            programmes = course_units = None
            if harvest.succeeded and harvest.core is not None:
                programmes = harvest.core.programme.height
                course_units = harvest.core.course_unit.height
                verdict = harvest.verdict or checks.blocking_verdict({})  # no outcome: not published
                passed, check_reason, broken = verdict.passed, verdict.reason, verdict.broken
                if passed:
                    _load_source(con, harvest.core, run_id)
                    kept = _keep_failed_pages(con, source) if has_prev else []
                    _update_history(con, source, run_id, now, has_prev)
                    published, reason, published_run = True, f"published: {check_reason}", run_id
                    if kept:
                        reason += (
                            f"; kept the last good rows of {len(kept)} programme(s) whose pages failed "
                            f"tonight: {', '.join(kept)}"
                        )
                else:
                    status, reason = "blocked", f"not published: {check_reason}"
                    if broken is not None:  # the rule that blocked it, as a flag on the source
                        rule = RULES[broken]
                        _insert_rows(
                            con,
                            "flag",
                            [
                                {
                                    "run_id": run_id,
                                    "rule_id": rule.rule_id,
                                    "severity": rule.severity,
                                    "institution_id": source,
                                    "record_key": source,
                                    "field": "programme_count",
                                    "value": str(programmes),
                                    "message": f"{rule.explanation} {check_reason[0].upper()}{check_reason[1:]}.",
                                }
                            ],
                        )
            else:
                status, reason = "harvest_failed", f"not published: harvest failed ({harvest.reason})"
            if not published:
                if has_prev:
                    published_run = _keep_previous(con, source)
                elif result.damaged is not None:
                    published_run, what = _recover_source(con, source, staged_fallback, now)
                    reason += f"; {damage_note}: {what}"
                result.kept_sources[source] = reason
            else:
                result.published_sources.append(source)
                if result.damaged is not None:
                    reason += f"; {damage_note}"
            polite = harvest.politeness.values()
            con.execute(
                "INSERT INTO run (run_id, source, started_at, ended_at, live, pages_fetched, not_modified, "
                "errors, items, programmes, course_units, status, published, reason, published_run_id, "
                "skipped_by_policy, bytes_received, polite_seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    source,
                    harvest.started_at,
                    harvest.ended_at or now,
                    live,
                    harvest.pages_fetched,
                    harvest.not_modified,
                    harvest.errors,
                    harvest.items,
                    programmes,
                    course_units,
                    status,
                    published,
                    reason,
                    published_run,
                    harvest.skipped_by_policy,
                    sum(int(site.get("bytes", 0)) for site in polite) if polite else None,
                    sum(float(site.get("polite_seconds", 0)) for site in polite) if polite else None,
                ],
            )
        if has_prev:
            con.execute("DETACH prev")
        con.execute((SQL_DIR / "views.sql").read_text())
        document(con)
        con.execute("CHECKPOINT")
    except BaseException:
        # A build that failed half-way is never published and never left lying around.
        con.close()
        for leftover in (build, build.with_suffix(".duckdb.wal")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    if not result.published_any and not has_prev and result.damaged is None:
        # Nothing to publish and nothing published before: no warehouse rather than an empty one.
        build.unlink(missing_ok=True)
        return result
    # Otherwise the new file is published even if every source kept its previous rows: those rows are
    # unchanged, and the run table now says why this run's harvest was not used.
    _atomic_replace(build, target)
    return result


def _atomic_replace(build: Path, target: Path) -> None:
    fsync_file(build)
    os.replace(build, target)
    fsync_dir(target.parent)
