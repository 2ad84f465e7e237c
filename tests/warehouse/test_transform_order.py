"""Core tables do not depend on the order in which concurrent requests landed their items."""

from __future__ import annotations

import random
import shutil

import pytest

from normalise.transform import build_core_tables

pytestmark = pytest.mark.slow


def test_shuffled_landing_gives_identical_core_tables(snapshot_server, tmp_path):
    from scrapers.crawl import run_crawl

    result = run_crawl(
        "uantwerpen",
        tmp_path / "landing",
        "n1",
        snapshot_url=snapshot_server.base_url,
        cache_dir=tmp_path / "cache",
    )
    assert result.succeeded
    first = build_core_tables("uantwerpen", result.landing_dir, "n1")
    for seed in range(10):
        shuffled = tmp_path / f"shuffled{seed}"
        shutil.copytree(result.landing_dir, shuffled)
        rng = random.Random(seed)
        for path in shuffled.glob("*.jsonl"):
            lines = path.read_text(encoding="utf-8").splitlines()
            rng.shuffle(lines)
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        second = build_core_tables("uantwerpen", shuffled, "n1")
        for table in ("programme", "course_unit", "programme_course"):
            a, b = getattr(first, table), getattr(second, table)
            key = [c for c in a.columns if not a.schema[c].is_nested()]
            assert a.sort(key).equals(b.sort(key)), (seed, table)
