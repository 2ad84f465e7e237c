"""Scrapy project: harvests micro-credential listings from the institutions' public sites.

Spiders yield raw items (strings exactly as seen on the page, with provenance); the landing pipeline writes
them as JSON lines per run and source. Whether a crawl talks to the live sites or to the bundled snapshot
is decided by the download handler (``scrapers.routing``), never by the spiders.
"""

# Part of every parse-memo key: a new version never replays what an older spider made of a page (0.2.0: year
# panes, summer-school prefixes and sub-pages, Ocasys keys).
SPIDER_VERSION = "0.2.0"
CONTACT = "registry-maintainers@microcred-registry.example"
USER_AGENT = f"microcred-registry/{SPIDER_VERSION} (+https://github.com/microcred-registry; {CONTACT})"
