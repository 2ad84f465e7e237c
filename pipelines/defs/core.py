"""Core layer: one institution's harvest normalised into the registry tables, with the rule checks.

The asset checks are generated from the rule catalogue (``quality.rules``): one check per rule on the
table it concerns. The volume check is blocking: a harvest far smaller than the last published one stops
here and the warehouse keeps the previous data for that source.
"""

import dagster as dg
import polars as pl

from normalise.reuse import landing_digest, reusable, write_digest
from normalise.transform import build_core_tables
from pipelines.defs.partitions import LAUNCHER_TAG, REFRESH_LAUNCHER, refresh_id, source_partitions
from pipelines.defs.raw import raw_registry__harvest
from pipelines.defs.resources import RegistryStore
from quality import checks
from quality.rules import RULES
from warehouse.lock import folder_lock, refresh_holds_lock, staging_lock_name
from warehouse.publish import blocking_checks, published_programmes

PROGRAMME = dg.AssetKey("core_registry__programme")
COURSE_UNIT = dg.AssetKey("core_registry__course_unit")
PROGRAMME_COURSE = dg.AssetKey("core_registry__programme_course")
_RECORD_ASSET = {"programme": PROGRAMME, "course_unit": COURSE_UNIT}

CHECK_SPECS = [
    dg.AssetCheckSpec(
        rule.rule_id,
        asset=_RECORD_ASSET.get(rule.record, PROGRAMME),  # harvest-level (blocking) rules sit on programme
        blocking=rule.blocking,
        description=f"{rule.title}. {rule.explanation}",
    )
    for rule in RULES.values()
    if rule.record in _RECORD_ASSET or rule.blocking
]


def check_results(
    flags: pl.DataFrame, checked: dict[str, int], blocking: tuple[bool, str, str | None]
) -> list[dg.AssetCheckResult]:
    """One result per catalogue rule: passed when no record broke it, with counts and examples.

    The blocking rules (volume, fill-rate drift) are judged on the whole harvest, by ``blocking``.
    """
    counts = dict(flags.group_by("rule_id").len().iter_rows()) if not flags.is_empty() else {}
    results = []
    for spec in CHECK_SPECS:
        rule = RULES[spec.name]
        if rule.blocking:
            passed, reason, broken = blocking
            results.append(
                dg.AssetCheckResult(
                    asset_key=spec.asset_key,
                    check_name=spec.name,
                    passed=passed or broken != rule.rule_id,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={"reason": reason},
                )
            )
            continue
        failing = int(counts.get(rule.rule_id, 0))
        examples = flags.filter(pl.col("rule_id") == rule.rule_id).head(5)
        listing = "\n".join(f"- `{k}`: {m}" for k, m in examples.select("record_key", "message").iter_rows())
        results.append(
            dg.AssetCheckResult(
                asset_key=spec.asset_key,
                check_name=spec.name,
                passed=failing == 0,
                severity=dg.AssetCheckSeverity.ERROR
                if rule.severity == "error"
                else dg.AssetCheckSeverity.WARN,
                metadata={
                    "failing_records": failing,
                    "checked_records": checked[rule.record],
                    "examples": dg.MetadataValue.md(listing or "none"),
                },
            )
        )
    return results


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
    check_specs=CHECK_SPECS,
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
    blocking = blocking_checks(core, store.root)
    for key, frame in (
        (PROGRAMME, core.programme),
        (COURSE_UNIT, core.course_unit),
        (PROGRAMME_COURSE, core.programme_course),
    ):
        yield dg.MaterializeResult(asset_key=key, metadata={"rows": frame.height, "run_id": run_id})
    checked = {"programme": core.programme.height, "course_unit": core.course_unit.height}
    yield from check_results(core.flag, checked, blocking)
