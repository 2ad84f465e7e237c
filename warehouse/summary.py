"""The printed summary of a refresh, read back from the published warehouse (its queries: ``summary.sql``)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from warehouse.sql import Queries

QUERIES = Queries(__file__)  # summary.sql


def print_politeness(landing_run_dir: Path, out=None) -> None:
    """Per site, what the night asked of it: requests, bytes, and how long it would take live at the site's
    polite rate (from each source's ``outcome.json`` in ``raw/{run_id}/``)."""
    import json

    out = sys.stdout if out is None else out
    rows = []
    for outcome_path in sorted(Path(landing_run_dir).glob("*/outcome.json")):
        try:
            outcome = json.loads(outcome_path.read_bytes())
        except (OSError, ValueError):
            continue  # the run table already says why that source has no outcome
        for host, site in sorted((outcome.get("politeness") or {}).items()):
            rows.append((outcome.get("source"), host, site, outcome.get("skipped_by_policy", 0)))
    if not rows:
        return
    print(
        "Politeness (per site: requests sent, bytes received, the night live at the polite rate):", file=out
    )
    for source, host, site, _skipped in rows:
        seconds = float(site.get("polite_seconds", 0))
        print(
            f"  {source:<11} {host:<24} {int(site.get('requests', 0)):>7} requests "
            f"{int(site.get('bytes', 0)) / 1e6:>9.2f} MB  {seconds / 60:>8.1f} min live "
            f"(1 request per {float(site.get('delay_s', 0)):g} s, {site.get('delay_from')})",
            file=out,
        )


def print_summary(warehouse: Path, run_id: str, out=None) -> None:
    """The run's row per source, then the published warehouse's figures.

    When the run published nothing (its publish failed), the figures shown are the previous warehouse's,
    and the header says so and names the run they are from, instead of passing them off as this run's.
    """
    out = sys.stdout if out is None else out
    if not warehouse.exists():
        print(
            f"\nRun {run_id}: nothing was published, and no warehouse has been published yet "
            f"({warehouse} does not exist).",
            file=out,
        )
        return
    try:
        _print_summary(warehouse, run_id, out)
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"\nRun {run_id}: the warehouse {warehouse} cannot be read ({first}).", file=out)


def _print_summary(warehouse: Path, run_id: str, out) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        last_run = con.execute("SELECT max(run_id) FROM run").fetchall()[0][0]
        runs = con.execute(QUERIES["runs"], [run_id]).fetchall()
        sizes = con.execute(QUERIES["sizes"]).fetchall()
        flags = con.execute(QUERIES["flags"]).fetchall()
        years = con.execute(QUERIES["years"]).fetchall()
    print(f"\nWarehouse: {warehouse}", file=out)
    report = warehouse.parent / "quality_report.html"
    if report.exists():
        print(f"Quality report: {report}", file=out)
    if not runs:
        print(
            f"Run {run_id}: NOTHING WAS PUBLISHED (the publish failed; see above). The figures below are "
            f"from the warehouse published earlier, by run {last_run}.",
            file=out,
        )
    else:
        print(f"Run {run_id}:", file=out)
    for source, status, published, reason, pages, not_modified, errors, skipped in runs:
        print(
            f"  {source:<11} {'PUBLISHED' if published else 'NOT PUBLISHED'} ({status}); pages {pages}, "
            f"304s {not_modified}, not due (revisit policy) {skipped or 0}, harvest issues {errors}; {reason}",
            file=out,
        )
    by_year = dict(years)
    print(
        f"Institutions (programmes / course units / flags) in the warehouse of run {last_run}:"
        if not runs
        else "Institutions (programmes / course units / flags):",
        file=out,
    )
    for institution, programmes, units, flag_count in sizes:
        detail = f"  [{by_year[institution]}]" if institution in by_year else ""
        print(f"  {institution:<11} {programmes:>5} / {units:>5} / {flag_count:>5}{detail}", file=out)
    print("Flags by rule:", file=out)
    for institution, rule, severity, count in flags:
        print(f"  {institution:<11} {rule:<22} {severity:<8} {count:>5}", file=out)
    if not flags:
        print("  none", file=out)
