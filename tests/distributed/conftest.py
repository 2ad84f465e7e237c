"""A production-shaped cluster on this machine: PostgreSQL, Redis, an S3 endpoint, the Dagster daemon and
two Celery workers.

The instance is ``deploy/``'s configuration as shipped (``dagster.yaml``, ``run_config.yaml``,
``workspace.yaml``), its environment variables pointing at the services started here on free loopback
ports. The data lives in S3 (moto's server): every worker and the command line get a working folder of
their own, so whatever one step hands to the next goes through the object store, as between machines.
Skipped, saying so, only where Debian's ``postgresql`` / ``redis-server`` are not installed
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
    free_port,
    missing_packages,
    start_daemon,
    start_worker,
    stop_group,
)

pytestmark = pytest.mark.slow
# moto keeps buckets in process-wide state: a name of this process's own (the same however often this
# module is imported: pytest loads it as a conftest, the tests import it by name).
BUCKET = f"s3://cluster-{os.getpid()}"


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
        env = {**self.env, "MICROCRED_WORK_DIR": str(self.root / f"work-{name}")}
        self.workers[name] = start_worker(name, env, self.root / f"{name}.log")
        return self.workers[name]

    def published(self, url: str, name: str = "registry.duckdb") -> Path:
        """A local copy of the warehouse published at ``url`` (as a reader gets it)."""
        from warehouse.storage import fetch_published

        with _env(self.env):
            path = fetch_published(url, self.root / "readers" / name)
        assert path is not None, f"nothing published at {url}"
        return path

    def wait_for_workers(self, count: int, timeout: float = 90) -> list[str]:
        from pipelines.defs.execution import NoLiveWorker, check_workers, instance_run_config

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

    def refresh(self, data_url: str, *, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        """``microcred refresh`` as a user runs it, against this cluster's instance."""
        return subprocess.Popen(
            [str(BIN / "microcred"), "refresh", "--data-dir", data_url],
            cwd=REPO,
            env={**self.env, "MICROCRED_WORK_DIR": str(self.root / "work-cli"), **(extra_env or {})},
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
            if key.startswith(("MICROCRED_", "DAGSTER_", "AWS_")):
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
    from moto.server import ThreadedMotoServer

    s3_port = free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    request.addfinalizer(s3.stop)
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
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "MICROCRED_WORK_DIR": str(root / "work-daemon"),
    }
    env.pop("MICROCRED_DATA_DIR", None)
    cluster = Cluster(root, env, postgres, redis)
    with _env(env):
        from warehouse.storage import RemoteData

        RemoteData(BUCKET).fs.mkdir(BUCKET.removeprefix("s3://"))
    daemon = start_daemon(env, root / "daemon.log")
    request.addfinalizer(lambda: stop_group(daemon))
    for name in ("worker1", "worker2"):
        cluster.start_worker(name)
    request.addfinalizer(lambda: [stop_group(w) for w in cluster.workers.values()])
    cluster.wait_for_workers(2)
    return cluster
