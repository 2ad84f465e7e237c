"""The ``microcred`` command line.

Imports stay inside the commands: ``microcred normalise`` must start in well under a second, so nothing
here imports Dagster, Scrapy or Great Expectations at module level.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

REPO_ROOT = Path(__file__).resolve().parents[1]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid4().hex[:6]


# -- refresh ----------------------------------------------------------------------------------------------
# Exit status of `refresh --no-wait` when another refresh holds the data folder (sysexits' EX_TEMPFAIL).
EXIT_BUSY = 75


def _fail_orphaned_runs(instance, data_location: str, out) -> None:
    """Marks failed the Dagster runs a killed refresh of this data folder left STARTED.

    Called while holding the folder's refresh lock: any refresh that launched them is gone.
    """
    import dagster as dg

    from pipelines.defs.partitions import DATA_DIR_TAG, LAUNCHER_TAG, REFRESH_LAUNCHER

    orphans = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
            tags={DATA_DIR_TAG: data_location, LAUNCHER_TAG: REFRESH_LAUNCHER},
        )
    )
    for run in orphans:
        instance.report_run_failed(run, message="the refresh that started this run was killed")
    if orphans:
        print(f"  marked {len(orphans)} Dagster run(s) left running by a killed refresh as failed", file=out)


def refresh(
    sources: list[str] | None,
    live: bool,
    data_dir: Path | str | None,
    out=None,
    snapshot_url: str | None = None,
    wait: bool = True,
) -> int:
    """Harvest -> normalise -> check -> publish through Dagster. 0 if something new was published.

    ``data_dir`` is a local folder or an object-store URL (``s3://bucket/registry``, see ``warehouse.storage``).
    One refresh at a time per data folder: the folder's refresh lock is held from here to the end of the
    summary (for a URL, this machine's working folder for it). A second refresh waits for it (saying whose
    it is), or with ``wait`` False exits ``EXIT_BUSY``.
    """
    out = sys.stdout if out is None else out
    from pipelines.defs.resources import RegistryStore
    from warehouse.lock import REFRESH_LOCK, LockBusy, folder_lock, refresh_note

    store_config = {
        "data_dir": str(data_dir or ""),
        "live": live,
        "snapshot_url": snapshot_url or "",
        # The revisit policy's switches (scrapers/revisit.py) travel with the runs' config.
        "revisit_now": os.environ.get("MICROCRED_NOW", ""),
        "revalidate_all": os.environ.get("MICROCRED_REVALIDATE_ALL", "").strip().lower()
        in ("1", "true", "yes"),
    }
    store = RegistryStore(**store_config)
    root = store.root
    root.mkdir(parents=True, exist_ok=True)
    if not store_config["data_dir"]:
        store_config["data_dir"] = store.location  # every run, wherever it executes, uses this folder
    run_id = new_run_id()
    try:
        with folder_lock(
            root,
            REFRESH_LOCK,
            wait=wait,
            note=refresh_note(run_id),
            on_wait=lambda message: print(message, file=out, flush=True),
        ):
            return _refresh_locked(sources, store, store_config, run_id, out)
    except LockBusy as busy:
        print(f"{busy}; not waiting (--no-wait)", file=out, flush=True)
        return EXIT_BUSY


def _refresh_locked(sources: list[str] | None, store, store_config: dict, run_id: str, out) -> int:
    """The refresh proper, run while holding the data folder's refresh lock.

    The runs are those of the jobs the nightly schedule runs (``harvest_source`` per source, side by side,
    then ``publish_warehouse`` once every source has finished, failed or not), launched through the Dagster
    instance with the run launcher and executor its configuration names (``pipelines.defs.launch``).
    """
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "dagster_home"))
    import dagster as dg

    from pipelines.defs.execution import NoLiveWorker
    from pipelines.defs.launch import run_night
    from pipelines.defs.partitions import DATA_DIR_TAG
    from pipelines.institutions import HARVESTED_SOURCES
    from warehouse.publish import clean_build

    chosen = sources or list(HARVESTED_SOURCES)
    print(
        f"microcred refresh {run_id}: {'LIVE sites' if store.live else 'bundled snapshot on 127.0.0.1'}; "
        f"sources {', '.join(chosen)}; data in {store.location}",
        file=out,
        flush=True,
    )
    for leftover in clean_build(store.root):
        print(f"  removed {leftover.name} left in build/ by a killed publish", file=out)
    instance = dg.DagsterInstance.get()
    _fail_orphaned_runs(instance, store.location, out)

    def harvested(source: str, status, errors: list[str]) -> None:
        succeeded = status == dg.DagsterRunStatus.SUCCESS
        print(f"  {source}: harvest and normalise {'succeeded' if succeeded else 'FAILED'}", file=out)
        for error in errors:
            print(f"    {error}", file=out)

    try:
        night = run_night(
            run_id,
            chosen,
            store_config,
            instance=instance,
            tags={DATA_DIR_TAG: store.location},
            on_harvest=harvested,
        )
    except NoLiveWorker as error:
        print(f"not started: {error}", file=out)
        return 1
    for error in night.publish_errors:
        print(f"  publish: {error}", file=out)
    from warehouse.summary import print_summary

    print_summary(store.fetch_published(), run_id, out=out)
    from warehouse.summary import print_politeness

    for source in chosen:  # each outcome.json carries its sites' figures (fetched when the store is remote)
        store.pull_outcome(run_id, source)
    print_politeness(store.root / "raw" / run_id, out=out)
    return 0 if night.published else 1


# -- parse ------------------------------------------------------------------------------------------------
def parse_page(spider_name: str, path: Path, url: str, out=None) -> int:
    out = sys.stdout if out is None else out
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.responsetypes import responsetypes
    from scrapy.utils.misc import load_object

    from scrapers.crawl import SPIDERS

    body = path.read_bytes()
    response_class = responsetypes.from_args(url=url, body=body)
    response: Response = response_class(url=url, body=body, request=Request(url), status=200)
    spider = load_object(SPIDERS[spider_name])()
    followed = 0
    for result in spider.parse(response):
        if is_dataclass(result):
            print(json.dumps(asdict(result), ensure_ascii=False, sort_keys=True), file=out)
        else:
            followed += 1
    print(f"{followed} request(s) would be followed", file=sys.stderr)
    return 0


# -- export -----------------------------------------------------------------------------------------------
def export_registry(data_dir: Path | None, out_dir: Path | None, base_iri: str | None) -> int:
    """CSV, Parquet, ELM JSON-LD and LOQ XML of the published warehouse; 1 with a message when there is none."""
    from warehouse.export import DEFAULT_BASE_IRI, run
    from warehouse.publish import default_data_dir

    return run(data_dir or default_data_dir(), out_dir, base_iri or DEFAULT_BASE_IRI)


# -- main -------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="microcred", description="National registry of micro-credentials.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("refresh", help="harvest -> normalise -> check -> publish (through Dagster)")
    p.add_argument(
        "--live", action="store_true", help="crawl the public sites instead of the bundled snapshot"
    )
    p.add_argument("--source", action="append", dest="sources", help="only this source (repeatable)")
    p.add_argument(
        "--data-dir",
        default=None,
        help="data folder or object-store URL such as s3://bucket/registry (default $MICROCRED_DATA_DIR or ./data)",
    )
    p.add_argument(
        "--snapshot-url", default=None, help="crawl a snapshot server already running (serve-snapshot)"
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help=f"exit {EXIT_BUSY} at once if another refresh holds the data folder, instead of waiting",
    )
    p.add_argument(
        "--revalidate-all",
        action="store_true",
        help="ask the sites about every page tonight (switches the revisit policy off; README, Revisit policy)",
    )

    p = commands.add_parser(
        "parse", help="run a spider's parsing on a saved page; prints raw items as JSON lines"
    )
    p.add_argument("spider")
    p.add_argument("file", type=Path)
    p.add_argument("--url", required=True, help="the page's public URL (chooses the page kind)")

    p = commands.add_parser("normalise", help="normalise raw values (one per line on stdin) to JSON lines")
    p.add_argument("field")

    p = commands.add_parser("serve-snapshot", help="serve the bundled snapshot on 127.0.0.1")
    p.add_argument("--port", type=int, default=8765)

    p = commands.add_parser("sql", help="run a query on the published warehouse (read-only) and print it")
    p.add_argument("query", nargs="?", help="the SQL (default: read it from stdin)")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="stop the query after this many seconds (default $MICROCRED_QUERY_TIMEOUT or 30)",
    )
    p.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default $MICROCRED_DATA_DIR or ./data)"
    )

    commands.add_parser("dictionary", help="print the data dictionary (from the warehouse's own comments)")

    p = commands.add_parser(
        "export", help="write the published registry as CSV, Parquet, ELM JSON-LD and LOQ XML"
    )
    p.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default $MICROCRED_DATA_DIR or ./data)"
    )
    p.add_argument("--out", type=Path, default=None, help="export folder (default <data folder>/exports)")
    p.add_argument(
        "--base-iri", default=None, help="prefix of the ELM identifiers (default urn:microcred-registry:)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "refresh":
        if args.revalidate_all:  # read by every crawl of this refresh (scrapers/crawl.py), in any process
            os.environ["MICROCRED_REVALIDATE_ALL"] = "1"
        return refresh(
            args.sources, args.live, args.data_dir, snapshot_url=args.snapshot_url, wait=not args.no_wait
        )
    if args.command == "parse":
        from scrapers.crawl import SPIDERS

        if args.spider not in SPIDERS:
            print(f"unknown spider {args.spider!r}; known: {', '.join(SPIDERS)}", file=sys.stderr)
            return 2
        return parse_page(args.spider, args.file, args.url)
    if args.command == "normalise":
        from normalise import FIELDS
        from normalise.cli import run

        if args.field not in FIELDS:
            print(f"unknown field {args.field!r}; known: {', '.join(FIELDS)}", file=sys.stderr)
            return 2
        return run(args.field, sys.stdin, sys.stdout)
    if args.command == "serve-snapshot":
        from scrapers.snapshot.server import main as serve

        return serve(["--port", str(args.port)])
    if args.command == "sql":
        from warehouse.publish import default_data_dir
        from warehouse.query import run_sql

        return run_sql(
            args.query or sys.stdin.read(), args.data_dir or default_data_dir(), timeout=args.timeout
        )
    if args.command == "dictionary":
        from warehouse.dictionary import main as dictionary

        return dictionary([])
    if args.command == "export":
        return export_registry(args.data_dir, args.out, args.base_iri)
    return 2


if __name__ == "__main__":
    sys.exit(main())
