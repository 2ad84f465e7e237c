"""Serve the bundled snapshot over real HTTP on loopback, like a well-behaved origin server.

What belongs here: mapping a loopback request `/{host}/{path}?{query}` to a manifest row (`Route`) and
answering it with real status codes and validators (ETag, Last-Modified, conditional GET → 304), so that
retries, caching and "nothing changed" nights are exercised for real. Standard library only.

Later additions are meant to slot in without touching the handler much: a second-night state is a
different `routes` dict (swap `SnapshotServer.routes`; the handler reads it on every request), and fault
injection can wrap the lookup in `SnapshotServer.resolve`. Neither is built yet.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from scrapers.snapshot.manifest import MANIFEST_NAME, SITES_DIR, read_manifest, route_key, url_route_key

log = logging.getLogger(__name__)

ALLOWED_METHODS = "GET, HEAD"


@dataclass
class Route:
    """One servable URL: where its bytes are and the headers that go with them. The body is read once."""

    public_url: str
    path: Path
    content_type: str
    last_modified: dt.datetime
    status: int = 200

    @cached_property
    def body(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    @property
    def last_modified_http(self) -> str:
        return format_datetime(self.last_modified, usegmt=True)


def load_routes(root: Path = SITES_DIR) -> dict[str, Route]:
    """The manifest under `root`, keyed by canonical URL (see `manifest.route_key`)."""
    routes: dict[str, Route] = {}
    for row in read_manifest(root / MANIFEST_NAME):
        key = url_route_key(row.url)
        if key in routes:
            raise ValueError(f"{row.url} duplicates {routes[key].public_url} in the manifest")
        modified = dt.datetime.fromisoformat(row.last_modified.replace("Z", "+00:00")).astimezone(dt.UTC)
        routes[key] = Route(row.url, root / row.file, row.content_type, modified, row.status)
    return routes


def request_key(target: str) -> str | None:
    """`/studiekiezer.ugent.be/a/b?x=1` → the route key of `https://studiekiezer.ugent.be/a/b?x=1`."""
    parts = urlsplit(target)
    host, _, rest = parts.path.lstrip("/").partition("/")
    if not host:
        return None
    return route_key(host, "/" + rest, parts.query)


def _etag_matches(header: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
    candidates = [candidate.strip() for candidate in header.split(",")]
    return any(candidate == "*" or candidate.removeprefix("W/") == etag for candidate in candidates)


def is_not_modified(route: Route, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """Whether a GET/HEAD with these headers gets 304. If-None-Match, when present, overrides the date."""
    if route.status != 200:
        return False
    if if_none_match is not None:
        return _etag_matches(if_none_match, route.etag)
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unparseable date is ignored, as the RFC asks
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        return route.last_modified <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    """Kept small on purpose: look up, decide the status, write. The decisions live in plain functions."""

    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, as a crawler expects from a real site
    server_version = "microcred-snapshot/1"
    timeout = 60  # drop idle keep-alive connections eventually

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def __getattr__(self, name: str):
        # BaseHTTPRequestHandler answers unknown methods with 501; a real origin says 405 for POST etc.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _method_not_allowed(self) -> None:
        # The request body (if any) is not read, so the connection cannot be reused safely.
        self.close_connection = True
        self._send_message(405, "Method Not Allowed", f"{self.command} is not allowed here.", send_body=True)

    def _serve(self, send_body: bool) -> None:
        snapshot = self.server.snapshot
        route = snapshot.resolve(self.path)
        if route is None:
            self._send_message(404, "Not Found", f"No page at {self.path} in the snapshot.", send_body)
            return
        # Each answer is recorded before it is sent: a client may send its next request as soon as it
        # has this answer, and the log must keep the order in which requests were answered.
        if is_not_modified(route, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")):
            snapshot.record(self.path, 304)
            self.send_response(304)
            self._send_validators(route)
            self.end_headers()
            return
        body = route.body
        snapshot.record(self.path, route.status)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(body)))
        self._send_validators(route)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _send_validators(self, route: Route) -> None:
        self.send_header("ETag", route.etag)
        self.send_header("Last-Modified", route.last_modified_http)
        self.send_header("Cache-Control", "no-cache")

    def _send_message(self, status: int, title: str, text: str, send_body: bool) -> None:
        body = (
            f"<!DOCTYPE html>\n<html><head><title>{status} {title}</title></head>"
            f"<body><h1>{title}</h1><p>{escape(text)}</p></body></html>\n"
        ).encode()
        self.server.snapshot.record(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if status == 405:
            self.send_header("Allow", ALLOWED_METHODS)
            self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # Quiet by default: one stderr line per request would drown a crawl's own log.
        log.debug("%s " + format, self.address_string(), *args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 makes a burst of concurrent connections wait a full SYN
    # retransmit (about a second) on Linux; a crawler opens 16 or more at once.
    request_queue_size = 128
    snapshot: SnapshotServer


@dataclass
class SnapshotServer:
    """The snapshot on `http://{host}:{port}`; `port=0` picks a free port. Also a context manager."""

    root: Path = SITES_DIR
    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Route] = field(init=False, repr=False)
    stats: collections.Counter = field(init=False, repr=False, default_factory=collections.Counter)
    request_log: list[tuple[str, int]] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.routes = load_routes(self.root)
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> SnapshotServer:
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer((self.host, self.port), _Handler)
        self._httpd.snapshot = self
        self._thread = threading.Thread(
            # A short poll interval keeps stop() fast (shutdown waits for the loop to notice).
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"snapshot-server-{self.port_bound}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SnapshotServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------------------

    @property
    def port_bound(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the snapshot server is not running; call start() first")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port_bound}"

    def loopback_url(self, public_url: str) -> str:
        """`https://studiekiezer.ugent.be/a/b?x=1` → `{base_url}/studiekiezer.ugent.be/a/b?x=1`."""
        parts = urlsplit(public_url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.base_url}/{parts.netloc}{parts.path or '/'}{query}"

    def public_url(self, loopback_url: str) -> str:
        """The inverse of `loopback_url` (every snapshotted site is served over https)."""
        if not loopback_url.startswith(self.base_url + "/"):
            raise ValueError(f"{loopback_url} is not served by {self.base_url}")
        return "https://" + loopback_url.removeprefix(self.base_url + "/")

    # -- serving -----------------------------------------------------------------------------------------

    def resolve(self, target: str) -> Route | None:
        """The route for a request target, or None (→ 404). The hook for fault injection later."""
        key = request_key(target)
        return None if key is None else self.routes.get(key)

    def record(self, path: str, status: int) -> None:
        with self._lock:
            self.stats[status] += 1
            self.request_log.append((path, status))

    def reset_stats(self) -> None:
        with self._lock:
            self.stats.clear()
            self.request_log.clear()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m scrapers.snapshot.server [--port N]`: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve the bundled offline snapshot on loopback.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--root", type=Path, default=SITES_DIR, help="sites directory holding manifest.jsonl")
    args = parser.parse_args(argv)
    with SnapshotServer(args.root, args.host, args.port) as server:
        print(server.base_url, flush=True)
        example = next(iter(server.routes.values()), None)
        if example is not None:
            print(f"e.g. {server.loopback_url(example.public_url)}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
