"""The base spider: what every institution's spider shares, so that each site's spider says only what differs.

A site's spider declares its ``name`` (the institution id), ``allowed_domains``, ``default_years``, the
requests a crawl starts from (``start_requests_for(year)``) and one ``parse_<route>`` callback per kind of page.
Every request names its callback and passes what that callback needs to know as keyword arguments
(``self.follow(url, self.parse_programme, card=card)``, i.e. Scrapy's ``cb_kwargs``).

Callbacks are pure generators: they read a response and yield items or requests, with no I/O of their own, so
tests call them on saved pages and ``microcred parse`` runs them on a file. Failures (HTTP errors, pages
missing what they must have) become ``HarvestIssue`` items with a reason instead of exceptions or silent drops.

What is not about one site lives here and in ``scrapers.middlewares.ParseMemoMiddleware``: provenance, the
parse memo (a page answered 304 is replayed, not parsed), the revisit policy (a page not due tonight is
replayed, not requested), and the recording of failed requests (``on_error``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from scrapers import RELEASE
from scrapers.httpcache import CACHE_DAMAGED
from scrapers.items import HarvestIssue
from scrapers.memo import MEMO_SUFFIX, PARSE_INPUT, FollowUp, ParseMemo, input_digest
from scrapers.revisit import NOT_IN_MEMO, STATE_SUFFIX, RevisitPolicy, clock_from, http_date

REVISIT_SKIPPED = "revisit_skipped"  # request meta: not requested tonight, replayed from the memo
REVISIT_FORCE = "revisit_force"  # request meta: fetch whatever the policy says (the replay was not possible)
REVISIT_DECIDED = "revisit_decided"  # request meta: the policy's answer, once asked (True: not requested)

Callback = Callable[..., Iterator[Any]]


def clean_text(parts: Iterable[str] | str | None) -> str | None:
    """The text a reader sees: pieces joined, runs of white space folded to one space, ends trimmed.

    For strings that do not come from a selector (JSON values, texts joined from several nodes); nothing else
    is changed (no case folding, no unit stripping): raw means raw.
    """
    if parts is None:
        return None
    text = parts if isinstance(parts, str) else " ".join(parts)
    # str.split() splits on the same Unicode white space as r"\s+" (NBSP included), without a regex.
    return " ".join(text.split()) or None


def text_of(selection: Selector | SelectorList) -> str | None:
    """The text a reader sees in a selected element (the first of a list): its text nodes joined with a
    space, white space folded (``clean_text``). Not XPath's ``normalize-space()``: that joins text nodes
    without a space and folds ASCII white space only, where pages put a no-break space."""
    first = selection[0] if isinstance(selection, SelectorList) else selection
    return clean_text(first.xpath(".//text()").getall()) if first is not None else None


def entries_of(selection: SelectorList) -> list[str]:
    """The non-empty text of every selected element (list items, paragraphs), in document order."""
    return [text for element in selection if (text := text_of(element))]


def is_micro_credential(*texts: str | None) -> bool:
    """Whether a card's texts (its type, its title, its tags) call it a micro-credential, in either spelling."""
    joined = " ".join(text for text in texts if text).lower()
    return "micro-credential" in joined or "microcredential" in joined


def code_version(spider_class: type) -> str:
    """The SHA-256 of the code a spider class parses with: the source files of every class it is made of
    (the site's module, this base) and of the modules its items are built from (``helper_modules``).

    Part of every parse-memo key, so any edit to the parsing code is a miss and the page is parsed again.
    Computed once per class and process.
    """
    return _code_version(spider_class)


@cache
def _code_version(spider_class: type) -> str:
    modules = [
        cls.__module__
        for cls in spider_class.__mro__
        if not cls.__module__.startswith(("scrapy", "builtins"))
    ]
    modules += list(getattr(spider_class, "helper_modules", ()))
    digest = hashlib.sha256()
    for name in dict.fromkeys(modules):
        module = sys.modules.get(name)
        source = getattr(module, "__file__", None)
        if source is None:
            raise LookupError(f"no source file for module {name} of {spider_class.__qualname__}")
        # The bytes only, not the module's name or path: the same code is the same parse wherever it lives.
        code = Path(source).read_bytes()
        digest.update(str(len(code)).encode() + b"\0" + code)
    return digest.hexdigest()


class RegistrySpider(scrapy.Spider):
    """Shared plumbing: typed arguments, provenance, the memo and revisit hooks, issues instead of crashes."""

    default_years: ClassVar[tuple[int, ...]] = ()
    # The callbacks whose pages are revalidated every night whatever the revisit policy says: the pages a
    # change is seen on (listings).
    listing_routes: ClassVar[frozenset[str]] = frozenset()
    # (regex on the URL, callback name), first match wins. Only for a page handed over without its request
    # (``microcred parse`` of a saved file, and the issue kind of such a page): a crawl's requests name their
    # callback.
    routes: ClassVar[list[tuple[str, str]]] = []
    # Context keys that say where an input was found, not what it is: left out of the digest the parse memo and
    # the revisit policy know a page's inputs by. A page linked from two listings with otherwise equal cards
    # (UAntwerp's English and Dutch listings both offer twelve English-taught programmes) then has one input
    # whichever listing answers first; a replayed page keeps the listing it was first parsed from.
    provenance_keys: ClassVar[frozenset[str]] = frozenset({"listing_url"})
    # Modules besides the spider's own classes whose code shapes what a parse gives (see ``code_version``).
    helper_modules: ClassVar[tuple[str, ...]] = ("scrapers.items",)

    def __init__(self, *args: Any, years: str | Iterable[int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if years is None:
            self.years = list(self.default_years)
        elif isinstance(years, str):
            self.years = [int(y) for y in years.split(",") if y.strip()]
        else:
            self.years = [int(y) for y in years]
        self._compiled_routes = [(re.compile(pattern), name) for pattern, name in self.routes]

    # -- hooks a site's spider fills in ---------------------------------------------------------------
    def start_requests_for(self, year: int) -> Iterable[scrapy.Request]:
        """The requests a crawl of ``year`` starts from (listings, catalogues)."""
        raise NotImplementedError

    # -- crawling -----------------------------------------------------------------------------------
    async def start(self):
        for year in self.years:
            for request in self.start_requests_for(year):
                yield request

    def follow(self, url: str, callback: Callback, **context: Any) -> scrapy.Request:
        """A request for ``url`` parsed by ``callback``, which is given ``context`` as keyword arguments.

        A request that fails for good is recorded by ``on_error``. The digest of ``context`` is what the
        parse memo and the revisit policy know the page's inputs by (a changed listing card is a new parse).
        """
        return scrapy.Request(
            url,
            callback=callback,
            cb_kwargs=context,
            errback=self.on_error,
            meta={PARSE_INPUT: input_digest(context, ignore=self.provenance_keys)},
        )

    @property
    def code_version(self) -> str:
        return code_version(type(self))

    @property
    def memo(self) -> ParseMemo:
        """The parse memo of this crawl (beside the HTTP cache when there is one)."""
        if getattr(self, "_memo", None) is None:
            cache_dir = self._cache_dir()
            path = Path(cache_dir) / f"{self.name}{MEMO_SUFFIX}" if cache_dir else None
            self._memo = ParseMemo(path, stats=self.crawler_stats)
        return self._memo

    @property
    def revisit(self) -> RevisitPolicy:
        """The revisit policy of this crawl (its state beside the HTTP cache; none kept without a cache)."""
        if getattr(self, "_revisit", None) is None:
            settings = getattr(self, "settings", None)
            cache_dir = self._cache_dir()
            self._revisit = RevisitPolicy(
                Path(cache_dir) / f"{self.name}{STATE_SUFFIX}" if cache_dir else None,
                clock=clock_from(settings.get("MICROCRED_NOW") if settings is not None else None),
                # Without a cache there is nothing to replay from: every page is requested.
                revalidate_all=not cache_dir or settings.getbool("MICROCRED_REVALIDATE_ALL"),
                stats=self.crawler_stats,
            )
        return self._revisit

    def _cache_dir(self) -> str | None:
        settings = getattr(self, "settings", None)
        if settings is None or not settings.getbool("HTTPCACHE_ENABLED"):
            return None
        return settings.get("HTTPCACHE_DIR") or None

    def route_of(self, request: scrapy.Request) -> str | None:
        """The name of the callback of one of this spider's own requests (None for robots.txt and the like)."""
        callback = request.callback
        return callback.__name__ if getattr(callback, "__self__", None) is self else None

    def revisit_skip(self, request: scrapy.Request) -> bool:
        """Whether ``request`` is left out tonight (its page replayed from the memo). Asked where the spider
        yields the request (``scrapers.middlewares.RevisitReplaySpiderMiddleware``) and again before anything
        is sent (``scrapers.middlewares.RevisitMiddleware``); the answer is kept in the request's meta, so a
        page is decided, and counted, once."""
        meta = request.meta
        if REVISIT_DECIDED not in meta:
            meta[REVISIT_DECIDED] = self._revisit_decision(request)
        return meta[REVISIT_DECIDED]

    def _revisit_decision(self, request: scrapy.Request) -> bool:
        meta = request.meta
        route = self.route_of(request)
        if route is None or route in self.listing_routes or meta.get(REVISIT_FORCE):
            return False
        policy = self.revisit
        if policy.revalidate_all:
            return False
        card = meta.get(PARSE_INPUT) or ""
        reason = policy.reason_to_fetch(request.url, card)
        if reason is None and self.memo.latest_for_url(request.url, self.code_version) is None:
            reason = NOT_IN_MEMO
        if reason is not None:
            self.count(f"microcred/revisit/fetched/{reason}")
            return False
        meta[REVISIT_SKIPPED] = True
        self.count("microcred/revisit/skipped")
        return True

    # -- the parse memo (run by scrapers.middlewares.ParseMemoMiddleware around every callback) ---------
    def through_memo(self, response: Response, parsed: Iterable[Any]) -> Iterator[Any]:
        """What a page gives: ``parsed`` (the callback's own output, a generator not yet started), or the
        memo's replay of its last parse for a page answered 304 or not requested tonight, in which case
        ``parsed`` is never started and the page is not parsed at all."""
        replayed = self.replayed(response)
        if replayed is not None:
            yield from replayed
            return
        yield from self.memorised(response, parsed)

    def replayed(self, response: Response) -> list[Any] | None:
        """The memo's replay of a page not requested tonight or answered 304 with the same body and inputs
        (parsed by this same code), or ``None`` when the page is to be parsed. Records the page as verified."""
        meta = page_meta(response)
        if meta.get(REVISIT_SKIPPED):
            return list(self.replay_not_requested(response.request))
        self._record_verified(response, meta)
        if meta.get("server_status") == 304:
            stored = self.memo.get(self._memo_key(response))
            if stored is not None:
                self.count("microcred/parse_memo/replayed")
                return list(self._replay(stored, response))
        return None

    def memorised(self, response: Response, parsed: Iterable[Any]) -> Iterator[Any]:
        """The outputs of a page's parse, as they come, kept in the memo once the parse is complete."""
        self.count("microcred/parse_memo/parsed")
        outputs: list[Any] = []
        replayable = True
        for output in parsed:
            if isinstance(output, scrapy.Request):
                route = self.route_of(output)
                # Only a request to one of this spider's own callbacks can be made again from the memo.
                replayable = replayable and route is not None
                outputs.append(FollowUp(output.url, route or "", dict(output.cb_kwargs)))
            else:
                outputs.append(output)
            yield output
        if replayable:
            self.memo.put(self._memo_key(response), outputs)
        else:
            self.count("microcred/parse_memo/not_storable")
        # After the memo: a damaged cache entry is tonight's event, not part of what the page gives.
        yield from self._cache_damage_issue(page_meta(response), response.request)

    def _memo_key(self, response: Response) -> tuple:
        return ParseMemo.key(
            response.url, response.body, page_meta(response).get(PARSE_INPUT), self.code_version
        )

    def _again(self, follow_up: FollowUp) -> scrapy.Request:
        """A stored follow-up as a request again; only this spider's own ``parse_`` callbacks are named."""
        callback = (
            getattr(self, follow_up.callback, None) if follow_up.callback.startswith("parse_") else None
        )
        if callback is None:  # a memo is keyed on this code, so it names only callbacks it has
            raise LookupError(f"no callback {follow_up.callback!r} on {self.name}")
        return self.follow(follow_up.url, callback, **follow_up.cb_kwargs)

    def replay_not_requested(self, request: scrapy.Request) -> Iterator[Any]:
        """The last good outputs of the page ``request`` asks for, not requested tonight, as they were (old
        fetch and verification times); a page whose replay is missing after all is requested after all."""
        meta = request.meta
        # The page's last parse, with whichever of its known cards it was reached by then.
        key = self.memo.latest_key(request.url, meta.get(PARSE_INPUT), self.code_version)
        key = key or self.memo.latest_for_url(request.url, self.code_version)
        stored = self.memo.get(key) if key is not None else None
        if stored is None:
            self.count("microcred/revisit/replay_missing")
            forced = self.follow(request.url, request.callback, **request.cb_kwargs).replace(dont_filter=True)
            forced.meta[REVISIT_FORCE] = True
            yield forced
            return
        for output in stored:
            yield self._again(output) if isinstance(output, FollowUp) else output

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

    def _replay(self, stored: list[Any], response: Response) -> Iterator[Any]:
        fresh = self.provenance(response)
        for output in stored:
            if isinstance(output, FollowUp):
                yield self._again(output)
            elif dataclasses.is_dataclass(output):
                # The same record, seen again tonight: tonight's fetch time and status.
                names = {f.name for f in dataclasses.fields(output)}
                yield dataclasses.replace(
                    output,
                    **{k: fresh[k] for k in ("fetched_at", "http_status", "last_verified_at") if k in names},
                )
            else:
                yield output

    def _cache_damage_issue(
        self, meta: dict[str, Any], request: scrapy.Request | None
    ) -> Iterator[HarvestIssue]:
        """A ``cache_damaged`` issue when the HTTP cache refused this page's stored copy (scrapers/httpcache.py):
        the page was fetched whole again, and the damaged file is named. Once per request."""
        detail = meta.get(CACHE_DAMAGED)
        if not detail or meta.get("cache_damage_recorded") or request is None:
            return
        meta["cache_damage_recorded"] = True
        page_kind = self.page_kind(request)
        self.count(f"microcred/issue/{page_kind}/cache_damaged")
        yield HarvestIssue(
            page_kind=page_kind,
            reason="cache_damaged",
            detail=f"stored copy not used, page fetched again: {detail}"[:500],
            source=self.name,
            source_url=request.url,
            fetched_at=meta.get("fetched_at") or datetime.now(UTC).isoformat(timespec="seconds"),
            http_status=int(meta.get("server_status") or 0),
            body_sha256="",
            spider=self.name,
            spider_version=RELEASE,
        )

    def closed(self, reason: str) -> None:
        self.memo.save()
        self.revisit.save()

    # -- a page without its request ---------------------------------------------------------------------
    def callback_for(self, url: str) -> Callback:
        """The callback for a page by its URL (``routes``), for a page handed over without its request."""
        for pattern, name in self._compiled_routes:
            if pattern.search(url):
                return getattr(self, name)
        return self.parse_unrouted

    def parse(self, response: Response, **context: Any) -> Iterator[Any]:
        """Scrapy's default callback, reached only by a page parsed without its callback (``microcred parse``,
        tests on saved pages): the callback is chosen by the URL, and given the arguments of the response's
        request, if it has one."""
        if not context:
            request = getattr(response, "request", None)
            context = dict(request.cb_kwargs) if request is not None else {}
        yield from self.callback_for(response.url)(response, **context)

    def parse_unrouted(self, response: Response) -> Iterator[Any]:
        yield self.issue(response, page_kind="unknown", reason="unrouted_url", detail=response.url)

    def page_kind(self, page: scrapy.Request | Response | str) -> str:
        """The kind of page a request (or response, or bare URL) is, as issues name it: its callback
        without ``parse_``."""
        request = page.request if isinstance(page, Response) else page
        route = self.route_of(request) if isinstance(request, scrapy.Request) else None
        if route is None:
            url = page if isinstance(page, str) else page.url
            route = getattr(self.callback_for(url), "__name__", "unknown")
        return route.removeprefix("parse_")

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
            "spider_version": RELEASE,
        }

    def issue(self, response: Response, *, page_kind: str, reason: str, detail: str | None = None):
        self.count(f"microcred/issue/{page_kind}/{reason}")
        return HarvestIssue(page_kind=page_kind, reason=reason, detail=detail, **self.provenance(response))

    def count(self, key: str) -> None:
        """Adds one to the crawl stat ``key`` (a spider used outside a crawl has no stats)."""
        if self.crawler_stats is not None:
            self.crawler_stats.inc_value(key)

    @property
    def crawler_stats(self):
        crawler = getattr(self, "crawler", None)
        return crawler.stats if crawler is not None else None

    def on_error(self, failure) -> Iterator[Any]:
        """Requests that failed for good (after retries) are recorded, with the reason, as issues."""
        request = failure.request
        page_kind = self.page_kind(request)
        # The page's last parse stays in the memo, so it can be replayed on a later night once it answers.
        self.memo.retain(request.url, request.meta.get(PARSE_INPUT), self.code_version)
        yield from self._cache_damage_issue(request.meta, request)
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
            spider_version=RELEASE,
        )


def page_meta(response: Response) -> dict[str, Any]:
    """The request meta of a response, or ``{}`` for a response built without a request (a saved page)."""
    try:
        return response.meta
    except AttributeError:
        return {}
