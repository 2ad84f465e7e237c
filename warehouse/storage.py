"""The registry's files addressed by URL: a local folder (the default) or an object store (``s3://…``).

With a local data folder nothing here is used: every step reads and writes the folder directly and the
publish renames the new warehouse into place. With an object store every machine works in a local folder
of its own (``$MICROCRED_WORK_DIR``) and hands its results over through the store:

- a harvest uploads its landing folder (``raw/{run}/{source}/``), the normalise step its staging folder and
  then ``staging/{source}/CURRENT``;
- the publish downloads what it needs, builds the warehouse locally as before, uploads it as
  ``warehouse/registry-{run}.duckdb`` and only then rewrites ``warehouse/CURRENT`` (one small object, written
  in one PUT) with that name. Object stores have no rename; readers read ``CURRENT`` first and then the file
  it names, which is complete and never changes, so no reader sees a half-written warehouse.

Credentials and endpoints come from the file system library's usual sources (for S3: the AWS environment
variables or profile, ``AWS_ENDPOINT_URL`` for a non-AWS endpoint); ``$MICROCRED_STORAGE_OPTIONS`` (JSON) adds
fsspec storage options.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from registry.files import atomic_write_text, replace_durably

POINTER = "CURRENT"
WAREHOUSE_DIR = "warehouse"


def is_url(location: str) -> bool:
    """True for ``scheme://…`` locations other than ``file://`` (those are local folders)."""
    return "://" in location and not location.startswith("file://")


def work_dir_for(url: str) -> Path:
    """This machine's local working folder for the data at ``url``."""
    base = os.environ.get("MICROCRED_WORK_DIR")
    if base:
        return Path(base)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"microcred-work-{digest}"


class RemoteData:
    """The data folder in an object store, through fsspec."""

    def __init__(self, url: str):
        import fsspec

        options = json.loads(os.environ.get("MICROCRED_STORAGE_OPTIONS") or "{}")
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        if url.startswith("s3://") and endpoint and "endpoint_url" not in options:
            options["endpoint_url"] = endpoint
        self.url = url.rstrip("/")
        self.fs, self.root = fsspec.core.url_to_fs(self.url, **options)
        self.root = self.root.rstrip("/")

    def _path(self, relative: str) -> str:
        return f"{self.root}/{relative.strip('/')}"

    def upload_dir(self, local: Path, relative: str) -> None:
        for path in sorted(p for p in Path(local).rglob("*") if p.is_file()):
            self.fs.put_file(str(path), self._path(f"{relative}/{path.relative_to(local).as_posix()}"))

    def download_dir(self, relative: str, local: Path) -> bool:
        """Copies ``relative`` (a folder) into ``local``; False when the store has no such folder."""
        remote = self._path(relative)
        if not self.fs.exists(remote):
            return False
        for path in self.fs.find(remote):
            target = Path(local) / Path(path).relative_to(remote)
            target.parent.mkdir(parents=True, exist_ok=True)
            self.fs.get_file(path, str(target))
        return True

    def read_text(self, relative: str) -> str | None:
        try:
            return self.fs.cat_file(self._path(relative)).decode()
        except FileNotFoundError:
            return None

    def write_text(self, relative: str, text: str) -> None:
        """One object in one PUT: readers see the old text or the new one."""
        self.fs.pipe_file(self._path(relative), text.encode())

    def publish_warehouse(self, build: Path, run_id: str) -> str:
        """Uploads the finished warehouse under its run's name, then points ``warehouse/CURRENT`` at it."""
        name = f"registry-{run_id}.duckdb"
        self.fs.put_file(str(build), self._path(f"{WAREHOUSE_DIR}/{name}"))
        self.write_text(f"{WAREHOUSE_DIR}/{POINTER}", name)
        return f"{self.url}/{WAREHOUSE_DIR}/{name}"

    def published_name(self) -> str | None:
        text = self.read_text(f"{WAREHOUSE_DIR}/{POINTER}")
        return text.strip() if text else None

    def fetch_published(self, target: Path) -> bool:
        """Downloads the published warehouse to ``target`` (whole, then renamed); False if none is published."""
        name = self.published_name()
        if name is None:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        fetched = target.with_name(f"{target.name}.{POINTER}")  # which published file the local copy is
        if target.exists() and fetched.exists() and fetched.read_text() == name:
            return True  # published files never change: the copy is current
        partial = target.with_name(f".{target.name}.partial")
        self.fs.get_file(self._path(f"{WAREHOUSE_DIR}/{name}"), str(partial))
        replace_durably(partial, target)
        atomic_write_text(fetched, name)
        return True


def fetch_published(url: str, target: Path) -> Path | None:
    """For readers: the warehouse published at ``url`` copied to the local file ``target`` (or ``None``)."""
    return target if RemoteData(url).fetch_published(Path(target)) else None
