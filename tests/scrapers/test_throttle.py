"""AutoThrottle must adapt on revalidated pages (304), or a night with nothing changed crawls at the start delay."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.http import Response
from scrapy.utils.test import get_crawler

from scrapers.throttle import RevalidationAwareAutoThrottle


def throttle():
    crawler = get_crawler(
        settings_dict={"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": 4.0}
    )
    extension = RevalidationAwareAutoThrottle(crawler)
    extension.mindelay, extension.maxdelay = 0.0, 30.0
    return extension


def test_fast_304s_lower_the_delay():
    slot = SimpleNamespace(delay=0.5)
    throttle()._adjust_delay(slot, 0.002, Response("https://studiekiezer.ugent.be/x", status=304))
    assert slot.delay < 0.5


def test_error_pages_still_never_lower_the_delay():
    slot = SimpleNamespace(delay=0.5)
    throttle()._adjust_delay(slot, 0.002, Response("https://studiekiezer.ugent.be/x", status=503))
    assert slot.delay == 0.5
