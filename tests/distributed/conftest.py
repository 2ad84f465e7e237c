"""A production-shaped cluster on this machine: PostgreSQL, Redis, the Dagster daemon, two Celery workers.

The instance is ``deploy/``'s configuration as shipped (``dagster.yaml``, ``run_config.yaml``,
``workspace.yaml``), its environment variables pointing at the services started here on free loopback
ports. Skipped, saying so, only where Debian's ``postgresql`` / ``redis-server`` are not installed
(``make services`` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.distributed.services import (
    BIN,
    REPO,
    Postgres,
    Redis,
    missing_packages,
    start_daemon,
    start_worker,
    stop_group,
)

pytestmark = pytest.mark.slow


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    postgres: Postgres
    redis: Redis
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])

    def start_worker(self, name: str) -> subprocess.Popen:
        self.workers[name] = start_worker(name, self.env, self.root / f"{name}.log")
        return self.workers[name]

    def wait_for_workers(self, count: int, timeout: float = 90) -> list[str]:
        from pipelines.defs.execution import instance_run_config
        from pipelines.defs.launch import NoLiveWorker, check_workers

        deadline = time.monotonic() + timeout
        while True:
            with _env(self.env):
                try:
                    answered = check_workers(instance_run_config(str(self.home)), timeout=1)
                except NoLiveWorker:
                    answered = []
            if len(answered) >= count:
                return answered
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {answered} of {count} Celery workers answered within {timeout:g} s")

    def refresh(self, data_dir: Path, *, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        """``microcred refresh`` as a user runs it, against this cluster's instance."""
        return subprocess.Popen(
            [str(BIN / "microcred"), "refresh", "--data-dir", str(data_dir)],
            cwd=REPO,
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )


class _env:
    """Temporarily sets environment variables in this process (for the Celery checks run from the test)."""

    def __init__(self, values: dict[str, str]):
        self.values, self.saved = values, {}

    def __enter__(self):
        for key, value in self.values.items():
            if key.startswith(("MICROCRED_", "DAGSTER_")):
                self.saved[key] = os.environ.get(key)
                os.environ[key] = value

    def __exit__(self, *exc):
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request) -> Cluster:
    missing = missing_packages()
    if missing:
        pytest.skip(
            f"Debian package(s) {', '.join(missing)} not installed and not installable here "
            "(`make services` installs them): the distributed suite needs a real PostgreSQL and Redis"
        )
    root = tmp_path_factory.mktemp("cluster")
    os.chmod(root, 0o755)  # the postgres user must reach its data folder below
    postgres = Postgres(root / "postgres")
    request.addfinalizer(postgres.stop)
    postgres.start()
    redis = Redis(root / "redis")
    request.addfinalizer(redis.stop)
    redis.start()
    home = root / "dagster_home"
    home.mkdir()
    for name in ("dagster.yaml", "run_config.yaml", "workspace.yaml"):
        shutil.copy(REPO / "deploy" / name, home / name)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "MICROCRED_POSTGRES_URL": postgres.url,
        "MICROCRED_CELERY_BROKER": redis.url(0),
        "MICROCRED_CELERY_BACKEND": redis.url(1),
    }
    env.pop("MICROCRED_DATA_DIR", None)
    cluster = Cluster(root, env, postgres, redis)
    daemon = start_daemon(env, root / "daemon.log")
    request.addfinalizer(lambda: stop_group(daemon))
    for name in ("worker1", "worker2"):
        cluster.start_worker(name)
    request.addfinalizer(lambda: [stop_group(w) for w in cluster.workers.values()])
    cluster.wait_for_workers(2)
    return cluster
