"""The manifest's URL canonicalisation and file naming rule."""

import pytest

from scrapers.snapshot.manifest import (
    ManifestRow,
    canonical_query,
    check_rows,
    file_for_url,
    route_key,
    url_route_key,
)

HTML = "text/html; charset=utf-8"


def test_canonical_query_sorts_keeps_blanks_and_treats_comma_forms_alike():
    assert canonical_query("zt=&aj=2024") == "aj=2024&zt="
    assert canonical_query("target=zoek&ids=1%2C2") == canonical_query("ids=1,2&target=zoek")
    assert canonical_query("b=2&a=2&a=1") == "a=1&a=2&b=2"
    assert canonical_query("q=a+b") == canonical_query("q=a%20b")


def test_route_keys_fold_query_order_but_not_trailing_slashes():
    assert url_route_key("https://h.test/x?b=1&a=") == url_route_key("https://H.test/x?a=&b=1")
    assert route_key("h.test", "/x/") != route_key("h.test", "/x")
    assert route_key("h.test", "/a%7Eb") == route_key("h.test", "/a~b")


@pytest.mark.parametrize(
    ("url", "content_type", "expected"),
    [
        (
            "https://studiekiezer.ugent.be/2024/micro-credential-mycologie/programma",
            HTML,
            "studiekiezer.ugent.be/2024/micro-credential-mycologie/programma.html",
        ),
        (
            "https://studiekiezer.ugent.be/nl/zoek?zt=&aj=2024",
            HTML,
            "studiekiezer.ugent.be/nl/zoek@aj=2024&zt=.html",
        ),
        (
            "https://studiekiezer.ugent.be/robots.txt",
            "text/plain; charset=utf-8",
            "studiekiezer.ugent.be/robots.txt.txt",
        ),
        ("https://example.test/a/", HTML, "example.test/a/@index.html"),
        ("https://example.test/a/b@c", HTML, "example.test/a/b%40c.html"),
        ("https://example.test/data", "application/json", "example.test/data.json"),
    ],
)
def test_file_for_url_examples(url, content_type, expected):
    assert file_for_url(url, content_type) == expected


def test_long_queries_are_hashed_and_order_independent():
    ids = ",".join(str(100_000_000 + n) for n in range(20))
    name = file_for_url(f"https://studiekiezer.ugent.be/nl/incrementalsearch?target=zoek&ids={ids}", HTML)
    assert name.startswith("studiekiezer.ugent.be/nl/incrementalsearch@sha256-")
    assert len(name.rsplit("/", 1)[1]) < 60
    reordered = (
        f"https://studiekiezer.ugent.be/nl/incrementalsearch?ids={ids.replace(',', '%2C')}&target=zoek"
    )
    assert file_for_url(reordered, HTML) == name


def test_a_url_and_a_longer_url_under_it_get_distinct_files():
    rows = [
        ManifestRow(url, file_for_url(url, HTML), HTML, "2024-09-02T06:00:00Z")
        for url in ("https://h.test/slug/2022", "https://h.test/slug/programma/2022", "https://h.test/slug")
    ]
    check_rows(rows)  # does not raise


def test_check_rows_rejects_duplicates_and_file_directory_clashes():
    row = ManifestRow("https://h.test/a?x=1&y=2", "h.test/a.html", HTML, "2024-09-02T06:00:00Z")
    same_url = ManifestRow("https://h.test/a?y=2&x=1", "h.test/b.html", HTML, "2024-09-02T06:00:00Z")
    with pytest.raises(ValueError, match="same URL"):
        check_rows([row, same_url])
    clash = ManifestRow("https://h.test/c", "h.test/a.html/c.html", HTML, "2024-09-02T06:00:00Z")
    with pytest.raises(ValueError, match="directories"):
        check_rows([row, clash])
