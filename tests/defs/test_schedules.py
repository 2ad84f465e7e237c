"""The nightly schedule and the publish sensor."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.defs.partitions import REFRESH_TAG
from pipelines.defs.schedules import nightly_refresh, nights_ready_to_publish
from registry.institutions import HARVESTED_SOURCES

S = dg.DagsterRunStatus


def test_schedule_runs_every_source_at_two_in_brussels():
    assert nightly_refresh.cron_schedule == "0 2 * * *"
    assert nightly_refresh.execution_timezone == "Europe/Brussels"
    when = datetime(2026, 11, 24, 2, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    with dg.build_schedule_context(scheduled_execution_time=when) as context:
        requests = list(nightly_refresh(context))
    assert sorted(r.partition_key for r in requests) == sorted(HARVESTED_SOURCES)
    assert len({r.tags[REFRESH_TAG] for r in requests}) == 1
    assert len({r.run_key for r in requests}) == len(requests)


def test_a_night_is_published_once_every_source_has_finished():
    night = "20261124T020000+0100-nightly"
    runs = [
        (night, "ugent", S.SUCCESS, False),
        (night, "uantwerpen", S.STARTED, False),
        (night, "rug", S.SUCCESS, False),
    ]
    assert nights_ready_to_publish(runs) == []
    runs[1] = (night, "uantwerpen", S.SUCCESS, False)
    assert nights_ready_to_publish(runs) == [night]


def test_a_failed_source_does_not_hold_the_night_back_once_its_retries_are_over():
    night = "n1"
    runs = [
        (night, "ugent", S.SUCCESS, False),
        (night, "rug", S.SUCCESS, False),
        (night, "uantwerpen", S.FAILURE, True),
    ]
    assert nights_ready_to_publish(runs) == []  # a retry is coming
    runs.append((night, "uantwerpen", S.FAILURE, False))
    assert nights_ready_to_publish(runs) == [night]
