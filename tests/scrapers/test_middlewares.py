"""The charset repair, the issue it leaves, and the duplicate filter that lets a redirect loop fail loudly."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from scrapers.dupefilter import RedirectLoopDupeFilter
from scrapers.middlewares import CharsetIssueSpiderMiddleware, CharsetRepairMiddleware
from scrapers.spiders.uantwerpen import UAntwerpenSpider

URL = "https://www.uantwerpen.be/nl/studeren/aanbod/alle-opleidingen/micro-credential-x/studieprogramma/"
TITLE = "Micro-credential Industriële automatisering"


def page(body: bytes, content_type: bytes) -> tuple[Request, HtmlResponse]:
    request = Request(URL)
    return request, HtmlResponse(URL, body=body, headers={"Content-Type": content_type}, request=request)


@pytest.fixture
def repair():
    return CharsetRepairMiddleware(get_crawler().stats)


def title_html(encoding: str) -> bytes:
    return f'<html><head><meta charset="utf-8"></head><body><h1>{TITLE}</h1></body></html>'.encode(encoding)


@pytest.mark.parametrize("declared", [b"ISO-8859-1", b"windows-1252", b"latin1", b'"iso-8859-1"'])
def test_utf8_body_declared_as_a_single_byte_charset_is_read_as_utf8(repair, declared):
    request, response = page(title_html("utf-8"), b"text/html; charset=" + declared)
    assert "IndustriÃ«le" in response.text  # what the page would say without the repair
    repaired = repair.process_response(request, response)
    assert repaired.xpath("string(//h1)").get() == TITLE
    assert repaired.body == response.body  # the bytes (and their SHA-256) are what the server sent
    assert repaired.headers[b"Content-Type"].lower().endswith(b"utf-8" + (b'"' if b'"' in declared else b""))
    assert request.meta["charset_repaired"] == declared.strip(b'"').decode()
    assert repair.stats.get_value("microcred/charset_repaired") == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (title_html("latin-1"), b"text/html; charset=ISO-8859-1"),  # really Latin-1: not valid UTF-8
        (b"<html><body><h1>Plain ASCII</h1></body></html>", b"text/html; charset=ISO-8859-1"),
        (title_html("utf-8"), b"text/html; charset=utf-8"),  # declared right
        (title_html("utf-8"), b"text/html"),  # nothing declared: Scrapy reads the meta tag
    ],
)
def test_everything_else_is_left_as_served(repair, body, content_type):
    request, response = page(body, content_type)
    assert repair.process_response(request, response) is response
    assert "charset_repaired" not in request.meta


def test_a_repaired_page_leaves_a_charset_mismatch_issue_after_its_items():
    spider = UAntwerpenSpider()
    request, response = page(title_html("utf-8"), b"text/html; charset=ISO-8859-1")
    CharsetRepairMiddleware(get_crawler().stats).process_response(request, response)
    out = list(CharsetIssueSpiderMiddleware().process_spider_output(response, iter(["item"]), spider))
    assert out[0] == "item"
    [issue] = out[1:]
    assert (issue.reason, issue.page_kind, issue.source_url) == ("charset_mismatch", "study_programme", URL)
    assert "ISO-8859-1" in issue.detail


def test_an_unrepaired_page_gets_no_issue():
    spider = UAntwerpenSpider()
    _, response = page(title_html("utf-8"), b"text/html; charset=utf-8")
    assert list(CharsetIssueSpiderMiddleware().process_spider_output(response, iter(["item"]), spider)) == [
        "item"
    ]


def test_a_redirect_back_into_its_own_chain_is_not_a_duplicate():
    dupefilter = RedirectLoopDupeFilter()
    first = Request(URL)
    assert not dupefilter.request_seen(first)
    looped = Request(URL, meta={"redirect_urls": [URL], "redirect_times": 1})
    assert not dupefilter.request_seen(looped)  # followed, so the redirect limit ends it with an error
    elsewhere = "https://www.uantwerpen.be/en/"
    assert not dupefilter.request_seen(Request(elsewhere))
    # A redirect to a page already harvested in its own right is still a duplicate.
    assert dupefilter.request_seen(Request(elsewhere, meta={"redirect_urls": [URL], "redirect_times": 1}))
    assert dupefilter.request_seen(Request(URL))


def test_every_card_a_detail_page_is_offered_reaches_the_revisit_policy(tmp_path):
    """A programme on two listings is offered both cards, whichever request the duplicate filter keeps."""
    from scrapers.middlewares import RevisitOfferSpiderMiddleware
    from scrapers.revisit import RevisitPolicy

    spider = UAntwerpenSpider()
    spider._revisit = RevisitPolicy(None)
    root = "https://www.uantwerpen.be/nl/studeren/aanbod/alle-opleidingen/micro-credential-x/"
    outputs = [
        spider.follow(root, spider.parse_programme_root, card={"title": "Micro-credential X"}),
        spider.follow(root, spider.parse_programme_root, card={"title": "Micro-credential X (nieuw)"}),
        spider.follow("https://www.uantwerpen.be/nl/studeren/aanbod/", spider.parse_listing),  # a listing
    ]
    passed = list(RevisitOfferSpiderMiddleware().process_spider_output(None, iter(outputs), spider))
    assert passed == outputs  # offered, not filtered
    cards = {request.meta["parse_input"] for request in outputs[:2]}
    assert len(cards) == 2 and spider.revisit.offered == {root: cards}
