"""Runs one institution's crawl in its own process and lands the raw items in a directory.

Scrapy's Twisted reactor cannot be restarted inside a process (scrapy#2941), so the Dagster assets and the
command line call ``run_crawl``, which starts ``python -m scrapers.crawl`` as a subprocess. The landing
directory receives ``{kind}.jsonl`` files, ``crawl_stats.json`` and, only if the crawl finished normally,
``_SUCCESS``.

A crawl that stops because a write failed (a full disk: ``disk_full: <path>``) says so as its finish reason.
The crawl's summary is written whole (``scrapers.durable``); when even that cannot be written, the subprocess
prints the reason on a ``FAILURE_MARKER`` line and exits with ``WRITE_FAILED_EXIT``, and ``run_crawl`` reports
that reason. A summary that is missing or unreadable is reported as such, never as a ``JSONDecodeError``.
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

from registry.files import atomic_write
from scrapers.durable import WRITE_FAILED_STAT, is_disk_full

FAILURE_MARKER = "microcred-crawl-failed: "
WRITE_FAILED_EXIT = 3

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
    def skipped_by_policy(self) -> int:
        """Detail pages the revisit policy did not request tonight (replayed from the parse memo)."""
        return int(self.stats.get("microcred/revisit/skipped", 0))

    @property
    def politeness(self) -> dict[str, dict[str, float]]:
        return politeness(self.stats)

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
    revalidate_all: bool | None = None,
    now: str | None = None,
) -> CrawlResult:
    """Crawls ``source`` in a subprocess (``snapshot_url=None`` means the live public site).

    ``revalidate_all`` switches the revisit policy off for this crawl and ``now`` fixes its clock (ISO 8601);
    left ``None``, both come from the environment (``MICROCRED_REVALIDATE_ALL``, ``MICROCRED_NOW``).
    """
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
        "--parent-pid",
        str(os.getpid()),
    ]
    if snapshot_url:
        command += ["--snapshot-url", snapshot_url]
    if years:
        command += ["--years", ",".join(str(y) for y in years)]
    try:
        env = dict(os.environ)
        if revalidate_all is not None:
            env["MICROCRED_REVALIDATE_ALL"] = "1" if revalidate_all else ""
        if now is not None:
            env["MICROCRED_NOW"] = now
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
        returncode, log = completed.returncode, completed.stderr
    except subprocess.TimeoutExpired as exc:
        returncode, log = -1, f"crawl timed out after {timeout} s\n{exc.stderr or ''}"
    summary, problem = read_summary(landing_dir / "crawl_stats.json")
    reported = [
        line[len(FAILURE_MARKER) :] for line in str(log).splitlines() if line.startswith(FAILURE_MARKER)
    ]
    return CrawlResult(
        source=source,
        landing_dir=landing_dir,
        succeeded=returncode == 0 and not problem and (landing_dir / "_SUCCESS").exists(),
        finish_reason=(reported[-1] if reported else None) or summary.get("finish_reason") or problem,
        stats=summary.get("stats", {}),
        returncode=returncode,
        log_tail="\n".join(str(log).splitlines()[-40:]),
    )


def politeness(stats: dict[str, Any], default_delay: float | None = None) -> dict[str, dict[str, float]]:
    """Per site (host): requests sent, bytes received, the delay we owe it and how long the night would take
    live at that polite rate (requests x delay: one request per delay).

    The delay is the site's robots.txt ``Crawl-delay`` when it gives one, else ``MICROCRED_POLITE_DELAY`` (the
    AutoThrottle start delay of ``scrapers.settings``), as recorded in the crawl's stats.
    """
    if default_delay is None:
        default_delay = float(stats.get("microcred/politeness/default_delay") or 0) or _default_delay()
    prefix = "microcred/politeness/"
    hosts = sorted(
        {k[len(prefix) :].rsplit("/", 1)[0] for k in stats if k.startswith(prefix) and k.count("/") > 2}
    )
    figures = {}
    for host in hosts:
        requests = int(stats.get(f"{prefix}{host}/requests", 0))
        crawl_delay = stats.get(f"{prefix}{host}/crawl_delay")
        delay = float(crawl_delay) if crawl_delay is not None else default_delay
        figures[host] = {
            "requests": requests,
            "bytes": int(stats.get(f"{prefix}{host}/bytes", 0)),
            "delay_s": delay,
            "delay_from": "robots.txt Crawl-delay" if crawl_delay is not None else "AutoThrottle start delay",
            "polite_seconds": requests * delay,
        }
    return figures


def _default_delay() -> float:
    from scrapers import settings

    return float(settings.MICROCRED_POLITE_DELAY)


def read_summary(path: Path) -> tuple[dict[str, Any], str | None]:
    """The crawl's summary, or ``({}, what is wrong with it)``."""
    try:
        summary = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}, f"crawl_stats_missing: {path}"
    except (OSError, ValueError) as exc:
        return {}, f"crawl_stats_unreadable: {path} ({type(exc).__name__})"
    if not isinstance(summary, dict):
        return {}, f"crawl_stats_unreadable: {path} (not an object)"
    return summary, None


def crawler_settings(landing_dir: Path, run_id: str, cache_dir: Path, snapshot_url: str | None):
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.set("MICROCRED_LANDING_DIR", str(landing_dir), priority="cmdline")
    settings.set("MICROCRED_RUN_ID", run_id, priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(Path(cache_dir).resolve()), priority="cmdline")
    if snapshot_url:
        settings.set("MICROCRED_SNAPSHOT_URL", snapshot_url, priority="cmdline")
    # The revisit policy's switches (scrapers/revisit.py), passed down from `microcred refresh` by environment.
    if os.environ.get("MICROCRED_REVALIDATE_ALL", "").strip().lower() in ("1", "true", "yes"):
        settings.set("MICROCRED_REVALIDATE_ALL", True, priority="cmdline")
    if now := os.environ.get("MICROCRED_NOW"):
        settings.set("MICROCRED_NOW", now, priority="cmdline")
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
    parser.add_argument(
        "--parent-pid", type=int, default=None, help="end this crawl when that process (its starter) dies"
    )
    args = parser.parse_args(argv)
    if args.parent_pid is not None:
        from scrapers.lifeline import die_with_parent

        die_with_parent(args.parent_pid)

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
    stats["microcred/politeness/default_delay"] = settings.getfloat("MICROCRED_POLITE_DELAY")
    # A write that failed stopped the crawl; it is the reason even if Scrapy was already closing.
    reason = stats.get(WRITE_FAILED_STAT) or stats.get("finish_reason")
    summary = {"run_id": args.run_id, "source": args.source, "finish_reason": reason, "stats": stats}
    written = args.landing / "crawl_stats.json"
    try:
        args.landing.mkdir(parents=True, exist_ok=True)
        atomic_write(written, json.dumps(summary, indent=2, sort_keys=True).encode())
        if reason == "finished":
            written = args.landing / "_SUCCESS"
            atomic_write(written, (args.run_id + "\n").encode())
            return 0
    except OSError as exc:
        failure = f"disk_full: {written}" if is_disk_full(exc) else f"write_failed: {exc.strerror}: {written}"
        # The summary may be missing or the old one: the reason goes to the parent on stderr.
        print(
            FAILURE_MARKER + (reason if reason and reason.startswith("disk_full") else failure),
            file=sys.stderr,
        )
        return WRITE_FAILED_EXIT
    if reason and reason != "finished" and stats.get(WRITE_FAILED_STAT):
        print(FAILURE_MARKER + reason, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
