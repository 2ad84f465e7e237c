"""Item pipelines, each with one job: field statistics, then the landing files.

Bad records are counted and written like any other (with their gaps visible), never dropped here.
"""

from __future__ import annotations

import json
import os
from dataclasses import fields as dataclass_fields
from pathlib import Path

from itemadapter import ItemAdapter

from scrapers.items import ITEM_KINDS


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
    so a reader can tell a complete landing from an interrupted one.
    """

    def __init__(self, landing_dir: Path, run_id: str):
        self.landing_dir = landing_dir
        self.run_id = run_id
        self._files: dict[str, object] = {}

    @classmethod
    def from_crawler(cls, crawler):
        landing = crawler.settings.get("MICROCRED_LANDING_DIR") or "landing"
        run_id = crawler.settings.get("MICROCRED_RUN_ID") or "adhoc"
        return cls(Path(landing), run_id)

    def open_spider(self, spider=None):
        self.landing_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.landing_dir.glob("*"):
            stale.unlink()
        for kind in ITEM_KINDS:
            self._files[kind] = open(self.landing_dir / f"{kind}.jsonl.partial", "w", encoding="utf-8")

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        adapter["run_id"] = self.run_id
        record = {f.name: adapter.get(f.name) for f in dataclass_fields(item)}
        self._files[record["kind"]].write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        return item

    def close_spider(self, spider=None):
        for kind, handle in self._files.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.replace(self.landing_dir / f"{kind}.jsonl.partial", self.landing_dir / f"{kind}.jsonl")
