"""A whole crawl against the data folder's files: crafted pickles run nothing, a full disk is called a full disk
(on a real small filesystem), and the ``.partial`` files of a killed crawl do not outlive the next run."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.partitions import REFRESH_TAG
from pipelines.defs.raw import raw_registry__harvest
from pipelines.defs.resources import RegistryStore
from scrapers.crawl import run_crawl
from scrapers.httpcache import decode_entry
from scrapers.pipelines import remove_stale_partials

pytestmark = pytest.mark.slow


class MarkerPickle:
    """Unpickling this runs ``open(marker, "w")``: the way a crafted pickle runs code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def crawl(server, root: Path, name: str, cache: Path):
    # Every page is asked again each night (revisit policy off): these nights are about the cache's copies.
    return run_crawl(
        "ugent",
        root / name,
        name,
        snapshot_url=server.base_url,
        cache_dir=cache,
        years=[2022],
        revalidate_all=True,
    )


@pytest.fixture(scope="module")
def night_one(snapshot_server, tmp_path_factory):
    """One Ghent year crawled into a fresh cache: (root, cache folder, result)."""
    root = tmp_path_factory.mktemp("integrity")
    result = crawl(snapshot_server, root, "night1", root / "cache")
    assert result.succeeded, result.log_tail
    return root, root / "cache", result


def test_crafted_pickles_in_the_cache_and_memo_run_nothing_and_the_crawl_completes(
    night_one, snapshot_server, tmp_path
):
    """Every place a crawl reads from the data folder holds a pickle that would create the marker file: the
    pickle-era memo, and each cache entry in Scrapy's own layout (``pickled_meta``, ``response_data``)."""
    _, cache, first = night_one
    data = tmp_path / "httpcache"
    shutil.copytree(cache, data)
    marker = tmp_path / "executed"
    crafted = pickle.dumps(MarkerPickle(marker))
    (data / "ugent.parse-memo.jsonl").unlink()
    (data / "ugent.parse-memo.pickle").write_bytes(crafted)
    entries = sorted(data.rglob("*.entry"))
    for entry in entries:
        legacy = entry.with_suffix("")
        legacy.mkdir()
        for name in ("pickled_meta", "response_data"):
            (legacy / name).write_bytes(crafted)
        (legacy / "response_body").write_bytes(b"<html></html>")
        entry.unlink()
    second = crawl(snapshot_server, tmp_path, "night2", data)
    assert not marker.exists()
    assert second.succeeded, second.log_tail
    assert second.items == first.items  # nothing lost: every page fetched and parsed again
    assert second.stats["microcred/parse_memo/legacy_pickle_removed"] == 1
    assert second.stats["microcred/httpcache/legacy_removed"] == len(entries)
    assert not list(data.rglob("pickled_meta")) and not (data / "ugent.parse-memo.pickle").exists()


def test_a_truncated_cache_body_is_fetched_again_and_recorded(night_one, snapshot_server, tmp_path):
    _, cache, first = night_one
    data = tmp_path / "httpcache"
    shutil.copytree(cache, data)
    entry = max(data.rglob("*.entry"), key=lambda p: p.stat().st_size)
    header, body = decode_entry(entry.read_bytes())
    entry.write_bytes(entry.read_bytes()[: -len(body) // 2])
    second = crawl(snapshot_server, tmp_path, "night2", data)
    assert second.succeeded, second.log_tail
    assert second.stats["microcred/httpcache/damaged"] == 1
    assert second.not_modified == first.pages_fetched - 1  # that page alone was answered in full
    issues = [
        line
        for line in (second.landing_dir / "issue.jsonl").read_text().splitlines()
        if '"cache_damaged"' in line
    ]
    assert len(issues) == 1 and header["url"] in issues[0] and str(entry) in issues[0]
    assert decode_entry(entry.read_bytes())[1] == body  # the cache holds the whole page again


# -- a real small filesystem ----------------------------------------------------------------------------
@contextmanager
def small_filesystem(where: Path, size_kb: int):
    """A tmpfs of ``size_kb`` at ``where`` (or, failing that, a loop-mounted ext2 image); skips if mounting is
    not allowed here."""
    where.mkdir(parents=True)
    tried = []
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        tried.append(f"tmpfs: {mounted.stderr.strip()}")
        image = where.with_suffix(".img")
        with open(image, "wb") as handle:
            handle.truncate(max(size_kb, 64) * 1024)
        made = subprocess.run(["mkfs.ext2", "-q", "-F", str(image)], capture_output=True, text=True)
        mounted = subprocess.run(
            ["mount", "-o", "loop", str(image), str(where)], capture_output=True, text=True
        )
        if made.returncode != 0 or mounted.returncode != 0:
            tried.append(f"loop: {made.stderr.strip()} {mounted.stderr.strip()}")
            pytest.skip("no small filesystem can be mounted here (needs root): " + "; ".join(tried))
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_under_the_landing_is_reported_as_disk_full(night_one, snapshot_server, tmp_path):
    _, cache, _ = night_one
    data = tmp_path / "httpcache"
    shutil.copytree(cache, data)
    with small_filesystem(tmp_path / "disk", 48) as disk:
        result = crawl(snapshot_server, disk, "night2", data)
        assert not result.succeeded
        assert result.finish_reason.startswith(f"disk_full: {disk}"), (result.finish_reason, result.log_tail)
        assert "JSONDecodeError" not in result.log_tail
        leftovers = [p.name for p in (disk / "night2").iterdir()] if (disk / "night2").exists() else []
        assert "_SUCCESS" not in leftovers and not [n for n in leftovers if n.endswith(".partial")]


def test_a_full_disk_under_the_cache_stops_the_crawl_and_leaves_only_whole_entries(snapshot_server, tmp_path):
    with small_filesystem(tmp_path / "disk", 96) as disk:
        cache = disk / "httpcache"
        first = crawl(snapshot_server, tmp_path, "night1", cache)
        assert not first.succeeded
        assert first.finish_reason.startswith(f"disk_full: {cache}") and first.finish_reason.endswith(
            ".entry"
        )
        before = {p: p.read_bytes() for p in cache.rglob("*.entry")}
        assert before
        # Night 2 rewrites every entry it revalidates, on a disk that is still full.
        second = crawl(snapshot_server, tmp_path, "night2", cache)
        assert second.finish_reason.startswith(f"disk_full: {cache}")
        after = {p: p.read_bytes() for p in cache.rglob("*.entry")}
        assert set(before) <= set(after)
        assert any(after[p] == raw for p, raw in before.items())  # the rewrites that failed left the old
        for raw in after.values():
            decode_entry(raw)  # old or new, every entry is whole
        assert not [p for p in disk.rglob("*.tmp")]
        assert "JSONDecodeError" not in first.log_tail + second.log_tail


def test_the_raw_asset_reports_a_full_disk_and_spends_no_retry_on_it(snapshot_server, tmp_path):
    with small_filesystem(tmp_path / "disk", 48) as disk:
        store = RegistryStore(data_dir=str(disk), snapshot_url=snapshot_server.base_url)
        result = dg.materialize(
            [raw_registry__harvest],
            partition_key="uantwerpen",
            resources={"store": store},
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
        )
        assert not result.success
        [failure] = result.get_step_failure_events()
        description = failure.step_failure_data.user_failure_data.description
        assert "disk_full: " in description and str(disk) in description
        assert "JSONDecodeError" not in str(failure.step_failure_data.error)
        events = [e.event_type_value for e in result.all_events]
        assert "STEP_UP_FOR_RETRY" not in events and events.count("STEP_START") == 1


# -- a killed crawl's .partial files --------------------------------------------------------------------
def test_partial_files_of_a_killed_crawl_are_removed_and_a_live_crawls_are_not(tmp_path):
    raw = tmp_path / "raw"
    killed, live, other = raw / "run1" / "ugent", raw / "run2" / "ugent", raw / "run1" / "rug"
    for folder in (killed, live, other):
        folder.mkdir(parents=True)
        (folder / "programme.jsonl.partial").write_text('{"kind": "programme"')
    (killed / "crawl_stats.json").write_text("{}")
    handle = os.open(live, os.O_RDONLY)  # a crawl still writing holds its folder's lock
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        removed = remove_stale_partials(raw, "ugent")
    finally:
        os.close(handle)
    assert removed == [killed / "programme.jsonl.partial"]
    assert (killed / "crawl_stats.json").exists()  # only the partial files go
    assert (live / "programme.jsonl.partial").exists() and (other / "programme.jsonl.partial").exists()


def test_the_next_harvest_of_the_source_removes_a_killed_crawls_partials(snapshot_server, tmp_path):
    """A crawl process killed mid-way (SIGKILL) leaves .partial files; the next raw asset run removes them."""
    landing = tmp_path / "raw" / "killed-run" / "rug"
    process = subprocess.Popen(
        [
            os.sys.executable,
            "-m",
            "scrapers.crawl",
            "rug",
            "--landing",
            str(landing),
            "--run-id",
            "killed-run",
            "--cache-dir",
            str(tmp_path / "httpcache" / "rug"),
            "--snapshot-url",
            snapshot_server.base_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Killed as soon as its landing files exist (the pipeline opens them when the spider opens).
    while process.poll() is None and not list(landing.glob("*.partial")):
        time.sleep(0.05)
    process.kill()
    process.wait()
    partials = sorted(landing.glob("*.partial"))
    assert partials and not (landing / "_SUCCESS").exists()
    store = RegistryStore(data_dir=str(tmp_path), snapshot_url=snapshot_server.base_url)
    result = dg.materialize(
        [raw_registry__harvest],
        partition_key="rug",
        resources={"store": store},
        instance=dg.DagsterInstance.ephemeral(),
        tags={REFRESH_TAG: f"next-{uuid.uuid4().hex[:6]}"},
        raise_on_error=False,
    )
    assert result.success
    assert not list(landing.glob("*.partial"))
    [outcome] = (tmp_path / "raw").glob("next-*/rug/outcome.json")
    assert sorted(json.loads(outcome.read_text())["removed_partials"]) == [str(p) for p in partials]
