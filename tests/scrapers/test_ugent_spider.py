"""The Ghent spider's parse callbacks on saved snapshot pages (no network, no reactor)."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from scrapers.items import CourseUnitItem, HarvestIssue, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.ugent import UGentSpider, course_sheet_url, programme_url
from tests.conftest import reference_catalogue, snapshot_file

HOST = "https://studiekiezer.ugent.be"


def response_for(url: str, body: bytes | None = None, cb_kwargs: dict | None = None) -> HtmlResponse:
    body = snapshot_file(url).read_bytes() if body is None else body
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url, cb_kwargs=cb_kwargs or {}))


def run(url: str, **kwargs) -> list:
    return list(UGentSpider().parse(response_for(url, **kwargs)))


def test_programme_url_handles_both_url_eras():
    assert (
        programme_url(f"{HOST}/2024/micro-credential-mycologie")
        == f"{HOST}/2024/micro-credential-mycologie/programma"
    )
    assert (
        programme_url(f"{HOST}/micro-credential-swahili/2022")
        == f"{HOST}/micro-credential-swahili/programma/2022"
    )
    assert programme_url(f"{HOST}/nl/zoek") is None
    assert course_sheet_url("C004446", 2024, "en") == f"{HOST}/2024/studiefiche/en/C004446"
    assert course_sheet_url("C004446", 2022, "nl") == f"{HOST}/studiefiche/nl/C004446/2022"


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_listing_and_chunks_lead_to_exactly_the_real_micro_credentials(year):
    listing = run(f"{HOST}/en/zoek?zt=&aj={year}")
    assert listing and all(isinstance(r, Request) for r in listing)
    programme_requests = []
    for chunk in listing:
        programme_requests += [r for r in run(chunk.url) if isinstance(r, Request)]
    expected = {r["url"] for r in reference_catalogue(year)}
    assert {r.url for r in programme_requests} == expected
    assert len(programme_requests) == len(expected)
    # Card credits travel with the request, exactly as printed ("1 year | N credits").
    assert all(r.cb_kwargs["card"]["credits_raw"].startswith("1 year | ") for r in programme_requests)


def test_dutch_listing_cards_are_followed_too():
    listing = run(f"{HOST}/nl/zoek?zt=&aj=2024")
    cards = [r for chunk in listing for r in run(chunk.url) if isinstance(r, Request)]
    assert len(cards) == 79
    assert all("studiepunten" in r.cb_kwargs["card"]["credits_raw"] for r in cards)


def test_programme_page_yields_programme_rows_and_course_sheet_requests():
    record = next(r for r in reference_catalogue(2024) if r["id"] == "FCBAEC")
    results = run(record["url"], cb_kwargs={"card": {"credits_raw": "1 year | 20 credits"}})
    programme = [r for r in results if isinstance(r, ProgrammeItem)]
    rows = [r for r in results if isinstance(r, ProgrammeCourseItem)]
    sheets = [r for r in results if isinstance(r, Request)]
    assert len(programme) == 1
    assert programme[0].source_code == "FCBAEC"
    assert programme[0].credits_raw == "1 year | 20 credits"
    assert programme[0].source_url == record["url"]
    assert programme[0].academic_year_raw == "2024"
    offered = [r for r in rows if r.offered]
    assert [r.course_code for r in offered] == record["courses"]
    assert [r.credits_raw.replace(",0", "") for r in offered] == [str(e) for e in record["ects"]]
    assert {r.url for r in sheets} >= {course_sheet_url(c, 2024, "nl") for c in record["courses"]}


def test_not_offered_rows_are_kept_and_marked():
    """Every tr.nietaangeboden on a page (counted with lxml, independently) gives a row with offered=False."""
    not_offered_total = 0
    for record in reference_catalogue(2024):
        tree = lxml.html.fromstring(snapshot_file(record["url"]).read_bytes())
        expected = len(tree.xpath("//tr[contains(@class, 'nietaangeboden')]"))
        rows = [r for r in run(record["url"]) if isinstance(r, ProgrammeCourseItem)]
        assert sum(not r.offered for r in rows) == expected
        not_offered_total += expected
    assert not_offered_total >= 1


def test_course_sheet_fields_are_raw_strings():
    # English-taught programmes (slug ending in -en) link the English course sheets.
    record = next(r for r in reference_catalogue(2024) if r["id"] == "FCPUPO")
    url = course_sheet_url(record["courses"][0], 2024, "en")
    [unit] = run(url)
    assert isinstance(unit, CourseUnitItem)
    assert unit.code == record["courses"][0]
    assert unit.name == record["courses_names"][0]
    assert unit.credits_raw and unit.hours_raw and unit.languages_raw
    assert unit.sheet_language == "en"
    assert unit.academic_year_raw == "2024"


def test_broken_pages_give_recorded_issues_not_crashes():
    url = f"{HOST}/2024/micro-credential-mycologie/programma"
    [issue] = run(url, body=b"<html><body><h1>Onderhoud</h1><p>Even geduld")
    assert isinstance(issue, HarvestIssue) and issue.reason == "missing_title_or_code"
    [issue] = run(f"{HOST}/en/zoek?zt=&aj=2024", body=b"<html><body>new layout</body></html>")
    assert issue.reason == "no_lazy_loaded_chunks"
    [issue] = run(f"{HOST}/2024/studiefiche/nl/C000001", body=b"\xff\xfe garbage <<<")
    assert issue.reason == "missing_title_or_code"


def test_all_snapshot_programme_pages_parse_without_issues():
    kinds = Counter()
    for year in (2022, 2023, 2024):
        for record in reference_catalogue(year):
            for result in run(record["url"]):
                kinds[type(result).__name__] += 1
    assert kinds["HarvestIssue"] == 0
    assert kinds["ProgrammeItem"] == 31 + 71 + 79


# -- the programme-code URL form (/{year}/{lang}/afstudeerrichting/{CODE}) and study-guide semester codes ---


MYCOLOGY = f"{HOST}/2024/micro-credential-mycologie/programma"


def test_programme_code_urls_route_like_programme_pages():
    by_code = f"{HOST}/2024/en/afstudeerrichting/CCMYCO"
    assert UGentSpider().callback_for(by_code).__name__ == "parse_programme"
    assert (
        UGentSpider().callback_for(f"{HOST}/2024/nl/afstudeerrichting/CCMYCO/").__name__ == "parse_programme"
    )
    # A card that links the code form is followed to that page itself.
    assert programme_url(by_code) == by_code


def test_a_programme_page_served_under_its_code_url_gives_the_same_records():
    body = snapshot_file(MYCOLOGY).read_bytes()
    code = lxml.html.fromstring(body).xpath("//h1[@id='titleLabel']/@data-code")[0]
    by_code = f"{HOST}/2024/en/afstudeerrichting/{code}"
    slug_form, code_form = run(MYCOLOGY, body=body), run(by_code, body=body)
    [programme] = [r for r in code_form if isinstance(r, ProgrammeItem)]
    assert (programme.source_code, programme.academic_year_raw) == (code, "2024")
    assert programme.page_language == "en"  # the URL says so, whatever the table heading's language
    rows = [r for r in code_form if isinstance(r, ProgrammeCourseItem)]
    assert [r.course_code for r in rows] == [
        r.course_code for r in slug_form if isinstance(r, ProgrammeCourseItem)
    ]
    sheets = [r.url for r in code_form if isinstance(r, Request)]
    assert sheets and all(url.startswith(f"{HOST}/2024/studiefiche/en/") for url in sheets)
    assert not [r for r in code_form if isinstance(r, HarvestIssue)]


def test_study_guide_semester_codes_are_carried_as_printed():
    # The studiegids legend: 3 = the summer period, a letter = one of several offerings, (n) = not offered.
    html = snapshot_file(MYCOLOGY).read_text(encoding="utf-8")
    cells = html.count('<td class="semester">')
    assert cells >= 1
    codes = ["3", "A2", "(1)", "1", "2"]
    pieces = html.split('<td class="semester">')
    rebuilt = pieces[0]
    for index, piece in enumerate(pieces[1:]):
        rebuilt += f'<td class="semester">{codes[index % len(codes)]}' + piece[piece.index("</td>") :]
    rows = [r for r in run(MYCOLOGY, body=rebuilt.encode()) if isinstance(r, ProgrammeCourseItem)]
    assert [r.semester_raw for r in rows] == [codes[i % len(codes)] for i in range(cells)]
