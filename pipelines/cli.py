"""The ``microcred`` command line (DESIGN §6).

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
_QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
# Exit status of `refresh --no-wait` when another refresh holds the data folder (sysexits' EX_TEMPFAIL).
EXIT_BUSY = 75


def _worker_start() -> None:
    """Pool worker initializer: die with the fork server (which dies with the refresh)."""
    from pipelines.lifeline import die_with_parent

    die_with_parent()


def _materialize(
    assets: str, store_config: dict, tags: dict, partition: str | None = None, env: dict | None = None
) -> tuple[bool, list[str]]:
    """One Dagster run of the named assets (``harvest`` or ``publish``): (succeeded, one line per error).

    Module-level so that each source's run can execute in its own process. Dagster's console log is off
    (its tracebacks run to hundreds of lines); the errors come back as one line each, naming what failed.
    """
    # A fork server's children inherit its environment from when it started, not the caller's now.
    os.environ.update(env or {})
    import dagster as dg

    from pipelines.defs.core import core_registry
    from pipelines.defs.raw import raw_registry__harvest
    from pipelines.defs.resources import RegistryStore
    from pipelines.defs.warehouse import out_registry__warehouse

    selection = [raw_registry__harvest, core_registry] if assets == "harvest" else [out_registry__warehouse]
    try:
        result = dg.materialize(
            selection,
            partition_key=partition,
            tags=tags,
            resources={"store": RegistryStore(**store_config)},
            instance=dg.DagsterInstance.get(),
            raise_on_error=False,
            run_config=_QUIET,
        )
    except Exception as error:  # noqa: BLE001 - reported as one line; the caller goes on with the others
        return False, [f"{assets} {partition or ''}: {type(error).__name__}: {str(error).strip()[:300]}"]
    errors = []
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        message = (error.message if error else "failed").strip().splitlines()
        errors.append(f"{event.step_key}: {message[0] if message else 'failed'}")
    return result.success, errors


def _fail_orphaned_runs(instance, root: Path, out) -> None:
    """Marks failed the Dagster runs a killed refresh of this data folder left STARTED.

    Called while holding the folder's refresh lock: any refresh that launched them is gone.
    """
    import dagster as dg

    from pipelines.defs.partitions import DATA_DIR_TAG, LAUNCHER_TAG, REFRESH_LAUNCHER

    orphans = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
            tags={DATA_DIR_TAG: str(root), LAUNCHER_TAG: REFRESH_LAUNCHER},
        )
    )
    for run in orphans:
        instance.report_run_failed(run, message="the refresh that started this run was killed")
    if orphans:
        print(f"  marked {len(orphans)} Dagster run(s) left running by a killed refresh as failed", file=out)


def refresh(
    sources: list[str] | None,
    live: bool,
    data_dir: Path | None,
    out=None,
    snapshot_url: str | None = None,
    wait: bool = True,
) -> int:
    """Harvest -> normalise -> check -> publish through Dagster. 0 if something new was published.

    One refresh at a time per data folder: the folder's refresh lock is held from here to the end of the
    summary. A second refresh waits for it (saying whose it is), or with ``wait`` False exits ``EXIT_BUSY``.
    """
    out = sys.stdout if out is None else out
    from warehouse.lock import REFRESH_LOCK, LockBusy, folder_lock, refresh_note
    from warehouse.publish import default_data_dir

    root = Path(data_dir) if data_dir else default_data_dir()
    root.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id()
    try:
        with folder_lock(
            root,
            REFRESH_LOCK,
            wait=wait,
            note=refresh_note(run_id),
            on_wait=lambda message: print(message, file=out, flush=True),
        ):
            return _refresh_locked(sources, live, root, run_id, out, snapshot_url)
    except LockBusy as busy:
        print(f"{busy}; not waiting (--no-wait)", file=out, flush=True)
        return EXIT_BUSY


def _refresh_locked(
    sources: list[str] | None, live: bool, root: Path, run_id: str, out, snapshot_url: str | None
) -> int:
    """The refresh proper, run while holding the data folder's refresh lock.

    Each source is one Dagster run of its partition, in its own process, side by side (as the daemon's run
    queue runs them at night); the warehouse run follows once every source has finished, failed or not.
    """
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "dagster_home"))
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import forkserver, get_context

    # Start the fork server (see below) first: it imports Great Expectations and the definitions (seconds of
    # CPU) while this process imports Dagster and prepares the instance, instead of after. The lifeline
    # comes first: the fork server (and through it every worker) dies with this process.
    context = get_context("forkserver")
    context.set_forkserver_preload(
        [
            "pipelines.lifeline_forkserver",
            "great_expectations",
            "pipelines.defs.core",
            "pipelines.defs.warehouse",
        ]
    )
    forkserver.ensure_running()

    from pipelines.defs.partitions import DATA_DIR_TAG, LAUNCHER_TAG, REFRESH_LAUNCHER, REFRESH_TAG
    from pipelines.institutions import HARVESTED_SOURCES
    from warehouse.publish import clean_build

    store_config = {"data_dir": str(root), "live": live, "snapshot_url": snapshot_url or ""}
    tags = {REFRESH_TAG: run_id, DATA_DIR_TAG: str(root), LAUNCHER_TAG: REFRESH_LAUNCHER}
    chosen = sources or list(HARVESTED_SOURCES)
    print(
        f"microcred refresh {run_id}: {'LIVE sites' if live else 'bundled snapshot on 127.0.0.1'}; "
        f"sources {', '.join(chosen)}; data in {root}",
        file=out,
        flush=True,
    )
    for leftover in clean_build(root):
        print(f"  removed {leftover.name} left in build/ by a killed publish", file=out)
    # One process per source (per core at most). A fork server imports Dagster, the definitions and Great
    # Expectations once and forks each source's process from itself: the children share those modules
    # instead of spending seconds of CPU each importing them, and are forked from a clean single-threaded
    # process (forking the caller directly can deadlock when it has threads, as a test runner does).
    import dagster as dg

    # Create the instance's storages here, once: parallel runs would otherwise race to migrate them.
    instance = dg.DagsterInstance.get()
    instance.get_runs(limit=1)
    instance.event_log_storage.get_asset_records()
    _fail_orphaned_runs(instance, root, out)
    env = {k: v for k, v in os.environ.items() if k == "DAGSTER_HOME" or k.startswith("MICROCRED_")}
    # The fork server keeps the environment it started with: tonight's revisit switches are always passed
    # (empty = unset), so one night's clock or --revalidate-all never leaks into the next (scrapers/revisit.py).
    env.update({k: os.environ.get(k, "") for k in ("MICROCRED_NOW", "MICROCRED_REVALIDATE_ALL")})
    workers = max(1, min(len(chosen), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start) as pool:
        runs = {
            source: pool.submit(_materialize, "harvest", store_config, tags, source, env) for source in chosen
        }
        for source, run in runs.items():
            succeeded, errors = run.result()
            print(f"  {source}: harvest and normalise {'succeeded' if succeeded else 'FAILED'}", file=out)
            for error in errors:
                print(f"    {error}", file=out)
    published, errors = _materialize("publish", store_config, tags)
    for error in errors:
        print(f"  publish: {error}", file=out)
    from warehouse.summary import print_summary

    print_summary(root / "registry.duckdb", run_id, out=out)
    from warehouse.summary import print_politeness

    print_politeness(root / "raw" / run_id, out=out)
    return 0 if published else 1


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
        "--data-dir", type=Path, default=None, help="data folder (default $MICROCRED_DATA_DIR or ./data)"
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
        from pipelines.normalise import FIELDS
        from pipelines.normalise.cli import run

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
