"""Out layer: the published DuckDB warehouse, built from every source's staged core tables."""

from datetime import datetime

import dagster as dg

from pipelines.defs.core import COURSE_UNIT, PROGRAMME, PROGRAMME_COURSE
from pipelines.defs.partitions import refresh_id
from pipelines.defs.resources import RegistryStore, StagedDataError
from pipelines.institutions import HARVESTED_SOURCES
from pipelines.transform import CoreTables
from quality.report import write_report
from warehouse.publish import SourceHarvest, publish


def collect_harvests(store: RegistryStore, run_id: str) -> dict[str, SourceHarvest]:
    """What this run produced per source: its crawl outcome and, if staged in this run, the core tables.

    This run's own staging folder is read (verified against its manifest), not whatever ``CURRENT`` points
    at: a harvest of the same source by another run may have re-pointed it meanwhile.
    """
    harvests: dict[str, SourceHarvest] = {}
    for source in HARVESTED_SOURCES:
        outcome = store.harvest_outcome(run_id, source)
        if outcome is None:
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
    result = publish(
        store.root,
        run_id,
        collect_harvests(store, run_id),
        live=store.live,
        staged_fallback=lambda source: last_good_staged(store, source),
    )
    if result.damaged is not None:
        context.log.warning(f"the published warehouse was damaged; moved to {result.damaged} and rebuilt")
    if result.warehouse.exists():
        # The data stewards' report is rewritten beside whatever warehouse is now published.
        report = write_report(result.warehouse)
        context.log.info(f"quality report: {report}")
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
