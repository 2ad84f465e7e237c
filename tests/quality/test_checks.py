"""The first registry rules on hand-made records (expectations written from the rules, not from output)."""

from __future__ import annotations

import polars as pl

from quality import checks
from quality.rules import RULES


def programmes(rows: list[dict]) -> pl.DataFrame:
    base = {
        "registry_id": "ugent:X",
        "institution_id": "ugent",
        "academic_year": 2024,
        "credits_ects": 5.0,
        "credits_raw": "1 year | 5 credits",
        "credits_reason": None,
        "offered_credits_sum": 5.0,
        "course_unit_count": 1,
        "url": "https://studiekiezer.ugent.be/2024/x/programma",
    }
    return pl.DataFrame([{**base, **row} for row in rows])


def size_flags(frame: pl.DataFrame) -> pl.DataFrame:
    """The national size rules, which run as Great Expectations expectations."""
    flags = checks.record_flags(frame, frame.clear(), pl.DataFrame())
    return flags.filter(pl.col("rule_id").str.contains("_size_"))


def test_flanders_size_rule():
    frame = programmes(
        [
            {"registry_id": "ugent:SMALL", "credits_ects": 2.0, "offered_credits_sum": 2.0},
            {"registry_id": "ugent:EDGE3", "credits_ects": 3.0, "offered_credits_sum": 3.0},
            {"registry_id": "ugent:EDGE20", "credits_ects": 20.0, "offered_credits_sum": 20.0},
            {"registry_id": "ugent:LARGE", "credits_ects": 24.0, "offered_credits_sum": 24.0},
        ]
    )
    flags = size_flags(frame)
    assert sorted(flags.select("rule_id", "severity", "record_key").rows()) == [
        ("flanders_size_max", "warning", "ugent:LARGE"),
        ("flanders_size_min", "error", "ugent:SMALL"),
    ]
    message = flags.filter(pl.col("record_key") == "ugent:SMALL")["message"][0]
    assert message.startswith(RULES["flanders_size_min"].explanation) and "2" in message


def test_flanders_rule_does_not_apply_to_groningen():
    frame = programmes(
        [
            {
                "registry_id": "rug:BIG",
                "institution_id": "rug",
                "credits_ects": 25.0,
                "offered_credits_sum": 25.0,
            }
        ]
    )
    assert checks.programme_flags(frame).is_empty()


def test_course_unit_sum_rule_uses_offered_units_only():
    frame = programmes(
        [
            {"registry_id": "ugent:OK", "credits_ects": 10.0, "offered_credits_sum": 10.0},
            {
                "registry_id": "ugent:BAD",
                "credits_ects": 10.0,
                "offered_credits_sum": 8.0,
                "course_unit_count": 2,
            },
            {"registry_id": "ugent:UNKNOWN", "credits_ects": 10.0, "offered_credits_sum": None},
        ]
    )
    flags = checks.programme_flags(frame)
    assert flags.select("rule_id", "record_key").rows() == [("course_unit_sum", "ugent:BAD")]
    assert "10" in flags["message"][0] and "8" in flags["message"][0]


def test_missing_credits_are_flagged_with_their_reason():
    frame = programmes(
        [
            {
                "registry_id": "ugent:NONE",
                "credits_ects": None,
                "credits_raw": "n.v.t.",
                "credits_reason": "absent",
                "offered_credits_sum": 5.0,
            }
        ]
    )
    flags = checks.programme_flags(frame)
    assert flags.select("rule_id", "value").rows() == [("credits_present", "n.v.t.")]
    assert "absent" in flags["message"][0]


def test_hours_band_per_country():
    units = pl.DataFrame(
        [
            {
                "course_key": "ugent:A:2024",
                "institution_id": "ugent",
                "academic_year": 2024,
                "credits_ects": 5.0,
                "study_hours": 150,
                "study_hours_raw": "150 u",
                "url": "u",
            },
            {
                "course_key": "ugent:B:2024",
                "institution_id": "ugent",
                "academic_year": 2024,
                "credits_ects": 5.0,
                "study_hours": 180,
                "study_hours_raw": "180 u",
                "url": "u",
            },
            {
                "course_key": "ugent:C:2024",
                "institution_id": "ugent",
                "academic_year": 2024,
                "credits_ects": 5.0,
                "study_hours": None,
                "study_hours_raw": None,
                "url": "u",
            },
        ]
    )
    flags = checks.course_unit_flags(units)
    assert flags.select("rule_id", "record_key").rows() == [("course_hours_band", "ugent:B:2024")]
    assert "36" in flags["message"][0]


def test_volume_check_blocks_a_collapsed_harvest():
    assert checks.volume_check(181, None)[0]
    assert checks.volume_check(170, 181)[0]
    passed, reason = checks.volume_check(12, 181)
    assert not passed and "12" in reason and "181" in reason


def test_a_credit_range_is_reported_as_information_not_as_missing_credits():
    frame = programmes(
        [
            {
                "registry_id": "uantwerpen:RANGE",
                "institution_id": "uantwerpen",
                "credits_ects": None,
                "credits_min": 4.0,
                "credits_max": 6.0,
                "credits_raw": "4/5/6 ECTS",
                "credits_reason": "range",
                "offered_credits_sum": None,
                "url": "https://www.uantwerpen.be/en/summer-schools/x/",
            },
            {
                "registry_id": "uantwerpen:NONE",
                "institution_id": "uantwerpen",
                "credits_ects": None,
                "credits_min": None,
                "credits_max": None,
                "credits_raw": "n.v.t.",
                "credits_reason": "absent",
                "offered_credits_sum": None,
                "url": "https://www.uantwerpen.be/en/summer-schools/y/",
            },
        ]
    ).with_columns(pl.col("credits_ects", "offered_credits_sum").cast(pl.Float64))
    flags = checks.programme_flags(frame)
    assert flags.select("rule_id", "severity", "record_key").sort("record_key").rows() == [
        ("credits_present", "warning", "uantwerpen:NONE"),
        ("credits_range", "info", "uantwerpen:RANGE"),
    ]
    message = flags.filter(pl.col("rule_id") == "credits_range")["message"][0]
    assert message.startswith(RULES["credits_range"].explanation)
    assert "Published: 4/5/6 ECTS (from 4 to 6 credits)." in message


def harvest(count: int, *, credits: float | None = 5.0) -> pl.DataFrame:
    """``count`` programmes with every watched field filled, except credits when ``credits`` is None."""
    return pl.DataFrame(
        {
            "registry_id": [f"ugent:P{i}" for i in range(count)],
            "title": ["A course"] * count,
            "credits_ects": pl.Series([credits] * count, dtype=pl.Float64),
            "languages": [["en"]] * count,
            "semester": ["1"] * count,
            "learning_outcomes": [["Explain things."]] * count,
        }
    )


def test_a_first_harvest_is_published_with_nothing_to_compare():
    verdict = checks.harvest_verdict(harvest(7), None)
    assert verdict == checks.Verdict(True, "7 programmes, first publication of this source")
    # An empty published table is no comparison either.
    assert checks.harvest_verdict(harvest(7), harvest(0)).passed


def test_a_harvest_in_line_with_the_published_one_is_published_with_both_reasons():
    verdict = checks.harvest_verdict(harvest(90), harvest(100))
    assert verdict.passed and verdict.broken is None
    volume, drift = verdict.reason.split("; ")
    assert "90 programmes against 100" in volume
    assert drift == "fill rates in line with the last published run"


def test_a_collapsed_volume_blocks_and_is_reported_before_a_fill_rate_collapse():
    verdict = checks.harvest_verdict(harvest(10, credits=None), harvest(100))
    assert not verdict.passed and verdict.broken == "volume_drop"
    assert "only 10 programmes harvested against 100" in verdict.reason


def test_a_collapsed_fill_rate_blocks_a_harvest_of_the_usual_size():
    verdict = checks.harvest_verdict(harvest(100, credits=None), harvest(100))
    assert not verdict.passed and verdict.broken == "fill_rate_drift"
    assert "credits_ects 100% -> 0%" in verdict.reason


def test_a_missing_check_outcome_keeps_the_last_good_data_with_a_reason():
    passed = checks.BlockingOutcome(True, "fine")
    verdict = checks.blocking_verdict({"volume_drop": passed})
    assert not verdict.passed and verdict.broken is None
    assert "fill_rate_drift" in verdict.reason and "previous data kept" in verdict.reason


def test_every_blocking_rule_of_the_catalogue_has_its_check():
    assert set(checks.BLOCKING_CHECKS) == {rule_id for rule_id, rule in RULES.items() if rule.blocking}


def test_importing_the_checks_does_not_import_great_expectations():
    import subprocess
    import sys

    code = "import sys, quality.checks, pipelines.definitions; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
