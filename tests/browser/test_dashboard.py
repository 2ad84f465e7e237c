"""The dashboard in a real browser: load each page, filter, drill down, and compare what is shown with SQL.

Every expected figure is computed here with plain SQL on the served warehouse copy, never with the
dashboard's own query code. The first tests are plain unit tests of the escaping and the search filters.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.data import SearchFilters
from dashboard.text import escape_markdown, markdown_link, page_label, safe_url
from tests.browser.conftest import SCREENSHOTS, VIEWPORT, Dashboard, Tab, serve_dashboard

SCRIPT_TITLE = "Micro-credential Cybersecurity Fundamentals: <script> Injection & Web Defence"
READY = ".st-key-page-ready, .st-key-no-warehouse, .st-key-warehouse-error, [data-testid='stException']"


# -- helpers ---------------------------------------------------------------------------------------------------
def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def squash(text: str | None) -> str:
    """Whitespace as a browser shows it: runs folded into one space."""
    return " ".join((text or "").split())


def open_page(tab: Tab, url: str) -> None:
    """Load a page and wait until its script has finished (or failed, which the assertion reports)."""
    tab.page.goto(url)
    tab.page.wait_for_selector(READY, state="attached", timeout=30_000)
    assert_no_exception(tab)


def assert_no_exception(tab: Tab) -> None:
    exceptions = tab.page.locator("[data-testid='stException']")
    assert exceptions.count() == 0, exceptions.first.inner_text()


def wait_idle(tab: Tab) -> None:
    """Wait until no script run is in progress (the status widget's running icon is gone)."""
    tab.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')", timeout=30_000
    )


def metric(tab: Tab, key: str) -> str:
    return tab.page.locator(f".st-key-{key} [data-testid='stMetricValue']").inner_text().strip()


def table(tab: Tab, key: str) -> list[dict[str, str]]:
    """The rows of the st.table inside the keyed container: header -> cell text (and '<header> href')."""
    # Streamlit loads an element's code on first use, so the table can appear a moment after the page's end.
    tab.page.locator(f".st-key-{key} table").wait_for(state="attached")
    return tab.page.evaluate(
        """key => {
            const table = document.querySelector(`.st-key-${key} table`);
            if (!table) return [];
            const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
            return [...table.querySelectorAll('tbody tr')].map(tr => {
                const cells = [...tr.querySelectorAll('td')];
                const names = heads.slice(heads.length - cells.length);
                const row = {};
                cells.forEach((td, i) => {
                    row[names[i]] = td.innerText.trim();
                    const link = td.querySelector('a');
                    if (link) row[names[i] + ' href'] = link.getAttribute('href');
                });
                return row;
            });
        }""",
        key,
    )


def open_result_list(tab: Tab, count: int) -> list[dict[str, str]]:
    """Expand the search page's plain-text result list and read it."""
    tab.page.get_by_text(f"All {count} results as a text table").click()
    tab.page.locator(".st-key-result-list tbody tr").nth(count - 1).wait_for()
    return table(tab, "result-list")


def screenshot(tab: Tab, name: str) -> Path:
    """The whole page (the app scrolls inside its own container, so the viewport grows to fit it first)."""
    page = tab.page
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
        ".map(e => e.scrollHeight), window.innerHeight)"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 40, 8000)})
    page.wait_for_timeout(600)  # charts re-lay out to the new size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)
    assert path.stat().st_size > 10_000
    return path


def assert_stayed_local(tab: Tab) -> None:
    assert tab.blocked == [], f"requests that would have left 127.0.0.1: {tab.blocked}"
    assert tab.dialogs == [], f"JS dialogs: {tab.dialogs}"


def current_years(path: Path) -> dict[str, int]:
    return dict(query(path, "SELECT institution_id, max(academic_year) FROM programme GROUP BY ALL"))


# -- unit tests: escaping and bound parameters ------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        SCRIPT_TITLE,
        "**bold** _it_ `code` [a](javascript:alert(1)) ![img](x)",
        ":smile: :red[red] :material/home: $x^2$ <img src=x onerror=alert(1)> &amp; | # > - 1.",
    ],
)
def test_escape_markdown_leaves_no_markup_character_unescaped(raw):
    escaped = escape_markdown(raw)
    # Every ASCII punctuation character is backslash-escaped, so CommonMark shows it literally ...
    assert re.search(r"(?<!\\)[<>*_`\[\]()!:$&|#-]", escaped.replace("\\\\", "")) is None
    # ... and removing the escapes gives back exactly the text.
    assert re.sub(r"\\(.)", r"\1", escaped) == raw


def test_escape_markdown_folds_lines_for_table_cells_and_handles_none():
    assert escape_markdown("a\n\n b\tc ") == "a b c"
    assert escape_markdown(None) == ""


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.uantwerpen.be/en/study/", True),
        ("http://ocasys.rug.nl/api/2025-2026/course/X", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("/relative/page", False),
        ("https://", False),
        ("https://example.org/a b", False),
        (None, False),
    ],
)
def test_only_absolute_http_urls_become_links(url, safe):
    assert (safe_url(url) is not None) is safe
    link = markdown_link(url)
    assert link.startswith("[") is safe


def test_markdown_link_encodes_what_could_end_the_destination():
    link = markdown_link("https://example.org/x>y)z", "<b>page</b>")
    assert link == r"[\<b\>page\<\/b\>](<https://example.org/x%3Ey%29z>)"


def test_source_links_are_labelled_with_their_site():
    assert page_label("https://studiekiezer.ugent.be/2024/x") == "studiekiezer.ugent.be\u00a0↗"
    assert page_label("javascript:alert(1)") == "javascript:alert(1)"  # shown as text, never a link
    assert (
        markdown_link("javascript:alert(1)", page_label("javascript:alert(1)")) == r"javascript\:alert\(1\)"
    )


def test_search_filters_only_ever_bind_user_input():
    hostile = "'; DROP TABLE programme; --"
    filters = SearchFilters(
        institutions=(hostile,),
        languages=(hostile,),
        areas=(hostile,),
        semesters=(hostile,),
        text=f"{hostile} 100%_x",
        min_credits=1,
        max_credits=6,
        year=2024,
    )
    sql, params = filters.where("s")
    assert hostile not in sql and "100%" not in sql
    assert sql.count("?") == len(params)
    # LIKE wildcards typed by the user match themselves.
    assert params[-1] == "%100\\%\\_x%"


# -- browser tests ----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_overview_page_shows_the_current_offer_per_institution(app: Dashboard, tab: Tab):
    open_page(tab, app.url())
    assert tab.page.url.startswith(app.url("overview")), "the root address opens /overview"
    assert tab.page.locator("h1").first.inner_text() == "Micro-credentials at a glance"
    for heading in ("Size in credits", "Language of instruction", "When it is taught", "Trend over academic years",
                    "Trend over refreshes", "Last refresh per source"):  # fmt: skip
        expect(tab.page.get_by_role("heading", name=heading)).to_have_count(1)

    names = dict(query(app.warehouse, "SELECT institution_id, name FROM institution"))
    offer = dict(
        query(
            app.warehouse,
            "SELECT institution_id, programmes FROM offer_by_year o WHERE academic_year = "
            "(SELECT max(academic_year) FROM programme p WHERE p.institution_id = o.institution_id)",
        )
    )
    assert offer  # the snapshot publishes all three institutions
    for inst, programmes in offer.items():
        label = tab.page.locator(f".st-key-offer-{inst} [data-testid='stMetricLabel']").inner_text().strip()
        assert label == names[inst]
        assert metric(tab, f"offer-{inst}") == str(programmes)
    for key in ("chart-credits", "chart-languages", "chart-semesters", "chart-years", "chart-refreshes"):
        tab.page.locator(f".st-key-{key} [data-testid='stVegaLiteChart']").wait_for()

    runs = query(
        app.warehouse,
        "SELECT i.name, r.status, r.run_id FROM run r JOIN institution i ON i.institution_id = r.source "
        "QUALIFY row_number() OVER (PARTITION BY r.source ORDER BY r.run_id DESC) = 1",
    )
    shown = {(row["Source"], row["Status"], row["Run"]) for row in table(tab, "last-refresh")}
    assert shown == set(runs)
    screenshot(tab, "overview")
    assert_stayed_local(tab)


@pytest.mark.slow
def test_search_page_opens_on_the_current_offer(app: Dashboard, tab: Tab):
    open_page(tab, app.url("search"))
    assert tab.page.locator("h1").first.inner_text() == "Find a micro-credential"
    (expected,) = query(app.warehouse, "SELECT count(*) FROM programme_search WHERE is_current_year")[0]
    assert metric(tab, "result-count") == str(expected)
    per_institution = query(
        app.warehouse,
        "SELECT i.name, count(s.registry_id) FROM institution i LEFT JOIN programme_search s "
        "ON s.institution_id = i.institution_id AND s.is_current_year GROUP BY ALL",
    )
    shown = {(row["Institution"], int(row["Programmes found"])) for row in table(tab, "per-institution")}
    assert shown == set(per_institution)
    tab.page.locator("[data-testid='stDataFrame']").first.wait_for()
    screenshot(tab, "search")
    # The folded plain-text tables are written only once opened (at national size they cost the most).
    assert tab.page.locator(".st-key-result-list, .st-key-result-flags").count() == 0
    assert len(open_result_list(tab, expected)) == expected
    assert_stayed_local(tab)


@pytest.mark.slow
def test_quality_page_scorecard_matches_the_warehouse(app: Dashboard, tab: Tab):
    open_page(tab, app.url("quality"))
    assert tab.page.locator("h1").first.inner_text() == "Data quality"
    for heading in ("Scorecard", "Flagged records", "EU Annex I coverage"):
        expect(tab.page.get_by_role("heading", name=heading)).to_have_count(1)
    for inst, year in current_years(app.warehouse).items():
        rules, broken = query(
            app.warehouse,
            "SELECT count(DISTINCT rule_id), count(DISTINCT rule_id) FILTER (records_failing > 0) "
            "FROM scorecard WHERE institution_id = ? AND academic_year = ?",
            [inst, year],
        )[0]
        assert metric(tab, f"score-{inst}") == f"{rules - broken} of {rules}"
    # The drill-down opens on a rule with flags, errors first.
    assert len(table(tab, "flag-detail")) > 0
    tab.page.locator("[data-testid='stDataFrame']").nth(1).wait_for()  # the scorecard and Annex I tables
    screenshot(tab, "quality")
    assert_stayed_local(tab)


@pytest.mark.slow
@pytest.mark.parametrize(
    "filters",
    [
        {"institution": "ugent", "language": "en", "max_credits": "6", "year": "2024"},
        {"semester": ["S1", "YEAR"], "min_credits": "4", "start_from": "2024-10-01", "year": "all"},
    ],
    ids=["ghent-english-upto-6-2024", "semester-credits-start-date"],
)
def test_search_filters_from_the_url_match_sql(app: Dashboard, tab: Tab, filters):
    clauses, params = [], []
    if "institution" in filters:
        clauses.append("institution_id = ?")
        params.append(filters["institution"])
    if "language" in filters:
        clauses.append("list_contains(languages, ?)")
        params.append(filters["language"])
    if "min_credits" in filters:
        clauses.append("credits_ects >= ?")
        params.append(float(filters["min_credits"]))
    if "max_credits" in filters:
        clauses.append("credits_ects <= ?")
        params.append(float(filters["max_credits"]))
    if "semester" in filters:
        clauses.append("list_contains(?, semester)")
        params.append(filters["semester"])
    if "start_from" in filters:
        clauses.append("start_date >= ?::DATE")
        params.append(filters["start_from"])
    if filters["year"] != "all":
        clauses.append("academic_year = ?")
        params.append(int(filters["year"]))
    expected = query(
        app.warehouse,
        f"SELECT title, institution_name, academic_year_label FROM programme_search WHERE {' AND '.join(clauses)}",
        params,
    )
    assert 0 < len(expected) < 150, "the filter should pick a real, readable subset"

    open_page(tab, app.url("search", **filters))
    assert metric(tab, "result-count") == str(len(expected))
    shown = open_result_list(tab, len(expected))
    assert Counter((r["Title"], r["Institution"], r["Academic year"]) for r in shown) == Counter(
        (squash(t), i, y) for t, i, y in expected
    )
    # Every listed programme links to its own public page, and the filters stay in the address.
    assert all(r["Source page href"].startswith("https://") for r in shown)
    for value in filters.values():
        for single in value if isinstance(value, list) else [value]:
            assert f"={single}" in tab.page.url
    assert_stayed_local(tab)


@pytest.mark.slow
def test_free_text_search_over_learning_outcomes_matches_sql(app: Dashboard, tab: Tab):
    # A word that only occurs in some learning outcomes (not a title word everywhere).
    word, programmes = query(
        app.warehouse,
        """SELECT w, count(DISTINCT registry_id || academic_year) AS n FROM (
               SELECT registry_id, academic_year, unnest(regexp_split_to_array(lower(
                   array_to_string(learning_outcomes, ' ')), '[^a-z]+')) AS w FROM programme)
           WHERE length(w) >= 9 GROUP BY w HAVING n BETWEEN 3 AND 25 ORDER BY n DESC, w LIMIT 1""",
    )[0]
    expected = query(
        app.warehouse,
        "SELECT title, institution_name, academic_year_label FROM programme_search "
        "WHERE search_text ILIKE '%' || ? || '%'",
        [word],
    )
    assert len(expected) >= programmes

    open_page(tab, app.url("search", year="all"))
    search_box = tab.page.get_by_label("Search titles and learning outcomes")
    search_box.fill(word.upper())  # case does not matter
    search_box.press("Enter")
    tab.page.wait_for_url(re.compile(rf"[?&]q={word.upper()}"))
    expect(tab.page.locator(".st-key-result-count [data-testid='stMetricValue']")).to_have_text(
        str(len(expected))
    )
    wait_idle(tab)
    assert_no_exception(tab)
    shown = open_result_list(tab, len(expected))
    assert Counter((r["Title"], r["Institution"], r["Academic year"]) for r in shown) == Counter(
        (squash(t), i, y) for t, i, y in expected
    )
    assert_stayed_local(tab)


@pytest.mark.slow
def test_the_newcomers_question_english_at_most_6_credits_in_2024_2025(app: Dashboard, tab: Tab):
    """How many English-taught micro-credentials of at most 6 credits does each institution offer in
    2024-2025, and which of them break a rule?"""
    where = "s.academic_year = 2024 AND list_contains(s.languages, 'en') AND s.credits_ects <= 6"
    per_institution = query(
        app.warehouse,
        f"""SELECT i.name, count(s.registry_id), count(s.registry_id) FILTER (len(s.rules_broken) > 0)
            FROM institution i LEFT JOIN programme_search s ON s.institution_id = i.institution_id AND {where}
            GROUP BY ALL""",
    )
    flags = query(
        app.warehouse,
        f"""SELECT s.institution_name, s.title, d.rule_title, d.message, d.url
            FROM programme_search s
            JOIN flag_detail d ON d.record_key = s.registry_id AND d.academic_year = s.academic_year
            WHERE {where} AND d.record_kind = 'programme'""",
    )
    assert sum(n for _, n, _ in per_institution) > 0 and flags, "the snapshot answers the question"

    open_page(tab, app.url("search", language="en", max_credits="6", year="2024"))
    shown = {
        (row["Institution"], int(row["Programmes found"]), int(row["Breaking a rule"]))
        for row in table(tab, "per-institution")
    }
    assert shown == set(per_institution)
    assert metric(tab, "result-count") == str(sum(n for _, n, _ in per_institution))
    assert metric(tab, "result-breaking") == str(sum(b for _, _, b in per_institution))
    # Which: each rule-breaking programme with the rules it breaks, and every flag with its reason.
    which = {
        (row["Institution"], row["Programme"], frozenset(row["Rules broken"].split("; ")))
        for row in table(tab, "result-breaking-list")
    }
    rules_by_programme: dict[tuple[str, str], set[str]] = {}
    for institution, title, rule, _, _ in flags:
        rules_by_programme.setdefault((institution, squash(title)), set()).add(rule)
    assert which == {(i, t, frozenset(rules)) for (i, t), rules in rules_by_programme.items()}
    tab.page.get_by_text(f"Why: all {len(flags)} flags with their reason").click()
    why = table(tab, "result-flags")
    assert Counter(
        (r["Institution"], r["Programme"], r["Rule"], r["Why"], r["Source page href"]) for r in why
    ) == (Counter((i, squash(t), rule, squash(m), u) for i, t, rule, m, u in flags))
    screenshot(tab, "search-newcomers-question")
    assert_stayed_local(tab)


@pytest.mark.slow
def test_quality_drill_down_shows_each_flagged_record_of_the_chosen_rule(app: Dashboard, tab: Tab):
    # A rule with several flags that is not the one the page opens on (that one is an error rule).
    rule_id, rule_title, explanation, standard = query(
        app.warehouse,
        """SELECT rule_id, rule_title, any_value(explanation), any_value(standard) FROM flag_detail
           WHERE severity = 'warning' GROUP BY rule_id, rule_title HAVING count(*) BETWEEN 2 AND 30
           ORDER BY count(*) DESC, rule_id LIMIT 1""",
    )[0]
    expected = query(
        app.warehouse,
        "SELECT coalesce(record_title, record_key), field, value, message, url FROM flag_detail WHERE rule_id = ?",
        [rule_id],
    )

    open_page(tab, app.url("quality", year="all"))
    # Choose the rule as a user does: open the list, type part of its name, pick it.
    tab.page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").click()
    tab.page.keyboard.type(rule_title[:25])
    tab.page.get_by_role("option", name=re.compile(re.escape(rule_title))).click()
    expect(tab.page.locator(".st-key-rule-card h3")).to_have_text(rule_title)
    expect(tab.page.locator(".st-key-flag-detail tbody tr")).to_have_count(len(expected))
    wait_idle(tab)
    assert_no_exception(tab)
    card = tab.page.locator(".st-key-rule-card").inner_text()
    assert squash(explanation) in squash(card) and squash(standard) in squash(card)
    shown = table(tab, "flag-detail")
    assert Counter(
        (
            r["Record"],
            r["Field"],
            r["Value"],
            r["Why it is flagged"],
            squash(r["Source page"]),
            r["Source page href"],
        )
        for r in shown
    ) == Counter(  # the link goes to the page the value came from and is labelled with its site
        (squash(t), f or "", squash(v), squash(m), f"{urlsplit(u).hostname} ↗", u)
        for t, f, v, m, u in expected
    )
    assert f"rule={rule_id}" in tab.page.url
    screenshot(tab, "quality-drill-down")
    assert_stayed_local(tab)


@pytest.mark.slow
def test_a_title_with_a_script_tag_shows_as_text(app: Dashboard, tab: Tab):
    assert query(app.warehouse, "SELECT count(*) FROM programme WHERE title = ?", [SCRIPT_TITLE])[0][0] == 1
    open_page(tab, app.url("search", q="<script>", year="all"))
    assert metric(tab, "result-count") == "1"
    [row] = open_result_list(tab, 1)
    assert row["Title"] == SCRIPT_TITLE
    cell = tab.page.locator(".st-key-result-list td").first
    assert "&lt;script&gt; Injection &amp; Web Defence" in cell.inner_html()
    # Once the page has settled (a rerun may briefly show the stale result list beside the new one). The
    # interactive table is left out: its grid keeps a hidden accessible copy of the cells in view, some time
    # after it has drawn them.
    outside_the_grid = tab.page.locator(":not([data-testid='stDataFrame'] *)")
    expect(tab.page.get_by_text(SCRIPT_TITLE, exact=True).and_(outside_the_grid)).to_have_count(
        1, timeout=15_000
    )
    # No element was made from the scraped text, and nothing ran.
    assert (
        tab.page.evaluate(
            "() => [...document.querySelectorAll('script')].filter(s => s.textContent.includes('Injection')).length"
        )
        == 0
    )
    assert tab.page.locator(".st-key-result-list script").count() == 0
    assert_stayed_local(tab)


@pytest.mark.slow
def test_keeps_working_while_a_refresh_replaces_the_warehouse(app: Dashboard, tab: Tab, tmp_path):
    served = app.warehouse
    original = tmp_path / "original.duckdb"
    shutil.copyfile(served, original)
    # The next "refresh": the same warehouse without the University of Groningen's programmes.
    build = tmp_path / "build" / "registry.duckdb"
    build.parent.mkdir()
    shutil.copyfile(served, build)
    with duckdb.connect(str(build)) as con:
        con.execute("DELETE FROM programme WHERE institution_id = 'rug'")
        con.execute("DELETE FROM flag WHERE institution_id = 'rug'")
    count = "SELECT count(*) FROM programme_search"
    (before,) = query(served, count)[0]
    (after,) = query(build, count)[0]
    (after_broken,) = query(build, count + " WHERE len(rules_broken) > 0")[0]
    (rug_before,) = query(served, count + " WHERE institution_id = 'rug'")[0]
    assert rug_before > 0 and after == before - rug_before

    open_page(tab, app.url("search", year="all"))
    assert metric(tab, "result-count") == str(before)
    held = duckdb.connect(str(served), read_only=True)  # a reader that stays open through the refresh
    try:
        assert held.execute(count).fetchone()[0] == before
        os.replace(build, served)  # what publishing does
        # A rerun in the open session (one more filter) reads the new file ...
        tab.page.get_by_text("Only those that break a rule").click()
        expect(tab.page.locator(".st-key-result-count [data-testid='stMetricValue']")).to_have_text(
            str(after_broken)
        )
        wait_idle(tab)
        assert_no_exception(tab)
        # ... and so does a reload (a new session), with the filter kept in the address.
        tab.page.reload()
        tab.page.wait_for_selector(READY, state="attached")
        assert_no_exception(tab)
        assert "broken=1" in tab.page.url
        assert metric(tab, "result-count") == str(after_broken)
        rows = {row["Institution"]: int(row["Programmes found"]) for row in table(tab, "per-institution")}
        assert rows["University of Groningen"] == 0
        open_page(tab, app.url("overview"))
        assert metric(tab, "offer-rug") == "0"
        # The reader opened before the swap still reads its own, complete version: no lock, no error.
        assert held.execute(count).fetchone()[0] == before
    finally:
        held.close()
        os.replace(original, served)
    assert_stayed_local(tab)


@pytest.mark.slow
def test_no_warehouse_yet_shows_a_friendly_message(tab: Tab, tmp_path):
    empty = tmp_path / "data"
    empty.mkdir()
    with serve_dashboard(empty, tmp_path / "streamlit.log") as bare:
        for page in ("overview", "search", "quality"):
            open_page(tab, bare.url(page))
            message = tab.page.locator(".st-key-no-warehouse")
            expect(message).to_contain_text("No warehouse has been published yet")
            expect(message).to_contain_text(str(empty / "registry.duckdb"))  # where it looked
            if page == "overview":
                screenshot(tab, "no-warehouse")
    assert not (empty / "registry.duckdb").exists()
    assert_stayed_local(tab)
