"""``registry.display``: the edge cases of the texts the dashboard and the report show (values made up here;
the real snapshot values are checked against SQL in tests/browser/test_value_forms.py and
tests/quality/test_report.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from registry import display


@pytest.mark.parametrize(
    ("ects", "low", "high", "shown"),
    [
        (7.5, 7.5, 7.5, "7.5"),
        (None, 2.0, 5.0, "2\u20135"),
        (None, 4.0, 4.0, "4"),
        (None, None, None, ""),
        (None, 3.0, None, "3"),
    ],
)
def test_credits(ects, low, high, shown):
    assert display.credits(ects, low, high) == shown


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (date(2025, 7, 14), date(2025, 7, 18), "2025-07-14 \u2013 2025-07-18"),
        (date(2025, 7, 14), date(2025, 7, 14), "2025-07-14"),
        (date(2025, 7, 14), None, "from 2025-07-14"),
        (None, date(2025, 7, 18), "until 2025-07-18"),
        (None, None, ""),
    ],
)
def test_dates(start, end, shown):
    assert display.dates(start, end) == shown


def test_fees_published_tiered_and_derived():
    assert display.fee({"fee_eur": Decimal("650.00"), "fee_eur_derived": False}) == "€650"
    assert display.fee({"fee_eur": Decimal("12.50"), "fee_eur_derived": False}) == "€12.50"
    tiers = [
        {"label": "PhD students", "amount_eur": Decimal("300.00")},
        {"label": "", "amount_eur": Decimal("650")},
    ]
    assert display.fee({"fee_tiers": tiers}) == "PhD students: €300; €650"
    derived = {
        "fee_eur": Decimal("328.20"),
        "fee_eur_derived": True,
        "fee_fixed_eur": Decimal("265.70"),
        "fee_per_credit_eur": Decimal("12.50"),
    }
    assert display.fee(derived) == "€328.20 (derived from €265.70 + €12.50 per credit)"
    # A formula whose fee could not be derived (a credit range) still shows the formula, never a made-up fee.
    assert display.fee({**derived, "fee_eur": None, "fee_eur_derived": None}) == "€265.70 + €12.50 per credit"
    assert display.fee({}) == ""
