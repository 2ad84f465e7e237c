"""Generate the bundled offline copy of Ghent University's study guide (studiekiezer.ugent.be).

What belongs here: turning the real catalogue in `reference/` into the pages the real site serves (search
listing, lazy-loaded card fragments, programme pages, course sheets, robots.txt), with the details the
catalogue does not hold authored on top, and writing them plus their manifest rows under `sites/`.

Run it with `python -m tools.snapshot.generate_ugent` (or `make snapshot`). The output is committed and
must be byte-identical on every run: nothing reads the clock, and every authored value is derived from a
SHA-256 of the codes it belongs to (`_stable`), never from `random`. The page structure follows
`scrapers/snapshot/README.md` ("What is real / what is authored").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from hashlib import sha256
from html import escape as _html_escape
from pathlib import Path

from scrapers.snapshot.manifest import MANIFEST_NAME, SITES_DIR, ManifestRow, file_for_url, merge_manifest

HOST = "studiekiezer.ugent.be"
ORIGIN = f"https://{HOST}"
YEARS = (2022, 2023, 2024)
LISTING_LANGUAGES = ("en", "nl")
CHUNK_SIZE = 20
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
# One publication moment per academic year (the first Monday of September, 06:00 UTC); robots.txt carries
# the newest one. Fixed values, so a rebuild never changes a validator.
LAST_MODIFIED = {2022: "2022-09-05T06:00:00Z", 2023: "2023-09-04T06:00:00Z", 2024: "2024-09-02T06:00:00Z"}
ROBOTS_TXT = "User-agent: *\nDisallow: /beheer/\n"

MICRO_PREFIX = "Micro-credential "


def escape(text: str) -> str:
    """Escape for text and double-quoted attributes; apostrophes stay literal (`'nl'` in ng-click)."""
    return _html_escape(text, quote=False).replace('"', "&quot;")


# --------------------------------------------------------------------------------------------------------
# Deterministic choices


def _stable(*parts: object) -> int:
    """A 64-bit integer fixed by `parts`: the source of every authored value."""
    digest = sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _choose(options: Sequence, *parts: object):
    return options[_stable(*parts) % len(options)]


# --------------------------------------------------------------------------------------------------------
# Model


@dataclass(frozen=True)
class CourseRow:
    """One row of a programme's course table."""

    code: str
    name: str  # as in the catalogue (some real names end in a space)
    credits: Decimal
    languages: str  # the cell text, e.g. "nl" or "ln,nl" or ""
    link_language: str  # the language argument of the ng-click
    n1: int
    n2: int
    n3: int
    offered: bool = True


@dataclass
class Programme:
    year: int
    code: str
    name: str  # stripped
    slug: str
    url: str
    faculties: list[str]
    campuses: list[str]
    rows: list[CourseRow]
    listing_id: int = 0

    @property
    def page_language(self) -> str:
        # English-taught programmes get an `-en` slug and an English page.
        return "en" if self.slug.endswith("-en") else "nl"

    @property
    def root_url(self) -> str:
        return programme_root(self.year, self.slug)

    @property
    def credits(self) -> Decimal:
        return sum((row.credits for row in self.rows if row.offered), Decimal(0))

    @property
    def topic(self) -> str:
        return self.name.removeprefix(MICRO_PREFIX)


@dataclass(frozen=True)
class OtherProgramme:
    """A degree programme listed beside the micro-credentials; its pages are not in the snapshot."""

    slug: str
    name: str
    type_en: str
    type_nl: str
    years: int
    credits: int


# Authored, in the real naming style, so the listing is not micro-credentials only and a spider must filter.
OTHER_PROGRAMMES = (
    OtherProgramme(
        "bachelor-of-science-in-de-biologie",
        "Bachelor of Science in de biologie",
        "Bachelor's Programme",
        "Bacheloropleiding",
        3,
        180,
    ),
    OtherProgramme(
        "bachelor-of-laws-in-de-rechten",
        "Bachelor of Laws in de rechten",
        "Bachelor's Programme",
        "Bacheloropleiding",
        3,
        180,
    ),
    OtherProgramme(
        "master-of-science-in-statistical-data-analysis",
        "Master of Science in Statistical Data Analysis",
        "Master's Programme",
        "Masteropleiding",
        1,
        60,
    ),
    OtherProgramme(
        "master-of-science-in-bioscience-engineering-food-technology",
        "Master of Science in Bioscience Engineering: Food Technology",
        "Master's Programme",
        "Masteropleiding",
        2,
        120,
    ),
)


@dataclass
class CourseSheet:
    """Everything one course sheet (studiefiche) needs, gathered over all programmes of a year."""

    year: int
    code: str
    name: str
    credits: Decimal
    languages: str
    offered_in: list[str] = field(default_factory=list)  # programme names
    page_languages: set[str] = field(default_factory=set)
    offered: bool = True


# --------------------------------------------------------------------------------------------------------
# URLs


def programme_root(year: int, slug: str) -> str:
    return f"{ORIGIN}/{slug}/{year}" if year <= 2022 else f"{ORIGIN}/{year}/{slug}"


def programme_url(year: int, slug: str) -> str:
    return f"{ORIGIN}/{slug}/programma/{year}" if year <= 2022 else f"{ORIGIN}/{year}/{slug}/programma"


def studiefiche_url(year: int, language: str, code: str) -> str:
    if year <= 2022:
        return f"{ORIGIN}/studiefiche/{language}/{code}/{year}"
    return f"{ORIGIN}/{year}/studiefiche/{language}/{code}"


def listing_url(year: int, language: str) -> str:
    return f"{ORIGIN}/{language}/zoek?zt=&aj={year}"


def chunk_url(language: str, ids: str) -> str:
    return f"{ORIGIN}/{language}/incrementalsearch?target=zoek&ids={ids}"


def slug_from_url(year: int, url: str) -> str:
    pattern = rf"/([^/]+)/programma/{year}$" if year <= 2022 else rf"/{year}/([^/]+)/programma$"
    match = re.search(pattern, url)
    if not match:
        raise ValueError(f"unexpected programme URL for {year}: {url}")
    return match.group(1)


# --------------------------------------------------------------------------------------------------------
# Loading the real catalogue


def load_reference(year: int, reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    path = reference_dir / f"ugent-micro-credentials-{year}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _real_row(record: dict, index: int, year: int, page_language: str) -> CourseRow:
    link = record["courses_urls"][index] if index < len(record["courses_urls"]) else ""
    # 2022: "en/n1/n2/n3"; 2023+: "2023/nl/n1/n2/n3" (the ministudiefiche path).
    parts = link.split("/")
    if len(parts) >= 4 and all(part.isdigit() for part in parts[-3:]):
        link_language, n1, n2, n3 = parts[-4], int(parts[-3]), int(parts[-2]), int(parts[-1])
    else:
        code = record["courses"][index]
        link_language = page_language
        n1, n2, n3 = _authored_link_numbers(year, code)
    return CourseRow(
        code=record["courses"][index],
        name=record["courses_names"][index],
        credits=Decimal(str(record["ects"][index])),
        languages=record["courses_languages"][index],
        link_language=link_language,
        n1=n1,
        n2=n2,
        n3=n3,
    )


def _authored_link_numbers(year: int, code: str) -> tuple[int, int, int]:
    base = 200_000_000 + (year - 2000) * 2_000_000
    return (base + _stable("n1", year, code) % 1_000_000, base + _stable("n2", year, code) % 1_000_000, 2)


def load_programmes(reference_dir: Path = REFERENCE_DIR) -> dict[int, list[Programme]]:
    """The real programmes per year, with authored not-offered rows added and listing ids assigned."""
    records = {year: load_reference(year, reference_dir) for year in YEARS}
    real_codes = {
        code for year_records in records.values() for record in year_records for code in record["courses"]
    }
    programmes: dict[int, list[Programme]] = {}
    for year, year_records in records.items():
        year_programmes = []
        for record in year_records:
            slug = slug_from_url(year, record["url"])
            programme = Programme(
                year=year,
                code=record["id"],
                name=record["name"].strip(),
                slug=slug,
                url=record["url"],
                faculties=list(record["faculties"]),
                campuses=list(record["campuses"]),
                rows=[],
            )
            programme.rows = [
                _real_row(record, index, year, programme.page_language)
                for index in range(len(record["courses"]))
            ]
            year_programmes.append(programme)
        _add_not_offered_rows(year, year_programmes, real_codes)
        _assign_listing_ids(year, year_programmes)
        programmes[year] = year_programmes
    return programmes


def _not_offered_code(programme_code: str, taken: set[str]) -> str:
    """An authored course code in the programme's faculty letter, stable across years, never a real one."""
    salt = 0
    while True:
        code = f"{programme_code[0]}{_stable('not-offered', programme_code, salt) % 1_000_000:06d}"
        if code not in taken:
            return code
        salt += 1


def _add_not_offered_rows(year: int, programmes: list[Programme], real_codes: set[str]) -> None:
    """Give about one programme in ten (at least three per year) a course not offered that year.

    The code depends on the programme only, so the same authored course reappears in every year it is
    chosen; its position in the table is hashed, so a spider cannot rely on it being last.
    """
    ranked = sorted(
        programmes, key=lambda programme: (_stable("nietaangeboden", year, programme.code), programme.code)
    )
    chosen = ranked[: max(3, round(len(programmes) / 10))]
    taken = set(real_codes)
    for programme in sorted(chosen, key=lambda programme: programme.code):
        code = _not_offered_code(programme.code, taken)
        taken.add(code)
        english = programme.page_language == "en"
        name = f"Selected Topics in {programme.topic}" if english else f"Capita selecta {programme.topic}"
        languages = next((row.languages for row in programme.rows if row.languages), programme.page_language)
        n1, n2, n3 = _authored_link_numbers(year, code)
        row = CourseRow(
            code=code,
            name=name,
            credits=Decimal(3 + _stable("not-offered-credits", programme.code) % 4),
            languages=languages,
            link_language=programme.page_language,
            n1=n1,
            n2=n2,
            n3=n3,
            offered=False,
        )
        position = _stable("not-offered-position", year, programme.code) % (len(programme.rows) + 1)
        programme.rows.insert(position, row)


def _listing_id(year: int, key: str) -> int:
    return 100_000_000 + _stable("listing-id", year, key) % 900_000_000


def _assign_listing_ids(year: int, programmes: list[Programme]) -> None:
    for programme in programmes:
        programme.listing_id = _listing_id(year, programme.code)
    ids = [programme.listing_id for programme in programmes]
    ids += [_listing_id(year, other.slug) for other in OTHER_PROGRAMMES]
    if len(set(ids)) != len(ids):  # pragma: no cover - would need a 9-digit hash collision
        raise ValueError(f"listing id collision in {year}")


# --------------------------------------------------------------------------------------------------------
# Formatting helpers


def format_credits(value: Decimal, decimal_mark: str = ",") -> str:
    """`5` for whole numbers, else `7,5` (nl) or `7.5` (en)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", decimal_mark)


def _sp_cell(year: int, programme_code: str, row: CourseRow) -> str:
    # The real table shows "5" on most rows and "5,0" on some: keep both forms in the snapshot.
    if _stable("sp-form", year, programme_code, row.code) % 5 == 0:
        return format(row.credits.quantize(Decimal("0.1")), "f").replace(".", ",")
    return format_credits(row.credits, ",")


SEMESTERS_NL = ("1e semester",) * 9 + ("2e semester",) * 7 + ("jaar",) * 2 + ("1e en 2e semester",) * 2
SEMESTER_EN = {
    "1e semester": "1st semester",
    "2e semester": "2nd semester",
    "jaar": "year",
    "1e en 2e semester": "1st and 2nd semester",
}


def semester_nl(year: int, course_code: str) -> str:
    """Authored semester of a course unit in a year (the same in every programme and on its sheet)."""
    return _choose(SEMESTERS_NL, "semester", year, course_code)


def semester(year: int, course_code: str, language: str) -> str:
    value = semester_nl(year, course_code)
    return SEMESTER_EN[value] if language == "en" else value


MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _format_date(day: dt.date, language: str) -> str:
    months = MONTHS_EN if language == "en" else MONTHS_NL
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


LANGUAGE_NAMES = {
    "nl": ("Nederlands", "Dutch"),
    "en": ("Engels", "English"),
    "fr": ("Frans", "French"),
    "ln": ("Lingala", "Lingala"),
    "de": ("Duits", "German"),
}


def language_names(codes: str, language: str) -> str:
    """`nl,en` -> `Nederlands, Engels` (or `Dutch, English` on English sheets)."""
    names = []
    for code in (part.strip() for part in codes.split(",")):
        if code:
            dutch, english = LANGUAGE_NAMES.get(code, (code, code))
            names.append(english if language == "en" else dutch)
    return ", ".join(names)


def _page(language: str, title: str, main: str) -> str:
    """The minimal page chrome around a page's main content."""
    site = "Study guide" if language == "en" else "Studiekiezer"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape(title)} | {site} | Universiteit Gent</title>\n"
        "</head>\n"
        "<body>\n"
        f'<header class="site-header"><p class="brand">Universiteit Gent · {site}</p></header>\n'
        f"{main}"
        '<footer class="site-footer"><p>© Universiteit Gent</p></footer>\n'
        "</body>\n"
        "</html>\n"
    )


# --------------------------------------------------------------------------------------------------------
# Listing and chunk fragments


@dataclass(frozen=True)
class Card:
    listing_id: int
    title: str
    href: str
    type_en: str
    type_nl: str
    years: int
    credits: Decimal


def _sort_key(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def listing_cards(year: int, programmes: list[Programme]) -> list[Card]:
    """All cards of a year's listing, in the site's alphabetical order."""
    cards = [
        Card(p.listing_id, p.name, p.root_url, "Micro-Credentials", "Micro-credentials", 1, p.credits)
        for p in programmes
    ]
    cards += [
        Card(
            _listing_id(year, other.slug),
            other.name,
            programme_root(year, other.slug),
            other.type_en,
            other.type_nl,
            other.years,
            Decimal(other.credits),
        )
        for other in OTHER_PROGRAMMES
    ]
    return sorted(cards, key=lambda card: (_sort_key(card.title), card.listing_id))


def _card_html(card: Card, language: str) -> str:
    if language == "en":
        kind = card.type_en
        meta = (
            f"{card.years} year{'s' if card.years > 1 else ''} | {format_credits(card.credits, '.')} credits"
        )
    else:
        kind = card.type_nl
        meta = f"{card.years} jaar | {format_credits(card.credits, ',')} studiepunten"
    return (
        f'<a href="{escape(card.href)}" class="programme-card"><h2 class="title">{escape(card.title)}</h2>'
        f'<span class="type">{escape(kind)}</span><span class="meta">{escape(meta)}</span></a>\n'
    )


def chunk_html(cards: Sequence[Card], language: str) -> str:
    """The incrementalsearch answer: a bare fragment of cards, as the page's script inserts it."""
    return "".join(_card_html(card, language) for card in cards)


def chunks(cards: Sequence[Card]) -> list[list[Card]]:
    return [list(cards[start : start + CHUNK_SIZE]) for start in range(0, len(cards), CHUNK_SIZE)]


def chunk_data(batch: Sequence[Card]) -> str:
    return ",".join(str(card.listing_id) for card in batch)


def listing_html(year: int, language: str, cards: Sequence[Card]) -> str:
    en = language == "en"
    academic_year = f"{year}-{year + 1}"
    counts: dict[str, int] = {}
    for card in cards:
        kind = card.type_en if en else card.type_nl
        counts[kind] = counts.get(kind, 0) + 1
    active = ' class="active"'
    years = "".join(
        f"<li{active if other == year else ''}>{other}-{other + 1}</li>"
        for other in sorted(YEARS, reverse=True)
    )
    types = "".join(
        f'<li><label><input type="checkbox" name="type"> {escape(kind)} ({count})</label></li>'
        for kind, count in sorted(counts.items())
    )
    divs = "".join(
        f'<div id="lazyLoadedChunk{index}" data="{chunk_data(batch)}"></div>\n'
        for index, batch in enumerate(chunks(cards))
    )
    found = f"{len(cards)} programmes found" if en else f"{len(cards)} opleidingen gevonden"
    placeholder = "enter a search term" if en else "zoekterm"
    main = (
        '<main class="zoek">\n'
        '<aside class="filters">\n'
        f"<h2>{'Search' if en else 'Zoeken'}</h2>\n"
        f'<form><input type="text" name="zt" placeholder="{placeholder}"></form>\n'
        f"<h3>{'Academic year' if en else 'Academiejaar'}</h3>\n"
        f'<ul class="facet facet-year">{years}</ul>\n'
        f"<h3>{'Programme type' if en else 'Type opleiding'}</h3>\n"
        f'<ul class="facet facet-type">{types}</ul>\n'
        "</aside>\n"
        '<section class="results">\n'
        f"<h1>{'Our programmes' if en else 'Ons opleidingsaanbod'}</h1>\n"
        f'<p class="active-filters">{"Academic year" if en else "Academiejaar"}: {academic_year}</p>\n'
        f'<p class="result-count">{found}</p>\n'
        f"{divs}"
        "</section>\n"
        "</main>\n"
    )
    return _page(language, "Our programmes" if en else "Ons opleidingsaanbod", main)


# --------------------------------------------------------------------------------------------------------
# Programme page


FEE_PER_CREDIT = {2022: ("247,50", "11,90"), 2023: ("259,70", "12,20"), 2024: ("265,70", "12,50")}
FLAT_FEES = (("€ 450", "€ 450"), ("€ 743,-", "€ 743"), ("€ 1.250", "€ 1,250"), ("€ 350", "€ 350"))
LEVELS = (
    (("Master", "Master"),) * 4
    + (("Bachelor", "Bachelor"),) * 3
    + (
        ("VKS-niveau 7", "VKS level 7"),
        ("VKS-niveau 6", "VKS level 6"),
    )
)
MODES = (
    (
        ("Dagonderwijs, op de campus", "Daytime classes, on campus"),
        ("Op de campus, in groep", "On campus, in a group"),
    ),
) * 5 + (
    (
        ("Avondonderwijs, hybride", "Evening classes, hybrid"),
        ("Hybride: live op de campus of online", "Hybrid: live on campus or online"),
    ),
    (("Online", "Online"), ("Online, individueel", "Online, individually")),
    (("Blended", "Blended"), ("Afwisselend online en op de campus", "Alternating online and on campus")),
)
ASSESSMENTS = (
    ("Schriftelijk examen", "Written exam"),
    ("Paper en presentatie", "Paper and presentation"),
    ("Mondeling examen met schriftelijke voorbereiding", "Oral exam with written preparation"),
    ("Permanente evaluatie en schriftelijk examen", "Continuous assessment and written exam"),
)
QUALITY = (
    "Interne kwaliteitszorg UGent (instellingsreview)",
    "Ghent University internal quality assurance (institutional review)",
)
PREREQUISITES = (
    ("Diploma hoger onderwijs (bachelor of master)", "A higher education degree (Bachelor's or Master's)"),
    ("Geen specifieke toelatingsvoorwaarden", "No specific admission requirements"),
    (
        "Bachelordiploma in een verwante richting of relevante beroepservaring (toelating na dossier)",
        "A Bachelor's degree in a related field or relevant work experience (admission on file)",
    ),
)
STACKABILITY = (
    (
        "Het getuigschrift kan vrijstellingen opleveren in een latere bachelor- of masteropleiding.",
        "The certificate can lead to exemptions in a later Bachelor's or Master's programme.",
    ),
    (
        "Combineerbaar met andere micro-credentials van dezelfde faculteit.",
        "Can be combined with other micro-credentials of the same faculty.",
    ),
    ("Niet stapelbaar.", "Not stackable."),
)
OUTCOMES = (
    (
        "Je past de kernbegrippen van ‘{topic}’ correct toe op concrete casussen.",
        "You apply the core concepts of ‘{topic}’ correctly to concrete cases.",
    ),
    (
        "Je analyseert een actueel vraagstuk binnen ‘{topic}’ en formuleert een onderbouwd standpunt.",
        "You analyse a current issue in ‘{topic}’ and formulate a well-founded position.",
    ),
    (
        "Je situeert ‘{topic}’ in een bredere maatschappelijke en wetenschappelijke context.",
        "You place ‘{topic}’ in a wider societal and scientific context.",
    ),
    (
        "Je rapporteert schriftelijk en mondeling over ‘{topic}’ voor een publiek van vakgenoten.",
        "You report in writing and orally on ‘{topic}’ to an audience of peers.",
    ),
    (
        "Je gebruikt de gangbare bronnen en methoden van ‘{topic}’ kritisch.",
        "You use the common sources and methods of ‘{topic}’ critically.",
    ),
)
PRACTICAL_LABELS = {
    "level": ("Niveau", "Level"),
    "mode": ("Onderwijsvorm", "Mode of delivery"),
    "fee": ("Inschrijvingsgeld", "Tuition fee"),
    "start": ("Startdatum", "Start date"),
    "end": ("Einddatum", "End date"),
    "outcomes": ("Leerresultaten", "Learning outcomes"),
    "assessment": ("Evaluatie", "Assessment"),
    "participation": ("Deelnamevorm", "Form of participation"),
    "quality": ("Kwaliteitszorg", "Quality assurance"),
    "prerequisites": ("Toelatingsvoorwaarden", "Prerequisites"),
    "stackability": ("Stapelbaarheid", "Stackability"),
}


def _omitted_fields(programme: Programme) -> set[str]:
    """About 15% of pages leave out one to three practical fields, so completeness checks find gaps."""
    if _stable("omit", programme.year, programme.code) % 100 >= 15:
        return set()
    keys = sorted(
        PRACTICAL_LABELS, key=lambda key: _stable("omit-order", programme.year, programme.code, key)
    )
    return set(keys[: 1 + _stable("omit-count", programme.year, programme.code) % 3])


def practical_information(programme: Programme) -> list[tuple[str, str]]:
    """(label, value HTML) pairs of the authored practical-information block, in page order."""
    en = programme.page_language == "en"
    pick = 1 if en else 0
    year, code = programme.year, programme.code
    semesters = {semester_nl(year, row.code) for row in programme.rows if row.offered}
    mode, participation = _choose(MODES, "mode", year, code)

    if _stable("fee-kind", year, code) % 10 < 7:
        fixed, per_credit = FEE_PER_CREDIT[year]
        if en:
            fee = f"€ {fixed.replace(',', '.')} fixed amount + € {per_credit.replace(',', '.')} per credit"
        else:
            fee = f"€ {fixed} vast bedrag + € {per_credit} per studiepunt"
    else:
        fee = _choose(FLAT_FEES, "flat-fee", year, code)[pick]

    # Courses only in the second semester start in February; anything running past January ends in June.
    if semesters and semesters <= {"2e semester"}:
        start = _nth_monday(year + 1, 2, 2)
    else:
        start = _nth_monday(year, 9, 4)
    end = dt.date(year + 1, 1, 31) if semesters <= {"1e semester"} else dt.date(year + 1, 6, 30)

    outcome_order = sorted(range(len(OUTCOMES)), key=lambda index: _stable("outcome", year, code, index))
    outcomes = [OUTCOMES[index][pick].format(topic=programme.topic) for index in outcome_order]
    outcome_count = 2 + _stable("outcome-count", year, code) % 3
    outcome_html = "<ul>" + "".join(f"<li>{escape(text)}</li>" for text in outcomes[:outcome_count]) + "</ul>"

    values = {
        "level": escape(_choose(LEVELS, "level", code)[pick]),
        "mode": escape(mode[pick]),
        "fee": escape(fee),
        "start": _format_date(start, programme.page_language),
        "end": _format_date(end, programme.page_language),
        "outcomes": outcome_html,
        "assessment": escape(_choose(ASSESSMENTS, "assessment", year, code)[pick]),
        "participation": escape(participation[pick]),
        "quality": escape(QUALITY[pick]),
        "prerequisites": escape(_choose(PREREQUISITES, "prerequisites", code)[pick]),
        "stackability": escape(_choose(STACKABILITY, "stackability", code)[pick]),
    }
    omitted = _omitted_fields(programme)
    return [(PRACTICAL_LABELS[key][pick], value) for key, value in values.items() if key not in omitted]


def _course_row_html(programme: Programme, index: int, row: CourseRow) -> str:
    language = programme.page_language
    css = ' class="nietaangeboden"' if not row.offered else ""
    click = f"openStudiefiche({programme.year}, {row.n1}, {row.n2}, '{row.link_language}', {index}, {row.n3})"
    return (
        f"<tr{css}>"
        f'<td class="cursusnaam"><span title="{row.code}">{escape(row.name)}</span> '
        f'<a ng-click="{escape(click)}">studiefiche</a></td>'
        f'<td class="SP"><div><span>{_sp_cell(programme.year, programme.code, row)}</span></div></td>'
        f'<td class="taal"><div><div>{escape(row.languages)}</div></div></td>'
        f'<td class="semester">{semester(programme.year, row.code, language)}</td>'
        "</tr>\n"
    )


def programme_html(programme: Programme) -> str:
    en = programme.page_language == "en"
    heading = "Full programme" if en else "Volledig programma"
    # Older (2022) pages wrap the heading text in a span, newer ones in a div (as the
    # spider `ugent_programs.py` of the public repository Education4Climate/Education4Climate reads them).
    heading_tag = "span" if programme.year <= 2022 else "div"
    header_cells = (
        ("Course unit", "Credits", "Language", "Semester")
        if en
        else ("Opleidingsonderdeel", "Studiepunten", "Taal", "Semester")
    )
    places = "".join(f'<span class="faculteit">{escape(name)}</span>' for name in programme.faculties)
    places += "".join(f'<span class="campus">{escape(name)}</span>' for name in programme.campuses)
    rows = "".join(_course_row_html(programme, index, row) for index, row in enumerate(programme.rows))
    practical = "".join(
        f"<dt>{label}</dt><dd>{value}</dd>\n" for label, value in practical_information(programme)
    )
    main = (
        '<main class="opleiding">\n'
        '<div class="opleiding-header">\n'
        f'<h1 id="titleLabel" data-code="{programme.code}">{escape(programme.name)}</h1>\n'
        '<ul class="kenmerken">\n'
        '<li><i class="glyphicon glyphicon-education"></i><span>Micro-credential</span></li>\n'
        f'<li><i class="glyphicon glyphicon-map-marker"></i><div>{places}</div></li>\n'
        "</ul>\n"
        "</div>\n"
        '<div id="programma-tab">\n'
        '<div class="programma">\n'
        f"<h4><{heading_tag}>{heading}</{heading_tag}></h4>\n"
        '<table class="table">\n'
        "<thead><tr>" + "".join(f"<th>{cell}</th>" for cell in header_cells) + "</tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n"
        "</table>\n"
        "</div>\n"
        "</div>\n"
        '<section id="praktische-info">\n'
        f"<h2>{'Practical information' if en else 'Praktische informatie'}</h2>\n"
        f"<dl>\n{practical}</dl>\n"
        "</section>\n"
        "</main>\n"
    )
    return _page(programme.page_language, programme.name, main)


# --------------------------------------------------------------------------------------------------------
# Course sheets


FIRST_NAMES = (
    "An",
    "Bart",
    "Charlotte",
    "Dirk",
    "Els",
    "Filip",
    "Griet",
    "Hans",
    "Ilse",
    "Jan",
    "Katrien",
    "Lieven",
    "Marijke",
    "Nico",
    "Sofie",
    "Tom",
    "Veerle",
    "Wim",
)
LAST_NAMES = (
    "Claeys",
    "De Backer",
    "De Smet",
    "Goossens",
    "Janssens",
    "Maes",
    "Martens",
    "Peeters",
    "Van Damme",
    "Van den Broeck",
    "Verhaeghe",
    "Vermeulen",
    "Willems",
    "Wouters",
)
CONTENTS = (
    (
        "Dit opleidingsonderdeel biedt een gestructureerde inleiding tot ‘{name}’: de centrale begrippen, "
        "de belangrijkste theorieën en hun toepassing op actuele voorbeelden.",
        "This course unit offers a structured introduction to ‘{name}’: its central concepts, main theories "
        "and their application to current examples.",
    ),
    (
        "De lessen behandelen ‘{name}’ aan de hand van casussen uit onderzoek en praktijk, met aandacht voor "
        "methoden, bronnen en recente ontwikkelingen.",
        "The classes treat ‘{name}’ through cases from research and practice, with attention to methods, "
        "sources and recent developments.",
    ),
)
COMPETENCES = (
    (
        "De centrale begrippen van ‘{name}’ omschrijven en correct gebruiken.",
        "Describe and correctly use the central concepts of ‘{name}’.",
    ),
    (
        "Een probleem uit ‘{name}’ analyseren met de gepaste methoden.",
        "Analyse a problem in ‘{name}’ with the appropriate methods.",
    ),
    (
        "Wetenschappelijke literatuur over ‘{name}’ kritisch lezen en samenvatten.",
        "Critically read and summarise scientific literature on ‘{name}’.",
    ),
    (
        "Bevindingen helder rapporteren, schriftelijk en mondeling.",
        "Report findings clearly, in writing and orally.",
    ),
)
SHEET_ASSESSMENTS = (
    (
        "Eindevaluatie: schriftelijk examen met open vragen.",
        "End-of-term evaluation: written exam with open questions.",
    ),
    (
        "Eindevaluatie: mondeling examen met schriftelijke voorbereiding.",
        "End-of-term evaluation: oral exam with written preparation.",
    ),
    (
        "Permanente evaluatie (paper, 40%) en schriftelijk examen (60%).",
        "Continuous assessment (paper, 40%) and written exam (60%).",
    ),
    ("Paper en presentatie.", "Paper and presentation."),
)
# Hours per credit: the Flemish norm is 25-30; one in twenty-five sheets publishes an out-of-band figure so
# the hours-versus-credits rule has something real to flag.
HOURS_PER_CREDIT = (30,) * 20 + (25,) * 4 + (36,)
CONTACT_PER_CREDIT = (Decimal(6), Decimal("7.5"), Decimal(9), Decimal(10))


def _format_hours(value: Decimal) -> str:
    return format_credits(value, ".")


def _lecturers(year: int, code: str) -> list[str]:
    def name(*parts: object) -> str:
        return f"{_choose(LAST_NAMES, 'last', *parts)}, {_choose(FIRST_NAMES, 'first', *parts)}"

    # The responsible lecturer is stable over the years; a co-lecturer comes and goes.
    lecturers = [name(code)]
    if _stable("co-lecturer", year, code) % 3 == 0:
        co_lecturer = name(code, year)
        if co_lecturer != lecturers[0]:
            lecturers.append(co_lecturer)
    return lecturers


def course_sheets(year: int, programmes: list[Programme]) -> dict[str, CourseSheet]:
    """The course sheets a year needs: every course unit in any programme table, in code order."""
    sheets: dict[str, CourseSheet] = {}
    for programme in sorted(programmes, key=lambda programme: programme.code):
        for row in programme.rows:
            sheet = sheets.setdefault(
                row.code,
                CourseSheet(
                    year, row.code, row.name.strip(), row.credits, row.languages, offered=row.offered
                ),
            )
            sheet.page_languages.add(programme.page_language)
            if row.offered:
                sheet.offered = True
                if programme.name not in sheet.offered_in:
                    sheet.offered_in.append(programme.name)
    return dict(sorted(sheets.items()))


def studiefiche_html(sheet: CourseSheet, language: str) -> str:
    en = language == "en"
    pick = 1 if en else 0
    year, code = sheet.year, sheet.code
    academic_year = f"{year}-{year + 1}"
    hours = sheet.credits * _choose(HOURS_PER_CREDIT, "hours", year, code)
    contact = sheet.credits * _choose(CONTACT_PER_CREDIT, "contact", code)
    labels = (
        (
            "Credits",
            "Study time",
            "Contact hours",
            "Teaching languages",
            "Semester",
            f"Lecturers in academic year {academic_year}",
            f"Offered in the following programmes in {academic_year}",
        )
        if en
        else (
            "Studiepunten",
            "Studietijd",
            "Contacttijd",
            "Onderwijstalen",
            "Semester",
            f"Lesgevers in academiejaar {academic_year}",
            f"Aangeboden in onderstaande opleidingen in {academic_year}",
        )
    )
    hour_unit = "h" if en else "u"  # "uur" on Dutch sheets
    role = "Responsible lecturer" if en else "Verantwoordelijk lesgever"
    co_role = "Co-lecturer" if en else "Medelesgever"
    lecturers = "".join(
        f'<li>{escape(person)} <span class="rol">{role if index == 0 else co_role}</span></li>'
        for index, person in enumerate(_lecturers(year, code))
    )
    offered_in = "".join(f"<li>{escape(name)}</li>" for name in sheet.offered_in)
    values = (
        format(sheet.credits.quantize(Decimal("0.1")), "f"),
        f"{_format_hours(hours)} {hour_unit}",
        f"{format(contact.quantize(Decimal('0.1')), 'f')} {hour_unit}",
        escape(language_names(sheet.languages, language)),
        semester(year, code, language),
        f"<ul>{lecturers}</ul>",
        f"<ul>{offered_in}</ul>",
    )
    rows = "".join(
        f"<tr><th>{label}</th><td>{value}</td></tr>\n" for label, value in zip(labels, values, strict=True)
    )
    not_offered = ""
    if not sheet.offered:
        text = (
            f"This course unit is not offered in academic year {academic_year}."
            if en
            else f"Dit opleidingsonderdeel wordt niet aangeboden in academiejaar {academic_year}."
        )
        not_offered = f'<p class="nietaangeboden">{text}</p>\n'
    competence_order = sorted(range(len(COMPETENCES)), key=lambda index: _stable("competence", code, index))
    competences = "".join(
        f"<li>{escape(COMPETENCES[index][pick].format(name=sheet.name))}</li>"
        for index in competence_order[: 2 + _stable("competence-count", code) % 3]
    )
    main = (
        '<main class="studiefiche">\n'
        f'<h1 class="cursusnaam" data-code="{code}">{escape(sheet.name)} ({code})</h1>\n'
        f'<p class="academiejaar">{"Academic year" if en else "Academiejaar"} {academic_year}</p>\n'
        f"{not_offered}"
        f'<table class="kenmerken">\n{rows}</table>\n'
        f"<h2>{'Content' if en else 'Inhoud'}</h2>\n"
        f"<p>{escape(_choose(CONTENTS, 'content', code)[pick].format(name=sheet.name))}</p>\n"
        f"<h2>{'Final competences' if en else 'Eindcompetenties'}</h2>\n"
        f"<ol>{competences}</ol>\n"
        f"<h2>{'Assessment' if en else 'Evaluatievormen'}</h2>\n"
        f"<p>{escape(_choose(SHEET_ASSESSMENTS, 'sheet-assessment', year, code)[pick])}</p>\n"
        "</main>\n"
    )
    return _page(language, f"{sheet.name} ({code})", main)


# --------------------------------------------------------------------------------------------------------
# Writing


@dataclass
class GenerationReport:
    """What a run wrote, counted per kind of page."""

    pages: dict[str, int] = field(default_factory=dict)
    rows: list[ManifestRow] = field(default_factory=list)

    def add(self, kind: str, row: ManifestRow) -> None:
        self.pages[kind] = self.pages.get(kind, 0) + 1
        self.rows.append(row)


def generate(out_dir: Path = SITES_DIR, reference_dir: Path = REFERENCE_DIR) -> GenerationReport:
    """Write the UGent snapshot under `out_dir` and merge its rows into `out_dir/manifest.jsonl`.

    The host's directory is rebuilt from scratch so pages that no longer exist do not linger; other hosts'
    files and manifest rows are left alone.
    """
    programmes = load_programmes(reference_dir)
    host_dir = out_dir / HOST
    if host_dir.exists():
        shutil.rmtree(host_dir)
    report = GenerationReport()

    def write(kind: str, url: str, body: str, last_modified: str, content_type: str = HTML_TYPE) -> None:
        relative = file_for_url(url, content_type)
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(body)
        report.add(kind, ManifestRow(url, relative, content_type, last_modified))

    write("robots", f"{ORIGIN}/robots.txt", ROBOTS_TXT, LAST_MODIFIED[max(YEARS)], TEXT_TYPE)
    for year in YEARS:
        modified = LAST_MODIFIED[year]
        cards = listing_cards(year, programmes[year])
        for language in LISTING_LANGUAGES:
            write("listing", listing_url(year, language), listing_html(year, language, cards), modified)
            for batch in chunks(cards):
                write("chunk", chunk_url(language, chunk_data(batch)), chunk_html(batch, language), modified)
        for programme in programmes[year]:
            write("programme", programme.url, programme_html(programme), modified)
        for sheet in course_sheets(year, programmes[year]).values():
            for language in sorted(sheet.page_languages):
                write(
                    "studiefiche",
                    studiefiche_url(year, language, sheet.code),
                    studiefiche_html(sheet, language),
                    modified,
                )
    merge_manifest(out_dir / MANIFEST_NAME, HOST, report.rows)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir", type=Path, default=SITES_DIR, help="sites directory (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    report = generate(args.out_dir)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(report.pages.items()))
    print(f"wrote {len(report.rows)} pages for {HOST} under {args.out_dir}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
