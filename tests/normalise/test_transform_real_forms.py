"""The real value forms reach the core tables: landed raw items -> programme, course_unit and programme_course
columns, each beside its raw text and reason (issue 12 item 5). The landed records are our own fixtures, written
in the shape the spiders land (``scrapers/items.py``)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import polars as pl

from normalise.transform import build_core_tables

PROVENANCE = {
    "fetched_at": "2025-06-01T02:00:00+00:00",
    "http_status": 200,
    "body_sha256": "0" * 64,
    "spider": "uantwerpen",
    "spider_version": "test",
    "run_id": "run-1",
}


def programme(code: str, **fields: object) -> dict:
    url = f"https://www.uantwerpen.be/en/summer-schools/{code}/"
    return {
        "source_code": code,
        "title": code,
        "academic_year_raw": "2025-2026",
        "source_url": url,
        **PROVENANCE,
        **fields,
    }


def land(directory: Path, kind: str, records: list[dict]) -> None:
    (directory / f"{kind}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def build(tmp_path: Path) -> pl.DataFrame:
    land(
        tmp_path,
        "programme",
        [
            programme(
                "ranged",
                credits_raw="4 ECTS (+2 with an individual paper)",
                hours_raw="120 hours of study time, including 24 hours of lectures and 12 hours of exercises",
                info={"Fee": "PhD students: €300 | Others: €650", "Dates": "14 - 18 July 2025"},
            ),
            programme(
                "formula",
                credits_raw="6 ECTS",
                info={"Fee": "€ 75,40 + (aantal studiepunten x € 8,50)", "Start": "from 3 - 14 June 2024"},
            ),
            programme("stated", credits_raw="3 ECTS", info={"Fee": "€ 450", "Contact hours": "40"}),
        ],
    )
    land(
        tmp_path,
        "programme_course",
        [
            {
                "programme_code": "formula",
                "course_code": "C000001",
                "course_name": "Unit A",
                "credits_raw": "6",
                "semester_raw": code,
                "offered": True,
                "position": position,
                "academic_year_raw": "2025",
                "source_url": "https://www.uantwerpen.be/en/summer-schools/formula/",
                "run_id": "run-1",
            }
            | {"course_code": f"C00000{position}"}
            for position, code in enumerate(["A1", "(2)", "3"], start=1)
        ],
    )
    land(
        tmp_path,
        "course_unit",
        [
            {
                "code": "C000001",
                "name": "Unit A",
                "credits_raw": "6",
                "hours_raw": "168",
                "contact_hours_raw": "45",
                "semester_raw": "A1",
                "academic_year_raw": "2025",
                "source_url": "https://www.uantwerpen.be/ajax/courseInfo?id=2025-C000001",
                **PROVENANCE,
            }
        ],
    )
    return build_core_tables("uantwerpen", tmp_path, "run-1")


def test_programme_columns(tmp_path: Path) -> None:
    tables = build(tmp_path)
    rows = {row["registry_id"]: row for row in tables.programme.iter_rows(named=True)}
    ranged, formula, stated = rows["uantwerpen:ranged"], rows["uantwerpen:formula"], rows["uantwerpen:stated"]

    assert (
        ranged["credits_ects"],
        ranged["credits_min"],
        ranged["credits_max"],
        ranged["credits_reason"],
    ) == (
        None,
        4.0,
        6.0,
        "range",
    )
    assert (stated["credits_ects"], stated["credits_min"], stated["credits_max"]) == (3.0, 3.0, 3.0)

    assert (ranged["study_hours"], ranged["study_hours_derived"], ranged["contact_hours"]) == (120, False, 36)
    assert ranged["contact_hours_raw"] == ranged["study_hours_raw"]
    assert (stated["contact_hours"], stated["contact_hours_raw"], stated["contact_hours_reason"]) == (
        40,
        "40",
        None,
    )
    assert (formula["contact_hours"], formula["contact_hours_reason"]) == (None, "absent")

    assert (ranged["fee_eur"], ranged["fee_reason"], ranged["fee_eur_derived"]) == (None, "tiers", None)
    assert ranged["fee_tiers"] == [
        {"label": "PhD students", "amount_eur": 300.0},
        {"label": "Others", "amount_eur": 650.0},
    ]
    # The formula's fee for the programme's 6 credits is derived, and marked so: 75.40 + 6 x 8.50 = 126.40.
    assert (formula["fee_fixed_eur"], formula["fee_per_credit_eur"]) == (Decimal("75.40"), Decimal("8.50"))
    assert (formula["fee_eur"], formula["fee_eur_derived"], formula["fee_reason"]) == (
        Decimal("126.40"),
        True,
        None,
    )
    assert (stated["fee_eur"], stated["fee_eur_derived"]) == (Decimal("450.00"), False)

    assert (ranged["start_date"], ranged["end_date"]) == (dt.date(2025, 7, 14), dt.date(2025, 7, 18))
    # A period written under "Start" gives its end too.
    assert (formula["start_date"], formula["end_date"]) == (dt.date(2024, 6, 3), dt.date(2024, 6, 14))


def test_course_unit_and_programme_course_columns(tmp_path: Path) -> None:
    tables = build(tmp_path)
    unit = tables.course_unit.filter(pl.col("code") == "C000001").row(0, named=True)
    assert (unit["study_hours"], unit["contact_hours"], unit["contact_hours_raw"]) == (168, 45, "45")
    assert (unit["semester"], unit["semester_offering"], unit["credits_min"], unit["credits_max"]) == (
        "S1",
        "A",
        6.0,
        6.0,
    )
    rows = tables.programme_course.sort("position").select(
        "semester_raw", "semester", "semester_offering", "semester_reason"
    )
    assert rows.rows() == [
        ("A1", "S1", "A", None),
        ("(2)", None, None, "not_offered"),
        ("3", "SUMMER", None, None),
    ]
