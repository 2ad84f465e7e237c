"""Scrapy project: harvests micro-credential listings from the institutions' public sites.

Spiders yield raw items (strings exactly as seen on the page, with provenance); the landing pipeline writes
them as JSON lines per run and source. Whether a crawl talks to the live sites or to the bundled snapshot
is decided by the download handler (``scrapers.routing``), never by the spiders.
"""

SPIDER_VERSION = "0.1.0"
CONTACT = "registry-maintainers@microcred-registry.example"
USER_AGENT = f"microcred-registry/{SPIDER_VERSION} (+https://github.com/microcred-registry; {CONTACT})"
