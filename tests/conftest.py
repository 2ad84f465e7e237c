"""Shared fixtures: the bundled snapshot served on 127.0.0.1, and throw-away data folders."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "scrapers" / "snapshot" / "sites"
REFERENCE = REPO / "tools" / "snapshot" / "reference"


def reference_catalogue(year: int) -> list[dict]:
    """The real Ghent catalogue copied into the repo (Education4Climate crawl, MIT)."""
    return json.loads((REFERENCE / f"ugent-micro-credentials-{year}.json").read_text(encoding="utf-8"))


def snapshot_file(url: str) -> Path:
    """The committed snapshot file served for a public URL (read from the manifest)."""
    for line in (SITES / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["url"] == url:
            return SITES / row["file"]
    raise KeyError(url)


@contextlib.contextmanager
def temporary_dagster_home(root: Path):
    """A fresh Dagster instance under ``root`` (telemetry off) for module-scoped refresh fixtures."""
    home = root / "dagster_home"
    home.mkdir(exist_ok=True)
    # The embedded instance's configuration (telemetry off, the fork-server run launcher make run uses).
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        yield home
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous


@pytest.fixture(scope="session")
def snapshot_server():
    from scrapers.snapshot.server import SnapshotServer

    with SnapshotServer() as server:
        yield server


@pytest.fixture(scope="session")
def published_registry(tmp_path_factory) -> Path:
    """One full refresh of the bundled snapshot, shared by every test that only reads the warehouse.

    Returns the data folder holding ``registry.duckdb``. Treat it as read-only: a test that changes the
    warehouse or the folder must copy it first.
    """
    import io

    from pipelines.cli import refresh

    root = tmp_path_factory.mktemp("published")
    out = io.StringIO()
    with temporary_dagster_home(root):
        code = refresh(None, live=False, data_dir=root / "data", out=out)
    assert code == 0, out.getvalue()
    return root / "data"
