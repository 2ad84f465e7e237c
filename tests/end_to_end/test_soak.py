"""Soak: refreshes looped against one data folder, with seeded random kills and concurrent starts.

Bounded: a fixed number of rounds and a time cap (rounds not started by the cap are skipped, and the test
says how many ran). After every round: the warehouse opens, every institution is present, the history has
no duplicate open row, and the ``run`` table has a row for every source of every refresh that ended.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from registry.institutions import HARVESTED_SOURCES
from tests.conftest import REPO

pytestmark = pytest.mark.slow

SEED = 16
ROUNDS = 6
TIME_CAP_SECONDS = 120  # a cap on the loop, so `make test` stays bounded; not a speed assertion


def start(data: Path, home: Path, url: str, sources: list[str]) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "pipelines.cli",
        "refresh",
        "--data-dir",
        str(data),
        "--snapshot-url",
        url,
    ]
    for source in sources:
        command += ["--source", source]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": str(REPO)},
    )


def run_id_of(output: str) -> str | None:
    for line in output.splitlines():
        if line.startswith("microcred refresh "):
            return line.split()[2].rstrip(":")
    return None


def check_warehouse(data: Path, ended: dict[str, list[str]]) -> None:
    """The invariants after a round; ``ended`` maps each refresh that ended to the sources it harvested."""
    with duckdb.connect(str(data / "registry.duckdb"), read_only=True) as con:
        present = {i for (i,) in con.execute("SELECT DISTINCT institution_id FROM programme").fetchall()}
        assert present == set(HARVESTED_SOURCES)
        [(duplicates,)] = con.execute(
            "SELECT count(*) FROM (SELECT registry_id, academic_year FROM programme_history "
            "WHERE is_current GROUP BY ALL HAVING count(*) > 1)"
        ).fetchall()
        assert duplicates == 0
        rows = set(con.execute("SELECT run_id, source FROM run").fetchall())
    for run_id, sources in ended.items():
        missing = {(run_id, s) for s in sources} - rows
        assert not missing, f"refresh {run_id} ended but the run table lacks {sorted(missing)}"


def test_refreshes_with_random_kills_and_concurrent_starts_leave_a_sound_warehouse(tmp_path, snapshot_server):
    rng = random.Random(SEED)
    data = tmp_path / "data"
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        (REPO / "dagster_home" / "dagster.yaml").read_text()
    )  # the embedded instance
    url = snapshot_server.base_url
    # Round 0 publishes a complete warehouse; every later round must keep it complete.
    first = start(data, home, url, [])
    output, _ = first.communicate(timeout=300)
    assert first.returncode == 0, output
    ended: dict[str, list[str]] = {run_id_of(output): list(HARVESTED_SOURCES)}
    check_warehouse(data, ended)

    began = time.monotonic()
    rounds = kills = 0
    for _ in range(ROUNDS):
        if time.monotonic() - began > TIME_CAP_SECONDS:
            break
        rounds += 1
        subsets = [
            sorted(rng.sample(list(HARVESTED_SOURCES), rng.randint(1, len(HARVESTED_SOURCES))))
            for _ in range(rng.choice([1, 2]))  # one refresh, or two started together
        ]
        victim = rng.randrange(len(subsets))
        kill_after = rng.uniform(0.5, 12.0)
        processes = [start(data, home, url, sources) for sources in subsets]
        time.sleep(kill_after)
        if processes[victim].poll() is None:
            processes[victim].send_signal(signal.SIGKILL)
            kills += 1
        for process, sources in zip(processes, subsets, strict=True):
            output, _ = process.communicate(timeout=300)
            if process.returncode == -signal.SIGKILL:
                continue  # killed: no promise about its rows, only that it broke nothing
            assert process.returncode in (0, 1), output
            assert "Traceback" not in output, output
            ended[run_id_of(output)] = sources
        check_warehouse(data, ended)
    assert rounds >= 2, f"only {rounds} round(s) ran within the time cap"
    assert kills >= 1, "no round killed a refresh: the seed no longer tests kills"
