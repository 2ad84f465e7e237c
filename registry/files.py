"""Files written whole: the one way the project replaces a file that another process or the next run reads.

What belongs here: writing a file under a temporary name in its own folder, flushing it to disk, renaming it
over the old one (``os.replace``, atomic on POSIX within one file system) and flushing the folder, so that a
crash, a kill or a full disk leaves either the old file or the new one, never a mix and never neither; and the
two fsync primitives the callers with a special swap (a warehouse with its WAL, a folder of report pages
behind a symbolic link) build on. Standard library only.

- ``atomic_write`` / ``atomic_write_text``: the whole file from memory.
- ``replace_durably``: a file already written in full under another name (streamed, downloaded) put in place.
- ``write_synced_text``: a new file inside a folder that is itself renamed into place later (no rename of
  its own: the folder's rename is the atomic step).
- ``fsync_file`` / ``fsync_dir``.

A new file gets the permissions ``open()`` would give it (``0o666`` less the umask) unless ``mode`` says
otherwise, so a reader running as another user sees the same file it would have seen before.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

_TEMPORARY_ATTEMPTS = 100


def fsync_file(path: Path | str) -> None:
    """Flushes the file's data to disk."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(directory: Path | str) -> None:
    """Makes the folder's entries durable: a file created in it, renamed into it or removed from it."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def atomic_write(path: Path | str, data: bytes | Iterable[bytes], *, mode: int | None = None) -> None:
    """Writes ``data`` to ``path`` whole: temporary file in the same folder, fsync, ``os.replace``, fsync of
    the folder. On any error (a full disk included) the temporary file is removed and ``path`` is as it was.

    ``data`` may be an iterable of chunks, written as they come (a large file need not be held whole)."""
    path = Path(path)
    descriptor, temporary = _create_temporary(path)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            if isinstance(data, bytes | bytearray | memoryview):
                stream.write(data)
            else:
                stream.writelines(data)
            stream.flush()
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_text(
    path: Path | str, text: str, *, encoding: str = "utf-8", mode: int | None = None
) -> None:
    """``atomic_write`` of ``text`` encoded as given; line ends are written as they are in ``text``."""
    atomic_write(path, text.encode(encoding), mode=mode)


def replace_durably(source: Path | str, target: Path | str) -> None:
    """Puts the complete file ``source`` in place of ``target``: fsync, ``os.replace``, fsync of the folder.

    For a file that was written in full under another name in ``target``'s folder (a stream, a download)."""
    fsync_file(source)
    os.replace(source, target)
    fsync_dir(Path(target).parent)


def write_synced_text(
    path: Path | str, text: str, *, encoding: str = "utf-8", mode: int | None = None
) -> None:
    """Writes a new file and flushes it to disk, without a rename: for a file in a folder that is itself
    renamed into place once complete (its folder is fsynced by the caller, once, after the last file)."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
        handle.flush()
        if mode is not None:
            os.fchmod(handle.fileno(), mode)
        os.fsync(handle.fileno())


def _create_temporary(path: Path) -> tuple[int, Path]:
    """Creates a new, empty, hidden file beside ``path`` (never an existing one) and opens it for writing.

    Unlike ``tempfile.mkstemp`` (always ``0o600``), it is created with ``0o666`` less the umask, as ``open()``
    would create ``path`` itself."""
    for _ in range(_TEMPORARY_ATTEMPTS):
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")
