"""Scrapy middlewares: what the network actually answered (for provenance, the run log and the politeness
figures), pages the revisit policy leaves out tonight, pages replayed from the parse memo instead of parsed, and
pages whose charset the server mislabelled (read right, and recorded)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from scrapers.memo import PARSE_INPUT
from scrapers.spiders.base import REVISIT_SKIPPED, page_meta

POLITENESS = "microcred/politeness"  # stats prefix: {POLITENESS}/{host}/requests, .../bytes, .../crawl_delay


class _StatsMiddleware:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)


class FetchRecordMiddleware(_StatsMiddleware):
    """Stamps the fetch time (UTC) and the server's own status code on the request meta, and counts the
    server's answers in ``microcred/server_status/{code}``.

    It sits closest to the network (above the HTTP cache at 900), so it sees a 304 before the cache turns it
    into the stored 200; Scrapy's own ``downloader/response_status_count`` only ever sees the 200.
    """

    def process_response(self, request, response, spider=None):
        if request.meta.get(REVISIT_SKIPPED):  # not sent: nothing was answered (RevisitMiddleware)
            return response
        request.meta["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        request.meta["server_status"] = response.status
        self.stats.inc_value("microcred/server_responses")
        self.stats.inc_value(f"microcred/server_status/{response.status}")
        # Body bytes the server actually sent (Scrapy's downloader/response_bytes counts the cached copy a
        # 304 is answered with).
        self.stats.inc_value("microcred/server_bytes", len(response.body))
        # Per host, what the night asked of each site (scrapers.politeness turns it into a polite duration).
        host = urlsplit(request.url).hostname or "unknown"
        self.stats.inc_value(f"{POLITENESS}/{host}/requests")
        self.stats.inc_value(f"{POLITENESS}/{host}/bytes", len(response.body))
        if urlsplit(request.url).path == "/robots.txt" and response.status == 200:
            delay = robots_crawl_delay(response.body, request.headers.get(b"User-Agent"))
            if delay is not None:
                self.stats.set_value(f"{POLITENESS}/{host}/crawl_delay", delay)
        return response


def robots_crawl_delay(body: bytes, user_agent: bytes | None) -> float | None:
    """The ``Crawl-delay`` robots.txt gives our user agent (or ``*``), in seconds, or ``None``."""
    from protego import Protego

    try:
        parser = Protego.parse(body.decode("utf-8", "replace"))
        delay = parser.crawl_delay((user_agent or b"*").decode("latin-1"))
    except Exception:  # a robots.txt Protego cannot read has no delay for us; Scrapy reports it itself
        return None
    return float(delay) if delay is not None else None


class RevisitMiddleware(_StatsMiddleware):
    """Leaves out the requests the revisit policy says are not due tonight (``RegistrySpider.revisit_skip``):
    nothing is sent, and the spider replays the page's last parse from the memo. Placed after robots.txt (so
    a disallowed page stays disallowed) and before the HTTP cache and the network."""

    def process_request(self, request, spider=None):
        # Scrapy 2.13 no longer passes the spider to downloader middlewares.
        spider = spider or getattr(getattr(self, "crawler", None), "spider", None)
        skip = getattr(spider, "revisit_skip", None)
        if skip is None or not skip(request):
            return None
        # Every middleware's process_response still sees this response: the HTTP cache must not store its
        # empty body over the page's real copy.
        request.meta["dont_cache"] = True
        return Response(url=request.url, status=200, body=b"", request=request, flags=["revisit_skipped"])

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.stats)
        middleware.crawler = crawler
        return middleware


class RevisitReplaySpiderMiddleware:
    """Replays a page the revisit policy leaves out tonight right where the spider yields its request.

    A page not due tonight is not sent; what it gives is its last parse from the memo. Sent the usual way, its
    request would still pass the scheduler, the downloader's middlewares and a stand-in response before its
    replay (``RevisitMiddleware``): on a national night where most of Ghent's 116,000 pages are not due,
    that was most of the night's time. Here the request is decided at once (``RegistrySpider.revisit_skip``)
    and, when not due, replaced by its replay, whose own follow-ups are decided the same way, and so on down.

    What the usual path would have done still holds: the scheduler's duplicate filter sees the request (a page
    linked twice is replayed once, and a later request for it is a duplicate), every follow-up's card is
    offered to the policy, and a page robots.txt does not allow (or whose host's robots.txt is not read yet)
    goes the usual way, where the robots middleware decides. Sits closer to the engine than the card offers.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.obey_robots = crawler.settings.getbool("ROBOTSTXT_OBEY")
        self.robots_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        self.robots: dict[str, object] = {}  # host -> its robots.txt parser, once read
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _robots_parsed(self, robotparser, request):
        self.robots[urlparse_cached(request).netloc] = robotparser

    def _robots_allow(self, request: Request) -> bool:
        if not self.obey_robots or request.meta.get("dont_obey_robotstxt"):
            return True
        parser = self.robots.get(urlparse_cached(request).netloc)
        return parser is not None and parser.allowed(request.url, self.robots_agent)

    def _expand(self, output, spider):
        if not isinstance(output, Request) or not self._robots_allow(output):
            yield output
            return
        # The scheduler's duplicate filter, asked without adding (a request sent on is added by the scheduler).
        seen = getattr(self.crawler.engine.scheduler, "df", None)
        if not hasattr(seen, "has_seen"):  # a filter this cannot ask (scrapers.dupefilter): the usual way
            yield output
            return
        if not output.dont_filter and seen.has_seen(output):
            self.crawler.stats.inc_value("dupefilter/filtered")  # as the scheduler would have done
            return
        if not spider.revisit_skip(output):
            yield output
            return
        seen.request_seen(output)  # a later request for the page is a duplicate, as if this had been sent
        self.crawler.stats.inc_value("microcred/revisit/replayed_inline")
        for replayed in spider.replay_not_requested(output):
            offer_card(replayed, spider)
            yield from self._expand(replayed, spider)

    def process_spider_output(self, response, result, spider):
        if not hasattr(spider, "replay_not_requested"):
            yield from result
            return
        for output in result:
            yield from self._expand(output, spider)

    async def process_spider_output_async(self, response, result, spider):
        replays = hasattr(spider, "replay_not_requested")
        async for output in result:
            if not replays:
                yield output
                continue
            for expanded in self._expand(output, spider):
                yield expanded


def offer_card(output, spider) -> None:
    """Tells the spider's revisit policy the card a detail-page request carries (``RevisitPolicy.offer``)."""
    route_of = getattr(spider, "route_of", None)
    if not isinstance(output, Request) or route_of is None:
        return
    route = route_of(output)
    card = output.meta.get(PARSE_INPUT)
    if route is None or card is None or route in spider.listing_routes:
        return
    revisit = getattr(spider, "revisit", None)
    if revisit is not None:
        revisit.offer(output.url, card)


class RevisitOfferSpiderMiddleware:
    """Tells the revisit policy every card a detail page is offered tonight (``RevisitPolicy.offer``).

    It sees each request as the spider yields it, before the scheduler's duplicate filter keeps only the
    first request for a URL: a page linked from two listings is offered both cards, whichever listing
    answers first, so the policy's decision does not depend on the order the network answers in.
    """

    def process_spider_output(self, response, result, spider):
        for output in result:
            offer_card(output, spider)
            yield output

    async def process_spider_output_async(self, response, result, spider):
        async for output in result:
            offer_card(output, spider)
            yield output


# Single-byte charsets a server may claim by mistake. Text in any of them with a non-ASCII character is
# almost never valid UTF-8, so a body that is (and has multi-byte sequences) was mislabelled.
LEGACY_CHARSETS = frozenset(
    {
        "iso-8859-1",
        "iso8859-1",
        "latin-1",
        "latin1",
        "iso-8859-15",
        "windows-1252",
        "cp1252",
        "us-ascii",
        "ascii",
    }
)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


class CharsetRepairMiddleware(_StatsMiddleware):
    """Reads a UTF-8 body as UTF-8 when the server's header claims a single-byte charset.

    A page served as ``text/html; charset=ISO-8859-1`` whose bytes are UTF-8 would otherwise turn
    "Industriële" into "IndustriÃ«le" and the history would record a changed title. The header is corrected
    before the HTTP cache (at 900) stores the response, so later 304s reuse a readable copy; the body (and
    its SHA-256 in the provenance) is untouched. ``CharsetIssueSpiderMiddleware`` records each repair as a
    harvest issue, so the site's mistake is reported, not hidden.
    """

    def process_response(self, request, response, spider=None):
        content_type = response.headers.get(b"Content-Type") or b""
        declared = _CHARSET.search(content_type)
        if declared is None or declared.group(1).decode("ascii", "replace").lower() not in LEGACY_CHARSETS:
            return response
        body = response.body
        if body.isascii():
            return response
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return response  # genuinely a legacy charset
        headers = response.headers.copy()
        headers[b"Content-Type"] = (
            content_type[: declared.start(1)] + b"utf-8" + content_type[declared.end(1) :]
        )
        request.meta["charset_repaired"] = declared.group(1).decode("ascii")
        self.stats.inc_value("microcred/charset_repaired")
        return response.replace(headers=headers, encoding="utf-8")


class CharsetIssueSpiderMiddleware:
    """Adds a ``charset_mismatch`` harvest issue after the items of a page whose charset was repaired."""

    def _issue(self, response, spider):
        declared = page_meta(response).get("charset_repaired")
        if declared is None:
            return None
        return spider.issue(
            response,
            page_kind=spider.page_kind(response),
            reason="charset_mismatch",
            detail=f"declared charset {declared}, but the body is UTF-8; read as UTF-8",
        )

    def process_spider_output(self, response, result, spider):
        yield from result
        issue = self._issue(response, spider)
        if issue is not None:
            yield issue

    async def process_spider_output_async(self, response, result, spider):
        async for item in result:
            yield item
        issue = self._issue(response, spider)
        if issue is not None:
            yield issue


class ParseMemoMiddleware:
    """Runs every page through its spider's parse memo: a page answered 304 with the same body and inputs, or
    not requested tonight, is replayed from the memo (``RegistrySpider.replayed``) and its callback's
    generator is never started, so the page is not parsed at all; any other page's outputs pass through as
    they come and are kept in the memo (``RegistrySpider.memorised``).

    Only a page that reached its callback (a 2xx) is the memo's: an errback's output (an HTTP error recorded as
    an issue) passes through as it is.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _spider(self, response):
        spider = self.crawler.spider
        memoised = 200 <= response.status < 300 and hasattr(spider, "replayed")
        return spider if memoised else None

    def process_spider_output(self, response, result):
        spider = self._spider(response)
        if spider is None:
            yield from result
            return
        yield from spider.through_memo(response, result)

    async def process_spider_output_async(self, response, result):
        spider = self._spider(response)
        replayed = spider.replayed(response) if spider is not None else None
        if spider is None or replayed is not None:
            # Not the memo's page, or replayed: then ``result`` is not read, and the callback never runs.
            for output in replayed or ():
                yield output
            if spider is None:
                async for output in result:
                    yield output
            return
        # The memo keeps a page's outputs in order: those of the async chain are collected, then passed on.
        outputs = [output async for output in result]
        for output in spider.memorised(response, outputs):
            yield output
