"""The registry's checks as Dagster asset checks on the core tables, one institution (partition) at a time.

- ``volume_drop`` and ``fill_rate_drift`` are blocking: judged once per harvest by ``quality.checks`` on the
  staged programmes against the source's last published ones. In a run that also builds the warehouse, a
  failure stops it (Dagster does not run an asset downstream of a failed blocking check). In the nightly
  jobs the harvest and the publish are separate runs: the publish reads these outcomes back
  (``night_verdicts``) and keeps a blocked source's last good data, with the reason in the ``run`` table.
- every other programme and course-unit rule of the catalogue is a non-blocking check, passed when no record
  broke it. The per-record flags are computed once, when the harvest is normalised, and staged with the
  tables; the checks count them.
"""

from collections.abc import Mapping

import dagster as dg
import polars as pl

from pipelines.defs.core import COURSE_UNIT, PROGRAMME
from pipelines.defs.partitions import PARTITION_TAG, REFRESH_TAG, refresh_id
from pipelines.defs.resources import RegistryStore
from quality import checks
from quality.rules import RULES
from warehouse.publish import published_programmes

_RECORD_ASSET = {"programme": PROGRAMME, "course_unit": COURSE_UNIT}
EXAMPLES = 5  # flagged records shown in a failed check's metadata


# -- blocking: a harvest against the last published one ---------------------------------------------------
def _blocking_result(
    rule_id: str, context: dg.AssetCheckExecutionContext, store: RegistryStore
) -> dg.AssetCheckResult:
    source = context.partition_key
    run_id = refresh_id(context)
    store.pull_staged(source, run_id)  # this step may run on another machine than the one that staged it
    store.fetch_published()
    programme = store.read_staged_table(source, run_id, "programme")
    published = published_programmes(store.root, source)
    outcome = checks.BLOCKING_CHECKS[rule_id](programme, published)
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "reason": outcome.reason,
            "compared": outcome.compared,
            "programmes": programme.height,
            "published_programmes": published.height if published is not None else 0,
        },
    )


def _description(rule_id: str) -> str:
    rule = RULES[rule_id]
    return f"{rule.title}. {rule.explanation}"


@dg.asset_check(
    asset=PROGRAMME,
    name="volume_drop",
    blocking=True,
    description=_description("volume_drop"),
)
def volume_drop(context: dg.AssetCheckExecutionContext, store: RegistryStore) -> dg.AssetCheckResult:
    return _blocking_result("volume_drop", context, store)


@dg.asset_check(
    asset=PROGRAMME,
    name="fill_rate_drift",
    blocking=True,
    description=_description("fill_rate_drift"),
)
def fill_rate_drift(context: dg.AssetCheckExecutionContext, store: RegistryStore) -> dg.AssetCheckResult:
    return _blocking_result("fill_rate_drift", context, store)


def run_outcomes(instance: dg.DagsterInstance, run_id: str) -> dict[str, checks.BlockingOutcome]:
    """The blocking checks' outcomes recorded in one Dagster run, by rule id."""
    outcomes = {}
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.asset_check_evaluation_data
        metadata = evaluation.metadata
        # A result without these entries (an older version's) is no outcome: the harvest is not published.
        if evaluation.check_name in checks.BLOCKING_CHECKS and {"reason", "compared"} <= set(metadata):
            outcomes[evaluation.check_name] = checks.BlockingOutcome(
                evaluation.passed,
                str(metadata["reason"].value),
                bool(metadata["compared"].value),
            )
    return outcomes


def night_verdicts(instance: dg.DagsterInstance, night: str) -> dict[str, checks.Verdict]:
    """Per source, the blocking verdict of its latest run in the night ``night`` that judged one.

    A night's runs share the refresh tag; a run started without it (``dagster dev``) is its own night.
    """
    runs = [
        record.dagster_run for record in instance.get_run_records(dg.RunsFilter(tags={REFRESH_TAG: night}))
    ]
    untagged = instance.get_run_by_id(night)
    if untagged is not None and all(run.run_id != night for run in runs):
        runs.append(untagged)
    verdicts: dict[str, checks.Verdict] = {}
    for run in runs:  # newest first
        source = run.tags.get(PARTITION_TAG)
        if source is None or source in verdicts:
            continue
        outcomes = run_outcomes(instance, run.run_id)
        if outcomes:
            verdicts[source] = checks.blocking_verdict(outcomes)
    return verdicts


# -- per record: the catalogue's rules, counted on the staged flags -----------------------------------------
RECORD_CHECK_SPECS = [
    dg.AssetCheckSpec(
        rule.rule_id,
        asset=_RECORD_ASSET[rule.record],
        description=f"{rule.title}. {rule.explanation}",
    )
    for rule in RULES.values()
    if rule.record in _RECORD_ASSET and not rule.blocking
]


def check_results(flags: pl.DataFrame, checked: Mapping[str, int]) -> list[dg.AssetCheckResult]:
    """One result per record rule: passed when no record broke it, with counts and a few examples."""
    counts = dict(flags.group_by("rule_id").len().iter_rows()) if not flags.is_empty() else {}
    results = []
    for spec in RECORD_CHECK_SPECS:
        rule = RULES[spec.name]
        failing = int(counts.get(rule.rule_id, 0))
        examples = flags.filter(pl.col("rule_id") == rule.rule_id).head(EXAMPLES)
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


@dg.multi_asset_check(specs=RECORD_CHECK_SPECS, name="record_rules")
def record_rules(context: dg.AssetCheckExecutionContext, store: RegistryStore):
    """The per-record rules of the catalogue, counted on the flags staged with the harvest."""
    source = context.partition_key
    run_id = refresh_id(context)
    store.pull_staged(source, run_id)
    # Only what the counts need: the flags and the two tables' row counts, not the whole staged harvest.
    flags = store.read_staged_table(source, run_id, "flag")
    checked = {table: store.staged_height(source, run_id, table) for table in ("programme", "course_unit")}
    yield from check_results(flags, checked)
