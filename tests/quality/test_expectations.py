"""Great Expectations suites from the rule catalogue: every unexpected row becomes exactly one flag."""

from __future__ import annotations

import dagster as dg
import polars as pl

from pipelines.defs.checks import check_results
from quality import checks
from quality.expectations import suite_rules, validate


def programmes() -> pl.DataFrame:
    rows = [
        ("rug:A", 2025, 5.0, "5 EC", None, "https://www.rug.nl/a"),
        ("rug:B", 2025, 2.0, "2 EC", None, "https://ocasys.rug.nl/b"),
        ("rug:C", 2025, 35.0, "35 EC", "unknown_language", "https://www.rug.nl/c"),
        ("rug:C", 2025, 35.0, "35 EC", None, "https://www.rug.nl/c?lang=nl"),
        ("rug:D", 1899, 6.0, "6 EC", None, "https://www.summerschoolsineurope.eu/d"),
        ("rug:E", 2025, None, None, None, "https://evil.example/?u=www.rug.nl/"),
    ]
    frame = pl.DataFrame(
        rows,
        schema=["registry_id", "academic_year", "credits_ects", "credits_raw", "languages_reason", "url"],
        orient="row",
    )
    return frame.with_columns(
        institution_id=pl.lit("rug"),
        languages_raw=pl.lit("x"),
        academic_year_raw=pl.col("academic_year").cast(pl.Utf8),
        semester_reason=pl.lit(None, pl.Utf8),
        semester_raw=pl.lit(None, pl.Utf8),
    )


def test_suite_is_built_from_the_catalogue_for_the_institution():
    rule_ids = {rule.rule_id for rule in suite_rules("programme", "rug")}
    assert {
        "netherlands_size_min",
        "netherlands_size_max",
        "url_own_domain",
        "registry_id_unique",
    } <= rule_ids
    assert "flanders_size_min" not in rule_ids


def test_unexpected_rows_and_flags_match_one_to_one():
    frame = programmes()
    outcomes = validate("programme", frame, "rug")
    expected = {
        "netherlands_size_min": [1],
        "netherlands_size_max": [2, 3],
        "language_iso": [2],
        "registry_id_unique": [2, 3],
        "academic_year_plausible": [4],
        "url_own_domain": [4, 5],
    }
    for rule_id, rows in expected.items():
        assert sorted(outcomes[rule_id]["unexpected_rows"]) == rows, rule_id
    flags = checks.expectation_flags("programme", frame)
    counts = dict(flags.group_by("rule_id").len().iter_rows())
    assert counts == {rule_id: len(rows) for rule_id, rows in expected.items()}
    offsite = flags.filter(pl.col("rule_id") == "url_own_domain").sort("record_key")
    assert offsite["value"].to_list() == [
        "https://www.summerschoolsineurope.eu/d",
        "https://evil.example/?u=www.rug.nl/",
    ]


def test_asset_check_results_carry_pass_fail_severity_and_counts():
    frame = programmes()
    flags = checks.expectation_flags("programme", frame)
    results = {r.check_name: r for r in check_results(flags, {"programme": 6, "course_unit": 0})}
    assert not results["netherlands_size_max"].passed
    assert results["netherlands_size_max"].severity == dg.AssetCheckSeverity.ERROR
    assert results["netherlands_size_max"].metadata["failing_records"].value == 2
    assert results["netherlands_size_max"].metadata["checked_records"].value == 6
    assert results["flanders_size_min"].passed  # no Flemish record here
    assert "volume_drop" not in results  # the blocking rules are asset checks of their own
