"""Fault injection in the snapshot server, seen on the wire: status, headers and the bytes actually sent.

A tiny site in a temporary directory, real HTTP on 127.0.0.1 (urllib, or a raw socket where urllib would
hide what came over the wire). What a crawl makes of each fault is in tests/end_to_end/test_nights.py.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scrapers.snapshot.manifest import ManifestRow, file_for_url, merge_manifest
from scrapers.snapshot.server import MAX_FAULT_DELAY, Fault, Route, SnapshotServer

HTML = "text/html; charset=utf-8"
PAGE = "https://example.test/opleiding/"
OTHER = "https://example.test/andere/"
BODY = "<!DOCTYPE html>\n<html><body><h1>Industriële automatisering – €\u00a0638</h1></body></html>\n"
PAGES = {PAGE: BODY, OTHER: "<p>other</p>\n"}

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 3xx back as it came


NO_REDIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 5, opener=OPENER):
    """(status, headers, body) for any status, including the 3xx/4xx/5xx that urllib raises for."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def raw_get(server: SnapshotServer, public_url: str) -> tuple[bytes, bytes]:
    """(head, body bytes) of one GET read off the socket until the server closes it."""
    path = server.loopback_url(public_url).removeprefix(server.base_url)
    with socket.create_connection((server.host, server.port_bound), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def header(head: bytes, name: str) -> str | None:
    for line in head.decode("latin-1").split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


@pytest.fixture
def server(tmp_path: Path):
    rows = []
    for url, text in PAGES.items():
        relative = file_for_url(url, HTML)
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
        rows.append(ManifestRow(url, relative, HTML, "2025-09-01T06:00:00Z"))
    merge_manifest(tmp_path / "manifest.jsonl", "example.test", rows)
    with SnapshotServer(tmp_path) as running:
        yield running


def test_status_fault_answers_the_error_n_times_then_the_page(server: SnapshotServer):
    server.set_fault(PAGE, Fault.status(503, times=2))
    url = server.loopback_url(PAGE)
    answers = [fetch(url) for _ in range(3)]
    assert [status for status, _, _ in answers] == [503, 503, 200]
    status, headers, body = answers[0]
    assert headers["Content-Type"] == HTML and b"503 Service Unavailable" in body
    assert "ETag" not in headers  # an error page carries no validators of the page
    assert answers[2][2] == BODY.encode()
    assert server.stats["fault/status"] == 2 and server.stats[503] == 2 and server.stats[200] == 1
    path = url.removeprefix(server.base_url)
    assert server.fault_log == [(path, "status"), (path, "status")]
    assert server.request_log == [(path, 503), (path, 503), (path, 200)]


def test_status_fault_without_times_never_recovers_and_clear_restores(server: SnapshotServer):
    server.set_fault(PAGE, Fault.status(500))
    url = server.loopback_url(PAGE)
    assert [fetch(url)[0] for _ in range(5)] == [500] * 5
    assert fetch(server.loopback_url(OTHER))[0] == 200  # other pages are not touched
    server.clear_faults(PAGE)
    assert fetch(url)[0] == 200 and not server.faults


def test_status_fault_pre_empts_conditional_get(server: SnapshotServer):
    url = server.loopback_url(PAGE)
    etag = fetch(url)[1]["ETag"]
    server.set_fault(PAGE, Fault.status(500, times=1))
    assert fetch(url, {"If-None-Match": etag})[0] == 500
    assert fetch(url, {"If-None-Match": etag})[0] == 304


def test_timeout_fault_holds_the_answer_back_then_answers(server: SnapshotServer):
    server.set_fault(PAGE, Fault.timeout(1.0))
    url = server.loopback_url(PAGE)
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(url, timeout=0.3)  # a client with a shorter timeout gives up
    started = time.monotonic()
    status, _, body = fetch(url, timeout=5)  # a patient one gets the page, late
    assert time.monotonic() - started >= 0.9
    assert (status, body) == (200, BODY.encode())
    assert server.stats["fault/timeout"] == 2


def test_timeout_is_bounded_and_stop_does_not_wait_for_it(tmp_path: Path, server: SnapshotServer):
    assert Fault.timeout(600).seconds == MAX_FAULT_DELAY
    server.set_fault(PAGE, Fault.timeout(600))
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(server.loopback_url(PAGE), timeout=0.2)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2


def test_truncated_fault_announces_more_bytes_than_it_sends(server: SnapshotServer):
    server.set_fault(PAGE, Fault.truncated())
    head, body = raw_get(server, PAGE)
    assert head.startswith(b"HTTP/1.1 200")
    announced = int(header(head, "Content-Length"))
    assert announced == len(BODY.encode()) and 0 < len(body) < announced
    assert BODY.encode().startswith(body)
    with pytest.raises(Exception, match="IncompleteRead|incomplete"):
        fetch(server.loopback_url(PAGE))
    assert server.stats["fault/truncated"] == 2


def test_wrong_charset_declares_latin1_for_utf8_bytes(server: SnapshotServer):
    server.set_fault(PAGE, Fault.wrong_charset())
    status, headers, body = fetch(server.loopback_url(PAGE))
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert body == BODY.encode("utf-8")  # the bytes are UTF-8 all the same
    # A reader that trusts the header gets mojibake.
    assert "Industriële" not in body.decode(headers.get_content_charset())


def test_wrong_charset_the_other_way_round(server: SnapshotServer):
    server.set_fault(PAGE, Fault.wrong_charset("utf-8"))
    status, headers, body = fetch(server.loopback_url(PAGE))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == BODY.encode("iso-8859-1", errors="replace")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    # The bytes differ from the page's, and so does the ETag.
    assert headers["ETag"] != fetch(server.loopback_url(OTHER))[1]["ETag"]


def test_redirect_loop_to_itself(server: SnapshotServer):
    server.set_fault(PAGE, Fault.redirect_loop())
    status, headers, body = fetch(server.loopback_url(PAGE), opener=NO_REDIRECT)
    assert status == 302 and body == b""
    assert headers["Location"] == PAGE  # the public URL, as the origin would write it
    assert server.stats[302] == 1 and server.stats["fault/redirect_loop"] == 1


def test_redirect_loop_between_two_urls(server: SnapshotServer):
    server.set_fault(PAGE, Fault.redirect_loop(to=OTHER))
    server.set_fault(OTHER, Fault.redirect_loop(to=PAGE))
    assert fetch(server.loopback_url(PAGE), opener=NO_REDIRECT)[1]["Location"] == OTHER
    assert fetch(server.loopback_url(OTHER), opener=NO_REDIRECT)[1]["Location"] == PAGE


def test_empty_fault_is_a_200_without_a_body(server: SnapshotServer):
    server.set_fault(PAGE, Fault.empty(times=1))
    status, headers, body = fetch(server.loopback_url(PAGE))
    assert (status, body, headers["Content-Length"]) == (200, b"", "0")
    assert headers["Content-Type"] == HTML and headers["ETag"]
    assert fetch(server.loopback_url(PAGE))[2] == BODY.encode()


def test_faults_need_a_page_of_the_snapshot(server: SnapshotServer):
    with pytest.raises(KeyError):
        server.set_fault("https://example.test/nowhere", Fault.empty())
    with pytest.raises(ValueError):
        Fault.status(200)


def test_in_memory_routes_are_served_with_their_own_validators(server: SnapshotServer):
    later = dt.datetime(2025, 10, 6, 6, 0, tzinfo=dt.UTC)
    key = next(k for k, r in server.routes.items() if r.public_url == PAGE)
    old_etag = server.routes[key].etag
    server.routes[key] = Route.in_memory(PAGE, b"<p>new</p>", HTML, later)
    status, headers, body = fetch(server.loopback_url(PAGE), {"If-None-Match": old_etag})
    assert (status, body) == (200, b"<p>new</p>")
    assert headers["Last-Modified"] == "Mon, 06 Oct 2025 06:00:00 GMT" and headers["ETag"] != old_etag
