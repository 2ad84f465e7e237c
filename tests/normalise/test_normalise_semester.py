"""Semester: S1, S2, YEAR, SUMMER, WINTER from Dutch, English, Roman and Ocasys term notations."""

from __future__ import annotations

import pytest

from normalise import normalise_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # UAntwerp
        ("1E SEM", "S1"),
        ("2E SEM", "S2"),
        ("1E/2E SEM", "YEAR"),
        ("exam in the 2nd semester", "S2"),
        # UGent
        ("1e semester", "S1"),
        ("2e semester", "S2"),
        ("jaar", "YEAR"),
        ("1e en 2e semester", "YEAR"),
        ("1st semester", "S1"),
        ("2nd semester", "S2"),
        # Dutch and English words, Roman numerals, codes
        ("eerste semester", "S1"),
        ("tweede semester", "S2"),
        ("First semester", "S1"),
        ("second semester", "S2"),
        ("2de semester", "S2"),
        ("semester 1", "S1"),
        ("Semester 2", "S2"),
        ("sem. 2", "S2"),
        ("semester I", "S1"),
        ("semester II", "S2"),
        ("semester II b", "S2"),
        ("S1", "S1"),
        ("S2", "S2"),
        ("jaarvak", "YEAR"),
        ("year", "YEAR"),
        ("Whole year", "YEAR"),
        ("both semesters", "YEAR"),
        ("semester 1 en 2", "YEAR"),
        # Ocasys terms and programme records
        ("TERM1A", "S1"),
        ("TERM1B", "S1"),
        ("TERM2A", "S2"),
        ("TERM2B", "S2"),
        ("TERM_1b2", "S1"),
        ("Blok 1b.2", "S1"),
        ("Blok 1a.3", "S1"),
        ("Semester 2b", "S2"),
        ("TERM1B, TERM2A", "YEAR"),
        ("WHOLE_YEAR", "YEAR"),
        # schools
        ("summer school", "SUMMER"),
        ("Summer School", "SUMMER"),
        ("zomerschool", "SUMMER"),
        ("winter school", "WINTER"),
        ("Winterschool", "WINTER"),
        # the academic year beside the semester is not read as "jaar"
        ("academiejaar 2024-2025, 1e semester", "S1"),
        ("Academic year 2025-2026 - 2nd semester", "S2"),
    ],
)
def test_semester_formats(raw: str, expected: str) -> None:
    assert normalise_value("semester", raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1e of 2e semester", "ambiguous"),
        ("semester 1 or 2", "ambiguous"),
        ("semester 3", "unparseable"),
        ("Monday", "unparseable"),
        ("TBA", "absent"),
        ("n.v.t.", "absent"),
        (None, "absent"),
        ("", "absent"),
    ],
)
def test_semester_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("semester", raw) == (None, reason)


def test_one_does_not_match_inside_two() -> None:
    # "semester II" must not be read as "semester I" followed by junk.
    assert normalise_value("semester", "semester II")[0] == "S2"
    assert normalise_value("semester", "semester 12")[0] is None
