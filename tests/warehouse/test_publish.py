"""Publishing: readers never see a half-written warehouse; failed or collapsed harvests keep the last good data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace

import duckdb
import pytest

from normalise.transform import build_core_tables
from quality import checks
from warehouse.publish import SourceHarvest, publish, published_programmes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def landed(snapshot_server, tmp_path_factory):
    """One real crawl of the snapshot (2024), reused by every test here."""
    from scrapers.crawl import run_crawl

    root = tmp_path_factory.mktemp("landing")
    result = run_crawl(
        "ugent",
        root / "landing",
        "night1",
        snapshot_url=snapshot_server.base_url,
        cache_dir=root / "cache",
        years=[2024],
    )
    assert result.succeeded
    return build_core_tables("ugent", result.landing_dir, "night1")


def harvest(core, data_dir, **overrides):
    """A complete harvest, with the blocking checks' verdict on it against what ``data_dir`` publishes."""
    verdict = checks.harvest_verdict(core.programme, published_programmes(data_dir, "ugent"))
    return SourceHarvest(
        "ugent",
        succeeded=True,
        reason="harvest complete",
        core=core,
        verdict=verdict,
        pages_fetched=200,
        **overrides,
    )


def count_in_other_process(path) -> int:
    script = f"import duckdb; print(duckdb.connect({str(path)!r}, read_only=True).execute('SELECT count(*) FROM programme').fetchone()[0])"
    return int(
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    )


def count(path, sql="SELECT count(*) FROM programme"):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_first_publish_then_a_collapsed_harvest_is_blocked(landed, tmp_path):
    first = publish(tmp_path, "night1", {"ugent": harvest(landed, tmp_path)})
    assert first.published_sources == ["ugent"]
    warehouse = tmp_path / "registry.duckdb"
    assert count(warehouse) == 79

    broken = replace(landed, run_id="night2", programme=landed.programme.head(5))
    second = publish(tmp_path, "night2", {"ugent": harvest(broken, tmp_path)})
    assert second.published_sources == [] and "ugent" in second.kept_sources
    assert count(warehouse) == 79
    assert count(warehouse, "SELECT count(*) FROM programme WHERE run_id = 'night1'") == 79
    assert not list((tmp_path / "build").glob("*.duckdb"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status, published, reason, kept_run = con.execute(
            "SELECT status, published, reason, published_run_id FROM run WHERE run_id = 'night2'"
        ).fetchone()
        flag = con.execute("SELECT rule_id, severity, message FROM flag WHERE run_id = 'night2'").fetchall()
    assert (status, published, kept_run) == ("blocked", False, "night1")
    assert "5 programmes" in reason and "79" in reason
    assert [(rule, severity) for rule, severity, _ in flag] == [("volume_drop", "error")]


def test_failed_harvest_keeps_the_last_good_rows_and_says_why(landed, tmp_path):
    publish(tmp_path, "night1", {"ugent": harvest(landed, tmp_path)})
    failed = SourceHarvest("ugent", succeeded=False, reason="crawl finished with 'shutdown'")
    result = publish(tmp_path, "night2", {"ugent": failed})
    assert not result.published_any
    warehouse = tmp_path / "registry.duckdb"
    assert count(warehouse, "SELECT count(*) FROM programme WHERE run_id = 'night1'") == 79
    publish(tmp_path, "night3", {"ugent": harvest(replace(landed, run_id="night3"), tmp_path)})
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT run_id, status, published, reason FROM run ORDER BY run_id").fetchall()
    assert [run[:3] for run in runs] == [
        ("night1", "harvested", True),
        ("night2", "harvest_failed", False),
        ("night3", "harvested", True),
    ]
    assert "shutdown" in runs[1][3]


def test_reader_keeps_a_consistent_view_while_a_new_file_is_published(landed, tmp_path):
    publish(tmp_path, "night1", {"ugent": harvest(landed, tmp_path)})
    warehouse = tmp_path / "registry.duckdb"
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        smaller = replace(landed, run_id="night2", programme=landed.programme.head(60))
        publish(tmp_path, "night2", {"ugent": harvest(smaller, tmp_path)})
        # The open reader still sees the complete previous file; a new reader (another process, as a
        # dashboard would be: DuckDB shares one instance per file within a process) sees the new one.
        assert reader.execute("SELECT count(*) FROM programme").fetchone()[0] == 79
        assert count_in_other_process(warehouse) == 60
    finally:
        reader.close()


def test_history_records_added_changed_and_withdrawn(landed, tmp_path):
    publish(tmp_path, "night1", {"ugent": harvest(landed, tmp_path)})
    programme = landed.programme
    first_id, second_id = programme["registry_id"][0], programme["registry_id"][1]
    import polars as pl

    changed = programme.filter(pl.col("registry_id") != second_id).with_columns(
        credits_ects=pl.when(pl.col("registry_id") == first_id)
        .then(pl.lit(99.0))
        .otherwise(pl.col("credits_ects"))
    )
    publish(
        tmp_path, "night2", {"ugent": harvest(replace(landed, run_id="night2", programme=changed), tmp_path)}
    )
    with duckdb.connect(str(tmp_path / "registry.duckdb"), read_only=True) as con:
        rows = con.execute("""
            SELECT registry_id, change, changed_fields, valid_from_run, is_current FROM programme_history
            WHERE valid_from_run = 'night2' OR valid_to_run = 'night2' ORDER BY registry_id, valid_from_run""").fetchall()
    assert (first_id, "added", None, "night1", False) in rows
    assert (first_id, "changed", ["credits_ects"], "night2", True) in rows
    assert (second_id, "added", None, "night1", False) in rows
    assert (second_id, "withdrawn", None, "night2", True) in rows


def test_build_file_is_removed_when_nothing_is_published(landed, tmp_path):
    shutil.rmtree(tmp_path, ignore_errors=True)
    result = publish(tmp_path, "night1", {"ugent": SourceHarvest("ugent", succeeded=False, reason="x")})
    assert not result.published_any
    assert not (tmp_path / "registry.duckdb").exists()


def test_one_source_failing_does_not_stop_the_others(landed, tmp_path):
    publish(tmp_path, "night1", {"ugent": harvest(landed, tmp_path)})
    night2 = {
        "ugent": harvest(replace(landed, run_id="night2"), tmp_path),
        "rug": SourceHarvest("rug", succeeded=False, reason="crawl finished with 'closespider_timeout'"),
    }
    result = publish(tmp_path, "night2", night2)
    assert result.published_sources == ["ugent"]
    assert "rug" in result.kept_sources
    with duckdb.connect(str(tmp_path / "registry.duckdb"), read_only=True) as con:
        runs = con.execute(
            "SELECT source, status, published, published_run_id FROM run WHERE run_id = 'night2' ORDER BY 1"
        ).fetchall()
        ugent_rows = con.execute("SELECT count(*) FROM programme WHERE institution_id = 'ugent'").fetchone()[
            0
        ]
    # rug had never been published: nothing to keep, and the run log says it failed.
    assert runs == [("rug", "harvest_failed", False, None), ("ugent", "harvested", True, "night2")]
    assert ugent_rows == 79


def test_every_discovery_page_kind_is_a_page_kind_a_spider_records():
    """Publish keeps missing programmes when a discovery page failed; its list must name real page kinds."""
    from scrapy.utils.misc import load_object

    from scrapers.crawl import SPIDERS
    from warehouse.publish import DISCOVERY_PAGE_KINDS

    kinds = {name.removeprefix("parse_") for path in SPIDERS.values() for _, name in load_object(path).routes}
    assert set(DISCOVERY_PAGE_KINDS) <= kinds
