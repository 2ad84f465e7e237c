"""Serve the bundled snapshot over real HTTP on loopback, like a well-behaved origin server.

What belongs here: mapping a loopback request `/{host}/{path}?{query}` to a manifest row (`Route`) and
answering it with real status codes and validators (ETag, Last-Modified, conditional GET → 304), so that
retries, caching and "nothing changed" nights are exercised for real. Standard library only.

A later state of the sites is a different `routes` dict (swap `SnapshotServer.routes`, or single routes in
it; the handler reads it on every request): `tools.snapshot.nights` builds the second night that way, with
in-memory bodies (`Route.content`). Fault injection (`Fault`, `SnapshotServer.faults`) makes chosen URLs
misbehave as real origins do: 5xx for a while, a hang, a cut-off body, a wrong charset, a redirect loop, an
empty page. Each fault is one small method of the handler.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import logging
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from scrapers.snapshot.manifest import MANIFEST_NAME, SITES_DIR, read_manifest, route_key, url_route_key

log = logging.getLogger(__name__)

ALLOWED_METHODS = "GET, HEAD"
# A hanging answer never lasts longer than this, whatever a test asks for: the server must stay stoppable.
MAX_FAULT_DELAY = 5.0
_UTF8 = frozenset({"utf-8", "utf8"})


@dataclass
class Route:
    """One servable URL: where its bytes are and the headers that go with them. The body is read once.

    ``content``, when given, is the body itself (a page that exists only in memory, e.g. a later night's
    version); ``path`` is then only informative and may be None.
    """

    public_url: str
    path: Path | None
    content_type: str
    last_modified: dt.datetime
    status: int = 200
    content: bytes | None = field(default=None, repr=False)

    @classmethod
    def in_memory(
        cls, public_url: str, content: bytes, content_type: str, last_modified: dt.datetime, status: int = 200
    ) -> Route:
        return cls(public_url, None, content_type, last_modified, status, content)

    @cached_property
    def body(self) -> bytes:
        if self.content is not None:
            return self.content
        if self.path is None:
            raise ValueError(f"{self.public_url} has neither a file nor a body")
        return self.path.read_bytes()

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    @property
    def last_modified_http(self) -> str:
        return format_datetime(self.last_modified, usegmt=True)


@dataclass(frozen=True)
class Fault:
    """How one URL misbehaves. Build with the constructors (``Fault.status(503, times=2)`` …).

    ``times``: the fault answers the first ``times`` requests for its URL, then the page is served normally
    (``None``: every request). Faults other than ``timeout`` pre-empt conditional GET: a faulty answer is
    given whatever validators the client sends, as a broken origin would.
    """

    kind: str  # status, timeout, truncated, wrong_charset, redirect_loop, empty
    times: int | None = None
    status_code: int = 0  # status: the error status
    seconds: float = 0.0  # timeout: how long the answer is held back
    charset: str = ""  # wrong_charset: the charset declared in Content-Type
    location: str | None = None  # redirect_loop: public URL redirected to (None: the URL itself)

    @classmethod
    def status(cls, code: int, times: int | None = None) -> Fault:
        """Answer ``code`` (500, 503, …) with a small HTML error page."""
        if not 400 <= code <= 599:
            raise ValueError(f"a status fault answers an error status, not {code}")
        return cls("status", times, status_code=code)

    @classmethod
    def timeout(cls, seconds: float, times: int | None = None) -> Fault:
        """Hold the answer back ``seconds`` (at most ``MAX_FAULT_DELAY``), then answer normally."""
        return cls("timeout", times, seconds=max(0.0, min(float(seconds), MAX_FAULT_DELAY)))

    @classmethod
    def truncated(cls, times: int | None = None) -> Fault:
        """200 whose Content-Length announces the whole body, but only half is sent before the close."""
        return cls("truncated", times)

    @classmethod
    def wrong_charset(cls, declared: str = "iso-8859-1", times: int | None = None) -> Fault:
        """Declare ``charset=declared``. Declaring latin-1 sends the UTF-8 body as it is; declaring UTF-8
        sends the body re-encoded as ISO-8859-1 (the other way round)."""
        return cls("wrong_charset", times, charset=declared.lower())

    @classmethod
    def redirect_loop(cls, to: str | None = None, times: int | None = None) -> Fault:
        """302 to the page itself, or to ``to`` (give ``to`` a fault back to this page for a two-URL loop).
        ``Location`` is the absolute public URL, as the real origin would send it."""
        return cls("redirect_loop", times, location=to)

    @classmethod
    def empty(cls, times: int | None = None) -> Fault:
        """200 with the page's headers and an empty body."""
        return cls("empty", times)


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
        fault = snapshot.take_fault(self.path)
        if fault is not None:
            handled = getattr(self, f"_fault_{fault.kind}")(route, fault, send_body)
            if handled:
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

    # -- faults: each answers (True) or lets the normal answer follow (False) ----------------------------

    def _fault_status(self, route: Route, fault: Fault, send_body: bool) -> bool:
        status = HTTPStatus(fault.status_code)
        self._send_message(status.value, status.phrase, f"{route.public_url} is failing.", send_body)
        return True

    def _fault_timeout(self, route: Route, fault: Fault, send_body: bool) -> bool:
        # Held back, then answered normally; a server stopping meanwhile closes the connection instead.
        if self.server.snapshot.wait(fault.seconds):
            self.close_connection = True
            return True
        return False

    def _fault_truncated(self, route: Route, fault: Fault, send_body: bool) -> bool:
        body = route.body
        self._send_page(route, 200, route.content_type, len(body), route.etag)
        if send_body:
            self.wfile.write(body[: len(body) // 2])
        self.close_connection = True  # the rest never comes: the client sees the connection close
        return True

    def _fault_wrong_charset(self, route: Route, fault: Fault, send_body: bool) -> bool:
        mime = route.content_type.split(";")[0].strip()
        body = route.body
        if fault.charset in _UTF8:  # "vice versa": the page says UTF-8, the bytes are latin-1
            body = body.decode("utf-8").encode("iso-8859-1", errors="replace")
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        self._send_page(route, 200, f"{mime}; charset={fault.charset}", len(body), etag)
        if send_body:
            self.wfile.write(body)
        return True

    def _fault_redirect_loop(self, route: Route, fault: Fault, send_body: bool) -> bool:
        self.server.snapshot.record(self.path, 302)
        self.send_response(302)
        self.send_header("Location", fault.location or route.public_url)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def _fault_empty(self, route: Route, fault: Fault, send_body: bool) -> bool:
        self._send_page(route, 200, route.content_type, 0, '"' + hashlib.sha256(b"").hexdigest()[:32] + '"')
        return True

    def _send_page(self, route: Route, status: int, content_type: str, length: int, etag: str) -> None:
        self.server.snapshot.record(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", route.last_modified_http)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

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

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (its timeout, a truncated answer) is normal here, not a server error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("client %s went away", client_address)
            return
        super().handle_error(request, client_address)


@dataclass
class SnapshotServer:
    """The snapshot on `http://{host}:{port}`; `port=0` picks a free port. Also a context manager."""

    root: Path = SITES_DIR
    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Route] = field(init=False, repr=False)
    stats: collections.Counter = field(init=False, repr=False, default_factory=collections.Counter)
    request_log: list[tuple[str, int]] = field(init=False, repr=False, default_factory=list)
    # Public URL -> its fault; read on every request. Set with set_fault, which also restarts its count.
    faults: dict[str, Fault] = field(init=False, repr=False, default_factory=dict)
    # (request path, fault kind) for every faulty answer, in order; stats counts them as "fault/{kind}".
    fault_log: list[tuple[str, str]] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.routes = load_routes(self.root)
        self._lock = threading.Lock()
        self._fault_hits: collections.Counter = collections.Counter()  # route key -> faulty answers given
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> SnapshotServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
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
        self._stopping.set()  # ends any answer a timeout fault is holding back
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
        """The route for a request target, or None (→ 404)."""
        key = request_key(target)
        return None if key is None else self.routes.get(key)

    # -- faults ------------------------------------------------------------------------------------------

    def set_fault(self, public_url: str, fault: Fault) -> None:
        """Make ``public_url`` (a page of the snapshot) misbehave from the next request on."""
        key = url_route_key(public_url)
        if key not in self.routes:
            raise KeyError(f"{public_url} is not in the snapshot; a fault needs a page to spoil")
        with self._lock:
            self.faults[public_url] = fault
            self._fault_hits[key] = 0

    def clear_faults(self, public_url: str | None = None) -> None:
        """Serve ``public_url`` (or every URL) normally again."""
        with self._lock:
            for url in [public_url] if public_url is not None else list(self.faults):
                self.faults.pop(url, None)
                self._fault_hits.pop(url_route_key(url), None)

    def take_fault(self, target: str) -> Fault | None:
        """The fault that answers this request, counted as served; None once its ``times`` are used up."""
        if not self.faults:
            return None
        key = request_key(target)
        with self._lock:
            for url, fault in self.faults.items():
                if url_route_key(url) != key:
                    continue
                if fault.times is not None and self._fault_hits[key] >= fault.times:
                    return None
                self._fault_hits[key] += 1
                self.stats[f"fault/{fault.kind}"] += 1
                self.fault_log.append((target, fault.kind))
                return fault
        return None

    def wait(self, seconds: float) -> bool:
        """Sleeps ``seconds`` (never beyond MAX_FAULT_DELAY); True if cut short because the server stops."""
        return self._stopping.wait(min(seconds, MAX_FAULT_DELAY))

    def record(self, path: str, status: int) -> None:
        with self._lock:
            self.stats[status] += 1
            self.request_log.append((path, status))

    def reset_stats(self) -> None:
        with self._lock:
            self.stats.clear()
            self.request_log.clear()
            self.fault_log.clear()


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
