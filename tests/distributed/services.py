"""PostgreSQL, Redis, Celery workers and the Dagster daemon as real processes on loopback, for the tests.

Each service is started in its own process group and stopped (SIGTERM, then SIGKILL) by its ``stop``; the
fixtures in ``conftest.py`` register those as finalizers, so everything a test starts ends with it.
PostgreSQL refuses to run as root: as root the cluster is created and run as the ``postgres`` user that
Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def missing_packages() -> list[str]:
    missing = []
    if postgres_bin() is None:
        missing.append("postgresql")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    return missing


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before listening on {port}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:g} s")


def stop_group(process: subprocess.Popen, grace: float = 10) -> None:
    """Stops a process started with ``start_new_session`` and everything in its process group."""
    if process.poll() is None:
        with _suppress_lookup():
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    with _suppress_lookup():  # children that outlived the leader
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class _suppress_lookup:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        return kind is ProcessLookupError


def _as_postgres_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Postgres:
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    data: Path | None = None

    @property
    def url(self) -> str:
        # SQLAlchemy 2 needs the driver in the scheme (`postgresql+psycopg2`, not `postgresql`).
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/dagster"

    def start(self) -> Postgres:
        bindir = postgres_bin()
        self.root.mkdir(parents=True, exist_ok=True)
        # Outside pytest's temp folders: those are private to root, and the cluster runs as `postgres`.
        self.data = Path(tempfile.mkdtemp(prefix="microcred-pgdata-"))
        data = self.data
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        done = subprocess.run(
            _as_postgres_user(
                [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            ),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stdout}{done.stderr}")
        self.process = subprocess.Popen(
            _as_postgres_user(
                [
                    str(bindir / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(data),  # the Unix socket stays in the temp dir
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",  # a throw-away cluster
                ]
            ),
            stdout=open(self.root / "postgres.log", "wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, self.process, "postgres")
        deadline = time.monotonic() + 30
        while True:  # listening is not accepting yet
            done = subprocess.run(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "dagster",
                ],
                capture_output=True,
            )
            if done.returncode == 0:
                return self
            if time.monotonic() > deadline:
                raise RuntimeError(done.stderr.decode())
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            # SIGINT is PostgreSQL's fast shutdown.
            if self.process.poll() is None:
                with _suppress_lookup():
                    os.killpg(self.process.pid, signal.SIGINT)
            stop_group(self.process)
        if self.data is not None:
            shutil.rmtree(self.data, ignore_errors=True)


@dataclass
class Redis:
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> Redis:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=open(self.root / "redis.log", "wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, self.process, "redis-server")
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)


def start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """A Celery worker of the ``dagster`` queue, one task at a time (pitfall: ``-A dagster_celery.app``)."""
    return subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "dagster_celery.app",
            "worker",
            "-Q",
            "dagster",
            "-c",
            "1",
            "-n",
            f"{name}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO / "deploy" / "celery")},
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_daemon(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-w", str(Path(env["DAGSTER_HOME"]) / "workspace.yaml")],
        cwd=REPO,
        env=env,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
