"""HTTP cache policy for the nightly harvest: every stored page is revalidated with a conditional request.

Scrapy's ``RFC2616Policy`` serves a stored page without asking when its headers make it look fresh, and
on ``Cache-Control: no-cache`` it returns before setting the validators, so no conditional request is
sent at all. A registry must see every change each night and should cost the site as little as possible:
so each stored page is asked for again with ``If-None-Match`` / ``If-Modified-Since``, and a 304 answer
reuses the stored body.
"""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy


class RevalidatingPolicy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False
