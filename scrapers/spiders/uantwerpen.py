"""University of Antwerp: www.uantwerpen.be.

Landing pages (``/en/study/programmes/all-programmes/micro-credential/``, ``/nl/studeren/aanbod/micro-credential/``)
-> the all-programmes listing (``…/all-programmes/?s=16&lang=en&f=…``; cards in either vintage,
``section.courseItem > a`` or ``.listCourses a.wrap``; only micro-credential cards are followed) -> programme
root (``…/{slug}/``) -> its "Programme info" / "Opleidingsinfo" tab (key facts, practical information) -> its
"Study programme" / "Studieprogramma" tab (``section.course`` per course unit) -> ``ajax/courseInfo`` sheets.
The landing page also links summer schools (``/en/summer-schools/{slug}/`` or ``/en/summer-winter-schools/{slug}/``,
one school read once whichever prefixes link it), whose "Programme" tab (``…/programme/content-description/``)
carries their practical information, and whose ECTS sub-page (``programme/study-credits--ects-/``, any slug with
"ects") and registration sub-pages (``registration/procedure/``) may carry their credits and fees.

A programme is described by three pages, so the root and programme-info callbacks pass what they read on to the
next callback (``programme=``) and the study-programme page emits one ``ProgrammeItem`` per academic-year pane it
files (``div.main.tabMain > section.pane[id]``, tabs in ``header.tabHeader``; or the older single
``div.study-programme-active`` form). No programme code is published, so ``source_code`` is the slug of the
programme URL (a summer school's slug is the same under both prefixes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.exceptions import NotSupported
from scrapy.http import Response, TextResponse

from scrapers.items import CourseUnitItem, ProgrammeCourseItem, ProgrammeItem, Provenance
from scrapers.spiders.base import RegistrySpider, clean_text, entries_of, is_micro_credential, text_of

HOST = "https://www.uantwerpen.be"
LANDING_URLS = (
    f"{HOST}/en/study/programmes/all-programmes/micro-credential/",
    f"{HOST}/nl/studeren/aanbod/micro-credential/",
)
COURSE_INFO = f"{HOST}/ajax/courseInfo"

_SLUG = re.compile(r"/(?:all-programmes|alle-opleidingen|summer-schools|summer-winter-schools)/([^/?#]+)")
# A summer school's sub-pages that can state its credits or fees: an ECTS page under the
# programme tab, whatever its slug ("study-credits--ects-", "deliverables---ects-"), and the registration
# pages ("registration/procedure/").
_SCHOOL_ECTS_PAGE = re.compile(r"/programme/[^/?#]*ects[^/?#]*/?$", re.IGNORECASE)
_SCHOOL_REGISTRATION = re.compile(r"/registration/[^/?#]+/?$")
# What a landing page links: the listings, and summer-school roots (not their sub-pages).
_LISTING_LINK = re.compile(r"/(?:all-programmes|alle-opleidingen)/?\?")
_SCHOOL_ROOT = re.compile(r"/summer-(?:winter-)?schools/[^/?#]+/?$")
_SCHOOL_PAGE = re.compile(r"/summer-(?:winter-)?schools/[^/?#]+/(?:programme|registration)/")
_YEAR_SPAN = re.compile(r"(\d{4})\s*[-–]\s*\d{4}")
_PANE_ID_YEAR = re.compile(r"-(\d{4})(?!\d)")
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
    "credits": "credits_raw",
    "study credits": "credits_raw",
    "ects credits": "credits_raw",
    "studiepunten": "credits_raw",
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
# What a programme's pages can state: a ProgrammeItem's fields but its provenance.
_PROGRAMME_FIELDS = frozenset(f.name for f in dataclass_fields(ProgrammeItem)) - {
    f.name for f in dataclass_fields(Provenance)
}


# What a pane of another year than the active one carries over from the earlier tabs: who, not what.
_IDENTITY = ("source_code", "title", "programme_type", "faculty", "campus", "listing_title", "listing_url")
_IDENTITY += ("page_language",)


@dataclass
class _Pane:
    """One academic-year pane of a study-programme page and what could be told about its year."""

    element: Any
    name: str
    year: str | None  # the year as printed where it was read ("2025-2026", or "2025" from an id or link)
    start: int | None  # its first calendar year
    active: bool
    conflict: str | None  # the disagreeing years, when the sources disagree


def _has_class(name: str) -> str:
    # The plain contains() is a cheap pre-filter (as cssselect writes it); the second test decides.
    return f"contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _xpath(expression: str) -> etree.XPath:
    # No EXSLT regular expressions are used: leaving them unregistered halves the cost of a call.
    return etree.XPath(expression, regexp=False, smart_strings=False)


# The study-programme page (its year panes, courses and specs, and the page header) is read on the lxml tree the
# response already parsed, with XPath compiled once here: one parse per page and no selector objects per query.
# It is the measured hot path of ``make bench`` ("parse + extract: real UAntwerp study-programme page", 3.1 ms
# for 65 KB, best of 30 runs); the same reading of the Ghent programme page through parsel selectors took 2.5
# times as long as compiled XPath (0.71 ms against 0.28). The other pages are read with parsel.
# The CSS selectors used before are kept as XPath in cssselect's own translation (``descendant-or-self::``
# where a selector was applied to an element), except where a comment says how a scan of every div is made
# cheaper for the same elements in the same order.
# The live page: one ``section.pane[id]`` per academic year in ``div.main.tabMain``, its tab a
# ``header.tabHeader li[data-desttab]``.
_X_TAB_PANES = _xpath(f"//div[{_has_class('tabMain')}]/section[{_has_class('pane')}][@id]")
_X_TABS = _xpath(f"//header[{_has_class('tabHeader')}]//li[@data-desttab]")
# The form a third-party scraper stored (``div.study-programme-active`` around the active pane only).
# ``//div[starts-with(normalize-space(@class), 'study-programme')]``: libxml2 tests a class attribute node
# (``@class[…]/..``) about a third faster than an element whose predicate must step to its attribute.
_X_PANES = _xpath(
    "//div/@class[contains(., 'study-programme')][starts-with(normalize-space(.), 'study-programme')]/.."
)
_X_COURSES = _xpath(f"descendant-or-self::section[{_has_class('course')}]")
_X_PANE_YEAR = _xpath(f"(./h3 | ./header/h3)[{_has_class('heading')}][1]")
_X_COURSE_LINK = _xpath("descendant-or-self::h5/descendant::a")
_X_COURSE_LINK_HREF = _xpath("descendant-or-self::h5/descendant::a/@href")
_X_HEADER_LINK = _xpath("descendant-or-self::header/descendant::a")
_X_TITLE_TEXT = _xpath(f"descendant-or-self::span[{_has_class('main')}]/descendant-or-self::text()")
_X_H1_TEXT = _xpath("descendant-or-self::h1/descendant-or-self::text()")
# ``div.managedContent li`` on the page root. Only a div that holds a list item can give one, so the class
# test is made on the ancestors of the page's list items (a few dozen) rather than on every div (a thousand).
_MANAGED_ITEMS = f"(//li/ancestor::div)[{_has_class('managedContent')}]/descendant::li"
_X_MANAGED_LINKS = _xpath(f"{_MANAGED_ITEMS}/descendant::a")
_X_TEXT = _xpath(".//text()")
# Candidates for ``.//div[spec]``: every div whose class merely contains "spec"; ``_spec_kind`` decides.
_X_SPECS = _xpath("descendant::div/@class[contains(., 'spec')]/..")
# A spec's ``./div[value]`` (sibling divs, so their texts in document order are each one's texts in turn).
_SPEC_VALUES = f"./div[{_has_class('value')}]"
_X_SPEC_TEXT = _xpath(f"{_SPEC_VALUES}/descendant::text()")
_X_SPEC_ITEMS = _xpath(f"{_SPEC_VALUES}/descendant-or-self::li")
# The spec classes an item reads; any other is only noted (the first of a class is the one kept).
_SPEC_FIELDS = frozenset({"guideNr", "points", "tax", "hours", "language", "semester", "teachers"})
_XML_SPACE = str.maketrans("\t\n\r", "   ")


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


def _strings(element) -> list[str]:
    """The element's ``.//text()`` (what the selectors gave): its text nodes, in document order.

    A leaf, or an element whose one child is a leaf (``<li><a>…</a></li>``, ``6 <span>credits</span>``), is
    read directly, which costs less than an XPath call: its text, the child's (not a comment's), the tail.
    """
    count = len(element)
    if count == 0:
        return [element.text] if element.text else []
    if count == 1:
        child = element[0]
        if not len(child):
            strings = [element.text] if element.text else []
            if (
                isinstance(child.tag, str) and child.text
            ):  # a comment's or processing instruction's is no text
                strings.append(child.text)
            if child.tail:
                strings.append(child.tail)
            return strings
    return _X_TEXT(element)


def _text(element) -> str | None:
    return None if element is None else clean_text(_strings(element))


def _texts(elements) -> str | None:
    """``clean_text`` of the text of every element in turn, as a selector list's ``.//text()`` gives it."""
    return clean_text([text for element in elements for text in _strings(element)])


def _entries(query: etree.XPath, elements) -> list[str]:
    """The non-empty text of every match of ``query`` under each of ``elements`` (list items, paragraphs)."""
    return [text for element in elements for match in query(element) if (text := _text(match))]


@lru_cache(maxsize=1024)
def _spec_kind(classes: str) -> str | None:
    """The class that names a ``div.spec`` (its first other than "spec"), or None for a div that is no spec.

    Whether it is one is ``_has_class("spec")`` made in Python (XPath's normalize-space() splits on XML white
    space only), once per distinct class attribute: a page repeats the same few.
    """
    if "spec" not in classes.translate(_XML_SPACE).split(" "):
        return None
    return next((name for name in classes.split() if name != "spec"), None)


class UAntwerpenSpider(RegistrySpider):
    name = "uantwerpen"
    allowed_domains = ["www.uantwerpen.be", "uantwerpen.be"]
    # The site publishes the current academic year; the landing pages are the same for every year asked for
    # (Scrapy's duplicate filter drops the repeats), and each page states its own year.
    default_years = (2025,)
    listing_routes: ClassVar[frozenset[str]] = frozenset({"parse_landing", "parse_listing"})
    routes: ClassVar[list[tuple[str, str]]] = [
        (r"/ajax/courseInfo\b", "parse_course_sheet"),
        (r"/summer-(?:winter-)?schools/[^/?#]+/(?:programme|registration)/", "parse_summer_school"),
        (r"/summer-(?:winter-)?schools/[^/?#]+/?$", "parse_summer_school_root"),
        (r"/(?:all-programmes|aanbod)/micro-credential/?$", "parse_landing"),
        (r"/(?:all-programmes|alle-opleidingen)/?\?", "parse_listing"),
        (r"/(?:study-programme|studieprogramma)(?:/|$)", "parse_study_programme"),
        (r"/(?:programme-info|opleidingsinfo)/?$", "parse_programme_info"),
        (r"/(?:all-programmes|alle-opleidingen)/[^/?#]+/?$", "parse_programme_root"),
    ]

    def start_requests_for(self, year: int):
        for url in LANDING_URLS:
            yield self.follow(url, self.parse_landing)

    # -- landing and listing --------------------------------------------------------------------------
    def parse_landing(self, response: Response) -> Iterator[Any]:
        """A micro-credential landing page: its links to the listings and to the summer schools."""
        followed = 0
        schools: set[str | None] = set()
        for link in response.xpath("//main//a[@href] | //div[contains(@class, 'managedContent')]//a[@href]"):
            url = response.urljoin(link.attrib["href"])
            if not self.own_domain(url):
                continue
            if _LISTING_LINK.search(url):
                yield self.follow(url, self.parse_listing)
            elif _SCHOOL_ROOT.search(url) and not _SCHOOL_PAGE.search(url) and "/ajax/courseInfo" not in url:
                # One school may be linked under both prefixes (summer-schools/, summer-winter-schools/):
                # it is one school, read once, under the first link met.
                slug = programme_slug(url)
                if slug in schools:
                    self.count("microcred/skipped/summer_school_seen_under_another_prefix")
                    continue
                schools.add(slug)
                card = {
                    "listing_title": text_of(link),
                    "listing_url": response.url,
                    "programme_type": text_of(link.xpath("preceding::h3[1]")),
                }
                yield self.follow(url, self.parse_summer_school_root, card=card)
            else:
                continue
            followed += 1
        if not followed:
            yield self.issue(response, page_kind="landing", reason="no_listing_link")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """The all-programmes listing: a micro-credential's card leads to its programme root."""
        cards = []
        # Older vintage (E4C): section.courseItem > a; the card's tags are list items.
        for card in response.css("section.courseItem > a[href]"):
            title = clean_text(card.css("h3 ::text, h2 ::text").getall()) or text_of(card)
            cards.append((card.attrib["href"], title, entries_of(card.css("li"))))
        # Newer vintage (ANALYZER): .listCourses a.wrap; the second div.value lists the degree types.
        for card in response.css(".listCourses a.wrap[href]"):
            values = card.css("div.value")
            title = text_of(values[0]) if values else text_of(card)
            cards.append((card.attrib["href"], title, entries_of(values[1:2].css("li"))))
        if not cards:
            yield self.issue(response, page_kind="listing", reason="no_cards")
            return
        for href, title, kinds in cards:
            url = response.urljoin(href)
            micro = is_micro_credential(*kinds) if kinds else is_micro_credential(title, url)
            if not micro:
                self.count("microcred/skipped/not_micro_credential")
                continue
            card_info = {
                "listing_title": title,
                "listing_url": response.url,
                "programme_type": next((kind for kind in kinds if is_micro_credential(kind)), None),
            }
            # A card leads to a programme's root, or to a summer school's when the listing offers one.
            callback = (
                self.parse_summer_school_root if _SCHOOL_ROOT.search(url) else self.parse_programme_root
            )
            yield self.follow(url, callback, card=card_info)

    # -- programme pages ------------------------------------------------------------------------------
    def parse_programme_root(self, response: Response, card: dict[str, Any] | None = None) -> Iterator[Any]:
        """A programme's root page: its header, and its info and study-programme tabs to read next."""
        programme = self._carried(response, card=card)
        programme.update(self._header(self._tree(response)))
        info_url = self._tab(response, _INFO_TABS)
        programme_url = self._tab(response, _PROGRAMME_TABS)
        if info_url:
            # If the info tab fails, the errback still follows the study programme (``fallback_url``).
            yield self.follow(
                info_url, self.parse_programme_info, programme=programme, fallback_url=programme_url
            )
        elif programme_url:
            yield self.follow(programme_url, self.parse_study_programme, programme=programme)
        else:
            yield self.issue(
                response,
                page_kind="programme_root",
                reason="no_programme_tabs",
                detail=programme.get("source_code"),
            )

    def parse_programme_info(
        self,
        response: Response,
        programme: dict[str, Any] | None = None,
        fallback_url: str | None = None,  # the study programme, should this page fail (read by on_error)
    ) -> Iterator[Any]:
        """The "Programme info" tab: key facts and practical information, carried on to the study programme."""
        programme = self._carried(response, programme)
        programme.update(self._header(self._tree(response)))
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
            yield self.follow(programme_url, self.parse_study_programme, programme=programme)
            return
        # Without a study programme there is no year pane to wait for: record what this page says.
        yield self.issue(
            response,
            page_kind="programme_info",
            reason="no_study_programme_tab",
            detail=programme.get("source_code"),
        )
        yield self._programme_item(response, programme)

    def parse_study_programme(
        self, response: Response, programme: dict[str, Any] | None = None
    ) -> Iterator[Any]:
        """One ``ProgrammeItem`` and its courses per academic-year pane, each filed under its own pane's year.

        The active pane (or the only one) carries what the earlier tabs said; another pane is filed only when
        its year is one the spider was asked for, with the programme's identity alone (the info tab speaks
        for the active year). A pane whose year cannot be told gives an issue and files nothing.
        """
        root = self._tree(response)
        carried = bool(programme)
        programme = self._carried(response, programme)
        programme.update(self._header(root))
        code = programme.get("source_code")
        panes = self._panes(root)
        courses_seen = 0
        for pane in panes:
            courses = _X_COURSES(pane.element)
            courses_seen += len(courses)
            if pane.conflict or not pane.year:
                yield self.issue(
                    response,
                    page_kind="study_programme",
                    reason="pane_year_conflict" if pane.conflict else "pane_year_unknown",
                    detail=f"{code}: pane {pane.name}, {len(courses)} course(s) not filed"
                    + (f" ({pane.conflict})" if pane.conflict else ""),
                )
                continue
            if not pane.active and pane.start not in self.years:
                self.count("microcred/skipped/pane_year_not_requested")
                continue
            fields = programme if pane.active else {k: programme[k] for k in _IDENTITY if k in programme}
            yield self._programme_item(response, fields, academic_year_raw=pane.year)
            yield from self._courses(response, courses, code, pane.year)
        if not courses_seen:
            yield self.issue(response, page_kind="study_programme", reason="no_courses", detail=code)
            if not panes and carried:
                # Nothing to attach a year to, but what the earlier tabs said is not thrown away.
                yield self._programme_item(response, programme)

    @staticmethod
    def _panes(root) -> list[_Pane]:
        """The page's year panes in any of the forms met, each with the year it can be told to hold.

        A pane's year is read from its heading ("2025-2026"), its id (``…-2025``), its tab's label and the
        ``?id=2025-…`` links of its courses, in that order; sources that disagree make the year unknown.
        """
        tabs = {}
        for tab in _X_TABS(root):
            target = (tab.get("data-desttab") or "").lstrip("#")
            classes = (tab.get("class") or "").split()
            tabs[target] = (_text(tab), "stateActive" in classes or "active" in classes)
        found = _X_TAB_PANES(root)
        if found:
            elements = [(pane, pane.get("id")) for pane in found]
        else:
            elements = [(pane, pane.get("class")) for pane in _X_PANES(root)]
            if not elements and _X_COURSES(root):
                elements = [(root, "page")]  # a page without year panes: the whole page is one
        panes = []
        for index, (element, name) in enumerate(elements):
            tab_label, tab_active = tabs.get(name or "", (None, False))
            classes = (element.get("class") or "").split()
            heading = _text(next(iter(_X_PANE_YEAR(element)), None))
            id_match = _PANE_ID_YEAR.search(element.get("id") or "") if found else None
            hrefs = (href for course in _X_COURSES(element) for href in _X_COURSE_LINK_HREF(course))
            link_years = {m.group(1) for m in map(_ID_PARAM.search, hrefs) if m}
            candidates = [
                (raw, _YEAR_SPAN.search(raw).group(1))
                for raw in (heading, tab_label)
                if raw and _YEAR_SPAN.search(raw)
            ]
            if id_match:
                candidates.insert(1, (id_match.group(1), id_match.group(1)))
            if len(link_years) == 1:
                (link_year,) = link_years
                candidates.append((link_year, link_year))
            starts = sorted({start for _, start in candidates} | link_years)
            conflict = " / ".join(starts) if len(starts) > 1 else None
            active = (
                tab_active
                or "stateActive" in classes
                or "study-programme-active" in classes
                or len(elements) == 1
            )
            panes.append(
                _Pane(
                    element=element,
                    name=name or str(index + 1),
                    year=candidates[0][0] if candidates and not conflict else None,
                    start=int(starts[0]) if len(starts) == 1 else None,
                    active=active,
                    conflict=conflict,
                )
            )
        if panes and not any(pane.active for pane in panes):
            panes[0].active = True  # unmarked: the first pane is the newest year (as other crawlers found)
        return panes

    def _courses(
        self, response: Response, courses: list, programme_code: str | None, year: str | None
    ) -> Iterator[Any]:
        provenance = self.provenance(response)
        for position, course in enumerate(courses):
            links = _X_COURSE_LINK(course) or _X_HEADER_LINK(course)
            href = links[0].get("href", "") if links else ""
            specs = self._specs(course)
            id_match = _ID_PARAM.search(href)
            course_code = specs.get("guideNr") or (id_match.group(2) if id_match else None)
            if not course_code:
                yield self.issue(
                    response, page_kind="study_programme", reason="course_without_code", detail=programme_code
                )
                continue
            name = _texts(links) if links else None
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
                yield self.follow(course_sheet_url(href), self.parse_course_sheet)

    # -- course sheet ---------------------------------------------------------------------------------
    def parse_course_sheet(self, response: Response) -> Iterator[Any]:
        """An ``ajax/courseInfo`` fragment: the course's specs and its sections (``summary`` headings)."""
        root = self._tree(response)
        specs = self._specs(root)
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
        page = Selector(root=root)
        for summary in page.xpath("//summary"):
            label = _SECTION_NUMBER.sub("", (text_of(summary) or "")).lower()
            for prefix, name in _SHEET_SECTIONS:
                if label.startswith(prefix) and name not in sections:
                    body = summary.xpath("following-sibling::*[1]")
                    if name in ("programmes", "learning_outcomes"):
                        sections[name] = entries_of(body.css("li")) or entries_of(body.css("p"))
                    else:
                        sections[name] = clean_text(body.xpath(".//text()").getall())
                    break
        year = clean_text(page.css(".academicYear ::text").getall()) or (
            id_match.group(1) if id_match else None
        )
        yield CourseUnitItem(
            academic_year_raw=year,
            code=code,
            name=text_of(page.css("header h2, h2.heading, h1")),
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
    def parse_summer_school_root(
        self, response: Response, card: dict[str, Any] | None = None
    ) -> Iterator[Any]:
        """The school's tabs: its programme page first, then the pages that may state credits or fees."""
        programme = self._carried(response, card=card)
        programme.update(self._header(self._tree(response)))
        programme_page, extra = None, []
        for href in response.css("nav.navSection a::attr(href), nav.navSub a::attr(href)").getall():
            url = response.urljoin(href)
            path = urlsplit(url).path
            if not self.own_domain(url) or programme_slug(url) != programme.get("source_code"):
                continue
            if "/programme/" in path and not _SCHOOL_ECTS_PAGE.search(path):
                programme_page = programme_page or url
            elif _SCHOOL_ECTS_PAGE.search(path) or _SCHOOL_REGISTRATION.search(path):
                extra.append(url)
        if not programme_page:
            yield self.issue(
                response,
                page_kind="summer_school",
                reason="no_programme_tab",
                detail=programme.get("source_code"),
            )
            return
        # ECTS pages before registration pages: a page about credits says them most plainly.
        pending = sorted(
            dict.fromkeys(extra), key=lambda url: not _SCHOOL_ECTS_PAGE.search(urlsplit(url).path)
        )
        yield self.follow(programme_page, self.parse_summer_school, programme=programme, pending=pending)

    def parse_summer_school(
        self,
        response: Response,
        programme: dict[str, Any] | None = None,
        pending: list[str] | None = None,
        read_from: dict[str, Any] | None = None,  # provenance of the last page read (for on_error)
    ) -> Iterator[Any]:
        """A school's programme, ECTS or registration page: what it adds, then the next page or the item.

        The first statement of a field wins (the programme page's before a sub-page's); the practical
        information of every page is kept in ``info`` under its own label.
        """
        root = self._tree(response)
        programme = self._carried(response, programme)
        for key, value in self._header(root).items():
            programme.setdefault(key, value)
        facts = self._key_facts(response)
        if not facts and _SCHOOL_ECTS_PAGE.search(urlsplit(response.url).path):
            facts = self._credit_statement(response)  # a page about credits: its first statement of them
        info, outcomes, fields = self._practical_info(response)
        for key, value in {**fields, **facts}.items():
            programme.setdefault(key, value)
        merged = dict(programme.get("info") or {})
        for label, value in info.items():
            merged.setdefault(label, value)
        programme["info"] = merged
        if outcomes and not programme.get("learning_outcomes"):
            programme["learning_outcomes"] = outcomes
        pending = list(pending or [])
        if pending:
            yield self.follow(
                pending[0],
                self.parse_summer_school,
                programme=programme,
                pending=pending[1:],
                read_from=self.provenance(response),
            )
            return
        yield from self._summer_school_item(response, programme)

    def _summer_school_item(self, response: Response, programme: dict[str, Any]) -> Iterator[Any]:
        if not programme.get("info") and not programme.get("credits_raw"):
            yield self.issue(
                response,
                page_kind="summer_school",
                reason="no_practical_information",
                detail=programme.get("source_code"),
            )
            return
        yield self._programme_item(response, programme)

    # -- failures -------------------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Any]:
        """Records the failure; a failed programme-info tab still leads on to the study programme."""
        yield from super().on_error(failure)
        meta = failure.request.cb_kwargs
        if meta.get("fallback_url"):
            yield self.follow(
                meta["fallback_url"], self.parse_study_programme, programme=meta.get("programme") or {}
            )
        elif meta.get("pending") is not None and meta.get("programme"):
            # A summer school's sub-page failed: the next one is still read, or what was read is kept,
            # with the provenance of the last page that was read.
            pending, programme = list(meta["pending"]), meta["programme"]
            if pending:
                yield self.follow(
                    pending[0],
                    self.parse_summer_school,
                    programme=programme,
                    pending=pending[1:],
                    read_from=meta.get("read_from"),
                )
            elif meta.get("read_from") and (programme.get("info") or programme.get("credits_raw")):
                fields = {k: v for k, v in programme.items() if k in _PROGRAMME_FIELDS and v is not None}
                yield ProgrammeItem(**fields, **meta["read_from"])

    # -- shared readers -------------------------------------------------------------------------------
    @staticmethod
    def _carried(
        response: Response, programme: dict[str, Any] | None = None, card: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """What earlier pages said about this programme (or its listing card), plus its identity from the URL."""
        programme = dict(programme or {})
        if not programme and card:
            programme = {k: v for k, v in card.items() if v is not None}
        programme["source_code"] = programme_slug(response.url) or programme.get("source_code")
        programme.setdefault("page_language", page_language(response.url))
        return programme

    def _programme_item(self, response: Response, programme: dict[str, Any], **extra: Any) -> ProgrammeItem:
        fields = {k: v for k, v in {**programme, **extra}.items() if k in _PROGRAMME_FIELDS and v is not None}
        return ProgrammeItem(**fields, **self.provenance(response))

    @staticmethod
    def _tree(response: Response):
        """The lxml root of the page, parsed once by the response's own selector."""
        if isinstance(response, TextResponse):
            return response.selector.root
        if isinstance(response, Response):
            raise NotSupported("Response content isn't text")  # what response.xpath() raises
        # ajax/courseInfo answers a bare fragment; an object that is not a Response is parsed from its body.
        return Selector(text=response.body.decode("utf-8", "replace")).root

    @staticmethod
    def _header(root) -> dict[str, str]:
        title = clean_text(_X_TITLE_TEXT(root)) or clean_text(_X_H1_TEXT(root))
        faculty = campus = None
        for link in _X_MANAGED_LINKS(root):
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
            if item.xpath(".//a"):
                continue
            text = text_of(item)
            if text and _CREDIT_FACT.search(text):
                return {"credits_raw": text}
        return {}

    @staticmethod
    def _credit_statement(response: Response) -> dict[str, str]:
        """The first paragraph or list item of the main content that states credits ("2–5 ECTS credits")."""
        for element in response.xpath(
            f"//div[{_has_class('managedContent')}]//*[self::p or self::li or self::h2]"
        ):
            text = text_of(element)
            if text and _CREDIT_FACT.search(text):
                return {"credits_raw": text}
        return {}

    @staticmethod
    def _tab(response: Response, labels: tuple[str, ...]) -> str | None:
        """The page's tab (``nav.navSection`` link) labelled one of ``labels``."""
        for link in response.css("nav.navSection a[href]"):
            label = (text_of(link) or "").lower()
            if label in labels:
                return response.urljoin(link.attrib["href"])
        return None

    @staticmethod
    def _practical_info(response: Response) -> tuple[dict[str, str], list[str], dict[str, str]]:
        """Label -> raw text of every practical-information pair (``div.managedContent tr`` with a ``th``
        and a ``td``), the learning outcomes, and mapped fields."""
        info: dict[str, str] = {}
        outcomes: list[str] = []
        fields: dict[str, str] = {}
        for row in response.xpath(f"//div[{_has_class('managedContent')}]//tr[th and td]"):
            label = clean_text(row.xpath("./th[1]//text()").getall())
            cell = row.xpath("./td[1]")
            value = clean_text(cell.xpath(".//text()").getall())
            if not label or not value:
                continue
            info[label] = value
            key = label.rstrip(":").strip().lower()
            if key in _OUTCOME_LABELS:
                outcomes = entries_of(cell.css("li")) or [value]
            elif key in _INFO_FIELDS:
                fields.setdefault(_INFO_FIELDS[key], value)
        return info, outcomes, fields

    @staticmethod
    def _specs(element) -> dict[str, Any]:
        """``div.spec.{class}`` label/value pairs of a course (study programme or sheet), raw text per class.

        ``exam`` is used for several labels (exam period, study domain, resit…), so only its first is kept;
        ``teachers`` becomes the list of names. A class no item reads is kept as None, unread.
        """
        specs: dict[str, Any] = {}
        for spec in _X_SPECS(element):
            kind = _spec_kind(spec.get("class"))
            if not kind or kind in specs:
                continue
            if kind not in _SPEC_FIELDS:
                specs[kind] = None  # nothing reads it
            elif kind == "teachers":
                specs[kind] = _entries(_X_SPEC_ITEMS, [spec])
            else:
                specs[kind] = clean_text(_X_SPEC_TEXT(spec))  # None without a value div, as without text
        return specs
