"""Academic year (start year) and dates (single dates and ranges)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from normalise import normalise, normalise_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-2025", 2024),
        ("2024 - 2025", 2024),
        ("2024–2025", 2024),
        ("2024/2025", 2024),
        ("2024-25", 2024),
        ("aj=2024", 2024),
        ("academiejaar 2024-2025", 2024),
        ("Academiejaar 2024-2025", 2024),
        ("2026-2027", 2026),
        ("2025-2026", 2025),
        ("2024", 2024),
        ("https://studiekiezer.ugent.be/nl/zoek?zt=&aj=2024&loc=GENT", 2024),
        ("WMMB015-05.2026-2027.1", 2026),
        ("2025-2002WETGDS", 2025),
        ("2099-2100", 2099),
    ],
)
def test_academic_year_formats(raw: str, expected: int) -> None:
    assert normalise_value("academic_year", raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1999", "implausible"),
        ("1999-2000", "implausible"),
        ("2101", "implausible"),
        ("3000", "implausible"),
        ("2024-2026", "inconsistent"),
        ("2024-27", "inconsistent"),
        ("next year", "unparseable"),
        ("n.v.t.", "absent"),
        (None, "absent"),
    ],
)
def test_academic_year_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("academic_year", raw) == (None, reason)


D = dt.date


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("2024-09-23", D(2024, 9, 23), None),
        ("2024-09-23T10:00:00Z", D(2024, 9, 23), None),
        ("23 september 2024", D(2024, 9, 23), None),
        ("23 September 2024", D(2024, 9, 23), None),
        ("23 sept. 2024", D(2024, 9, 23), None),
        ("23rd September 2024", D(2024, 9, 23), None),
        ("September 23, 2024", D(2024, 9, 23), None),
        ("1 mei 2025", D(2025, 5, 1), None),
        ("3 maart 2025", D(2025, 3, 3), None),
        ("12 okt 2025", D(2025, 10, 12), None),
        ("23/09/2024", D(2024, 9, 23), None),
        ("23.09.2024", D(2024, 9, 23), None),
        ("23-09-2024", D(2024, 9, 23), None),
        ("3/2/2025", D(2025, 2, 3), None),
        ("[2026, 11, 30]", D(2026, 11, 30), None),
        ("[2026,11,30]", D(2026, 11, 30), None),
        ("26 - 30 August 2024", D(2024, 8, 26), D(2024, 8, 30)),
        ("Dates 26 - 30 August 2024", D(2024, 8, 26), D(2024, 8, 30)),
        ("11–22 September 2023", D(2023, 9, 11), D(2023, 9, 22)),
        ("26 August - 6 September 2024", D(2024, 8, 26), D(2024, 9, 6)),
        ("30 August 2021 - 3 September 2021", D(2021, 8, 30), D(2021, 9, 3)),
        ("when 30 August 2021 - 3 September 2021", D(2021, 8, 30), D(2021, 9, 3)),
        ("26/08/2024 - 30/08/2024", D(2024, 8, 26), D(2024, 8, 30)),
        ("28 December - 3 January 2025", D(2024, 12, 28), D(2025, 1, 3)),
        ("2024-08-26 to 2024-08-30", D(2024, 8, 26), D(2024, 8, 30)),
        # two dates that are not written as a period: the first is the date, there is no end
        ("Start 23 September 2024; exam 20 January 2025", D(2024, 9, 23), None),
    ],
)
def test_dates_and_ranges(raw: str, start: dt.date, end: dt.date | None) -> None:
    result = normalise("date", pl.Series("raw", [raw], dtype=pl.Utf8)).row(0, named=True)
    assert (result["value"], result["reason"]) == (start, None)
    assert (result["start"], result["end"]) == (start, end)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/02/2024", "invalid_date"),
        ("2024-13-01", "invalid_date"),
        ("[2026, 13, 30]", "invalid_date"),
        ("September 2024", "month_only"),
        ("end of September 2021", "month_only"),
        ("1 January 1900", "implausible"),
        ("30 - 26 August 2024", "inconsistent"),
        ("soon", "unparseable"),
        ("TBA", "absent"),
        ("n.v.t.", "absent"),
        (None, "absent"),
    ],
)
def test_date_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("date", raw) == (None, reason)
