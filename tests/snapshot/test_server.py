"""The snapshot server answers like a real origin: status codes, validators, conditional GET, HEAD.

Every test talks real HTTP to 127.0.0.1 with urllib. Most use a tiny site written into a temporary
directory, so the expectations are stated here and not copied from the bundled pages.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scrapers.snapshot.manifest import ManifestRow, file_for_url, merge_manifest
from scrapers.snapshot.server import SnapshotServer

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
PAGES = {
    "https://example.test/a/page": (HTML, "<p>page</p>\n"),
    "https://example.test/a/page/child": (HTML, "<p>child – ü</p>\n"),
    "https://example.test/search?zt=&aj=2024&ids=1,2": (HTML, "<p>search</p>\n"),
    "https://example.test/robots.txt": (TEXT, "User-agent: *\nDisallow: /beheer/\n"),
}
LAST_MODIFIED_ISO = "2024-09-02T06:00:00Z"
LAST_MODIFIED_HTTP = "Mon, 02 Sep 2024 06:00:00 GMT"

# Never go through a proxy from the environment: the server is on loopback.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None, data: bytes | None = None):
    """(status, headers, body) for any status, including 304 and 4xx that urllib raises for."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with OPENER.open(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    rows = []
    for url, (content_type, text) in PAGES.items():
        relative = file_for_url(url, content_type)
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
        rows.append(ManifestRow(url, relative, content_type, LAST_MODIFIED_ISO))
    merge_manifest(tmp_path / "manifest.jsonl", "example.test", rows)
    return tmp_path


@pytest.fixture
def server(site: Path):
    with SnapshotServer(site) as running:
        yield running


def url(server: SnapshotServer, path: str) -> str:
    return f"{server.base_url}/example.test{path}"


def test_get_returns_the_file_with_its_headers(server: SnapshotServer):
    status, headers, body = fetch(url(server, "/a/page/child"))
    assert status == 200
    assert body == "<p>child – ü</p>\n".encode()
    assert headers["Content-Type"] == HTML
    assert headers["Content-Length"] == str(len(body))
    assert re.fullmatch(r'"[0-9a-f]{16,64}"', headers["ETag"])
    assert headers["Last-Modified"] == LAST_MODIFIED_HTTP
    assert headers["Cache-Control"] == "no-cache"


def test_content_type_comes_from_the_manifest(server: SnapshotServer):
    status, headers, body = fetch(url(server, "/robots.txt"))
    assert (status, headers["Content-Type"]) == (200, TEXT)
    assert body == b"User-agent: *\nDisallow: /beheer/\n"


def test_etag_is_stable_and_differs_between_bodies(server: SnapshotServer):
    first = fetch(url(server, "/a/page"))[1]["ETag"]
    again = fetch(url(server, "/a/page"))[1]["ETag"]
    other = fetch(url(server, "/a/page/child"))[1]["ETag"]
    assert first == again
    assert first != other


@pytest.mark.parametrize("form", ["{etag}", '"other", {etag}', "W/{etag}", "*"])
def test_if_none_match_gives_304_without_body(server: SnapshotServer, form: str):
    etag = fetch(url(server, "/a/page"))[1]["ETag"]
    status, headers, body = fetch(url(server, "/a/page"), headers={"If-None-Match": form.format(etag=etag)})
    assert status == 304
    assert body == b""
    assert headers["ETag"] == etag
    assert headers["Last-Modified"] == LAST_MODIFIED_HTTP


def test_if_none_match_that_does_not_match_wins_over_a_recent_date(server: SnapshotServer):
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": "Tue, 01 Jan 2030 00:00:00 GMT"}
    status, _, body = fetch(url(server, "/a/page"), headers=headers)
    assert status == 200
    assert body == b"<p>page</p>\n"


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (LAST_MODIFIED_HTTP, 304),
        ("Tue, 01 Jan 2030 00:00:00 GMT", 304),
        ("Sun, 01 Sep 2024 06:00:00 GMT", 200),
        ("not a date", 200),
    ],
)
def test_if_modified_since(server: SnapshotServer, since: str, expected: int):
    status, _, body = fetch(url(server, "/a/page"), headers={"If-Modified-Since": since})
    assert status == expected
    assert (body == b"") == (expected == 304)


@pytest.mark.parametrize(
    "path",
    [
        "/example.test/nowhere",
        "/example.test/a/page/",
        "/other.test/a/page",
        "/",
        "/example.test/search?aj=2024",
    ],
)
def test_unknown_urls_give_404_with_a_small_html_body(server: SnapshotServer, path: str):
    status, headers, body = fetch(server.base_url + path)
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert b"Not Found" in body


@pytest.mark.parametrize(
    "query",
    ["zt=&aj=2024&ids=1,2", "ids=1,2&aj=2024&zt=", "aj=2024&ids=1%2C2&zt=", "ids=1%2c2&zt&aj=2024"],
)
def test_query_order_and_comma_encoding_do_not_matter(server: SnapshotServer, query: str):
    status, _, body = fetch(url(server, f"/search?{query}"))
    assert (status, body) == (200, b"<p>search</p>\n")


def test_head_sends_headers_but_no_body(server: SnapshotServer):
    _, get_headers, get_body = fetch(url(server, "/a/page"))
    status, headers, body = fetch(url(server, "/a/page"), method="HEAD")
    assert status == 200
    assert body == b""
    assert headers["Content-Length"] == str(len(get_body))
    assert headers["ETag"] == get_headers["ETag"]
    assert fetch(url(server, "/missing"), method="HEAD")[0] == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_give_405(server: SnapshotServer, method: str):
    status, headers, _ = fetch(url(server, "/a/page"), method=method, data=b"x=1")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


def test_stats_count_statuses_and_log_requests(server: SnapshotServer):
    etag = fetch(url(server, "/a/page"))[1]["ETag"]
    fetch(url(server, "/a/page"), headers={"If-None-Match": etag})
    fetch(url(server, "/missing"))
    assert server.stats == {200: 1, 304: 1, 404: 1}
    assert server.request_log == [
        ("/example.test/a/page", 200),
        ("/example.test/a/page", 304),
        ("/example.test/missing", 404),
    ]
    server.reset_stats()
    assert not server.stats and not server.request_log


def test_concurrent_requests_are_all_answered_and_counted(server: SnapshotServer):
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: fetch(url(server, "/a/page"))[0], range(40)))
    assert statuses == [200] * 40
    assert server.stats[200] == 40


def test_loopback_and_public_urls_are_inverse(server: SnapshotServer):
    public = "https://studiekiezer.ugent.be/a/b?x=1"
    loopback = server.loopback_url(public)
    assert loopback == f"{server.base_url}/studiekiezer.ugent.be/a/b?x=1"
    assert server.public_url(loopback) == public


def test_routes_can_be_swapped_while_running(server: SnapshotServer):
    assert fetch(url(server, "/a/page"))[0] == 200
    server.routes = {}
    assert fetch(url(server, "/a/page"))[0] == 404


def test_stop_closes_the_port(site: Path):
    with SnapshotServer(site) as running:
        base = running.base_url
        assert fetch(f"{base}/example.test/a/page")[0] == 200
    with pytest.raises(urllib.error.URLError):
        fetch(f"{base}/example.test/a/page")


def test_bundled_snapshot_is_served_by_default():
    with SnapshotServer() as running:
        status, headers, body = fetch(running.loopback_url("https://studiekiezer.ugent.be/robots.txt"))
        assert (status, headers["Content-Type"]) == (200, TEXT)
        assert b"Disallow: /beheer/" in body
        page = "https://studiekiezer.ugent.be/2024/micro-credential-mycologie/programma"
        status, headers, body = fetch(running.loopback_url(page))
        assert status == 200
        assert b'data-code="CCMYCO"' in body
        assert headers["Last-Modified"] == LAST_MODIFIED_HTTP
        listing = running.loopback_url("https://studiekiezer.ugent.be/en/zoek?aj=2024&zt=")
        assert fetch(listing)[0] == 200


def test_server_header_names_the_snapshot_not_python(server: SnapshotServer):
    assert fetch(url(server, "/a/page"))[1]["Server"] == "microcred-snapshot/1"
