"""Core layer: one institution's harvest normalised into the registry tables, with its per-record flags.

The flags of every per-record rule are computed here, once, and staged with the tables they concern; the
asset checks on these tables (``pipelines/defs/checks.py``) count them and judge the blocking rules.
"""

import dagster as dg
import polars as pl

from normalise.reuse import landing_digest, reusable, write_digest
from normalise.transform import build_core_tables
from pipelines.defs.partitions import LAUNCHER_TAG, REFRESH_LAUNCHER, refresh_id, source_partitions
from pipelines.defs.raw import raw_registry__harvest
from pipelines.defs.resources import RegistryStore
from quality import checks
from warehouse.lock import folder_lock, refresh_holds_lock, staging_lock_name
from warehouse.publish import published_programmes

PROGRAMME = dg.AssetKey("core_registry__programme")
COURSE_UNIT = dg.AssetKey("core_registry__course_unit")
PROGRAMME_COURSE = dg.AssetKey("core_registry__programme_course")


def _read_previous(store: RegistryStore, source: str, run_id: str):
    """The staged tables of an earlier run (downloaded first when the store is remote), verified."""
    store.pull_staged(source, run_id)
    return store.read_staged(source, run_id)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PROGRAMME,
            deps=[raw_registry__harvest],
            group_name="core",
            kinds={"polars"},
            description="Micro-credentials per academic year, every normalised field beside its raw text.",
        ),
        dg.AssetSpec(
            COURSE_UNIT,
            deps=[raw_registry__harvest],
            group_name="core",
            kinds={"polars"},
            description="Course units per academic year (credits, hours, semester, languages).",
        ),
        dg.AssetSpec(
            PROGRAMME_COURSE,
            deps=[raw_registry__harvest],
            group_name="core",
            kinds={"polars"},
            description="Which course units make up which micro-credential, and whether offered.",
        ),
    ],
    partitions_def=source_partitions,
)
def core_registry(context: dg.AssetExecutionContext, store: RegistryStore):
    source = context.partition_key
    run_id = refresh_id(context)
    store.pull_landing(run_id, source)  # the harvest may have run on another machine
    store.fetch_published()
    outcome = store.harvest_outcome(run_id, source)
    if not outcome or not outcome.get("succeeded"):
        raise dg.Failure(description=f"no complete harvest of {source} in run {run_id}")
    landing = store.landing_dir(run_id, source)
    digest = landing_digest(landing, run_id)
    previous = store.staged_run(source)
    # An unchanged landing reuses the last staged tables and record flags (normalise/reuse.py).
    core = (
        reusable(
            store.staging_dir(source, previous),
            digest,
            run_id,
            read=lambda _directory: _read_previous(store, source, previous),
        )
        if previous
        else None
    )
    published = published_programmes(store.root, source)
    if core is None:
        core = build_core_tables(source, landing, run_id)
        # Every per-record rule is computed once, here, and staged with the tables it concerns.
        record_flags = checks.record_flags(core.programme, core.course_unit, core.harvest_issue)
    else:
        context.log.info(f"landing of {source} unchanged since run {previous}: its staged tables reused")
        record_flags = core.flag
    core.flag = pl.concat([record_flags, checks.stability_flags(core.programme, published)])
    # One source's staging at a time (nightly partition runs of other sources go on side by side).
    with folder_lock(store.root, staging_lock_name(source)):
        # The refresh's lock is on its own machine's folder: with the data in an object store this worker
        # cannot see it (a killed night's tasks are purged from the broker instead, see docs/deploy.md).
        if (
            store.remote is None
            and context.run.tags.get(LAUNCHER_TAG) == REFRESH_LAUNCHER
            and not refresh_holds_lock(store.root, run_id)
        ):
            # Left behind by a killed `microcred refresh`: the next refresh owns the folder now.
            raise dg.Failure(
                description=f"{source}: the refresh {run_id} that started this run is gone; nothing staged"
            )
        # The landing digest goes in first, so the staging manifest covers it (normalise/reuse.py).
        write_digest(store.staging_dir(source, run_id), digest)
        store.stage(core, source, run_id)
        store.mark_staged(source, run_id)
    store.push_staged(source, run_id)
    for key, frame in (
        (PROGRAMME, core.programme),
        (COURSE_UNIT, core.course_unit),
        (PROGRAMME_COURSE, core.programme_course),
    ):
        yield dg.MaterializeResult(asset_key=key, metadata={"rows": frame.height, "run_id": run_id})
