"""The Groningen spider's parse callbacks on saved snapshot pages and API bodies (no network, no reactor)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scrapers.items import CourseUnitItem, HarvestIssue, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.rug import RugSpider, course_api_url_for_link, school_slug
from tests.conftest import SITES, snapshot_file

WWW = "https://www.rug.nl"
SCHOOLS = f"{WWW}/education/summer-winter-schools"
OVERVIEW = f"{WWW}/about-ug/organization/quality-assurance/in-practice/microcredentials"
API = "https://ocasys.rug.nl/api"


def response_for(url: str, body: bytes | None = None, cb_kwargs: dict | None = None, status: int = 200):
    body = snapshot_file(url).read_bytes() if body is None else body
    kind = HtmlResponse if url.startswith(WWW) else TextResponse
    return kind(
        url=url, body=body, encoding="utf-8", status=status, request=Request(url, cb_kwargs=cb_kwargs or {})
    )


def run(url: str, spider: RugSpider | None = None, **kwargs) -> list:
    return list((spider or RugSpider()).parse(response_for(url, **kwargs)))


def only(results: list, kind: type):
    (found,) = [result for result in results if isinstance(result, kind)]
    return found


def of(results: list, kind: type) -> list:
    return [result for result in results if isinstance(result, kind)]


def test_catalogue_links_translate_to_the_json_api():
    assert (
        course_api_url_for_link("https://ocasys.rug.nl/2025-2026/catalog/course/WBCS019-05", 2030)
        == f"{API}/2025-2026/course/WBCS019-05"
    )
    assert (
        course_api_url_for_link("https://ocasys.rug.nl/current/catalog/course/LHU012M05", 2026)
        == f"{API}/2026-2027/course/LHU012M05"
    )
    assert course_api_url_for_link(f"{SCHOOLS}/local-initiatives/?lang=en", 2025) is None
    assert school_slug(f"{SCHOOLS}/land-acquisition-groningen/?lang=en") == "land-acquisition-groningen"
    assert school_slug(f"{SCHOOLS}/winter_schools/land_acquisition/apply-now?lang=en") == "land_acquisition"
    assert RugSpider().current_year == 2025
    assert RugSpider(years="2025,2026").current_year == 2026
    assert RugSpider(current_year="2024").current_year == 2024


def test_start_urls_are_the_overview_and_each_years_faculty_catalogue():
    spider = RugSpider(years="2025,2026")
    requests = list(spider.start_requests_for(2026))
    assert [r.url for r in requests] == [OVERVIEW, f"{API}/faculty/catalog/2026-2027"]
    assert [r.callback.__name__ for r in requests] == ["parse_overview", "parse_faculty_catalog"]


# -- overview and school pages ----------------------------------------------------------------------------


def test_overview_requests_every_school_and_the_api_record_of_every_course():
    results = run(OVERVIEW)
    requests = [r for r in results if isinstance(r, Request)]
    # The offer hosted off the university's domains is recorded from the listing, never requested.
    [offsite] = [r for r in results if not isinstance(r, Request)]
    assert isinstance(offsite, ProgrammeItem)
    assert offsite.page_url.startswith("https://www.summerschoolsineurope.eu/")
    assert offsite.source_url == OVERVIEW and offsite.title == "Water Governance in Practice"
    urls = [r.url for r in requests]
    assert len(urls) == len(set(urls)) == 18
    schools = {u for u in urls if u.startswith(SCHOOLS)}
    courses = {u for u in urls if u.startswith(API)}
    # 8 English school pages, and the planted second listing of one school by its Dutch page.
    assert len(schools) == 9 and {u for u in schools if not u.endswith("/?lang=en")} == {
        f"{SCHOOLS}/energy-transition-in-practice/"
    }
    assert len(courses) == 9 and all("/catalog/" not in u for u in courses)
    assert f"{API}/2025-2026/course/WMMB015-05" in courses  # linked as /current/
    assert f"{API}/2025-2026/course/EBM931B05" in courses  # the record that answers 404
    for request in requests:
        assert request.cb_kwargs["listing"]["listing_url"] == OVERVIEW
        assert request.cb_kwargs.get("microcredential", False) == request.url.startswith(API)
        assert request.errback is not None


def test_summer_school_page_in_english():
    url = f"{SCHOOLS}/spatial-data-science/?lang=en"
    [programme] = run(
        url, cb_kwargs={"listing": {"listing_title": "Spatial Data Science for Urban Planning"}}
    )
    assert isinstance(programme, ProgrammeItem)
    assert programme.source_code == "spatial-data-science"
    assert programme.title == "Spatial Data Science for Urban Planning"
    assert programme.credits_raw == "5 ECTS"
    assert programme.hours_raw == "140 hours"
    assert programme.languages_raw == "English"
    assert programme.academic_year_raw == "7 - 18 July 2025"
    assert programme.semester_raw == "University of Groningen Summer Schools"
    assert programme.page_language == "en"
    assert programme.info["Fee"] == "€ 743,-"
    assert list(programme.info)[:3] == ["Dates", "Level", "Credits"]
    assert len(programme.learning_outcomes) == 3
    assert programme.info["Learning outcomes"].startswith(programme.learning_outcomes[0])
    assert programme.listing_title == "Spatial Data Science for Urban Planning"
    assert programme.source_url == url and programme.http_status == 200 and len(programme.body_sha256) == 64


def test_the_real_sustainable_landscapes_values_pass_through_untouched():
    programme = only(run(f"{SCHOOLS}/sustainable-landscapes/?lang=en"), ProgrammeItem)
    assert programme.info == {
        "Dates": "26 - 30 August 2024",
        "Level": "Advanced BA/MA/PhD students, Postdocs, Practitioners",
        "Fee": "(TBC) € 450",
    }
    assert programme.credits_raw is None and programme.languages_raw is None


def test_dutch_page_is_read_in_its_own_language():
    programme = only(run(f"{SCHOOLS}/energy-transition-in-practice/"), ProgrammeItem)
    assert programme.page_language == "nl"
    assert programme.title == "Energietransitie in de praktijk"
    assert programme.source_code == "energy-transition-in-practice"
    assert programme.credits_raw == "3 EC"
    assert programme.hours_raw == "84 uur"
    assert programme.languages_raw == "Engels"
    assert programme.academic_year_raw == "30 juni - 4 juli 2025"
    assert programme.semester_raw == "Zomerscholen van de Rijksuniversiteit Groningen"
    assert programme.info["Kosten"] == "EUR 50" and "Fee" not in programme.info
    assert programme.learning_outcomes and "Leerdoelen" in programme.info


def test_missing_fee_and_credits_stay_missing():
    results = run(f"{SCHOOLS}/land-acquisition-groningen/?lang=en")
    programme = only(results, ProgrammeItem)
    assert not of(results, HarvestIssue)
    assert programme.title == "Land Acquisition, Resettlement and Social Sustainability"
    assert programme.credits_raw is None
    assert programme.hours_raw is None
    assert "Fee" not in programme.info and "Credits" not in programme.info
    assert programme.info == {
        "Dates": "11 - 22 September 2023",
        "Duration": "two weeks",
        "Language": "English",
    }
    assert programme.learning_outcomes == []


def test_study_load_that_names_credits_is_the_credit_statement():
    programme = only(run(f"{SCHOOLS}/healthy-ageing-professionals/?lang=en"), ProgrammeItem)
    assert programme.credits_raw == programme.hours_raw == "200 hours (5 EC)"
    assert "Credits" not in programme.info


def test_winter_school():
    programme = only(run(f"{SCHOOLS}/winter_schools/land_acquisition/?lang=en"), ProgrammeItem)
    assert programme.source_code == "land_acquisition"
    assert programme.semester_raw == "University of Groningen Winter Schools"
    assert programme.credits_raw == "3 EC"


def test_broken_school_pages_give_issues_not_crashes():
    url = f"{SCHOOLS}/sustainable-landscapes/?lang=en"
    [issue] = run(url, body=b"<html><body><p>Onderhoud / maintenance")
    assert isinstance(issue, HarvestIssue) and issue.reason == "missing_title_or_slug"
    results = run(url, body=b"<html><body><main><h1>Sustainable Landscapes</h1><p>New layout</p></main>")
    assert only(results, ProgrammeItem).info == {}
    assert only(results, HarvestIssue).reason == "missing_practical_information"
    [issue] = run(OVERVIEW, body=b"<html><body><main><h1>Microcredentials</h1></main></body></html>")
    assert issue.reason == "no_microcredential_links"


# -- Ocasys JSON ------------------------------------------------------------------------------------------


def test_ocasys_course_offered_as_microcredential():
    url = f"{API}/2025-2026/course/WMMB015-05"
    results = run(url, cb_kwargs={"microcredential": True, "listing": {"listing_url": OVERVIEW}})
    programme = only(results, ProgrammeItem)
    link = only(results, ProgrammeCourseItem)
    unit = only(results, CourseUnitItem)
    # hours -1 (unknown) is passed through as written; the normaliser turns it into "unknown".
    assert programme.hours_raw == unit.hours_raw == "-1"
    assert programme.credits_raw == unit.credits_raw == "5.0"
    assert programme.languages_raw == unit.languages_raw == "ENGLISH"
    assert programme.semester_raw == unit.semester_raw == "TERM1B / Blok 1b.2"
    assert programme.academic_year_raw == "2025-2026"
    assert programme.source_code == "WMMB015-05" and programme.title == "Academic Skills in Marine Biology"
    assert programme.faculty == "Science and Engineering"
    assert programme.info["Level"] == "MASTER"
    assert programme.info["Assessment"] == "Report, Presentation"
    assert programme.info["Mode of delivery"] == "Seminar, Practical, Tutorial"
    assert programme.info["Prerequisites"].startswith("The course unit assumes prior knowledge")
    assert programme.info["Start date"] == "[2025, 12, 1]"
    assert (
        len(programme.learning_outcomes) == 7
        and programme.learning_outcomes[1] == "Identify logical fallacies"
    )
    assert programme.listing_url == OVERVIEW
    assert (link.programme_code, link.course_code, link.offered) == ("WMMB015-05", "WMMB015-05", True)
    assert unit.code == "WMMB015-05" and unit.name == "Academic Skills in Marine Biology"
    assert len(unit.lecturers) == 2 and unit.programmes == ["MSc Marine Biology: Research"]
    assert unit.content.startswith("In this course, students will learn")
    assert unit.learning_outcomes == programme.learning_outcomes
    assert unit.assessment == "Report, Presentation"


def test_course_record_without_the_overview_is_a_course_unit_only():
    [unit] = run(f"{API}/2025-2026/course/WMEV942-05", cb_kwargs={"scheme": "MC-5801"})
    assert isinstance(unit, CourseUnitItem)
    assert (unit.credits_raw, unit.hours_raw, unit.semester_raw) == ("5.0", "140", "TERM1B / Semester 1b")


def test_planted_records_keep_their_raw_values():
    def programme(code: str) -> ProgrammeItem:
        return only(run(f"{API}/2025-2026/course/{code}", cb_kwargs={"microcredential": True}), ProgrammeItem)

    assert programme("WMEE935-35").credits_raw == "35.0"
    assert programme("WMEE935-35").semester_raw == "TERM1A, TERM1B, TERM2A, TERM2B / Full year"
    assert programme("LHU926M05").languages_raw == "OTHER"
    sparse = programme("WBMA928-05")
    assert not {"Level", "Assessment", "Learning outcomes"} & set(sparse.info)
    assert sparse.learning_outcomes == []


def test_course_page_endpoint_reads_like_the_course_record():
    url = f"{API}/2025-2026/course/page/EBB918A03"
    programme = only(run(url, cb_kwargs={"microcredential": True}), ProgrammeItem)
    assert (programme.source_code, programme.credits_raw, programme.languages_raw) == (
        "EBB918A03",
        "3.0",
        "DUTCH",
    )


def test_scheme_gives_the_programme_its_entries_and_their_course_records():
    url = f"{API}/2025-2026/scheme/program/MC-5801"
    results = run(
        url,
        cb_kwargs={"listing": {"listing_title": "Microcredential Water Governance and Climate Adaptation"}},
    )
    programme = only(results, ProgrammeItem)
    rows = of(results, ProgrammeCourseItem)
    requests = of(results, Request)
    assert (programme.source_code, programme.credits_raw, programme.semester_raw) == (
        "MC-5801",
        "15",
        "WHOLE_YEAR",
    )
    assert programme.title == "Microcredential Water Governance and Climate Adaptation"
    assert programme.academic_year_raw == "2025-2026" and programme.info["Level"] == "MASTER"
    assert [r.course_code for r in rows] == ["WMEV941-05", "WMEV942-05", "WMEV943-05"]
    assert [r.position for r in rows] == [0, 1, 2]
    assert all(
        r.programme_code == "MC-5801" and r.credits_raw == "5.0" and r.row_class == "COMPULSORY" for r in rows
    )
    assert [r.url for r in requests] == [f"{API}/2025-2026/course/{r.course_code}" for r in rows]
    assert not any(r.cb_kwargs.get("microcredential") for r in requests)


def test_faculty_catalogue_follows_only_microcredential_programmes():
    requests = run(f"{API}/faculty/catalog/2026-2027")
    assert [r.url for r in requests] == [f"{API}/2026-2027/scheme/program/MC-5801"]
    assert requests[0].cb_kwargs["listing"]["faculty"] == "Science and Engineering"


def test_problem_details_become_issues():
    url = f"{API}/2025-2026/course/EBM931B05"
    # A saved problem-details body parsed offline (status unknown to the callback).
    [issue] = run(url)
    assert isinstance(issue, HarvestIssue) and issue.reason == "problem_details"
    assert issue.detail.startswith("404 Not Found") and "EBM931B05" in issue.detail
    # In a crawl the 404 never reaches the callback: HttpErrorMiddleware fails it to the errback.
    response = response_for(url, status=404)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = response.request
    [issue] = list(RugSpider().on_error(failure))
    assert (issue.reason, issue.page_kind, issue.http_status, issue.detail) == (
        "http_404",
        "course",
        404,
        url,
    )


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/2025-2026/course/WMMB015-05",
        f"{API}/2025-2026/scheme/program/MC-5801",
        f"{API}/faculty/catalog/2025-2026",
    ],
)
@pytest.mark.parametrize(
    "body",
    [b'{"code": "WMMB015-05", "title": {"en": "Acad', b"<html>502 Bad Gateway</html>", b"\xff\xfe\x00"],
)
def test_broken_json_gives_an_issue(url, body):
    [issue] = run(url, body=body)
    assert isinstance(issue, HarvestIssue) and issue.reason == "invalid_json"


def test_json_of_the_wrong_shape_gives_an_issue():
    [issue] = run(f"{API}/2025-2026/course/WMMB015-05", body=b"[]")
    assert issue.reason == "missing_course_code"
    [issue] = run(f"{API}/faculty/catalog/2025-2026", body=b'{"faculties": []}')
    assert issue.reason == "unexpected_json"
    results = run(f"{API}/2025-2026/scheme/program/MC-5801", body=b'{"program": {"code": "MC-5801"}}')
    assert only(results, HarvestIssue).reason == "no_blocks"


def test_catalogue_web_page_is_followed_to_its_api_record():
    [request] = run("https://ocasys.rug.nl/2025-2026/catalog/course/EBM907A05", body=b"<div id=root></div>")
    assert request.url == f"{API}/2025-2026/course/EBM907A05" and request.cb_kwargs["microcredential"]


def test_microcred_parse_routes_json_bodies(monkeypatch, capsys):
    """The CLI builds the response from the URL and body alone (responsetypes) and calls spider.parse."""
    from pipelines import cli
    from scrapers import crawl

    monkeypatch.setitem(crawl.SPIDERS, "rug", "scrapers.spiders.rug.RugSpider")
    url = f"{API}/2025-2026/course/WMMB015-05"
    assert cli.parse_page("rug", snapshot_file(url), url) == 0
    [line] = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert (record["kind"], record["code"], record["hours_raw"]) == ("course_unit", "WMMB015-05", "-1")
    url = f"{SCHOOLS}/sustainable-landscapes/?lang=en"
    assert cli.parse_page("rug", snapshot_file(url), url) == 0
    assert json.loads(capsys.readouterr().out)["info"]["Fee"] == "(TBC) € 450"


def test_every_snapshot_page_parses_and_only_the_missing_course_is_an_issue():
    kinds: Counter[str] = Counter()
    issues = []
    for line in (SITES / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "rug.nl" not in row["url"] or row["url"].endswith("/robots.txt"):
            continue
        # Every course record read as a microcredential (as the overview links them); other pages take no context.
        context = {"microcredential": True} if "/course/" in row["url"] else None
        for result in run(row["url"], cb_kwargs=context):
            kinds[type(result).__name__] += 1
            if isinstance(result, HarvestIssue):
                issues.append(result.source_url)
    assert issues == [f"{API}/2025-2026/course/EBM931B05"]
    assert kinds["ProgrammeItem"] >= 19 and kinds["CourseUnitItem"] >= 11


@pytest.mark.slow
def test_crawl_of_the_snapshot(snapshot_server, tmp_path: Path):
    from scrapers.crawl import SPIDERS, run_crawl

    if "rug" not in SPIDERS:
        pytest.skip("the rug spider is not registered in scrapers/crawl.py yet")
    result = run_crawl(
        "rug",
        tmp_path / "landing",
        "t1",
        snapshot_url=snapshot_server.base_url,
        cache_dir=tmp_path / "cache",
        years=[2025],
    )
    assert result.succeeded, result.log_tail

    def landed(kind: str) -> list[dict]:
        return [
            json.loads(line) for line in (tmp_path / "landing" / f"{kind}.jsonl").read_text().splitlines()
        ]

    programmes = landed("programme")
    # 8 schools + the Dutch page of one of them (planted duplicate id), 8 Ocasys courses, 1 scheme
    # programme, and the offer hosted off the university's domains (planted, recorded from the listing).
    assert len(programmes) == 19
    assert all(
        p["source_url"].startswith(("https://www.rug.nl/", "https://ocasys.rug.nl/")) for p in programmes
    )
    assert len(landed("course_unit")) == 11 and len(landed("programme_course")) == 11
    [issue] = landed("issue")
    assert (issue["reason"], issue["http_status"]) == ("http_404", 404)
    assert result.stats["robotstxt/request_count"] == 2


# -- Ocasys as it really answers (real excerpts in tests/fixtures/real/rug) ------------------------------------

REAL_CATALOGUES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "real" / "rug").glob("*.json"))


class _Stats(Counter):
    """The part of Scrapy's stats collector a spider uses."""

    def inc_value(self, key, count=1, start=0):
        self[key] += count


def counted_spider() -> RugSpider:
    spider = RugSpider()
    spider.crawler = type("Crawler", (), {"stats": _Stats()})()
    return spider


@pytest.mark.parametrize("path", REAL_CATALOGUES, ids=lambda path: path.stem.rsplit("-", 1)[-1])
def test_real_faculty_catalogue_records_parse_and_hold_no_microcredential(path):
    spider = counted_spider()
    data = json.loads(path.read_bytes())
    results = run(f"{API}/faculty/catalog/2024-2025", spider=spider, body=path.read_bytes())
    assert results == []  # no microcredential among them, and nothing broken
    programmes = sum(len(faculty["programs"]) for faculty in data)
    assert spider.crawler.stats["microcred/skipped/not_micro_credential"] == programmes
    # Every key and level of the real records is one the spider knows.
    assert not [key for key in spider.crawler.stats if key.startswith("microcred/ocasys/")]


def test_real_record_shapes_named_in_the_site_brief_are_in_the_fixtures():
    programmes = [
        program
        for path in REAL_CATALOGUES
        for faculty in json.loads(path.read_bytes())
        for program in faculty["programs"]
    ]
    assert all("language" in p and "languages" not in p for p in programmes)
    levels = {level for p in programmes for level in p["levels"]}
    assert {"CONTRACT_TEACHING", "EXTERNAL_PROGRAMMES"} <= levels
    assert any(p["titleEn"] != p["titleEn"].strip() for p in programmes)
    assert {"RCS-BARW", "50700-VP-LLB-TECH"} <= {p["code"] for p in programmes}


def _real_catalogue_with_a_microcredential() -> list[dict]:
    """The real rcs record, one of its programmes retitled as a microcredential and given new keys."""
    path = next(path for path in REAL_CATALOGUES if path.stem.endswith("-rcs"))
    data = json.loads(path.read_bytes())
    program = next(p for p in data[0]["programs"] if p["code"] == "RCS-BARW")
    program["titleEn"] = "Microcredential Religious Studies  "  # trailing spaces, as real titles have
    program["code"] = " RCS-BARW "
    program["ects"] = 15  # a key Ocasys does not send today
    program["levels"] = ["BACHELOR", "MICRO_DEGREE"]  # a level value not seen before
    data[0]["colour"] = "blue"
    return data


def test_unknown_keys_and_levels_are_counted_and_never_stop_the_catalogue():
    spider = counted_spider()
    body = json.dumps(_real_catalogue_with_a_microcredential()).encode()
    [request] = run(f"{API}/faculty/catalog/2024-2025", spider=spider, body=body)
    assert request.url == f"{API}/2024-2025/scheme/program/RCS-BARW"  # a non-numeric code, trimmed
    listing = request.cb_kwargs["listing"]
    assert listing["listing_title"] == "Microcredential Religious Studies"
    assert listing["languages_raw"] == "ENGLISH, DUTCH"  # from `language`, not `languages`
    assert listing["faculty"] == "Religion, Culture and Society"
    stats = spider.crawler.stats
    assert stats["microcred/ocasys/unknown_key/program/ects"] == 1
    assert stats["microcred/ocasys/unknown_key/faculty/colour"] == 1
    assert stats["microcred/ocasys/unknown_level/MICRO_DEGREE"] == 1
    assert not [key for key in stats if "unknown" in key and "BACHELOR" in key]


def test_codes_that_need_quoting_are_quoted_in_the_scheme_url():
    data = [{"code": "x", "titleEn": "X", "programs": [{"code": "MC 5/8", "titleEn": "Microcredential Y"}]}]
    [request] = run(f"{API}/faculty/catalog/2024-2025", body=json.dumps(data).encode())
    assert request.url == f"{API}/2024-2025/scheme/program/MC%205%2F8"


def test_scheme_programme_languages_under_either_key():
    url = f"{API}/2025-2026/scheme/program/MC-5801"
    data = json.loads(snapshot_file(url).read_bytes())
    assert data["program"]["languages"] == ["ENGLISH"]
    data["program"]["language"] = data["program"].pop("languages")
    programme = only(run(url, body=json.dumps(data).encode()), ProgrammeItem)
    assert programme.languages_raw == "ENGLISH"
    del data["program"]["language"]
    response = response_for(
        url, body=json.dumps(data).encode(), cb_kwargs={"listing": {"languages_raw": "DUTCH"}}
    )
    programme = only(list(RugSpider().parse(response)), ProgrammeItem)
    assert programme.languages_raw == "DUTCH"  # what the faculty catalogue said


def test_snapshot_faculty_catalogue_has_the_real_shape():
    data = json.loads(snapshot_file(f"{API}/faculty/catalog/2025-2026").read_bytes())
    programmes = [program for faculty in data for program in faculty["programs"]]
    assert all("language" in p and "languages" not in p for p in programmes)
    assert sum("status" in faculty for faculty in data) == len(data) - 1
    assert {"CONTRACT_TEACHING", "EXTERNAL_PROGRAMMES"} <= {lv for p in programmes for lv in p["levels"]}
    spider = counted_spider()
    [request] = run(f"{API}/faculty/catalog/2025-2026", spider=spider)
    assert request.url.endswith("/MC-5801")
    assert not [key for key in spider.crawler.stats if key.startswith("microcred/ocasys/")]
