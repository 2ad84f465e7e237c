"""Out layer: the published DuckDB warehouse, built from every source's staged core tables."""

from datetime import datetime

import dagster as dg

from normalise.transform import CoreTables
from pipelines.defs.core import COURSE_UNIT, PROGRAMME, PROGRAMME_COURSE
from pipelines.defs.partitions import REFRESH_TAG, refresh_id
from pipelines.defs.resources import RegistryStore, StagedDataError
from quality.report import write_report
from registry.institutions import HARVESTED_SOURCES
from warehouse.publish import SourceHarvest, publish


def attempted_harvests(instance: dg.DagsterInstance, run_id: str) -> dict[str, dg.DagsterRun]:
    """The last harvest run of each source in this night (tagged with its refresh id), by source."""
    runs: dict[str, dg.DagsterRun] = {}
    for record in instance.get_run_records(
        dg.RunsFilter(job_name="harvest_source", tags={REFRESH_TAG: run_id})
    ):  # newest first
        runs.setdefault(record.dagster_run.tags.get("dagster/partition", ""), record.dagster_run)
    return runs


def collect_harvests(
    store: RegistryStore, run_id: str, attempted: dict[str, dg.DagsterRun] | None = None
) -> dict[str, SourceHarvest]:
    """What this run produced per source: its crawl outcome and, if staged in this run, the core tables.

    This run's own staging folder is read (verified against its manifest), not whatever ``CURRENT`` points
    at: a harvest of the same source by another run may have re-pointed it meanwhile. ``attempted`` holds
    the night's harvest runs: a source whose run ended without writing an outcome (its worker was lost, or
    the run was cancelled or timed out) is a failed harvest with that reason recorded.
    """
    harvests: dict[str, SourceHarvest] = {}
    for source in HARVESTED_SOURCES:
        outcome = store.harvest_outcome(run_id, source)
        if outcome is None:
            run = (attempted or {}).get(source)
            if run is not None:
                harvests[source] = SourceHarvest(
                    source,
                    succeeded=False,
                    reason=(
                        f"harvest run {run.run_id} ended {run.status.value} before its crawl finished "
                        "(worker lost, cancelled or timed out)"
                    ),
                )
            continue  # not attempted in this run (e.g. `refresh --source`): its published rows stay as they are
        core, damage = None, None
        if outcome.get("succeeded") and store.staging_dir(source, run_id).is_dir():
            try:
                core = store.read_staged(source, run_id)
            except StagedDataError as error:
                damage = str(error)
        succeeded = bool(outcome.get("succeeded")) and core is not None
        if succeeded:
            reason = "harvest complete"
        elif not outcome.get("succeeded"):
            reason = f"crawl finished with {outcome.get('finish_reason')!r}"
        else:
            reason = damage or "harvest not normalised"
        harvests[source] = SourceHarvest(
            source,
            succeeded=succeeded,
            reason=reason,
            core=core,
            pages_fetched=outcome.get("pages_fetched", 0),
            not_modified=outcome.get("not_modified", 0),
            skipped_by_policy=outcome.get("skipped_by_policy", 0),
            politeness=outcome.get("politeness") or {},
            errors=outcome.get("errors", 0),
            items=outcome.get("items", 0),
            started_at=datetime.fromisoformat(outcome["started_at"]),
            ended_at=datetime.fromisoformat(outcome["ended_at"]),
        )
    return harvests


def last_good_staged(store: RegistryStore, source: str) -> tuple[CoreTables | None, str]:
    """A source's newest staged tables that pass their manifest: ``CURRENT`` first, then older folders."""
    current = store.staged_run(source)
    folder = store.root / "staging" / source
    others = sorted((p.name for p in folder.iterdir() if p.is_dir()), reverse=True) if folder.is_dir() else []
    problems = []
    for run in ([current] if current else []) + [r for r in others if r != current]:
        try:
            return store.read_staged(source, run), f"staged by run {run}"
        except StagedDataError as error:
            problems.append(str(error))
    return None, "; ".join(problems) or f"{source}: nothing staged under {folder}"


@dg.asset(
    deps=[PROGRAMME, COURSE_UNIT, PROGRAMME_COURSE],
    group_name="out",
    kinds={"duckdb"},
    description="data/registry.duckdb: built in a separate file, published by an atomic rename.",
)
def out_registry__warehouse(context: dg.AssetExecutionContext, store: RegistryStore) -> dg.MaterializeResult:
    run_id = refresh_id(context)
    for source in HARVESTED_SOURCES:  # what other machines handed over, when the data is in an object store
        store.pull_outcome(run_id, source)
        store.pull_staged(source, run_id)
    store.fetch_published()
    result = publish(
        store.root,
        run_id,
        collect_harvests(store, run_id, attempted_harvests(context.instance, run_id)),
        live=store.live,
        staged_fallback=lambda source: last_good_staged(store, source),
    )
    if result.damaged is not None:
        context.log.warning(f"the published warehouse was damaged; moved to {result.damaged} and rebuilt")
    if result.warehouse.exists():
        # The data stewards' report is rewritten beside whatever warehouse is now published.
        report = write_report(result.warehouse)
        context.log.info(f"quality report: {report}")
        store.push_published(run_id)  # to the object store, pointer last, when the data lives in one
    metadata = {
        "warehouse": str(result.warehouse),
        "damaged_warehouse_moved_to": str(result.damaged or ""),
        "published_sources": ", ".join(result.published_sources) or "none",
        "kept_sources": dg.MetadataValue.json(result.kept_sources),
    }
    if not result.published_any:
        raise dg.Failure(
            description="no source could be published; the previous warehouse is untouched", metadata=metadata
        )
    return dg.MaterializeResult(metadata=metadata)
