"""Raw layer: crawl one institution (in a subprocess) into the landing zone, raw strings + provenance."""

import contextlib
import dataclasses
import json
from datetime import UTC, datetime

import dagster as dg

from pipelines.defs.partitions import refresh_id, source_partitions
from pipelines.defs.resources import RegistryStore
from registry.files import atomic_write
from scrapers.crawl import run_crawl
from scrapers.durable import is_disk_full
from scrapers.pipelines import remove_stale_partials


@contextlib.contextmanager
def crawl_target(live: bool, snapshot_url: str = ""):
    """Yields the snapshot server's loopback URL for offline crawls, or ``None`` for the live sites."""
    if live:
        yield None
        return
    if snapshot_url:
        yield snapshot_url
        return
    from scrapers.snapshot.server import SnapshotServer

    with SnapshotServer() as server:
        yield server.base_url


@dg.asset(
    partitions_def=source_partitions,
    group_name="raw",
    kinds={"scrapy"},
    retry_policy=dg.RetryPolicy(max_retries=1, delay=30),
    description="One institution's pages, harvested by its spider: raw strings exactly as seen, with provenance.",
)
def raw_registry__harvest(context: dg.AssetExecutionContext, store: RegistryStore) -> dg.MaterializeResult:
    source = context.partition_key
    run_id = refresh_id(context)
    landing = store.landing_dir(run_id, source)
    started = datetime.now(UTC)
    # A crawl killed on an earlier run left its landing half-written: its .partial files go (never read).
    removed = [str(path) for path in remove_stale_partials(store.root / "raw", source)]
    for path in removed:
        context.log.info(f"removed {path}, left by an interrupted crawl of {source}")
    with crawl_target(store.live, store.snapshot_url) as snapshot_url:
        result = run_crawl(
            source,
            landing,
            run_id,
            snapshot_url=snapshot_url,
            cache_dir=store.cache_dir(source),
            # Authoritative (the run config, not whatever environment this worker inherited).
            revalidate_all=store.revalidate_all,
            now=store.revisit_now,
        )
    outcome = {
        "source": source,
        "run_id": run_id,
        "live": store.live,
        "succeeded": result.succeeded,
        "finish_reason": result.finish_reason,
        "returncode": result.returncode,
        "pages_fetched": result.pages_fetched,
        "not_modified": result.not_modified,
        "skipped_by_policy": result.skipped_by_policy,
        # Per site: requests, bytes, polite delay and how long the night would take live (scrapers/crawl.py).
        "politeness": result.politeness,
        "errors": result.errors,
        "items": result.items,
        "started_at": started.isoformat(),
        "ended_at": datetime.now(UTC).isoformat(),
        "removed_partials": removed,
    }
    metadata = {
        k: v
        for k, v in outcome.items()
        if k in ("pages_fetched", "not_modified", "skipped_by_policy", "errors", "items")
    }
    try:
        landing.mkdir(parents=True, exist_ok=True)
        atomic_write(landing / "outcome.json", json.dumps(outcome, indent=2).encode())
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        if not str(result.finish_reason or "").startswith("disk_full"):
            outcome["finish_reason"] = f"disk_full: {landing / 'outcome.json'}"
        result = dataclasses.replace(result, succeeded=False, finish_reason=outcome["finish_reason"])
    if (landing / "outcome.json").exists():
        store.push_landing(run_id, source)  # to the object store, when the data lives in one
    if not result.succeeded:
        # A full disk fails the same way a minute later: no retry is spent on it.
        disk_full = str(result.finish_reason or "").startswith("disk_full")
        raise dg.Failure(
            description=f"crawl of {source} did not finish (reason {result.finish_reason!r}, exit {result.returncode})",
            metadata={**metadata, "log_tail": dg.MetadataValue.md(f"```\n{result.log_tail}\n```")},
            allow_retries=not disk_full,
        )
    return dg.MaterializeResult(metadata={**metadata, "landing_dir": str(landing)})
