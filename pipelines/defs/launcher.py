"""The embedded instance's run launcher: each run in a process forked from a warmed-up fork server.

Dagster's default run launcher starts every run as a fresh ``dagster api execute_run`` process through a
code server: on the bundled snapshot each of those processes spends longer importing Dagster, the
definitions and Great Expectations than the run takes. This launcher runs the same run-worker body in a
process forked from a fork server that imported those modules once (``preload_modules``), so the three
sources of a night run side by side at the cost of one import. It is named in ``dagster_home/dagster.yaml``
(the embedded default); production instances name Dagster's own launchers instead (``deploy/``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from dagster._core.launcher.base import LaunchRunContext, RunLauncher
from dagster._serdes import ConfigurableClass, ConfigurableClassData

# The environment a run sees is the launcher's at launch time, not the fork server's at its start.
_ENV_PREFIXES = ("MICROCRED_", "DAGSTER_", "AWS_")


def _run_worker(run_id: str, instance_ref: Any, env: Mapping[str, str]) -> None:
    """What ``dagster api execute_run`` does, in a forked process."""
    os.environ.update(env)
    from dagster._cli.api import _execute_run_command_body  # the run worker's own body (no public API)

    from scrapers.lifeline import die_with_parent

    die_with_parent()  # ends with the fork server, which ends with the process that launched the run

    with dg.DagsterInstance.from_ref(instance_ref) as instance:
        _execute_run_command_body(run_id, instance, lambda _event: None, set_exit_code_on_failure=False)


class ForkServerRunLauncher(RunLauncher, ConfigurableClass):
    """Launches each run in a child of a fork server that preloaded the given modules."""

    def __init__(self, preload_modules: Sequence[str] = (), inst_data: ConfigurableClassData | None = None):
        self._inst_data = inst_data
        self._preload = list(preload_modules)
        self._context: Any = None
        self._processes: dict[str, multiprocessing.process.BaseProcess] = {}
        super().__init__()

    @property
    def inst_data(self) -> ConfigurableClassData | None:
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict:
        return {"preload_modules": dg.Field([str], is_required=False, default_value=[])}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]):
        return cls(inst_data=inst_data, **config_value)

    def warm_up(self) -> None:
        """Starts the fork server now, so that it imports while the caller prepares the runs."""
        if self._context is None:
            from multiprocessing import forkserver

            self._context = multiprocessing.get_context("forkserver")
            self._context.set_forkserver_preload(self._preload)
            forkserver.ensure_running()

    def launch_run(self, context: LaunchRunContext) -> None:
        self.warm_up()
        for run_id, finished in [(r, p) for r, p in self._processes.items() if not p.is_alive()]:
            finished.join()  # reaped: a long-lived launcher (the daemon's) keeps no zombies
            del self._processes[run_id]
        run = context.dagster_run
        env = {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES)}
        process = self._context.Process(
            target=_run_worker, args=(run.run_id, self._instance.get_ref(), env), daemon=False
        )
        process.start()
        self._processes[run.run_id] = process
        self._instance.report_engine_event(
            f"Launched the run in process {process.pid}, forked from the fork server.", run
        )

    def terminate(self, run_id: str) -> bool:
        process = self._processes.get(run_id)
        run = self._instance.get_run_by_id(run_id)
        if process is None or not process.is_alive() or run is None:
            return False
        self._instance.report_run_canceling(run)
        os.kill(process.pid, signal.SIGINT)  # Dagster's run worker turns an interrupt into a clean cancel
        return True

    def join(self, timeout: int = 30) -> None:
        for process in self._processes.values():
            process.join(timeout)

    def dispose(self) -> None:
        self.join()
