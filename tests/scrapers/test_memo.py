"""The parse memo: a page answered 304 is replayed, not parsed; anything else is parsed."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import importlib.util
import json
import pickle
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from scrapers.memo import PARSE_INPUT, FollowUp, ParseMemo, input_digest
from scrapers.middlewares import ParseMemoMiddleware
from scrapers.spiders import ugent
from scrapers.spiders.base import code_version
from scrapers.spiders.ugent import UGentSpider
from tests.conftest import SITES, snapshot_file


def ugent_listing_url() -> str:
    """An incremental-search chunk of the Ghent listing: it yields follow-up requests with card context."""
    for line in (SITES / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "studiekiezer.ugent.be" in row["url"] and "incrementalsearch" in row["url"]:
            return row["url"]
    raise LookupError("no Ghent listing chunk in the snapshot")


MYCOLOGY = "https://studiekiezer.ugent.be/2024/micro-credential-mycologie/programma"


class CountingSpider(UGentSpider):
    """The Ghent spider, counting how often a page is really parsed (the callback's body runs)."""

    parsed = 0

    def parse_chunk(self, response):
        type(self).parsed += 1
        yield from super().parse_chunk(response)

    def parse_programme(self, response, card=None):
        type(self).parsed += 1
        yield from super().parse_programme(response, card=card)


@pytest.fixture
def spider(tmp_path):
    CountingSpider.parsed = 0
    return night(CountingSpider, Settings({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path)}))


def night(spider_class, settings):
    """A spider of ``spider_class`` in a crawl of its own (stats, the memo middleware), as one night makes it."""
    crawler = get_crawler(spider_class)
    spider = spider_class()
    spider.settings = settings
    spider.crawler = crawler
    crawler.spider = spider
    return spider


def fetched(
    spider, url: str, status: int, *, fetched_at: str, body: bytes | None = None, callback=None, **context
):
    request = spider.follow(url, callback or spider.parse_chunk, **context)
    request.meta.update(server_status=status, fetched_at=fetched_at)
    body = snapshot_file(url).read_bytes() if body is None else body
    return HtmlResponse(url, body=body, request=request, status=200)


def through_memo(spider, response) -> list:
    """What Scrapy makes of the page: its callback, run through the parse-memo spider middleware."""
    request = response.request
    middleware = ParseMemoMiddleware.from_crawler(spider.crawler)
    return list(middleware.process_spider_output(response, request.callback(response, **request.cb_kwargs)))


def strip_time(outputs):
    return [
        dataclasses.replace(o, fetched_at="", last_verified_at="")
        if dataclasses.is_dataclass(o)
        else (o.url, o.cb_kwargs.get("card"))
        for o in outputs
    ]


def test_a_304_page_is_replayed_with_tonights_fetch_time(spider, tmp_path):
    url = ugent_listing_url()
    first = through_memo(spider, fetched(spider, url, 200, fetched_at="2026-11-22T02:00:00+00:00"))
    assert first and CountingSpider.parsed == 1
    spider.closed("finished")

    night_two = night(CountingSpider, spider.settings)
    again = through_memo(night_two, fetched(night_two, url, 304, fetched_at="2026-11-23T02:00:00+00:00"))
    assert CountingSpider.parsed == 1  # not parsed again
    assert strip_time(again) == strip_time(first)
    assert {o.fetched_at for o in again if dataclasses.is_dataclass(o)} <= {"2026-11-23T02:00:00+00:00"}
    requests = [o for o in again if isinstance(o, Request)]
    # Replayed requests go to the same callback of tonight's spider, with their context and its digest.
    assert requests and all(r.callback == night_two.parse_programme and r.meta[PARSE_INPUT] for r in requests)
    assert all(
        r.errback == night_two.on_error and r.cb_kwargs["card"]["listing_url"] == url for r in requests
    )


@pytest.mark.parametrize(
    "change",
    ["status_200", "body", "inputs"],
)
def test_anything_but_an_unchanged_304_is_parsed(spider, change):
    card = {"listing_title": "Micro-credential Mycologie", "credits_raw": "1 year | 5 credits"}
    through_memo(
        spider, fetched(spider, MYCOLOGY, 200, fetched_at="t1", callback=spider.parse_programme, card=card)
    )
    spider.closed("finished")
    night_two = night(CountingSpider, spider.settings)
    kwargs = {"fetched_at": "t2", "callback": night_two.parse_programme, "card": card}
    status = 304
    if change == "status_200":
        status = 200
    elif change == "body":
        kwargs["body"] = snapshot_file(MYCOLOGY).read_bytes() + b"<!-- changed -->"
    else:
        kwargs["card"] = {**card, "credits_raw": "1 year | 6 credits"}  # the listing card changed
    list(through_memo(night_two, fetched(night_two, MYCOLOGY, status, **kwargs)))
    assert CountingSpider.parsed == 2


def test_an_unchanged_304_programme_with_the_same_card_is_replayed(spider):
    card = {"listing_title": "Micro-credential Mycologie", "credits_raw": "1 year | 5 credits"}
    first = through_memo(
        spider, fetched(spider, MYCOLOGY, 200, fetched_at="t1", callback=spider.parse_programme, card=card)
    )
    spider.closed("finished")
    night_two = night(CountingSpider, spider.settings)
    again = through_memo(
        night_two,
        fetched(night_two, MYCOLOGY, 304, fetched_at="t2", callback=night_two.parse_programme, card=card),
    )
    assert CountingSpider.parsed == 1 and strip_time(again) == strip_time(first)


def edited_copy(tmp_path: Path, name: str, edit) -> type:
    """The Ghent spider loaded from a copy of its module, edited by ``edit`` (source text -> source text)."""
    source = Path(ugent.__file__).read_text(encoding="utf-8")
    path = tmp_path / f"{name}.py"
    path.write_text(edit(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # where code_version finds a class's source, as for any imported module
    spec.loader.exec_module(module)
    return module.UGentSpider


def test_any_change_to_the_spiders_code_is_a_memo_miss_and_the_same_code_replays(tmp_path, monkeypatch):
    """The memo is keyed on the code itself: an edit that only adds a comment is already a miss (no version
    number to forget), while the same code, even loaded from another file, replays."""
    for name in ("ugent_same_code", "ugent_edited_code"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    same = edited_copy(tmp_path, "ugent_same_code", lambda text: text)
    edited = edited_copy(tmp_path, "ugent_edited_code", lambda text: text + "\n# a comment is a change too\n")
    assert code_version(same) == code_version(UGentSpider) != code_version(edited)

    settings = Settings({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path / "cache")})
    url = ugent_listing_url()
    for night_two_class, replayed in ((same, 1), (edited, 0)):
        first = night(UGentSpider, settings)
        through_memo(first, fetched(first, url, 200, fetched_at="t1"))
        first.closed("finished")
        second = night(night_two_class, settings)
        through_memo(second, fetched(second, url, 304, fetched_at="t2"))
        stats = second.crawler.stats.get_stats()
        assert stats.get("microcred/parse_memo/replayed", 0) == replayed
        assert stats.get("microcred/parse_memo/parsed", 0) == 1 - replayed


def test_the_memo_keeps_only_what_the_last_crawl_used(tmp_path):
    path = tmp_path / "ugent.parse-memo.jsonl"
    memo = ParseMemo(path)
    memo.put(("a",), [FollowUp("https://x/a", "parse_programme", {"card": {"n": 1}})])
    memo.put(("b",), [FollowUp("https://x/b", "parse_programme", {})])
    memo.save()
    later = ParseMemo(path)
    assert later.get(("a",)) == [FollowUp("https://x/a", "parse_programme", {"card": {"n": 1}})]
    later.save()
    assert ParseMemo(path).get(("b",)) is None and ParseMemo(path).get(("a",)) == [
        FollowUp("https://x/a", "parse_programme", {"card": {"n": 1}})
    ]


def saved_memo(spider) -> Path:
    """Night 1 of the Ghent listing chunk, parsed and saved: the memo file."""
    through_memo(spider, fetched(spider, ugent_listing_url(), 200, fetched_at="t1"))
    spider.closed("finished")
    return spider.memo.path


def night_two_parses(spider) -> tuple[int, dict]:
    """Night 2 with a 304 for the same chunk: how often it was really parsed, and the crawl stats."""
    night_two = night(CountingSpider, spider.settings)
    through_memo(night_two, fetched(night_two, ugent_listing_url(), 304, fetched_at="t2"))
    return CountingSpider.parsed, night_two.crawler.stats.get_stats()


def test_the_memo_is_json_lines_with_its_own_checksum(spider):
    path = saved_memo(spider)
    assert path.name == "ugent.parse-memo.jsonl"
    header, *entries = [json.loads(line) for line in path.read_bytes().splitlines()]
    rest = path.read_bytes().partition(b"\n")[2]
    assert header == {
        "format": "microcred-parse-memo/2",
        "entries": 1,
        "sha256": hashlib.sha256(rest).hexdigest(),
    }
    [entry] = entries
    kinds = {o.get("item") or "follow" for o in entry["outputs"]}
    assert "follow" in kinds  # the chunk's follow-up requests, with their callback and card as plain JSON
    follow = next(o for o in entry["outputs"] if "follow" in o)
    assert follow["callback"] == "parse_programme" and follow["cb_kwargs"]["card"]["listing_title"]
    assert night_two_parses(spider)[0] == 1  # and it replays


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbled", "not_a_memo", "empty"],
)
def test_a_damaged_memo_is_recorded_and_ignored(spider, damage, caplog):
    path = saved_memo(spider)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "garbled":
        # One character of a follow-up URL changed: still valid JSON, and would replay a wrong request.
        at = raw.index(b"https://", raw.index(b"\n"))
        path.write_bytes(raw[: at + 8] + b"X" + raw[at + 9 :])
    elif damage == "not_a_memo":
        path.write_bytes(b"not a memo")
    else:
        path.write_bytes(b"")
    parsed, stats = night_two_parses(spider)
    assert parsed == 2  # ignored: the page was parsed again
    assert stats["microcred/parse_memo/damaged"] == 1
    assert str(path) in caplog.text


class MarkerPickle:
    """Unpickling this runs ``open(marker, "w")``: the way a crafted pickle runs code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_pickle_era_memo_is_never_unpickled_and_is_removed(spider, tmp_path):
    marker = tmp_path / "executed"
    legacy = tmp_path / "ugent.parse-memo.pickle"
    legacy.write_bytes(pickle.dumps(MarkerPickle(marker)))
    pickle.loads(legacy.read_bytes()).close()  # the crafted file does run code when unpickled...
    assert marker.exists()
    marker.unlink()
    parsed, stats = night_two_parses(spider)  # ... but the memo never unpickles it
    assert not marker.exists()
    assert not legacy.exists()
    assert stats["microcred/parse_memo/legacy_pickle_removed"] == 1
    assert parsed == 1  # no memo: the page was parsed


def test_a_memo_naming_a_class_it_may_not_use_is_not_replayed(spider, tmp_path):
    path = saved_memo(spider)
    header, *entries = path.read_bytes().splitlines()
    entry = json.loads(entries[0])
    entry["outputs"] = [{"item": "os.system", "fields": {"command": f"touch {tmp_path / 'executed'}"}}]
    lines = json.dumps(entry).encode() + b"\n"
    header = {"format": "microcred-parse-memo/2", "entries": 1, "sha256": hashlib.sha256(lines).hexdigest()}
    path.write_bytes(json.dumps(header).encode() + b"\n" + lines)
    parsed, _ = night_two_parses(spider)
    assert parsed == 2 and not (tmp_path / "executed").exists()


def test_a_page_that_requests_a_callback_of_no_spider_is_parsed_again_not_replayed(spider):
    """A follow-up whose callback is not one of the spider's own could not be made again from the memo."""
    url = ugent_listing_url()
    response = fetched(spider, url, 200, fetched_at="t1")
    foreign = Request("https://studiekiezer.ugent.be/elsewhere", callback=print)
    list(ParseMemoMiddleware.from_crawler(spider.crawler).process_spider_output(response, iter([foreign])))
    assert spider.crawler.stats.get_value("microcred/parse_memo/not_storable") == 1
    assert len(spider.memo) == 0


def test_outputs_without_an_exact_json_form_are_not_stored(tmp_path):
    memo = ParseMemo(tmp_path / "m.parse-memo.jsonl")
    memo.put(
        ("tuple",), [FollowUp("https://x/", "parse_programme", {"pair": (1, 2)})]
    )  # would come back as a list
    memo.put(("other",), ["a bare string"])
    assert memo.get(("tuple",)) is None and memo.get(("other",)) is None and len(memo) == 0


def test_a_full_disk_keeps_the_previous_memo(tmp_path, monkeypatch):
    path = tmp_path / "m.parse-memo.jsonl"
    first = ParseMemo(path)
    first.put(("a",), [FollowUp("https://x/a", "parse_programme", {})])
    first.save()
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("scrapers.memo.atomic_write", full)
    crawler = get_crawler()
    second = ParseMemo(path, stats=crawler.stats)
    second.put(("b",), [FollowUp("https://x/b", "parse_programme", {})])
    second.save()  # no exception: the crawl's outcome does not depend on the memo
    assert path.read_bytes() == before
    assert crawler.stats.get_value("microcred/parse_memo/not_saved") == 1


def test_the_input_digest_ignores_key_order_and_sees_values():
    assert input_digest({"a": 1, "b": {"x": 2}}) == input_digest({"b": {"x": 2}, "a": 1})
    assert input_digest({"a": 1}) != input_digest({"a": 2})


def test_the_input_digest_is_canonical_json_not_pickle():
    """Independent of dict order at every level, and equal to SHA-256 of the sorted compact JSON."""
    meta = {"card": {"b": [1, "é"], "a": None}, "academic_year": 2024}
    expected = hashlib.sha256(b'{"academic_year":2024,"card":{"a":null,"b":[1,"\xc3\xa9"]}}').hexdigest()
    assert input_digest(meta) == expected


def test_where_an_input_was_found_is_not_part_of_it():
    """Two listings offering the same card give one input; any other difference is still a different input."""
    from scrapers.memo import input_digest

    ignore = frozenset({"listing_url"})
    english = {"card": {"listing_title": "Data Analysis with R", "listing_url": "https://x/en/"}}
    dutch = {"card": {"listing_title": "Data Analysis with R", "listing_url": "https://x/nl/"}}
    renamed = {"card": {"listing_title": "Data Analysis in R", "listing_url": "https://x/en/"}}
    assert input_digest(english, ignore=ignore) == input_digest(dutch, ignore=ignore)
    assert input_digest(english, ignore=ignore) != input_digest(renamed, ignore=ignore)
    assert input_digest(english) != input_digest(dutch)
