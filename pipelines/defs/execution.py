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
