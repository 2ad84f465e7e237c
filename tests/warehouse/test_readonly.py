"""Read-only means read-only: every escape of issue 16, through `microcred sql` and `connect_readonly`.

Each escape is tried for real against the operating system and DuckDB 2.0 (files in /proc and /etc, a second
database file, the published file and its WAL name, extensions, settings), and a control test shows the same
statement succeeds on a plain ``duckdb.connect(path, read_only=True)``, so these tests can fail.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_views import readme_queries
from warehouse.readonly import QueryCancelled, QueryTimeout, connect_readonly

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-db-password-for-the-test"
RUNAWAY = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = 7"


@pytest.fixture
def data_dir(published_registry, tmp_path) -> Path:
    """A private copy of the published warehouse: some of these statements try to destroy it."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(published_registry / "registry.duckdb", folder / "registry.duckdb")
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def microcred_sql(
    data_dir: Path, query: str, *args: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sql", query, *args],
        env={"MICROCRED_DATA_DIR": str(data_dir), "PATH": "", "DB_PASSWORD": SECRET, **(env or {})},
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=120,
    )


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    """Non-zero exit, nothing on stdout, and exactly one line on stderr naming the reason."""
    assert result.returncode != 0, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def assert_whole(data_dir: Path, before: str) -> None:
    warehouse = data_dir / "registry.duckdb"
    assert digest(warehouse) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["registry.duckdb"]  # no WAL or temp file beside it
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM programme").fetchall()[0][0] > 0


# -- the escapes, through `microcred sql` --------------------------------------------------------------------
@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 'x') TO '{warehouse}' (FORMAT csv)",  # the statement
        "COPY (SELECT 'x') TO '{warehouse}' (FORMAT csv, USE_TMP_FILE false)",  # passes external access off
        "COPY (SELECT 'x') TO '{warehouse}.wal' (FORMAT csv)",  # a WAL planted beside the warehouse
        "EXPORT DATABASE '{folder}/export'",
    ],
    ids=["copy-over-warehouse", "copy-over-warehouse-no-tmp-file", "copy-to-wal", "export-database"],
)
def test_no_query_can_write_the_warehouse_or_beside_it(data_dir, statement):
    warehouse = data_dir / "registry.duckdb"
    before = digest(warehouse)
    result = microcred_sql(data_dir, statement.format(warehouse=warehouse, folder=data_dir))
    assert_refused(result, "PermissionException")
    assert_whole(data_dir, before)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_blob('/proc/self/environ')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/root/**')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_csv('/dev/stdin')",
    ],
)
def test_no_query_can_read_other_files(data_dir, statement):
    result = microcred_sql(data_dir, statement)
    assert_refused(result, "PermissionException")
    assert SECRET not in result.stderr and "root:" not in result.stderr


def test_no_query_can_attach_another_database(data_dir, tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    before = digest(other)
    for statement in (
        f"ATTACH '{other}' AS other (READ_WRITE)",
        f"ATTACH '{other}' AS other (READ_ONLY)",
        f"SELECT * FROM '{other}'",
    ):
        assert_refused(microcred_sql(data_dir, statement), "PermissionException")
    assert digest(other) == before


@pytest.mark.parametrize(
    "statement",
    [
        "INSTALL httpfs",
        "LOAD httpfs",
        "FORCE INSTALL httpfs FROM 'http://127.0.0.1:9'",
        "LOAD '/tmp/x.duckdb_extension'",
    ],
)
def test_no_extension_can_be_installed_or_loaded(data_dir, statement):
    assert_refused(microcred_sql(data_dir, statement), "PermissionException")


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET disabled_filesystems = ''",
        "SET lock_configuration = false",
        "SET autoload_known_extensions = true",
        "SET profiling_output = '/tmp/profile.json'",
        "CALL enable_logging(storage = 'file', storage_path = '/tmp/duckdb-logs')",
    ],
)
def test_no_query_can_change_the_configuration(data_dir, statement):
    assert_refused(microcred_sql(data_dir, statement), "the configuration has been locked")


def test_a_runaway_query_stops_at_the_time_limit(data_dir):
    assert_refused(microcred_sql(data_dir, RUNAWAY, "--timeout", "1"), "QueryTimeout", "1 s")
    # the limit also comes from the environment
    assert_refused(microcred_sql(data_dir, RUNAWAY, env={"MICROCRED_QUERY_TIMEOUT": "0.5"}), "0.5 s")


def test_a_bad_time_limit_is_one_line(data_dir):
    assert_refused(microcred_sql(data_dir, "SELECT 1", "--timeout", "0"), "positive")
    assert_refused(microcred_sql(data_dir, "SELECT 1", env={"MICROCRED_QUERY_TIMEOUT": "soon"}), "soon")


@pytest.mark.parametrize(
    "statement",
    ["SELEC 1", "SELECT CAST('x' AS INTEGER)", "SELECT * FROM no_such_table", "SELECT 1; SELECT nope"],
)
def test_runtime_errors_are_one_line(data_dir, statement):
    assert_refused(microcred_sql(data_dir, statement), "Exception")


def test_reading_still_works_and_can_use_temporary_tables(data_dir):
    result = microcred_sql(
        data_dir,
        "CREATE TEMP TABLE mine AS SELECT institution_id FROM programme_current; "
        "SELECT count(*) AS n FROM mine",
    )
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(data_dir / "registry.duckdb"), read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM programme_current").fetchone()[0]
    assert f" {expected} " in result.stdout


# -- controls: the same statements do escape a plain read-only connection -----------------------------------
def test_control_a_plain_read_only_connection_lets_these_through(data_dir):
    warehouse = data_dir / "registry.duckdb"
    with duckdb.connect(str(warehouse), read_only=True, config={"enable_external_access": False}) as con:
        con.execute(f"COPY (SELECT 'x') TO '{warehouse}.wal' (FORMAT csv)")
        con.execute(f"COPY (SELECT 'x') TO '{warehouse}' (FORMAT csv, USE_TMP_FILE false)")
    assert (data_dir / "registry.duckdb.wal").exists()
    assert warehouse.stat().st_size < 100  # the published warehouse is gone
    with duckdb.connect(":memory:") as con:
        assert con.execute("SELECT count(*) FROM read_csv('/etc/passwd', header=false)").fetchall()[0][0] > 0


# -- the Python path -----------------------------------------------------------------------------------------
def test_connect_readonly_runs_every_readme_query(published_registry):
    with connect_readonly(published_registry / "registry.duckdb") as con:
        for query in readme_queries():
            con.sql(query).fetchall()
        assert con.sql("SELECT count(*) FROM programme").fetchall()[0][0] > 0


def test_connect_readonly_refuses_the_escapes(data_dir):
    warehouse = data_dir / "registry.duckdb"
    before = digest(warehouse)
    with connect_readonly(warehouse) as con:
        for statement in (
            f"COPY (SELECT 'x') TO '{warehouse}' (FORMAT csv, USE_TMP_FILE false)",
            "SELECT * FROM read_csv('/etc/passwd')",
            "LOAD httpfs",
        ):
            with pytest.raises(duckdb.PermissionException):
                con.sql(statement)
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.sql("SET enable_external_access = true")
    assert_whole(data_dir, before)


def test_the_time_limit_interrupts_and_leaves_the_connection_usable(published_registry):
    with connect_readonly(published_registry / "registry.duckdb", timeout=0.5) as con:
        with pytest.raises(QueryTimeout):
            con.sql(RUNAWAY)
        assert con.sql("SELECT 42").fetchall() == [(42,)]
        # a query returning rows is run to its end inside the limit too, not later when they are fetched
        with pytest.raises(QueryTimeout):
            con.sql(RUNAWAY.replace("count(*)", "a.range"))


def test_cancel_stops_the_running_query_and_every_later_one(published_registry):
    with connect_readonly(published_registry / "registry.duckdb", timeout=600) as con:
        started = threading.Timer(0.5, con.cancel)
        started.start()
        with pytest.raises(QueryCancelled):
            con.sql(RUNAWAY)
        with pytest.raises(QueryCancelled):
            con.sql("SELECT 1")


def test_a_quote_in_the_path_is_not_sql(published_registry, tmp_path):
    folder = tmp_path / "it's here"
    folder.mkdir()
    shutil.copyfile(published_registry / "registry.duckdb", folder / "registry.duckdb")
    with connect_readonly(folder / "registry.duckdb") as con:
        assert con.sql("SELECT count(*) FROM institution").fetchall() == [(3,)]


def test_no_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        connect_readonly(tmp_path / "registry.duckdb")
