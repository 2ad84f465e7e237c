"""``registry.files``: a file is replaced whole or not at all, and what is replaced is on disk.

The crash tests kill a real process (SIGKILL) at the moment before the rename, as a power cut or an OOM kill
would; the durability tests watch which descriptors are fsynced, and in which order around the rename.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from registry import files

REPO = Path(__file__).resolve().parents[2]


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_atomic_write_replaces_the_file_whole_and_leaves_nothing_beside_it(tmp_path):
    target = tmp_path / "state.json"
    target.write_bytes(b"old\n")
    files.atomic_write(target, b"new contents\n")
    assert target.read_bytes() == b"new contents\n"
    assert leftovers(tmp_path, {"state.json"}) == []


def test_atomic_write_text_writes_the_text_encoded_as_is(tmp_path):
    target = tmp_path / "manifest.jsonl"
    files.atomic_write_text(target, '{"title": "Oekraïne"}\r\n{"b": 2}\n')
    assert target.read_bytes() == '{"title": "Oekraïne"}\r\n{"b": 2}\n'.encode()


@pytest.mark.parametrize("helper", ["atomic_write", "atomic_write_text"])
def test_a_kill_before_the_rename_leaves_the_old_file_whole(tmp_path, helper):
    target = tmp_path / "outcome.json"
    old = b'{"status": "ok", "pages": 448}\n' * 1000
    target.write_bytes(old)
    # A child process writes a new version and is killed (SIGKILL: no cleanup runs) at the rename.
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(REPO)!r})
        from registry import files
        os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        data = b"x" * 1_000_000
        files.{helper}({str(target)!r}, data if {helper!r} == "atomic_write" else data.decode())
        """
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert target.read_bytes() == old
    # What the killed writer leaves is a hidden temporary file, never the target's name.
    assert all(name.startswith(".outcome.json.") for name in leftovers(tmp_path, {"outcome.json"}))


def test_a_failed_write_leaves_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "entry"
    target.write_bytes(b"cached page")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError) as raised:
        files.atomic_write(target, b"a page that does not fit")
    assert raised.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"cached page"
    assert leftovers(tmp_path, {"entry"}) == []


def test_the_data_is_synced_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append("fsync dir" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "fsync file")
        real_fsync(descriptor)

    def replace(source, target):
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files.atomic_write(tmp_path / "a", b"1")
    assert events == ["fsync file", "replace", "fsync dir"]

    events.clear()
    streamed = tmp_path / "programme.jsonl.partial"
    streamed.write_text("{}\n")
    files.replace_durably(streamed, tmp_path / "programme.jsonl")
    assert events == ["fsync file", "replace", "fsync dir"]
    assert (tmp_path / "programme.jsonl").read_text() == "{}\n" and not streamed.exists()


def test_new_files_get_the_permissions_open_would_give_unless_told(tmp_path):
    previous = os.umask(0o027)
    try:
        files.atomic_write(tmp_path / "default", b"")
        files.atomic_write_text(tmp_path / "told", "", mode=0o644)
        files.write_synced_text(tmp_path / "page.html", "", mode=0o644)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "default").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "told").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o644


def test_write_synced_text_writes_in_place_and_syncs(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda descriptor: (synced.append(descriptor), real_fsync(descriptor)))
    page = tmp_path / "ugent.html"
    files.write_synced_text(page, "<p>a\nb</p>\n")
    assert page.read_bytes() == b"<p>a\nb</p>\n"
    assert len(synced) == 1
    assert leftovers(tmp_path, {"ugent.html"}) == []
