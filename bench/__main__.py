"""Prints the speed figures as ratios against baselines measured in this same run.

Ratios, not seconds, carry the verdict, so a busy machine slows figure and baseline alike. Run with
``make bench``; nothing here is a test and nothing asserts.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROWS: list[tuple[str, str, str, str, str]] = []


def report(work: str, figure: str, baseline: str, ratio: str, target: str, ok: bool | None) -> None:
    verdict = "meets" if ok else ("MISSES" if ok is not None else "-")
    ROWS.append((work, figure, baseline, ratio, f"{target} [{verdict}]"))
    print(
        f"- {work}: {figure} | baseline {baseline} | ratio {ratio} | target {target} [{verdict}]", flush=True
    )


def best_of(fn, repeat: int = 7, number: int = 20) -> float:
    """Median seconds per call over ``repeat`` batches of ``number`` calls."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        timings.append((time.perf_counter() - start) / number)
    return statistics.median(timings)


def bench_crawl() -> None:
    from bench.scale import scrapy_bench_pages_per_min
    from scrapers.crawl import run_crawl
    from scrapers.snapshot.server import SnapshotServer

    baseline = scrapy_bench_pages_per_min()
    with tempfile.TemporaryDirectory() as tmp, SnapshotServer() as server:
        result = run_crawl(
            "ugent",
            Path(tmp) / "landing",
            "bench",
            snapshot_url=server.base_url,
            cache_dir=Path(tmp) / "cache",
        )
        pages = result.pages_fetched
        ours = pages / float(result.stats["elapsed_time_seconds"]) * 60
        # The same crawl again with the cache: conditional requests answered 304 (a night with nothing changed).
        again = run_crawl(
            "ugent",
            Path(tmp) / "landing2",
            "bench2",
            snapshot_url=server.base_url,
            cache_dir=Path(tmp) / "cache",
        )
    report(
        "crawl the snapshot over loopback",
        f"{ours:,.0f} pages/min ({pages} pages)",
        f"scrapy bench {baseline:,.0f} pages/min",
        f"{ours / baseline:.0%}",
        ">= 70%",
        ours / baseline >= 0.7,
    )
    share = again.not_modified / max(again.pages_fetched, 1)
    time_ratio = float(again.stats["elapsed_time_seconds"]) / float(result.stats["elapsed_time_seconds"])
    report(
        "second crawl, nothing changed",
        f"{share:.0%} of {again.pages_fetched} answers were 304",
        "first crawl",
        f"{time_ratio:.0%} of its time",
        ">= 95% 304s, <= 20% time",
        share >= 0.95 and time_ratio <= 0.2,
    )


def bench_parse() -> None:
    import lxml.html
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from scrapers.spiders.ugent import UGentSpider

    sites = REPO / "scrapers" / "snapshot" / "sites"
    manifest = [json.loads(line) for line in (sites / "manifest.jsonl").read_text().splitlines()]
    row = max(
        (r for r in manifest if r["url"].endswith("/programma")),
        key=lambda r: (sites / r["file"]).stat().st_size,
    )
    body = (sites / row["file"]).read_bytes()
    spider = UGentSpider()

    def ours():
        response = HtmlResponse(url=row["url"], body=body, encoding="utf-8", request=Request(row["url"]))
        return list(spider.parse_programme(response))

    ours_s = best_of(ours)
    bare_s = best_of(lambda: lxml.html.fromstring(body))
    ratio = ours_s / bare_s
    report(
        "parse + extract: Ghent programme page (authored, compact)",
        f"{ours_s * 1e3:.2f} ms ({len(body) // 1024} KB)",
        f"bare lxml.html.fromstring {bare_s * 1e3:.2f} ms",
        f"{ratio:.1f}x",
        "<= 4x",
        ratio <= 4,
    )

    # The real 67 KB UAntwerp study-programme page (37 courses): what a real page costs.
    from scrapers.spiders.uantwerpen import UAntwerpenSpider

    real = (
        REPO / "tools" / "snapshot" / "reference" / "uantwerpen-2025-master-data-science-study-programme.html"
    )
    real_body = real.read_bytes()
    real_url = (
        "https://www.uantwerpen.be/en/study/programmes/all-programmes/master-data-science/study-programme/"
    )
    antwerp = UAntwerpenSpider()

    def ours_real():
        response = HtmlResponse(url=real_url, body=real_body, encoding="utf-8", request=Request(real_url))
        return list(antwerp.parse(response))

    ours_s = best_of(ours_real, number=5)
    bare_s = best_of(lambda: lxml.html.fromstring(real_body), number=5)
    ratio = ours_s / bare_s
    report(
        "parse + extract: real UAntwerp study-programme page",
        f"{ours_s * 1e3:.2f} ms ({len(real_body) // 1024} KB)",
        f"bare lxml.html.fromstring {bare_s * 1e3:.2f} ms",
        f"{ratio:.1f}x",
        "<= 4x",
        ratio <= 4,
    )


# A per-row implementation of the credits vocabulary, as a loop over Python strings would do it.
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:ects|ec\b|credits?|studiepunten|sp\b|cr\.)", re.I)
_BARE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*$")


def credits_per_row(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    match = _NUMBER.search(text) or _BARE.match(text)
    return float(match.group(1).replace(",", ".")) if match else None


def bench_normalise() -> None:
    from normalise import normalise

    rng = random.Random(7)
    distinct = [f"1 year | {n} credits" for n in range(3, 21)] + [
        f"1 jaar | {n} studiepunten" for n in range(3, 21)
    ]
    distinct += [f"{n},5 ECTS" for n in range(2, 10)] + [f"{n} ECTS-credits" for n in range(3, 20)]
    distinct += [f"Study load: {28 * n} hours ({n} EC)" for n in range(3, 31)] + [
        "n.v.t.",
        "",
        "5",
        "5,0",
        "6.0",
    ]
    values = [rng.choice(distinct) for _ in range(1_000_000)]
    series = pl.Series("raw", values)
    # Median of three runs on both sides (the first polars call also compiles its regexes).
    ours = best_of(lambda: normalise("credits", series), repeat=3, number=1)
    loop = best_of(lambda: [credits_per_row(v) for v in values], repeat=3, number=1)
    report(
        "normalise 1 M raw credit values",
        f"{ours:.2f} s",
        f"per-row Python loop {loop:.2f} s",
        f"{loop / ours:.1f}x faster",
        ">= 10x",
        loop / ours >= 10,
    )


def bench_duckdb_load() -> None:
    import duckdb

    n = 2_000_000
    frame = pl.DataFrame(
        {
            "registry_id": [f"ugent:C{i % 5000:05d}" for i in range(n)],
            "academic_year": pl.Series([2022 + i % 3 for i in range(n)], dtype=pl.Int32),
            "credits_ects": [float(3 + i % 18) for i in range(n)],
            "credits_raw": [f"1 year | {3 + i % 18} credits" for i in range(n)],
            "languages": [["nl", "en"] if i % 4 else ["en"] for i in range(n)],
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "load.duckdb"))
        con.execute(
            "CREATE TABLE t (registry_id VARCHAR, academic_year INTEGER, credits_ects DOUBLE, "
            "credits_raw VARCHAR, languages VARCHAR[])"
        )
        arrow = frame.to_arrow()
        start = time.perf_counter()
        con.register("incoming", arrow)
        con.execute("INSERT INTO t BY NAME SELECT * FROM incoming")
        con.execute("CHECKPOINT")
        elapsed = time.perf_counter() - start
        con.close()
    rate = n / elapsed
    report(
        "load into the DuckDB file",
        f"{rate / 1e6:.1f} M rows/s ({n:,} rows)",
        "-",
        "-",
        ">= 2 M rows/s",
        rate >= 2e6,
    )


def _run_counting_cpu(command: list[str], env: dict[str, str]) -> tuple[int, float]:
    """Runs ``command``; its exit code and the CPU seconds (user + system) of its whole process tree, sampled
    every 0.1 s (a process that ends between two samples loses at most its last 0.1 s)."""
    import psutil

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    parent = psutil.Process(process.pid)
    used: dict[tuple[int, float], float] = {}  # (pid, start time): CPU seconds so far
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
        except psutil.Error:
            tree = []
        for member in tree:
            try:
                times = member.cpu_times()
                used[(member.pid, member.create_time())] = times.user + times.system
            except psutil.Error:
                pass
        time.sleep(0.1)
    return process.returncode, sum(used.values())


def bench_refresh() -> None:
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "MICROCRED_DATA_DIR": str(Path(tmp) / "data"), "DAGSTER_HOME": str(Path(tmp))}
        # The embedded instance make run uses (its run launcher, telemetry off).
        (Path(tmp) / "dagster.yaml").write_text(
            (Path(__file__).resolve().parents[1] / "dagster_home" / "dagster.yaml").read_text()
        )
        timings, cpu = [], []
        for _ in range(2):  # a full refresh, then a night in which nothing changed
            start = time.perf_counter()
            code, seconds = _run_counting_cpu([str(BIN / "microcred"), "refresh"], env)
            timings.append((time.perf_counter() - start, code == 0))
            cpu.append(seconds)
        with duckdb.connect(str(Path(tmp) / "data" / "registry.duckdb"), read_only=True) as con:
            (full_pages,), (pages,) = con.execute(
                "SELECT sum(pages_fetched) FROM run GROUP BY run_id ORDER BY run_id"
            ).fetchall()
            not_modified, skipped = con.execute(
                "SELECT sum(not_modified), sum(skipped_by_policy) FROM run "
                "WHERE run_id = (SELECT max(run_id) FROM run)"
            ).fetchall()[0]
        # The crawl alone, per night: seconds (summed over sources) and bytes the server sent.
        crawls = []
        for night in sorted((Path(tmp) / "data" / "raw").iterdir()):
            stats = [json.loads(p.read_text())["stats"] for p in night.glob("*/crawl_stats.json")]
            crawls.append(
                (
                    sum(s.get("elapsed_time_seconds", 0) for s in stats),
                    sum(s.get("microcred/server_bytes", 0) for s in stats),
                    sum(s.get("microcred/parse_memo/parsed", 0) for s in stats),
                )
            )
    (full, ok), (unchanged, ok2) = timings
    report(
        "bundled-snapshot refresh (make run after set-up)",
        f"{full:.1f} s" + ("" if ok else " (FAILED)"),
        "-",
        "-",
        "<= 15 s",
        ok and full <= 15,
    )
    # On a shared machine the wall time is mostly waiting for a core: the work itself, and how busy it was.
    report(
        "bundled-snapshot refresh: CPU time (summed over its process tree)",
        f"full {cpu[0]:.1f} s, nothing changed {cpu[1]:.1f} s",
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "-",
        "(diagnostic)",
        None,
    )
    # The second night follows at once: the revisit policy asks only about the listings (detail pages not due).
    share = (pages or 0) / max(full_pages or 1, 1)
    report(
        "a night with nothing changed (whole refresh)",
        f"{unchanged:.1f} s, {pages} requests ({not_modified} answered 304, {skipped} pages not due)",
        f"full refresh {full:.1f} s, {full_pages} requests",
        f"{share:.0%} of the requests, {unchanged / full:.0%} of the time",
        "<= 25% requests, <= 20% time",
        ok2 and share <= 0.25 and unchanged / full <= 0.2,
    )
    if len(crawls) == 2:
        (full_s, full_bytes, full_parsed), (unchanged_s, unchanged_bytes, unchanged_parsed) = crawls
        report(
            "a night with nothing changed (the crawls alone)",
            f"{unchanged_s:.1f} s, {unchanged_bytes / 1024:.0f} KiB received, {unchanged_parsed} pages parsed",
            f"full crawls {full_s:.1f} s, {full_bytes / 1024:.0f} KiB, {full_parsed} pages parsed",
            f"{unchanged_s / full_s:.0%} of the time, {unchanged_bytes / max(full_bytes, 1):.0%} of the bytes",
            "(diagnostic)",
            None,
        )


def bench_scale(size: str):
    """The national-scale figures (bench/scale.py) at one snapshot size."""

    def run() -> None:
        from bench.scale import bench_size

        bench_size(size, report)

    run.__name__ = f"bench_scale_{size}"
    return run


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="bundled,national",
        help="synthetic snapshot sizes for the scale figures (bundled,national; 'none' to skip them)",
    )
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s and s != "none"]
    print("microcred bench: speed figures, ratios against baselines measured in this run\n", flush=True)
    benches = [bench_parse, bench_normalise, bench_duckdb_load, bench_crawl, bench_refresh]
    for bench in [*benches, *(bench_scale(size) for size in sizes)]:
        try:
            bench()
        except Exception as exc:  # a broken figure is reported, the others still run
            report(bench.__name__, f"error: {exc!r}", "-", "-", "-", None)
    print("\n| work | figure | baseline | ratio | target |\n|---|---|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
