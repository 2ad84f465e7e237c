"""A write the crawl cannot make stops the crawl, and a full disk is called by its name.

A file the next run reads (an HTTP-cache entry, the parse memo, the crawl's summary) is written whole with
``registry.files.atomic_write``, so a crash or a full disk leaves either the old file or the new one. A write
that fails because the disk (or the quota) is full stops the crawl with the finish reason
``disk_full: <path>``: the night is not complete, the source keeps its last published rows, and the reason says
what to fix (a retry on the same disk would fail the same way).
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# Crawl stat holding the reason a write stopped the crawl; it wins over Scrapy's finish reason (a write that
# fails while the crawl is already closing cannot change that any more).
WRITE_FAILED_STAT = "microcred/write_failed"


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


def stop_crawl(crawler, reason: str) -> str:
    """Stops the crawl for a failed write, once; returns the reason the crawl stops with (the first one)."""
    if crawler.stats.get_value(WRITE_FAILED_STAT) is None:
        crawler.stats.set_value(WRITE_FAILED_STAT, reason)
        logger.error("%s: stopping the crawl", reason)
        engine = getattr(crawler, "engine", None)
        if engine is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason=reason))
    return crawler.stats.get_value(WRITE_FAILED_STAT)


def stop_for_disk_full(crawler, path: Path | str) -> str:
    """Stops the crawl with ``disk_full: <path>``."""
    return stop_crawl(crawler, f"disk_full: {path}")
