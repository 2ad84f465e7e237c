"""Runs one institution's crawl in its own process and lands the raw items in a directory.

Scrapy's Twisted reactor cannot be restarted inside a process (scrapy#2941), so the Dagster assets and the
command line call ``run_crawl``, which starts ``python -m scrapers.crawl`` as a subprocess. The landing
directory receives ``{kind}.jsonl`` files, ``crawl_stats.json`` and, only if the crawl finished normally,
``_SUCCESS``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPIDERS = {
    "ugent": "scrapers.spiders.ugent.UGentSpider",
    "uantwerpen": "scrapers.spiders.uantwerpen.UAntwerpenSpider",
    "rug": "scrapers.spiders.rug.RugSpider",
}


@dataclass(frozen=True)
class CrawlResult:
    source: str
    landing_dir: Path
    succeeded: bool
    finish_reason: str | None
    stats: dict[str, Any]
    returncode: int
    log_tail: str

    @property
    def pages_fetched(self) -> int:
        """Answers from the server (robots.txt included), 304s counted: what the night cost the site."""
        return int(self.stats.get("microcred/server_responses", 0))

    @property
    def not_modified(self) -> int:
        return int(self.stats.get("microcred/server_status/304", 0))

    @property
    def errors(self) -> int:
        return sum(int(v) for k, v in self.stats.items() if k.startswith("microcred/issue/"))

    @property
    def items(self) -> int:
        return sum(
            int(v)
            for k, v in self.stats.items()
            if k.startswith("microcred/items/") and k != "microcred/items/issue"
        )


def run_crawl(
    source: str,
    landing_dir: Path,
    run_id: str,
    *,
    snapshot_url: str | None,
    cache_dir: Path,
    years: list[int] | None = None,
    timeout: float = 3600,
) -> CrawlResult:
    """Crawls ``source`` in a subprocess (``snapshot_url=None`` means the live public site)."""
    if source not in SPIDERS:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SPIDERS)}")
    landing_dir = Path(landing_dir)
    command = [
        sys.executable,
        "-m",
        "scrapers.crawl",
        source,
        "--landing",
        str(landing_dir),
        "--run-id",
        run_id,
        "--cache-dir",
        str(cache_dir),
    ]
    if snapshot_url:
        command += ["--snapshot-url", snapshot_url]
    if years:
        command += ["--years", ",".join(str(y) for y in years)]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        returncode, log = completed.returncode, completed.stderr
    except subprocess.TimeoutExpired as exc:
        returncode, log = -1, f"crawl timed out after {timeout} s\n{exc.stderr or ''}"
    summary_file = landing_dir / "crawl_stats.json"
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    return CrawlResult(
        source=source,
        landing_dir=landing_dir,
        succeeded=returncode == 0 and (landing_dir / "_SUCCESS").exists(),
        finish_reason=summary.get("finish_reason"),
        stats=summary.get("stats", {}),
        returncode=returncode,
        log_tail="\n".join(str(log).splitlines()[-40:]),
    )


def crawler_settings(landing_dir: Path, run_id: str, cache_dir: Path, snapshot_url: str | None):
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.set("MICROCRED_LANDING_DIR", str(landing_dir), priority="cmdline")
    settings.set("MICROCRED_RUN_ID", run_id, priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(Path(cache_dir).resolve()), priority="cmdline")
    if snapshot_url:
        settings.set("MICROCRED_SNAPSHOT_URL", snapshot_url, priority="cmdline")
    if timeout := os.environ.get("MICROCRED_DOWNLOAD_TIMEOUT"):  # tests of slow answers use a short one
        settings.set("DOWNLOAD_TIMEOUT", float(timeout), priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", choices=sorted(SPIDERS))
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--snapshot-url", default=None, help="loopback base URL of the snapshot server")
    parser.add_argument("--years", default=None, help="comma-separated academic start years")
    args = parser.parse_args(argv)

    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.misc import load_object

    settings = crawler_settings(args.landing, args.run_id, args.cache_dir, args.snapshot_url)
    process = CrawlerProcess(settings, install_root_handler=True)
    spider_kwargs = {"years": args.years} if args.years else {}
    crawler = process.create_crawler(load_object(SPIDERS[args.source]))
    process.crawl(crawler, **spider_kwargs)
    process.start()

    stats = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in crawler.stats.get_stats().items()
    }
    reason = stats.get("finish_reason")
    args.landing.mkdir(parents=True, exist_ok=True)
    summary = {"run_id": args.run_id, "source": args.source, "finish_reason": reason, "stats": stats}
    (args.landing / "crawl_stats.json").write_text(json.dumps(summary, indent=2, sort_keys=True))
    if reason == "finished":
        (args.landing / "_SUCCESS").write_text(args.run_id + "\n")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
