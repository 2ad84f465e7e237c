"""Launching one night's runs of the registry's jobs through the Dagster instance (``microcred refresh``).

The command line orchestrates nothing itself: it creates runs of the same jobs the nightly schedule runs
(``harvest_source`` once per institution, then ``publish_warehouse``) and hands them to the instance. With a
live ``dagster-daemon`` and a queued run coordinator the runs are *submitted* (the queue applies the
per-site tag limits); otherwise they are *launched* straight away by the instance's run launcher. Either way
the run launcher and the executor are the ones the instance's configuration names (``dagster.yaml`` and
``run_config.yaml`` in ``$DAGSTER_HOME``, see ``pipelines.defs.execution``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.definitions.selector import JobSubsetSelector
from dagster._core.launcher.base import WorkerStatus
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext, WorkspaceRequestContext
from dagster._core.workspace.load_target import (
    InProcessWorkspaceLoadTarget,
    PyProjectFileTarget,
    WorkspaceFileTarget,
)

from pipelines.defs.execution import (
    celery_app,
    check_workers,
    engine,
    instance_run_config,
    purge_stale_tasks,
)
from pipelines.defs.launcher import ForkServerRunLauncher
from pipelines.defs.partitions import (
    LAUNCHER_TAG,
    REFRESH_LAUNCHER,
    REFRESH_TAG,
    SOURCE_TAG,
)
from pipelines.defs.schedules import harvest_job, nights_ready_to_publish, publish_job

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCATION_NAME = "microcred"  # as in pyproject.toml and deploy/workspace.yaml
PARTITION_TAG = "dagster/partition"
MAX_RUNTIME_TAG = "dagster/max_runtime"
_FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
_DAEMON_FRESH_SECONDS = 60
_START_TIMEOUT = 300  # seconds a launched run may stay STARTING ($MICROCRED_RUN_START_TIMEOUT)


@dataclass
class Night:
    """What one night's runs ended as: per source the harvest run's status, and the publish run's."""

    refresh_id: str
    harvests: dict[str, dg.DagsterRunStatus] = field(default_factory=dict)
    harvest_runs: dict[str, str] = field(default_factory=dict)
    publish: dg.DagsterRunStatus | None = None
    publish_run: str | None = None
    publish_errors: list[str] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.publish == dg.DagsterRunStatus.SUCCESS


@contextlib.contextmanager
def workspace(instance: dg.DagsterInstance) -> Iterator[WorkspaceRequestContext]:
    """The code location (``microcred``) the runs are created from.

    With the embedded fork-server launcher the definitions load in this process. Otherwise Dagster serves
    them from a code server process it manages, which Dagster's run launcher starts runs through: the
    deployment's ``$DAGSTER_HOME/workspace.yaml`` (the daemon's and the webserver's), else ``pyproject.toml``.
    """
    home = os.environ.get("DAGSTER_HOME")
    declared = Path(home) / "workspace.yaml" if home else None
    if isinstance(instance.run_launcher, ForkServerRunLauncher):
        # Runs are forked from this machine's fork server: the definitions load in this process, no server.
        target = InProcessWorkspaceLoadTarget(
            InProcessCodeLocationOrigin(
                LoadableTargetOrigin(
                    executable_path=sys.executable,
                    module_name="pipelines.definitions",
                    working_directory=str(REPO_ROOT),
                ),
                location_name=LOCATION_NAME,
            )
        )
    elif declared is not None and declared.exists():
        target = WorkspaceFileTarget(paths=[str(declared)])
    else:
        target = PyProjectFileTarget(path=str(REPO_ROOT / "pyproject.toml"))
    with WorkspaceProcessContext(instance, target) as context:
        yield context.create_request_context()


def create_run(
    instance: dg.DagsterInstance,
    request: WorkspaceRequestContext,
    job_name: str,
    run_config: Mapping[str, Any],
    tags: Mapping[str, str],
    plans: dict[str, Any] | None = None,
) -> dg.DagsterRun:
    """A run of the named job from the workspace's code location (as ``dagster job launch`` creates one).

    ``plans`` caches execution plans by job name: a night's harvest runs share one plan (same job, same
    config; the partition is a tag).
    """
    [location_name] = request.code_location_names
    location = request.get_code_location(location_name)
    [repository] = location.get_repositories().values()
    remote_job = location.get_job(
        JobSubsetSelector(
            location_name=location_name,
            repository_name=repository.name,
            job_name=job_name,
            op_selection=None,
        )
    )
    plans = {} if plans is None else plans
    if job_name not in plans:
        plans[job_name] = location.get_execution_plan(
            remote_job, dict(run_config), step_keys_to_execute=None, known_state=None, instance=instance
        ).execution_plan_snapshot
    plan = plans[job_name]
    return instance.create_run(
        job_name=job_name,
        run_id=None,
        run_config=dict(run_config),
        resolved_op_selection=None,
        step_keys_to_execute=plan.step_keys_to_execute,
        op_selection=None,
        status=None,
        root_run_id=None,
        parent_run_id=None,
        tags={**remote_job.tags, **tags},
        job_snapshot=remote_job.job_snapshot,
        execution_plan_snapshot=plan,
        parent_job_snapshot=remote_job.parent_job_snapshot,
        remote_job_origin=remote_job.get_remote_origin(),
        job_code_origin=remote_job.get_python_origin(),
        asset_selection=None,
        asset_check_selection=None,
        asset_graph=repository.asset_graph,
    )


def daemon_alive(instance: dg.DagsterInstance) -> bool:
    """True when a ``dagster-daemon`` dequeuing runs has sent a heartbeat recently."""
    heartbeat = instance.get_daemon_heartbeats().get("QUEUED_RUN_COORDINATOR")
    return heartbeat is not None and time.time() - heartbeat.timestamp < _DAEMON_FRESH_SECONDS


class LostWorkerWatch:
    """Cancels a run whose step is in the hands of a Celery worker that stopped answering.

    A worker killed with its machine never reports back: the run would wait for that step until the daemon's
    run monitoring gives up (hours). Every ``interval`` seconds the workers are pinged; a run whose step
    started on a worker that has missed ``misses`` pings in a row is cancelled, saying which worker and step.
    """

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_config: Mapping[str, Any],
        interval: float = 5,
        misses: int = 2,
    ):
        self.instance, self.interval, self.misses = instance, interval, misses
        self.app, _ = celery_app(run_config)
        self.silent: dict[str, int] = {}
        self.next_check = time.monotonic() + interval
        self.cancelled: dict[str, str] = {}

    def _steps_in_flight(self, run_id: str) -> list[tuple[str, str]]:
        """(step, worker) of the steps a worker started in this run and has not finished."""
        started: dict[str, str] = {}
        for entry in self.instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type == dg.DagsterEventType.ENGINE_EVENT and "in celery worker" in entry.message:
                worker = event.engine_event_data.metadata.get("Celery worker")
                if worker is not None:
                    started[event.step_key] = str(worker.value)
            elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                started.pop(event.step_key, None)
        return list(started.items())

    def check(self, runs: list[dg.DagsterRun]) -> None:
        if time.monotonic() < self.next_check:
            return
        self.next_check = time.monotonic() + self.interval
        active = [
            run
            for run in runs
            if run.status == dg.DagsterRunStatus.STARTED and run.run_id not in self.cancelled
        ]
        if not active:
            return
        try:
            alive = {name for reply in self.app.control.ping(timeout=1) or [] for name in reply}
        except Exception:  # the broker itself is down: the run monitoring's time-out remains
            return
        for run in active:
            for step, worker in self._steps_in_flight(run.run_id):
                if worker in alive:
                    self.silent.pop(worker, None)
                    continue
                self.silent[worker] = self.silent.get(worker, 0) + 1
                if self.silent[worker] < self.misses:
                    continue
                message = f"Celery worker {worker} stopped answering while it ran step {step}: run cancelled"
                self.cancelled[run.run_id] = message
                self.instance.report_run_canceling(run, message=message)
                if not self.instance.run_launcher.terminate(run.run_id):
                    self.instance.report_run_canceled(run, message=message)
                break

    def close(self) -> None:
        self.app.close()


class LostRunWatch:
    """Ends as failed the runs launched here whose run worker is gone, or that never got past STARTING.

    A run worker that dies before it reports anything (killed, or broken at start) leaves its run
    ``STARTING`` or ``STARTED`` for good, and a night waiting for it would wait until its time-out (hours).
    The launcher knows its workers (``check_run_worker_health``): a run whose worker exited without the run
    ending is failed at once, with the worker's exit code as the reason; a run still ``STARTING``
    ``start_timeout`` seconds after its launch is terminated and failed. Runs submitted to a daemon's queue
    are the daemon's run monitoring's to watch.
    """

    def __init__(self, instance: dg.DagsterInstance, start_timeout: float | None = None):
        self.instance = instance
        if start_timeout is None:
            start_timeout = float(os.environ.get("MICROCRED_RUN_START_TIMEOUT", _START_TIMEOUT))
        self.start_timeout = start_timeout
        self.launched: dict[str, float] = {}
        self.failed: dict[str, str] = {}

    def launch(self, request: WorkspaceRequestContext, run: dg.DagsterRun) -> None:
        self.launched[run.run_id] = time.monotonic()
        self.instance.launch_run(run.run_id, request)

    def _why_lost(self, run: dg.DagsterRun) -> str | None:
        launcher = self.instance.run_launcher
        if launcher.supports_check_run_worker_health:
            health = launcher.check_run_worker_health(run)
            if health.status in (WorkerStatus.FAILED, WorkerStatus.SUCCESS):
                return f"{health.msg} before the run ended"
        waited = time.monotonic() - self.launched[run.run_id]
        if run.status == dg.DagsterRunStatus.STARTING and waited > self.start_timeout:
            launcher.terminate(run.run_id)
            return f"the run did not start within {self.start_timeout:g} s of its launch"
        return None

    def check(self, runs: list[dg.DagsterRun]) -> None:
        for run in runs:
            if run.status in _FINISHED or run.run_id not in self.launched or run.run_id in self.failed:
                continue
            reason = self._why_lost(run)
            if reason is None:
                continue
            current = self.instance.get_run_by_id(run.run_id)  # it may have ended since it was read
            if current is None or current.status in _FINISHED:
                continue
            self.failed[run.run_id] = reason
            self.instance.report_run_failed(current, message=reason)


def _start(
    instance: dg.DagsterInstance,
    request: WorkspaceRequestContext,
    run: dg.DagsterRun,
    queued: bool,
    lost: LostRunWatch,
):
    if queued:
        instance.submit_run(run.run_id, request)
    else:
        lost.launch(request, run)


def _watch(runs: list[dg.DagsterRun], watches: list[Any]) -> None:
    for watch in watches:
        watch.check(runs)


def _wait(
    instance: dg.DagsterInstance,
    run_ids: list[str],
    deadline: float,
    watches: list[Any] = (),
    poll: float = 0.5,
) -> dict[str, dg.DagsterRun]:
    while True:
        records = instance.get_run_records(dg.RunsFilter(run_ids=run_ids))
        runs = {r.dagster_run.run_id: r.dagster_run for r in records}
        if all(run.status in _FINISHED for run in runs.values()) or time.monotonic() > deadline:
            return runs
        _watch(list(runs.values()), watches)
        time.sleep(poll)


def _wait_for_harvests(
    instance: dg.DagsterInstance,
    refresh_id: str,
    sources: list[str],
    retries: bool,
    deadline: float,
    watches: list[Any] = (),
) -> dict[str, dg.DagsterRun]:
    """The last harvest run of each source once none is running or about to be retried by the daemon."""
    while True:
        records = instance.get_run_records(
            dg.RunsFilter(job_name=harvest_job.name, tags={REFRESH_TAG: refresh_id})
        )
        runs = [r.dagster_run for r in records]  # newest first
        observed = [
            (
                refresh_id,
                run.tags.get(PARTITION_TAG, ""),
                run.status,
                retries and run.tags.get("dagster/will_retry") == "true",
            )
            for run in runs
        ]
        latest: dict[str, dg.DagsterRun] = {}
        for run in runs:
            latest.setdefault(run.tags.get(PARTITION_TAG, ""), run)
        if nights_ready_to_publish(observed, sources) or time.monotonic() > deadline:
            return latest
        _watch(runs, watches)
        time.sleep(0.5)


def run_errors(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """One line per failed step of the run (``step: first line of its error``), else why the run ended.

    Dagster's console log is off (its tracebacks run to hundreds of lines): these lines name what failed.
    """
    lines = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        error = entry.dagster_event.step_failure_data.error
        message = (error.message if error else "failed").strip().splitlines()
        lines.append(f"{entry.step_key}: {message[0] if message else 'failed'}")
    if lines:
        return lines
    run = instance.get_run_by_id(run_id)
    if run is not None and run.status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED):
        ended = instance.all_logs(
            run_id, of_type={dg.DagsterEventType.RUN_FAILURE, dg.DagsterEventType.RUN_CANCELED}
        )
        canceling = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_CANCELING)
        for entry in [*canceling, *ended][:1]:
            lines.append(f"run {run.status.value.lower()}: {entry.message.strip().splitlines()[0]}")
    return lines


def run_night(
    refresh_id: str,
    sources: list[str],
    resources: Mapping[str, Any],
    *,
    instance: dg.DagsterInstance | None = None,
    tags: Mapping[str, str] | None = None,
    on_harvest: Callable[[str, dg.DagsterRunStatus, list[str]], None] | None = None,
    timeout: float | None = None,
) -> Night:
    """One night: a harvest run per source side by side, then the publish run; returns how they ended.

    ``resources`` is the ``store`` resource's config; ``tags`` go on every run beside the night's own, and
    ``on_harvest`` hears each source's outcome with its error lines (``run_errors``). Runs still unfinished
    at ``timeout`` seconds (``$MICROCRED_NIGHT_TIMEOUT``, default 6 hours) are terminated; the publish then
    keeps the last good data of their sources and records why.
    """
    timeout = timeout or float(os.environ.get("MICROCRED_NIGHT_TIMEOUT", 6 * 3600))
    instance = instance or dg.DagsterInstance.get()
    warm_up = getattr(instance.run_launcher, "warm_up", None)
    if warm_up is not None:
        warm_up()  # the fork server imports while the runs are prepared here
    run_config = {
        **instance_run_config(),
        "resources": {"store": {"config": dict(resources)}},
    }
    run_config.setdefault("loggers", {"console": {"config": {"log_level": "CRITICAL"}}})
    watch = None
    if engine(run_config) == "celery":
        check_workers(run_config)
        purge_stale_tasks(instance, run_config)
        watch = LostWorkerWatch(instance, run_config)
    lost = LostRunWatch(instance)
    watches = [lost] if watch is None else [lost, watch]
    from dagster._core.run_coordinator.queued_run_coordinator import QueuedRunCoordinator

    queued = isinstance(instance.run_coordinator, QueuedRunCoordinator) and daemon_alive(instance)
    night = Night(refresh_id)
    tags = {**(tags or {}), REFRESH_TAG: refresh_id, LAUNCHER_TAG: REFRESH_LAUNCHER}
    if os.environ.get("MICROCRED_RUN_MAX_RUNTIME"):
        # The daemon's run monitoring cancels a run past this many seconds (instead of the instance's limit).
        tags[MAX_RUNTIME_TAG] = os.environ["MICROCRED_RUN_MAX_RUNTIME"]
    deadline = time.monotonic() + timeout
    with workspace(instance) as request:
        plans: dict[str, Any] = {}
        # Every run is created before any starts: creating them overlaps with the launcher warming up.
        created = [
            create_run(
                instance,
                request,
                harvest_job.name,
                run_config,
                {**tags, PARTITION_TAG: source, SOURCE_TAG: source},
                plans,
            )
            for source in sources
        ]
        for source, run in zip(sources, created, strict=True):
            night.harvest_runs[source] = run.run_id
            _start(instance, request, run, queued, lost)
        harvests = _wait_for_harvests(instance, refresh_id, sources, queued, deadline, watches)
        for source in sources:
            run = harvests.get(source)
            if run is not None and run.status not in _FINISHED:
                instance.run_launcher.terminate(run.run_id) or instance.report_run_canceled(
                    run, message=f"night {refresh_id} timed out after {timeout:g} s"
                )
                run = instance.get_run_by_id(run.run_id)
            night.harvests[source] = run.status if run is not None else dg.DagsterRunStatus.FAILURE
            if run is not None:
                night.harvest_runs[source] = run.run_id
            if on_harvest is not None:
                on_harvest(source, night.harvests[source], run_errors(instance, run.run_id) if run else [])
        publish = create_run(instance, request, publish_job.name, run_config, tags)
        night.publish_run = publish.run_id
        _start(instance, request, publish, queued, lost)
        finished = _wait(instance, [publish.run_id], max(deadline, time.monotonic() + 3600), watches)
        night.publish = finished[publish.run_id].status
        night.publish_errors = run_errors(instance, publish.run_id)
    if watch is not None:
        watch.close()
    return night
