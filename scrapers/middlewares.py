"""Downloader middleware recording what the network actually answered, for provenance and the run log."""

from __future__ import annotations

from datetime import UTC, datetime


class FetchRecordMiddleware:
    """Stamps the fetch time (UTC) and the server's own status code on the request meta, and counts the
    server's answers in ``microcred/server_status/{code}``.

    It sits closest to the network (above the HTTP cache at 900), so it sees a 304 before the cache turns it
    into the stored 200; Scrapy's own ``downloader/response_status_count`` only ever sees the 200.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response, spider=None):
        request.meta["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        request.meta["server_status"] = response.status
        self.stats.inc_value("microcred/server_responses")
        self.stats.inc_value(f"microcred/server_status/{response.status}")
        return response
