"""Fee: euros as a float, what it covers, provisional flag, and per-credit fees."""

from __future__ import annotations

import polars as pl
import pytest

from normalise import fee_for_credits, normalise, normalise_value


def row(raw: str | None) -> dict:
    return normalise("fee", pl.Series("raw", [raw], dtype=pl.Utf8)).row(0, named=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("€ 3.500 (= €320 administration fee + (60 x €53/ECTS))", 3500.0),
        ("€ 3.500", 3500.0),
        ("€ 3.50", 3.5),
        ("€3.500,00", 3500.0),
        ("€ 1,486.00", 1486.0),
        ("€ 743,-", 743.0),
        ("€ 1.486,-", 1486.0),
        ("€ 743,- for a 5 ECTS course", 743.0),
        ("Fee (TBC) € 450", 450.0),
        ("EUR 50", 50.0),
        ("fee EUR 50", 50.0),
        ("450 euro", 450.0),
        ("450 €", 450.0),
        ("€ 265,70", 265.7),
        ("€ 20 000", 20000.0),
        ("€&nbsp;3.500", 3500.0),
        ("&euro; 450", 450.0),
        ("450", 450.0),
        ("gratis", 0.0),
        ("Free of charge", 0.0),
    ],
)
def test_fee_amounts(raw: str, expected: float) -> None:
    value, reason = normalise_value("fee", raw)
    assert value == pytest.approx(expected)
    assert isinstance(value, float)
    assert reason is None


def test_fee_covers_the_build_up() -> None:
    result = row("€ 3.500 (= €320 administration fee + (60 x €53/ECTS))")
    assert result["covers"] == "320 administration fee + 60 x 53/ECTS"
    assert result["provisional"] is False
    assert row("€ 743,- for a 5 ECTS course")["covers"] == "a 5 ECTS course"
    assert row("€ 743,-")["covers"] is None


def test_fee_to_be_confirmed_is_provisional() -> None:
    result = row("Fee (TBC) € 450")
    assert (result["value"], result["provisional"]) == (450.0, True)
    assert row("EUR 50")["provisional"] is False


def test_fixed_plus_per_credit_fee_needs_the_credits() -> None:
    result = row("€ 265,70 vast bedrag + € 12,50 per studiepunt")
    assert (result["value"], result["reason"]) == (None, "per_credit")
    assert result["fixed_amount"] == pytest.approx(265.7)
    assert result["per_credit"] == pytest.approx(12.5)
    only_rate = row("€ 53/ECTS")
    assert (only_rate["value"], only_rate["reason"], only_rate["fixed_amount"]) == (None, "per_credit", None)
    assert only_rate["per_credit"] == pytest.approx(53.0)


def test_fee_for_credits() -> None:
    frame = pl.DataFrame(
        {
            "fixed": [265.7, None, None, 100.0],
            "rate": [12.5, 53.0, None, 10.0],
            "credits": [5.0, 60.0, 6.0, None],
        }
    )
    values = (
        frame.select(fee_for_credits(pl.col("fixed"), pl.col("rate"), pl.col("credits")))
        .to_series()
        .to_list()
    )
    assert values[0] == pytest.approx(265.7 + 5 * 12.5)
    assert values[1] == pytest.approx(60 * 53.0)
    assert values[2] is None and values[3] is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "absent"),
        ("", "absent"),
        ("n.v.t.", "absent"),
        ("Fee: TBA", "absent"),
        ("Fee (TBC)", "absent"),
        ("€ 10 per credit for students, € 20 per credit for others", "multiple_amounts"),
        ("-500 EUR", "negative"),
        ("€ -500", "negative"),
        ("1e999 EUR", "unparseable"),
        ("$ 500", "other_currency"),
        ("CHF 300", "other_currency"),
        ("expensive", "unparseable"),
    ],
)
def test_fee_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("fee", raw) == (None, reason)
