"""The parse memo: a page answered 304 is replayed, not parsed; anything else is parsed."""

from __future__ import annotations

import dataclasses
import json

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from scrapers.memo import PARSE_INPUT, ParseMemo, input_digest
from scrapers.spiders.ugent import UGentSpider
from tests.conftest import SITES, snapshot_file


def ugent_listing_url() -> str:
    """An incremental-search chunk of the Ghent listing: it yields follow-up requests with card meta."""
    for line in (SITES / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "studiekiezer.ugent.be" in row["url"] and "incrementalsearch" in row["url"]:
            return row["url"]
    raise LookupError("no Ghent listing chunk in the snapshot")


class CountingSpider(UGentSpider):
    """The Ghent spider, counting how often a page is really parsed."""

    parsed = 0

    def parse_chunk(self, response):
        type(self).parsed += 1
        yield from super().parse_chunk(response)


@pytest.fixture
def spider(tmp_path):
    CountingSpider.parsed = 0
    spider = CountingSpider()
    spider.settings = Settings({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path)})
    return spider


def fetched(spider, url: str, status: int, *, fetched_at: str, body: bytes | None = None, meta=None):
    request = spider.request(url, meta=meta or {"academic_year": 2024})
    request.meta.update(server_status=status, fetched_at=fetched_at)
    body = snapshot_file(url).read_bytes() if body is None else body
    return HtmlResponse(url, body=body, request=request, status=200)


def strip_time(outputs):
    return [
        dataclasses.replace(o, fetched_at="") if dataclasses.is_dataclass(o) else (o.url, o.meta.get("card"))
        for o in outputs
    ]


def test_a_304_page_is_replayed_with_tonights_fetch_time(spider, tmp_path):
    url = ugent_listing_url()
    first = list(spider.parse_page(fetched(spider, url, 200, fetched_at="2026-11-22T02:00:00+00:00")))
    assert first and CountingSpider.parsed == 1
    spider.closed("finished")

    night_two = CountingSpider()
    night_two.settings = spider.settings
    again = list(night_two.parse_page(fetched(night_two, url, 304, fetched_at="2026-11-23T02:00:00+00:00")))
    assert CountingSpider.parsed == 1  # not parsed again
    assert strip_time(again) == strip_time(first)
    assert {o.fetched_at for o in again if dataclasses.is_dataclass(o)} <= {"2026-11-23T02:00:00+00:00"}
    requests = [o for o in again if isinstance(o, Request)]
    assert requests and all(r.callback == night_two.parse_page and r.meta[PARSE_INPUT] for r in requests)


@pytest.mark.parametrize(
    "change",
    ["status_200", "body", "inputs", "version"],
)
def test_anything_but_an_unchanged_304_is_parsed(spider, monkeypatch, change):
    url = ugent_listing_url()
    list(spider.parse_page(fetched(spider, url, 200, fetched_at="t1")))
    spider.closed("finished")
    night_two = CountingSpider()
    night_two.settings = spider.settings
    kwargs = {"fetched_at": "t2"}
    status = 304
    if change == "status_200":
        status = 200
    elif change == "body":
        kwargs["body"] = snapshot_file(url).read_bytes() + b"<!-- changed -->"
    elif change == "inputs":
        kwargs["meta"] = {"academic_year": 2023}
    else:
        monkeypatch.setattr("scrapers.spiders.base.SPIDER_VERSION", "9.9.9")
    list(night_two.parse_page(fetched(night_two, url, status, **kwargs)))
    assert CountingSpider.parsed == 2


def test_the_memo_keeps_only_what_the_last_crawl_used(tmp_path):
    path = tmp_path / "memo.pickle"
    memo = ParseMemo(path)
    memo.put(("a",), [1])
    memo.put(("b",), [2])
    memo.save()
    later = ParseMemo(path)
    assert later.get(("a",)) == [1]
    later.save()
    assert ParseMemo(path).get(("b",)) is None and ParseMemo(path).get(("a",)) == [1]


def test_a_damaged_memo_is_ignored(tmp_path):
    path = tmp_path / "memo.pickle"
    path.write_bytes(b"not a pickle")
    assert ParseMemo(path).get(("a",)) is None


def test_the_input_digest_ignores_key_order_and_sees_values():
    assert input_digest({"a": 1, "b": {"x": 2}}) == input_digest({"b": {"x": 2}, "a": 1})
    assert input_digest({"a": 1}) != input_digest({"a": 2})
