"""The Antwerp spider's parse callbacks on saved pages: the snapshot and one real study-programme page.

Expectations are read from the pages here with lxml or regular expressions (independently of the spider) or
written out by hand; no network, no reactor.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scrapers.items import CourseUnitItem, HarvestIssue, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.uantwerpen import UAntwerpenSpider, course_sheet_url, programme_slug
from tests.conftest import REFERENCE, SITES, snapshot_file

HOST = "https://www.uantwerpen.be"
LANDING_EN = f"{HOST}/en/study/programmes/all-programmes/micro-credential/"
LANDING_NL = f"{HOST}/nl/studeren/aanbod/micro-credential/"
LISTING_EN = f"{HOST}/en/study/programmes/all-programmes/?s=16&lang=en&f=198%2C201"
LISTING_NL = f"{HOST}/nl/studeren/aanbod/alle-opleidingen/?s=16&lang=nl&f=198"
EN_BASE = f"{HOST}/en/study/programmes/all-programmes"
NL_BASE = f"{HOST}/nl/studeren/aanbod/alle-opleidingen"
REAL_PAGE = REFERENCE / "uantwerpen-2025-master-data-science-study-programme.html"
REAL_URL = f"{EN_BASE}/master-data-science/study-programme/"


def response_for(
    url: str, body: bytes | None = None, cb_kwargs: dict | None = None, status: int = 200
) -> HtmlResponse:
    body = snapshot_file(url).read_bytes() if body is None else body
    return HtmlResponse(
        url=url, body=body, encoding="utf-8", status=status, request=Request(url, cb_kwargs=cb_kwargs or {})
    )


def run(url: str, **kwargs) -> list:
    return list(UAntwerpenSpider().parse(response_for(url, **kwargs)))


def requests(results: list) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def of_type(results: list, kind: type) -> list:
    return [r for r in results if isinstance(r, kind)]


def follow_programme(root: str, card: dict | None = None) -> tuple[list, list[str]]:
    """Root -> programme-info -> study programme, as a crawl would chain them; returns results and URLs."""
    results, urls = [], []
    pending = [Request(root, cb_kwargs={"card": card or {}})]
    while pending:
        request = pending.pop()
        urls.append(request.url)
        for result in run(request.url, cb_kwargs=dict(request.cb_kwargs)):
            if isinstance(result, Request) and "/ajax/courseInfo" not in result.url:
                pending.append(result)
            else:
                results.append(result)
    return results, urls


def snapshot_urls() -> list[str]:
    manifest = (SITES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["url"] for line in manifest if "www.uantwerpen.be" in line]


def active_pane(tree):
    """The active year's pane of a study-programme page (its tab is ``stateActive``), or the old wrapper."""
    active = tree.xpath("//header[@class='tabHeader']//li[@class='stateActive']/@data-desttab")
    if active:
        [pane] = tree.xpath(f"//div[@class='main tabMain']/section[@id='{active[0]}']")
        return pane
    [pane] = tree.xpath("//div[@class='study-programme-active']")
    return pane


def programme_roots() -> list[str]:
    pattern = re.compile(rf"^({re.escape(EN_BASE)}|{re.escape(NL_BASE)})/micro-credential-[^/]+/$")
    return sorted(url for url in snapshot_urls() if pattern.match(url))


# -- routing -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "callback"),
    [
        (LANDING_EN, "parse_landing"),
        (LANDING_NL, "parse_landing"),
        (LISTING_EN, "parse_listing"),
        (LISTING_NL, "parse_listing"),
        (f"{EN_BASE}/micro-credential-global-health/", "parse_programme_root"),
        (f"{NL_BASE}/micro-credential-bemiddeling/opleidingsinfo/", "parse_programme_info"),
        (f"{EN_BASE}/micro-credential-global-health/programme-info/", "parse_programme_info"),
        (
            f"{EN_BASE}/micro-credential-global-health/about-the-programme/study-programme/",
            "parse_study_programme",
        ),
        (
            f"{NL_BASE}/micro-credential-vastgoedrecht/over-de-opleiding/studieprogramma/",
            "parse_study_programme",
        ),
        (f"{NL_BASE}/x/studieprogramma/uitdovend-programma/", "parse_study_programme"),
        (REAL_URL, "parse_study_programme"),
        (f"{HOST}/ajax/courseInfo?id=2025-2002WETGDS&lang=en", "parse_course_sheet"),
        (f"{HOST}/en/summer-schools/from-mine-to-finger/", "parse_summer_school_root"),
        (
            f"{HOST}/en/summer-schools/from-mine-to-finger/programme/content-description/",
            "parse_summer_school",
        ),
        (f"{HOST}/en/about-uantwerp/", "parse_unrouted"),
    ],
)
def test_urls_route_to_their_callbacks(url, callback):
    assert UAntwerpenSpider().callback_for(url).__name__ == callback


def test_helpers_build_sheet_urls_and_slugs():
    assert (
        course_sheet_url("?id=2025-2002WETGDS&lang=en")
        == f"{HOST}/ajax/courseInfo?id=2025-2002WETGDS&lang=en"
    )
    assert programme_slug(REAL_URL) == "master-data-science"
    assert (
        programme_slug(f"{HOST}/en/summer-schools/from-mine-to-finger/programme/x/") == "from-mine-to-finger"
    )
    assert programme_slug(f"{HOST}/en/about-uantwerp/") is None


# -- landing and listings ----------------------------------------------------------------------------------


def test_landing_pages_lead_to_the_listings_and_the_summer_schools():
    en = requests(run(LANDING_EN))
    assert [r.url for r in en if "all-programmes/?" in r.url] == [LISTING_EN]
    schools = sorted(r.url for r in en if "-schools/" in r.url)
    # Under either prefix; modelling-infectious-diseases is linked under both and followed once.
    assert schools == [
        f"{HOST}/en/summer-schools/europe-diversity-migration/",
        f"{HOST}/en/summer-schools/from-mine-to-finger/",
        f"{HOST}/en/summer-winter-schools/experience-entrepreneurship/",
        f"{HOST}/en/summer-winter-schools/modelling-infectious-diseases/",
    ]
    assert [r.url for r in requests(run(LANDING_NL))] == [LISTING_NL]


def listing_cards(url: str) -> list[tuple[str, str]]:
    """(href, degree type) of every card, read with lxml from either card vintage."""
    tree = lxml.html.fromstring(snapshot_file(url).read_bytes())
    cards = [
        (a.get("href"), a.xpath("string(.//li[@class='type'])"))
        for a in tree.xpath("//section[@class='courseItem']/a")
    ]
    for a in tree.xpath("//div[@class='listCourses']/a[@class='wrap']"):
        cards.append((a.get("href"), a.xpath("string((.//div[@class='value'])[2]//li)")))
    return cards


@pytest.mark.parametrize(("url", "vintage"), [(LISTING_EN, "courseItem"), (LISTING_NL, "listCourses")])
def test_listing_follows_every_micro_credential_card_and_skips_the_others(url, vintage):
    assert vintage in snapshot_file(url).read_text(encoding="utf-8")
    cards = listing_cards(url)
    micro = {HOST + href for href, kind in cards if kind == "Micro-credential"}
    assert len(cards) - len(micro) >= 3  # degree programmes the spider must skip
    followed = requests(run(url))
    assert {r.url for r in followed} == micro
    assert len(followed) == len(micro)
    assert all(r.cb_kwargs["card"]["programme_type"] == "Micro-credential" for r in followed)
    assert all(r.cb_kwargs["card"]["listing_url"] == url for r in followed)


def test_both_listings_together_cover_every_programme_in_the_snapshot():
    followed = {r.url for url in (LISTING_EN, LISTING_NL) for r in requests(run(url))}
    assert followed == set(programme_roots())
    assert len(followed) == 30


# -- programme pages ---------------------------------------------------------------------------------------


def test_dutch_programme_chain_gives_one_programme_with_its_practical_information():
    root = f"{NL_BASE}/micro-credential-zorgmanagement/"
    results, urls = follow_programme(root, {"listing_title": "Micro-credential Zorgmanagement"})
    assert urls == [root, f"{root}opleidingsinfo/", f"{root}over-de-opleiding/studieprogramma/"]
    [programme] = of_type(results, ProgrammeItem)
    assert programme.source_code == "micro-credential-zorgmanagement"
    assert programme.academic_year_raw == "2025-2026"
    assert programme.title == "Micro-credential Zorgmanagement"
    assert programme.faculty == "Faculteit Geneeskunde en Gezondheidswetenschappen"
    assert programme.campus == "Campus Drie Eiken"
    assert programme.credits_raw == "12 studiepunten"
    assert programme.hours_raw == "336 uur"
    assert programme.languages_raw == "Nederlands, Engels"
    assert programme.semester_raw == "1e en 2e semester"
    assert programme.page_language == "nl"
    assert programme.listing_title == "Micro-credential Zorgmanagement"
    assert programme.info["Inschrijvingsgeld"] == "€ 956 (= €320 administratiekosten + (12 x €53/studiepunt))"
    assert {
        "Niveau",
        "Onderwijsvorm",
        "Startdatum",
        "Evaluatie",
        "Deelnamevorm",
        "Kwaliteitszorg",
        "Toelatingsvoorwaarden",
        "Stapelbaarheid",
        "Leerresultaten",
    } <= set(programme.info)
    assert 3 <= len(programme.learning_outcomes) <= 4
    assert programme.source_url == f"{root}over-de-opleiding/studieprogramma/"
    rows = of_type(results, ProgrammeCourseItem)
    assert [(r.course_name, r.credits_raw, r.languages_raw, r.semester_raw) for r in rows] == [
        ("Management in de gezondheidszorg", "6 studiepunten", "Nederlands", "1E SEM"),
        ("Quality and Patient Safety", "6 studiepunten", "Engels", "2E SEM"),
    ]
    assert [r.position for r in rows] == [0, 1] and all(r.offered for r in rows)


def test_english_programme_chain_reads_english_labels():
    root = f"{EN_BASE}/micro-credential-data-analysis-with-r/"
    results, _ = follow_programme(root)
    [programme] = of_type(results, ProgrammeItem)
    assert (programme.credits_raw, programme.hours_raw, programme.languages_raw) == (
        "6 ECTS-credits",
        "168 hours",
        "English",
    )
    assert programme.faculty == "Faculty of Science" and programme.campus == "Campus Middelheim"
    assert programme.info["Fee"] == "€ 638 (= €320 administration fee + (6 x €53/ECTS))"
    assert programme.info["Delivery mode"] == "Online"
    assert programme.page_language == "en"


def test_every_snapshot_programme_gives_exactly_one_programme_item_and_all_its_courses():
    kinds: Counter[str] = Counter()
    for root in programme_roots():
        results, urls = follow_programme(root)
        [programme] = of_type(results, ProgrammeItem)
        assert programme.academic_year_raw == "2025-2026" and programme.credits_raw, root
        pane = active_pane(lxml.html.fromstring(snapshot_file(urls[-1]).read_bytes()))
        codes = [s.strip() for s in pane.xpath(".//div[@class='spec guideNr']/div[@class='value']/text()")]
        assert [r.course_code for r in of_type(results, ProgrammeCourseItem)] == codes
        kinds.update(type(r).__name__ for r in results)
    assert kinds["ProgrammeItem"] == 30
    assert kinds["HarvestIssue"] == 0
    assert kinds["ProgrammeCourseItem"] == kinds["CourseUnitItem"] == 54


def test_a_page_missing_fields_gives_what_it_has():
    # The programme-info tab of "Art in Public Space" has no learning outcomes, level or assessment.
    results, _ = follow_programme(f"{EN_BASE}/micro-credential-art-in-public-space/")
    [programme] = of_type(results, ProgrammeItem)
    assert programme.learning_outcomes == []
    assert not {"Learning outcomes", "Level", "Assessment"} & set(programme.info)
    assert programme.info["Quality assurance"] and programme.credits_raw == "5 ECTS-credits"
    # "Circulaire economie" leaves out prerequisites and start date; the rest is there.
    results, _ = follow_programme(f"{NL_BASE}/micro-credential-circulaire-economie/")
    [programme] = of_type(results, ProgrammeItem)
    assert "Toelatingsvoorwaarden" not in programme.info and "Startdatum" not in programme.info
    assert programme.info["Niveau"]


def test_study_programme_rows_and_course_units_repeat_the_page():
    url = f"{NL_BASE}/micro-credential-arbeidsgeneeskunde/studieprogramma/"
    results = run(url)
    [programme] = of_type(results, ProgrammeItem)  # parsed alone, the page still gives its programme
    assert programme.source_code == "micro-credential-arbeidsgeneeskunde"
    assert programme.title == "Micro-credential Arbeidsgeneeskunde"
    [row] = of_type(results, ProgrammeCourseItem)
    [unit] = of_type(results, CourseUnitItem)
    tree = active_pane(lxml.html.fromstring(snapshot_file(url).read_bytes()))

    def spec(name: str) -> str:
        return " ".join(tree.xpath(f"string(.//div[@class='spec {name}']/div[@class='value'])").split())

    assert row.course_code == unit.code == spec("guideNr")
    assert unit.credits_raw == spec("points") == "6 studiepunten"
    assert unit.hours_raw == spec("tax") == "300"  # planted: 50 hours per credit
    assert unit.contact_hours_raw == spec("hours")
    assert unit.semester_raw == "1E SEM" and unit.languages_raw == "Nederlands"
    assert unit.lecturers == [
        " ".join(a.text.split()) for a in tree.xpath(".//div[@class='spec teachers']//li/a")
    ]
    assert unit.sheet_language is None  # the sheet's own item carries that
    [sheet] = requests(results)
    assert sheet.url == f"{HOST}/ajax/courseInfo?id=2025-{unit.code}&lang=nl"


# -- the real study-programme page (reference/, fetched 2025-09-03) ----------------------------------------


def real_courses() -> list[dict]:
    """Every section.course of the real page, read with lxml XPath written here."""
    tree = lxml.html.fromstring(REAL_PAGE.read_text(encoding="utf-8"))  # body only: no charset declared
    courses = []
    for section in tree.xpath("//section[@class='course']"):

        def value(name: str, section=section) -> str | None:
            found = section.xpath(
                f".//div[contains(@class, 'spec') and contains(@class, '{name}')]/div[@class='value']"
            )
            return " ".join(found[0].text_content().split()) if found else None

        courses.append(
            {
                "href": section.xpath("string(.//h5/a/@href)"),
                "name": " ".join(section.xpath("string(.//h5/a)").split()) or None,
                "code": value("guideNr"),
                "semester": value("semester"),
                "points": value("points"),
                "tax": value("tax"),
                "hours": value("hours"),
                "language": value("language"),
                "teachers": [
                    " ".join(a.text_content().split())
                    for a in section.xpath(".//div[contains(@class, 'teachers')]//a")
                ],
            }
        )
    return courses


def test_real_study_programme_page_parses_completely():
    html = REAL_PAGE.read_text(encoding="utf-8")
    linked = re.findall(r'href="\?id=2025-(\d{4}[A-Z]{6})&amp;lang=en"', html)
    assert len(linked) == 37
    results = run(REAL_URL, body=REAL_PAGE.read_bytes())
    assert not of_type(results, HarvestIssue)
    [programme] = of_type(results, ProgrammeItem)
    assert (programme.source_code, programme.academic_year_raw) == ("master-data-science", "2025-2026")
    rows = of_type(results, ProgrammeCourseItem)
    units = of_type(results, CourseUnitItem)
    assert [r.course_code for r in rows] == [u.code for u in units] == linked
    expected = real_courses()
    for row, unit, course in zip(rows, units, expected, strict=True):
        assert row.course_name == unit.name == course["name"]
        assert row.credits_raw == unit.credits_raw == course["points"]
        assert row.semester_raw == unit.semester_raw == course["semester"]
        assert row.languages_raw == unit.languages_raw == course["language"]
        assert unit.hours_raw == course["tax"]
        assert unit.contact_hours_raw == course["hours"]
        assert unit.lecturers == course["teachers"]
    assert [r.position for r in rows] == list(range(37))
    # Spot checks written out by hand from the page.
    first = units[0]
    assert (
        first.code,
        first.name,
        first.credits_raw,
        first.semester_raw,
        first.hours_raw,
        first.contact_hours_raw,
        first.languages_raw,
        first.lecturers,
    ) == (
        "2002WETGDS",
        "Database Systems",
        "6 ECTS-credits",
        "1E SEM",
        "168",
        "45",
        "English",
        ["Floris Geerts"],
    )
    thesis = units[-1]
    assert (thesis.code, thesis.credits_raw, thesis.hours_raw, thesis.contact_hours_raw) == (
        "2503WETMAP",
        "30 ECTS-credits",
        "840",
        None,
    )
    assert len(thesis.lecturers) == 13
    nameless = next(u for u in units if u.code == "9500WETSTB")
    assert nameless.name is None  # the real page has an empty link text: nothing is invented
    assert Counter(u.credits_raw for u in units)["6 ECTS-credits"] == 29
    assert [r.url for r in requests(results)] == [
        f"{HOST}/ajax/courseInfo?id=2025-{code}&lang=en" for code in linked
    ]


# -- course sheets -----------------------------------------------------------------------------------------


def sheet_values(url: str) -> dict[str, str]:
    tree = lxml.html.fromstring(snapshot_file(url).read_bytes())
    return {
        spec.get("class").split()[1]: " ".join(spec.xpath("string(div[@class='value'])").split())
        for spec in tree.xpath("//div[contains(@class, 'spec')]")
        if spec.get("class").split()[1] != "exam"
    }


@pytest.mark.parametrize(
    ("slug", "base", "language", "heading"),
    [
        ("micro-credential-data-analysis-with-r", EN_BASE, "en", "Data Analysis with R"),
        ("micro-credential-bemiddeling", NL_BASE, "nl", "Bemiddeling in familiezaken"),
    ],
)
def test_course_sheet_in_english_and_dutch(slug, base, language, heading):
    study = "study-programme" if language == "en" else "studieprogramma"
    sheet_url = requests(run(f"{base}/{slug}/{study}/"))[0].url
    assert sheet_url.endswith(f"&lang={language}")
    [unit] = run(sheet_url)
    values = sheet_values(sheet_url)
    assert isinstance(unit, CourseUnitItem)
    assert unit.code == values["guideNr"] and re.fullmatch(r"\d{4}[A-Z]{6}", unit.code)
    assert unit.name == heading
    assert unit.credits_raw == values["points"]
    assert unit.hours_raw == values["tax"]
    assert unit.semester_raw == values["semester"]
    assert unit.languages_raw == ("ENG" if language == "en" else "NED")
    assert unit.sheet_language == language
    assert unit.academic_year_raw == "2025 - 2026"
    assert 2 <= len(unit.learning_outcomes) <= 4
    assert unit.content and heading in unit.content
    assert unit.assessment
    [listed] = unit.programmes
    title = lxml.html.fromstring(snapshot_file(f"{base}/{slug}/").read_bytes()).xpath(
        "string(//span[@class='main'])"
    )
    assert re.fullmatch(r"C\d{7} " + re.escape(title), listed)


def test_missing_course_sheet_is_recorded_through_the_errback():
    missing = [
        line
        for line in (SITES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if '"status": 404' in line and "uantwerpen" in line
    ]
    [row] = [json.loads(line) for line in missing]
    spider = UAntwerpenSpider()
    request = spider.follow(row["url"], spider.parse_course_sheet)
    response = HtmlResponse(
        url=row["url"], status=404, body=(SITES / row["file"]).read_bytes(), request=request
    )
    failure = Failure(HttpError(response))
    failure.request = request
    [issue] = list(request.errback(failure))
    assert isinstance(issue, HarvestIssue)
    assert (issue.page_kind, issue.reason, issue.http_status) == ("course_sheet", "http_404", 404)
    assert issue.source_url == row["url"]


def test_a_failed_info_tab_still_leads_to_the_study_programme():
    root = f"{NL_BASE}/micro-credential-vastgoedrecht/"
    [info_request] = run(root, cb_kwargs={"card": {"listing_title": "Micro-credential Vastgoedrecht"}})
    response = HtmlResponse(url=info_request.url, status=503, body=b"busy", request=info_request)
    failure = Failure(HttpError(response))
    failure.request = info_request
    issue, follow = list(UAntwerpenSpider().on_error(failure))
    assert isinstance(issue, HarvestIssue) and issue.reason == "http_503"
    assert follow.url == f"{root}over-de-opleiding/studieprogramma/"
    [programme] = of_type(run(follow.url, cb_kwargs=dict(follow.cb_kwargs)), ProgrammeItem)
    assert programme.listing_title == "Micro-credential Vastgoedrecht"
    assert programme.info == {} and programme.academic_year_raw == "2025-2026"


# -- summer schools ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "credits"),
    [
        ("europe-diversity-migration", "4 ECTS (+2 with an individual paper)"),
        ("from-mine-to-finger", "3 ECTS"),
    ],
)
def test_summer_schools_keep_their_real_credits(slug, credits):
    root = f"{HOST}/en/summer-schools/{slug}/"
    [follow] = run(root, cb_kwargs={"card": {"programme_type": "Summer schools"}})
    assert follow.url == f"{root}programme/content-description/"
    [programme] = run(follow.url, cb_kwargs=dict(follow.cb_kwargs))
    assert isinstance(programme, ProgrammeItem)
    assert programme.credits_raw == credits
    assert programme.source_code == slug
    assert programme.academic_year_raw == "2024-2025"
    assert programme.languages_raw == "English"
    assert programme.programme_type == "Summer schools"
    assert programme.learning_outcomes and "€ " in programme.info["Fee"]


# -- broken pages and the command line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (LANDING_EN, "no_listing_link"),
        (LISTING_NL, "no_cards"),
        (f"{NL_BASE}/micro-credential-bemiddeling/", "no_programme_tabs"),
        (f"{NL_BASE}/micro-credential-bemiddeling/studieprogramma/", "no_courses"),
        (f"{HOST}/ajax/courseInfo?id=2025-2500RECBFB&lang=nl", "no_course_info"),
        (f"{HOST}/en/summer-schools/from-mine-to-finger/", "no_programme_tab"),
    ],
)
def test_broken_pages_give_recorded_issues_not_crashes(url, reason):
    for body in (b"<html><body><h1>Onderhoud</h1><p>Even geduld", b"\xff\xfe garbage <<<", b""):
        [issue] = run(url, body=body)
        assert isinstance(issue, HarvestIssue) and issue.reason == reason


def test_info_tab_without_practical_information_or_study_programme_keeps_what_it_has():
    url = f"{NL_BASE}/micro-credential-bemiddeling/opleidingsinfo/"
    body = b'<html><body><span class="main">Micro-credential Bemiddeling</span></body></html>'
    results = run(url, body=body)
    assert [r.reason for r in of_type(results, HarvestIssue)] == [
        "no_practical_information",
        "no_study_programme_tab",
    ]
    [programme] = of_type(results, ProgrammeItem)
    assert programme.title == "Micro-credential Bemiddeling" and programme.academic_year_raw is None


@pytest.mark.parametrize(
    "url",
    [REAL_URL, f"{HOST}/ajax/courseInfo?id=2025-2500RECBFB&lang=nl"],
)
def test_command_line_parse_routes_saved_pages(monkeypatch, url):
    from pipelines.cli import parse_page
    from scrapers import crawl

    # The lead registers the spider in scrapers/crawl.py; until then the test adds it for itself.
    monkeypatch.setitem(crawl.SPIDERS, "uantwerpen", "scrapers.spiders.uantwerpen.UAntwerpenSpider")
    path = REAL_PAGE if url == REAL_URL else Path(snapshot_file(url))
    out = io.StringIO()
    assert parse_page("uantwerpen", path, url, out=out) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    kinds = Counter(record["kind"] for record in records)
    if url == REAL_URL:
        assert kinds == {"programme": 1, "programme_course": 37, "course_unit": 37}
        assert any("José Antonio Oramas Mogrovejo" in record.get("lecturers", []) for record in records)
    else:
        assert kinds == {"course_unit": 1} and records[0]["code"] == "2500RECBFB"


# -- year panes as the live site has them (div.main.tabMain > section.pane[id], tabs in header.tabHeader) ----


def _real_pane_content(year: int = 2025, drop_first: bool = False) -> str:
    """The real page's pane (heading and paneContent), as the live site nests it in ``section.pane``.

    The reference copy is the active pane a third-party scraper wrapped in ``div.study-programme-active``;
    another year's pane is the same content with that year's heading and course links (and, to tell the two
    apart, without its first course).
    """
    html = REAL_PAGE.read_text(encoding="utf-8")
    inner = html[
        html.index('<div class="study-programme-active">') + len('<div class="study-programme-active">') :
    ]
    inner = inner[: inner.rindex("</div>")]
    if drop_first:
        start = inner.index('<section class="course">')
        end = "</section>\n</div>\n</section>\n"
        inner = inner[:start] + inner[inner.index(end, start) + len(end) :]
    return inner.replace("2025-2026", f"{year}-{year + 1}").replace("?id=2025-", f"?id={year}-")


def _multi_pane_page(panes: list[tuple[str, str]], active: str | None, tabs: bool = True) -> bytes:
    """A page in the live structure: year tabs in ``header.tabHeader``, panes in ``div.main.tabMain``."""
    header = ""
    if tabs:
        state = ' class="stateActive"'
        items = "".join(
            f'<li data-desttab="{pane_id}"{state if pane_id == active else ""}>'
            f'<a href="#{pane_id}">{label}</a></li>'
            for pane_id, label in [(pane_id, _label(content)) for pane_id, content in panes]
        )
        header = f'<header class="tabHeader"><ul>{items}</ul></header>'
    sections = "".join(
        f'<section class="pane" id="{pane_id}">{content}</section>' for pane_id, content in panes
    )
    return f'<html><body>{header}<div class="main tabMain">{sections}</div></body></html>'.encode()


def _label(content: str) -> str:
    match = re.search(r"\d{4}-\d{4}", content)
    return match.group(0) if match else ""


def _courses_of(results: list) -> dict[str | None, list[str]]:
    filed: dict[str | None, list[str]] = {}
    for row in of_type(results, ProgrammeCourseItem):
        filed.setdefault(row.academic_year_raw, []).append(row.course_code)
    return filed


def test_each_course_of_a_real_multi_pane_page_is_filed_under_its_own_panes_year():
    current, previous = _real_pane_content(2025), _real_pane_content(2024, drop_first=True)
    body = _multi_pane_page([("programme-2025", current), ("programme-2024", previous)], "programme-2025")
    results = list(UAntwerpenSpider(years="2024,2025").parse(response_for(REAL_URL, body=body)))
    assert not of_type(results, HarvestIssue)
    expected_2025 = re.findall(r'href="\?id=2025-(\w+)&amp;', current)
    expected_2024 = re.findall(r'href="\?id=2024-(\w+)&amp;', previous)
    assert len(expected_2025) == 37 and len(expected_2024) == 36
    assert _courses_of(results) == {"2025-2026": expected_2025, "2024-2025": expected_2024}
    units = of_type(results, CourseUnitItem)
    assert Counter(u.academic_year_raw for u in units) == {"2025-2026": 37, "2024-2025": 36}
    programmes = of_type(results, ProgrammeItem)
    assert sorted(p.academic_year_raw for p in programmes) == ["2024-2025", "2025-2026"]
    # Each pane's course sheets are asked for in that pane's year.
    sheets = [r.url for r in requests(results)]
    assert sum("id=2024-" in url for url in sheets) == 36 and sum("id=2025-" in url for url in sheets) == 37


def test_by_default_only_the_active_pane_and_the_asked_years_are_filed():
    current, previous = _real_pane_content(2025), _real_pane_content(2024, drop_first=True)
    following = _real_pane_content(2026)
    body = _multi_pane_page(
        [("programme-2026", following), ("programme-2025", current), ("programme-2024", previous)],
        "programme-2025",
    )
    results = run(REAL_URL, body=body)  # the spider's default years: 2025
    assert list(_courses_of(results)) == ["2025-2026"]
    assert [p.academic_year_raw for p in of_type(results, ProgrammeItem)] == ["2025-2026"]
    # Asked for 2026 only, the active pane (2025) is still filed: the page says which year is current.
    results = list(UAntwerpenSpider(years="2026").parse(response_for(REAL_URL, body=body)))
    assert sorted(_courses_of(results)) == ["2025-2026", "2026-2027"]


def test_only_the_active_pane_carries_what_the_earlier_tabs_said():
    current, previous = _real_pane_content(2025), _real_pane_content(2024, drop_first=True)
    body = _multi_pane_page([("programme-2025", current), ("programme-2024", previous)], "programme-2025")
    carried = {"title": "Master DS", "credits_raw": "120 ECTS-credits", "info": {"Fee": "€ 1.000"}}
    response = response_for(REAL_URL, body=body, cb_kwargs={"programme": carried})
    programmes = {
        p.academic_year_raw: p
        for p in of_type(UAntwerpenSpider(years="2024,2025").parse(response), ProgrammeItem)
    }
    assert programmes["2025-2026"].credits_raw == "120 ECTS-credits"
    assert programmes["2025-2026"].info == {"Fee": "€ 1.000"}
    assert programmes["2024-2025"].credits_raw is None and programmes["2024-2025"].info == {}
    assert programmes["2024-2025"].title == "Master DS"


def test_a_pane_whose_year_cannot_be_told_is_an_issue_and_files_nothing():
    # No heading year, an id without a year, no tab, and course links without a year.
    content = re.sub(r"\d{4}-\d{4}", "", _real_pane_content(2025)).replace("?id=2025-", "?code=")
    body = _multi_pane_page([("pane-current", content)], None, tabs=False)
    results = run(REAL_URL, body=body)
    [issue] = of_type(results, HarvestIssue)
    assert issue.reason == "pane_year_unknown"
    assert issue.detail == "master-data-science: pane pane-current, 37 course(s) not filed"
    assert not of_type(results, ProgrammeCourseItem) and not of_type(results, CourseUnitItem)


def test_a_pane_whose_sources_disagree_on_its_year_is_an_issue():
    # The heading says 2025-2026 but the pane's id and its course links say 2024.
    content = _real_pane_content(2025).replace("?id=2025-", "?id=2024-")
    body = _multi_pane_page([("programme-2024", content)], "programme-2024")
    results = run(REAL_URL, body=body)
    [issue] = of_type(results, HarvestIssue)
    assert issue.reason == "pane_year_conflict" and issue.detail.endswith("(2024 / 2025)")
    assert not of_type(results, ProgrammeCourseItem)


def test_snapshot_study_programmes_have_year_panes_and_one_keeps_the_old_form():
    pages = [url for url in snapshot_urls() if re.search(r"/(study-programme|studieprogramma)/$", url)]
    forms = Counter()
    for url in pages:
        tree = lxml.html.fromstring(snapshot_file(url).read_bytes())
        panes = tree.xpath("//div[contains(@class, 'tabMain')]/section[contains(@class, 'pane')][@id]")
        forms["old" if tree.xpath("//div[@class='study-programme-active']") else len(panes)] += 1
        if not panes:
            continue
        active = tree.xpath("//header[@class='tabHeader']//li[@class='stateActive']/@data-desttab")
        [current] = [pane for pane in panes if pane.get("id") in active]
        expected = [href.split("-", 1)[1].split("&")[0] for href in current.xpath(".//h5/a/@href")]
        results = run(url)
        # Every course filed is the active pane's, under its year; no other pane's course leaks in.
        assert _courses_of(results) == {"2025-2026": expected}, url
    assert forms["old"] == 1 and forms[2] >= 10 and forms[3] >= 3, forms


# -- summer schools under both prefixes (/en/summer-schools/ and /en/summer-winter-schools/) ----------------

MID = "modelling-infectious-diseases"


def follow_school(root: str, card: dict | None = None) -> list:
    """Root -> programme page -> its ECTS and registration pages, as a crawl chains them."""
    results, pending = [], [Request(root, cb_kwargs={"card": card or {}})]
    while pending:
        request = pending.pop()
        for result in run(request.url, cb_kwargs=dict(request.cb_kwargs)):
            (pending if isinstance(result, Request) else results).append(result)
    return results


def test_a_school_linked_under_both_prefixes_is_requested_once():
    html = snapshot_file(LANDING_EN).read_text(encoding="utf-8")
    assert f"/en/summer-schools/{MID}/" in html and f"/en/summer-winter-schools/{MID}/" in html
    schools = [r.url for r in requests(run(LANDING_EN)) if "school" in r.url]
    assert [programme_slug(url) for url in schools].count(MID) == 1
    assert len(schools) == len({programme_slug(url) for url in schools}) == 4


@pytest.mark.parametrize("prefix", ["summer-schools", "summer-winter-schools"])
def test_both_prefixes_give_the_same_one_school_with_credits_and_fees_from_its_sub_pages(prefix):
    [programme] = follow_school(f"{HOST}/en/{prefix}/{MID}/", {"programme_type": "Summer schools"})
    assert programme.source_code == MID  # one registry id, whichever prefix was followed
    assert programme.credits_raw == "2–5 ECTS credits"  # from programme/study-credits--ects-/
    assert programme.info["Fee"] == "PhD students: €300 | Others: €650"  # from registration/procedure/
    assert programme.info["Dates"] == "14 - 18 July 2025"
    assert programme.academic_year_raw == "2024-2025" and programme.learning_outcomes
    assert programme.source_url == f"{HOST}/en/{prefix}/{MID}/registration/procedure/"


def test_credits_on_a_deliverables_page_with_an_irregular_slug_are_found():
    root = f"{HOST}/en/summer-winter-schools/experience-entrepreneurship/"
    [programme] = follow_school(root)
    assert programme.credits_raw == "4, 5 or 6 ECTS depending on the assignments handed in"
    assert programme.source_url == f"{root}programme/deliverables---ects-/"


def test_a_school_follows_only_its_own_pages_on_the_institutions_domains():
    body = (
        b'<html><body><span class="main">X</span><nav class="navSection"><ul>'
        b'<li><a href="/en/summer-schools/x/programme/content-description/">Programme</a></li>'
        b'<li><a href="https://tickets.example.org/en/summer-schools/x/registration/procedure/">Register</a></li>'
        b'<li><a href="/en/summer-schools/y/programme/study-credits--ects-/">Other school</a></li>'
        b'</ul></nav><nav class="navSub"><ul>'
        b'<li><a href="https://summer.uantwerpen.be/en/summer-schools/x/programme/study-credits--ects-/">ECTS</a>'
        b"</li></ul></nav></body></html>"
    )
    [follow] = run(f"{HOST}/en/summer-schools/x/", body=body)
    assert follow.url == f"{HOST}/en/summer-schools/x/programme/content-description/"
    assert follow.cb_kwargs["pending"] == [
        "https://summer.uantwerpen.be/en/summer-schools/x/programme/study-credits--ects-/"
    ]


def test_a_failed_school_sub_page_still_gives_the_school():
    root = f"{HOST}/en/summer-winter-schools/{MID}/"
    [programme_page] = run(root)
    [to_ects] = run(programme_page.url, cb_kwargs=dict(programme_page.cb_kwargs))
    request = Request(to_ects.url, cb_kwargs=dict(to_ects.cb_kwargs))
    response = HtmlResponse(url=to_ects.url, status=503, body=b"", request=request)
    failure = Failure(HttpError(response))
    failure.request = request
    results = list(UAntwerpenSpider().on_error(failure))
    assert [type(r) for r in results] == [HarvestIssue, Request]  # the issue, then the registration page
    last = results[1]
    request = Request(last.url, cb_kwargs=dict(last.cb_kwargs))
    failure = Failure(HttpError(HtmlResponse(url=last.url, status=404, body=b"", request=request)))
    failure.request = request
    issue, programme = UAntwerpenSpider().on_error(failure)
    assert isinstance(issue, HarvestIssue) and issue.reason == "http_404"
    assert isinstance(programme, ProgrammeItem) and programme.source_code == MID
    assert programme.source_url == programme_page.url  # what was read, where it was read
    assert programme.credits_raw is None and programme.info["Language of instruction"] == "English"


# -- real pages (tests/fixtures/real) ----------------------------------------------------------------------

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "uantwerpen"


def test_real_programme_info_page_gives_its_key_facts_not_the_prose_credits():
    page = REAL / "uantwerpen-2025-master-data-science-programme-info.html"
    html = page.read_text(encoding="utf-8")
    assert "30 credits" in html and "120 ECTS-credits" in html  # the trap is in the real page
    url = f"{EN_BASE}/master-data-science/programme-info/"
    results = run(url, body=page.read_bytes())
    [programme] = of_type(results, ProgrammeItem)
    assert programme.credits_raw == "120 ECTS-credits"
    assert programme.faculty == "Faculty of Science" and programme.campus == "Campus Middelheim"
    assert programme.source_code == "master-data-science"
    # The crawler kept no tab bar: what cannot be followed is recorded, not guessed.
    assert "no_study_programme_tab" in [issue.reason for issue in of_type(results, HarvestIssue)]


def test_real_tuition_fee_tab_is_not_a_page_the_spider_reads():
    page = REAL / "uantwerpen-2025-master-computer-networks-tuitionfees.html"
    url = f"{EN_BASE}/master-computer-networks/admission-and-enrolment/tuitionfees/"
    [issue] = run(url, body=page.read_bytes())
    assert isinstance(issue, HarvestIssue) and issue.reason == "unrouted_url"
