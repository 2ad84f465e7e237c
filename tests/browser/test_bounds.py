"""The dashboard bounds its work: search text limits, invalid URL filters shown as invalid, and a query
whose session has closed is cancelled (issue 16, items 6 and 8).

The limits are the dashboard's own (``dashboard.data.SEARCH_MAX_*``); the CPU a closed session's query
keeps using is measured on the real Streamlit server process with psutil.
"""

from __future__ import annotations

import time

import psutil
import pytest

from dashboard import data
from dashboard.data import SearchFilters, search_text_problem
from tests.browser.conftest import REPO, Dashboard, Tab, serve_dashboard
from tests.browser.test_dashboard import assert_stayed_local, open_page
from warehouse.readonly import QueryCancelled, QueryTimeout

RUNAWAY = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = 7"
LONG_WORDS = " ".join(f"word{i}" for i in range(20_000))


# -- unit tests: the limits ------------------------------------------------------------------------------------
def test_search_text_within_the_limits_is_searched_word_by_word():
    text = " ".join(["data"] * data.SEARCH_MAX_WORDS)
    assert search_text_problem(text) is None
    assert SearchFilters(text=text).words() == ["data"] * data.SEARCH_MAX_WORDS


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (" ".join(["data"] * (data.SEARCH_MAX_WORDS + 1)), f"{data.SEARCH_MAX_WORDS + 1} words"),
        ("x" * (data.SEARCH_MAX_CHARS + 1), f"{data.SEARCH_MAX_CHARS + 1} characters"),
        (LONG_WORDS, "20,000 words"),
    ],
    ids=["one-word-too-many", "one-character-too-many", "20000-words"],
)
def test_search_text_beyond_the_limits_is_never_searched(text, says):
    problem = search_text_problem(text)
    assert problem and says in problem
    with pytest.raises(ValueError):
        SearchFilters(text=text).where("s")


@pytest.mark.slow
def test_a_session_that_has_ended_cancels_connections_opened_later_too(published_registry):
    queries = data.SessionQueries()
    queries.cancel()
    with data.connect(published_registry / "registry.duckdb", session=queries) as warehouse:
        with pytest.raises(QueryCancelled):
            warehouse.rows("SELECT 1")


@pytest.mark.slow
def test_a_dashboard_query_stops_at_the_time_limit(published_registry, monkeypatch):
    monkeypatch.setenv(data.TIMEOUT_ENV, "0.5")
    assert data.dashboard_timeout() == 0.5
    with data.connect(published_registry / "registry.duckdb") as warehouse:
        with pytest.raises(QueryTimeout):
            warehouse.rows(RUNAWAY)
        assert warehouse.rows("SELECT count(*) FROM institution") == [(3,)]


def test_the_dashboard_time_limit_defaults_to_ten_seconds(monkeypatch):
    monkeypatch.delenv(data.TIMEOUT_ENV, raising=False)
    assert data.dashboard_timeout() == data.DEFAULT_TIMEOUT_S == 10


# -- browser tests -----------------------------------------------------------------------------------------------
def assert_no_results(tab: Tab) -> None:
    assert tab.page.locator(".st-key-result-count").count() == 0
    assert tab.page.get_by_text("Results (").count() == 0


@pytest.mark.slow
def test_a_20000_word_search_is_refused_with_the_limits(app: Dashboard, tab: Tab):
    open_page(tab, app.url("search", year="all"))
    box = tab.page.get_by_label("Search titles and learning outcomes")
    box.fill(LONG_WORDS)
    box.press("Enter")
    message = tab.page.locator(".st-key-search-too-long")
    message.wait_for()
    text = message.inner_text()
    assert f"{data.SEARCH_MAX_WORDS} words" in text and f"{data.SEARCH_MAX_CHARS} characters" in text
    assert_no_results(tab)
    assert "q=" not in tab.page.url  # the text is not copied into the address
    # a search within the limits works again at once
    box.fill("data")
    box.press("Enter")
    tab.page.locator(".st-key-result-count").wait_for()
    assert_stayed_local(tab)


@pytest.mark.slow
def test_a_long_search_in_the_address_is_shown_as_invalid(app: Dashboard, tab: Tab):
    words = " ".join(f"w{i}" for i in range(1_000))  # fits in a URL, far beyond the limit
    open_page(tab, app.url("search", q=words))
    text = tab.page.locator(".st-key-invalid-filters").inner_text()
    assert "q=w0 w1" in text and "1,000 words" in text
    assert f"at most {data.SEARCH_MAX_CHARS} characters and {data.SEARCH_MAX_WORDS} words" in text
    assert_no_results(tab)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "params", "bad"),
    [
        ("search", {"min_credits": "nan"}, "min_credits=nan"),
        ("search", {"max_credits": "-3"}, "max_credits=-3"),
        ("search", {"institution": "nowhere"}, "institution=nowhere"),
        ("search", {"year": "abc"}, "year=abc"),
        ("search", {"language": "xx", "year": "2024"}, "language=xx"),
        ("search", {"start_from": "yesterday"}, "start_from=yesterday"),
        ("search", {"credits": "5"}, "credits=5"),  # not a parameter of the page at all
        ("overview", {"year": "1999"}, "year=1999"),
        ("quality", {"institution": "nowhere"}, "institution=nowhere"),
    ],
)
def test_an_invalid_filter_in_the_address_is_shown_not_dropped(app: Dashboard, tab: Tab, page, params, bad):
    open_page(tab, app.url(page, **params))
    invalid = tab.page.locator(".st-key-invalid-filters")
    assert bad in invalid.inner_text()
    assert_no_results(tab)
    # it stays in the address, so a shared link shows the same problem
    assert bad.replace("=", "=") in tab.page.url
    # dropping it shows the page without it
    tab.page.get_by_role("button", name="Drop the invalid filters").click()
    tab.page.locator(".st-key-invalid-filters").wait_for(state="detached")
    tab.page.locator(".st-key-page-ready").wait_for(state="attached")
    assert bad not in tab.page.url
    assert_stayed_local(tab)


@pytest.mark.slow
def test_a_query_stops_when_its_session_closes(served_data_dir, chromium, tmp_path):
    outcome = tmp_path / "outcome"
    app_file = REPO / "tests" / "browser" / "slow_query_app.py"
    env = {"SLOW_QUERY_OUTCOME": str(outcome), "MICROCRED_DASHBOARD_TIMEOUT": "600"}
    with serve_dashboard(served_data_dir, tmp_path / "streamlit.log", script=app_file, env=env) as app:
        server = psutil.Process(app.pid)
        context = chromium.new_context()
        context.new_page().goto(app.url())
        deadline = time.monotonic() + 60
        while not (outcome.exists() and outcome.read_text() == "started"):
            assert time.monotonic() < deadline, "the slow query never started"
            time.sleep(0.2)
        # The machine is shared, so CPU is compared with itself: what the query used over a few seconds
        # while its tab was open, and what the server uses over as long once the tab is closed.
        busy = cpu_used(server, seconds=3)
        assert busy > 0.1, "the query is not running"
        context.close()  # the tab goes: Streamlit ends the session
        deadline = time.monotonic() + 60
        while outcome.read_text() != "cancelled":
            assert time.monotonic() < deadline, f"the query was not cancelled: {outcome.read_text()}"
            time.sleep(0.2)
        # and the server is idle again (the query's DuckDB threads stopped, not just the script)
        assert cpu_used(server, seconds=3) < busy / 3


def cpu_used(process: psutil.Process, *, seconds: float) -> float:
    """CPU seconds the process uses over the next ``seconds``."""
    before = cpu_seconds(process)
    time.sleep(seconds)
    return cpu_seconds(process) - before


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system
