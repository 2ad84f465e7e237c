"""The whole asset graph in Dagster runs on the snapshot served on 127.0.0.1 (one institution, Groningen).

Night 1 materialises everything in one run: the crawl, the core tables, every asset check, the warehouse and
the report (and the report can be materialised alone). Night 2 plants a volume drop (the landing cut to two programmes): in one run with the warehouse,
the blocking check stops it and the published warehouse stays as it was; the publish run of the nightly
jobs, run after it, reads that check's outcome, keeps the last good rows and says why in ``run``.
"""

import hashlib
import json
import os
import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.defs.checks import fill_rate_drift, record_rules, volume_drop
from pipelines.defs.core import core_registry
from pipelines.defs.partitions import REFRESH_TAG
from pipelines.defs.raw import raw_registry__harvest
from pipelines.defs.resources import RegistryStore
from pipelines.defs.warehouse import QUALITY_REPORT, WAREHOUSE, out_registry__warehouse
from quality.rules import RULES

pytestmark = pytest.mark.slow

SOURCE = "rug"
CHECKS = [volume_drop, fill_rate_drift, record_rules]


def evaluations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def materialized(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def nights(snapshot_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("graph")
    data = root / "data"
    store = RegistryStore(data_dir=str(data), snapshot_url=snapshot_server.base_url)
    with dg.instance_for_test() as instance:
        night1 = dg.materialize(
            [raw_registry__harvest, core_registry, *CHECKS, out_registry__warehouse],
            partition_key=SOURCE,
            resources={"store": store},
            instance=instance,
            tags={REFRESH_TAG: "night1"},
        )
        published = data / "registry.duckdb"
        after_night1 = sha256(published)
        report_night1 = (data / "quality_report.html").read_text()

        # Night 2: the same landing cut to two programmes (a layout change would look like this).
        landing1, landing2 = data / "raw" / "night1" / SOURCE, data / "raw" / "night2" / SOURCE
        shutil.copytree(landing1, landing2)
        programmes = (landing2 / "programme.jsonl").read_text().splitlines(keepends=True)
        (landing2 / "programme.jsonl").write_text("".join(programmes[:2]))
        outcome = json.loads((landing2 / "outcome.json").read_text())
        (landing2 / "outcome.json").write_text(json.dumps({**outcome, "run_id": "night2"}))
        night2 = dg.materialize(
            [core_registry, *CHECKS, out_registry__warehouse],
            partition_key=SOURCE,
            resources={"store": store},
            instance=instance,
            tags={REFRESH_TAG: "night2"},
            raise_on_error=False,
        )
        after_night2 = sha256(published)
        # The nightly jobs: the publish is a run of its own, after the night's harvest runs.
        publish2 = dg.materialize(
            [out_registry__warehouse],
            resources={"store": store},
            instance=instance,
            tags={REFRESH_TAG: "night2"},
            raise_on_error=False,
        )
        # The report alone (the asset subset "materialize the report" in the UI): the warehouse is only read.
        before_report = (sha256(published), os.readlink(data / ".quality_report" / "current"))
        report_only = dg.materialize(
            [out_registry__warehouse],
            selection=[QUALITY_REPORT],
            resources={"store": store},
            instance=instance,
        )
        after_report = (sha256(published), os.readlink(data / ".quality_report" / "current"))
        yield {
            "data": data,
            "report_only": (report_only, before_report, after_report),
            "store": store,
            "night1": night1,
            "night2": night2,
            "publish2": publish2,
            "sha": (after_night1, after_night2),
            "report_night1": report_night1,
            "landed_programmes": len(programmes),
        }


def test_night1_runs_every_check_publishes_and_writes_the_report(nights):
    data, result = nights["data"], nights["night1"]
    assert result.success
    assert {WAREHOUSE, QUALITY_REPORT} <= materialized(result)
    found = evaluations(result)
    staged = nights["store"].read_staged_table(SOURCE, "night1", "programme").height
    assert found["volume_drop"].passed and found["fill_rate_drift"].passed
    assert found["volume_drop"].metadata["reason"].value == (
        f"{staged} programmes, first publication of this source"
    )
    # Each record rule's check counts the flags the warehouse publishes for it.
    flags = dict(query(data / "registry.duckdb", "SELECT rule_id, count(*) FROM flag GROUP BY 1"))
    record_rules_checked = {n for n in found if n not in ("volume_drop", "fill_rate_drift")}
    assert record_rules_checked == {
        r.rule_id for r in RULES.values() if r.record in ("programme", "course_unit") and not r.blocking
    }
    for name in record_rules_checked:
        failing = found[name].metadata["failing_records"].value
        assert failing == flags.get(name, 0), name
        assert found[name].passed == (failing == 0), name
    assert any(not found[n].passed for n in record_rules_checked)  # the snapshot's planted violations
    [(status, published, reason)] = query(
        data / "registry.duckdb", "SELECT status, published, reason FROM run WHERE run_id = 'night1'"
    )
    assert (status, published) == ("harvested", True)
    assert reason == f"published: {staged} programmes, first publication of this source"
    # The report asset wrote the report of what was published, beside the warehouse.
    report = nights["report_night1"]
    assert "Rijksuniversiteit Groningen" in report or "University of Groningen" in report
    assert reason in report
    assert (data / "quality_report" / f"{SOURCE}.html").is_file()


def test_night2_volume_drop_blocks_the_warehouse_in_the_same_run(nights):
    result = nights["night2"]
    assert not result.success
    found = evaluations(result)
    assert not found["volume_drop"].passed
    assert found["volume_drop"].severity == dg.AssetCheckSeverity.ERROR
    assert "only 2 programmes harvested" in found["volume_drop"].metadata["reason"].value
    assert WAREHOUSE not in materialized(result) and QUALITY_REPORT not in materialized(result)
    after_night1, after_night2 = nights["sha"]
    assert after_night2 == after_night1  # the published warehouse survived, byte for byte


def test_the_publish_run_reads_the_check_keeps_the_last_good_rows_and_says_why(nights):
    data, result = nights["data"], nights["publish2"]
    assert not result.success  # nothing new could be published that night
    assert {WAREHOUSE, QUALITY_REPORT} <= materialized(result)  # the run table and the report say why
    warehouse = data / "registry.duckdb"
    rows = query(warehouse, "SELECT DISTINCT run_id FROM programme WHERE institution_id = ?", [SOURCE])
    assert rows == [("night1",)]
    [(status, published, reason, kept)] = query(
        warehouse, "SELECT status, published, reason, published_run_id FROM run WHERE run_id = 'night2'"
    )
    assert (status, published, kept) == ("blocked", False, "night1")
    check_reason = evaluations(nights["night2"])["volume_drop"].metadata["reason"].value
    assert reason == f"not published: {check_reason}"  # the check's own words, not judged again
    [(rule, severity)] = query(warehouse, "SELECT rule_id, severity FROM flag WHERE run_id = 'night2'")
    assert (rule, severity) == ("volume_drop", "error")
    assert "previous data kept" in (data / "quality_report.html").read_text()


def test_the_report_alone_is_rewritten_from_the_published_warehouse(nights):
    result, (sha_before, set_before), (sha_after, set_after) = nights["report_only"]
    assert result.success
    assert materialized(result) == {QUALITY_REPORT}
    assert sha_after == sha_before  # the warehouse was read, not rebuilt
    assert set_after != set_before  # a new set of pages, switched in by the report's link
    assert "previous data kept" in (nights["data"] / "quality_report.html").read_text()
