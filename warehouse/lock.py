"""Who may write to a data folder, and when: OS-level locks on files in the data folder.

Three kinds of lock, all ``fcntl.flock`` on a file under ``{data}/locks/`` (the kernel releases a flock when
its process dies, so a killed refresh never blocks the next one):

- ``refresh.lock``: held by ``microcred refresh`` for the whole refresh, publish included, so two refreshes
  on one folder run one after the other. The holder writes its pid, start time and run id into the file, for
  the message the next one prints while it waits.
- ``staging-{source}.lock``: held while one source's harvest is staged and ``staging/{source}/CURRENT`` is
  re-pointed. Harvests of different sources (the nightly schedule's partition runs) go side by side.
- ``publish.lock``: held while the warehouse is built and renamed into place, and while ``build/`` is
  cleaned, so two publishes never build from the same previous warehouse and lose each other's rows.

The staging and publish locks are taken by the Dagster assets themselves, so the daemon's nightly runs and
``microcred refresh`` serialise on the same files.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REFRESH_LOCK = "refresh.lock"
PUBLISH_LOCK = "publish.lock"


class LockBusy(RuntimeError):
    """Raised by a non-waiting acquire: another process holds the lock; the message says which."""


def lock_path(data_dir: Path, name: str) -> Path:
    return Path(data_dir) / "locks" / name


def staging_lock_name(source: str) -> str:
    return f"staging-{source}.lock"


def holder(path: Path) -> str:
    """What the lock file says about its holder (``pid N at T (run R)``), or ``another process``."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "another process"


def _try_lock(handle: int, mode: int) -> bool:
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


@contextmanager
def folder_lock(
    data_dir: Path,
    name: str,
    *,
    wait: bool = True,
    note: str = "",
    on_wait: Callable[[str], None] | None = None,
    poll_seconds: float = 0.5,
) -> Iterator[Path]:
    """Holds the exclusive lock ``{data}/locks/{name}`` for the ``with`` block.

    With ``wait`` False a held lock raises ``LockBusy`` at once; otherwise ``on_wait`` is told once who
    holds it and the call blocks until it is free. ``note`` (who we are) is written into the lock file.
    """
    path = lock_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_CLOEXEC: a crawl subprocess must not inherit (and so keep alive) the refresh's lock.
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        if not _try_lock(handle, fcntl.LOCK_EX):
            message = f"waiting for the refresh started by {holder(path)} to finish"
            if not wait:
                raise LockBusy(f"another refresh holds {path}: started by {holder(path)}")
            if on_wait is not None:
                on_wait(message)
            # Polling rather than a blocking flock: a blocking call cannot be interrupted cleanly by
            # signals in every Python version, and half a second is nothing beside a refresh.
            while not _try_lock(handle, fcntl.LOCK_EX):
                time.sleep(poll_seconds)
        if note:
            os.ftruncate(handle, 0)
            os.pwrite(handle, note.encode("utf-8"), 0)
        yield path
    finally:
        # Closing the descriptor releases the lock; the file stays (removing it would race a waiter).
        os.close(handle)


def refresh_note(run_id: str) -> str:
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"pid {os.getpid()} at {started} (run {run_id})"


def refresh_holds_lock(data_dir: Path, run_id: str) -> bool:
    """True while the refresh ``run_id`` still holds the folder's refresh lock.

    A process left behind by a killed refresh checks this before re-pointing ``CURRENT``: if nobody holds
    the lock, or another run does, it must not write.
    """
    path = lock_path(data_dir, REFRESH_LOCK)
    if not path.exists():
        return False
    handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _try_lock(handle, fcntl.LOCK_SH):
            return False  # free: the refresh is gone
    finally:
        os.close(handle)
    return f"(run {run_id})" in holder(path)
