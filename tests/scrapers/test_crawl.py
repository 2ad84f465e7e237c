"""A real crawl of the bundled snapshot over loopback HTTP, in a subprocess, as the refresh runs it."""

from __future__ import annotations

import json

import pytest

from scrapers import settings
from scrapers.crawl import run_crawl
from tests.conftest import reference_catalogue

pytestmark = pytest.mark.slow


def test_settings_are_polite():
    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert "@" in settings.USER_AGENT and "microcred-registry" in settings.USER_AGENT
    assert settings.TELNETCONSOLE_ENABLED is False
    assert settings.HTTPCACHE_ENABLED is True


@pytest.fixture(scope="module")
def two_nights(snapshot_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("crawl")
    cache = root / "cache"
    first = run_crawl(
        "ugent",
        root / "night1",
        "night1",
        snapshot_url=snapshot_server.base_url,
        cache_dir=cache,
        years=[2022],
    )
    # The revisit policy off: this night is about conditional requests (every page asked, answered 304).
    second = run_crawl(
        "ugent",
        root / "night2",
        "night2",
        snapshot_url=snapshot_server.base_url,
        cache_dir=cache,
        years=[2022],
        revalidate_all=True,
    )
    return first, second


def test_crawl_lands_every_real_programme_with_public_urls(two_nights):
    first, _ = two_nights
    assert first.succeeded, first.log_tail
    assert (first.landing_dir / "_SUCCESS").exists()
    programmes = [
        json.loads(line) for line in (first.landing_dir / "programme.jsonl").read_text().splitlines()
    ]
    assert sorted(p["source_code"] for p in programmes) == sorted(r["id"] for r in reference_catalogue(2022))
    for record in programmes:
        assert record["source_url"].startswith("https://studiekiezer.ugent.be/")
        assert len(record["body_sha256"]) == 64 and record["http_status"] == 200
        assert record["run_id"] == "night1" and record["spider"] == "ugent"
        assert record["credits_raw"].startswith("1 year | ")
    assert first.stats["robotstxt/request_count"] == 1
    assert first.stats.get("microcred/skipped/not_micro_credential", 0) > 0


def test_second_night_is_answered_with_304s(two_nights):
    first, second = two_nights
    assert second.succeeded
    assert second.pages_fetched == first.pages_fetched
    assert second.not_modified >= 0.95 * second.pages_fetched
    # Revalidated pages still give the same items.
    for kind in ("programme", "programme_course", "course_unit"):
        night1 = (first.landing_dir / f"{kind}.jsonl").read_text().splitlines()
        night2 = (second.landing_dir / f"{kind}.jsonl").read_text().splitlines()
        assert len(night1) == len(night2)


def test_a_page_answered_304_is_replayed_from_the_memo_not_parsed(two_nights):
    """Through Scrapy's own chain (the memo spider middleware): every page answered 304 tonight is replayed,
    only the others are parsed, and the replay gives the same records as the parse did."""
    first, second = two_nights
    assert first.stats.get("microcred/parse_memo/replayed", 0) == 0
    assert first.stats["microcred/parse_memo/parsed"] == first.pages_fetched - 1  # robots.txt is no page
    replayed = second.stats["microcred/parse_memo/replayed"]
    assert replayed == second.not_modified - 1  # robots.txt answers 304 too
    assert (
        replayed + second.stats.get("microcred/parse_memo/parsed", 0)
        == first.stats["microcred/parse_memo/parsed"]
    )

    def records(night) -> list[dict]:
        rows = [json.loads(line) for line in (night.landing_dir / "programme.jsonl").read_text().splitlines()]
        drop = ("fetched_at", "last_verified_at", "run_id")
        return sorted(({k: v for k, v in row.items() if k not in drop} for row in rows), key=json.dumps)

    assert records(second) == records(first)


def test_a_crawl_ends_with_the_process_that_started_it(snapshot_server, tmp_path):
    """Issue 16: killing a refresh left its crawl subprocess landing pages for minutes. The crawl asks the
    kernel to end it with its starter (``--parent-pid``), so a SIGKILL of the starter ends the crawl too."""
    import os
    import signal
    import subprocess
    import sys
    import time

    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "import scrapers.crawl as c, subprocess as s\n"
            "real = s.run\n"
            "def run(command, **kw):\n"
            "    p = s.Popen(command, stdout=s.DEVNULL, stderr=s.DEVNULL)\n"
            "    print(p.pid, flush=True)\n"
            "    time.sleep(600)\n"
            "s.run = run\n"
            f"c.run_crawl('ugent', Path({str(tmp_path / 'landing')!r}), 'r1', snapshot_url={snapshot_server.base_url!r},"
            f" cache_dir=Path({str(tmp_path / 'cache')!r}))\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    crawl_pid = int(starter.stdout.readline())
    time.sleep(1.0)  # the crawl is running (importing Scrapy or crawling)
    os.kill(starter.pid, signal.SIGKILL)
    starter.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if _is_gone(crawl_pid):
            break
        time.sleep(0.2)
    else:
        os.kill(crawl_pid, signal.SIGKILL)
        raise AssertionError("the crawl outlived the process that started it")
    assert not (tmp_path / "landing" / "_SUCCESS").exists()


def _is_gone(pid: int) -> bool:
    """Exited: no such process, or a zombie waiting for a parent that is already gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
