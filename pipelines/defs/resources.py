"""Where the registry keeps its files, and whether crawls go to the live sites or the bundled snapshot."""

import json
import os
from pathlib import Path

import dagster as dg

from warehouse.publish import default_data_dir


class RegistryStore(dg.ConfigurableResource):
    """Paths of the landing zone, staging area, HTTP cache and warehouse under one data folder.

    ``data_dir`` empty means ``$MICROCRED_DATA_DIR`` or ``data/`` under the repository. ``live`` sends the
    spiders to the public sites; otherwise each crawl starts the bundled snapshot server on 127.0.0.1.
    """

    data_dir: str = ""
    live: bool = False
    snapshot_url: str = ""  # a snapshot server already running (tests, `microcred serve-snapshot`)

    @property
    def root(self) -> Path:
        return Path(self.data_dir) if self.data_dir else default_data_dir()

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
