"""Rule checks over the core tables (polars): each returns flag rows with the rule's explanation.

Pure functions of data frames, so they run the same in tests, in Dagster asset checks and in the publish
step. The flag frame has the warehouse ``flag`` columns except ``run_id``.
"""

from __future__ import annotations

import polars as pl

from pipelines.institutions import INSTITUTIONS
from quality.rules import RULES, VOLUME_MIN_RATIO

FLAG_SCHEMA = {
    "rule_id": pl.Utf8,
    "severity": pl.Utf8,
    "institution_id": pl.Utf8,
    "record_key": pl.Utf8,
    "academic_year": pl.Int32,
    "field": pl.Utf8,
    "value": pl.Utf8,
    "message": pl.Utf8,
    "url": pl.Utf8,
}


# (rule, which side of the bound breaks it, bound): the national micro-credential size rules.
_SIZE_RULES = (
    ("flanders_size_min", "below", 3.0),
    ("flanders_size_max", "above", 20.0),
    ("netherlands_size_min", "below", 3.0),
    ("netherlands_size_max", "above", 30.0),
)


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
    for rule_id, too_far, bound in _SIZE_RULES:
        if rule_id in rules:
            limit = pl.col("credits_ects") < bound if too_far == "below" else pl.col("credits_ects") > bound
            out.append(
                _flags(
                    programme.filter(limit),
                    rule_id,
                    key="registry_id",
                    field="credits_ects",
                    value=pl.col("credits_raw"),
                    detail=pl.lit("Published credits: ")
                    + _number("credits_ects")
                    + pl.lit(f" ({'minimum' if too_far == 'below' else 'maximum'} {bound:g})."),
                )
            )
    if "programme_hours_band" in rules and "study_hours_derived" in programme.columns:
        inst = INSTITUTIONS[institution]
        ratio = pl.col("study_hours").cast(pl.Float64) / credits.cast(pl.Float64)
        published = programme.filter(
            ~pl.col("study_hours_derived").fill_null(False)
            & pl.col("study_hours").is_not_null()
            & (credits > 0)
            & ((ratio < inst.hours_per_credit_min - 1e-9) | (ratio > inst.hours_per_credit_max + 1e-9))
        )
        band = f"{inst.hours_per_credit_min:g}-{inst.hours_per_credit_max:g}"
        out.append(
            _flags(
                published,
                "programme_hours_band",
                key="registry_id",
                field="study_hours",
                value=pl.col("study_hours_raw"),
                detail=pl.lit("Published: ")
                + pl.col("study_hours").cast(pl.Utf8)
                + pl.lit(" hours for ")
                + _number("credits_ects")
                + pl.lit(" credits = ")
                + ratio.round(1).cast(pl.Utf8)
                + pl.lit(f" hours per credit (band {band})."),
            )
        )
    if "credits_present" in rules:
        out.append(
            _flags(
                programme.filter(credits.is_null()),
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
    institution = INSTITUTIONS[course_unit.get_column("institution_id")[0]]
    ratio = pl.col("study_hours").cast(pl.Float64) / pl.col("credits_ects").cast(pl.Float64)
    outside = course_unit.filter(
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
        "course_hours_band",
        key="course_key",
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


def all_flags(
    programme: pl.DataFrame, course_unit: pl.DataFrame, harvest_issue: pl.DataFrame
) -> pl.DataFrame:
    return pl.concat([programme_flags(programme), course_unit_flags(course_unit), issue_flags(harvest_issue)])
