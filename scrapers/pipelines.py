"""Item pipelines, each with one job: field statistics, then the landing files.

Bad records are counted and written like any other (with their gaps visible), never dropped here.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import fields as dataclass_fields
from pathlib import Path

from itemadapter import ItemAdapter

from registry.files import fsync_dir, replace_durably
from scrapers.durable import is_disk_full, stop_crawl
from scrapers.items import ITEM_KINDS

logger = logging.getLogger(__name__)
PARTIAL_SUFFIX = ".partial"


def lock_landing(landing_dir: Path) -> int:
    """Takes the landing folder's lock (``flock`` on the folder itself) and returns its descriptor.

    The crawl holds it until it ends; the kernel releases it when the process dies, however it dies. So a
    folder whose lock can be taken has no crawl writing into it, and its ``.partial`` files are leftovers
    (``remove_stale_partials``)."""
    handle = os.open(landing_dir, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise RuntimeError(f"another crawl is writing into {landing_dir}") from None
    return handle


def remove_stale_partials(raw_root: Path, source: str) -> list[Path]:
    """Removes the ``.partial`` landing files a killed crawl of ``source`` left in ``raw_root/*/source/``.

    A folder whose lock is held (a crawl still writing into it) is left alone. Returns what was removed."""
    removed: list[Path] = []
    for folder in sorted(Path(raw_root).glob(f"*/{source}")):
        partials = sorted(folder.glob(f"*{PARTIAL_SUFFIX}"))
        if not partials:
            continue
        handle = os.open(folder, os.O_RDONLY)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live crawl
            for partial in folder.glob(f"*{PARTIAL_SUFFIX}"):
                partial.unlink(missing_ok=True)
                removed.append(partial)
            fsync_dir(folder)
        finally:
            os.close(handle)  # releases the lock
    return removed


class FieldStatsPipeline:
    """Counts missing fields per item kind in the crawl stats (``microcred/field/{kind}/{name}/missing``)."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        kind = adapter.get("kind", "unknown")
        self.stats.inc_value(f"microcred/items/{kind}")
        for name in adapter.field_names():
            value = adapter.get(name)
            if value is None or value == "" or value == [] or value == {}:
                self.stats.inc_value(f"microcred/field/{kind}/{name}/missing")
        return item


class LandingPipeline:
    """Writes items as JSON lines, one file per kind, into the run's landing directory.

    Files are written under a ``.partial`` name and renamed when the crawl closes. The crawl runner
    (``scrapers.crawl``) then writes the crawl stats and, only when the crawl finished normally, ``_SUCCESS``,
    so a reader can tell a complete landing from an interrupted one. The crawl holds the folder's lock
    (``lock_landing``) while it writes. A full disk stops the crawl with ``disk_full: <file>`` and the
    ``.partial`` files are removed (they could only be incomplete).
    """

    def __init__(self, landing_dir: Path, run_id: str, crawler=None):
        self.landing_dir = landing_dir
        self.run_id = run_id
        self.crawler = crawler
        self._files: dict[str, object] = {}
        self._lock: int | None = None
        self.failed: str | None = None  # the finish reason once a write failed

    @classmethod
    def from_crawler(cls, crawler):
        landing = crawler.settings.get("MICROCRED_LANDING_DIR") or "landing"
        run_id = crawler.settings.get("MICROCRED_RUN_ID") or "adhoc"
        return cls(Path(landing), run_id, crawler)

    def _partial(self, kind: str) -> Path:
        return self.landing_dir / f"{kind}.jsonl{PARTIAL_SUFFIX}"

    def open_spider(self, spider=None):
        self.landing_dir.mkdir(parents=True, exist_ok=True)
        self._lock = lock_landing(self.landing_dir)
        for stale in self.landing_dir.glob("*"):
            stale.unlink()
        for kind in ITEM_KINDS:
            self._files[kind] = open(self._partial(kind), "w", encoding="utf-8")

    def _write_failed(self, exc: OSError, path: Path) -> None:
        reason = (
            f"disk_full: {path}"
            if is_disk_full(exc)
            else f"landing_write_failed: {exc.strerror or exc}: {path}"
        )
        if self.failed is None:
            logger.error("landing write to %s failed: %s", path, exc)
            self.failed = stop_crawl(self.crawler, reason) if self.crawler is not None else reason

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        adapter["run_id"] = self.run_id
        record = {f.name: adapter.get(f.name) for f in dataclass_fields(item)}
        if self.failed is None:  # after a failed write the landing is incomplete anyway: nothing more
            try:
                self._files[record["kind"]].write(
                    json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
                )
            except OSError as exc:
                self._write_failed(exc, self._partial(record["kind"]))
        return item

    def close_spider(self, spider=None):
        try:
            for kind, handle in self._files.items():
                try:
                    if self.failed is None:
                        handle.close()
                        replace_durably(self._partial(kind), self.landing_dir / f"{kind}.jsonl")
                except OSError as exc:
                    self._write_failed(exc, self._partial(kind))
            if self.failed is not None:
                for kind, handle in self._files.items():
                    try:
                        handle.close()
                    except OSError:
                        pass  # the buffer could not be written: the file goes anyway
                    self._partial(kind).unlink(missing_ok=True)
        finally:
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None
