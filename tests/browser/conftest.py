"""The dashboard served on 127.0.0.1 from a copy of the published warehouse, and headless Chromium to drive it.

One Streamlit server and one browser for the whole session; every test gets a fresh browser context whose
requests may only go to 127.0.0.1 (anything else is aborted and recorded) and whose JS dialogs are recorded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# Needed on a closed network: no QUIC, no background or component-update traffic, no first-run UI.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dashboard:
    base_url: str
    data_dir: Path
    log: Path
    pid: int = 0

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "registry.duckdb"

    def url(self, page: str = "", **params) -> str:
        """The page's address with its filters as query parameters (lists repeat the parameter)."""
        query = urlencode(params, doseq=True)
        return f"{self.base_url}/{page}" + (f"?{query}" if query else "")


@contextlib.contextmanager
def serve_dashboard(
    data_dir: Path, log: Path, *, script: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Dashboard]:
    """`streamlit run dashboard/app.py` (or ``script``) on a free loopback port, until /_stcore/health answers."""
    port = free_port()
    env = {
        **os.environ,
        "MICROCRED_DATA_DIR": str(data_dir),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or REPO / "dashboard" / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--global.developmentMode",
        "false",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with _LOCAL.open(f"{base_url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield Dashboard(base_url, data_dir, log, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="package")
def served_data_dir(published_registry, tmp_path_factory) -> Path:
    """A copy of the published warehouse: the session fixture's own file stays read-only."""
    data_dir = tmp_path_factory.mktemp("dashboard") / "data"
    data_dir.mkdir()
    shutil.copyfile(published_registry / "registry.duckdb", data_dir / "registry.duckdb")
    return data_dir


@pytest.fixture(scope="package")
def app(served_data_dir) -> Iterator[Dashboard]:
    with serve_dashboard(served_data_dir, served_data_dir.parent / "streamlit.log") as served:
        yield served


@pytest.fixture(scope="package")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A page plus what it tried to do that it must not: leave 127.0.0.1, or open a JS dialog."""

    page: object
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def tab(chromium) -> Iterator[Tab]:
    context = chromium.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    tab = Tab(page)

    def local_only(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    def record_dialog(dialog) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", local_only)
    page.on("dialog", record_dialog)
    page.set_default_timeout(20_000)
    try:
        yield tab
    finally:
        context.close()
