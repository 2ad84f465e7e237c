"""Scrapy settings shared by every spider: polite by default.

The crawl runner (``scrapers.crawl``) overrides only what differs per run: the landing directory, the run
id, the HTTP cache directory and, for offline runs, the loopback address of the snapshot server.
"""

from scrapers import USER_AGENT

BOT_NAME = "microcred"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Identify ourselves with a contact address and obey robots.txt.
USER_AGENT = USER_AGENT
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control HTTP server (on by default since 2.19) runs code sent to it; a night needs no remote
# control, and leaving it out also spares every crawl the import of aiohttp (about 0.3 s of start-up).
REMOTE_CONTROL_ENABLED = False

# Be gentle: few parallel requests per site, AutoThrottle adapting to the server's latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
# The delay between two requests to one site that we call polite when its robots.txt gives no Crawl-delay:
# how long a night would take live is requests x this (scrapers/politeness.py).
MICROCRED_POLITE_DELAY = AUTOTHROTTLE_START_DELAY
# The revisit policy (scrapers/revisit.py): on unless a night asks to revalidate every page; the clock is the
# real one unless MICROCRED_NOW (ISO 8601) fixes it, for tests of later nights.
MICROCRED_REVALIDATE_ALL = False
MICROCRED_NOW = None
EXTENSIONS = {
    # Same AutoThrottle, but a 304 (nothing changed) may lower the delay like a 200 does.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "scrapers.throttle.RevalidationAwareAutoThrottle": 0,
}
DOWNLOAD_TIMEOUT = 30

# Transient server errors are retried; what still fails is recorded as a harvest issue by the spider.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# A redirect loop runs into this limit and is recorded as a harvest issue (scrapers/dupefilter.py) rather
# than dropped as a duplicate; five hops is more than any page of the three sites needs.
REDIRECT_MAX_TIMES = 5
DUPEFILTER_CLASS = "scrapers.dupefilter.RedirectLoopDupeFilter"

# Conditional requests: every stored page is revalidated with If-None-Match/If-Modified-Since (see httpcache.py),
# so a night with nothing changed is answered with 304s. The storage checks every entry (body SHA-256) before a
# 304 reuses it, writes entries whole, and reads no pickle.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapers.httpcache.RevalidatingPolicy"
HTTPCACHE_STORAGE = "scrapers.httpcache.VerifiedCacheStorage"
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 408, 429]

DOWNLOAD_HANDLERS = {
    "http": "scrapers.routing.SnapshotRoutingHandler",
    "https": "scrapers.routing.SnapshotRoutingHandler",
}

DOWNLOADER_MIDDLEWARES = {
    # After robots.txt (100), before everything that sends: pages not due tonight are replayed, not requested.
    "scrapers.middlewares.RevisitMiddleware": 150,
    # Closest to the network, so it sees the server's real status (304 included) before the cache does.
    "scrapers.middlewares.FetchRecordMiddleware": 950,
    # Also below the cache, so the copy it stores (and later 304s reuse) is read with the right charset.
    "scrapers.middlewares.CharsetRepairMiddleware": 960,
}
SPIDER_MIDDLEWARES = {
    # Closer to the engine than the card offers: a page not due tonight is replayed where it is yielded.
    "scrapers.middlewares.RevisitReplaySpiderMiddleware": 700,
    "scrapers.middlewares.CharsetIssueSpiderMiddleware": 800,
    # Every card a detail page is offered, before the duplicate filter keeps one (scrapers/revisit.py).
    "scrapers.middlewares.RevisitOfferSpiderMiddleware": 850,
    # Closest to the spider: what it wraps is the callback's own output (replayed or parsed).
    "scrapers.middlewares.ParseMemoMiddleware": 950,
}

ITEM_PIPELINES = {
    "scrapers.pipelines.FieldStatsPipeline": 100,
    "scrapers.pipelines.LandingPipeline": 900,
}

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
