"""Where the registry keeps its files, and whether crawls go to the live sites or the bundled snapshot."""

import json
import os
from pathlib import Path

import dagster as dg

from warehouse.publish import default_data_dir, warehouse_path
from warehouse.storage import RemoteData, is_url, work_dir_for


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
        if (remote := self.remote) is not None:
            if (remote.read_text(f"staging/{source}/CURRENT") or "").strip() == run_id:
                remote.download_dir(f"staging/{source}/{run_id}", self.staging_dir(source, run_id))
                self.mark_staged(source, run_id)

    def pull_outcome(self, run_id: str, source: str) -> None:
        if (remote := self.remote) is not None:
            text = remote.read_text(f"raw/{run_id}/{source}/outcome.json")
            if text is not None:
                self.landing_dir(run_id, source).mkdir(parents=True, exist_ok=True)
                (self.landing_dir(run_id, source) / "outcome.json").write_text(text)

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

    def mark_staged(self, source: str, run_id: str) -> None:
        """Points ``staging/{source}/CURRENT`` at a complete staging directory (atomic rename)."""
        pointer = self.root / "staging" / source / "CURRENT"
        partial = pointer.with_suffix(".partial")
        partial.write_text(run_id)
        os.replace(partial, pointer)

    def staged_run(self, source: str) -> str | None:
        pointer = self.root / "staging" / source / "CURRENT"
        return pointer.read_text().strip() if pointer.exists() else None

    def harvest_outcome(self, run_id: str, source: str) -> dict | None:
        path = self.landing_dir(run_id, source) / "outcome.json"
        return json.loads(path.read_text()) if path.exists() else None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"store": RegistryStore()})
