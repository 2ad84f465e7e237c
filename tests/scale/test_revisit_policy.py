"""The revisit policy on its own (scrapers/revisit.py): what it asks for, what it learns, how it keeps state.

Times here are our own fixtures; the end-to-end nights (test_revisit_nights.py) show the same rules on the
snapshot served over HTTP.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from scrapers.revisit import (
    CARD_CHANGED,
    DUE,
    MAX_STALENESS,
    MIN_INTERVAL,
    NEVER_SEEN,
    RevisitPolicy,
    clock_from,
    http_date,
)

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
URL = "https://www.uantwerpen.be/en/study/programmes/all-programmes/micro-credential-x/"


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def policy(tmp_path, clock, **kwargs) -> RevisitPolicy:
    return RevisitPolicy(tmp_path / "site.revisit.json", clock=clock, **kwargs)


def test_a_page_never_seen_is_fetched_and_a_changed_card_is_fetched(tmp_path):
    clock = Clock(T0)
    p = policy(tmp_path, clock)
    assert p.reason_to_fetch(URL, "card-a") == NEVER_SEEN
    p.verified(URL, card="card-a", body_sha256="body-1", last_modified=T0 - timedelta(days=120))
    clock.now = T0 + timedelta(days=1)
    assert p.reason_to_fetch(URL, "card-a") is None  # seen yesterday, unchanged for months: not due
    assert p.reason_to_fetch(URL, "card-b") == CARD_CHANGED


def test_a_page_linked_from_two_listings_is_known_under_both_cards(tmp_path):
    """Whichever listing answers first gives the page its card: neither known card is a change."""
    clock = Clock(T0)
    p = policy(tmp_path, clock)
    p.verified(URL, card="from-en", body_sha256="b", last_modified=T0 - timedelta(days=120))
    clock.now = T0 + timedelta(days=1)
    assert p.reason_to_fetch(URL, "from-nl") == CARD_CHANGED  # never seen with this card
    p.verified(URL, card="from-nl", body_sha256="b")
    clock.now = T0 + timedelta(days=2)
    assert p.reason_to_fetch(URL, "from-en") is None and p.reason_to_fetch(URL, "from-nl") is None
    assert p.reason_to_fetch(URL, "renamed") == CARD_CHANGED


def night(p: RevisitPolicy, clock: Clock, when: datetime, first: str, second: str) -> str | None:
    """One night on which two listings offer ``URL``, ``first``'s card reaching the network (the other request
    is the duplicate Scrapy drops): what the policy decided, its state then saved and read again."""
    clock.now = when
    p.offer(URL, first)
    reason = p.reason_to_fetch(URL, first)
    if reason is not None:
        p.verified(URL, card=first, body_sha256="b", last_modified=T0 - timedelta(days=120))
    p.offer(URL, second)  # the other listing answers after the decision
    p.save()
    return reason


@pytest.mark.parametrize("tonight", [("from-en", "from-nl"), ("from-nl", "from-en")])
def test_which_listing_answers_first_does_not_decide_whether_a_page_is_asked(tmp_path, tonight):
    """Night 1 reached the page by its English card; tonight either listing may answer first."""
    clock = Clock(T0)
    assert night(policy(tmp_path, clock), clock, T0, "from-en", "from-nl") == NEVER_SEEN
    assert night(policy(tmp_path, clock), clock, T0 + timedelta(days=1), *tonight) is None
    assert sorted(policy(tmp_path, clock).pages[URL].cards) == ["from-en", "from-nl"]


def test_every_card_offered_on_a_verified_night_is_kept(tmp_path):
    """However many cards the page had: tonight's are all known tomorrow, older ones make room."""
    clock = Clock(T0)
    p = policy(tmp_path, clock)
    for number, card in enumerate(["old-1", "old-2", "old-3"]):
        clock.now = T0 + timedelta(days=8 * number)
        p.verified(URL, card=card, body_sha256="b", last_modified=T0 - timedelta(days=120))
    clock.now = T0 + timedelta(days=40)
    for card in ("old-1", "new-1", "new-2"):
        p.offer(URL, card)
    p.verified(URL, card="new-2", body_sha256="b")
    p.save()
    cards = policy(tmp_path, clock).pages[URL].cards
    assert {"old-1", "new-1", "new-2"} <= set(cards) and len(cards) == 4


def test_a_changed_card_offered_after_the_page_was_left_out_is_asked_the_next_night(tmp_path):
    clock = Clock(T0)
    night(policy(tmp_path, clock), clock, T0, "from-en", "from-nl")
    # Tonight the English card changed, but the Dutch listing answered first: the page was left out.
    assert night(policy(tmp_path, clock), clock, T0 + timedelta(days=1), "from-nl", "renamed") is None
    assert policy(tmp_path, clock).pages[URL].recheck
    # The next night it is asked whichever listing answers first, and after that it is known.
    assert night(policy(tmp_path, clock), clock, T0 + timedelta(days=2), "from-nl", "renamed") == CARD_CHANGED
    assert night(policy(tmp_path, clock), clock, T0 + timedelta(days=3), "from-nl", "renamed") is None


def test_a_changed_card_is_asked_whichever_card_the_request_carries(tmp_path):
    clock = Clock(T0)
    night(policy(tmp_path, clock), clock, T0, "from-en", "from-nl")
    p = policy(tmp_path, clock)
    clock.now = T0 + timedelta(days=1)
    p.offer(URL, "renamed")  # the changed listing answered first, but its request was not the one kept
    p.offer(URL, "from-nl")
    assert p.reason_to_fetch(URL, "from-nl") == CARD_CHANGED


def test_a_page_unchanged_for_months_is_checked_weekly_at_most(tmp_path):
    clock = Clock(T0)
    p = policy(tmp_path, clock)
    p.verified(URL, card="c", body_sha256="b", last_modified=T0 - timedelta(days=200))
    interval = p.interval(URL, p.pages[URL])
    assert MAX_STALENESS / 2 <= interval <= MAX_STALENESS
    clock.now = T0 + interval - timedelta(hours=3)
    assert p.reason_to_fetch(URL, "c") is None
    clock.now = T0 + MAX_STALENESS  # never later than the bound on staleness
    assert p.reason_to_fetch(URL, "c") == DUE


def test_a_page_that_keeps_changing_is_checked_nightly(tmp_path):
    clock = Clock(T0)
    p = policy(tmp_path, clock)
    p.verified(URL, card="c", body_sha256="b0", last_modified=T0 - timedelta(days=200))
    for night in range(1, 4):  # it changes every night it is checked
        clock.now = T0 + timedelta(days=7 * night)
        assert p.verified(URL, card="c", body_sha256=f"b{night}") is True
    assert p.pages[URL].changes == 3
    assert p.interval(URL, p.pages[URL]) == MIN_INTERVAL
    clock.now += timedelta(days=1)
    assert p.reason_to_fetch(URL, "c") == DUE


def test_an_unchanged_answer_is_not_a_change(tmp_path):
    clock = Clock(T0)
    p = policy(tmp_path, clock)
    p.verified(URL, card="c", body_sha256="same", last_modified=T0 - timedelta(days=30))
    clock.now = T0 + timedelta(days=7)
    assert p.verified(URL, card="c", body_sha256="same") is False
    assert p.pages[URL].changes == 0
    assert p.pages[URL].last_verified == clock.now.isoformat(timespec="seconds")


def test_intervals_are_spread_over_nights(tmp_path):
    """Pages first seen together do not all fall due on one night."""
    p = policy(tmp_path, Clock(T0))
    urls = [f"{URL}{n}" for n in range(200)]
    for url in urls:
        p.verified(url, card="c", body_sha256="b", last_modified=T0 - timedelta(days=365))
    due_days = {p.interval(url, p.pages[url]).days for url in urls}
    assert len(due_days) >= 3
    assert max(due_days) <= MAX_STALENESS.days


def test_state_is_checksummed_json_and_survives_a_restart(tmp_path):
    p = policy(tmp_path, Clock(T0))
    p.verified(URL, card="c", body_sha256="b", last_modified=T0 - timedelta(days=90))
    p.save()
    raw = (tmp_path / "site.revisit.json").read_bytes()
    header = json.loads(raw.partition(b"\n")[0])
    assert header["format"] == "microcred-revisit/1" and header["pages"] == 1
    again = policy(tmp_path, Clock(T0 + timedelta(days=1)))
    assert again.pages == p.pages
    assert again.reason_to_fetch(URL, "c") is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "not_json"])
def test_damaged_state_is_recorded_and_ignored(tmp_path, damage):
    path = tmp_path / "site.revisit.json"
    p = policy(tmp_path, Clock(T0))
    p.verified(URL, card="c", body_sha256="b")
    p.save()
    raw = path.read_bytes()
    path.write_bytes(
        {"truncate": raw[:-10], "flip": raw.replace(b'"changes":0', b'"changes":9'), "not_json": b"\x80("}[
            damage
        ]
    )

    class Stats(dict):
        def inc_value(self, key):
            self[key] = self.get(key, 0) + 1

    stats = Stats()
    again = RevisitPolicy(path, clock=Clock(T0), stats=stats)
    assert again.pages == {}
    assert stats == {"microcred/revisit/state_damaged": 1}
    assert again.reason_to_fetch(URL, "c") == NEVER_SEEN  # everything is simply revalidated


def test_the_clock_is_injectable_and_last_modified_is_read():
    assert clock_from("2026-01-05T02:00:00Z")() == T0
    with pytest.raises(ValueError):
        clock_from("yesterday")
    assert abs(clock_from(None)() - datetime.now(UTC)) < timedelta(minutes=1)
    assert http_date(b"Mon, 01 Sep 2025 06:00:00 GMT") == datetime(2025, 9, 1, 6, 0, tzinfo=UTC)
    assert http_date(b"not a date") is None
