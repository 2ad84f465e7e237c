"""Issue 16, operations: one refresh at a time, recovery from damaged files, clean-up after a kill, a quote
in the data folder's path.

The refreshes here crawl the bundled snapshot on 127.0.0.1. The damaged files are made by the tests
(truncation, garbage); what counts as a complete warehouse (three institutions, their programme counts) is
read from a refresh of the same snapshot, not hard-coded.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from pipelines.cli import EXIT_BUSY, refresh
from tests.conftest import REPO, temporary_dagster_home
from warehouse.lock import REFRESH_LOCK, LockBusy, folder_lock, lock_path

pytestmark = pytest.mark.slow

SOURCES = ("rug", "uantwerpen", "ugent")


def query(data_dir: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(data_dir / "registry.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def programme_counts(data_dir: Path) -> dict[str, int]:
    return dict(query(data_dir, "SELECT institution_id, count(*) FROM programme GROUP BY 1"))


def duplicate_open_history(data_dir: Path) -> int:
    [(duplicates,)] = query(
        data_dir,
        "SELECT count(*) FROM (SELECT registry_id, academic_year FROM programme_history WHERE is_current "
        "GROUP BY ALL HAVING count(*) > 1)",
    )
    return duplicates


def refresh_command(data_dir: Path, snapshot_url: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipelines.cli",
        "refresh",
        "--data-dir",
        str(data_dir),
        "--snapshot-url",
        snapshot_url,
        *extra,
    ]


def child_env(dagster_home: Path) -> dict[str, str]:
    return {**os.environ, "DAGSTER_HOME": str(dagster_home), "PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def quoted(tmp_path_factory, snapshot_server):
    """One full refresh into a data folder named ``it's data`` (a quote in the path)."""
    root = tmp_path_factory.mktemp("hardening")
    data = root / "it's data"
    out = io.StringIO()
    with temporary_dagster_home(root):
        code = refresh(None, False, data, out=out, snapshot_url=snapshot_server.base_url)
    return root, data, code, out.getvalue()


def copy_folder(quoted, tmp_path: Path) -> Path:
    """A private copy of the published data folder (the quote kept in its name)."""
    _, data, code, output = quoted
    assert code == 0, output
    copy = tmp_path / "it's data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("locks"))
    return copy


# -- a quote in the path ----------------------------------------------------------------------------------
def test_a_quote_in_the_data_folder_path_works(quoted):
    _, data, code, output = quoted
    assert "'" in data.name
    assert code == 0, output
    assert set(programme_counts(data)) == set(SOURCES)
    runs = query(data, "SELECT source, published FROM run ORDER BY source")
    assert runs == [(source, True) for source in SOURCES]


# -- one refresh at a time --------------------------------------------------------------------------------
def test_a_second_refresh_with_no_wait_exits_at_once_naming_the_first(tmp_path, snapshot_server):
    data = tmp_path / "data"
    with folder_lock(data, REFRESH_LOCK, note="pid 4242 at 2026-01-01 02:00:00 UTC (run night-1)"):
        started = time.monotonic()
        second = subprocess.run(
            refresh_command(data, snapshot_server.base_url, "--no-wait"),
            capture_output=True,
            text=True,
            env=child_env(tmp_path / "dagster_home"),
            timeout=120,
        )
    assert second.returncode == EXIT_BUSY, second.stdout + second.stderr
    assert "started by pid 4242 at 2026-01-01 02:00:00 UTC (run night-1)" in second.stdout
    assert not (data / "raw").exists() and not (data / "registry.duckdb").exists()
    assert time.monotonic() - started < 60  # it did not wait for the lock (a generous bound, not a timing)


def test_the_lock_of_a_killed_holder_is_free_at_once(tmp_path):
    data = tmp_path / "data"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from warehouse.lock import folder_lock\n"
            "with folder_lock(Path(sys.argv[1]), 'refresh.lock', note='pid x'):\n"
            "    print('held', flush=True); time.sleep(600)",
            str(data),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy, match="pid x"), folder_lock(data, REFRESH_LOCK, wait=False):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with folder_lock(data, REFRESH_LOCK, wait=False):
        assert lock_path(data, REFRESH_LOCK).exists()


@pytest.fixture(scope="module")
def two_at_once(tmp_path_factory, snapshot_server):
    """Two full refreshes started together on one fresh data folder."""
    root = tmp_path_factory.mktemp("together")
    data = root / "data"
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        (REPO / "dagster_home" / "dagster.yaml").read_text()
    )  # the embedded instance
    processes = [
        subprocess.Popen(
            refresh_command(data, snapshot_server.base_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=child_env(home),
        )
        for _ in range(2)
    ]
    outputs = [(p.pid, *p.communicate(timeout=300), p.returncode) for p in processes]
    return data, [(pid, out, code) for pid, out, _, code in outputs]


def run_id_of(output: str) -> str:
    first = next(line for line in output.splitlines() if line.startswith("microcred refresh "))
    return first.split()[2].rstrip(":")


def test_two_refreshes_at_once_run_one_after_the_other(two_at_once):
    data, outputs = two_at_once
    assert [code for _, _, code in outputs] == [0, 0], outputs
    waited = [(pid, out) for pid, out, _ in outputs if "waiting for the refresh started by pid" in out]
    assert len(waited) == 1, outputs
    first_pid = next(pid for pid, _, _ in outputs if pid != waited[0][0])
    assert f"waiting for the refresh started by pid {first_pid} at " in waited[0][1]


def test_two_refreshes_at_once_both_leave_correct_run_rows(two_at_once):
    data, outputs = two_at_once
    run_ids = sorted(run_id_of(out) for _, out, _ in outputs)
    rows = query(data, "SELECT run_id, source, status, published, reason FROM run ORDER BY run_id, source")
    assert [(run_id, source) for run_id, source, *_ in rows] == [(r, s) for r in run_ids for s in SOURCES]
    for run_id, source, status, published, reason in rows:
        assert (status, published) == ("harvested", True), (run_id, source, reason)
        assert "not normalised" not in reason
    assert duplicate_open_history(data) == 0
    # Each source's staging pointer names a folder one of the two runs staged.
    for source in SOURCES:
        assert (data / "staging" / source / "CURRENT").read_text().strip() in run_ids


# -- recovery ---------------------------------------------------------------------------------------------
def test_a_damaged_warehouse_is_moved_aside_and_rebuilt_from_staged_data(quoted, tmp_path, snapshot_server):
    root, original, _, _ = quoted
    data = copy_folder(quoted, tmp_path)
    before = programme_counts(data)
    garbage = b"this is not a DuckDB file\n" * 100
    (data / "registry.duckdb").write_bytes(garbage)
    out = io.StringIO()
    with temporary_dagster_home(tmp_path):
        code = refresh(["ugent"], False, data, out=out, snapshot_url=snapshot_server.base_url)
    output = out.getvalue()
    assert code == 0, output
    [moved] = (data / "damaged").glob("registry-*.duckdb")
    assert moved.read_bytes() == garbage  # kept, for inspection
    assert str(moved) in output
    assert "Traceback" not in output
    # Every institution is back: ugent from tonight, the others from their last staged harvest.
    assert programme_counts(data) == before
    by_source = {
        source: (status, published_run, reason)
        for source, status, published_run, reason in query(
            data,
            "SELECT source, status, published_run_id, reason FROM run "
            "WHERE run_id = (SELECT max(run_id) FROM run)",
        )
    }
    assert set(by_source) == set(SOURCES)
    for source, (_, _, reason) in by_source.items():
        assert str(moved) in reason, (source, reason)
    for source in ("rug", "uantwerpen"):
        status, published_run, reason = by_source[source]
        staged = (data / "staging" / source / "CURRENT").read_text().strip()
        assert (status, published_run) == ("kept", staged), reason
    assert duplicate_open_history(data) == 0


def test_a_damaged_staged_file_keeps_that_sources_published_rows(quoted, tmp_path):
    """A second run made from the first run's landed and staged files (copied under a new run id), with one
    source's staged Parquet truncated: that source keeps its published rows, the others publish."""
    from pipelines.defs.resources import RegistryStore
    from pipelines.defs.warehouse import collect_harvests, last_good_staged
    from quality.checks import Verdict
    from warehouse.publish import publish

    data = copy_folder(quoted, tmp_path)
    before = programme_counts(data)
    store = RegistryStore(data_dir=str(data))
    [(first_run,)] = query(data, "SELECT DISTINCT run_id FROM run")
    second_run = "29990101T000000Z-second"
    for source in SOURCES:
        landing = store.landing_dir(second_run, source)
        landing.mkdir(parents=True)
        outcome = json.loads((store.landing_dir(first_run, source) / "outcome.json").read_text())
        (landing / "outcome.json").write_text(json.dumps({**outcome, "run_id": second_run}))
        shutil.copytree(store.staging_dir(source, first_run), store.staging_dir(source, second_run))
    damaged = store.staging_dir("uantwerpen", second_run) / "programme.parquet"
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])

    # The copied harvests are the ones already published: the blocking checks accept them.
    accepted = {source: Verdict(True, "same harvest as the published one") for source in SOURCES}
    harvests = collect_harvests(store, second_run, verdicts=accepted)
    assert not harvests["uantwerpen"].succeeded
    assert str(damaged) in harvests["uantwerpen"].reason and "uantwerpen" in harvests["uantwerpen"].reason
    result = publish(
        data, second_run, harvests, staged_fallback=lambda source: last_good_staged(store, source)
    )
    assert sorted(result.published_sources) == ["rug", "ugent"]
    assert programme_counts(data) == before
    rows = {
        source: (published, published_run, reason)
        for source, published, published_run, reason in query(
            data, "SELECT source, published, published_run_id, reason FROM run WHERE run_id = ?", [second_run]
        )
    }
    published, published_run, reason = rows["uantwerpen"]
    assert (published, published_run) == (False, first_run)
    assert str(damaged) in reason and "\n" not in reason
    assert rows["ugent"][:2] == (True, second_run) and rows["rug"][:2] == (True, second_run)
    [(uantwerpen_run,)] = query(
        data, "SELECT DISTINCT run_id FROM programme WHERE institution_id = 'uantwerpen'"
    )
    assert uantwerpen_run == first_run


def test_a_staged_file_changed_in_place_is_refused_naming_file_and_source(quoted, tmp_path):
    from pipelines.defs.resources import RegistryStore, StagedDataError

    data = copy_folder(quoted, tmp_path)
    store = RegistryStore(data_dir=str(data))
    run = store.staged_run("rug")
    # Intact, it reads: one staged programme per raw record (the warehouse keeps one per duplicate id).
    [(raw_records,)] = query(data, "SELECT count(*) FROM raw_programme WHERE institution_id = 'rug'")
    assert store.read_staged("rug", run).programme.height == raw_records
    staged = store.staging_dir("rug", run) / "raw_programme.jsonl"
    text = staged.read_bytes()
    staged.write_bytes(text.replace(b'"', b"'", 1))  # same size, one byte different
    with pytest.raises(StagedDataError, match=r"^rug: staged file .*raw_programme\.jsonl is damaged"):
        store.read_staged("rug", run)


# -- a failed publish -------------------------------------------------------------------------------------
def test_after_a_failed_publish_the_summary_says_nothing_was_published(quoted):
    from warehouse.summary import print_summary

    _, data, _, _ = quoted
    [(published_run,)] = query(data, "SELECT DISTINCT run_id FROM run")
    out = io.StringIO()
    print_summary(data / "registry.duckdb", "29990101T000000Z-failed", out=out)
    text = out.getvalue()
    assert "Run 29990101T000000Z-failed: NOTHING WAS PUBLISHED" in text
    assert f"from the warehouse published earlier, by run {published_run}" in text
    assert f"in the warehouse of run {published_run}" in text


# -- clean-up after a kill --------------------------------------------------------------------------------
def test_after_a_kill_children_end_and_the_next_refresh_cleans_up(quoted, tmp_path, snapshot_server):
    data = copy_folder(quoted, tmp_path)
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        (REPO / "dagster_home" / "dagster.yaml").read_text()
    )  # the embedded instance
    killed = subprocess.Popen(
        refresh_command(data, snapshot_server.base_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=child_env(home),
    )
    run_id = run_id_of(killed.stdout.readline())
    # Kill the main process once a harvest run is under way in the pool's workers.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(store_outcome_started(data, run_id, source) for source in SOURCES):
            break
        time.sleep(0.2)
    children = psutil.Process(killed.pid).children(recursive=True)
    python_children = [
        c for c in children if "python" in c.name().lower() and "scrapers.crawl" not in " ".join(c.cmdline())
    ]
    assert python_children, "the refresh had no fork server or workers to test"
    pointers = {source: data / "staging" / source / "CURRENT" for source in SOURCES}
    at_kill = {source: pointer.read_text() for source, pointer in pointers.items()}
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    gone, alive = psutil.wait_procs(python_children, timeout=30)
    assert alive == [], [c.cmdline() for c in alive]
    time.sleep(3)  # a worker that survived would stage and re-point CURRENT about now
    assert {source: pointer.read_text() for source, pointer in pointers.items()} == at_kill
    # A half-built file from the kill, as a killed publish leaves it.
    (data / "build").mkdir(exist_ok=True)
    (data / "build" / f"registry-{run_id}.duckdb").write_bytes(b"half")
    (data / "build" / f"registry-{run_id}.duckdb.wal").write_bytes(b"wal")

    with temporary_dagster_home(tmp_path):
        import dagster as dg

        from pipelines.defs.partitions import DATA_DIR_TAG

        instance = dg.DagsterInstance.get()
        left_started = instance.get_runs(
            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED], tags={DATA_DIR_TAG: str(data)})
        )
        out = io.StringIO()
        code = refresh(["rug"], False, data, out=out, snapshot_url=snapshot_server.base_url)
        still_started = instance.get_runs(
            filters=dg.RunsFilter(
                statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
                tags={DATA_DIR_TAG: str(data)},
            )
        )
        failed = instance.get_runs(
            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE], tags={DATA_DIR_TAG: str(data)})
        )
    output = out.getvalue()
    assert code == 0, output
    assert list((data / "build").iterdir()) == []
    assert f"removed registry-{run_id}.duckdb left in build/" in output
    assert left_started, "the kill left no STARTED run to clean up"
    assert still_started == []
    assert {r.run_id for r in left_started} <= {r.run_id for r in failed}
    assert f"marked {len(left_started)} Dagster run(s)" in output
    assert set(programme_counts(data)) == set(SOURCES)


def store_outcome_started(data: Path, run_id: str, source: str) -> bool:
    """True once the source's harvest run has created its landing folder (its crawl has begun)."""
    return (data / "raw" / run_id / source).exists()
