"""University of Antwerp: www.uantwerpen.be (sites.md §2).

Landing pages (``/en/study/programmes/all-programmes/micro-credential/``, ``/nl/studeren/aanbod/micro-credential/``)
-> the all-programmes listing (``…/all-programmes/?s=16&lang=en&f=…``; cards in either vintage,
``section.courseItem > a`` or ``.listCourses a.wrap``; only micro-credential cards are followed) -> programme
root (``…/{slug}/``) -> its "Programme info" / "Opleidingsinfo" tab (key facts, practical information) -> its
"Study programme" / "Studieprogramma" tab (``section.course`` per course unit) -> ``ajax/courseInfo`` sheets.
The landing page also links summer schools (``/en/summer-schools/{slug}/``), whose "Programme" tab
(``…/programme/content-description/``) carries their credits and practical information.

A programme is described by three pages, so the root and programme-info callbacks pass what they read on in
``meta["programme"]`` and the study-programme page emits the one ``ProgrammeItem`` per academic-year pane. No
programme code is published, so ``source_code`` is the slug of the programme URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from parsel import Selector
from scrapy.http import Response

from scrapers.items import CourseUnitItem, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.base import RegistrySpider, clean_text, page_meta

HOST = "https://www.uantwerpen.be"
LANDING_URLS = (
    f"{HOST}/en/study/programmes/all-programmes/micro-credential/",
    f"{HOST}/nl/studeren/aanbod/micro-credential/",
)
COURSE_INFO = f"{HOST}/ajax/courseInfo"

_SLUG = re.compile(r"/(?:all-programmes|alle-opleidingen|summer-schools)/([^/?#]+)")
_YEAR_SPAN = re.compile(r"\d{4}\s*-\s*\d{4}")
_ID_PARAM = re.compile(r"[?&]id=(\d{4})-([0-9A-Z]+)")
_CREDIT_FACT = re.compile(r"\d.*(?:ects|studiepunt|credit)", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s*")

_INFO_TABS = ("programme info", "opleidingsinfo")
_PROGRAMME_TABS = ("study programme", "studieprogramma")
# Practical-information labels that give a programme-level field (the whole block is kept in ``info`` too).
_INFO_FIELDS = {
    "language of instruction": "languages_raw",
    "onderwijstaal": "languages_raw",
    "study load": "hours_raw",
    "studiebelasting": "hours_raw",
    "semester": "semester_raw",
    "academic year": "academic_year_raw",
    "academiejaar": "academic_year_raw",
}
_OUTCOME_LABELS = ("learning outcomes", "leerresultaten")
# Course-sheet section headings (numbering stripped, lower case) -> CourseUnitItem field.
_SHEET_SECTIONS: tuple[tuple[str, str], ...] = (
    ("is part of", "programmes"),
    ("maakt deel uit", "programmes"),
    ("learning outcomes", "learning_outcomes"),
    ("eindcompetenties", "learning_outcomes"),
    ("course contents", "content"),
    ("inhoud", "content"),
    ("assessment", "assessment"),
    ("evaluatie", "assessment"),
)
_PROGRAMME_FIELDS = frozenset(
    {
        "academic_year_raw",
        "source_code",
        "title",
        "programme_type",
        "faculty",
        "campus",
        "credits_raw",
        "hours_raw",
        "languages_raw",
        "semester_raw",
        "listing_title",
        "listing_url",
        "page_language",
        "info",
        "learning_outcomes",
    }
)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def programme_slug(url: str) -> str | None:
    """The slug that identifies a programme (or summer school) in its URL; UAntwerp publishes no code."""
    match = _SLUG.search(urlsplit(url).path + "/")
    return match.group(1) if match else None


def page_language(url: str) -> str | None:
    path = urlsplit(url).path
    if path.startswith("/en/"):
        return "en"
    if path.startswith("/nl/"):
        return "nl"
    return None


def course_sheet_url(href: str) -> str:
    """The course's link on the study programme (``?id=2025-2002WETGDS&lang=en``) appended to ajax/courseInfo."""
    return COURSE_INFO + href[href.index("?") :] if "?" in href else COURSE_INFO + "?" + href


def _text(selection) -> str | None:
    return clean_text(selection.xpath(".//text()").getall())


def _is_micro_credential(*texts: str | None) -> bool:
    joined = " ".join(text for text in texts if text).lower()
    return "micro-credential" in joined or "microcredential" in joined


class UAntwerpenSpider(RegistrySpider):
    name = "uantwerpen"
    allowed_domains = ["www.uantwerpen.be", "uantwerpen.be"]
    # The site publishes the current academic year; the landing pages are the same for every year asked for
    # (Scrapy's duplicate filter drops the repeats), and each page states its own year.
    default_years = (2025,)
    routes: ClassVar[list[tuple[str, str]]] = [
        (r"/ajax/courseInfo\b", "parse_course_sheet"),
        (r"/summer-schools/[^/?#]+/programme/", "parse_summer_school"),
        (r"/summer-schools/[^/?#]+/?$", "parse_summer_school_root"),
        (r"/(?:all-programmes|aanbod)/micro-credential/?$", "parse_landing"),
        (r"/(?:all-programmes|alle-opleidingen)/?\?", "parse_listing"),
        (r"/(?:study-programme|studieprogramma)(?:/|$)", "parse_study_programme"),
        (r"/(?:programme-info|opleidingsinfo)/?$", "parse_programme_info"),
        (r"/(?:all-programmes|alle-opleidingen)/[^/?#]+/?$", "parse_programme_root"),
    ]

    def start_urls_for(self, year: int):
        yield from LANDING_URLS

    # -- landing and listing --------------------------------------------------------------------------
    def parse_landing(self, response: Response) -> Iterator[Any]:
        followed = 0
        for link in response.xpath("//main//a[@href] | //div[contains(@class, 'managedContent')]//a[@href]"):
            url = response.urljoin(link.attrib["href"])
            callback = getattr(self.callback_for(url), "__name__", "")
            if callback == "parse_listing":
                yield self.request(url)
            elif callback == "parse_summer_school_root":
                card = {
                    "listing_title": _text(link),
                    "listing_url": response.url,
                    "programme_type": clean_text(link.xpath("preceding::h3[1]//text()").getall()),
                }
                yield self.request(url, meta={"card": card})
            else:
                continue
            followed += 1
        if not followed:
            yield self.issue(response, page_kind="landing", reason="no_listing_link")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        cards = []
        # Older vintage (E4C): section.courseItem > a; the card's tags are list items.
        for card in response.css("section.courseItem > a[href]"):
            title = clean_text(card.css("h3 ::text, h2 ::text").getall()) or _text(card)
            kinds = [t for li in card.css("li") if (t := _text(li))]
            cards.append((card.attrib["href"], title, kinds))
        # Newer vintage (ANALYZER): .listCourses a.wrap; the second div.value lists the degree types.
        for card in response.xpath(f"//*[{_has_class('listCourses')}]//a[{_has_class('wrap')}][@href]"):
            values = card.xpath(f".//div[{_has_class('value')}]")
            title = _text(values[0]) if values else _text(card)
            kinds = [t for li in values[1].css("li") if (t := _text(li))] if len(values) > 1 else []
            cards.append((card.attrib["href"], title, kinds))
        if not cards:
            yield self.issue(response, page_kind="listing", reason="no_cards")
            return
        for href, title, kinds in cards:
            url = response.urljoin(href)
            micro = _is_micro_credential(*kinds) if kinds else _is_micro_credential(title, url)
            if not micro:
                if self.crawler_stats is not None:
                    self.crawler_stats.inc_value("microcred/skipped/not_micro_credential")
                continue
            card_info = {
                "listing_title": title,
                "listing_url": response.url,
                "programme_type": next((kind for kind in kinds if _is_micro_credential(kind)), None),
            }
            yield self.request(url, meta={"card": card_info})

    # -- programme pages ------------------------------------------------------------------------------
    def parse_programme_root(self, response: Response) -> Iterator[Any]:
        programme = self._carried(response)
        programme.update(self._header(response))
        info_url = self._tab(response, _INFO_TABS)
        programme_url = self._tab(response, _PROGRAMME_TABS)
        if info_url:
            # If the info tab fails, the errback still follows the study programme (``fallback_url``).
            yield self.request(info_url, meta={"programme": programme, "fallback_url": programme_url})
        elif programme_url:
            yield self.request(programme_url, meta={"programme": programme})
        else:
            yield self.issue(
                response,
                page_kind="programme_root",
                reason="no_programme_tabs",
                detail=programme.get("source_code"),
            )

    def parse_programme_info(self, response: Response) -> Iterator[Any]:
        programme = self._carried(response)
        programme.update(self._header(response))
        programme.update(self._key_facts(response))
        info, outcomes, fields = self._practical_info(response)
        if info:
            programme["info"] = info
            programme["learning_outcomes"] = outcomes
            programme.update(fields)
        else:
            yield self.issue(
                response,
                page_kind="programme_info",
                reason="no_practical_information",
                detail=programme.get("source_code"),
            )
        programme_url = self._tab(response, _PROGRAMME_TABS)
        if programme_url:
            yield self.request(programme_url, meta={"programme": programme})
            return
        # Without a study programme there is no year pane to wait for: record what this page says.
        yield self.issue(
            response,
            page_kind="programme_info",
            reason="no_study_programme_tab",
            detail=programme.get("source_code"),
        )
        yield self._programme_item(response, programme)

    def parse_study_programme(self, response: Response) -> Iterator[Any]:
        carried = bool(page_meta(response).get("programme"))
        programme = self._carried(response)
        programme.update(self._header(response))
        code = programme.get("source_code")
        panes = response.xpath("//div[starts-with(normalize-space(@class), 'study-programme')]")
        if not panes and response.css("section.course"):
            panes = [response]  # a page without year panes: the whole page is one
        courses_seen = 0
        for pane in panes:
            year = clean_text(pane.xpath(f"./h3[{_has_class('heading')}][1]//text()").getall())
            year = year if year and _YEAR_SPAN.search(year) else None
            courses = pane.css("section.course")
            if not year:
                year = next(
                    (
                        m.group(1)
                        for m in map(_ID_PARAM.search, courses.css("h5 a::attr(href)").getall())
                        if m
                    ),
                    None,
                )
            courses_seen += len(courses)
            yield self._programme_item(response, programme, academic_year_raw=year)
            yield from self._courses(response, courses, code, year)
        if not courses_seen:
            yield self.issue(response, page_kind="study_programme", reason="no_courses", detail=code)
            if not panes and carried:
                # Nothing to attach a year to, but what the earlier tabs said is not thrown away.
                yield self._programme_item(response, programme)

    def _courses(
        self, response: Response, courses, programme_code: str | None, year: str | None
    ) -> Iterator[Any]:
        provenance = self.provenance(response)
        for position, course in enumerate(courses):
            link = course.css("h5 a") or course.css("header a")
            href = link.attrib.get("href", "") if link else ""
            specs = self._specs(course)
            id_match = _ID_PARAM.search(href)
            course_code = specs.get("guideNr") or (id_match.group(2) if id_match else None)
            if not course_code:
                yield self.issue(
                    response, page_kind="study_programme", reason="course_without_code", detail=programme_code
                )
                continue
            name = _text(link) if link else None
            yield ProgrammeCourseItem(
                academic_year_raw=year,
                programme_code=programme_code,
                course_code=course_code,
                course_name=name,
                credits_raw=specs.get("points"),
                languages_raw=specs.get("language"),
                semester_raw=specs.get("semester"),
                offered=True,
                position=position,
                **provenance,
            )
            yield CourseUnitItem(
                academic_year_raw=year,
                code=course_code,
                name=name,
                credits_raw=specs.get("points"),
                hours_raw=specs.get("tax"),
                contact_hours_raw=specs.get("hours"),
                languages_raw=specs.get("language"),
                semester_raw=specs.get("semester"),
                lecturers=specs.get("teachers") or [],
                **provenance,
            )
            if href:
                yield self.request(course_sheet_url(href))

    # -- course sheet ---------------------------------------------------------------------------------
    def parse_course_sheet(self, response: Response) -> Iterator[Any]:
        selector = self._selector(response)
        specs = self._specs(selector)
        heading = selector.css("header h2, h2.heading, h1")
        if not specs:
            yield self.issue(response, page_kind="course_sheet", reason="no_course_info", detail=response.url)
            return
        query = parse_qs(urlsplit(response.url).query)
        id_match = _ID_PARAM.search(response.url)
        code = specs.get("guideNr") or (id_match.group(2) if id_match else None)
        if not code:
            yield self.issue(
                response, page_kind="course_sheet", reason="missing_course_code", detail=response.url
            )
            return
        sections: dict[str, Any] = {}
        for summary in selector.xpath("//summary"):
            label = _SECTION_NUMBER.sub("", (_text(summary) or "")).lower()
            body = summary.xpath("following-sibling::*[1]")
            for prefix, name in _SHEET_SECTIONS:
                if label.startswith(prefix) and name not in sections:
                    if name in ("programmes", "learning_outcomes"):
                        entries = [t for li in body.css("li") if (t := _text(li))]
                        sections[name] = entries or [t for p in body.css("p") if (t := _text(p))]
                    else:
                        sections[name] = _text(body)
                    break
        year = clean_text(selector.css(".academicYear ::text").getall()) or (
            id_match.group(1) if id_match else None
        )
        yield CourseUnitItem(
            academic_year_raw=year,
            code=code,
            name=_text(heading[0]) if heading else None,
            credits_raw=specs.get("points"),
            hours_raw=specs.get("tax"),
            contact_hours_raw=specs.get("hours"),
            languages_raw=specs.get("language"),
            semester_raw=specs.get("semester"),
            sheet_language=(query.get("lang") or [None])[0],
            lecturers=specs.get("teachers") or [],
            **sections,
            **self.provenance(response),
        )

    # -- summer schools -------------------------------------------------------------------------------
    def parse_summer_school_root(self, response: Response) -> Iterator[Any]:
        programme = self._carried(response)
        programme.update(self._header(response))
        target = next(
            (
                response.urljoin(href)
                for href in response.css("nav.navSection a::attr(href)").getall()
                if "/programme/" in href
            ),
            None,
        )
        if not target:
            yield self.issue(
                response,
                page_kind="summer_school",
                reason="no_programme_tab",
                detail=programme.get("source_code"),
            )
            return
        yield self.request(target, meta={"programme": programme})

    def parse_summer_school(self, response: Response) -> Iterator[Any]:
        programme = self._carried(response)
        programme.update(self._header(response))
        programme.update(self._key_facts(response))
        info, outcomes, fields = self._practical_info(response)
        programme.update(fields)
        if not info and not programme.get("credits_raw"):
            yield self.issue(
                response,
                page_kind="summer_school",
                reason="no_practical_information",
                detail=programme.get("source_code"),
            )
            return
        yield self._programme_item(response, programme, info=info, learning_outcomes=outcomes)

    # -- failures -------------------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Any]:
        """Records the failure; a failed programme-info tab still leads on to the study programme."""
        yield from super().on_error(failure)
        meta = failure.request.meta
        if meta.get("fallback_url"):
            yield self.request(meta["fallback_url"], meta={"programme": meta.get("programme") or {}})

    # -- shared readers -------------------------------------------------------------------------------
    def _carried(self, response: Response) -> dict[str, Any]:
        """What earlier pages said about this programme (meta), plus its identity from the URL."""
        meta = page_meta(response)
        programme = dict(meta.get("programme") or {})
        if not programme and meta.get("card"):
            programme = {k: v for k, v in meta["card"].items() if v is not None}
        programme["source_code"] = programme_slug(response.url) or programme.get("source_code")
        programme.setdefault("page_language", page_language(response.url))
        return programme

    def _programme_item(self, response: Response, programme: dict[str, Any], **extra: Any) -> ProgrammeItem:
        fields = {k: v for k, v in {**programme, **extra}.items() if k in _PROGRAMME_FIELDS and v is not None}
        return ProgrammeItem(**fields, **self.provenance(response))

    @staticmethod
    def _selector(response: Response) -> Selector:
        # ajax/courseInfo answers a bare fragment; a Response built without a content type may not be text.
        return (
            response
            if hasattr(response, "xpath")
            else Selector(text=response.body.decode("utf-8", "replace"))
        )

    @staticmethod
    def _header(response: Response) -> dict[str, str]:
        title = clean_text(response.css("span.main ::text").getall()) or clean_text(
            response.css("h1 ::text").getall()
        )
        faculty = campus = None
        for link in response.css("div.managedContent li a"):
            text = _text(link) or ""
            if faculty is None and "facult" in text.lower():
                faculty = text
            elif campus is None and "campus" in text.lower():
                campus = text
        return {k: v for k, v in {"title": title, "faculty": faculty, "campus": campus}.items() if v}

    @staticmethod
    def _key_facts(response: Response) -> dict[str, str]:
        """The key-facts list of an info tab ("6 ECTS-credits", "Programme taught in English", …)."""
        for item in response.css("div.managedContent li"):
            if item.css("a"):
                continue
            text = _text(item)
            if text and _CREDIT_FACT.search(text):
                return {"credits_raw": text}
        return {}

    @staticmethod
    def _tab(response: Response, labels: tuple[str, ...]) -> str | None:
        for link in response.css("nav.navSection a[href]"):
            label = (_text(link) or "").lower()
            if label in labels:
                return response.urljoin(link.attrib["href"])
        return None

    @staticmethod
    def _practical_info(response: Response) -> tuple[dict[str, str], list[str], dict[str, str]]:
        """Label -> raw text of every practical-information pair, the learning outcomes, and mapped fields."""
        info: dict[str, str] = {}
        outcomes: list[str] = []
        fields: dict[str, str] = {}
        for row in response.xpath(f"//div[{_has_class('managedContent')}]//tr[th and td]"):
            label = _text(row.xpath("./th[1]"))
            cell = row.xpath("./td[1]")
            value = _text(cell)
            if not label or not value:
                continue
            info[label] = value
            key = label.rstrip(":").strip().lower()
            if key in _OUTCOME_LABELS:
                outcomes = [t for li in cell.css("li") if (t := _text(li))] or [value]
            elif key in _INFO_FIELDS:
                fields.setdefault(_INFO_FIELDS[key], value)
        return info, outcomes, fields

    @staticmethod
    def _specs(selection) -> dict[str, Any]:
        """``div.spec.{class}`` label/value pairs of a course (study programme or sheet), raw text per class.

        ``exam`` is used for several labels (exam period, study domain, resit…), so only its first is kept;
        ``teachers`` becomes the list of names.
        """
        specs: dict[str, Any] = {}
        for spec in selection.xpath(f".//div[{_has_class('spec')}]"):
            classes = (spec.attrib.get("class") or "").split()
            kind = next((c for c in classes if c != "spec"), None)
            if not kind or kind in specs:
                continue
            value = spec.xpath(f"./div[{_has_class('value')}]")
            if kind == "teachers":
                specs[kind] = [t for li in value.css("li") if (t := _text(li))]
            else:
                specs[kind] = _text(value) if value else None
        return specs
