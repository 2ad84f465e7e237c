"""The national-scale figures (issue 13), at the bundled size and at national size.

For one size: generate the synthetic snapshot (``tools.snapshot.national``), serve it with the same
``SnapshotServer`` (and measure the requests per second it answers), then play three nights with
``microcred refresh`` in a subprocess, the revisit policy's clock set by ``MICROCRED_NOW``:

1. a full night (nothing known): crawl pages/min against ``scrapy bench`` (measured in the same run), the time
   after the crawl (normalise, check, publish, report), peak memory of the refresh's whole process tree
   (psutil), and politeness per site;
2. a night later with nothing changed: its requests and time against the full night's;
3. a night after that with 1% of the programme pages changed (title on the page and on its listing card): did
   the history record every change, and nothing else?

Then, on the national warehouse: every README query (best of three, < 100 ms each) and the dashboard's pages in
headless Chromium (< 3 s each). Nothing asserts: figures and verdicts are printed (``make bench``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NIGHT_ONE = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # the clock of the first night (after every Last-Modified)
CHANGED_SHARE = 0.01


def scrapy_bench_pages_per_min() -> float:
    """``scrapy bench``'s pages per minute on this machine, now."""
    completed = subprocess.run(
        [str(BIN / "scrapy"), "bench", "-s", "CLOSESPIDER_TIMEOUT=10", "-s", "LOG_LEVEL=INFO"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    log = completed.stderr + completed.stdout
    count = int(re.search(r"'response_received_count': (\d+)", log).group(1))
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log).group(1))
    return count / elapsed * 60


def server_requests_per_second(server, urls: list[str], threads: int = 4, seconds: float = 5.0) -> float:
    """Plain GETs of the snapshot's pages from ``threads`` clients for ``seconds``: answers per second."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        position = index
        while time.monotonic() < stop:
            try:
                with opener.open(server.loopback_url(urls[position % len(urls)]), timeout=10) as answer:
                    answer.read()
            except urllib.error.HTTPError as error:  # a page the snapshot serves as 404 is still an answer
                error.read()
            counts[index] += 1
            position += threads

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.monotonic() - start)


def process_kind(process) -> str:
    """What a process of the refresh's tree is, for the peak memory's breakdown."""
    args = process.cmdline()
    if "scrapers.crawl" in args:
        following = args[args.index("scrapers.crawl") + 1 :]
        return f"crawl {following[0]}" if following else "crawl"
    line = " ".join(args)
    if "multiprocessing.forkserver" in line:
        parent = process.parent()
        forked = parent is not None and "multiprocessing.forkserver" in " ".join(parent.cmdline())
        return "run workers (forked)" if forked else "fork server"
    if "refresh" in args:
        return "refresh (launches the runs)"
    return process.name()


def refresh_night(data: Path, home: Path, snapshot_url: str, now: datetime) -> dict:
    """One ``microcred refresh`` in a subprocess: wall seconds, peak memory of its process tree, exit code."""
    import psutil

    env = {
        **os.environ,
        "MICROCRED_DATA_DIR": str(data),
        "DAGSTER_HOME": str(home),
        "MICROCRED_NOW": now.isoformat(timespec="seconds"),
    }
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "microcred"), "refresh", "--snapshot-url", snapshot_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    peak = 0
    at_peak: dict[str, int] = {}
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    parent = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            # PSS: each shared page counted once over the tree (the forked workers share the fork server's
            # modules; summing RSS would count them once per process).
            tree = [parent, *parent.children(recursive=True)]
            sizes = [(process_kind(p), p.memory_full_info().pss) for p in tree if p.is_running()]
        except psutil.Error:
            sizes = []
        total = sum(size for _, size in sizes)
        if total > peak:
            peak, at_peak = total, {}
            for kind, size in sizes:
                at_peak[kind] = at_peak.get(kind, 0) + size
        time.sleep(0.2)
    reader.join(timeout=5)
    ended = datetime.now(UTC)
    return {
        "seconds": time.perf_counter() - start,
        "peak_bytes": peak,
        "peak_by_kind": at_peak,
        "code": process.returncode,
        "output": "".join(output),
        "ended": ended,
    }


def night_figures(data: Path) -> dict:
    """The latest night's crawl figures, from its landing zone and run table."""
    import duckdb

    with duckdb.connect(str(data / "registry.duckdb"), read_only=True) as con:
        run_id = con.execute("SELECT max(run_id) FROM run").fetchone()[0]
        pages, not_modified, skipped = con.execute(
            "SELECT sum(pages_fetched), sum(not_modified), sum(skipped_by_policy) FROM run WHERE run_id = ?",
            [run_id],
        ).fetchone()
    stats = {
        path.parent.name: json.loads(path.read_text())
        for path in (data / "raw" / run_id).glob("*/crawl_stats.json")
    }
    outcomes = {
        path.parent.name: json.loads(path.read_text())
        for path in (data / "raw" / run_id).glob("*/outcome.json")
    }
    finish = max(datetime.fromisoformat(s["stats"]["finish_time"]) for s in stats.values())
    finish = finish if finish.tzinfo else finish.replace(tzinfo=UTC)
    return {
        "run_id": run_id,
        "requests": int(pages or 0),
        "not_modified": int(not_modified or 0),
        "skipped": int(skipped or 0),
        "crawl": {
            source: (
                int(s["stats"].get("microcred/server_responses", 0)),
                float(s["stats"].get("elapsed_time_seconds", 0)),
            )
            for source, s in stats.items()
        },
        "crawl_finished": finish,
        "politeness": {source: o.get("politeness", {}) for source, o in outcomes.items()},
    }


def change_one_percent(server, snapshot: Path) -> set[str]:
    """Renames 1% of the Ghent 2024 programmes on their page and their listing card; returns their URLs."""
    from scrapers.snapshot.manifest import url_route_key
    from scrapers.snapshot.server import Route
    from tools.snapshot import generate_ugent as ug

    changed_at = NIGHT_ONE + timedelta(days=2)
    programmes = sorted(
        route.public_url
        for route in server.routes.values()
        if route.public_url.startswith(f"{ug.ORIGIN}/2024/") and route.public_url.endswith("/programma")
    )
    step = max(1, round(1 / CHANGED_SHARE))
    chosen = programmes[::step]
    chunks = [r for r in server.routes.values() if "/incrementalsearch" in r.public_url]
    edits: dict[str, bytes] = {}
    for url in chosen:
        page = server.routes[url_route_key(url)].body.decode()
        title = re.search(r"<h1[^>]*>([^<]+)</h1>", page).group(1).strip()
        renamed = f"{title} (vernieuwd)"
        edits[url] = page.replace(title, renamed).encode()
        card = re.compile(
            rf'(<a href="{re.escape(url.removesuffix("/programma"))}" class="programme-card">'
            r'<h2 class="title">)[^<]+(</h2>)'
        )
        for chunk in chunks:
            text = (edits.get(chunk.public_url) or chunk.body).decode()
            text, found = card.subn(lambda m, renamed=renamed: m.group(1) + renamed + m.group(2), text)
            if found:
                edits[chunk.public_url] = text.encode()
    for url, body in edits.items():
        old = server.routes[url_route_key(url)]
        server.routes[url_route_key(url)] = Route.in_memory(url, body, old.content_type, changed_at)
    return set(chosen)


def readme_query_times(warehouse: Path) -> list[tuple[str, float]]:
    import duckdb

    text = (REPO / "README.md").read_text(encoding="utf-8")
    statements = []
    for block in re.findall(r"```sql\n(.*?)```", text, flags=re.S):
        for statement in block.split(";"):
            code = [
                line for line in statement.splitlines() if line.strip() and not line.strip().startswith("--")
            ]
            if code:
                statements.append(statement.strip())
    timings = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for statement in statements:
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                con.execute(statement).fetchall()
                best = min(best, time.perf_counter() - start)
            first = next(line for line in statement.splitlines() if line.strip().startswith("--"))
            timings.append((first.strip("- ")[:60], best))
    return timings


def bench_size(size: str, report) -> None:
    from scrapers.snapshot.server import SnapshotServer
    from tools.snapshot.national import generate

    with tempfile.TemporaryDirectory(prefix=f"microcred-bench-{size}-") as tmp:
        root = Path(tmp)
        snapshot = Path(os.environ.get("MICROCRED_BENCH_SNAPSHOT_" + size.upper(), root / "snapshot"))
        start = time.perf_counter()
        if not (snapshot / "manifest.jsonl").exists():
            written = generate(snapshot, size)
            print(
                f"  [{size}] generated {written.pages} pages in {time.perf_counter() - start:.0f} s",
                flush=True,
            )
        baseline = scrapy_bench_pages_per_min()
        home = root / "dagster"
        home.mkdir()
        # The instance `make run` uses (the fork-server run launcher): the figures are those of that refresh.
        shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
        data = root / "data"
        with SnapshotServer(root=snapshot) as server:
            urls = sorted(route.public_url for route in server.routes.values())
            rate = server_requests_per_second(server, urls[:: max(1, len(urls) // 2000)])
            report(
                f"[{size}] snapshot server ({len(urls):,} pages)",
                f"{rate:,.0f} requests/s answered",
                "-",
                "-",
                "(diagnostic)",
                None,
            )
            # Each night's figures are printed when it ends: a national run is long, and what ended stands.
            full = refresh_night(data, home, server.base_url, NIGHT_ONE)
            full_figures = night_figures(data)
            _report_full_night(size, report, baseline, full, full_figures)
            unchanged = refresh_night(data, home, server.base_url, NIGHT_ONE + timedelta(days=1))
            _report_unchanged_night(size, report, full, full_figures, unchanged, night_figures(data))
            chosen = change_one_percent(server, snapshot)
            changed = refresh_night(data, home, server.base_url, NIGHT_ONE + timedelta(days=2))
            _report_change(size, report, data, chosen, changed, night_figures(data))
        if size == "national":
            for title, seconds in readme_query_times(data / "registry.duckdb"):
                report(
                    f"[{size}] README query: {title}",
                    f"{seconds * 1e3:.0f} ms",
                    "-",
                    "-",
                    "< 100 ms",
                    seconds < 0.1,
                )
            try:
                for page, seconds in dashboard_pages(data):
                    report(
                        f"[{size}] dashboard page {page}", f"{seconds:.1f} s", "-", "-", "< 3 s", seconds < 3
                    )
            except Exception as exc:  # a broken figure is reported, the others stand
                report(f"[{size}] dashboard pages", f"error: {exc!r}", "-", "-", "< 3 s", None)


def _report_full_night(size, report, baseline, full, figures) -> None:
    pages, seconds = max(figures["crawl"].values(), key=lambda pair: pair[0])
    ours = pages / seconds * 60 if seconds else 0
    report(
        f"[{size}] crawl (largest source, {pages:,} pages)",
        f"{ours:,.0f} pages/min",
        f"scrapy bench {baseline:,.0f} pages/min",
        f"{ours / baseline:.0%}",
        ">= 70%",
        ours / baseline >= 0.7,
    )
    after = (full["ended"] - figures["crawl_finished"]).total_seconds()
    report(
        f"[{size}] after the crawl (normalise, check, publish, report)",
        f"{after:.1f} s (whole refresh {full['seconds']:.0f} s, exit {full['code']})",
        "-",
        "-",
        "<= 60 s",
        after <= 60 and full["code"] == 0,
    )
    report(
        f"[{size}] peak memory of the whole refresh (PSS summed over its process tree)",
        f"{full['peak_bytes'] / 2**30:.2f} GiB",
        "-",
        "-",
        "< 1.5 GiB",
        full["peak_bytes"] < 1.5 * 2**30,
    )
    breakdown = ", ".join(
        f"{kind} {size / 2**20:,.0f} MiB"
        for kind, size in sorted(full["peak_by_kind"].items(), key=lambda pair: -pair[1])
    )
    report(f"[{size}] at the peak, by process", breakdown or "-", "-", "-", "(diagnostic)", None)
    for sites in figures["politeness"].values():
        for host, site in sorted(sites.items()):
            report(
                f"[{size}] politeness {host} (full night)",
                f"{site['requests']:,} requests, {site['bytes'] / 1e6:.1f} MB, "
                f"{site['polite_seconds'] / 3600:.2f} h live at 1 per {site['delay_s']:g} s",
                "-",
                "-",
                "(figure)",
                None,
            )


def _report_unchanged_night(size, report, full, figures, unchanged, unchanged_figures) -> None:
    for sites in unchanged_figures["politeness"].values():
        for host, site in sorted(sites.items()):
            report(
                f"[{size}] politeness {host} (unchanged night)",
                f"{site['requests']:,} requests, {site['bytes'] / 1e6:.2f} MB, "
                f"{site['polite_seconds'] / 3600:.2f} h live",
                "-",
                "-",
                "(figure)",
                None,
            )
    share = unchanged_figures["requests"] / max(figures["requests"], 1)
    time_share = unchanged["seconds"] / full["seconds"]
    report(
        f"[{size}] a night with nothing changed",
        f"{unchanged_figures['requests']:,} requests ({unchanged_figures['skipped']:,} pages not due), "
        f"{unchanged['seconds']:.0f} s",
        f"full night {figures['requests']:,} requests, {full['seconds']:.0f} s",
        f"{share:.0%} of the requests, {time_share:.0%} of the time",
        "<= 25% requests, <= 20% time",
        share <= 0.25 and time_share <= 0.2,
    )


def _report_change(size, report, data, chosen, changed, figures) -> None:
    import duckdb

    with duckdb.connect(str(data / "registry.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT url, change, changed_fields FROM programme_changes WHERE run_id = ?", [figures["run_id"]]
        ).fetchall()
    found = {url for url, change, fields in rows if change == "changed" and "title" in (fields or [])}
    other = [(url, change) for url, change, _ in rows if url not in chosen]
    ok = found == chosen and not other
    report(
        f"[{size}] a night with 1% of programme pages changed",
        f"{len(found)} of {len(chosen)} changes in the history, {len(other)} other history rows; "
        f"{figures['requests']:,} requests, {changed['seconds']:.0f} s",
        "-",
        "-",
        "every change, nothing else",
        ok,
    )


def dashboard_pages(data: Path) -> list[tuple[str, float]]:
    """Each dashboard page in headless Chromium, from navigation until its script finished: seconds."""
    import shutil

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO))
    from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, serve_dashboard

    ready = ".st-key-page-ready, .st-key-no-warehouse, .st-key-warehouse-error, [data-testid='stException']"
    timings = []
    with serve_dashboard(data, data.parent / "streamlit.log") as app, sync_playwright() as playwright:
        executable = shutil.which("chromium") or "/usr/bin/chromium"
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for page_name in ("overview", "search", "quality"):
                context = browser.new_context(viewport=VIEWPORT, service_workers="block")
                page = context.new_page()
                start = time.perf_counter()
                page.goto(app.url(page_name))
                page.wait_for_selector(ready, state="attached", timeout=60_000)
                timings.append((page_name, time.perf_counter() - start))
                context.close()
        finally:
            browser.close()
    return timings
