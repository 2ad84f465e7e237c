"""How the registry's jobs execute: one executor that the run config switches, and where that config lives.

The jobs carry a single executor, ``registry``, whose config picks one of three engines:

- ``in_process``: every step of a run in the run's own process (the embedded default, ``make run``);
- ``multiprocess``: Dagster's multiprocess executor;
- ``celery``: ``dagster-celery``: each step is a Celery task that whichever worker is free runs (production).

Which one a deployment uses is configuration, not code: ``$DAGSTER_HOME/run_config.yaml`` (beside the
instance's ``dagster.yaml``) holds the ``execution`` section that ``microcred refresh`` and the nightly
schedule put into every run they launch. Without that file runs execute in process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster._core.definitions.executor_definition import (  # the built-in engines' own schemas/creators
    IN_PROC_CONFIG,
    MULTI_PROC_CONFIG,
    _core_in_process_executor_creation,
    _core_multiprocess_executor_creation,
)
from dagster._core.execution.retries import RetryMode
from dagster_celery.executor import CELERY_CONFIG, CeleryExecutor

RUN_CONFIG_FILE = "run_config.yaml"
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}
REGISTRY_JOBS = ("harvest_source", "publish_warehouse")  # defined in pipelines.defs.schedules


def _requirements(config: dict) -> list:
    return [] if "in_process" in config else dg.multiple_process_executor_requirements()


@dg.executor(
    name="registry",
    config_schema=dg.Field(
        dg.Selector(
            {
                "in_process": IN_PROC_CONFIG,
                "multiprocess": MULTI_PROC_CONFIG,
                "celery": dg.Field(dg.Shape(CELERY_CONFIG), is_required=False),
            }
        ),
        default_value={"in_process": {}},
    ),
    requirements=_requirements,
)
def registry_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    """In process, multiprocess or Celery, as the run config's ``execution`` section says."""
    config = init_context.executor_config
    if "celery" in config:
        celery = config["celery"]
        return CeleryExecutor(
            broker=celery.get("broker"),
            backend=celery.get("backend"),
            config_source=celery.get("config_source"),
            include=celery.get("include"),
            retries=RetryMode.from_config(celery["retries"]),
        )
    if "multiprocess" in config:
        return _core_multiprocess_executor_creation(config["multiprocess"])
    return _core_in_process_executor_creation(config["in_process"])


def run_config_path(home: str | None = None) -> Path | None:
    home = home or os.environ.get("DAGSTER_HOME")
    return Path(home) / RUN_CONFIG_FILE if home else None


def instance_run_config(home: str | None = None) -> dict[str, Any]:
    """The run config the instance's deployment names (``$DAGSTER_HOME/run_config.yaml``), else in process."""
    path = run_config_path(home)
    if path is None or not path.exists():
        return dict(IN_PROCESS)
    loaded = yaml.safe_load(path.read_text()) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping with an 'execution' section")
    return loaded


def engine(run_config: dict[str, Any]) -> str:
    """``in_process``, ``multiprocess`` or ``celery``: the engine a run config selects."""
    selected = (run_config.get("execution") or {}).get("config") or {"in_process": {}}
    return next(iter(selected))


def celery_settings(run_config: dict[str, Any]) -> dict[str, Any]:
    """The Celery executor's config with ``{env: NAME}`` values resolved (for the CLI's checks)."""
    config = dict(((run_config.get("execution") or {}).get("config") or {}).get("celery") or {})
    for key, value in list(config.items()):
        if isinstance(value, dict) and set(value) == {"env"}:
            config[key] = os.environ.get(value["env"])
    return config


# -- Celery: the checks a night makes before it starts ---------------------------------------------------
class NoLiveWorker(RuntimeError):
    """The instance's executor is Celery and no worker answered: a run would wait forever."""


def celery_app(run_config: Mapping[str, Any]):
    """A Celery client for the broker and backend the run config names (and its settings).

    Built as dagster-celery builds the runs' own app, so that it knows the ``dagster`` queue (a plain
    ``Celery()`` would purge only the default ``celery`` queue).
    """
    from dagster_celery.make_app import make_app

    settings = celery_settings(dict(run_config))
    return make_app({"broker": settings.get("broker"), "backend": settings.get("backend")}), settings


def check_workers(run_config: Mapping[str, Any], timeout: float = 3.0) -> list[str]:
    """The Celery workers that answer a ping; raises ``NoLiveWorker`` when none does."""
    app, settings = celery_app(run_config)
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception as error:  # broker down: as fatal as no worker, and said as clearly
        raise NoLiveWorker(
            f"the Celery broker {_redact(settings.get('broker'))} is unreachable: {error}"
        ) from error
    finally:
        app.close()
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        raise NoLiveWorker(
            f"no Celery worker answered on {_redact(settings.get('broker'))} within {timeout:g} s; start "
            "workers with `celery -A dagster_celery.app worker -Q dagster` (see docs/deploy.md)"
        )
    return workers


def purge_stale_tasks(instance: dg.DagsterInstance, run_config: Mapping[str, Any]) -> int | None:
    """Drops every task waiting in the broker when no run of the registry's jobs is in progress.

    Tasks of a run that was killed stay in the broker (waiting, or unacknowledged and restored later) and
    would run on the next worker that starts. At the start of a night no such task can belong to a live run,
    so the queue is emptied (``purge``) and the Redis transport's unacknowledged set is dropped too. Returns
    the number of waiting tasks dropped, or ``None`` when another night is still in progress (nothing done).
    """
    in_progress = instance.get_run_records(
        dg.RunsFilter(
            job_name=None,
            statuses=[
                dg.DagsterRunStatus.QUEUED,
                dg.DagsterRunStatus.NOT_STARTED,
                dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED,
                dg.DagsterRunStatus.CANCELING,
            ],
        )
    )
    if any(r.dagster_run.job_name in REGISTRY_JOBS for r in in_progress):
        return None
    app, _ = celery_app(run_config)
    try:
        dropped = app.control.purge()
        with app.connection_for_write() as connection:
            client = getattr(connection.default_channel, "client", None)
            if client is not None:  # Redis: unacknowledged tasks are restored from these keys
                options = app.conf.broker_transport_options or {}
                client.delete(
                    options.get("unacked_key", "unacked"), options.get("unacked_index_key", "unacked_index")
                )
        return dropped
    finally:
        app.close()


def _redact(url: str | None) -> str:
    if not url or "@" not in url:
        return url or "(default broker)"
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.split('@', 1)[1]}"
