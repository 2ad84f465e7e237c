"""A million rows drawn from ~200 distinct realistic raw strings: completes, keeps order, same answers.

Behaviour only; speed is measured by ``make bench``, never by a timed test.
"""

from __future__ import annotations

import polars as pl
import pytest

from normalise import FIELDS, normalise, normalise_value

ROWS = 1_000_000


def realistic(field: str) -> list[str | None]:
    """About 200 distinct raw strings in the formats the three sites publish."""
    common: list[str | None] = [None, "", "n.v.t.", "-"]
    sizes = [3, 4, 5, 6, 7.5, 8, 10, 15, 20, 30]
    if field == "credits":
        raws = [f"{n} ECTS-credits" for n in range(1, 41)] + [f"{n} studiepunten" for n in range(1, 41)]
        raws += [f"1 year | {n} credits" for n in range(1, 31)] + [f"{n},0" for n in range(1, 31)]
        raws += [f"Study load (hours): {n * 28} ({n} cr.)" for n in range(1, 31)]
        raws += [f"{str(n).replace('.', ',')} ECTS" for n in sizes] + ["5.0", "Study load: 168 hours (6 EC)"]
    elif field == "hours":
        raws = [str(n * 28) for n in range(1, 61)] + [f"Studietijd {n * 30} u" for n in range(1, 61)]
        raws += [f"Study load (hours): {n * 28} ({n} cr.)" for n in range(1, 61)] + [
            "-1",
            "Self study - 82 hrs",
        ]
    elif field == "semester":
        base = [
            "1E SEM",
            "2E SEM",
            "1e semester",
            "2e semester",
            "jaar",
            "1e en 2e semester",
            "TERM1A",
            "TERM1B",
        ]
        base += ["TERM2A", "TERM2B", "Blok 1b.2", "Semester 2b", "WHOLE_YEAR", "summer school", "zomerschool"]
        raws = base + [f"{s} ({y}-{y + 1})" for s in base for y in range(2020, 2032)]
    elif field == "languages":
        names = ["nl", "en", "fr", "de", "ln", "Nederlands", "Engels", "ENGLISH", "DUTCH", "Frans", "Swahili"]
        raws = [f"{a}, {b}" for a in names for b in names] + names + ["nl,en", "ln,nl", "English, Klingon"]
    elif field == "mode":
        words = ["online", "hybrid", "op de campus", "afstandsonderwijs", "blended learning", "dagonderwijs"]
        raws = [f"{a} or {b}" for a in words for b in words] + [
            f"{w} ({n})" for w in words for n in range(25)
        ]
    elif field == "level":
        raws = [f"{f} {n}" for f in ("EQF", "NLQF", "VKS-niveau", "niveau", "level") for n in range(0, 12)]
        raws += ["master", "bachelor", "MASTER", "postgraduaat", "Advanced BA/MA/PhD students"] * 1
        raws += [f"master level ({y})" for y in range(2000, 2100)]
    elif field == "fee":
        raws = [f"€ {n},-" for n in range(100, 1000, 10)] + [f"EUR {n}" for n in range(10, 500, 5)]
        raws += ["€ 3.500 (= €320 administration fee + (60 x €53/ECTS))", "Fee (TBC) € 450"]
        raws += ["€ 265,70 vast bedrag + € 12,50 per studiepunt"]
    elif field == "academic_year":
        raws = [f"{y}-{y + 1}" for y in range(1990, 2040)] + [f"aj={y}" for y in range(2000, 2050)]
        raws += [f"academiejaar {y}-{y + 1}" for y in range(2000, 2050)] + [str(y) for y in range(2000, 2050)]
    else:
        months = ["januari", "February", "maart", "April", "mei", "June", "juli", "August", "September"]
        raws = [f"{d} {m} 2024" for d in range(1, 21) for m in months]
        raws += ["26 - 30 August 2024", "[2026, 11, 30]", "2024-09-23", "23/09/2024"]
    return common + raws


@pytest.mark.parametrize("field", FIELDS)
def test_a_million_values(field: str) -> None:
    distinct = pl.Series("raw", realistic(field), dtype=pl.Utf8).unique(maintain_order=True)
    assert 100 <= distinct.len() <= 400
    rows = distinct.sample(ROWS, with_replacement=True, seed=7)
    out = normalise(field, rows)
    assert out.height == ROWS
    assert out["raw"].equals(rows, null_equal=True)
    # Same answer for a value whether it comes alone or among a million repeats.
    by_value = normalise(field, distinct).rename({"raw": "_key"})
    expected = pl.DataFrame({"_key": rows}).join(
        by_value, on="_key", how="left", nulls_equal=True, maintain_order="left"
    )
    assert out.drop("raw").equals(expected.drop("_key"), null_equal=True)
    assert out.filter(pl.col("value").is_null() == pl.col("reason").is_null()).height == 0
    for raw, value, reason in out.head(50).select("raw", "value", "reason").iter_rows():
        assert (value, reason) == normalise_value(field, raw)
