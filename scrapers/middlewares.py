"""Downloader middleware recording what the network actually answered, for provenance and the run log."""

from __future__ import annotations

from datetime import UTC, datetime


class FetchRecordMiddleware:
    """Stamps the fetch time (UTC) and the server's own status code (304 included) on the request meta.

    It sits closest to the network, so it runs before the HTTP cache turns a 304 into the stored 200.
    """

    def process_response(self, request, response, spider=None):
        request.meta["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        request.meta["server_status"] = response.status
        return response
