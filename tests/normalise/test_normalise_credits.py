"""Credits: ECTS as a float from every raw format the three sites publish."""

from __future__ import annotations

import polars as pl
import pytest

from normalise import normalise, normalise_value


def row(raw: str | None) -> dict:
    return normalise("credits", pl.Series("raw", [raw], dtype=pl.Utf8)).row(0, named=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # UAntwerp div.spec.points and div.spec.tax
        ("6 ECTS-credits", 6.0),
        ("6 <span>ECTS-credits</span>", 6.0),
        ("6 studiepunten", 6.0),
        ("Study load (hours): 168 (6 cr.)", 6.0),
        ("168 (6 cr.)", 6.0),
        ("84 (3 cr.)", 3.0),
        ("840 (30 cr.)", 30.0),
        # UGent cards, SP column and studiefiche
        ("8 credits", 8.0),
        ("1 year | 8 credits", 8.0),
        ("1 jaar | 8 studiepunten", 8.0),
        ("5", 5.0),
        ("5,0", 5.0),
        ("Studiepunten: 4", 4.0),
        # Ocasys and RUG summer schools
        ("5.0", 5.0),
        ("credits 3 EC", 3.0),
        ("3 EC", 3.0),
        ("Study load: 168 hours (6 EC)", 6.0),
        # decimals are kept, comma or point
        ("7,5 ECTS", 7.5),
        ("7.5 ECTS", 7.5),
        ("2,5", 2.5),
        # spacing, case and entities
        ("  6 ECTS  ", 6.0),
        ("6&nbsp;ECTS", 6.0),
        ("6\u00a0ECTS", 6.0),
        ("6 ects", 6.0),
        ("6ECTS", 6.0),
        ("ECTS-credits: 6", 6.0),
        # a zero the page states is kept (never invented, never dropped)
        ("0", 0.0),
    ],
)
def test_credits_formats(raw: str, expected: float) -> None:
    value, reason = normalise_value("credits", raw)
    assert value == expected
    assert isinstance(value, float)
    assert reason is None


def test_seven_and_a_half_is_never_truncated() -> None:
    assert normalise_value("credits", "7,5 ECTS")[0] == pytest.approx(7.5)
    assert normalise_value("credits", "7,5 ECTS")[0] != 7


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "absent"),
        ("", "absent"),
        ("   ", "absent"),
        ("n.v.t.", "absent"),
        ("N.V.T.", "absent"),
        ("nvt", "absent"),
        ("-", "absent"),
        ("–", "absent"),
        ("TBA", "absent"),
        ("Credits: n.v.t.", "absent"),
        ("Credits (TBC)", "absent"),
        ("168 hours", "hours_not_credits"),
        ("Study load: 168 hours", "hours_not_credits"),
        ("4/5/6 ECTS", "range"),
        ("3-6 EC", "range"),
        ("3 or 6 ECTS", "range"),
        ("-1", "negative_sentinel"),
        ("credits", "unparseable"),
        ("lots of work", "unparseable"),
    ],
)
def test_credits_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("credits", raw) == (None, reason)


def test_a_missing_value_never_becomes_zero() -> None:
    values = normalise("credits", pl.Series([None, "", "n.v.t.", "-"], dtype=pl.Utf8))["value"]
    assert values.null_count() == 4


def test_bare_number_is_credits_with_unit_not_stated() -> None:
    # Decision: the column fixes the unit; "168" is not reinterpreted as hours, but marked as unit-less.
    assert row("168")["value"] == 168.0
    assert row("168")["unit_stated"] is False
    assert row("5")["unit_stated"] is False
    assert row("6 ECTS")["unit_stated"] is True
    assert row("n.v.t.")["unit_stated"] is None
