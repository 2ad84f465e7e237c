"""A duplicate filter that lets a redirect loop fail loudly instead of vanishing.

Scrapy's RFPDupeFilter drops a redirect whose target was already requested. For a page that redirects to
itself (or back into its own chain) that means the page disappears from the harvest with no error: the
errback never runs, so no harvest issue is recorded. This filter lets such a request through, so the
redirect middleware follows the loop until ``REDIRECT_MAX_TIMES`` and raises ``IgnoreRequest``; the spider's
errback then records the page with reason ``redirect_loop``. Redirects to other pages already seen are still
filtered as duplicates (that page is harvested in its own right).

``has_seen`` asks without adding: ``scrapers.middlewares.RevisitReplaySpiderMiddleware`` replays a page not due
tonight only if its request would not have been dropped as a duplicate.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter


class RedirectLoopDupeFilter(RFPDupeFilter):
    def request_seen(self, request: Request) -> bool:
        if request.url in request.meta.get("redirect_urls", ()):
            return False
        return super().request_seen(request)

    def has_seen(self, request: Request) -> bool:
        """Whether ``request_seen`` would call ``request`` a duplicate, without recording it."""
        return self._fingerprint(request) in self._fingerprints
