"""Routes requests for the institutions' public URLs to the bundled snapshot server when one is configured.

This is the only place that knows about the snapshot: with ``MICROCRED_SNAPSHOT_URL`` set, a request for
``https://studiekiezer.ugent.be/a?b`` is fetched from ``{snapshot}/studiekiezer.ugent.be/a?b`` and the
response is handed back under the public URL. Everything above the download handler (robots.txt, cache,
AutoThrottle slots, the spider's ``urljoin``) therefore sees only canonical public URLs, and items always
carry them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response


def loopback_url(snapshot_base: str, public_url: str) -> str:
    """The snapshot server's address for a public URL (host becomes the first path segment)."""
    parts = urlsplit(public_url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{snapshot_base.rstrip('/')}/{parts.netloc}{parts.path or '/'}{query}"


class SnapshotRoutingHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._snapshot_base: str | None = crawler.settings.get("MICROCRED_SNAPSHOT_URL") or None

    async def download_request(self, request: Request) -> Response:
        if not self._snapshot_base:
            return await super().download_request(request)
        routed = request.replace(url=loopback_url(self._snapshot_base, request.url))
        response = await super().download_request(routed)
        # The downloader records facts such as download_latency on the request it fetched; AutoThrottle and
        # the stats read them from the original request, so copy them back.
        for key, value in routed.meta.items():
            request.meta.setdefault(key, value)
        return response.replace(url=request.url, request=request)
