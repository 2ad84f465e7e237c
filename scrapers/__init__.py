"""Scrapy project: harvests micro-credential listings from the institutions' public sites.

Spiders yield raw items (strings exactly as seen on the page, with provenance); the landing pipeline writes
them as JSON lines per run and source. Whether a crawl talks to the live sites or to the bundled snapshot
is decided by the download handler (``scrapers.routing``), never by the spiders.
"""

# The harvester's release, named in the User-Agent and in every record's provenance (``spider_version``). The
# parse memo does not rely on it: it is keyed on the spiders' code itself (``scrapers.spiders.base.code_version``).
RELEASE = "0.2.0"
CONTACT = "registry-maintainers@microcred-registry.example"
USER_AGENT = f"microcred-registry/{RELEASE} (+https://github.com/microcred-registry; {CONTACT})"
