"""The embedded instance's run launcher: each run in a process forked from a warmed-up fork server.

Dagster's default run launcher starts every run as a fresh ``dagster api execute_run`` process through a
code server: on the bundled snapshot each of those processes spends longer importing Dagster, the
definitions and Great Expectations than the run takes. This launcher runs the same run-worker body in a
process forked from a fork server that imported those modules once (``preload_modules``), so the three
sources of a night run side by side at the cost of one import. It is named in ``dagster_home/dagster.yaml``
(the embedded default); production instances name Dagster's own launchers instead (``deploy/``).
"""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Mapping, Sequence
from multiprocessing import forkserver, popen_forkserver, process, reduction, spawn, util
from multiprocessing.context import set_spawning_popen
from typing import Any

import dagster as dg
from dagster._core.launcher.base import (
    CheckRunHealthResult,
    LaunchRunContext,
    RunLauncher,
    WorkerStatus,
)
from dagster._serdes import ConfigurableClass, ConfigurableClassData

# The environment a run sees is the launcher's at launch time, not the fork server's at its start.
_ENV_PREFIXES = ("MICROCRED_", "DAGSTER_", "AWS_")


# What the standard library's spawn protocol would otherwise send: how to re-import the caller's ``__main__``.
_MAIN_KEYS = ("init_main_from_path", "init_main_from_name")


class _RunWorkerPopen(popen_forkserver.Popen):
    """The fork server's ``Popen`` without the launching process's ``__main__``.

    ``multiprocessing`` re-runs the parent's main script in every child (as ``__mp_main__``), found through
    ``sys.modules["__main__"]``. A run worker needs nothing from it (its target is this module's function),
    and the caller's main is not ours to run: a Streamlit ``AppTest`` leaves its generated script there, and
    re-running that in the child killed every run before it could report a thing (the runs stayed
    ``STARTING`` and the night waited). ``_launch`` is the standard library's (Python 3.11) with those keys
    left out of the preparation data.
    """

    def _launch(self, process_obj: process.BaseProcess) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        for key in _MAIN_KEYS:
            prep_data.pop(key, None)
        buf = io.BytesIO()
        set_spawning_popen(self)  # pickled handles are duplicated for the child
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)  # kept open: the child's sentinel of this process
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _RunWorkerProcess(process.BaseProcess):
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj: process.BaseProcess) -> _RunWorkerPopen:
        return _RunWorkerPopen(process_obj)


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
        self._warm = False
        self._processes: dict[str, process.BaseProcess] = {}
        self._exit_codes: dict[str, int | None] = {}  # of the workers no longer held in _processes
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
        if not self._warm:
            forkserver.set_forkserver_preload(self._preload)
            forkserver.ensure_running()
            self._warm = True

    def launch_run(self, context: LaunchRunContext) -> None:
        self.warm_up()
        for run_id, finished in [(r, p) for r, p in self._processes.items() if not p.is_alive()]:
            finished.join()  # a long-lived launcher (the daemon's) keeps no finished process objects
            self._exit_codes[run_id] = finished.exitcode
            del self._processes[run_id]
        run = context.dagster_run
        env = {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES)}
        worker = _RunWorkerProcess(
            target=_run_worker, args=(run.run_id, self._instance.get_ref(), env), daemon=False
        )
        worker.start()
        self._processes[run.run_id] = worker
        self._instance.report_engine_event(
            f"Launched the run in process {worker.pid}, forked from the fork server.", run
        )

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        """Whether the process running ``run`` is alive; a worker that exited says with which code."""
        worker = self._processes.get(run.run_id)
        if worker is None and run.run_id not in self._exit_codes:
            return CheckRunHealthResult(WorkerStatus.NOT_FOUND, "no run worker launched here")
        if worker is not None and worker.is_alive():
            return CheckRunHealthResult(WorkerStatus.RUNNING, run_worker_id=str(worker.pid))
        code = worker.exitcode if worker is not None else self._exit_codes[run.run_id]
        if code == 0:
            return CheckRunHealthResult(WorkerStatus.SUCCESS, "the run worker exited")
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
        return CheckRunHealthResult(WorkerStatus.FAILED, f"the run worker {how}")

    def terminate(self, run_id: str) -> bool:
        worker = self._processes.get(run_id)
        run = self._instance.get_run_by_id(run_id)
        if worker is None or not worker.is_alive() or run is None:
            return False
        self._instance.report_run_canceling(run)
        os.kill(worker.pid, signal.SIGINT)  # Dagster's run worker turns an interrupt into a clean cancel
        return True

    def join(self, timeout: int = 30) -> None:
        for worker in self._processes.values():
            worker.join(timeout)

    def dispose(self) -> None:
        self.join()
