"""Where the registry keeps its files, and whether crawls go to the live sites or the bundled snapshot."""

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from pipelines.transform import CoreTables
from warehouse.publish import default_data_dir

MANIFEST = "MANIFEST.json"


class StagedDataError(RuntimeError):
    """A staged folder that is missing, incomplete or damaged; the message names the file and the source."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        partial = directory / (MANIFEST + ".partial")
        partial.write_text(json.dumps({"source": source, "run_id": run_id, "sha256": files}, indent=2))
        os.replace(partial, directory / MANIFEST)
        return directory

    def read_staged(self, source: str, run_id: str) -> CoreTables:
        """The staged core tables of one source and run, verified against their manifest first.

        Raises ``StagedDataError`` with a one-line message naming the file and the source.
        """
        directory = self.staging_dir(source, run_id)
        manifest_path = directory / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text())
            digests = dict(manifest["sha256"])
        except FileNotFoundError:
            raise StagedDataError(f"{source}: {manifest_path} is missing (staging never finished)") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StagedDataError(f"{source}: {manifest_path} is unreadable ({error})") from None
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
        try:
            return CoreTables.read(directory)
        except Exception as error:  # a file that matches its digest but still cannot be read
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise StagedDataError(f"{source}: staged folder {directory} cannot be read ({first})") from None

    def mark_staged(self, source: str, run_id: str) -> None:
        """Points ``staging/{source}/CURRENT`` at a complete staging directory (atomic rename)."""
        pointer = self.root / "staging" / source / "CURRENT"
        partial = pointer.with_suffix(f".partial-{os.getpid()}")
        partial.write_text(run_id)
        os.replace(partial, pointer)

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
