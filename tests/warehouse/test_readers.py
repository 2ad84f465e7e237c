"""Readers in other processes (on the analysts' read-only connection) never see a torn warehouse or a
locked-file error while refreshes publish."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import polars as pl
import pytest

from normalise.transform import build_core_tables
from quality.checks import Verdict
from warehouse.publish import SourceHarvest, publish

# Every harvest here is accepted by the blocking checks (they are tested in tests/quality and tests/defs).
PASSED = Verdict(True, "accepted")

pytestmark = pytest.mark.slow

READER = textwrap.dedent("""
    import json, sys, time
    from warehouse.readonly import connect_readonly
    path, stop, out = sys.argv[1:4]
    seen, errors, deadline = [], [], time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            # the analysts' connection (microcred sql, the dashboard, the README's Python example)
            with connect_readonly(path) as con:
                [(run, rows, run_ids)] = con.sql(
                    "SELECT (SELECT max(run_id) FROM run WHERE published), count(*), list(DISTINCT run_id) "
                    "FROM programme").fetchall()
                seen.append([run, rows, sorted(run_ids)])
        except Exception as exc:
            errors.append(repr(exc))
        try:
            open(stop).close()
            break
        except FileNotFoundError:
            pass
    json.dump({"seen": seen, "errors": errors}, open(out, "w"))
""")


@pytest.fixture(scope="module")
def landed(snapshot_server, tmp_path_factory):
    from scrapers.crawl import run_crawl

    root = tmp_path_factory.mktemp("readers")
    result = run_crawl(
        "ugent",
        root / "landing",
        "n0",
        snapshot_url=snapshot_server.base_url,
        cache_dir=root / "cache",
        years=[2024],
    )
    assert result.succeeded
    return build_core_tables("ugent", result.landing_dir, "n0")


def test_a_reader_loop_sees_only_whole_warehouses(landed, tmp_path):
    publish(tmp_path, "n0", {"ugent": SourceHarvest("ugent", True, "ok", core=landed, verdict=PASSED)})
    warehouse, stop, out = tmp_path / "registry.duckdb", tmp_path / "stop", tmp_path / "seen.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop), str(out)])
    expected = {"n0": 79}
    try:
        time.sleep(1.0)
        for night in range(1, 7):
            run_id = f"n{night}"
            # Alternate between the full harvest and a smaller one (still above the volume threshold).
            size = 79 if night % 2 == 0 else 60
            core = replace(
                landed,
                run_id=run_id,
                programme=landed.programme.head(size).with_columns(run_id=pl.lit(run_id)),
            )
            publish(
                tmp_path, run_id, {"ugent": SourceHarvest("ugent", True, "ok", core=core, verdict=PASSED)}
            )
            expected[run_id] = size
            time.sleep(0.3)
    finally:
        stop.touch()
        reader.wait(timeout=120)
    report = json.loads(out.read_text())
    assert report["errors"] == []
    assert len(report["seen"]) > 20
    states = {run for run, _, _ in report["seen"]}
    assert len(states) >= 3  # the loop really ran across several publishes
    for run, rows, run_ids in report["seen"]:
        # Each observation is one whole published state: its rows belong to its run, in the right number.
        assert run_ids == [run] and rows == expected[run]
