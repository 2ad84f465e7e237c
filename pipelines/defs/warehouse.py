"""Out layer: the published DuckDB warehouse, built from every source's staged core tables, and the quality
report written from it.

The two are one step (one op, two assets, the report downstream of the warehouse): a night that can publish
nothing new still replaces the warehouse (its ``run`` table says why) and the report must say so too, while
the step fails so that the night is seen as failed; Dagster skips everything downstream of a failed step.
"""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import dagster as dg

from normalise.transform import CoreTables
from pipelines.defs.checks import night_verdicts
from pipelines.defs.core import COURSE_UNIT, PROGRAMME, PROGRAMME_COURSE
from pipelines.defs.partitions import REFRESH_TAG, refresh_id
from pipelines.defs.report import write_quality_report
from pipelines.defs.resources import RegistryStore, StagedDataError
from quality.checks import Verdict
from registry.institutions import HARVESTED_SOURCES
from warehouse.publish import SourceHarvest, publish, warehouse_path

WAREHOUSE = dg.AssetKey("out_registry__warehouse")
QUALITY_REPORT = dg.AssetKey("out_registry__quality_report")


def attempted_harvests(instance: dg.DagsterInstance, run_id: str) -> dict[str, dg.DagsterRun]:
    """The last harvest run of each source in this night (tagged with its refresh id), by source."""
    runs: dict[str, dg.DagsterRun] = {}
    for record in instance.get_run_records(
        dg.RunsFilter(job_name="harvest_source", tags={REFRESH_TAG: run_id})
    ):  # newest first
        runs.setdefault(record.dagster_run.tags.get("dagster/partition", ""), record.dagster_run)
    return runs


def collect_harvests(
    store: RegistryStore,
    run_id: str,
    attempted: dict[str, dg.DagsterRun] | None = None,
    verdicts: Mapping[str, Verdict] | None = None,
) -> dict[str, SourceHarvest]:
    """What this run produced per source: its crawl outcome, the core tables if staged in this run, and the
    blocking checks' verdict on them (``verdicts``, by source; a source without one is not published).

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
            verdict=(verdicts or {}).get(source),
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


@dg.multi_asset(
    name="out_registry__warehouse",
    specs=[
        dg.AssetSpec(
            WAREHOUSE,
            deps=[PROGRAMME, COURSE_UNIT, PROGRAMME_COURSE],
            group_name="out",
            kinds={"duckdb"},
            description="data/registry.duckdb: built in a separate file, published by an atomic rename.",
            skippable=True,
        ),
        dg.AssetSpec(
            QUALITY_REPORT,
            deps=[WAREHOUSE],
            group_name="out",
            kinds={"html"},
            description="data/quality_report.html and data/quality_report/: the data stewards' report of the "
            "published warehouse, one page per institution.",
            skippable=True,
        ),
    ],
    can_subset=True,
)
def out_registry__warehouse(context: dg.AssetExecutionContext, store: RegistryStore):
    """Publishes the warehouse from the night's harvests, then writes the report of what is now published."""
    if WAREHOUSE not in context.selected_asset_keys:  # the report alone, of the warehouse as it is
        store.fetch_published()
        yield _report(context, warehouse_path(store.root))
        return
    run_id = refresh_id(context)
    for source in HARVESTED_SOURCES:  # what other machines handed over, when the data is in an object store
        store.pull_outcome(run_id, source)
        store.pull_staged(source, run_id)
    store.fetch_published()
    harvests = collect_harvests(
        store,
        run_id,
        attempted_harvests(context.instance, run_id),
        night_verdicts(context.instance, run_id),
    )
    result = publish(
        store.root,
        run_id,
        harvests,
        live=store.live,
        staged_fallback=lambda source: last_good_staged(store, source),
    )
    if result.damaged is not None:
        context.log.warning(f"the published warehouse was damaged; moved to {result.damaged} and rebuilt")
    metadata = {
        "warehouse": str(result.warehouse),
        "damaged_warehouse_moved_to": str(result.damaged or ""),
        "published_sources": ", ".join(result.published_sources) or "none",
        "kept_sources": dg.MetadataValue.json(result.kept_sources),
    }
    if result.warehouse.exists():
        yield dg.MaterializeResult(asset_key=WAREHOUSE, metadata=metadata)
        if QUALITY_REPORT in context.selected_asset_keys:
            # The data stewards' report is rewritten beside whatever warehouse is now published.
            yield _report(context, result.warehouse)
        store.push_published(run_id)  # to the object store, pointer last, when the data lives in one
    if not result.published_any:
        raise dg.Failure(
            description="no source could be published; the previous warehouse is untouched", metadata=metadata
        )


def _report(context: dg.AssetExecutionContext, warehouse: Path) -> dg.MaterializeResult:
    """Writes the report of the published ``warehouse`` and records it as the report asset's materialisation."""
    report = write_quality_report(warehouse)
    context.log.info(f"quality report: {report}")
    pages = report.with_name(report.name.removesuffix(".html"))
    return dg.MaterializeResult(
        asset_key=QUALITY_REPORT,
        metadata={"report": str(report), "pages": len(list(pages.glob("*.html")))},
    )
