"""`microcred refresh` on the production configuration: PostgreSQL storage, the queued coordinator and
two Celery workers; the warehouse equals the embedded run's, and a worker killed mid-harvest loses nothing.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import duckdb
import psutil
import pytest
import redis

from tests.distributed.conftest import BUCKET

pytestmark = pytest.mark.slow

# Columns that differ between any two refreshes by construction: run ids and wall-clock times. Everything
# else must be equal, row for row. Raw records keep both inside their JSON (`fetched_at`, `run_id`), and
# `listing_url`: the first listing page the crawl reached a programme from, which depends on the order of
# concurrent responses (two embedded runs differ there too; no normalised table carries it).
VOLATILE = {
    "programme": ["run_id", "fetched_at", "last_verified_at"],
    "course_unit": ["run_id", "fetched_at", "last_verified_at"],
    "programme_course": ["run_id"],
    "harvest_issue": ["run_id", "fetched_at"],
    "flag": ["run_id"],
    "raw_programme": ["run_id"],
    "raw_programme_course": ["run_id"],
    "raw_course_unit": ["run_id"],
    "run": ["run_id", "started_at", "ended_at", "published_run_id"],
    "programme_history": ["valid_from_run", "valid_from", "valid_to_run", "valid_to"],
}


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1",
        [catalog],
    ).fetchall()
    return [name for (name,) in rows]


def table_differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: (rows in left, rows only in left, rows only in right), the volatile columns left out."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
    con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
    assert _tables(con, "l") == _tables(con, "r")
    result = {}
    for table in _tables(con, "l"):
        excluded = VOLATILE.get(table, [])
        exclude = f" EXCLUDE ({', '.join(excluded)})" if excluded else ""
        record = (
            ', json_merge_patch(record, \'{"fetched_at": null, "last_verified_at": null, "run_id": null, "listing_url": null}\') AS record'
            if table.startswith("raw_")
            else ""
        )
        exclude = f" EXCLUDE ({', '.join([*excluded, 'record'])})" if record else exclude

        def side(catalog: str, table=table, exclude=exclude, record=record) -> str:
            return f"SELECT *{exclude}{record} FROM {catalog}.{table}"

        [(rows,)] = con.execute(f"SELECT count(*) FROM l.{table}").fetchall()
        [(only_left,)] = con.execute(f"SELECT count(*) FROM ({side('l')} EXCEPT ALL {side('r')})").fetchall()
        [(only_right,)] = con.execute(f"SELECT count(*) FROM ({side('r')} EXCEPT ALL {side('l')})").fetchall()
        result[table] = (rows, only_left, only_right)
    con.close()
    return result


@pytest.fixture(scope="module")
def distributed_night(cluster):
    """One full refresh of the bundled snapshot through the cluster into S3, timed."""
    data_url = f"{BUCKET}/night"
    started = time.monotonic()
    process = cluster.refresh(data_url)
    output, _ = process.communicate(timeout=400)
    elapsed = time.monotonic() - started
    print(f"\ndistributed bundled refresh: {elapsed:.1f} s")
    return data_url, process.returncode, output, elapsed


def _use_cluster_env(cluster, monkeypatch) -> None:
    for key, value in cluster.env.items():
        if key.startswith(("MICROCRED_", "DAGSTER_HOME")):
            monkeypatch.setenv(key, value)


def test_a_refresh_runs_its_steps_on_the_celery_workers(cluster, distributed_night, monkeypatch):
    import dagster as dg

    _, code, output, _ = distributed_night
    assert code == 0, output
    assert "PUBLISHED" in output
    _use_cluster_env(cluster, monkeypatch)
    with dg.DagsterInstance.from_config(str(cluster.home)) as instance:
        runs = [r.dagster_run for r in instance.get_run_records()]
        assert sorted(run.job_name for run in runs) == [
            "harvest_source",
            "harvest_source",
            "harvest_source",
            "publish_warehouse",
        ]
        assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
        # The steps ran in the workers, and both workers took part (dagster-celery records the worker).
        hosts = set()
        for run in runs:
            for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
                if "Executing steps" in entry.message:
                    hosts.add(entry.dagster_event.engine_event_data.metadata["Celery worker"].value)
        assert {host.split("@")[0] for host in hosts} == {"worker1", "worker2"}


def test_the_distributed_warehouse_equals_the_embedded_one(cluster, distributed_night, published_registry):
    data_url, code, output, _ = distributed_night
    assert code == 0, output
    differences = table_differences(published_registry / "registry.duckdb", cluster.published(data_url))
    assert differences["programme"][0] > 200  # the comparison compared something
    assert {table: d for table, d in differences.items() if d[1] or d[2]} == {}


def _crawling_worker(cluster, timeout: float = 120) -> tuple[str, str]:
    """A worker in the middle of a harvest: one whose process tree runs a spider (``scrapers.crawl``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, worker in cluster.workers.items():
            try:
                children = psutil.Process(worker.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            for child in children:
                try:
                    command = child.cmdline()
                except psutil.Error:
                    continue
                if "scrapers.crawl" in command:
                    return name, command[command.index("scrapers.crawl") + 1]
        time.sleep(0.1)
    raise AssertionError("no worker started a crawl")


def test_a_worker_killed_mid_harvest_loses_nothing_and_leaves_no_task_behind(
    cluster, distributed_night, monkeypatch
):
    import dagster as dg

    from pipelines.defs.execution import purge_stale_tasks

    data_url, code, output, _ = distributed_night
    assert code == 0, output
    with duckdb.connect(str(cluster.published(data_url, "before.duckdb")), read_only=True) as con:
        before = dict(con.execute("SELECT institution_id, count(*) FROM programme GROUP BY 1").fetchall())

    process = cluster.refresh(data_url)
    victim, source = _crawling_worker(cluster)
    os.killpg(cluster.workers[victim].pid, signal.SIGKILL)  # the machine is gone: worker, children, crawl
    cluster.workers[victim].wait()
    output, _ = process.communicate(timeout=400)
    print(f"\nkilled {victim} while it harvested {source}:\n{output}")

    with duckdb.connect(str(cluster.published(data_url, "after.duckdb")), read_only=True) as con:
        run_id = con.execute("SELECT max(run_id) FROM run").fetchall()[0][0]
        rows = {
            s: (status, published, reason)
            for s, status, published, reason in con.execute(
                "SELECT source, status, published, reason FROM run WHERE run_id = ?", [run_id]
            ).fetchall()
        }
        after = dict(con.execute("SELECT institution_id, count(*) FROM programme GROUP BY 1").fetchall())
    assert process.returncode == 0, output  # the other sources were published
    assert after == before  # nothing lost: every source has its programmes (tonight's or the last good)
    assert all(rows[s][1] for s in set(rows) - {source}), rows
    # The killed source keeps its last good rows, and the run table says why.
    status, published, reason = rows[source]
    assert (status, published) == ("harvest_failed", False)
    assert "ended CANCELED" in reason and "worker lost" in reason

    # No task of the killed night may run later: what the next night does first is purge the broker.
    _use_cluster_env(cluster, monkeypatch)
    with dg.DagsterInstance.from_config(str(cluster.home)) as instance:
        from pipelines.defs.execution import instance_run_config

        broker = redis.Redis.from_url(cluster.env["MICROCRED_CELERY_BROKER"])
        left = (broker.llen("dagster"), broker.hlen("unacked"))
        dropped = purge_stale_tasks(instance, instance_run_config(str(cluster.home)))
        print(f"broker after the night: {left[0]} waiting, {left[1]} unacknowledged; purge dropped {dropped}")
        assert dropped is not None  # no run of the killed night is still in progress
        assert broker.llen("dagster") == 0 and broker.hlen("unacked") == 0
        # A worker started now (the lost machine coming back) finds nothing to run from that night.
        cluster.start_worker("worker3")
        cluster.wait_for_workers(2)
        night_runs = list(instance.get_run_records(dg.RunsFilter(tags={"microcred/refresh_id": run_id})))
        [lost] = [r.dagster_run for r in night_runs if r.dagster_run.status == dg.DagsterRunStatus.CANCELED]
        assert lost.tags["dagster/partition"] == source
        messages = [e.message for e in instance.all_logs(lost.run_id)]
        assert any(f"Celery worker {victim}@" in m and "stopped answering" in m for m in messages)
        time.sleep(5)
        for record in night_runs:
            ended = record.end_time
            assert ended is not None
            late = [
                e
                for e in instance.all_logs(record.dagster_run.run_id)
                if e.timestamp > ended and e.dagster_event is not None and e.dagster_event.is_step_event
            ]
            assert late == [], record.dagster_run.run_id
