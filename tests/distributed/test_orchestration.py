"""One orchestrator: what the CLI and the schedule hand to Dagster, and what happens without a live worker."""

from __future__ import annotations

import io
import shutil
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
import yaml

from pipelines.defs.partitions import (
    LAUNCHER_TAG,
    REFRESH_LAUNCHER,
    REFRESH_TAG,
    SCHEDULE_LAUNCHER,
    SOURCE_TAG,
)
from pipelines.defs.resources import RegistryStore
from pipelines.defs.schedules import nightly_refresh, publish_when_harvests_finished
from pipelines.defs.warehouse import collect_harvests
from registry.institutions import HARVESTED_SOURCES
from tests.conftest import temporary_dagster_home
from tests.distributed.services import REPO, Redis, free_port, missing_packages

CELERY = {
    "execution": {"config": {"celery": {"broker": {"env": "MICROCRED_CELERY_BROKER"}}}},
}


@pytest.mark.skipif(bool(missing_packages()), reason="redis-server not installed (`make services`)")
def test_the_nightly_schedule_launches_with_the_deployments_executor_and_purges_stale_tasks(
    tmp_path, monkeypatch
):
    import redis as redis_client

    (tmp_path / "run_config.yaml").write_text(yaml.safe_dump(CELERY))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    broker = Redis(tmp_path / "redis").start()
    try:
        monkeypatch.setenv("MICROCRED_CELERY_BROKER", broker.url(0))
        client = redis_client.Redis.from_url(broker.url(0))
        client.lpush("dagster", b"a task a killed night left behind")
        when = datetime(2026, 11, 24, 2, 0, tzinfo=ZoneInfo("Europe/Brussels"))
        with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:  # $DAGSTER_HOME stays tmp_path
            with dg.build_schedule_context(instance=instance, scheduled_execution_time=when) as context:
                requests = list(nightly_refresh(context))
        assert client.llen("dagster") == 0
    finally:
        broker.stop()
    assert {r.tags[SOURCE_TAG] for r in requests} == set(HARVESTED_SOURCES)
    assert all(r.tags[LAUNCHER_TAG] == SCHEDULE_LAUNCHER for r in requests)
    assert all(r.run_config == CELERY for r in requests)


def _run(instance, job, status, tags) -> None:
    instance.add_run(dg.DagsterRun(job_name=job, run_id=str(uuid.uuid4()), status=status, tags=tags))


def test_the_publish_sensor_leaves_the_command_lines_nights_to_the_command_line():
    with dg.instance_for_test() as instance:
        for night, launched_by in (("cli-night", REFRESH_LAUNCHER), ("scheduled-night", SCHEDULE_LAUNCHER)):
            for source in HARVESTED_SOURCES:
                _run(
                    instance,
                    "harvest_source",
                    dg.DagsterRunStatus.SUCCESS,
                    {REFRESH_TAG: night, "dagster/partition": source, LAUNCHER_TAG: launched_by},
                )
        context = dg.build_sensor_context(instance=instance)
        requests = list(publish_when_harvests_finished(context))
    assert [r.tags[REFRESH_TAG] for r in requests] == ["scheduled-night"]


def test_a_harvest_run_that_ended_without_an_outcome_is_a_failed_harvest_with_its_reason(tmp_path):
    store = RegistryStore(data_dir=str(tmp_path))
    lost = dg.DagsterRun(
        job_name="harvest_source", run_id="lost-run", status=dg.DagsterRunStatus.CANCELED, tags={}
    )
    harvests = collect_harvests(store, "night-1", {"ugent": lost})
    assert set(harvests) == {"ugent"}  # sources without a run in this night are not attempted
    assert not harvests["ugent"].succeeded
    assert "lost-run" in harvests["ugent"].reason and "CANCELED" in harvests["ugent"].reason


@pytest.mark.skipif(bool(missing_packages()), reason="redis-server not installed (`make services`)")
def test_a_refresh_with_no_live_worker_stops_at_once_and_says_why(tmp_path, monkeypatch):
    """A Celery run with no worker would wait forever: the command line checks first and creates no run."""
    from pipelines.cli import refresh

    redis = Redis(tmp_path / "redis").start()
    try:
        monkeypatch.setenv("MICROCRED_CELERY_BROKER", redis.url(0))
        out = io.StringIO()
        with temporary_dagster_home(tmp_path) as home:
            (home / "run_config.yaml").write_text(yaml.safe_dump(CELERY))
            code = refresh(None, live=False, data_dir=tmp_path / "data", out=out)
            with dg.DagsterInstance.get() as instance:
                assert instance.get_runs() == []
    finally:
        redis.stop()
    assert code == 1
    assert "no Celery worker answered" in out.getvalue()


def test_a_refresh_with_an_unreachable_broker_says_so(tmp_path, monkeypatch):
    from pipelines.cli import refresh

    monkeypatch.setenv("MICROCRED_CELERY_BROKER", f"redis://127.0.0.1:{free_port()}/0")
    out = io.StringIO()
    with temporary_dagster_home(tmp_path) as home:
        (home / "run_config.yaml").write_text(yaml.safe_dump(CELERY))
        code = refresh(None, live=False, data_dir=tmp_path / "data", out=out)
    assert code == 1
    assert "unreachable" in out.getvalue() or "no Celery worker answered" in out.getvalue()


def test_the_embedded_instance_names_the_fork_server_launcher(tmp_path):
    from dagster._core.instance.config import dagster_instance_config

    shutil.copy(REPO / "dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_launcher"]["class"] == "ForkServerRunLauncher"
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        from pipelines.defs.launcher import ForkServerRunLauncher

        assert isinstance(instance.run_launcher, ForkServerRunLauncher)
