"""The embedded run launcher: a run whose worker dies, or never starts, ends as failed with its reason.

Before these, a run worker that died before reporting anything left its run ``STARTING`` and the refresh
waited for it without end (the cause seen: ``multiprocessing`` re-running the caller's ``__main__`` in the
child, which a Streamlit ``AppTest`` had replaced with its generated script).
"""

from __future__ import annotations

import io
import os
import signal
import sys
import types

import pytest

from pipelines.defs.launcher import ForkServerRunLauncher
from tests.conftest import temporary_dagster_home


def _refresh(tmp_path, sources=("rug",)) -> tuple[int, str]:
    from pipelines.cli import refresh

    out = io.StringIO()
    with temporary_dagster_home(tmp_path):
        code = refresh(list(sources), live=False, data_dir=tmp_path / "data", out=out)
    return code, out.getvalue()


def test_a_run_worker_does_not_run_the_callers_main_script(tmp_path, monkeypatch):
    marker = tmp_path / "main-ran"
    script = tmp_path / "caller_main.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('the caller main ran')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)  # what Streamlit's AppTest leaves behind
    monkeypatch.setenv("MICROCRED_RUN_START_TIMEOUT", "120")
    code, out = _refresh(tmp_path)
    assert code == 0, out
    assert not marker.exists()


def test_a_run_whose_worker_is_killed_fails_at_once_with_the_reason(tmp_path, monkeypatch):
    launch = ForkServerRunLauncher.launch_run

    def launch_then_kill(self, context):
        launch(self, context)
        os.kill(self._processes[context.dagster_run.run_id].pid, signal.SIGKILL)

    monkeypatch.setattr(ForkServerRunLauncher, "launch_run", launch_then_kill)
    code, out = _refresh(tmp_path)
    assert code != 0
    assert "rug: harvest and normalise FAILED" in out
    assert "the run worker was killed by signal 9 before the run ended" in out
    assert not (tmp_path / "data" / "registry.duckdb").exists()


@pytest.mark.parametrize("start_timeout", ["1"])
def test_a_run_that_never_starts_is_failed_after_the_start_timeout(tmp_path, monkeypatch, start_timeout):
    monkeypatch.setattr(ForkServerRunLauncher, "launch_run", lambda self, context: None)  # a lost launch
    monkeypatch.setenv("MICROCRED_RUN_START_TIMEOUT", start_timeout)
    code, out = _refresh(tmp_path)
    assert code != 0
    assert f"the run did not start within {start_timeout} s of its launch" in out
