"""AutoThrottle that treats a 304 Not Modified like a 200 when adapting its delay.

Scrapy's AutoThrottle never lowers the delay on a non-200 answer, so that small error pages do not speed
the crawl up against a struggling server. A 304 is not an error: it is the normal answer of a night in
which nothing changed, and its latency is the server's real latency. Without this, an unchanged night is
crawled at the start delay, slower than a full harvest.
"""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle


class RevalidationAwareAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot, latency: float, response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
