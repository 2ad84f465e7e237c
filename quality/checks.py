"""Every check of the registry, as plain functions of the core tables (polars).

Two kinds:

- per-record rules: each returns flag rows with the rule's explanation (the flag frame has the warehouse
  ``flag`` columns except ``run_id``); ``record_flags`` runs them all, once, when a harvest is normalised.
  The column-level ones are Great Expectations suites (``quality.expectations``), imported only when they run:
  the crawl and the publish never pay for GX.
- blocking rules, judged on a whole harvest against the last published one (``volume_drop``,
  ``fill_rate_drift``): each gives a ``BlockingOutcome``; ``blocking_verdict`` combines them into the one
  decision the publish acts on (publish the harvest, or keep the last good data and say why).

Nothing here knows Dagster or the warehouse: the asset checks (``pipelines/defs/checks.py``) read the tables
and hand them over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from normalise.tables import polars_schema
from quality.rules import FILL_RATE_BASE, FILL_RATE_DROP, FILL_RATE_FIELDS, RULES, VOLUME_MIN_RATIO
from registry.annex_i import PROGRAMME_MANDATORY
from registry.institutions import INSTITUTIONS
from registry.tables import PROGRAMME

# The warehouse's flag table as polars builds it: every column but run_id, stamped when the flags are published.
FLAG_SCHEMA = polars_schema("flag", exclude=("run_id",))
_PROGRAMME_SCHEMA = polars_schema(PROGRAMME)


def _flags(
    rows: pl.DataFrame, rule_id: str, *, key: str, field: str, value: pl.Expr, detail: pl.Expr
) -> pl.DataFrame:
    rule = RULES[rule_id]
    return rows.select(
        pl.lit(rule.rule_id).alias("rule_id"),
        pl.lit(rule.severity).alias("severity"),
        pl.col("institution_id"),
        pl.col(key).alias("record_key"),
        pl.col("academic_year").cast(pl.Int32),
        pl.lit(field).alias("field"),
        value.cast(pl.Utf8).alias("value"),
        (pl.lit(rule.explanation + " ") + detail).alias("message"),
        pl.col("url"),
    )


def _number(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64).round(2).cast(pl.Utf8).str.replace(r"\.0$", "")


def programme_flags(programme: pl.DataFrame) -> pl.DataFrame:
    """Flags for programme records: national size rules, credits present, course-unit sum."""
    if programme.is_empty():
        return pl.DataFrame(schema=FLAG_SCHEMA)
    institution = programme.get_column("institution_id")[0]
    rules = {rid for rid, rule in RULES.items() if rule.applies(institution)}
    out: list[pl.DataFrame] = []
    credits = pl.col("credits_ects")
    if "academic_year_plausible" in rules and {"academic_year", "academic_year_raw"} <= set(
        programme.columns
    ):
        # Great Expectations' range check passes nulls; a record with no year at all is flagged here.
        out.append(
            _flags(
                programme.filter(pl.col("academic_year").is_null()),
                "academic_year_plausible",
                key="registry_id",
                field="academic_year",
                value=pl.col("academic_year_raw"),
                detail=pl.lit("No academic year could be read."),
            )
        )
    if "programme_hours_band" in rules and "study_hours_derived" in programme.columns:
        # Only hours the page publishes: derived hours are credits x the national factor by construction.
        published = programme.filter(~pl.col("study_hours_derived").fill_null(False))
        out.append(hours_band_flags(published, "programme_hours_band", key="registry_id"))
    # A range publishes the workload (both ends in credits_min/credits_max): reported, not missing.
    has_bounds = {"credits_min", "credits_max"} <= set(programme.columns)
    ranged = (
        pl.col("credits_min").is_not_null() & (pl.col("credits_min") != pl.col("credits_max"))
        if has_bounds
        else pl.lit(False)
    )
    if "credits_range" in rules and has_bounds:
        out.append(
            _flags(
                programme.filter(credits.is_null() & ranged),
                "credits_range",
                key="registry_id",
                field="credits_ects",
                value=pl.col("credits_raw"),
                detail=pl.lit("Published: ")
                + pl.col("credits_raw")
                + pl.lit(" (from ")
                + _number("credits_min")
                + pl.lit(" to ")
                + _number("credits_max")
                + pl.lit(" credits)."),
            )
        )
    if "credits_present" in rules:
        out.append(
            _flags(
                programme.filter(credits.is_null() & ~ranged),
                "credits_present",
                key="registry_id",
                field="credits_ects",
                value=pl.col("credits_raw"),
                detail=pl.lit("Reason: ") + pl.col("credits_reason").fill_null("unknown") + pl.lit("."),
            )
        )
    if "course_unit_sum" in rules:
        mismatch = programme.filter(
            credits.is_not_null()
            & pl.col("offered_credits_sum").is_not_null()
            & ((credits - pl.col("offered_credits_sum")).abs() > 0.01)
        )
        out.append(
            _flags(
                mismatch,
                "course_unit_sum",
                key="registry_id",
                field="credits_ects",
                value=_number("credits_ects"),
                detail=pl.lit("Published: ")
                + _number("credits_ects")
                + pl.lit("; sum of the ")
                + pl.col("course_unit_count").cast(pl.Utf8)
                + pl.lit(" offered course units: ")
                + _number("offered_credits_sum")
                + pl.lit("."),
            )
        )
    return pl.concat([f.cast(FLAG_SCHEMA) for f in out]) if out else pl.DataFrame(schema=FLAG_SCHEMA)


def course_unit_flags(course_unit: pl.DataFrame) -> pl.DataFrame:
    """Flags for course units: published hours per credit inside the national band."""
    if course_unit.is_empty():
        return pl.DataFrame(schema=FLAG_SCHEMA)
    return hours_band_flags(course_unit, "course_hours_band", key="course_key")


def hours_band_flags(rows: pl.DataFrame, rule_id: str, *, key: str) -> pl.DataFrame:
    """Records whose published hours per credit fall outside their country's band (BE 25-30, NL 28)."""
    if rows.is_empty():
        return pl.DataFrame(schema=FLAG_SCHEMA)
    institution = INSTITUTIONS[rows.get_column("institution_id")[0]]
    ratio = pl.col("study_hours").cast(pl.Float64) / pl.col("credits_ects").cast(pl.Float64)
    outside = rows.filter(
        pl.col("study_hours").is_not_null()
        & (pl.col("credits_ects") > 0)
        & (
            (ratio < institution.hours_per_credit_min - 1e-9)
            | (ratio > institution.hours_per_credit_max + 1e-9)
        )
    )
    band = f"{institution.hours_per_credit_min:g}-{institution.hours_per_credit_max:g}"
    return _flags(
        outside,
        rule_id,
        key=key,
        field="study_hours",
        value=pl.col("study_hours_raw"),
        detail=pl.lit("Published: ")
        + pl.col("study_hours").cast(pl.Utf8)
        + pl.lit(" hours for ")
        + _number("credits_ects")
        + pl.lit(" credits = ")
        + ratio.round(1).cast(pl.Utf8)
        + pl.lit(f" hours per credit (band {band})."),
    ).cast(FLAG_SCHEMA)


def issue_flags(harvest_issue: pl.DataFrame) -> pl.DataFrame:
    """Each harvest issue (HTTP error, page without the expected structure) as a flag."""
    if harvest_issue.is_empty():
        return pl.DataFrame(schema=FLAG_SCHEMA)
    rows = harvest_issue.with_columns(
        academic_year=pl.lit(None, pl.Int32),
        url=pl.col("source_url"),
        record_key=pl.coalesce("source_url", pl.lit("?")),
    )
    return _flags(
        rows,
        "harvest_page",
        key="record_key",
        field="page",
        value=pl.col("reason"),
        detail=pl.lit("Page kind: ")
        + pl.col("page_kind").fill_null("?")
        + pl.lit("; reason: ")
        + pl.col("reason")
        + pl.lit("."),
    ).cast(FLAG_SCHEMA)


def volume_check(new_count: int, published_count: int | None) -> tuple[bool, str]:
    """Blocking: ``(passed, reason)`` for a harvest of ``new_count`` programmes against the last published."""
    if not published_count:
        return True, f"{new_count} programmes; no earlier published run to compare with"
    ratio = new_count / published_count
    if ratio < VOLUME_MIN_RATIO:
        return False, (
            f"only {new_count} programmes harvested against {published_count} in the last published run "
            f"({ratio:.0%}, below {VOLUME_MIN_RATIO:.0%}): treated as a broken harvest, previous data kept"
        )
    return True, f"{new_count} programmes against {published_count} last published ({ratio:.0%})"


def _published(column: str) -> pl.Expr:
    """A column is published when it is filled in; a list column, when it is not empty."""
    if PROGRAMME.column(column).type.endswith("[]"):
        return pl.col(column).list.len().fill_null(0) > 0
    return pl.col(column).is_not_null()


# The Annex I mandatory elements a programme record must publish (issuer country and awarding body come from
# the institution table and are always known): an element is published when any of its columns is.
ANNEX_I_ELEMENTS: dict[str, pl.Expr] = {
    element.name: pl.any_horizontal(*(_published(column) for column in element.columns))
    for element in PROGRAMME_MANDATORY
}
# The columns a programme frame needs for the completeness rule; an element's other columns may be absent.
_ANNEX_I_COLUMNS = {element.columns[0] for element in PROGRAMME_MANDATORY}


def annex_i_flags(programme: pl.DataFrame) -> pl.DataFrame:
    """One flag per programme per Annex I mandatory element it does not publish."""
    if programme.is_empty() or not _ANNEX_I_COLUMNS <= set(programme.columns):
        return pl.DataFrame(schema=FLAG_SCHEMA)
    optional = {c for element in PROGRAMME_MANDATORY for c in element.columns[1:]} - set(programme.columns)
    programme = programme.with_columns(pl.lit(None, _PROGRAMME_SCHEMA[c]).alias(c) for c in sorted(optional))
    parts = [
        _flags(
            programme.filter(~present),
            "annex_i_completeness",
            key="registry_id",
            field=element,
            value=pl.lit(None, pl.Utf8),
            detail=pl.lit(f"Missing element: {element.replace('_', ' ')}."),
        )
        for element, present in ANNEX_I_ELEMENTS.items()
    ]
    return pl.concat([p.cast(FLAG_SCHEMA) for p in parts])


def expectation_flags(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Flags from the table's Great Expectations suite (one per unexpected row per rule)."""
    if frame.is_empty():
        return pl.DataFrame(schema=FLAG_SCHEMA)
    from quality.expectations import gx_flags

    def flags_of(rows: pl.DataFrame, rule, key: str) -> pl.DataFrame:
        value = pl.col(rule.value_column).cast(pl.Utf8)
        detail = pl.lit("Published: ") + value.fill_null("(nothing)")
        numeric = rule.field in rows.columns and rows.schema[rule.field].is_numeric()
        if numeric and rule.field != rule.value_column:
            detail = detail + pl.lit(" (read as ") + _number(rule.field).fill_null("nothing") + pl.lit(")")
        return _flags(
            rows, rule.rule_id, key=key, field=rule.field, value=value, detail=detail + pl.lit(".")
        ).cast(FLAG_SCHEMA)

    found = gx_flags(table, frame, frame.get_column("institution_id")[0], flags_of)
    return found if found is not None else pl.DataFrame(schema=FLAG_SCHEMA)


def record_flags(
    programme: pl.DataFrame, course_unit: pl.DataFrame, harvest_issue: pl.DataFrame
) -> pl.DataFrame:
    """Every per-record rule of the catalogue over one institution's core tables."""
    return pl.concat(
        [
            expectation_flags("programme", programme),
            expectation_flags("course_unit", course_unit),
            programme_flags(programme),
            annex_i_flags(programme),
            course_unit_flags(course_unit),
            issue_flags(harvest_issue),
        ]
    )


def fill_rates(programme: pl.DataFrame) -> dict[str, float]:
    """Share of programmes with each watched field filled in."""
    if programme.is_empty():
        return {}
    rates = {}
    for name in FILL_RATE_FIELDS:
        column = pl.col(name)
        filled = (
            (column.list.len().fill_null(0) > 0)
            if isinstance(programme.schema[name], pl.List)
            else column.is_not_null()
        )
        rates[name] = float(programme.select(filled.mean()).item())
    return rates


def drift_check(new_rates: dict[str, float], published_rates: dict[str, float] | None) -> tuple[bool, str]:
    """Blocking: ``(passed, reason)``; fails when a usually filled field becomes mostly empty."""
    if not published_rates:
        return True, "no earlier published run to compare fill rates with"
    collapsed = [
        f"{name} {published:.0%} -> {new_rates.get(name, 0.0):.0%}"
        for name, published in published_rates.items()
        if published >= FILL_RATE_BASE and published - new_rates.get(name, 0.0) > FILL_RATE_DROP
    ]
    if collapsed:
        return False, "fill rate collapsed: " + ", ".join(
            collapsed
        ) + "; treated as a broken harvest, previous data kept"
    return True, "fill rates in line with the last published run"


# -- blocking rules: one harvest against the last published one ---------------------------------------------
@dataclass(frozen=True)
class BlockingOutcome:
    """One blocking rule's judgement of a harvest; ``compared`` is False when nothing was published before."""

    passed: bool
    reason: str
    compared: bool = True


@dataclass(frozen=True)
class Verdict:
    """What the blocking rules decide for a harvest: publish it, or keep the last good data (and why)."""

    passed: bool
    reason: str
    broken: str | None = None  # the blocking rule that failed, when one did


def _previous(published: pl.DataFrame | None) -> pl.DataFrame | None:
    return None if published is None or published.is_empty() else published


def volume_outcome(programme: pl.DataFrame, published: pl.DataFrame | None) -> BlockingOutcome:
    """``volume_drop``: far fewer programmes than the source's last published run is a broken harvest."""
    previous = _previous(published)
    if previous is None:
        return BlockingOutcome(
            True, f"{programme.height} programmes, first publication of this source", compared=False
        )
    return BlockingOutcome(*volume_check(programme.height, previous.height))


def drift_outcome(programme: pl.DataFrame, published: pl.DataFrame | None) -> BlockingOutcome:
    """``fill_rate_drift``: a usually filled field that became mostly empty is a broken harvest."""
    previous = _previous(published)
    if previous is None:
        return BlockingOutcome(True, "no earlier published run to compare fill rates with", compared=False)
    return BlockingOutcome(*drift_check(fill_rates(programme), fill_rates(previous)))


# The catalogue's blocking rules, in the order they are judged: the first one that fails decides the reason.
BLOCKING_CHECKS: dict[str, Callable[[pl.DataFrame, pl.DataFrame | None], BlockingOutcome]] = {
    "volume_drop": volume_outcome,
    "fill_rate_drift": drift_outcome,
}


def blocking_verdict(outcomes: Mapping[str, BlockingOutcome | None]) -> Verdict:
    """The publish decision from every blocking rule's outcome (a missing outcome keeps the last good data)."""
    for rule_id in BLOCKING_CHECKS:
        outcome = outcomes.get(rule_id)
        if outcome is None:
            return Verdict(False, f"its {rule_id} check has no result; previous data kept")
        if not outcome.passed:
            return Verdict(False, outcome.reason, rule_id)
    first, *_ = BLOCKING_CHECKS
    if not outcomes[first].compared:
        return Verdict(True, outcomes[first].reason)
    return Verdict(True, "; ".join(outcomes[rule_id].reason for rule_id in BLOCKING_CHECKS))


def harvest_verdict(programme: pl.DataFrame, published: pl.DataFrame | None) -> Verdict:
    """Every blocking rule on one harvest's programmes against the source's published ones, combined."""
    return blocking_verdict(
        {rule_id: judge(programme, published) for rule_id, judge in BLOCKING_CHECKS.items()}
    )


def stability_flags(programme: pl.DataFrame, published: pl.DataFrame | None) -> pl.DataFrame:
    """Programmes whose page was published under another registry id last time."""
    if programme.is_empty() or published is None or published.is_empty():
        return pl.DataFrame(schema=FLAG_SCHEMA)
    moved = programme.join(
        published.rename({"registry_id": "previous_id"}), on=["url", "academic_year"]
    ).filter(pl.col("previous_id") != pl.col("registry_id"))
    return _flags(
        moved,
        "registry_id_stable",
        key="registry_id",
        field="registry_id",
        value=pl.col("previous_id"),
        detail=pl.lit("Previously published as ") + pl.col("previous_id") + pl.lit("."),
    ).cast(FLAG_SCHEMA)
