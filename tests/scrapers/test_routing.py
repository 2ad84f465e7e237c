"""The snapshot routing download handler: canonical URLs above it, loopback below it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import HtmlResponse

from scrapers.routing import SnapshotRoutingHandler, loopback_url


def test_loopback_url_keeps_host_path_and_query():
    assert loopback_url("http://127.0.0.1:9/", "https://studiekiezer.ugent.be/nl/zoek?zt=&aj=2024") == (
        "http://127.0.0.1:9/studiekiezer.ugent.be/nl/zoek?zt=&aj=2024"
    )
    assert loopback_url("http://127.0.0.1:9", "https://www.rug.nl") == "http://127.0.0.1:9/www.rug.nl/"


def test_response_carries_public_url_and_downloader_meta(monkeypatch):
    """AutoThrottle reads download_latency from the original request's meta: it must survive the rerouting."""
    seen = {}

    async def fake_download(self, request):
        seen["url"] = request.url
        request.meta["download_latency"] = 0.004
        return HtmlResponse(url=request.url, body=b"<html></html>", request=request)

    monkeypatch.setattr(HTTP11DownloadHandler, "download_request", fake_download)
    # Built without __init__: the real HTTP handler needs a running Twisted reactor, the stub does not.
    handler = SnapshotRoutingHandler.__new__(SnapshotRoutingHandler)
    handler._snapshot_base = "http://127.0.0.1:5"
    request = Request(
        "https://studiekiezer.ugent.be/2024/x/programma", meta={"download_slot": "studiekiezer.ugent.be"}
    )
    # In a thread of its own: an event loop another test left running in this thread must not matter.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, handler.download_request(request)).result()
    assert seen["url"] == "http://127.0.0.1:5/studiekiezer.ugent.be/2024/x/programma"
    assert response.url == "https://studiekiezer.ugent.be/2024/x/programma"
    assert request.meta["download_latency"] == 0.004
    assert request.meta["download_slot"] == "studiekiezer.ugent.be"
