"""The revisit policy over real nights on the bundled Antwerp snapshot, served over HTTP (scrapers/revisit.py).

Night 1 is played at ``T0`` (months after every page's ``Last-Modified``); every later night starts from a copy
of night 1's data folder, with the policy's clock (``MICROCRED_NOW``) set to that night:

- the next night, nothing changed: only the listings (and the landing pages) are asked; every programme keeps
  its data, its old ``fetched_at`` and ``last_verified_at``, and nothing is reported withdrawn;
- the next night, one listing card changed: that programme's pages are asked again, no other programme's;
- eight days on (past the 7-day bound), every page is due: the second night's changes
  (``tools/snapshot/nights.py``) are all found, the credits change on a page whose card did not change too;
- five days on, some pages are due and some not, and none goes unverified for more than 7 days;
- a page failing on its scheduled night keeps its programme's data and its old verification time, and is asked
  again the night after.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import refresh
from scrapers.revisit import MAX_STALENESS
from scrapers.snapshot.manifest import url_route_key
from scrapers.snapshot.server import Fault, Route, SnapshotServer
from tests.conftest import temporary_dagster_home
from tools.snapshot.nights import CHANGED_SLUG, EN_LISTING, NL_LISTING, second_night

pytestmark = pytest.mark.slow

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
EN = "https://www.uantwerpen.be/en/study/programmes/all-programmes"
NL = "https://www.uantwerpen.be/nl/studeren/aanbod/alle-opleidingen"
GLOBAL_HEALTH_ROOT = f"{EN}/micro-credential-global-health/"
GLOBAL_HEALTH = "uantwerpen:micro-credential-global-health"
POLITICS_PROGRAMME = f"{NL}/micro-credential-politieke-communicatie/studieprogramma/"
POLITICS = "uantwerpen:micro-credential-politieke-communicatie"
MISSING_SHEET = "https://www.uantwerpen.be/ajax/courseInfo?id=2025-1002TEWMLM&lang=en"  # 404 every night
LISTINGS = (
    "/all-programmes/?",
    "/alle-opleidingen/?",
    "/all-programmes/micro-credential/",
    "/aanbod/micro-credential/",
)


@dataclass
class Night:
    data: Path
    code: int
    run_id: str
    requested: list[str]  # public URLs the server was asked for, in order
    changes: dict | None

    def query(self, sql: str, params=None) -> list[tuple]:
        with duckdb.connect(str(self.data / "registry.duckdb"), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def run_row(self) -> dict:
        columns = ["pages_fetched", "not_modified", "skipped_by_policy", "programmes", "published"]
        [row] = self.query(
            f"SELECT {', '.join(columns)} FROM run WHERE run_id = ? AND source = 'uantwerpen'", [self.run_id]
        )
        return dict(zip(columns, row, strict=True))

    @property
    def crawl_stats(self) -> dict:
        return json.loads((self.data / "raw" / self.run_id / "uantwerpen" / "crawl_stats.json").read_text())[
            "stats"
        ]

    def state(self, url: str) -> dict:
        raw = (self.data / "httpcache" / "uantwerpen" / "uantwerpen.revisit.json").read_bytes()
        return json.loads(raw.partition(b"\n")[2])[url]

    def detail_pages_requested(self) -> set[str]:
        return {url for url in self.requested if not any(part in url for part in LISTINGS)} - {
            "https://www.uantwerpen.be/robots.txt"
        }


def play(data: Path, now: datetime, previous: Path | None = None, edit=None, faults=()) -> Night:
    """A refresh of the Antwerp source into ``data`` (a copy of ``previous``), the policy's clock at ``now``."""
    if previous is not None:
        shutil.copytree(previous, data)
    with SnapshotServer() as server, pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROCRED_NOW", now.isoformat(timespec="seconds"))
        changes = edit(server) if edit else None
        for url, fault in faults:
            server.set_fault(url, fault)
        code = refresh(["uantwerpen"], False, data, out=io.StringIO(), snapshot_url=server.base_url)
        requested = [server.public_url(server.base_url + path) for path, _ in server.request_log]
    with duckdb.connect(str(data / "registry.duckdb"), read_only=True) as con:
        [(run_id,)] = con.execute("SELECT max(run_id) FROM run").fetchall()
    return Night(data, code, run_id, requested, changes)


@pytest.fixture(scope="module")
def dagster_home(tmp_path_factory):
    with temporary_dagster_home(tmp_path_factory.mktemp("revisit")) as home:
        yield home


@pytest.fixture(scope="module")
def night_one(dagster_home, tmp_path_factory) -> Night:
    night = play(tmp_path_factory.mktemp("one") / "data", T0)
    assert night.code == 0
    return night


@pytest.fixture(scope="module")
def unchanged_night(night_one, tmp_path_factory) -> Night:
    return play(tmp_path_factory.mktemp("unchanged") / "data", T0 + timedelta(days=1), night_one.data)


def test_an_unchanged_night_asks_only_the_listings(night_one, unchanged_night):
    first, night = night_one.run_row(), unchanged_night.run_row()
    assert night["published"] and unchanged_night.code == 0
    assert night["skipped_by_policy"] > 0 and first["skipped_by_policy"] == 0
    # The one detail page asked is the course sheet that answers 404 every night: no good copy to replay.
    assert unchanged_night.detail_pages_requested() == {MISSING_SHEET}
    assert night["pages_fetched"] <= 0.25 * first["pages_fetched"]
    assert night["pages_fetched"] + night["skipped_by_policy"] >= first["pages_fetched"] - 1  # robots.txt
    # Replayed where their listing (or parent page) yielded them, never through the scheduler and downloader:
    # all but the first page asked of a host whose robots.txt had not been read yet (none here).
    stats = unchanged_night.crawl_stats
    assert stats["microcred/revisit/replayed_inline"] == night["skipped_by_policy"], stats


@pytest.mark.parametrize("slow", [EN_LISTING, NL_LISTING], ids=["english_late", "dutch_late"])
def test_which_listing_answers_first_does_not_matter(night_one, tmp_path, slow):
    """Twelve programmes are on both the English and the Dutch listing, each with its own card, and a page is
    requested once, with the card of whichever listing answered first. Holding one listing back makes the
    other win (one of the two nights reverses night 1's order): no detail page is asked either way."""
    night = play(
        tmp_path / "data", T0 + timedelta(days=1), night_one.data, faults=[(slow, Fault.timeout(1.5))]
    )
    assert night.detail_pages_requested() == {MISSING_SHEET}
    assert "microcred/revisit/fetched/card_changed" not in night.crawl_stats


def test_skipped_pages_keep_their_data_and_their_old_times(night_one, unchanged_night):
    columns = "registry_id, academic_year, title, credits_ects, languages, fetched_at, last_verified_at"
    before = night_one.query(f"SELECT {columns} FROM programme ORDER BY ALL")
    after = unchanged_night.query(f"SELECT {columns} FROM programme ORDER BY ALL")
    assert after == before and len(after) == 34
    units = "course_key, credits_ects, fetched_at, last_verified_at"
    assert unchanged_night.query(f"SELECT {units} FROM course_unit ORDER BY ALL") == night_one.query(
        f"SELECT {units} FROM course_unit ORDER BY ALL"
    )
    withdrawn = unchanged_night.query(
        "SELECT count(*) FROM programme_history WHERE valid_from_run = ? OR valid_to_run = ?",
        [unchanged_night.run_id, unchanged_night.run_id],
    )
    assert withdrawn == [(0,)]


def test_last_verified_at_is_recorded_beside_fetched_at(night_one):
    rows = night_one.query(
        "SELECT count(*), count(last_verified_at), count(*) FILTER (last_verified_at = fetched_at) FROM programme"
    )
    [(count, verified, same)] = rows
    assert count == verified == same == 34  # night 1 fetched every page: verified when fetched


def rename_card(server: SnapshotServer) -> dict:
    key = url_route_key(EN_LISTING)
    old = server.routes[key]
    text = old.body.decode()
    before = '<h3 class="heading">Micro-credential Global Health</h3>'
    assert text.count(before) == 1
    body = text.replace(before, '<h3 class="heading">Micro-credential Global Health (renewed)</h3>').encode()
    server.routes[key] = Route.in_memory(EN_LISTING, body, old.content_type, T0 + timedelta(days=1))
    return {}


def test_a_changed_card_revalidates_that_programme_only(night_one, tmp_path):
    night = play(tmp_path / "data", T0 + timedelta(days=1), night_one.data, edit=rename_card)
    asked = night.detail_pages_requested()
    assert GLOBAL_HEALTH_ROOT in asked
    assert all("micro-credential-global-health" in url for url in asked - {MISSING_SHEET}), asked
    assert night.crawl_stats["microcred/revisit/fetched/card_changed"] >= 1


def test_a_week_on_every_page_is_due_and_every_change_is_found(night_one, tmp_path):
    night = play(tmp_path / "data", T0 + MAX_STALENESS + timedelta(days=1), night_one.data, edit=second_night)
    assert night.run_row()["skipped_by_policy"] == 0
    [(change, fields)] = night.query(
        "SELECT change, changed_fields FROM programme_history WHERE registry_id = ? AND valid_from_run = ?",
        [f"uantwerpen:{CHANGED_SLUG}", night.run_id],
    )
    assert (change, fields) == ("changed", ["credits_ects"])  # its card never changed: found by the schedule
    added = night.query(
        "SELECT registry_id FROM programme_history WHERE change = 'added' AND valid_from_run = ?",
        [night.run_id],
    )
    assert added == [(rid,) for rid in night.changes["added"]]


def test_five_days_on_some_pages_are_due_and_none_is_staler_than_the_bound(night_one, tmp_path):
    now = T0 + timedelta(days=5)
    night = play(tmp_path / "data", now, night_one.data)
    run = night.run_row()
    assert run["skipped_by_policy"] > 0 and night.detail_pages_requested()
    [(oldest,)] = night.query("SELECT min(last_verified_at) FROM programme")
    assert now - oldest <= MAX_STALENESS
    # What was asked tonight is verified tonight; what was not keeps night 1's time.
    verified_now = night.query(
        "SELECT count(*) FROM course_unit WHERE last_verified_at > ?", [T0 + timedelta(days=1)]
    )
    assert verified_now[0][0] > 0


def test_a_page_failing_on_its_scheduled_night_keeps_its_data_and_is_asked_again(night_one, tmp_path):
    week = T0 + MAX_STALENESS + timedelta(days=1)
    failing = play(tmp_path / "fail", week, night_one.data, faults=[(POLITICS_PROGRAMME, Fault.status(404))])
    assert POLITICS_PROGRAMME in failing.requested
    assert (
        failing.state(POLITICS_PROGRAMME)["last_verified"]
        == night_one.state(POLITICS_PROGRAMME)["last_verified"]
    )
    # Its programme is not withdrawn: it keeps its last good row.
    assert failing.query("SELECT count(*) FROM programme WHERE registry_id = ?", [POLITICS]) == [(1,)]
    withdrawn = failing.query(
        "SELECT count(*) FROM programme_history WHERE registry_id = ? AND valid_to_run IS NOT NULL",
        [POLITICS],
    )
    assert withdrawn == [(0,)]
    # The next night it is due again (the failure did not count as a verification), and it answers.
    after = play(tmp_path / "after", week + timedelta(days=1), failing.data)
    assert POLITICS_PROGRAMME in after.requested
    assert after.state(POLITICS_PROGRAMME)["last_verified"] == (week + timedelta(days=1)).isoformat(
        timespec="seconds"
    )
