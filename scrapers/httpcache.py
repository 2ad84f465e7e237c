"""The HTTP cache of the nightly harvest: every stored page is revalidated, and no stored page is trusted
before it is checked.

**Policy.** Scrapy's ``RFC2616Policy`` serves a stored page without asking when its headers make it look fresh,
and on ``Cache-Control: no-cache`` it returns before setting the validators, so no conditional request is sent
at all. A registry must see every change each night and should cost the site as little as possible: so each
stored page is asked for again with ``If-None-Match`` / ``If-Modified-Since``, and a 304 answer reuses the
stored body.

**Storage.** A 304 means "the body you have is still right", so the stored body must be whole. Scrapy's
``FilesystemCacheStorage`` rewrites an entry's files in place (a crash or a full disk leaves a cut body that
every later 304 trusts) and reads its metadata with ``pickle.load`` (``pickled_meta``, ``response_data``), which
runs code from the data folder. ``VerifiedCacheStorage`` keeps each entry as one file, ``{key}.entry`` beside
where Scrapy's folder would be: a JSON header line (URL, status, headers, the body's length and SHA-256, and
the header's own SHA-256), then the body. It is written whole and renamed into place. On every read both
checksums are verified; an entry that fails (truncated, garbled, not ours) is not used: the request goes out
without validators, so the server sends the whole page again, and the damage is recorded on the request
(``cache_damaged``, which the spider turns into a ``cache_damaged`` harvest issue naming the URL and the file)
and in the crawl stats (``microcred/httpcache/damaged``). Entries of Scrapy's own layout (a ``{key}/`` folder
with pickles) are never read; the first store of the page removes them (``microcred/httpcache/legacy_removed``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import shutil
from pathlib import Path
from time import time
from typing import Any

from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy
from scrapy.http import Headers, HtmlResponse, JsonResponse, Response, TextResponse, XmlResponse
from scrapy.responsetypes import responsetypes

from registry.files import atomic_write
from scrapers.durable import is_disk_full, stop_for_disk_full

logger = logging.getLogger(__name__)

FORMAT = "microcred-httpcache/1"
CACHE_DAMAGED = "cache_damaged"  # request meta: "<what was wrong>: <entry file>"
# The response classes an entry may name: the file chooses among these, never imports anything.
RESPONSE_CLASSES = {
    cls.__name__: cls for cls in (Response, TextResponse, HtmlResponse, XmlResponse, JsonResponse)
}


class RevalidatingPolicy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False


class DamagedEntry(ValueError):
    """A cache entry that fails its checks."""


def _header_digest(header: dict[str, Any]) -> str:
    text = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _headers_to_json(headers: Headers) -> list[list[Any]]:
    # Header bytes are Latin-1 on the wire: a lossless text form.
    return [[k.decode("latin-1"), [v.decode("latin-1") for v in values]] for k, values in headers.items()]


def encode_entry(request, response: Response, timestamp: float) -> bytes:
    """One cache entry: the JSON header line, then the body."""
    attributes: dict[str, Any] = {}
    for name in response.attributes:
        if name in {"url", "headers", "body", "status", "request", "certificate"}:
            continue
        value = getattr(response, name, None)
        if name == "ip_address" and value is not None:
            value = str(value)
        if (
            value is None
            or isinstance(value, (str, int, float, bool))
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            attributes[name] = value
    header = {
        "format": FORMAT,
        "url": request.url,
        "method": request.method,
        "status": response.status,
        "response_url": response.url,
        "timestamp": timestamp,
        "class": type(response).__name__,
        "headers": _headers_to_json(response.headers),
        "request_headers": _headers_to_json(request.headers),
        "attributes": attributes,
        "body_length": len(response.body),
        "body_sha256": hashlib.sha256(response.body).hexdigest(),
    }
    header["header_sha256"] = _header_digest(header)
    return json.dumps(header, sort_keys=True, ensure_ascii=True).encode("ascii") + b"\n" + response.body


def decode_entry(raw: bytes) -> tuple[dict[str, Any], bytes]:
    """The header and body of an entry, both verified; ``DamagedEntry`` saying what is wrong otherwise."""
    line, newline, body = raw.partition(b"\n")
    if not newline:
        raise DamagedEntry("no header line")
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise DamagedEntry(f"header is not JSON ({exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise DamagedEntry(f"not a {FORMAT} entry")
    claimed = header.pop("header_sha256", None)
    if claimed != _header_digest(header):
        raise DamagedEntry("header checksum mismatch")
    if len(body) != header["body_length"]:
        raise DamagedEntry(f"body is {len(body)} bytes, {header['body_length']} were stored")
    if hashlib.sha256(body).hexdigest() != header["body_sha256"]:
        raise DamagedEntry("body checksum mismatch")
    return header, body


def response_from_entry(header: dict[str, Any], body: bytes) -> Response:
    headers = Headers({k.encode("latin-1"): [v.encode("latin-1") for v in vs] for k, vs in header["headers"]})
    cls = RESPONSE_CLASSES.get(header.get("class")) or responsetypes.from_args(
        headers=headers, url=header["response_url"], body=body
    )
    kwargs: dict[str, Any] = {
        k: v for k, v in header.get("attributes", {}).items() if k in cls.attributes and k != "request"
    }
    if kwargs.get("ip_address") is not None:
        kwargs["ip_address"] = ipaddress.ip_address(kwargs["ip_address"])
    return cls(url=header["response_url"], status=int(header["status"]), headers=headers, body=body, **kwargs)


class VerifiedCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache, one checksummed file per entry, written whole, read only after checking."""

    def open_spider(self, spider) -> None:
        super().open_spider(spider)
        self._crawler = spider.crawler
        self._stats = spider.crawler.stats

    def _entry_path(self, spider, request) -> Path:
        return Path(self._get_request_path(spider, request) + ".entry")

    def _read_meta(self, spider, request):  # Scrapy's pickle reader: never used
        raise NotImplementedError("VerifiedCacheStorage does not read pickled_meta")

    def retrieve_response(self, spider, request) -> Response | None:
        path = self._entry_path(spider, request)
        if not path.exists():
            return None
        try:
            header, body = decode_entry(path.read_bytes())
            if 0 < self.expiration_secs < time() - header["timestamp"]:
                return None  # expired
            response = response_from_entry(header, body)
        except (DamagedEntry, OSError, KeyError, TypeError, ValueError) as exc:
            # Not trusted: a miss, so the request goes out without validators and the whole page comes back.
            detail = f"{exc}: {path}"
            request.meta[CACHE_DAMAGED] = detail
            self._stats.inc_value("microcred/httpcache/damaged")
            logger.warning("HTTP cache entry for %s damaged (%s); fetched again", request.url, detail)
            return None
        request.meta["cache_timestamp"] = header["timestamp"]
        return response

    def store_response(self, spider, request, response) -> None:
        path = self._entry_path(spider, request)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, encode_entry(request, response, time()))
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            stop_for_disk_full(self._crawler, path)
            return
        legacy = path.with_suffix("")  # Scrapy's own folder for the same request, with its pickles
        if legacy.is_dir():
            shutil.rmtree(legacy, ignore_errors=True)
            self._stats.inc_value("microcred/httpcache/legacy_removed")
