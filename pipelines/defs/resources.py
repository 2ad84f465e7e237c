"""Where the registry keeps its files, and whether crawls go to the live sites or the bundled snapshot."""

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import dagster as dg
import polars as pl

from normalise.transform import CoreTables
from registry.files import atomic_write_text
from warehouse.publish import default_data_dir, warehouse_path
from warehouse.storage import RemoteData, is_url, work_dir_for

T = TypeVar("T")

MANIFEST = "MANIFEST.json"


class StagedDataError(RuntimeError):
    """A staged folder that is missing, incomplete or damaged; the message names the file and the source."""


def _first(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RegistryStore(dg.ConfigurableResource):
    """Paths of the landing zone, staging area, HTTP cache and warehouse under one data folder.

    ``data_dir`` empty means ``$MICROCRED_DATA_DIR`` or ``data/`` under the repository. It may be a URL
    (``s3://bucket/registry``): then ``root`` is this machine's working folder and the steps hand their
    results over through the store (``warehouse.storage``); the ``pull_*``/``push_*`` methods do nothing for
    a local folder. ``live`` sends the spiders to the public sites; otherwise each crawl starts the bundled
    snapshot server on 127.0.0.1.
    """

    data_dir: str = ""
    live: bool = False
    snapshot_url: str = ""  # a snapshot server already running (tests, `microcred serve-snapshot`)
    # The revisit policy's switches for tonight (scrapers/revisit.py), carried in the run config so they reach
    # the crawl wherever the run executes: the clock (ISO 8601, empty = real time) and "ask about every page".
    revisit_now: str = ""
    revalidate_all: bool = False

    @property
    def _location(self) -> str:
        return self.data_dir or os.environ.get("MICROCRED_DATA_DIR") or ""

    @property
    def remote(self) -> RemoteData | None:
        """The object store holding the data, or ``None`` for a local data folder."""
        return RemoteData(self._location) if is_url(self._location) else None

    @property
    def root(self) -> Path:
        if is_url(self._location):
            return work_dir_for(self._location)
        return Path(self.data_dir) if self.data_dir else default_data_dir()

    @property
    def location(self) -> str:
        """Where the data lives, as said to people."""
        return self._location if is_url(self._location) else str(self.root)

    def fetch_published(self) -> Path:
        """A local path of the published warehouse (for the printed summary and the checks)."""
        local = warehouse_path(self.root)
        remote = self.remote
        if remote is not None and not remote.fetch_published(local):
            local.unlink(missing_ok=True)  # the store is the truth: nothing published there, nothing here
        return local

    # -- hand-over through an object store (no-ops for a local data folder) ---------------------------------
    def push_landing(self, run_id: str, source: str) -> None:
        if (remote := self.remote) is not None:
            remote.upload_dir(self.landing_dir(run_id, source), f"raw/{run_id}/{source}")

    def pull_landing(self, run_id: str, source: str) -> None:
        if (remote := self.remote) is not None:
            remote.download_dir(f"raw/{run_id}/{source}", self.landing_dir(run_id, source))

    def push_staged(self, source: str, run_id: str) -> None:
        """Uploads the staging folder, then its ``CURRENT`` pointer (so a pointer never names a partial folder)."""
        if (remote := self.remote) is not None:
            remote.upload_dir(self.staging_dir(source, run_id), f"staging/{source}/{run_id}")
            remote.write_text(f"staging/{source}/CURRENT", run_id)

    def pull_staged(self, source: str, run_id: str) -> None:
        """Downloads this run's staging folder of ``source`` (its manifest is checked when it is read)."""
        if (remote := self.remote) is not None:
            remote.download_dir(f"staging/{source}/{run_id}", self.staging_dir(source, run_id))

    def pull_outcome(self, run_id: str, source: str) -> None:
        if (remote := self.remote) is not None:
            text = remote.read_text(f"raw/{run_id}/{source}/outcome.json")
            if text is not None:
                self.landing_dir(run_id, source).mkdir(parents=True, exist_ok=True)
                atomic_write_text(self.landing_dir(run_id, source) / "outcome.json", text)

    def push_published(self, run_id: str) -> None:
        """Uploads the warehouse just published locally (and its report), then moves the pointer."""
        if (remote := self.remote) is not None:
            report = self.root / "quality_report.html"
            if report.exists():
                remote.fs.put_file(str(report), remote._path("quality_report.html"))
            remote.publish_warehouse(warehouse_path(self.root), run_id)

    def landing_dir(self, run_id: str, source: str) -> Path:
        return self.root / "raw" / run_id / source

    def cache_dir(self, source: str) -> Path:
        return self.root / "httpcache" / source

    def staging_dir(self, source: str, run_id: str) -> Path:
        return self.root / "staging" / source / run_id

    def stage(self, core: CoreTables, source: str, run_id: str) -> Path:
        """Writes the core tables to ``staging/{source}/{run_id}/`` with a SHA-256 manifest, written last.

        A folder without its manifest is incomplete; a file whose digest differs is damaged. Either way the
        next reader refuses it instead of trusting it (``read_staged``).
        """
        directory = self.staging_dir(source, run_id)
        (directory / MANIFEST).unlink(missing_ok=True)
        core.write(directory)
        files = {
            p.name: _sha256(p) for p in sorted(directory.iterdir()) if p.is_file() and p.name != MANIFEST
        }
        atomic_write_text(
            directory / MANIFEST, json.dumps({"source": source, "run_id": run_id, "sha256": files}, indent=2)
        )
        return directory

    def read_staged(self, source: str, run_id: str) -> CoreTables:
        """The staged core tables of one source and run, verified against their manifest first.

        Raises ``StagedDataError`` with a one-line message naming the file and the source.
        """
        directory = self._verified(source, run_id)

        # The raw lines are read later, when loaded (``StagedLines``): each file's digest is checked again then.
        def recheck(path: Path) -> None:
            self._verified(source, run_id, only=path.name)

        try:
            return CoreTables.read(directory, recheck=recheck)
        except Exception as error:  # a file that matches its digest but still cannot be read
            raise StagedDataError(
                f"{source}: staged folder {directory} cannot be read ({_first(error)})"
            ) from None

    def read_staged_table(self, source: str, run_id: str, table: str) -> pl.DataFrame:
        """One staged table (``programme``, ``flag``, ...) of one source and run, verified like ``read_staged``."""
        return self._read_staged_file(source, run_id, table, pl.read_parquet)

    def staged_height(self, source: str, run_id: str, table: str) -> int:
        """How many rows one staged table has, verified like ``read_staged`` (only the file's footer is read)."""
        return self._read_staged_file(
            source, run_id, table, lambda path: pl.scan_parquet(path).select(pl.len()).collect().item()
        )

    def _read_staged_file(self, source: str, run_id: str, table: str, read: Callable[[Path], T]) -> T:
        directory = self._verified(source, run_id, only=f"{table}.parquet")
        path = directory / f"{table}.parquet"
        try:
            return read(path)
        except Exception as error:  # a file that matches its digest but still cannot be read
            raise StagedDataError(f"{source}: staged file {path} cannot be read ({_first(error)})") from None

    def _verified(self, source: str, run_id: str, only: str | None = None) -> Path:
        """The staging folder, once every file its manifest lists (or just ``only``) matches its digest."""
        directory = self.staging_dir(source, run_id)
        manifest_path = directory / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text())
            digests = dict(manifest["sha256"])
        except FileNotFoundError:
            raise StagedDataError(f"{source}: {manifest_path} is missing (staging never finished)") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StagedDataError(f"{source}: {manifest_path} is unreadable ({error})") from None
        if only is not None:
            if only not in digests:
                raise StagedDataError(f"{source}: {directory / only} is not in {MANIFEST}")
            digests = {only: digests[only]}
        for name, expected in digests.items():
            path = directory / name
            try:
                actual = _sha256(path)
            except OSError as error:
                raise StagedDataError(f"{source}: staged file {path} is unreadable ({error})") from None
            if actual != expected:
                raise StagedDataError(
                    f"{source}: staged file {path} is damaged (SHA-256 differs from {MANIFEST})"
                )
        return directory

    def mark_staged(self, source: str, run_id: str) -> None:
        """Points ``staging/{source}/CURRENT`` at a complete staging directory (atomic rename)."""
        pointer = self.root / "staging" / source / "CURRENT"
        atomic_write_text(pointer, run_id)

    def staged_run(self, source: str) -> str | None:
        pointer = self.root / "staging" / source / "CURRENT"
        try:
            return pointer.read_text().strip() or None
        except FileNotFoundError:
            return None

    def harvest_outcome(self, run_id: str, source: str) -> dict | None:
        path = self.landing_dir(run_id, source) / "outcome.json"
        return json.loads(path.read_text()) if path.exists() else None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"store": RegistryStore()})
