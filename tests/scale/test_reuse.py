"""Work proportional to change (normalise/reuse.py): an unchanged landing reuses its staged tables.

The landings here are our own small fixtures in the landing pipeline's line format (scrapers/pipelines.py).
"""

from __future__ import annotations

import json

import polars as pl

from normalise.reuse import landing_digest, reusable, write_digest
from normalise.transform import CoreTables


def land(directory, run_id: str, pages: list[tuple[str, str]], reverse: bool = False) -> None:
    """Programme lines as the landing pipeline writes them (sorted keys, run id stamped)."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(
            {"kind": "programme", "source_url": url, "fetched_at": fetched, "run_id": run_id}, sort_keys=True
        )
        for url, fetched in pages
    ]
    (directory / "programme.jsonl").write_text(
        "".join(line + "\n" for line in (lines[::-1] if reverse else lines))
    )


PAGES = [("https://x.test/a", "2026-01-05T02:00:00+00:00"), ("https://x.test/b", "2026-01-05T02:01:00+00:00")]


def test_the_digest_ignores_order_and_run_id_but_not_fetch_times(tmp_path):
    land(tmp_path / "one", "run-1", PAGES)
    land(tmp_path / "two", "run-2", PAGES, reverse=True)
    assert landing_digest(tmp_path / "one", "run-1") == landing_digest(tmp_path / "two", "run-2")
    # A page revalidated tonight carries tonight's fetch time: a change, normalised again.
    land(tmp_path / "three", "run-3", [PAGES[0], ("https://x.test/b", "2026-01-06T02:01:00+00:00")])
    assert landing_digest(tmp_path / "three", "run-3") != landing_digest(tmp_path / "one", "run-1")
    land(tmp_path / "four", "run-4", PAGES[:1])
    assert landing_digest(tmp_path / "four", "run-4") != landing_digest(tmp_path / "one", "run-1")


def core(run_id: str) -> CoreTables:
    programme = pl.DataFrame({"registry_id": ["x:a"], "run_id": [run_id]})
    flags = pl.DataFrame({"rule_id": ["credits_present", "registry_id_stable"], "run_id": [run_id, run_id]})
    raw_line = json.dumps({"kind": "programme", "run_id": run_id}, sort_keys=True)
    empty = pl.DataFrame({"run_id": pl.Series([], dtype=pl.Utf8)})
    return CoreTables("x", run_id, programme, empty, empty, empty, {"programme": [raw_line]}, flags)


def test_staged_tables_are_reused_as_this_runs_only_for_the_same_landing(tmp_path):
    staged = tmp_path / "staging" / "run-1"
    core("run-1").write(staged)
    write_digest(staged, "d1")
    assert reusable(staged, "d2", "run-2") is None
    assert reusable(tmp_path / "missing", "d1", "run-2") is None
    again = reusable(staged, "d1", "run-2")
    assert again is not None and again.run_id == "run-2"
    assert again.programme["run_id"].to_list() == ["run-2"]
    assert json.loads(again.raw["programme"][0])["run_id"] == "run-2"
    # The flag computed against the published warehouse is left to be computed again.
    assert again.flag["rule_id"].to_list() == ["credits_present"]
