"""Shared fixtures: the bundled snapshot served on 127.0.0.1, and throw-away data folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "scrapers" / "snapshot" / "sites"
REFERENCE = REPO / "scrapers" / "snapshot" / "reference"


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


@pytest.fixture(scope="session")
def snapshot_server():
    from scrapers.snapshot.server import SnapshotServer

    with SnapshotServer() as server:
        yield server


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home
