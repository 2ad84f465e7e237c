"""The search page shows the new value forms (issue 12) as the warehouse holds them: a credit range as '2–5',
fee tiers with their labels, a fee derived from a formula marked as derived, and start–end dates. Every expected
value is read here with SQL on the served warehouse copy; the page's own query code is not used."""

from __future__ import annotations

import re

import pytest

import tests.browser.test_dashboard as page_helpers
from tests.browser.conftest import Dashboard, Tab

pytestmark = pytest.mark.slow

MODELLING = "uantwerpen:modelling-infectious-diseases"
FILOSOFIE = "uantwerpen:micro-credential-filosofie-van-de-technologie"
DASH = "\u2013"


def euros(amount: object) -> str:
    """'€650', '€12.50': how the page writes an amount (written here independently of the dashboard)."""
    return "€" + f"{float(amount):.2f}".removesuffix(".00")


def programme(app: Dashboard, registry_id: str) -> dict:
    columns = (
        "title, academic_year, academic_year_label, credits_ects, credits_min, credits_max, start_date, end_date, "
        "fee_eur, fee_eur_derived, fee_fixed_eur, fee_per_credit_eur, fee_tiers"
    )
    [row] = page_helpers.query(
        app.warehouse,
        f"SELECT {columns} FROM programme_search WHERE registry_id = ? "
        "QUALIFY academic_year = max(academic_year) OVER ()",
        [registry_id],
    )
    return dict(zip([c.strip() for c in columns.split(",")], row, strict=True))


def search_for(app: Dashboard, tab: Tab, row: dict) -> dict[str, str]:
    """Search the programme's title in its academic year and read its row of the plain-text result list."""
    title = row["title"]
    page_helpers.open_page(tab, app.url("search", q=title, year=str(row["academic_year"])))
    count = int(page_helpers.metric(tab, "result-count"))
    shown = [r for r in page_helpers.open_result_list(tab, count) if r["Title"] == title]
    assert len(shown) == 1, shown
    return shown[0]


def test_a_credit_range_and_fee_tiers_show_as_the_warehouse_holds_them(app: Dashboard, tab: Tab):
    row = programme(app, MODELLING)
    assert row["credits_ects"] is None and row["credits_min"] < row["credits_max"]  # a range, as on the page
    assert len(row["fee_tiers"]) == 2
    shown = search_for(app, tab, row)
    assert shown["Credits"] == f"{row['credits_min']:g}{DASH}{row['credits_max']:g}" == f"2{DASH}5"
    for tier in row["fee_tiers"]:
        assert f"{tier['label']}: {euros(tier['amount_eur'])}" in shown["Fee"]
    assert shown["Dates"] == f"{row['start_date'].isoformat()} {DASH} {row['end_date'].isoformat()}"
    page_helpers.assert_stayed_local(tab)


def test_a_fee_from_a_formula_is_marked_as_derived(app: Dashboard, tab: Tab):
    row = programme(app, FILOSOFIE)
    assert row["fee_eur_derived"] is True
    shown = search_for(app, tab, row)
    assert shown["Fee"] == (
        f"{euros(row['fee_eur'])} (derived from {euros(row['fee_fixed_eur'])} + "
        f"{euros(row['fee_per_credit_eur'])} per credit)"
    )
    assert shown["Credits"] == f"{row['credits_ects']:g}"
    page_helpers.assert_stayed_local(tab)


def test_the_selected_result_shows_range_tiers_and_dates_in_its_details(app: Dashboard, tab: Tab):
    row = programme(app, MODELLING)
    search_for(app, tab, row)
    # Select the only result: the row marker of the interactive table's first row (a canvas, so by position).
    grid = tab.page.locator(".st-key-results [data-testid='stDataFrameResizable']")
    grid.wait_for()
    box = grid.bounding_box()
    tab.page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    details = tab.page.locator(".st-key-result-details")
    details.wait_for()
    page_helpers.wait_idle(tab)
    facts = page_helpers.squash(tab.page.locator(".st-key-result-facts").inner_text())
    assert f"{row['credits_min']:g}{DASH}{row['credits_max']:g} credits" in facts
    assert f"{row['start_date'].isoformat()} {DASH} {row['end_date'].isoformat()}" in facts
    fee = page_helpers.squash(tab.page.locator(".st-key-result-fee").inner_text())
    assert re.fullmatch(
        "Fee: " + "; ".join(re.escape(f"{t['label']}: {euros(t['amount_eur'])}") for t in row["fee_tiers"]),
        fee,
    )
    page_helpers.assert_stayed_local(tab)
