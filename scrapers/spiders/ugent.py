"""Ghent University: studiekiezer.ugent.be.

Listing (``/{lang}/zoek?zt=&aj={year}``) -> ``lazyLoadedChunk`` batches (``/incrementalsearch``) -> programme
pages (``/{year}/{slug}/programma`` from 2023, ``/{slug}/programma/{year}`` before, or by programme code
``/{year}/{lang}/afstudeerrichting/{CODE}``) -> course sheets
(``/{year}/studiefiche/{lang}/{code}``, older ``/studiefiche/{lang}/{code}/{year}``). Only cards whose type
or title says micro-credential are followed. Semester codes are carried as printed ("1", "3" for the summer
period, "A2" for one of several offerings, "(1)" for not offered that year): their meaning is the normaliser's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from lxml import etree
from scrapy.http import Response

from scrapers.items import CourseUnitItem, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.base import RegistrySpider, clean_text, entries_of, is_micro_credential, text_of

HOST = "https://studiekiezer.ugent.be"
_YEAR_FIRST = re.compile(r"^https?://[^/]+/(\d{4})/([^/?#]+)/?$")
_YEAR_LAST = re.compile(r"^https?://[^/]+/([^/?#]+)/(\d{4})/?$")
# The programme-code form, ``/{YEAR}/{nl|en}/afstudeerrichting/{CODE}``: a programme page itself.
_PROGRAMME_BY_CODE = re.compile(r"^https?://[^/]+/(\d{4})/(nl|en)/afstudeerrichting/([^/?#]+)/?$")
_PROGRAMME_YEAR = re.compile(
    r"/(\d{4})/[^/]+/programma|/programma/(\d{4})|/(\d{4})/(?:nl|en)/afstudeerrichting/"
)
_SHEET_YEAR = re.compile(r"/(\d{4})/studiefiche/|/studiefiche/[a-z]{2}/[^/]+/(\d{4})")
_TRAILING_CODE = re.compile(r"\s*\(([A-Z]\d{6})\)\s*$")

# Course-sheet labels (Dutch and English) -> CourseUnitItem field.
_SHEET_LABELS: tuple[tuple[str, str], ...] = (
    ("studiepunten", "credits_raw"),
    ("credits", "credits_raw"),
    ("studietijd", "hours_raw"),
    ("study time", "hours_raw"),
    ("contacttijd", "contact_hours_raw"),
    ("contact hours", "contact_hours_raw"),
    ("onderwijstalen", "languages_raw"),
    ("teaching languages", "languages_raw"),
    ("semester", "semester_raw"),
    ("lesgevers", "lecturers"),
    ("lecturers", "lecturers"),
    ("aangeboden", "programmes"),
    ("offered", "programmes"),
)
_SHEET_SECTIONS: tuple[tuple[str, str], ...] = (
    ("inhoud", "content"),
    ("content", "content"),
    ("eindcompetenties", "learning_outcomes"),
    ("final competences", "learning_outcomes"),
    ("evaluatievormen", "assessment"),
    ("assessment", "assessment"),
)
_OUTCOME_LABELS = ("leerresultaten", "learning outcomes")

# The programme page is read on the lxml tree the response already parsed, with XPath compiled once here: the
# same reading through parsel selectors took 0.71 ms a page against 0.28 ms (best of 40 runs of the page of
# ``make bench``'s "parse + extract: Ghent programme page"), a selector object per match and an XPath compiled
# per call being most of the difference. The listing, its chunks and the course sheets are read with parsel.
_X_TITLE = etree.XPath("//h1[@id='titleLabel']")
_X_TYPE = etree.XPath("//i[contains(@class, 'glyphicon-education')]/following-sibling::span[1]")
_X_PLACES = etree.XPath("//i[contains(@class, 'glyphicon-map-marker')]/following-sibling::div[1]//span")
_X_TABLE_HEADING = etree.XPath(
    "//h4[contains(normalize-space(.), 'Volledig') or contains(normalize-space(.), 'Full')]"
)
_X_COURSE_ROWS = etree.XPath("./ancestor::*[.//tr][1]//tr[td[contains(@class, 'cursusnaam')]]")
_X_COURSE = etree.XPath("./td[contains(@class, 'cursusnaam')]//span[@title]")
_X_CREDITS = etree.XPath("./td[contains(@class, 'SP')]")
_X_LANGUAGE_DIV = etree.XPath("./td[contains(@class, 'taal')]/div/div[1]")
_X_LANGUAGE_TD = etree.XPath("./td[contains(@class, 'taal')]")
_X_SEMESTER = etree.XPath("./td[contains(@class, 'semester')]")
_X_INFO_TERMS = etree.XPath("//*[@id='praktische-info']//dt")
_X_NEXT_DD = etree.XPath("following-sibling::dd[1]")
_X_LI = etree.XPath(".//li")


def _element_text(element) -> str | None:
    """``text`` of an lxml element: its text with its descendants' (itertext skips comments)."""
    return None if element is None else clean_text(element.itertext())


def _first_text(elements: list) -> str | None:
    return _element_text(elements[0]) if elements else None


def programme_url(card_href: str) -> str | None:
    """The programme ("programma") page for a listing card's link, in either URL era."""
    if "/programma" in card_href or _PROGRAMME_BY_CODE.match(card_href):
        return card_href
    if match := _YEAR_FIRST.match(card_href):
        year, slug = match.groups()
        return f"{HOST}/{year}/{slug}/programma"
    if match := _YEAR_LAST.match(card_href):
        slug, year = match.groups()
        return f"{HOST}/{slug}/programma/{year}"
    return None


def course_sheet_url(code: str, year: int, language: str) -> str:
    if year >= 2023:
        return f"{HOST}/{year}/studiefiche/{language}/{code}"
    return f"{HOST}/studiefiche/{language}/{code}/{year}"


class UGentSpider(RegistrySpider):
    name = "ugent"
    allowed_domains = ["studiekiezer.ugent.be"]
    default_years = (2022, 2023, 2024)
    listing_language = "en"
    listing_routes: ClassVar[frozenset[str]] = frozenset({"parse_listing", "parse_chunk"})
    routes: ClassVar[list[tuple[str, str]]] = [
        (r"/(nl|en)/zoek\b", "parse_listing"),
        (r"/incrementalsearch\b", "parse_chunk"),
        (r"/studiefiche/", "parse_course_sheet"),
        (r"/programma(/\d{4})?/?$", "parse_programme"),
        (r"/\d{4}/(?:nl|en)/afstudeerrichting/[^/?#]+/?$", "parse_programme"),
    ]

    def start_requests_for(self, year: int):
        yield self.follow(f"{HOST}/{self.listing_language}/zoek?zt=&aj={year}", self.parse_listing)

    # -- listing ------------------------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[Any]:
        """The search page: its cards arrive in batches, one ``div#lazyLoadedChunk…[data]`` of ids each."""
        chunks = response.xpath("//div[contains(@id, 'lazyLoadedChunk')]/@data").getall()
        if not chunks:
            yield self.issue(response, page_kind="listing", reason="no_lazy_loaded_chunks")
            return
        language = "nl" if "/nl/" in response.url else "en"
        for ids in chunks:
            url = f"{HOST}/{language}/incrementalsearch?target=zoek&ids={quote(ids, safe=',')}"
            yield self.follow(url, self.parse_chunk)

    def parse_chunk(self, response: Response) -> Iterator[Any]:
        """A batch of cards (``a`` around ``h2.title``); a micro-credential's card leads to its programme."""
        cards = response.xpath("//a[h2[contains(concat(' ', normalize-space(@class), ' '), ' title ')]]")
        if not cards:
            yield self.issue(response, page_kind="chunk", reason="no_cards")
        for card in cards:
            href = response.urljoin(card.attrib.get("href", ""))
            title = clean_text(card.xpath("./h2//text()").getall())
            card_type = clean_text(card.css(".type ::text").getall())
            if not (is_micro_credential(card_type, title) or "micro-credential" in href.lower()):
                self.count("microcred/skipped/not_micro_credential")
                continue
            target = programme_url(href)
            if target is None:
                yield self.issue(response, page_kind="chunk", reason="unrecognised_card_link", detail=href)
                continue
            card_info = {
                "listing_title": title,
                "credits_raw": clean_text(card.css(".meta ::text").getall()),
                "listing_url": response.url,
            }
            yield self.follow(target, self.parse_programme, card=card_info)

    # -- programme ----------------------------------------------------------------------------------
    def parse_programme(self, response: Response, card: dict[str, Any] | None = None) -> Iterator[Any]:
        """A programme page: ``h1#titleLabel[data-code]``, the places and type beside glyph icons, the
        practical information (``#praktische-info`` dt/dd) and the course table under the "Volledig
        programma" / "Full programme" heading (``tr`` with ``td.cursusnaam span[title=code]``)."""
        card = card or {}
        root = response.selector.root
        heading = next(iter(_X_TITLE(root)), None)
        code = heading.get("data-code") if heading is not None else None
        if heading is None or not code:
            yield self.issue(response, page_kind="programme", reason="missing_title_or_code")
            return
        year_match = _PROGRAMME_YEAR.search(response.url)
        year = next((g for g in year_match.groups() if g), None) if year_match else None
        table_heading = next(iter(_X_TABLE_HEADING(root)), None)
        table_label = _element_text(table_heading) if table_heading is not None else None
        by_code = _PROGRAMME_BY_CODE.match(response.url)
        if by_code:
            language = by_code.group(2)  # the URL says it
        else:
            language = "en" if table_label and "Full" in table_label else "nl"
        places = [_element_text(span) for span in _X_PLACES(root)]
        faculty = next((p for p in places if p and "facult" in p.lower()), places[0] if places else None)
        campus = next((p for p in places if p and p != faculty), None)
        programme_type = next(iter(_X_TYPE(root)), None)
        info, outcomes = _practical_info(root)
        provenance = self.provenance(response)
        yield ProgrammeItem(
            academic_year_raw=year,
            source_code=code,
            title=_element_text(heading),
            programme_type=_element_text(programme_type) if programme_type is not None else None,
            faculty=faculty,
            campus=campus,
            credits_raw=card.get("credits_raw"),
            listing_title=card.get("listing_title"),
            listing_url=card.get("listing_url"),
            page_language=language,
            info=info,
            learning_outcomes=outcomes,
            **provenance,
        )
        if table_heading is None:
            yield self.issue(response, page_kind="programme", reason="missing_course_table", detail=code)
            return
        for position, row in enumerate(_X_COURSE_ROWS(table_heading)):
            row_class = row.get("class")
            course = next(iter(_X_COURSE(row)), None)
            course_code = course.get("title") if course is not None else None
            language_cell = _X_LANGUAGE_DIV(row) or _X_LANGUAGE_TD(row)
            yield ProgrammeCourseItem(
                academic_year_raw=year,
                programme_code=code,
                course_code=course_code,
                course_name=_element_text(course) if course is not None else None,
                credits_raw=_first_text(_X_CREDITS(row)),
                languages_raw=_first_text(language_cell),
                semester_raw=_first_text(_X_SEMESTER(row)),
                row_class=row_class,
                offered="nietaangeboden" not in (row_class or ""),
                position=position,
                **provenance,
            )
            if course_code and year:
                yield self.follow(course_sheet_url(course_code, int(year), language), self.parse_course_sheet)
            elif not course_code:
                yield self.issue(
                    response, page_kind="programme", reason="course_row_without_code", detail=code
                )

    # -- course sheet -------------------------------------------------------------------------------
    def parse_course_sheet(self, response: Response) -> Iterator[Any]:
        """A course sheet (studiefiche): ``h1.cursusnaam[data-code]``, the ``table.kenmerken`` of labelled
        facts, and its ``h2`` sections (content, final competences, assessment)."""
        heading = response.css("h1.cursusnaam")
        code = heading.attrib.get("data-code")
        if not heading or not code:
            yield self.issue(response, page_kind="course_sheet", reason="missing_title_or_code")
            return
        year_match = _SHEET_YEAR.search(response.url)
        fields: dict[str, Any] = {}
        for row in response.css("table.kenmerken tr"):
            label = (text_of(row.xpath("./th")) or "").lower()
            cells = row.xpath("./td")
            if not cells:
                continue
            for prefix, name in _SHEET_LABELS:
                if label.startswith(prefix) and name not in fields:
                    if name in ("lecturers", "programmes"):
                        fields[name] = entries_of(cells[0].xpath(".//li")) or [
                            p.strip() for p in (text_of(cells[0]) or "").split(",") if p.strip()
                        ]
                    else:
                        fields[name] = text_of(cells[0])
                    break
        for section in response.xpath("//h2"):
            label = (text_of(section) or "").lower()
            body = section.xpath("following-sibling::*[1]")
            for prefix, name in _SHEET_SECTIONS:
                if label.startswith(prefix) and name not in fields:
                    if not body:
                        break
                    if name == "learning_outcomes":
                        fields[name] = entries_of(body.xpath(".//li"))
                    else:
                        fields[name] = text_of(body)
                    break
        name = text_of(heading)
        yield CourseUnitItem(
            academic_year_raw=next((g for g in year_match.groups() if g), None) if year_match else None,
            code=code,
            name=_TRAILING_CODE.sub("", name) if name else None,
            sheet_language="en" if "/studiefiche/en/" in response.url else "nl",
            **fields,
            **self.provenance(response),
        )


def _practical_info(root) -> tuple[dict[str, str], list[str]]:
    """Label -> raw text of the practical-information block, and its learning outcomes as a list."""
    info: dict[str, str] = {}
    outcomes: list[str] = []
    for term in _X_INFO_TERMS(root):
        label = _element_text(term)
        value = next(iter(_X_NEXT_DD(term)), None)
        if not label or value is None:
            continue
        if label.lower() in _OUTCOME_LABELS:
            outcomes = [t for li in _X_LI(value) if (t := _element_text(li))]
        text = _element_text(value)
        if text:
            info[label] = text
    return info, outcomes
