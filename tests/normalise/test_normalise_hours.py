"""Study hours: published totals as integers, kept apart from credits; hours derived from credits."""

from __future__ import annotations

import polars as pl
import pytest

from normalise import HOURS_PER_CREDIT, derive_study_hours, normalise, normalise_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("168", 168),
        ("Study load (hours): 840", 840),
        ("Study load (hours): 168 (6 cr.)", 168),
        ("168 (6 cr.)", 168),
        ("150 u", 150),
        ("Studietijd 150 u", 150),
        ("Studietijd: 150 u", 150),
        ("Study load: 168 hours (6 EC)", 168),
        ("120 hours", 120),
        ("84 uur", 84),
        ("168.0", 168),
        ("1.680 uur", 1680),
        ("37,5 u", 38),
        ("Studietijd 150 u, contacturen 40 u", 150),
    ],
)
def test_hours_formats(raw: str, expected: int) -> None:
    value, reason = normalise_value("hours", raw)
    assert value == expected
    assert isinstance(value, int)
    assert reason is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-1", "negative_sentinel"),
        ("Study load (hours): -1", "negative_sentinel"),
        ("Self study - 82 hrs", "partial_hours"),
        ("LC - 9hrs; T - 15hrs; PR - 6hrs; S-20hrs; Self study - 82 hrs", "partial_hours"),
        ("Contact hours: 45", "partial_hours"),
        ("150-180 u", "range"),
        ("6 ECTS", "credits_not_hours"),
        ("n.v.t.", "absent"),
        (None, "absent"),
        ("", "absent"),
        ("many", "unparseable"),
    ],
)
def test_hours_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("hours", raw) == (None, reason)


def test_ocasys_minus_one_is_unknown_never_the_number() -> None:
    out = normalise("hours", pl.Series([-1, 168, -1, None], dtype=pl.Int64))
    assert out["value"].to_list() == [None, 168, None, None]
    assert out["reason"].to_list() == ["negative_sentinel", None, "negative_sentinel", "absent"]
    assert out["raw"].to_list() == [-1, 168, -1, None]


def test_national_factors() -> None:
    assert HOURS_PER_CREDIT == {"BE": 27.5, "NL": 28.0}


def test_derive_study_hours() -> None:
    frame = pl.DataFrame(
        {
            "credits": [6.0, 6.0, 7.5, 3.0, None, 6.0, 0.0, -1.0, 5.0],
            "country": ["NL", "BE", "BE", "BE", "NL", "US", "NL", "BE", " nl "],
        }
    )
    derived = frame.select(derive_study_hours(pl.col("credits"), pl.col("country")).alias("d")).unnest("d")
    assert derived.schema == pl.Schema({"hours": pl.Int64(), "factor": pl.Float64()})
    # NL 6 x 28 = 168; BE 6 x 27.5 = 165; 7.5 x 27.5 = 206.25 -> 206; 3 x 27.5 = 82.5 -> 83 (half away from 0)
    assert derived["hours"].to_list() == [168, 165, 206, 83, None, None, None, None, 140]
    assert derived["factor"].to_list() == [28.0, 27.5, 27.5, 27.5, None, None, None, None, 28.0]
