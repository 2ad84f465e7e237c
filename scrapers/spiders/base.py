"""The base spider: what every institution's spider shares.

Subclasses declare their ``name`` (the institution id), ``allowed_domains``, ``start_urls_for(year)`` and
``routes`` (URL pattern -> callback name). Callbacks are pure: they read a response and yield items or
requests, with no I/O of their own, so tests call them on saved pages and ``microcred parse`` runs them on a
file. Failures (HTTP errors, pages missing what they must have) become ``HarvestIssue`` items with a
reason instead of exceptions or silent drops.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from scrapers import SPIDER_VERSION
from scrapers.httpcache import CACHE_DAMAGED
from scrapers.items import HarvestIssue
from scrapers.memo import MEMO_SUFFIX, PARSE_INPUT, FollowUp, ParseMemo, input_digest
from scrapers.revisit import NOT_IN_MEMO, STATE_SUFFIX, RevisitPolicy, clock_from, http_date

REVISIT_SKIPPED = "revisit_skipped"  # request meta: not requested tonight, replayed from the memo
REVISIT_FORCE = "revisit_force"  # request meta: fetch whatever the policy says (the replay was not possible)
GIVEN_KEYS = (
    "given_keys"  # request meta: the keys the spider itself gave (the parse input's digest is of them)
)


def clean_text(parts: Iterable[str] | str | None) -> str | None:
    """The text a reader sees: pieces joined, runs of HTML white space folded to one space, ends trimmed.

    Nothing else is changed (no case folding, no unit stripping): raw means raw.
    """
    if parts is None:
        return None
    text = parts if isinstance(parts, str) else " ".join(parts)
    # str.split() splits on the same Unicode white space as r"\s+" (NBSP included), without a regex.
    return " ".join(text.split()) or None


def text_of(element) -> str | None:
    """``clean_text`` of an lxml element's text with its descendants' (lxml's itertext skips comments)."""
    return None if element is None else clean_text(element.itertext())


def page_tree(response: Response):
    """The lxml root of an HTML response, parsed once by Scrapy's own selector (and cached on it)."""
    return response.selector.root


class RegistrySpider(scrapy.Spider):
    """Shared plumbing: typed arguments, routing by URL, provenance, and issues instead of crashes."""

    routes: ClassVar[list[tuple[str, str]]] = []  # (regex on the URL, callback name), first match wins
    # Routes revalidated every night whatever the revisit policy says: the pages a change is seen on.
    listing_routes: ClassVar[frozenset[str]] = frozenset()
    default_years: ClassVar[tuple[int, ...]] = ()

    def __init__(self, *args: Any, years: str | Iterable[int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if years is None:
            self.years = list(self.default_years)
        elif isinstance(years, str):
            self.years = [int(y) for y in years.split(",") if y.strip()]
        else:
            self.years = [int(y) for y in years]
        self._compiled_routes = [(re.compile(pattern), name) for pattern, name in self.routes]

    # -- crawling -----------------------------------------------------------------------------------
    def start_urls_for(self, year: int) -> Iterable[str]:
        raise NotImplementedError

    async def start(self):
        for year in self.years:
            for url in self.start_urls_for(year):
                yield self.request(url, meta={"academic_year": year})

    def request(self, url: str, *, meta: dict[str, Any] | None = None, **kwargs: Any) -> scrapy.Request:
        """A request routed to its callback by URL, with failures recorded through ``on_error``.

        The callback is ``parse_page``, which calls the route's parser (``meta["route"]``) or, for a page the
        server answered 304 for, replays what that parser produced last time (``scrapers.memo``).
        """
        given = dict(meta or {})
        route = self.callback_for(url).__name__
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            meta={**given, "route": route, PARSE_INPUT: input_digest(given), GIVEN_KEYS: sorted(given)},
            **kwargs,
        )

    @property
    def memo(self) -> ParseMemo:
        """The parse memo of this crawl (beside the HTTP cache when there is one)."""
        if getattr(self, "_memo", None) is None:
            settings = getattr(self, "settings", None)
            cache_dir = settings.get("HTTPCACHE_DIR") if settings is not None else None
            enabled = settings is not None and settings.getbool("HTTPCACHE_ENABLED") and cache_dir
            path = Path(cache_dir) / f"{self.name}{MEMO_SUFFIX}" if enabled else None
            self._memo = ParseMemo(path, stats=self.crawler_stats)
        return self._memo

    @property
    def revisit(self) -> RevisitPolicy:
        """The revisit policy of this crawl (its state beside the HTTP cache; none kept without a cache)."""
        if getattr(self, "_revisit", None) is None:
            settings = getattr(self, "settings", None)
            cache_dir = settings.get("HTTPCACHE_DIR") if settings is not None else None
            enabled = settings is not None and settings.getbool("HTTPCACHE_ENABLED") and cache_dir
            self._revisit = RevisitPolicy(
                Path(cache_dir) / f"{self.name}{STATE_SUFFIX}" if enabled else None,
                clock=clock_from(settings.get("MICROCRED_NOW") if settings is not None else None),
                # Without a cache there is nothing to replay from: every page is requested.
                revalidate_all=not enabled or settings.getbool("MICROCRED_REVALIDATE_ALL"),
                stats=self.crawler_stats,
            )
        return self._revisit

    def revisit_skip(self, request: scrapy.Request) -> bool:
        """Whether ``request`` is left out tonight (its page replayed from the memo): called by
        ``scrapers.middlewares.RevisitMiddleware`` before anything is sent."""
        meta = request.meta
        route = meta.get("route")
        if route is None or route in self.listing_routes or meta.get(REVISIT_FORCE):
            return False
        policy = self.revisit
        if policy.revalidate_all:
            return False
        card = meta.get(PARSE_INPUT) or ""
        reason = policy.reason_to_fetch(request.url, card)
        if reason is None and self.memo.latest_for_url(request.url, SPIDER_VERSION) is None:
            reason = NOT_IN_MEMO
        if reason is not None:
            self.count(f"microcred/revisit/fetched/{reason}")
            return False
        meta[REVISIT_SKIPPED] = True
        self.count("microcred/revisit/skipped")
        return True

    def _replay_skipped(self, response: Response) -> Iterator[Any]:
        """The last good outputs of a page not requested tonight, as they were (old fetch and verification
        times); a page whose replay is missing after all is requested after all."""
        meta = page_meta(response)
        # The page's last parse, with whichever of its known cards it was reached by then.
        key = self.memo.latest_key(response.url, meta.get(PARSE_INPUT), SPIDER_VERSION)
        key = key or self.memo.latest_for_url(response.url, SPIDER_VERSION)
        stored = self.memo.get(key) if key is not None else None
        if stored is None:
            self.count("microcred/revisit/replay_missing")
            forced = self.request(response.url, meta=_spider_meta(meta), dont_filter=True)
            forced.meta[REVISIT_FORCE] = True
            yield forced
            return
        for output in stored:
            yield self.request(output.url, meta=output.meta) if isinstance(output, FollowUp) else output

    def _record_verified(self, response: Response, meta: dict[str, Any]) -> None:
        if meta.get("server_status") not in (200, 304):
            return
        changed = self.revisit.verified(
            response.url,
            card=meta.get(PARSE_INPUT) or "",
            body_sha256=hashlib.sha256(response.body).hexdigest(),
            last_modified=http_date(response.headers.get(b"Last-Modified")),
        )
        if changed:
            self.count("microcred/revisit/changed")

    def parse_page(self, response: Response) -> Iterator[Any]:
        """Parses a page with its route's parser, or replays the memo for a page answered 304 or not
        requested tonight (the revisit policy)."""
        meta = page_meta(response)
        if meta.get(REVISIT_SKIPPED):
            yield from self._replay_skipped(response)
            return
        self._record_verified(response, meta)
        parser = getattr(self, meta.get("route") or "", None) or self.callback_for(response.url)
        key = ParseMemo.key(response.url, response.body, meta.get(PARSE_INPUT), SPIDER_VERSION)
        if meta.get("server_status") == 304:
            stored = self.memo.get(key)
            if stored is not None:
                self.count("microcred/parse_memo/replayed")
                yield from self._replay(stored, response)
                return
        self.count("microcred/parse_memo/parsed")
        outputs: list[Any] = []
        for output in parser(response):
            if isinstance(output, scrapy.Request):
                given = {k: v for k, v in output.meta.items() if k not in ("route", PARSE_INPUT, GIVEN_KEYS)}
                outputs.append(FollowUp(output.url, given))
            else:
                outputs.append(output)
            yield output
        self.memo.put(key, outputs)
        # After the memo: a damaged cache entry is tonight's event, not part of what the page gives.
        yield from self._cache_damage_issue(meta, response.url)

    def _cache_damage_issue(self, meta: dict[str, Any], url: str) -> Iterator[HarvestIssue]:
        """A ``cache_damaged`` issue when the HTTP cache refused this page's stored copy (scrapers/httpcache.py):
        the page was fetched whole again, and the damaged file is named. Once per request."""
        detail = meta.get(CACHE_DAMAGED)
        if not detail or meta.get("cache_damage_recorded"):
            return
        meta["cache_damage_recorded"] = True
        page_kind = self.page_kind(url)
        self.count(f"microcred/issue/{page_kind}/cache_damaged")
        yield HarvestIssue(
            page_kind=page_kind,
            reason="cache_damaged",
            detail=f"stored copy not used, page fetched again: {detail}"[:500],
            source=self.name,
            source_url=url,
            fetched_at=meta.get("fetched_at") or datetime.now(UTC).isoformat(timespec="seconds"),
            http_status=int(meta.get("server_status") or 0),
            body_sha256="",
            spider=self.name,
            spider_version=SPIDER_VERSION,
        )

    def _replay(self, stored: list[Any], response: Response) -> Iterator[Any]:
        fresh = self.provenance(response)
        for output in stored:
            if isinstance(output, FollowUp):
                yield self.request(output.url, meta=output.meta)
            elif dataclasses.is_dataclass(output):
                # The same record, seen again tonight: tonight's fetch time and status.
                names = {f.name for f in dataclasses.fields(output)}
                yield dataclasses.replace(
                    output,
                    **{k: fresh[k] for k in ("fetched_at", "http_status", "last_verified_at") if k in names},
                )
            else:
                yield output

    def count(self, key: str) -> None:
        """Adds one to the crawl stat ``key`` (a spider used outside a crawl has no stats)."""
        if self.crawler_stats is not None:
            self.crawler_stats.inc_value(key)

    def page_kind(self, url: str) -> str:
        """The kind of page ``url`` is, as issues name it: its route's parser without ``parse_``."""
        return getattr(self.callback_for(url), "__name__", "unknown").removeprefix("parse_")

    def closed(self, reason: str) -> None:
        self.memo.save()
        self.revisit.save()

    def callback_for(self, url: str):
        for pattern, name in self._compiled_routes:
            if pattern.search(url):
                return getattr(self, name)
        return self.parse_unrouted

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Parses any page by routing on its URL (used by ``microcred parse``)."""
        yield from self.callback_for(response.url)(response)

    def parse_unrouted(self, response: Response) -> Iterator[Any]:
        yield self.issue(response, page_kind="unknown", reason="unrouted_url", detail=response.url)

    def own_domain(self, url: str) -> bool:
        """Whether ``url`` is on one of the institution's own domains (the only ones a spider follows)."""
        host = urlsplit(url).hostname or ""
        return any(host == domain or host.endswith("." + domain) for domain in self.allowed_domains)

    # -- provenance and issues -----------------------------------------------------------------------
    def provenance(self, response: Response) -> dict[str, Any]:
        meta = page_meta(response)
        fetched_at = meta.get("fetched_at") or datetime.now(UTC).isoformat(timespec="seconds")
        return {
            "source": self.name,
            "source_url": response.url,
            "fetched_at": fetched_at,
            "last_verified_at": fetched_at,
            "http_status": response.status,
            "body_sha256": hashlib.sha256(response.body).hexdigest(),
            "spider": self.name,
            "spider_version": SPIDER_VERSION,
        }

    def issue(self, response: Response, *, page_kind: str, reason: str, detail: str | None = None):
        self.count(f"microcred/issue/{page_kind}/{reason}")
        return HarvestIssue(page_kind=page_kind, reason=reason, detail=detail, **self.provenance(response))

    @property
    def crawler_stats(self):
        crawler = getattr(self, "crawler", None)
        return crawler.stats if crawler is not None else None

    def on_error(self, failure) -> Iterator[HarvestIssue]:
        """Requests that failed for good (after retries) are recorded, with the reason, as issues."""
        request = failure.request
        page_kind = self.page_kind(request.url)
        # The page's last parse stays in the memo, so it can be replayed on a later night once it answers.
        self.memo.retain(request.url, request.meta.get(PARSE_INPUT), SPIDER_VERSION)
        yield from self._cache_damage_issue(request.meta, request.url)
        if failure.check(HttpError):
            response = failure.value.response
            yield self.issue(
                response, page_kind=page_kind, reason=f"http_{response.status}", detail=request.url
            )
            return
        self.count(f"microcred/issue/{page_kind}/{failure.type.__name__}")
        redirects = request.meta.get("redirect_urls") or []
        if failure.check(IgnoreRequest) and request.url in redirects:
            loop = " -> ".join(dict.fromkeys(redirects))
            reason, detail = "redirect_loop", f"{len(redirects)} redirects, looping over {loop}"
        else:
            # Some exceptions (ResponseDataLossError) carry no message: their name and doc say what happened.
            reason = f"fetch_failed:{failure.type.__name__}"
            detail = str(failure.value) or (failure.type.__doc__ or "").strip() or failure.type.__name__
        yield HarvestIssue(
            page_kind=page_kind,
            reason=reason,
            detail=detail[:500],
            source=self.name,
            source_url=request.url,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            http_status=0,
            body_sha256="",
            spider=self.name,
            spider_version=SPIDER_VERSION,
        )


def _spider_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The meta the spider gave a request (what its parse input digest was made from), for re-requesting."""
    return {k: meta[k] for k in meta.get(GIVEN_KEYS, ()) if k in meta}


def page_meta(response: Response) -> dict[str, Any]:
    """The request meta of a response, or ``{}`` for a response built without a request (a saved page)."""
    try:
        return response.meta
    except AttributeError:
        return {}
