"""Ghent University: studiekiezer.ugent.be (sites.md §1).

Listing (``/{lang}/zoek?zt=&aj={year}``) -> ``lazyLoadedChunk`` batches (``/incrementalsearch``) -> programme
pages (``/{year}/{slug}/programma`` from 2023, ``/{slug}/programma/{year}`` before) -> course sheets
(``/{year}/studiefiche/{lang}/{code}``, older ``/studiefiche/{lang}/{code}/{year}``). Only cards whose type
or title says micro-credential are followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from scrapy.http import Response

from scrapers.items import CourseUnitItem, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.base import RegistrySpider, clean_text, page_meta

HOST = "https://studiekiezer.ugent.be"
_YEAR_FIRST = re.compile(r"^https?://[^/]+/(\d{4})/([^/?#]+)/?$")
_YEAR_LAST = re.compile(r"^https?://[^/]+/([^/?#]+)/(\d{4})/?$")
_PROGRAMME_YEAR = re.compile(r"/(\d{4})/[^/]+/programma|/programma/(\d{4})")
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


def programme_url(card_href: str) -> str | None:
    """The programme ("programma") page for a listing card's link, in either URL era."""
    if "/programma" in card_href:
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


def _is_micro_credential(title: str | None, card_type: str | None, href: str) -> bool:
    text = f"{card_type or ''} {title or ''}".lower()
    return "micro-credential" in text or "microcredential" in text or "micro-credential" in href.lower()


class UGentSpider(RegistrySpider):
    name = "ugent"
    allowed_domains = ["studiekiezer.ugent.be"]
    default_years = (2022, 2023, 2024)
    listing_language = "en"
    routes: ClassVar[list[tuple[str, str]]] = [
        (r"/(nl|en)/zoek\b", "parse_listing"),
        (r"/incrementalsearch\b", "parse_chunk"),
        (r"/studiefiche/", "parse_course_sheet"),
        (r"/programma(/\d{4})?/?$", "parse_programme"),
    ]

    def start_urls_for(self, year: int):
        yield f"{HOST}/{self.listing_language}/zoek?zt=&aj={year}"

    # -- listing ------------------------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[Any]:
        chunks = response.xpath("//div[contains(@id, 'lazyLoadedChunk')]/@data").getall()
        if not chunks:
            yield self.issue(response, page_kind="listing", reason="no_lazy_loaded_chunks")
            return
        language = "nl" if "/nl/" in response.url else "en"
        for ids in chunks:
            url = f"{HOST}/{language}/incrementalsearch?target=zoek&ids={quote(ids, safe=',')}"
            yield self.request(url, meta={"academic_year": page_meta(response).get("academic_year")})

    def parse_chunk(self, response: Response) -> Iterator[Any]:
        cards = response.xpath("//a[h2[contains(concat(' ', normalize-space(@class), ' '), ' title ')]]")
        if not cards:
            yield self.issue(response, page_kind="chunk", reason="no_cards")
        for card in cards:
            href = response.urljoin(card.attrib.get("href", ""))
            title = clean_text(card.xpath("./h2//text()").getall())
            card_type = clean_text(card.css(".type ::text").getall())
            if not _is_micro_credential(title, card_type, href):
                if self.crawler_stats is not None:
                    self.crawler_stats.inc_value("microcred/skipped/not_micro_credential")
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
            yield self.request(target, meta={"card": card_info})

    # -- programme ----------------------------------------------------------------------------------
    def parse_programme(self, response: Response) -> Iterator[Any]:
        heading = response.css("h1#titleLabel")
        code = heading.attrib.get("data-code") if heading else None
        if not heading or not code:
            yield self.issue(response, page_kind="programme", reason="missing_title_or_code")
            return
        year_match = _PROGRAMME_YEAR.search(response.url)
        year = next((g for g in year_match.groups() if g), None) if year_match else None
        table_heading = response.xpath(
            "//h4[contains(normalize-space(.), 'Volledig') or contains(normalize-space(.), 'Full')]"
        )
        language = "en" if "Full" in (clean_text(table_heading.xpath(".//text()").getall()) or "") else "nl"
        card = page_meta(response).get("card", {})
        marker = "//i[contains(@class, 'glyphicon-map-marker')]/following-sibling::div[1]//span"
        places = [clean_text(s.xpath(".//text()").getall()) for s in response.xpath(marker)]
        faculty = next((p for p in places if p and "facult" in p.lower()), places[0] if places else None)
        campus = next((p for p in places if p and p != faculty), None)
        info, outcomes = self._practical_info(response)
        provenance = self.provenance(response)
        yield ProgrammeItem(
            academic_year_raw=year,
            source_code=code,
            title=clean_text(heading.xpath(".//text()").getall()),
            programme_type=clean_text(
                response.xpath(
                    "//i[contains(@class, 'glyphicon-education')]/following-sibling::span[1]//text()"
                ).getall()
            ),
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
        if not table_heading:
            yield self.issue(response, page_kind="programme", reason="missing_course_table", detail=code)
            return
        rows = table_heading[0].xpath("./ancestor::*[.//tr][1]//tr[td[contains(@class, 'cursusnaam')]]")
        for position, row in enumerate(rows):
            row_class = row.attrib.get("class")
            course = row.css("td.cursusnaam span[title]")
            course_code = course.attrib.get("title") if course else None
            offered = "nietaangeboden" not in (row_class or "")
            yield ProgrammeCourseItem(
                academic_year_raw=year,
                programme_code=code,
                course_code=course_code,
                course_name=clean_text(course.xpath(".//text()").getall()) if course else None,
                credits_raw=clean_text(row.css("td.SP ::text").getall()),
                languages_raw=clean_text(
                    row.css("td.taal > div > div:first-child ::text").getall()
                    or row.css("td.taal ::text").getall()
                ),
                semester_raw=clean_text(row.css("td.semester ::text").getall()),
                row_class=row_class,
                offered=offered,
                position=position,
                **provenance,
            )
            if course_code and year:
                yield self.request(course_sheet_url(course_code, int(year), language))
            elif not course_code:
                yield self.issue(
                    response, page_kind="programme", reason="course_row_without_code", detail=code
                )

    @staticmethod
    def _practical_info(response: Response) -> tuple[dict[str, str], list[str]]:
        info: dict[str, str] = {}
        outcomes: list[str] = []
        for term in response.css("#praktische-info dt"):
            label = clean_text(term.xpath(".//text()").getall())
            value = term.xpath("following-sibling::dd[1]")
            if not label or not value:
                continue
            items = [clean_text(li.xpath(".//text()").getall()) for li in value.css("li")]
            if label.lower() in _OUTCOME_LABELS:
                outcomes = [i for i in items if i]
            text = clean_text(value.xpath(".//text()").getall())
            if text:
                info[label] = text
        return info, outcomes

    # -- course sheet -------------------------------------------------------------------------------
    def parse_course_sheet(self, response: Response) -> Iterator[Any]:
        heading = response.css("h1.cursusnaam")
        code = heading.attrib.get("data-code") if heading else None
        if not heading or not code:
            yield self.issue(response, page_kind="course_sheet", reason="missing_title_or_code")
            return
        year_match = _SHEET_YEAR.search(response.url)
        fields: dict[str, Any] = {}
        for row in response.css("table.kenmerken tr"):
            label = (clean_text(row.xpath("./th//text()").getall()) or "").lower()
            cell = row.xpath("./td")
            for prefix, name in _SHEET_LABELS:
                if label.startswith(prefix) and name not in fields:
                    if name in ("lecturers", "programmes"):
                        entries = [clean_text(li.xpath(".//text()").getall()) for li in cell.css("li")]
                        fields[name] = [e for e in entries if e] or [
                            p.strip()
                            for p in (clean_text(cell.xpath(".//text()").getall()) or "").split(",")
                            if p.strip()
                        ]
                    else:
                        fields[name] = clean_text(cell.xpath(".//text()").getall())
                    break
        for section in response.xpath("//h2"):
            label = (clean_text(section.xpath(".//text()").getall()) or "").lower()
            body = section.xpath("following-sibling::*[1]")
            for prefix, name in _SHEET_SECTIONS:
                if label.startswith(prefix) and name not in fields:
                    if name == "learning_outcomes":
                        fields[name] = [
                            t for li in body.css("li") if (t := clean_text(li.xpath(".//text()").getall()))
                        ]
                    else:
                        fields[name] = clean_text(body.xpath(".//text()").getall())
                    break
        name = clean_text(heading.xpath(".//text()").getall())
        yield CourseUnitItem(
            academic_year_raw=next((g for g in year_match.groups() if g), None) if year_match else None,
            code=code,
            name=_TRAILING_CODE.sub("", name) if name else None,
            sheet_language="en" if "/studiefiche/en/" in response.url else "nl",
            **fields,
            **self.provenance(response),
        )
