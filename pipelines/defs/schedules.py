"""The nightly refresh: a schedule that harvests every source partition at 02:00 Brussels time, and a
sensor that publishes the warehouse once every source's run of that night has finished.

A night is identified by the ``microcred/refresh_id`` tag shared by its runs. A source whose run failed
(after Dagster's run retries) does not hold the others back: the warehouse step keeps its last good rows
and the ``run`` table records why.
"""

from collections.abc import Iterable

import dagster as dg

from pipelines.defs.core import core_registry
from pipelines.defs.execution import engine, instance_run_config, purge_stale_tasks, registry_executor
from pipelines.defs.partitions import (
    LAUNCHER_TAG,
    REFRESH_LAUNCHER,
    REFRESH_TAG,
    SCHEDULE_LAUNCHER,
    SOURCE_TAG,
    source_partitions,
)
from pipelines.defs.raw import raw_registry__harvest
from pipelines.defs.warehouse import out_registry__warehouse
from registry.institutions import HARVESTED_SOURCES

harvest_job = dg.define_asset_job(
    "harvest_source",
    selection=dg.AssetSelection.assets(raw_registry__harvest, core_registry),
    partitions_def=source_partitions,
    description="Harvest and normalise one institution (one partition).",
    executor_def=registry_executor,
)
publish_job = dg.define_asset_job(
    "publish_warehouse",
    selection=dg.AssetSelection.assets(out_registry__warehouse),
    description="Build and atomically publish the warehouse from the night's staged harvests.",
    executor_def=registry_executor,
    # The run queue lets one run with this tag go at a time (dagster_home/dagster.yaml, deploy/dagster.yaml),
    # beside the data folder's publish lock, for shared storage without working locks.
    tags={"microcred/publish": "warehouse"},
)

_FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


@dg.schedule(
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Brussels",
    job=harvest_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Nightly refresh at 02:00 Europe/Brussels: one run per institution, in parallel.",
)
def nightly_refresh(context: dg.ScheduleEvaluationContext):
    refresh_id = context.scheduled_execution_time.strftime("%Y%m%dT%H%M%S%z") + "-nightly"
    run_config = instance_run_config()  # the executor this deployment names ($DAGSTER_HOME/run_config.yaml)
    if engine(run_config) == "celery":
        # Tasks a killed night left in the broker must not run tonight on a fresh worker.
        try:
            dropped = purge_stale_tasks(context.instance, run_config)
            context.log.info(
                f"purged {dropped} stale Celery task(s)"
                if dropped is not None
                else "night in progress: no purge"
            )
        except Exception as error:  # the runs' own worker check reports a broker that is down
            context.log.warning(f"could not purge the Celery broker: {error}")
    for source in HARVESTED_SOURCES:
        yield dg.RunRequest(
            run_key=f"{refresh_id}:{source}",
            partition_key=source,
            run_config=run_config,
            tags={REFRESH_TAG: refresh_id, SOURCE_TAG: source, LAUNCHER_TAG: SCHEDULE_LAUNCHER},
        )


def nights_ready_to_publish(
    runs: Iterable[tuple[str, str, dg.DagsterRunStatus, bool]], sources: Iterable[str] = HARVESTED_SOURCES
) -> list[str]:
    """Refresh ids whose every source has a finished run that will not be retried.

    ``runs`` holds ``(refresh_id, source, status, will_retry)`` for harvest runs; a retried source counts
    as finished once one of its runs is finished and not about to be retried.
    """
    done: dict[str, set[str]] = {}
    for refresh_id, source, status, will_retry in runs:
        if status in _FINISHED and not will_retry:
            done.setdefault(refresh_id, set()).add(source)
    wanted = set(sources)
    return sorted(refresh_id for refresh_id, finished in done.items() if wanted <= finished)


@dg.sensor(
    job=publish_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Publishes the warehouse when every source's harvest of a night has finished.",
)
def publish_when_harvests_finished(context: dg.SensorEvaluationContext):
    runs = context.instance.get_runs(filters=dg.RunsFilter(job_name=harvest_job.name), limit=200)
    observed = [
        (
            run.tags[REFRESH_TAG],
            run.tags.get("dagster/partition", ""),
            run.status,
            run.tags.get("dagster/will_retry") == "true",
        )
        for run in runs
        # `microcred refresh` publishes its own nights as soon as their harvests end.
        if REFRESH_TAG in run.tags and run.tags.get(LAUNCHER_TAG) != REFRESH_LAUNCHER
    ]
    for refresh_id in nights_ready_to_publish(observed):
        # run_key makes this idempotent: each night is published once, however often the sensor ticks.
        yield dg.RunRequest(
            run_key=f"publish:{refresh_id}",
            run_config=instance_run_config(),
            tags={REFRESH_TAG: refresh_id, LAUNCHER_TAG: SCHEDULE_LAUNCHER},
        )
