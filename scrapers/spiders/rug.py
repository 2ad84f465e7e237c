"""University of Groningen: www.rug.nl and the Ocasys course catalogue API (ocasys.rug.nl/api).

Entry points (per academic year): the microcredentials page under quality assurance, whose block of offered
microcredentials links summer/winter school pages (``/education/summer-winter-schools/{slug}/?lang=en``) and
Ocasys catalogue pages (``ocasys.rug.nl/{current|YYYY-YYYY}/catalog/course/{CODE}``); and the Ocasys faculty
catalogue (``/api/faculty/catalog/{YYYY-YYYY}``), whose programmes titled "Microcredential …" are read
through their scheme (``/api/{YYYY-YYYY}/scheme/program/{code}``).

The Ocasys web catalogue is a JavaScript app, so a catalogue link is translated to the JSON API
(``/api/{YYYY-YYYY}/course/{CODE}``); ``current`` becomes the spider's ``current_year`` (default: the newest
year crawled). Values stay raw: Ocasys numbers become their JSON text (``5.0``, ``-1``), enum lists are
joined with ", " (``ENGLISH``, ``TERM1A, TERM1B``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from scrapy.http import Response, TextResponse

from scrapers.items import CourseUnitItem, ProgrammeCourseItem, ProgrammeItem
from scrapers.spiders.base import RegistrySpider, clean_text

WWW = "https://www.rug.nl"
OCASYS = "https://ocasys.rug.nl"
OVERVIEW_URL = f"{WWW}/about-ug/organization/quality-assurance/in-practice/microcredentials"

_CATALOG_LINK = re.compile(
    r"^https?://ocasys\.rug\.nl/(current|\d{4}-\d{4})/catalog/course/([A-Za-z0-9._-]+)"
)
_SCHOOL_LINK = re.compile(r"^https?://(?:www\.)?rug\.nl/education/summer-winter-schools/(.+)$")
_API_YEAR = re.compile(r"/api/(?:faculty/catalog/)?(\d{4}-\d{4})\b")
_MICRO_TITLE = re.compile(r"^\s*micro-?credential", re.IGNORECASE)

# What the faculty catalogue is known to carry (the real records in tests/fixtures/real/rug, and our snapshot). Anything else
# is counted (``microcred/ocasys/unknown_key/…``, ``…/unknown_level/…``) and otherwise ignored: the API
# may grow, and a new key or level must never stop a harvest.
_FACULTY_KEYS = frozenset(
    {"id", "code", "titleEn", "titleNl", "ouClass", "parent", "programs", "status", "year"}
)
_PROGRAM_KEYS = frozenset(
    {"id", "code", "titleEn", "titleNl", "levels", "language", "languages", "official", "specializations"}
)
_LEVELS = frozenset(
    {
        "BACHELOR",
        "MASTER",
        "PRE_MASTER",
        "EXCHANGE",
        "FACULTY_LEVEL_MINOR",
        "UNIVERSITY_LEVEL_MINOR",
        "CONTRACT_TEACHING",
        "EXTERNAL_PROGRAMMES",
        "MICROCREDENTIAL",
    }
)

# Practical-information labels (as printed, lower case) -> ProgrammeItem field.
_SCHOOL_FIELDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("credits", "studiepunten", "ects", "ec"), "credits_raw"),
    (("study load", "studielast", "workload"), "hours_raw"),
    (("language", "languages", "taal", "talen", "language of instruction", "voertaal"), "languages_raw"),
    (("dates", "date", "data", "datum"), "academic_year_raw"),
)
_PRACTICAL_HEADINGS = ("practical information", "praktische informatie")
_OUTCOME_HEADINGS = ("learning outcomes", "leerdoelen", "leeruitkomsten", "leerresultaten")
_ORGANISER_LABELS = ("organised by", "organized by", "georganiseerd door", "faculty", "faculteit")
_CREDIT_UNIT = re.compile(r"\b(?:EC|ECTS|credits?|studiepunten)\b", re.IGNORECASE)
# The breadcrumb crumb or heading that says what kind of page this is ("… Summer Schools", "Zomerscholen …").
_SCHOOL_KIND = re.compile(r"summer|winter|zomer", re.IGNORECASE)


def academic_year_text(year: int) -> str:
    return f"{year}-{year + 1}"


def api_course_url(year_text: str, code: str) -> str:
    return f"{OCASYS}/api/{year_text}/course/{code}"


def api_scheme_url(year_text: str, program_code: str) -> str:
    # Programme codes are opaque ("60609-5508", "RCS-BARW", "60688-nw"): quoted, never parsed.
    return f"{OCASYS}/api/{year_text}/scheme/program/{quote(program_code, safe='-_.~')}"


def faculty_catalog_url(year: int) -> str:
    return f"{OCASYS}/api/faculty/catalog/{academic_year_text(year)}"


def course_api_url_for_link(href: str, current_year: int) -> str | None:
    """The Ocasys JSON API URL behind a catalogue web link; `current` is `current_year`'s academic year."""
    match = _CATALOG_LINK.match(href)
    if not match:
        return None
    segment, code = match.groups()
    year_text = academic_year_text(current_year) if segment == "current" else segment
    return api_course_url(year_text, code)


def school_slug(url: str) -> str | None:
    """The school's slug: the path below `/summer-winter-schools/` ("winter_schools/x" gives "x")."""
    match = _SCHOOL_LINK.match(url.split("?", 1)[0].split("#", 1)[0])
    if not match:
        return None
    segments = [segment for segment in match.group(1).split("/") if segment]
    if segments and segments[0] in ("winter_schools", "summer_schools"):
        segments = segments[1:]
    return segments[0] if segments else None


def _english(value: Any) -> str | None:
    """The English text of an Ocasys `{en, nl}` field (or a plain string), cleaned; None when empty."""
    if isinstance(value, dict):
        value = value.get("en")
    return clean_text(value) if isinstance(value, str) else None


def _number_text(value: Any) -> str | None:
    """A JSON number as its text (5.0 -> "5.0", -1 -> "-1"); strings are kept, anything else is None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return json.dumps(value)
    return clean_text(value) if isinstance(value, str) else None


def _joined(values: Iterable[Any], separator: str = ", ") -> str | None:
    seen: list[str] = []
    for value in values:
        text = clean_text(value) if isinstance(value, str) else None
        if text and text not in seen:
            seen.append(text)
    return separator.join(seen) or None


def _goal_lines(goals: str | None) -> list[str]:
    """Ocasys goals are lines, usually bulleted with "@"; each non-empty line is one learning outcome."""
    if not goals:
        return []
    lines = (clean_text(line.lstrip("@•*- \t")) for line in goals.splitlines())
    return [line for line in lines if line]


def _language_values(record: dict) -> list[Any]:
    """A record's languages, under ``language`` (faculty catalogue, course offerings) or ``languages``."""
    values: list[Any] = []
    for key in ("language", "languages"):
        value = record.get(key)
        values.extend(value if isinstance(value, list) else [value])
    return values


def _languages(record: dict) -> str | None:
    return _joined(_language_values(record))


def _dicts(value: Any) -> list[dict]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _term_text(term: Any) -> str | None:
    """An Ocasys term as "TERM1B / Blok 1b.2": its ugTerms, then its English name."""
    if not isinstance(term, dict):
        return None
    ug_terms = term.get("ugTerms")
    parts = (
        _joined(ug_terms if isinstance(ug_terms, list) else [ug_terms]),
        _joined([term.get("nameEn")]),
    )
    return " / ".join(part for part in parts if part) or None


def _date_text(value: Any) -> str | None:
    """Ocasys dates are arrays ([2026, 11, 30]); kept as their JSON text."""
    if isinstance(value, list) and value:
        return json.dumps(value)
    return clean_text(value) if isinstance(value, str) else None


def _option_texts(entries: Any) -> list[str]:
    """The English option texts of `formats[].optionList` or `assessments[].optionSelections[].selection[]`."""
    texts: list[str] = []
    for entry in _dicts(entries):
        option = entry.get("optionList")
        if isinstance(option, dict) and isinstance(option.get("textEn"), str):
            texts.append(option["textEn"])
        for selection in _dicts(entry.get("optionSelections")):
            if selection.get("key") not in (None, "ASSESSMENT"):
                continue
            texts += [
                item["textEn"]
                for item in _dicts(selection.get("selection"))
                if isinstance(item.get("textEn"), str)
            ]
    return texts


def _person(staff: dict) -> str | None:
    return clean_text(
        " ".join(part for part in (staff.get("givenName"), staff.get("familyName")) if isinstance(part, str))
    )


class RugSpider(RegistrySpider):
    name = "rug"
    allowed_domains = ["www.rug.nl", "rug.nl", "ocasys.rug.nl"]
    default_years = (2025,)
    listing_routes: ClassVar[frozenset[str]] = frozenset(
        {"parse_overview", "parse_faculty_catalog"}
    )  # revalidated every night
    routes: ClassVar[list[tuple[str, str]]] = [
        (
            r"^https?://(?:www\.)?rug\.nl/about-ug/organization/quality-assurance/in-practice/microcredentials/?(?:\?|$)",
            "parse_overview",
        ),
        (r"^https?://(?:www\.)?rug\.nl/education/summer-winter-schools/.+", "parse_school"),
        (r"^https?://ocasys\.rug\.nl/(?:current|\d{4}-\d{4})/catalog/course/", "parse_catalog_link"),
        (r"^https?://ocasys\.rug\.nl/api/faculty/catalog/", "parse_faculty_catalog"),
        (r"^https?://ocasys\.rug\.nl/api/\d{4}-\d{4}/scheme/program/", "parse_scheme"),
        (r"^https?://ocasys\.rug\.nl/api/\d{4}-\d{4}/course/", "parse_course"),
    ]

    def __init__(self, *args: Any, current_year: int | str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # What Ocasys calls "current"; on the live site it follows the calendar, so it is an argument here.
        if current_year is not None and str(current_year).strip():
            self.current_year = int(current_year)
        else:
            self.current_year = max(self.years) if self.years else self.default_years[-1]

    def start_requests_for(self, year: int):
        yield self.follow(OVERVIEW_URL, self.parse_overview)
        yield self.follow(faculty_catalog_url(year), self.parse_faculty_catalog)

    # -- www.rug.nl ---------------------------------------------------------------------------------
    def parse_overview(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            yield self.issue(response, page_kind="overview", reason="not_text")
            return
        links = response.xpath("//main//a[@href]") or response.xpath("//a[@href]")
        found = 0
        for link in links:
            href = response.urljoin(link.attrib["href"])
            group = clean_text(link.xpath("preceding::*[self::h2 or self::h3][1]//text()").getall())
            listing = {
                "listing_title": clean_text(link.xpath(".//text()").getall()),
                "listing_url": response.url,
                "programme_type": group,
            }
            if api_url := course_api_url_for_link(href, self.current_year):
                found += 1
                yield self.follow(api_url, self.parse_course, microcredential=True, listing=listing)
            elif school_slug(href) and not href.split("?", 1)[0].rstrip("/").endswith("apply-now"):
                found += 1
                yield self.follow(href, self.parse_school, listing=listing)
            elif link.xpath("ancestor::*[@id='microcredentials-offered']") and not self.own_domain(href):
                # An offer hosted elsewhere is not followed (politeness: own domains only), but it is on the
                # university's list, so it is recorded from the listing rather than silently dropped.
                found += 1
                yield ProgrammeItem(
                    source_code=urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1] or None,
                    title=listing["listing_title"],
                    # The list's own heading names the year ("Microcredentials offered in 2025-2026").
                    academic_year_raw=clean_text(
                        link.xpath("ancestor::*[@id='microcredentials-offered']//h2[1]//text()").getall()
                    ),
                    page_url=href,
                    page_language="en",
                    **listing,
                    **self.provenance(response),
                )
        if not found:
            yield self.issue(response, page_kind="overview", reason="no_microcredential_links")

    def parse_school(self, response: Response, listing: dict[str, Any] | None = None) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            yield self.issue(response, page_kind="school", reason="not_text")
            return
        title = clean_text(response.xpath("//h1//text()").getall())
        slug = school_slug(response.url)
        if not title or not slug:
            yield self.issue(
                response, page_kind="school", reason="missing_title_or_slug", detail=response.url
            )
            return
        crumbs = [
            text
            for item in response.xpath("//nav[contains(@class, 'breadcrumb')]//li")
            if (text := clean_text(item.xpath("./*[not(contains(@class, 'separator'))]//text()").getall()))
        ]
        info = self._practical_information(response)
        outcomes = self._learning_outcomes(response)
        fields: dict[str, str] = {}
        for label, value in info.items():
            for labels, name in _SCHOOL_FIELDS:
                if label.lower() in labels and name not in fields:
                    fields[name] = value
        # A study load that names the credits ("200 hours (5 EC)") is the only credit statement some pages make.
        if "credits_raw" not in fields and _CREDIT_UNIT.search(fields.get("hours_raw", "")):
            fields["credits_raw"] = fields["hours_raw"]
        if outcomes:
            info[self._outcome_heading(response) or "Learning outcomes"] = "; ".join(outcomes)
        kind = next((crumb for crumb in crumbs if _SCHOOL_KIND.search(crumb) and crumb != title), None)
        if kind is None and _SCHOOL_KIND.search(title):
            kind = title
        lang = response.xpath("/html/@lang").get()
        page_language = (lang or "").split("-")[0].lower() or ("en" if "lang=en" in response.url else "nl")
        listing = listing or {}
        faculty = next((value for label, value in info.items() if label.lower() in _ORGANISER_LABELS), None)
        yield ProgrammeItem(
            source_code=slug,
            title=title,
            programme_type=listing.get("programme_type"),
            faculty=faculty,
            semester_raw=kind,
            listing_title=listing.get("listing_title"),
            listing_url=listing.get("listing_url"),
            page_language=page_language,
            info=info,
            learning_outcomes=outcomes,
            **fields,
            **self.provenance(response),
        )
        if not info:
            yield self.issue(
                response, page_kind="school", reason="missing_practical_information", detail=slug
            )

    @staticmethod
    def _practical_information(response: TextResponse) -> dict[str, str]:
        """Label -> value of the "Practical information" block: table rows (th/td) or a dl (dt/dd)."""
        heading = response.xpath(
            "//*[self::h2 or self::h3 or self::h4]"
            "[translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
            f" = '{_PRACTICAL_HEADINGS[0]}' or "
            "translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
            f" = '{_PRACTICAL_HEADINGS[1]}']"
        )
        if not heading:
            return {}
        block = heading[0].xpath("./following-sibling::*[1]")
        info: dict[str, str] = {}
        pairs = [(row.xpath("./th"), row.xpath("./td")) for row in block.xpath(".//tr")]
        pairs += [(term, term.xpath("following-sibling::dd[1]")) for term in block.xpath(".//dt")]
        for label_cell, value_cell in pairs:
            label = clean_text(label_cell.xpath(".//text()").getall())
            value = clean_text(value_cell.xpath(".//text()").getall())
            if label and value and label not in info:
                info[label.rstrip(":")] = value
        return info

    @staticmethod
    def _outcome_heading(response: TextResponse) -> str | None:
        for heading in response.xpath("//main//*[self::h2 or self::h3]"):
            text = clean_text(heading.xpath(".//text()").getall())
            if text and text.lower() in _OUTCOME_HEADINGS:
                return text
        return None

    def _learning_outcomes(self, response: TextResponse) -> list[str]:
        label = self._outcome_heading(response)
        if not label:
            return []
        heading = response.xpath(f"//main//*[self::h2 or self::h3][normalize-space(.) = '{label}']")
        items = heading[0].xpath("./following-sibling::*[1]//li")
        return [text for item in items if (text := clean_text(item.xpath(".//text()").getall()))]

    # -- ocasys.rug.nl ------------------------------------------------------------------------------
    def parse_catalog_link(self, response: Response, listing: dict[str, Any] | None = None) -> Iterator[Any]:
        """A catalogue web page (a JavaScript shell): follow the JSON API record instead."""
        api_url = course_api_url_for_link(response.url, self.current_year)
        if api_url:
            yield self.follow(api_url, self.parse_course, listing=listing or {}, microcredential=True)

    def _json(self, response: Response, page_kind: str) -> tuple[Any, Any]:
        """(data, None) or (None, issue) for a body that is not JSON."""
        try:
            if isinstance(response, TextResponse):
                return response.json(), None
            return json.loads(response.body), None
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            return None, self.issue(
                response, page_kind=page_kind, reason="invalid_json", detail=str(error)[:200]
            )

    def _problem_issue(self, response: Response, data: dict, page_kind: str):
        """RFC 9457 problem details that reached a callback (e.g. a saved 404 body parsed offline)."""
        status = data.get("status")
        detail = " ".join(str(part) for part in (status, data.get("title"), data.get("detail")) if part)
        return self.issue(response, page_kind=page_kind, reason="problem_details", detail=detail or None)

    @staticmethod
    def _is_problem(data: Any) -> bool:
        return isinstance(data, dict) and "status" in data and "title" in data and "code" not in data

    def parse_faculty_catalog(self, response: Response) -> Iterator[Any]:
        data, issue = self._json(response, "faculty_catalog")
        if issue:
            yield issue
            return
        if self._is_problem(data):
            yield self._problem_issue(response, data, "faculty_catalog")
            return
        if not isinstance(data, list):
            yield self.issue(
                response, page_kind="faculty_catalog", reason="unexpected_json", detail=type(data).__name__
            )
            return
        year_match = _API_YEAR.search(response.url)
        year_text = year_match.group(1) if year_match else None
        for faculty in _dicts(data):
            self._count_unknown_keys("faculty", faculty, _FACULTY_KEYS)
            for program in _dicts(faculty.get("programs")):
                self._count_unknown_keys("program", program, _PROGRAM_KEYS)
                code, title = program.get("code"), program.get("titleEn")
                # Codes are opaque strings ("60609-5508", "RCS-BARW", "60688-nw"); only their ends are trimmed.
                code = code.strip() if isinstance(code, str) and code.strip() else None
                levels = program.get("levels") if isinstance(program.get("levels"), list) else []
                for level in levels:
                    if level not in _LEVELS:
                        self.count(f"microcred/ocasys/unknown_level/{str(level)[:40]}")
                is_micro = (
                    isinstance(title, str) and _MICRO_TITLE.match(title)
                ) or "MICROCREDENTIAL" in levels
                if not is_micro:
                    self.count("microcred/skipped/not_micro_credential")
                    continue
                if not isinstance(code, str) or not year_text:
                    yield self.issue(
                        response,
                        page_kind="faculty_catalog",
                        reason="programme_without_code",
                        detail=str(title),
                    )
                    continue
                listing = {
                    "listing_title": clean_text(title) if isinstance(title, str) else None,
                    "listing_url": response.url,
                    "faculty": clean_text(faculty.get("titleEn"))
                    if isinstance(faculty.get("titleEn"), str)
                    else None,
                    "languages_raw": _languages(program),
                }
                yield self.follow(api_scheme_url(year_text, code), self.parse_scheme, listing=listing)

    def _count_unknown_keys(self, where: str, record: dict, known: frozenset[str]) -> None:
        for key in record:
            if key not in known:
                self.count(f"microcred/ocasys/unknown_key/{where}/{str(key)[:40]}")

    def parse_scheme(self, response: Response, listing: dict[str, Any] | None = None) -> Iterator[Any]:
        data, issue = self._json(response, "scheme")
        if issue:
            yield issue
            return
        if self._is_problem(data):
            yield self._problem_issue(response, data, "scheme")
            return
        if not isinstance(data, dict):
            yield self.issue(
                response, page_kind="scheme", reason="unexpected_json", detail=type(data).__name__
            )
            return
        program = data.get("program") if isinstance(data.get("program"), dict) else {}
        code = program.get("code") or response.url.rstrip("/").rsplit("/", 1)[-1]
        year_match = _API_YEAR.search(response.url)
        year_text = (
            data.get("year")
            if isinstance(data.get("year"), str)
            else year_match.group(1)
            if year_match
            else None
        )
        listing = listing or {}
        provenance = self.provenance(response)
        info = {
            label: value
            for label, value in (
                ("Level", _joined(program.get("levels") or [])),
                ("Learning outcomes", _english(program.get("goals"))),
                ("Assessment", _english(program.get("assessmentsExplanation"))),
            )
            if value
        }
        yield ProgrammeItem(
            academic_year_raw=year_text,
            source_code=code,
            title=_english(program.get("title")) or listing.get("listing_title"),
            programme_type=listing.get("programme_type"),
            faculty=_english(program.get("facultyTitle")) or listing.get("faculty"),
            credits_raw=_number_text(program.get("credits")),
            languages_raw=_languages(program) or listing.get("languages_raw"),
            semester_raw=clean_text(program.get("term")) if isinstance(program.get("term"), str) else None,
            listing_title=listing.get("listing_title"),
            listing_url=listing.get("listing_url"),
            page_language="en",
            info=info,
            learning_outcomes=_goal_lines(
                program.get("goals", {}).get("en") if isinstance(program.get("goals"), dict) else None
            ),
            **provenance,
        )
        position = 0
        blocks = _dicts(data.get("blocks"))
        if not blocks:
            yield self.issue(response, page_kind="scheme", reason="no_blocks", detail=code)
        for block in blocks:
            for entry in _dicts(block.get("entries")):
                offering = (
                    entry.get("courseOffering") if isinstance(entry.get("courseOffering"), dict) else {}
                )
                course = offering.get("course") if isinstance(offering.get("course"), dict) else {}
                course_code = course.get("code") if isinstance(course.get("code"), str) else None
                yield ProgrammeCourseItem(
                    academic_year_raw=year_text,
                    programme_code=code,
                    course_code=course_code,
                    course_name=clean_text(course.get("titleEn"))
                    if isinstance(course.get("titleEn"), str)
                    else None,
                    credits_raw=_number_text(course.get("credits")),
                    languages_raw=_languages(offering),
                    semester_raw=_term_text(offering.get("term")),
                    row_class=clean_text(entry.get("type")) if isinstance(entry.get("type"), str) else None,
                    offered=True,
                    position=position,
                    **provenance,
                )
                position += 1
                if course_code and year_text:
                    # ``scheme`` names the programme that listed the course: one course listed by two schemes is
                    # two parse inputs, as it always was.
                    yield self.follow(api_course_url(year_text, course_code), self.parse_course, scheme=code)
                elif not course_code:
                    yield self.issue(
                        response, page_kind="scheme", reason="entry_without_course_code", detail=code
                    )

    def parse_course(
        self,
        response: Response,
        microcredential: bool = False,
        listing: dict[str, Any] | None = None,
        scheme: str | None = None,
    ) -> Iterator[Any]:
        """A course record (``/course/{CODE}``, or ``/course/page/{CODE}`` which wraps it in ``course``).

        A course linked from the overview (``microcredential``) is itself a microcredential:
        it also gives a ProgrammeItem and the ProgrammeCourseItem linking it to its own course unit.
        """
        data, issue = self._json(response, "course")
        if issue:
            yield issue
            return
        if (
            isinstance(data, dict)
            and isinstance(data.get("course"), dict)
            and "/course/page/" in response.url
        ):
            data = data["course"]
        if self._is_problem(data):
            yield self._problem_issue(response, data, "course")
            return
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            yield self.issue(response, page_kind="course", reason="missing_course_code")
            return
        code = data["code"]
        year_match = _API_YEAR.search(response.url)
        year_text = (
            data.get("year")
            if isinstance(data.get("year"), str)
            else year_match.group(1)
            if year_match
            else None
        )
        offerings = _dicts(data.get("courseOfferings"))
        languages = _joined(language for offering in offerings for language in _language_values(offering))
        semester = _joined((_term_text(offering.get("term")) for offering in offerings), separator="; ")
        goals = _english(data.get("goals"))
        outcomes = _goal_lines(
            data.get("goals", {}).get("en") if isinstance(data.get("goals"), dict) else None
        )
        assessment = _joined(_option_texts(data.get("assessments"))) or _english(
            data.get("assessmentsExplanation")
        )
        formats = _joined(_option_texts(data.get("formats")))
        lecturers = _joined(
            (_person(person) for offering in offerings for person in _dicts(offering.get("staff"))), "\x1f"
        )
        credits_raw = _number_text(data.get("credits"))
        hours_raw = _number_text(data.get("hours"))
        title = _english(data.get("title"))
        provenance = self.provenance(response)
        if microcredential:
            listing = listing or {}
            terms = [offering.get("term") for offering in offerings if isinstance(offering.get("term"), dict)]
            info = {
                label: value
                for label, value in (
                    ("Level", _joined(data.get("levels") or [])),
                    ("Learning outcomes", goals),
                    ("Assessment", assessment),
                    ("Prerequisites", _english(data.get("prerequisites"))),
                    ("Mode of delivery", formats),
                    ("Teaching formats explanation", _english(data.get("formatsExplanation"))),
                    ("Remarks", _joined(offering.get("remarksEn") for offering in offerings)),
                    ("Start date", _date_text(terms[0].get("startDate")) if terms else None),
                    ("End date", _date_text(terms[-1].get("endDate")) if terms else None),
                )
                if value
            }
            yield ProgrammeItem(
                academic_year_raw=year_text,
                source_code=code,
                title=title,
                programme_type=listing.get("programme_type"),
                faculty=_english(data.get("facultyTitle")),
                credits_raw=credits_raw,
                hours_raw=hours_raw,
                languages_raw=languages,
                semester_raw=semester,
                listing_title=listing.get("listing_title"),
                listing_url=listing.get("listing_url"),
                page_language="en",
                info=info,
                learning_outcomes=outcomes,
                **provenance,
            )
            yield ProgrammeCourseItem(
                academic_year_raw=year_text,
                programme_code=code,
                course_code=code,
                course_name=title,
                credits_raw=credits_raw,
                languages_raw=languages,
                semester_raw=semester,
                offered=True,
                position=0,
                **provenance,
            )
        yield CourseUnitItem(
            academic_year_raw=year_text,
            code=code,
            name=title,
            credits_raw=credits_raw,
            hours_raw=hours_raw,
            languages_raw=languages,
            semester_raw=semester,
            sheet_language="en",
            lecturers=lecturers.split("\x1f") if lecturers else [],
            programmes=[
                text
                for block in _dicts(data.get("schemeBlocks"))
                if (
                    text := clean_text(block.get("programTitleEn"))
                    if isinstance(block.get("programTitleEn"), str)
                    else None
                )
            ],
            content=_english(data.get("description")),
            learning_outcomes=outcomes,
            assessment=assessment,
            **provenance,
        )
