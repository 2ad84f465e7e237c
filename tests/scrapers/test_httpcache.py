"""The HTTP cache storage: an entry is checked before a 304 may reuse it, written whole, and read without pickle.

The checks here are on the storage alone (Scrapy's own ``HttpCacheMiddleware`` and policy around it); the crawl
and the night that follow a damaged entry are in tests/scrapers/test_integrity_crawl.py and
tests/end_to_end/test_nights.py.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from scrapers.httpcache import CACHE_DAMAGED, VerifiedCacheStorage

URL = "https://www.uantwerpen.be/nl/studeren/aanbod/alle-opleidingen/micro-credential-x/"
BODY = "<html><body><h1>Micro-credential Industriële automatisering</h1></body></html>".encode()


class CacheSpider(Spider):
    name = "uantwerpen"


@pytest.fixture
def crawler(tmp_path):
    settings = {
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str(tmp_path / "httpcache"),
        "HTTPCACHE_STORAGE": "scrapers.httpcache.VerifiedCacheStorage",
        "HTTPCACHE_POLICY": "scrapers.httpcache.RevalidatingPolicy",
    }
    crawler = get_crawler(CacheSpider, settings)
    crawler.spider = crawler._create_spider()
    return crawler


@pytest.fixture
def storage(crawler):
    storage = VerifiedCacheStorage(crawler.settings)
    storage.open_spider(crawler.spider)
    return storage


def page() -> HtmlResponse:
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "ETag": '"v1"',
        "Date": "Mon, 30 Nov 2026 02:00:00 GMT",
    }
    return HtmlResponse(URL, body=BODY, headers=headers, request=Request(URL))


def entry_file(tmp_path: Path) -> Path:
    [entry] = (tmp_path / "httpcache").rglob("*.entry")
    return entry


def test_an_entry_is_one_file_a_json_header_and_the_body_with_its_sha256(storage, crawler, tmp_path):
    storage.store_response(crawler.spider, Request(URL), page())
    entry = entry_file(tmp_path)
    header_line, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    assert body == BODY
    assert header["body_sha256"] == hashlib.sha256(BODY).hexdigest() and header["body_length"] == len(BODY)
    assert header["url"] == URL and header["status"] == 200
    # Nothing else in the folder: no pickles, no temporary file left from the atomic write.
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]
    cached = storage.retrieve_response(crawler.spider, Request(URL))
    assert cached.body == BODY and cached.status == 200 and isinstance(cached, HtmlResponse)
    assert cached.headers[b"ETag"] == b'"v1"'
    assert cached.xpath("string(//h1)").get() == "Micro-credential Industriële automatisering"


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("truncated", "body is"),  # the case: a cut body the server would answer 304 for
        ("garbled_body", "body checksum mismatch"),
        ("garbled_header", "header checksum mismatch"),
        ("empty", "no header line"),
        ("not_json", "header is not JSON"),
    ],
)
def test_a_damaged_entry_is_a_recorded_miss_and_the_page_goes_out_without_validators(
    storage, crawler, tmp_path, damage, says
):
    storage.store_response(crawler.spider, Request(URL), page())
    entry = entry_file(tmp_path)
    raw = entry.read_bytes()
    damaged = {
        "truncated": raw[: len(raw) - 20],
        "garbled_body": raw[:-5] + b"X" + raw[-4:],
        "garbled_header": raw.replace(b'"status": 200', b'"status": 204'),
        "empty": b"",
        "not_json": b"\x80\x04garbage\n" + BODY,
    }[damage]
    assert damaged != raw
    entry.write_bytes(damaged)
    # Through Scrapy's own cache middleware, as in a crawl: a miss, so no If-None-Match is set.
    middleware = HttpCacheMiddleware(crawler.settings, crawler.stats)
    middleware.storage = storage
    middleware.crawler = crawler
    request = Request(URL)
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers and b"If-Modified-Since" not in request.headers
    assert "cached_response" not in request.meta
    assert request.meta[CACHE_DAMAGED].startswith(says) and request.meta[CACHE_DAMAGED].endswith(str(entry))
    assert crawler.stats.get_value("microcred/httpcache/damaged") == 1
    assert crawler.stats.get_value("httpcache/miss") == 1


def test_a_whole_entry_is_revalidated(storage, crawler):
    storage.store_response(crawler.spider, Request(URL), page())
    middleware = HttpCacheMiddleware(crawler.settings, crawler.stats)
    middleware.storage = storage
    middleware.crawler = crawler
    request = Request(URL)
    assert middleware.process_request(request) is None
    assert request.headers[b"If-None-Match"] == b'"v1"' and CACHE_DAMAGED not in request.meta


class MarkerPickle:
    """Unpickling this runs ``open(marker, "w")``: the way a crafted pickle runs code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_scrapys_pickle_files_are_never_read_and_go_when_the_page_is_stored(storage, crawler, tmp_path):
    """Scrapy's FilesystemCacheStorage reads ``pickled_meta`` and ``response_data`` with pickle.load; an
    entry in that layout (say, from before this storage, or planted on shared storage) is not read."""
    marker = tmp_path / "executed"
    storage.store_response(crawler.spider, Request(URL), page())
    entry = entry_file(tmp_path)
    legacy = entry.with_suffix("")  # Scrapy's folder for the same request
    legacy.mkdir()
    for name in ("pickled_meta", "response_data"):
        (legacy / name).write_bytes(pickle.dumps(MarkerPickle(marker)))
    (legacy / "response_body").write_bytes(BODY)
    entry.unlink()
    assert storage.retrieve_response(crawler.spider, Request(URL)) is None  # a plain miss
    assert not marker.exists()
    storage.store_response(crawler.spider, Request(URL), page())
    assert not legacy.exists() and crawler.stats.get_value("microcred/httpcache/legacy_removed") == 1
    assert storage.retrieve_response(crawler.spider, Request(URL)).body == BODY
    assert not marker.exists()


def test_an_entry_may_not_name_a_class_to_import(storage, crawler, tmp_path):
    """Scrapy's ``response_from_dict`` imports the class a stored ``_class`` names; ours only picks among
    Scrapy's response classes."""
    storage.store_response(crawler.spider, Request(URL), page())
    entry = entry_file(tmp_path)
    header_line, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    header["class"] = "os.system"
    del header["header_sha256"]
    from scrapers.httpcache import _header_digest

    header["header_sha256"] = _header_digest(header)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    cached = storage.retrieve_response(crawler.spider, Request(URL))
    assert isinstance(cached, HtmlResponse) and cached.body == BODY  # guessed from the headers instead
