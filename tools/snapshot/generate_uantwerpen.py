"""Generate the bundled offline copy of the University of Antwerp's micro-credential pages (www.uantwerpen.be).

What belongs here: the pages a crawl of UAntwerp's micro-credentials meets (landing pages, programme listings
in both card vintages, programme roots, programme-info and study-programme tabs, `ajax/courseInfo` course
sheets, four summer schools with their ECTS and registration sub-pages, robots.txt), built on the real page
templates of uantwerpen.be (study programmes with one pane per academic year, summer schools under two
prefixes) and the real study-programme page in `reference/` (see its README), and writing them plus their manifest rows under
`sites/`.

Unlike Ghent, no real UAntwerp micro-credential catalogue is known: the landing texts, the URL patterns, the
DOM, the fee format, the course-code pattern and the summer schools' credits are real; the micro-credentials
themselves are authored (see `scrapers/snapshot/README.md`, "University of Antwerp"). Six of them carry
planted rule violations for the quality checks (`PLANTED`).

Sources named below: **E4C** is the public repository `Education4Climate/Education4Climate`, whose Scrapy
spiders (`src/crawl/unicrawl/spiders/uantwerpen_*.py`) crawled these pages; the year panes and the two
summer-school prefixes are what public crawlers of the live site select (E4C selects
`//section[contains(@id, '-{YEAR}')]`).

Run it with `python -m tools.snapshot.generate_uantwerpen`. The output is committed and must be
byte-identical on every run: nothing reads the clock, and every authored choice not written out in the
tables below is derived from a SHA-256 of the names it belongs to (`_stable`), never from `random`.
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from html import escape as _html_escape
from pathlib import Path

from scrapers.snapshot.manifest import MANIFEST_NAME, SITES_DIR, ManifestRow, file_for_url, merge_manifest

HOST = "www.uantwerpen.be"
ORIGIN = f"https://{HOST}"
YEAR = 2025  # the academic year of the micro-credentials (2025-2026); the summer schools are 2024-2025
SUMMER_YEAR = 2024
REFERENCE_PAGE = (
    Path(__file__).resolve().parent / "reference" / "uantwerpen-2025-master-data-science-study-programme.html"
)

HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
# Fixed publication moments: the 2025-2026 offer on the first Monday of September, the 2025 summer schools
# in spring. A rebuild never changes a validator.
LAST_MODIFIED = "2025-09-01T06:00:00Z"
SUMMER_LAST_MODIFIED = "2025-03-03T06:00:00Z"
ROBOTS_TXT = "User-agent: *\nDisallow: /intranet/\n"

LANDING = {
    "en": f"{ORIGIN}/en/study/programmes/all-programmes/micro-credential/",
    "nl": f"{ORIGIN}/nl/studeren/aanbod/micro-credential/",
}
# The all-programmes listing with facets (E4C: `…/alle-opleidingen/?s=16&lang=nl&f=23%2C114%2C124`). 198 (micro-credential) and 201 (English-taught) are
# authored: the real facet ids are unknown. The EN link is written with `%2C`, as the real E4C URL is.
LISTING = {
    "en": f"{ORIGIN}/en/study/programmes/all-programmes/?s=16&lang=en&f=198%2C201",
    "nl": f"{ORIGIN}/nl/studeren/aanbod/alle-opleidingen/?s=16&lang=nl&f=198",
}
PROGRAMME_BASE = {"en": "/en/study/programmes/all-programmes", "nl": "/nl/studeren/aanbod/alle-opleidingen"}
TABS = {
    # key: (EN label, EN path, NL label, NL path); "" is the programme root.
    "about": ("About the programme", "", "Over de opleiding", ""),
    "info": ("Programme info", "programme-info/", "Opleidingsinfo", "opleidingsinfo/"),
    "programme": ("Study programme", "study-programme/", "Studieprogramma", "studieprogramma/"),
    "admission": (
        "Admission and enrolment",
        "admission-and-enrolment/",
        "Toelating en inschrijving",
        "toelating-en-inschrijving/",
    ),
    "contact": ("Contact", "contact/", "Contact", "contact/"),
}


def escape(text: str) -> str:
    return _html_escape(text, quote=False).replace('"', "&quot;")


# --------------------------------------------------------------------------------------------------------
# Deterministic choices


def _stable(*parts: object) -> int:
    """A 64-bit integer fixed by `parts`: the source of every authored choice not in the tables."""
    digest = sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _choose(options: Sequence, *parts: object):
    return options[_stable(*parts) % len(options)]


# --------------------------------------------------------------------------------------------------------
# Reference tables (real names of faculties and campuses; their link paths are authored except the first)

FACULTIES = {
    # 3-letter course-code faculty code -> (EN name, NL name, EN path, NL path, EN domain, NL domain)
    "WET": (
        "Faculty of Science",
        "Faculteit Wetenschappen",
        "/en/faculties/facultyofscience/",
        "/nl/faculteiten/wetenschappen/",
        "Sciences",
        "Wetenschappen",
    ),
    "TEW": (
        "Faculty of Business and Economics",
        "Faculteit Bedrijfswetenschappen en Economie",
        "/en/faculties/faculty-of-business-and-economics/",
        "/nl/faculteiten/bedrijfswetenschappen-economie/",
        "Business Economics",
        "Bedrijfseconomie",
    ),
    "LET": (
        "Faculty of Arts",
        "Faculteit Letteren en Wijsbegeerte",
        "/en/faculties/faculty-of-arts/",
        "/nl/faculteiten/letteren-wijsbegeerte/",
        "History and Culture",
        "Geschiedenis en cultuur",
    ),
    "REC": (
        "Faculty of Law",
        "Faculteit Rechten",
        "/en/faculties/faculty-of-law/",
        "/nl/faculteiten/rechten/",
        "Law",
        "Rechten",
    ),
    "SOW": (
        "Faculty of Social Sciences",
        "Faculteit Sociale Wetenschappen",
        "/en/faculties/faculty-of-social-sciences/",
        "/nl/faculteiten/sociale-wetenschappen/",
        "Social Sciences",
        "Sociale wetenschappen",
    ),
    "FTI": (
        "Faculty of Applied Engineering",
        "Faculteit Toegepaste Ingenieurswetenschappen",
        "/en/faculties/faculty-of-applied-engineering/",
        "/nl/faculteiten/toegepaste-ingenieurswetenschappen/",
        "Engineering",
        "Ingenieurswetenschappen",
    ),
    "GGW": (
        "Faculty of Medicine and Health Sciences",
        "Faculteit Geneeskunde en Gezondheidswetenschappen",
        "/en/faculties/faculty-of-medicine-and-health-sciences/",
        "/nl/faculteiten/geneeskunde-gezondheidswetenschappen/",
        "Health Sciences",
        "Gezondheidswetenschappen",
    ),
    "FBD": (
        "Faculty of Pharmaceutical, Biomedical and Veterinary Sciences",
        "Faculteit Farmaceutische, Biomedische en Diergeneeskundige Wetenschappen",
        "/en/faculties/faculty-of-pharmaceutical-biomedical-and-veterinary-sciences/",
        "/nl/faculteiten/farmaceutische-biomedische-diergeneeskundige-wetenschappen/",
        "Pharmaceutical Sciences",
        "Farmaceutische wetenschappen",
    ),
    "ONW": (
        "Faculty of Design Sciences",
        "Faculteit Ontwerpwetenschappen",
        "/en/faculties/faculty-of-design-sciences/",
        "/nl/faculteiten/ontwerpwetenschappen/",
        "Architecture and Urban Planning",
        "Architectuur en stedenbouw",
    ),
}
CAMPUSES = {
    # key -> (EN name, NL name, slug); the Middelheim link is the real one, the others follow its pattern.
    "city": ("City Campus", "Stadscampus", "city-campus"),
    "middelheim": ("Campus Middelheim", "Campus Middelheim", "campus-middelheim"),
    "groenenborger": ("Campus Groenenborger", "Campus Groenenborger", "campus-groenenborger"),
    "drie-eiken": ("Campus Drie Eiken", "Campus Drie Eiken", "campus-drie-eiken"),
    "mutsaard": ("Campus Mutsaard", "Campus Mutsaard", "campus-mutsaard"),
}
LANGUAGE_VALUE = {
    # teaching language -> value on an EN page, value on an NL page, value on a course sheet
    "en": ("English", "Engels", "ENG"),
    "nl": ("Dutch", "Nederlands", "NED"),
    "grc": ("Ancient Greek", "Oudgrieks", "GRC"),
}


# --------------------------------------------------------------------------------------------------------
# Model


@dataclass(frozen=True)
class CourseSpec:
    """A course unit as written in the programme table below (everything else about it is derived)."""

    name: str
    credits: int
    semester: str  # "1E SEM", "2E SEM" or "1E/2E SEM" (as the real pages write it)
    languages: tuple[str, ...] = ()  # teaching languages; empty = the programme's language
    study_load: int | None = None  # hours; None = credits x 28 (the real pages' ratio, 168 for 6)
    code: str | None = None  # explicit code for a course shared by two programmes
    contact_hours: bool = True  # two real courses publish no contact hours; so do a few here
    sheet_status: int = 200  # 404: the course sheet is missing on the site
    biannual: bool = False


@dataclass(frozen=True)
class MicroCredentialSpec:
    slug: str
    title: str
    language: str  # page language: "en" or "nl"
    faculty: str  # FACULTIES key
    campus: str  # CAMPUSES key
    level: str  # "bachelor" or "master"
    mode: str  # MODES key
    courses: tuple[CourseSpec, ...]
    stated_credits: int | None = None  # planted: the key facts state other credits than the course sum
    programme_languages: tuple[str, ...] = ()  # planted: the programme states fewer languages than a course
    omit: frozenset[str] = frozenset()  # practical-information keys left out of the page
    programme_path: str | None = None  # another real form of the study-programme tab URL
    fee: tuple[str, str] | None = None  # a flat fee (EN, NL) instead of the per-credit build-up
    load_sentence: bool = False  # the study load in a sentence that also gives contact hours


def _c(name: str, credits: int, semester: int | str, **kwargs) -> CourseSpec:
    sem = {1: "1E SEM", 2: "2E SEM", 0: "1E/2E SEM"}.get(semester, semester)  # type: ignore[arg-type]
    return CourseSpec(name, credits, sem, **kwargs)


SHARED_REPORTING = dict(code="2001TEWFRA")  # "Financiële rapportering", in two programmes

# The authored micro-credentials of 2025-2026 (titles in the real "Micro-credential …" style).
MICRO_CREDENTIALS: tuple[MicroCredentialSpec, ...] = (
    # -- taught in Dutch --
    MicroCredentialSpec(
        "micro-credential-erfgoed-en-digitalisering",
        "Micro-credential Erfgoed en digitalisering",
        "nl",
        "LET",
        "city",
        "master",
        "evening",
        (
            _c("Digitaal erfgoed: theorie en praktijk", 3, 1),
            _c("Digitaliseringsprojecten in de erfgoedsector", 3, 2),
        ),
        omit=frozenset({"stackability"}),
    ),
    MicroCredentialSpec(
        "micro-credential-architectuurgeschiedenis-van-antwerpen",
        "Micro-credential Architectuurgeschiedenis van Antwerpen",
        "nl",
        "ONW",
        "mutsaard",
        "bachelor",
        "evening",
        (_c("Architectuurgeschiedenis van Antwerpen", 5, 1),),
    ),
    MicroCredentialSpec(
        "micro-credential-politieke-communicatie",
        "Micro-credential Politieke communicatie",
        "nl",
        "SOW",
        "city",
        "master",
        "hybrid",
        (_c("Politieke communicatie en campagnes", 6, 2),),
    ),
    MicroCredentialSpec(
        "micro-credential-europees-migratierecht",
        "Micro-credential Europees migratierecht",
        "nl",
        "REC",
        "city",
        "master",
        "evening",
        (_c("Europees migratierecht", 6, 1), _c("Actualia asiel en migratie", 3, 1)),
    ),
    MicroCredentialSpec(
        "micro-credential-zorgmanagement",
        "Micro-credential Zorgmanagement",
        "nl",
        "GGW",
        "drie-eiken",
        "master",
        "hybrid",
        (
            _c("Management in de gezondheidszorg", 6, 1),
            _c("Quality and Patient Safety", 6, 2, languages=("en",), contact_hours=False),
        ),
        programme_path="over-de-opleiding/studieprogramma/",
    ),
    MicroCredentialSpec(
        "micro-credential-farmaceutische-zorg",
        "Micro-credential Farmaceutische zorg",
        "nl",
        "FBD",
        "drie-eiken",
        "master",
        "online",
        (_c("Farmaceutische zorg in de officina", 4, 1), _c("Farmacotherapeutisch overleg", 4, 2)),
    ),
    MicroCredentialSpec(
        "micro-credential-circulaire-economie",
        "Micro-credential Circulaire economie",
        "nl",
        "TEW",
        "city",
        "master",
        "evening",
        (_c("Circulaire economie", 6, 2),),
        omit=frozenset({"prerequisites", "start"}),
    ),
    MicroCredentialSpec(
        "micro-credential-boekhouden-voor-niet-economen",
        "Micro-credential Boekhouden voor niet-economen",
        "nl",
        "TEW",
        "city",
        "bachelor",
        "evening",
        (
            _c("Financiële rapportering", 4, 1, **SHARED_REPORTING),
            _c("Kostprijsberekening en budgettering", 3, 2),
        ),
    ),
    MicroCredentialSpec(
        "micro-credential-geneesmiddelenontwikkeling",
        "Micro-credential Geneesmiddelenontwikkeling",
        "nl",
        "FBD",
        "drie-eiken",
        "master",
        "daytime",
        (
            _c("Geneesmiddelenontwikkeling: van molecule tot markt", 5, 1),
            _c("Regelgeving rond geneesmiddelen", 5, 2),
        ),
    ),
    MicroCredentialSpec(
        "micro-credential-industriele-automatisering",
        "Micro-credential Industriële automatisering",
        "nl",
        "FTI",
        "groenenborger",
        "bachelor",
        "daytime",
        (_c("PLC-programmering", 4, 1), _c("Industriële netwerken", 3, 1, contact_hours=False)),
    ),
    MicroCredentialSpec(
        "micro-credential-stedenbouw-en-ruimtelijke-planning",
        "Micro-credential Stedenbouw en ruimtelijke planning",
        "nl",
        "ONW",
        "mutsaard",
        "master",
        "daytime",
        (
            _c("Stedenbouwkundig ontwerp", 6, 1),
            _c("Ruimtelijke planning in Vlaanderen", 6, 2),
            _c("Participatie in stadsprojecten", 3, 2),
        ),
    ),
    MicroCredentialSpec(
        "micro-credential-filosofie-van-de-technologie",
        "Micro-credential Filosofie van de technologie",
        "nl",
        "LET",
        "city",
        "master",
        "online",
        (_c("Filosofie van de technologie", 4, 2, biannual=True),),
        # The real form of a fee built from a fixed part and a part per credit (seen on uantwerpen.be summer-school pages), wording ours.
        fee=("€ 75.40 + (number of credits x € 8.50)", "€ 75,40 + (aantal studiepunten x € 8,50)"),
    ),
    MicroCredentialSpec(
        "micro-credential-onderwijs-en-diversiteit",
        "Micro-credential Onderwijs en diversiteit",
        "nl",
        "SOW",
        "city",
        "master",
        "hybrid",
        (_c("Onderwijs en diversiteit", 6, 1), _c("Taalbeleid op school", 3, 2)),
    ),
    MicroCredentialSpec(
        "micro-credential-vastgoedrecht",
        "Micro-credential Vastgoedrecht",
        "nl",
        "REC",
        "city",
        "master",
        "evening",
        (
            _c("Vastgoedrecht", 6, 1),
            _c("Notarieel recht", 6, 1),
            _c("Fiscaliteit van vastgoed", 4, 2),
            _c("Stedenbouwrecht", 3, 2),
        ),
        programme_path="over-de-opleiding/studieprogramma/",
    ),
    # -- taught in English --
    MicroCredentialSpec(
        "micro-credential-data-analysis-with-r",
        "Micro-credential Data Analysis with R",
        "en",
        "WET",
        "middelheim",
        "master",
        "online",
        (_c("Data Analysis with R", 6, 1),),
    ),
    MicroCredentialSpec(
        "micro-credential-ai-for-business",
        "Micro-credential AI for Business",
        "en",
        "TEW",
        "city",
        "master",
        "evening",
        (_c("Artificial Intelligence for Business", 6, 1), _c("Responsible AI in Organisations", 3, 2)),
        programme_path="about-the-programme/study-programme/",
    ),
    MicroCredentialSpec(
        "micro-credential-sustainable-chemistry",
        "Micro-credential Sustainable Chemistry",
        "en",
        "WET",
        "groenenborger",
        "master",
        "daytime",
        (_c("Green Chemistry", 6, 2),),
        omit=frozenset({"fee"}),
    ),
    MicroCredentialSpec(
        "micro-credential-global-health",
        "Micro-credential Global Health",
        "en",
        "GGW",
        "drie-eiken",
        "master",
        "hybrid",
        (_c("Global Health Challenges", 5, 1), _c("Health Systems Research", 3, 1)),
        programme_path="about-the-programme/study-programme/",
        load_sentence=True,
    ),
    MicroCredentialSpec(
        "micro-credential-port-and-maritime-economics",
        "Micro-credential Port and Maritime Economics",
        "en",
        "TEW",
        "city",
        "master",
        "evening",
        (_c("Port Economics", 6, 1), _c("Maritime Logistics", 6, 2, sheet_status=404)),
    ),
    MicroCredentialSpec(
        "micro-credential-development-policy",
        "Micro-credential Development Policy",
        "en",
        "SOW",
        "city",
        "master",
        "daytime",
        (_c("Development Policy and Governance", 5, 1), _c("Aid Effectiveness", 5, 2)),
    ),
    MicroCredentialSpec(
        "micro-credential-european-competition-law",
        "Micro-credential European Competition Law",
        "en",
        "REC",
        "city",
        "master",
        "evening",
        (_c("European Competition Law", 6, 2),),
        fee=("€ 950", "€ 950"),
    ),
    MicroCredentialSpec(
        "micro-credential-cybersecurity-fundamentals",
        "Micro-credential Cybersecurity Fundamentals: <script> Injection & Web Defence",
        "en",
        "WET",
        "middelheim",
        "bachelor",
        "distance",
        (_c("Foundations of Cybersecurity", 3, 1),),
    ),
    MicroCredentialSpec(
        "micro-credential-digital-humanities",
        "Micro-credential Digital Humanities",
        "en",
        "LET",
        "city",
        "master",
        "hybrid",
        (_c("Digital Text Analysis", 4, 1), _c("Digital Editing", 3, 2, biannual=True)),
        omit=frozenset({"mode", "stackability"}),
    ),
    MicroCredentialSpec(
        "micro-credential-urban-design-research",
        "Micro-credential Urban Design Research",
        "en",
        "ONW",
        "mutsaard",
        "master",
        "daytime",
        (_c("Urban Design Research Studio", 6, 0),),
    ),
    # -- planted rule violations (see PLANTED and the README table) --
    MicroCredentialSpec(
        "micro-credential-research-data-management",
        "Micro-credential Research Data Management",
        "en",
        "WET",
        "middelheim",
        "master",
        "online",
        (_c("Research Data Management", 2, 1),),
    ),
    MicroCredentialSpec(
        "micro-credential-bedrijfskunde-voor-ingenieurs",
        "Micro-credential Bedrijfskunde voor ingenieurs",
        "nl",
        "TEW",
        "city",
        "master",
        "evening",
        (
            _c("Financiële rapportering", 4, 1, **SHARED_REPORTING),
            _c("Strategisch management", 6, 1),
            _c("Marketingmanagement", 6, 2),
            _c("Operationeel management", 4, 2),
            _c("Human resources management", 4, 2),
        ),
    ),
    MicroCredentialSpec(
        "micro-credential-arbeidsgeneeskunde",
        "Micro-credential Arbeidsgeneeskunde",
        "nl",
        "GGW",
        "drie-eiken",
        "master",
        "hybrid",
        (_c("Arbeidsgeneeskunde en preventie", 6, 1, study_load=300),),
    ),
    MicroCredentialSpec(
        "micro-credential-bemiddeling",
        "Micro-credential Bemiddeling",
        "nl",
        "REC",
        "city",
        "master",
        "evening",
        (_c("Bemiddeling in familiezaken", 6, 1), _c("Bemiddeling in burgerlijke en handelszaken", 6, 2)),
        stated_credits=9,
    ),
    MicroCredentialSpec(
        "micro-credential-oudgrieks-voor-beginners",
        "Micro-credential Oudgrieks voor beginners",
        "nl",
        "LET",
        "city",
        "bachelor",
        "evening",
        (_c("Oudgrieks I", 5, 1, languages=("nl", "grc")), _c("Griekse cultuur en mythologie", 3, 2)),
        programme_languages=("nl",),
    ),
    MicroCredentialSpec(
        "micro-credential-art-in-public-space",
        "Micro-credential Art in Public Space",
        "en",
        "ONW",
        "mutsaard",
        "master",
        "daytime",
        (_c("Art in Public Space", 5, 2),),
        omit=frozenset({"outcomes", "level", "assessment"}),
    ),
)

# registry id -> (rule, what is wrong); mirrored in the README's "Planted violations" table.
PLANTED: dict[str, tuple[str, str]] = {
    "uantwerpen:micro-credential-research-data-management": (
        "flanders_size_min",
        "2 credits (one 2-credit course unit): below the Flemish minimum of 3",
    ),
    "uantwerpen:micro-credential-bedrijfskunde-voor-ingenieurs": (
        "flanders_size_max",
        "24 credits (5 course units): above 20",
    ),
    "uantwerpen:micro-credential-arbeidsgeneeskunde": (
        "course_hours_band",
        "course unit 6 credits with study load 300 hours (50 h per credit); the programme "
        "also states 300 uur",
    ),
    "uantwerpen:micro-credential-bemiddeling": (
        "course_unit_sum",
        "the page states 9 studiepunten; its two course units sum to 12",
    ),
    "uantwerpen:micro-credential-oudgrieks-voor-beginners": (
        "languages (vocabulary)",
        "course unit 'Oudgrieks I' has language 'Nederlands, Oudgrieks' (sheet "
        "'NED, GRC'): Ancient Greek has no ISO 639-1 code",
    ),
    "uantwerpen:micro-credential-art-in-public-space": (
        "EU Annex I completeness",
        "programme-info page has no learning outcomes, level or assessment",
    ),
}


@dataclass(frozen=True)
class SummerSchoolSpec:
    """A real summer school of the Antwerp Summer University (its public pages, /en/summer-schools/{slug}/): slug partly real, credits real."""

    slug: str
    title: str
    credits: str  # as printed, real
    faculty: str
    dates: str
    fee: str | None  # on the programme page; None: only the registration page states it
    level: str
    description: str
    prefix: str = "summer-schools"  # the path prefix the landing page links first (two exist: /en/summer-schools/ and /en/summer-winter-schools/)
    also_under: str | None = None  # the same school's pages under the other prefix too
    credits_page: str | None = None  # a programme sub-page that states the credits (irregular slugs, real)
    credits_statement: str | None = None  # the credits as that sub-page words them
    registration_fee: str | None = None  # a registration/procedure/ page states the fee (and the dates)


SUMMER_SCHOOLS: tuple[SummerSchoolSpec, ...] = (
    SummerSchoolSpec(
        "europe-diversity-migration",
        "Europe: Diversity and Migration",
        "4 ECTS (+2 with an individual paper)",
        "SOW",
        "30 June – 11 July 2025",
        "Early bird (until 1 May 2025): € 550 | Regular: € 650",
        "Master level (VKS level 7)",
        "An interdisciplinary summer school on how migration and ethno-cultural diversity are changing Europe, "
        "its cities and its institutions, combining lectures, a visit to the European institutions in Brussels "
        "and group work.",
    ),
    SummerSchoolSpec(
        "from-mine-to-finger",
        "From Mine to Finger",
        "3 ECTS",
        "TEW",
        "18 – 29 August 2025",
        "€ 1.200",
        "Master level (VKS level 7)",
        "A summer school on the diamond value chain, from mining and trading to cutting, jewellery and the "
        "consumer, with visits in Antwerp's diamond district.",
    ),
    SummerSchoolSpec(
        "experience-entrepreneurship",
        "Experience Entrepreneurship",
        "4/5/6 ECTS",
        "TEW",
        "7 – 18 July 2025",
        "€ 950",
        "Bachelor level (VKS level 6)",
        "A hands-on summer school in which international teams develop a business idea for a real case, "
        "coached by entrepreneurs and academics.",
        prefix="summer-winter-schools",
        credits_page="programme/deliverables---ects-/",
        credits_statement="4, 5 or 6 ECTS depending on the assignments handed in",
    ),
    SummerSchoolSpec(
        "modelling-infectious-diseases",
        "Modelling Infectious Diseases",
        "2–5 ECTS credits",
        "WET",
        "14 - 18 July 2025",
        None,
        "Master level (VKS level 7)",
        "An intensive course on mathematical and statistical models of how infectious diseases spread, with "
        "hands-on computer sessions on real outbreak data.",
        prefix="summer-winter-schools",
        also_under="summer-schools",
        credits_page="programme/study-credits--ects-/",
        credits_statement="2–5 ECTS credits",
        registration_fee="PhD students: €300 | Others: €650",
    ),
)

# Cards of the all-programmes listing that are not micro-credentials (authored stand-ins for the rest of the
# catalogue, which the site sends in the same response and filters in the browser). Their pages are absent.
OTHER_PROGRAMMES = {
    "en": (
        (
            "master-data-science",
            "Master of Computer Science: Data Science and Artificial Intelligence",
            "Master",
        ),
        (
            "advanced-master-maritime-transport-management",
            "Advanced Master of Maritime Transport Management",
            "Advanced master",
        ),
        ("postgraduate-tropical-medicine", "Postgraduate Certificate in Tropical Medicine", "Postgraduate"),
    ),
    "nl": (
        ("bachelor-informatica", "Bachelor in de informatica", "Bachelor"),
        ("master-rechten", "Master in de rechten", "Master"),
        ("postgraduaat-fiscaliteit", "Postgraduaat in de fiscaliteit", "Postgraduaat"),
    ),
}


@dataclass
class Course:
    """A course unit of 2025-2026 with everything its row and sheet show."""

    code: str
    spec: CourseSpec
    languages: tuple[str, ...]
    study_load: int
    contact_hours: int | None
    lecturers: list[tuple[str, str]]  # (person id, name)
    programmes: list[MicroCredential] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def credits(self) -> int:
        return self.spec.credits

    @property
    def semester(self) -> str:
        return self.spec.semester


@dataclass
class MicroCredential:
    spec: MicroCredentialSpec
    courses: list[Course] = field(default_factory=list)
    programme_code: str = ""  # as listed on course sheets ("Is part of the next programmes"); authored

    @property
    def language(self) -> str:
        return self.spec.language

    @property
    def root(self) -> str:
        return f"{ORIGIN}{PROGRAMME_BASE[self.language]}/{self.spec.slug}/"

    def tab_url(self, key: str) -> str:
        if key == "programme" and self.spec.programme_path:
            return self.root + self.spec.programme_path
        en_label, en_path, nl_label, nl_path = TABS[key]
        return self.root + (en_path if self.language == "en" else nl_path)

    @property
    def credits(self) -> int:
        """The credits the programme's own page states (planted: not always the course sum)."""
        return self.spec.stated_credits or self.course_credits

    @property
    def course_credits(self) -> int:
        return sum(course.credits for course in self.courses)

    @property
    def study_load(self) -> int:
        if self.spec.stated_credits:
            return self.spec.stated_credits * 28
        return sum(course.study_load for course in self.courses)

    @property
    def teaching_languages(self) -> tuple[str, ...]:
        if self.spec.programme_languages:
            return self.spec.programme_languages
        seen: list[str] = []
        for course in self.courses:
            for language in course.languages:
                if language not in seen:
                    seen.append(language)
        return tuple(seen)

    @property
    def semesters(self) -> str:
        """ "1", "2" or "both"."""
        found = {course.semester for course in self.courses}
        if found == {"1E SEM"}:
            return "1"
        if found == {"2E SEM"}:
            return "2"
        return "both"

    @property
    def topic(self) -> str:
        return self.spec.title.removeprefix("Micro-credential ")


# --------------------------------------------------------------------------------------------------------
# Building the model


FIRST_NAMES = (
    "An",
    "Bart",
    "Els",
    "Filip",
    "Griet",
    "Hanne",
    "Jonas",
    "Katrien",
    "Lotte",
    "Maarten",
    "Nele",
    "Pieter",
    "Sara",
    "Tom",
    "Wouter",
    "Yasmina",
    "Ruben",
    "Ines",
)
LAST_NAMES = (
    "Claes",
    "De Wilde",
    "Goossens",
    "Janssens",
    "Mertens",
    "Peeters",
    "Smets",
    "Van Dyck",
    "Verbeeck",
    "Wouters",
    "Aerts",
    "Hermans",
    "Jacobs",
    "Michiels",
    "Van Looy",
    "Vermeiren",
)
CODE_PREFIXES = ("2000", "2001", "2002", "2003", "2100", "2101", "2500", "2501", "2600", "1001", "1002")
_ASCII = str.maketrans("ëéèïöüç", "eeeiouc")


def _real_codes(reference_page: Path = REFERENCE_PAGE) -> set[str]:
    """The real course codes on the reference page: authored codes must never collide with them."""
    if not reference_page.exists():
        return set()
    return set(re.findall(r"\?id=\d{4}-(\d{4}[A-Z]{6})", reference_page.read_text(encoding="utf-8")))


def _course_code(faculty: str, name: str, taken: set[str]) -> str:
    """`\\d{4}` + the faculty code + three letters from the course name (then from a hash if taken)."""
    words = [w for w in re.findall(r"[A-Za-z]+", name.lower().translate(_ASCII)) if len(w) > 2]
    initials = "".join(word[0] for word in words).upper()
    letters = (initials + "".join(words).upper())[:3].ljust(3, "X")
    prefix = _choose(CODE_PREFIXES, "prefix", faculty, name)
    code = f"{prefix}{faculty}{letters}"
    salt = 0
    while code in taken:
        value = _stable("letters", faculty, name, salt)
        letters = "".join(chr(ord("A") + (value >> (5 * i)) % 26) for i in range(3))
        code = f"{prefix}{faculty}{letters}"
        salt += 1
    return code


def _lecturers(code: str, faculty: str) -> list[tuple[str, str]]:
    count = 1 + (_stable("lecturer-count", code) % 3 == 0)
    people = []
    for index in range(count):
        name = f"{_choose(FIRST_NAMES, 'first', code, index)} {_choose(LAST_NAMES, 'last', code, index)}"
        person = f"{_stable('person', faculty, name) % 30000:05d}"
        if all(existing != name for _, existing in people):
            people.append((person, name))
    return people


def build_programmes(reference_page: Path = REFERENCE_PAGE) -> list[MicroCredential]:
    taken = _real_codes(reference_page)
    courses: dict[str, Course] = {}
    programmes = []
    for spec in MICRO_CREDENTIALS:
        programme = MicroCredential(spec)
        for course_spec in spec.courses:
            code = course_spec.code or _course_code(spec.faculty, course_spec.name, taken)
            if code not in courses:
                taken.add(code)
                if course_spec.contact_hours:
                    contact = round(course_spec.credits * _choose((7.5, 7.5, 7.5, 5, 10), "contact", code))
                else:
                    contact = None
                courses[code] = Course(
                    code=code,
                    spec=course_spec,
                    languages=course_spec.languages or (spec.language,),
                    study_load=course_spec.study_load or course_spec.credits * 28,
                    contact_hours=contact,
                    lecturers=_lecturers(code, spec.faculty),
                )
            course = courses[code]
            course.programmes.append(programme)
            programme.courses.append(course)
        programme.programme_code = f"C{_stable('programme-code', spec.slug) % 10_000_000:07d}"
        programmes.append(programme)
    return programmes


# --------------------------------------------------------------------------------------------------------
# Formatting


def format_euro(amount: int) -> str:
    """3500 -> `3.500` (the site's thousands separator is a dot)."""
    return f"{amount:,}".replace(",", ".")


def fee_text(programme: MicroCredential) -> tuple[str, str]:
    if programme.spec.fee:
        return programme.spec.fee
    credits = programme.credits
    total = format_euro(320 + 53 * credits)
    return (
        f"€ {total} (= €320 administration fee + ({credits} x €53/ECTS))",
        f"€ {total} (= €320 administratiekosten + ({credits} x €53/studiepunt))",
    )


LEVELS = {
    "master": (("Master level (VKS level 7)", "Masterniveau (VKS-niveau 7)"), ("Master", "Master")),
    "bachelor": (("Bachelor level (VKS level 6)", "Bachelorniveau (VKS-niveau 6)"), ("Bachelor", "Bachelor")),
}
MODES = {
    # key -> ((EN, NL) delivery mode, (EN, NL) form of participation)
    "evening": (
        ("Evening classes on campus", "Avondonderwijs op de campus"),
        ("On site, part-time (combinable with a job)", "Op de campus, deeltijds (combineerbaar met een job)"),
    ),
    "daytime": (
        ("Daytime classes on campus", "Dagonderwijs op de campus"),
        ("On site, part-time", "Op de campus, deeltijds"),
    ),
    "online": (("Online", "Online"), ("Online, part-time", "Online, deeltijds")),
    "hybrid": (("Hybrid", "Hybride"), ("Blended, part-time", "Blended, deeltijds")),
    "distance": (
        ("Distance learning", "Afstandsonderwijs"),
        ("Online, individual pace", "Online, eigen tempo"),
    ),
}
ASSESSMENTS = (
    ("Written exam", "Schriftelijk examen"),
    ("Paper and presentation", "Paper en presentatie"),
    ("Portfolio and final assignment", "Portfolio en eindopdracht"),
    ("Oral exam", "Mondeling examen"),
    ("Continuous assessment and written exam", "Permanente evaluatie en schriftelijk examen"),
)
QUALITY = (
    "Internal quality assurance of the University of Antwerp (institutional review by NVAO)",
    "Interne kwaliteitszorg Universiteit Antwerpen (instellingsreview NVAO)",
)
PREREQUISITES = (
    (
        "A Bachelor's degree or relevant professional experience (admission on file)",
        "Een bachelordiploma of relevante beroepservaring (toelating na dossier)",
    ),
    ("A Master's degree in a related field", "Een masterdiploma in een verwante richting"),
    ("No specific admission requirements", "Geen specifieke toelatingsvoorwaarden"),
)
STACKABILITY = (
    (
        "The credits can lead to exemptions in a related Bachelor's or Master's programme.",
        "De studiepunten kunnen vrijstellingen opleveren in een verwante bachelor- of masteropleiding.",
    ),
    (
        "Can be combined with other micro-credentials of the faculty.",
        "Combineerbaar met andere micro-credentials van de faculteit.",
    ),
    ("Not stackable.", "Niet stapelbaar."),
)
OUTCOMES = (
    (
        "You explain the core concepts of {topic} and apply them to cases from practice.",
        "Je legt de kernbegrippen van {topic} uit en past ze toe op casussen uit de praktijk.",
    ),
    (
        "You analyse a current problem in {topic} with the appropriate methods.",
        "Je analyseert een actueel probleem binnen {topic} met de gepaste methoden.",
    ),
    (
        "You critically assess recent research and policy on {topic}.",
        "Je beoordeelt recent onderzoek en beleid over {topic} kritisch.",
    ),
    (
        "You report on {topic} in writing and orally to professionals in the field.",
        "Je rapporteert schriftelijk en mondeling over {topic} aan professionals uit het werkveld.",
    ),
)
SEMESTER_TEXT = {
    "1": ("1st semester", "1e semester"),
    "2": ("2nd semester", "2e semester"),
    "both": ("1st and 2nd semester", "1e en 2e semester"),
}
START_DATE = {
    # the first Monday of each semester of 2025-2026 (authored)
    "1": ("22 September 2025", "22 september 2025"),
    "2": ("9 February 2026", "9 februari 2026"),
    "both": ("22 September 2025", "22 september 2025"),
}
PRACTICAL_LABELS = {
    # key -> (EN label, NL label), in page order
    "language": ("Language of instruction", "Onderwijstaal"),
    "load": ("Study load", "Studiebelasting"),
    "semester": ("Semester", "Semester"),
    "level": ("Level", "Niveau"),
    "mode": ("Delivery mode", "Onderwijsvorm"),
    "fee": ("Fee", "Inschrijvingsgeld"),
    "start": ("Start date", "Startdatum"),
    "outcomes": ("Learning outcomes", "Leerresultaten"),
    "assessment": ("Assessment", "Evaluatie"),
    "participation": ("Form of participation", "Deelnamevorm"),
    "quality": ("Quality assurance", "Kwaliteitszorg"),
    "prerequisites": ("Prerequisites", "Toelatingsvoorwaarden"),
    "stackability": ("Stackability", "Stapelbaarheid"),
}
SUMMER_LABELS = {"year": "Academic year", "dates": "Dates", "location": "Location"}


def _language_list(codes: Sequence[str], pick: int) -> str:
    return ", ".join(LANGUAGE_VALUE[code][pick] for code in codes)


def _outcomes(slug: str, topic: str, pick: int) -> list[str]:
    order = sorted(range(len(OUTCOMES)), key=lambda index: _stable("outcome", slug, index))
    count = 3 + _stable("outcome-count", slug) % 2
    return [OUTCOMES[index][pick].format(topic=topic) for index in order[:count]]


def _outcome_topic(programme: MicroCredential) -> str:
    topic = programme.topic
    return topic if programme.language == "en" or topic.isupper() else topic[0].lower() + topic[1:]


def _load_text(programme: MicroCredential, hours_unit: str) -> str:
    """The study load as the info tab prints it: "224 hours", or a sentence with the contact hours in it."""
    load = programme.study_load
    if not programme.spec.load_sentence:
        return f"{load} {hours_unit}"
    lectures, exercises = load // 5, load // 10  # authored shares of the study time
    return f"{load} hours of study time, including {lectures} hours of lectures and {exercises} hours of exercises"


def practical_information(programme: MicroCredential) -> list[tuple[str, str]]:
    """(label, value HTML) pairs of the programme-info tab's practical-information table, in page order."""
    pick = 0 if programme.language == "en" else 1
    slug = programme.spec.slug
    mode, participation = MODES[programme.spec.mode]
    level = _choose(LEVELS[programme.spec.level], "level-form", slug)[pick]
    outcomes = _outcomes(slug, _outcome_topic(programme), pick)
    hours_unit = "hours" if pick == 0 else "uur"
    values = {
        "language": escape(_language_list(programme.teaching_languages, pick)),
        "load": _load_text(programme, hours_unit),
        "semester": SEMESTER_TEXT[programme.semesters][pick],
        "level": escape(level),
        "mode": escape(mode[pick]),
        "fee": escape(fee_text(programme)[pick]),
        "start": START_DATE[programme.semesters][pick],
        "outcomes": "<ul>" + "".join(f"<li>{escape(text)}</li>" for text in outcomes) + "</ul>",
        "assessment": escape(_choose(ASSESSMENTS, "assessment", slug)[pick]),
        "participation": escape(participation[pick]),
        "quality": escape(QUALITY[pick]),
        "prerequisites": escape(_choose(PREREQUISITES, "prerequisites", slug)[pick]),
        "stackability": escape(_choose(STACKABILITY, "stackability", slug)[pick]),
    }
    return [
        (PRACTICAL_LABELS[key][pick], value)
        for key, value in values.items()
        if key not in programme.spec.omit
    ]


def _section_id(*parts: object) -> str:
    return str(100_000 + _stable("section", *parts) % 9_000_000)


# --------------------------------------------------------------------------------------------------------
# Page chrome


SITE = {"en": "University of Antwerp", "nl": "Universiteit Antwerpen"}
MAIN_NAV = {
    "en": (
        ("/en/study/", "Study"),
        ("/en/research-and-innovation/", "Research and innovation"),
        ("/en/about-uantwerp/", "About UAntwerp"),
    ),
    "nl": (
        ("/nl/studeren/", "Studeren"),
        ("/nl/onderzoek-en-innovatie/", "Onderzoek en innovatie"),
        ("/nl/over-uantwerpen/", "Over UAntwerpen"),
    ),
}
BREADCRUMB = {
    "en": (
        ("/en/study/", "Study"),
        ("/en/study/programmes/", "Programmes"),
        ("/en/study/programmes/all-programmes/", "All programmes"),
    ),
    "nl": (
        ("/nl/studeren/", "Studeren"),
        ("/nl/studeren/aanbod/", "Aanbod"),
        ("/nl/studeren/aanbod/alle-opleidingen/", "Alle opleidingen"),
    ),
}


def _page(
    language: str,
    title: str,
    heading: str,
    main: str,
    *,
    crumbs: Sequence[tuple[str, str]] = (),
    tabs: str = "",
) -> str:
    """A whole page of the site: header, breadcrumb, `span.main` title, optional tabs, main content."""
    nav = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in MAIN_NAV[language])
    crumb_items = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in crumbs)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape(title)} | {SITE[language]}</title>\n"
        "</head>\n"
        "<body>\n"
        f'<header class="siteHeader"><a class="logo" href="/{language}/">{SITE[language]}</a>\n'
        f'<nav class="navMain"><ul>{nav}</ul></nav></header>\n'
        f'<nav class="breadcrumb"><ul>{crumb_items}</ul></nav>\n'
        f'<div class="pageHeader"><h1 class="pageTitle"><span class="main">{escape(heading)}</span></h1></div>\n'
        f"{tabs}"
        f'<main id="content">\n{main}</main>\n'
        f'<footer class="siteFooter"><p>© {SITE[language]}</p></footer>\n'
        "</body>\n"
        "</html>\n"
    )


def _programme_tabs(programme: MicroCredential, active: str) -> str:
    en = programme.language == "en"
    items = []
    for key, (en_label, _, nl_label, _) in TABS.items():
        href = programme.tab_url(key).removeprefix(ORIGIN)
        css = ' class="active"' if key == active else ""
        items.append(f'<li{css}><a href="{href}">{escape(en_label if en else nl_label)}</a></li>')
    return f'<nav class="navSection"><ul>{"".join(items)}</ul></nav>\n'


def _programme_page(programme: MicroCredential, tab: str, main: str) -> str:
    pick = 0 if programme.language == "en" else 1
    label = TABS[tab][0 if pick == 0 else 2]
    crumbs = (*BREADCRUMB[programme.language], (programme.root.removeprefix(ORIGIN), programme.spec.title))
    title = programme.spec.title if tab == "about" else f"{label} | {programme.spec.title}"
    return _page(
        programme.language,
        title,
        programme.spec.title,
        main,
        crumbs=crumbs,
        tabs=_programme_tabs(programme, tab),
    )


# --------------------------------------------------------------------------------------------------------
# Landing pages (real texts of https://www.uantwerpen.be/en/study/programmes/all-programmes/micro-credential/
# and https://www.uantwerpen.be/nl/studeren/aanbod/micro-credential/); the summer-school block is authored


LANDING_EN = (
    ("h2", "What is a micro-credential?"),
    (
        "p",
        "A micro-credential is a certificate you obtain through a mini programme. These are short courses "
        "focused on a theme tailored to the needs of the field. You can choose from numerous micro-credentials "
        "with diverse themes, from architecture to politics and from heritage to data analysis.",
    ),
    ("h3", "Mini programme"),
    (
        "p",
        "Micro-credentials consist of one or several courses, sometimes supplemented by additional learning "
        "content. The scope is expressed in ECTS credits or study credits and varies between 3 and 19 credits. "
        "These are part-time, short learning packages (of one or two semesters) that you can easily combine "
        "with a job. Some micro-credentials support this combination in particular through their flexible "
        "format (evening classes, online, hybrid or distance learning).",
    ),
    ("h3", "Tailored to the needs of the professional field"),
    (
        "p",
        "Interdisciplinarity and cooperation with the professional field are paramount in the development of "
        "new micro-credentials. The design of the courses is founded on research into the needs of the "
        "relevant professional sectors, sometimes in cooperation with educational institutions and other "
        "partner organisations.",
    ),
    ("h3", "Certificate with European recognition"),
    (
        "p",
        "The learning outcomes are evaluated using transparent standards. If you successfully complete a "
        "micro-credential, you will receive a certificate according to a European recognised standard. You "
        "can combine some micro-credentials with broader credentials or qualifications.",
    ),
    ("link", "Discover which English-taught micro-credentials the University of Antwerp has to offer"),
    ("h3", "Cancellation policy"),
    (
        "ul",
        (
            "If you cancel your enrolment before 1 December, the tuition fee will be reimbursed in full.",
            "If you cancel your enrolment after 1 December but before 15 March, the tuition fees for any second "
            "semester credits will be reimbursed. If the micro-credential consists solely of second semester "
            "credits, the tuition fee will be reimbursed in full.",
            "If you cancel your enrolment after 14 March, the tuition fee will not be reimbursed.",
        ),
    ),
    ("h3", "Lifelong learning"),
    ("p", "Micro-credentials are a part of lifelong learning."),
)
LANDING_NL = (
    ("h2", "Wat is een micro-credential?"),
    (
        "p",
        "Een micro-credential is een bewijs van de leerresultaten die je hebt behaald na een leerervaring van "
        "beperkte omvang. De leerresultaten worden geëvalueerd aan de hand van transparante normen. Het bewijs "
        "is opgenomen in een gecertificeerd document waarop de naam van de houder, de behaalde leerresultaten, "
        "de beoordelingsmethode, de toekennende instantie en, indien van toepassing, het niveau in het "
        "kwalificatiekader en de verdiende studiepunten worden vermeld. Micro-credentials zijn eigendom van de "
        "lerende, deelbaar en meeneembaar en kunnen worden gecombineerd tot bredere credentials of "
        "kwalificaties. Zij worden ondersteund door kwaliteitsborging volgens overeengekomen normen.",
    ),
    (
        "p",
        "Het gaat dus om korte trajecten waarvan de omvang uitgedrukt worden in ECTS credits, waaraan "
        "leerresultaten en toetsing gekoppeld is en die binnen het kwaliteitszorgstelsel van de universiteit "
        "vallen. Het verwerven van credits zorgt voor meer mogelijkheden op vlak van uitwisselbaarheid tussen "
        "verschillende onderwijsinstellingen, erkenning en het verder stapelen tot een volledige kwalificatie "
        "of diploma.",
    ),
    (
        "p",
        "Micro-credentials zijn een nieuw opleidingstype in het aanbod levenslang leren. Ze zijn opgebouwd uit "
        "(inhouden van) één of meerdere (opleidings-)onderdelen en worden gecertificeerd met een getuigschrift "
        "op niveau van de micro-credential in zijn geheel en creditbewijzen op niveau van de onderdelen.",
    ),
    ("link", "Ontdek alle micro-credentials van de Universiteit Antwerpen"),
    ("h3", "Annulatievoorwaarden"),
    (
        "ul",
        (
            "Wanneer je de opleiding stopzet voor 1 november wordt het gehele inschrijvingsgeld teruggestort.",
            "Wanneer je de opleiding stopzet vanaf 1 november en voor 15 maart wordt enkel het studiegeld per "
            "studiepunt van de opleidingsonderdelen in het tweede semester terugbetaald. Als de micro-credential "
            "enkel uit opleidingsonderdelen in het tweede semester bestaat, wordt in dit geval het gehele "
            "inschrijvingsgeld teruggestort.",
            "Wanneer je de opleiding stopzet vanaf 15 maart is er geen terugbetaling meer mogelijk.",
        ),
    ),
)


def summer_school_root(school: SummerSchoolSpec, prefix: str | None = None) -> str:
    return f"{ORIGIN}/en/{prefix or school.prefix}/{school.slug}/"


def summer_school_programme(school: SummerSchoolSpec, prefix: str | None = None) -> str:
    return f"{summer_school_root(school, prefix)}programme/content-description/"


def summer_school_prefixes(school: SummerSchoolSpec) -> tuple[str, ...]:
    return (school.prefix, school.also_under) if school.also_under else (school.prefix,)


def landing_html(language: str) -> str:
    blocks = []
    for kind, content in LANDING_EN if language == "en" else LANDING_NL:
        if kind == "link":
            href = LISTING[language].removeprefix(ORIGIN).replace("&", "&amp;")
            blocks.append(f'<p><a class="button" href="{href}">{escape(content)}</a></p>')
        elif kind == "ul":
            blocks.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in content) + "</ul>")
        else:
            blocks.append(f"<{kind}>{escape(content)}</{kind}>")
    if language == "en":
        schools = "".join(
            f'<li><a href="{summer_school_root(s).removeprefix(ORIGIN)}">{escape(s.title)}</a> ({escape(s.credits)})'
            + "".join(
                f' (also at <a href="{summer_school_root(s, other).removeprefix(ORIGIN)}">'
                f"{summer_school_root(s, other).removeprefix(ORIGIN)}</a>)"
                for other in summer_school_prefixes(s)[1:]
            )
            + "</li>"
            for s in SUMMER_SCHOOLS
        )
        blocks.append(
            "<h3>Summer schools</h3>"
            "<p>The summer schools of the Antwerp Summer University are part of the Nova Academy offer: completing "
            "one can count towards a micro-credential.</p>"
            f'<ul class="summerSchools">{schools}</ul>'
        )
    text = "\n".join(blocks)
    main = (
        '<div class="managedContent singleMain">\n'
        f'<section class="textSection" id="{_section_id("landing", language)}">\n'
        f'<div class="main">\n<div class="textblock wysiwyg">\n{text}\n</div>\n</div>\n'
        "</section>\n"
        "</div>\n"
    )
    title = "Micro-credentials"
    return _page(language, title, title, main, crumbs=BREADCRUMB[language])


# --------------------------------------------------------------------------------------------------------
# Listings: EN in the older `section.courseItem > a` vintage, NL in the newer `.listCourses a.wrap` one


@dataclass(frozen=True)
class Card:
    href: str  # site-relative
    title: str
    kind: str  # degree type as the card shows it
    language: str  # teaching-language label


def listing_cards(language: str, programmes: Sequence[MicroCredential]) -> list[Card]:
    cards = []
    for programme in programmes:
        if language == "en" and programme.language != "en":
            continue  # the EN listing is filtered on English-taught programmes
        label = LANGUAGE_VALUE[programme.language][0 if language == "en" else 1]
        cards.append(
            Card(programme.root.removeprefix(ORIGIN), programme.spec.title, "Micro-credential", label)
        )
    for slug, title, kind in OTHER_PROGRAMMES[language]:
        label = LANGUAGE_VALUE["en" if language == "en" else "nl"][0 if language == "en" else 1]
        cards.append(Card(f"{PROGRAMME_BASE[language]}/{slug}/", title, kind, label))
    return sorted(cards, key=lambda card: (card.title.casefold(), card.href))


FACETS = {
    "en": (
        ("23", "Bachelor", False),
        ("114", "Master", False),
        ("198", "Micro-credential", True),
        ("201", "English-taught", True),
    ),
    "nl": (
        ("23", "Bachelor", False),
        ("114", "Master", False),
        ("198", "Micro-credential", True),
        ("201", "Engelstalig", False),
    ),
}


def listing_html(language: str, programmes: Sequence[MicroCredential]) -> str:
    en = language == "en"
    cards = listing_cards(language, programmes)
    facets = "".join(
        f'<li><label><input type="checkbox" name="f" value="{value}"{" checked" if on else ""}> '
        f"{escape(label)}</label></li>"
        for value, label, on in FACETS[language]
    )
    if en:
        items = "".join(
            f'<section class="courseItem"><a href="{card.href}"><header><h3 class="heading">{escape(card.title)}'
            f'</h3></header><div class="main"><ul class="tags"><li class="type">{escape(card.kind)}</li>'
            f'<li class="language">{escape(card.language)}</li></ul></div></a></section>\n'
            for card in cards
        )
        results = f'<div class="courseList">\n{items}</div>\n'
    else:
        items = "".join(
            f'<a class="wrap" href="{card.href}">'
            f'<div class="item"><div class="label">Opleiding</div><div class="value"><h3 class="heading">'
            f"{escape(card.title)}</h3></div></div>"
            f'<div class="item"><div class="label">Type</div><div class="value"><ul><li>{escape(card.kind)}</li>'
            "</ul></div></div>"
            f'<div class="item"><div class="label">Taal</div><div class="value">{escape(card.language)}</div>'
            "</div></a>\n"
            for card in cards
        )
        results = f'<div class="listCourses">\n{items}</div>\n'
    count = f"{len(cards)} programmes" if en else f"{len(cards)} opleidingen"
    main = (
        '<form class="facets" method="get">\n'
        '<input type="hidden" name="s" value="16">\n'
        f'<input type="hidden" name="lang" value="{language}">\n'
        f"<fieldset><legend>{'Type of programme' if en else 'Type opleiding'}</legend><ul>{facets}</ul></fieldset>\n"
        "</form>\n"
        f'<p class="resultCount">{count}</p>\n'
        f"{results}"
    )
    title = "All programmes" if en else "Alle opleidingen"
    return _page(language, title, title, main, crumbs=BREADCRUMB[language][:2])


# --------------------------------------------------------------------------------------------------------
# Programme root and programme-info tab


def root_html(programme: MicroCredential) -> str:
    en = programme.language == "en"
    topic = _outcome_topic(programme)
    if en:
        text = (
            "<h3>Your programme</h3>"
            f"<p>The micro-credential {escape(programme.topic)} brings you up to date on {escape(topic)} in a "
            "compact programme that you can combine with a job.</p>"
            "<p>Successful participants receive a certificate and credit certificates for the course units.</p>"
        )
    else:
        text = (
            "<h3>Jouw opleiding</h3>"
            f"<p>De micro-credential {escape(programme.topic)} brengt je in een compact traject, combineerbaar met "
            f"een job, op de hoogte van {escape(topic)}.</p>"
            "<p>Wie slaagt, ontvangt een getuigschrift en creditbewijzen voor de opleidingsonderdelen.</p>"
        )
    main = (
        '<div class="managedContent singleMain">\n'
        f'<section class="textSection" id="{_section_id("root", programme.spec.slug)}">\n'
        f'<div class="main">\n<div class="textblock wysiwyg">\n{text}\n</div>\n</div>\n'
        "</section>\n"
        "</div>\n"
    )
    return _programme_page(programme, "about", main)


def _key_facts(credits: str | None, language_line: str, faculty: str, campus: str, language: str) -> str:
    """The real key-facts list of a programme-info tab: credits, language, faculty and campus links."""
    en = language == "en"
    faculty_name = FACULTIES[faculty][0 if en else 1]
    faculty_path = FACULTIES[faculty][2 if en else 3]
    campus_name = CAMPUSES[campus][0 if en else 1]
    campus_path = (
        f"/en/campus-life/on-your-way-to-campus/{CAMPUSES[campus][2]}/"
        if en
        else f"/nl/campusleven/op-weg-naar-de-campus/{CAMPUSES[campus][2]}/"
    )
    return (
        "<ul>\n" + (f"<li>{escape(credits)}</li>" if credits else "") + f"<li>{escape(language_line)}</li>"
        f'<li><a href="{faculty_path}" target="_self">{escape(faculty_name)}</a></li>'
        f'<li><a href="{campus_path}" target="_self">{escape(campus_name)}</a></li></ul>\n'
    )


def _details(section_id: str, heading: str, body: str) -> str:
    return (
        f'<details class="textSection" id="{section_id}">\n'
        "<summary>\n"
        f'<h2 class="heading">\n\t\t\t\t\t\n\t\t\t{escape(heading)}\n\t\t\t\n\t\t\t\t\t</h2> </summary>\n'
        f'<div class="main">\n<div class="textblock wysiwyg">\n{body}\n</div>\n</div>\n'
        "</details>\n"
    )


def _practical_table(pairs: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{escape(label)}</th><td>{value}</td></tr>\n" for label, value in pairs)
    return f'<table class="practicalInfo">\n<tbody>\n{rows}</tbody>\n</table>'


def info_html(programme: MicroCredential) -> str:
    en = programme.language == "en"
    slug = programme.spec.slug
    credits = f"{programme.credits} ECTS-credits" if en else f"{programme.credits} studiepunten"
    language_line = (
        "Programme taught in English" if programme.language == "en" else "Nederlandstalige opleiding"
    )
    count = len(programme.courses)
    if en:
        entail = (
            f"<p>The micro-credential consists of {count} course unit{'s' if count > 1 else ''} that you follow "
            "alongside your job. You find them, with their credits and semester, under the study programme tab.</p>"
        )
    else:
        entail = (
            f"<p>De micro-credential bestaat uit {count} opleidingsonderde{'len' if count > 1 else 'el'} die je "
            "naast je job volgt. Je vindt ze, met hun studiepunten en semester, onder het tabblad "
            "studieprogramma.</p>"
        )
    main = (
        '<div class="managedContent">\n'
        f'<section class="textSection" id="{_section_id("facts", slug)}">\n'
        '<div class="main">\n<div class="textblock wysiwyg">\n'
        f"{_key_facts(credits, language_line, programme.spec.faculty, programme.spec.campus, programme.language)}"
        "</div>\n</div>\n</section>\n"
        '<div class="wrapComponent wrapTextSection">\n'
        + _details(
            _section_id("entail", slug),
            "What does the programme entail?" if en else "Wat houdt de opleiding in?",
            entail,
        )
        + _details(
            _section_id("practical", slug),
            "Practical information" if en else "Praktische informatie",
            _practical_table(practical_information(programme)),
        )
        + "</div>\n</div>\n"
    )
    return _programme_page(programme, "info", main)


# --------------------------------------------------------------------------------------------------------
# Study-programme tab: exactly the real template (reference/uantwerpen-2025-…-study-programme.html)


SPEC_LABELS = {
    # class -> (EN label, NL label); EN as on the real page, NL authored
    "guideNr": ("Course code:", "Studiegidsnummer:"),
    "semester": ("Semester:", "Semester:"),
    "hours": ("Contact hours:", "Contacturen:"),
    "points": ("ECTS-credits:", "Studiepunten:"),
    "tax": ("Study load (hours):", "Studiebelasting (uren):"),
    "contract": ("Contract restrictions:", "Contractbeperkingen:"),
    "language": ("Language of instruction:", "Onderwijstaal:"),
    "bianual": ("Bi-annual course:", "Tweejaarlijks opleidingsonderdeel:"),
    "exam": ("Exam Period:", "Examenperiode:"),
    "domain": ("Study domain:", "Studiedomein:"),
    "teachers": ("Lecturer(s):", "Lesgever(s):"),
}
CONTRACTS = (("No contract restriction", "Geen contractbeperking"),) * 3 + (
    ("Exam contract not possible", "Examencontract niet mogelijk"),
)
EXAM_PERIOD = {
    "1E SEM": ("exam in the 1st semester", "examen in het 1e semester"),
    "2E SEM": ("exam in the 2nd semester", "examen in het 2e semester"),
    "1E/2E SEM": ("exam in the 2nd semester", "examen in het 2e semester"),
}
BIANNUAL = (
    "Taught in academic years starting in an odd year",
    "Gedoceerd in academiejaren die starten in een oneven jaar",
)


def _spec(css: str, label: str, value_html: str) -> str:
    # Whitespace as on the real page: the label and plain values sit on their own indented lines.
    return (
        f'<div class="spec {css}"><div class="label">\n\t\t\t{label}\n\t\t\t\t\t</div>'
        f'<div class="value">{value_html}</div></div>\n'
    )


def _plain(value: str) -> str:
    return f"\n\t\t\t{escape(value)}\n\t\t\t\t\t"


def course_specs(course: Course, faculty: str, language: str, *, sheet: bool = False) -> str:
    """The `div.spec` list of one course, in the real page's order (used on the programme page and sheet).

    A course sheet states the languages as the course-sheet PDFs do ("ENG", "NED"), the study programme
    as words ("English", "Nederlands").
    """
    pick = 0 if language == "en" else 1
    labels = {css: pair[pick] for css, pair in SPEC_LABELS.items()}
    points = f"\n\t\t\t{course.credits} <span>{'ECTS-credits' if pick == 0 else 'studiepunten'}</span>"
    person_lang = "en" if pick == 0 else "nl"
    teachers = "".join(
        f'<li><a href="/PersonalPage/{person_lang}/{person}">{escape(name)}</a></li>'
        for person, name in course.lecturers
    )
    parts = [
        _spec("guideNr", labels["guideNr"], _plain(course.code)),
        _spec("semester", labels["semester"], _plain(course.semester)),
    ]
    if course.contact_hours is not None:
        parts.append(_spec("hours", labels["hours"], _plain(str(course.contact_hours))))
    parts += [
        _spec("points", labels["points"], points),
        _spec("tax", labels["tax"], _plain(str(course.study_load))),
        _spec("contract", labels["contract"], _plain(_choose(CONTRACTS, "contract", course.code)[pick])),
        _spec(
            "language",
            labels["language"],
            _plain(", ".join(LANGUAGE_VALUE[code][2 if sheet else pick] for code in course.languages)),
        ),
    ]
    if course.spec.biannual:
        parts.append(_spec("bianual", labels["bianual"], _plain(BIANNUAL[pick])))
    parts += [
        _spec("exam", labels["exam"], _plain(EXAM_PERIOD[course.semester][pick])),
        _spec("exam", labels["domain"], _plain(FACULTIES[faculty][4 + pick])),
        _spec("teachers", labels["teachers"], f"<ul>{teachers}</ul>"),
    ]
    return "".join(parts)


def _heading(tag: str, text: str) -> str:
    return f'<{tag} class="heading">\n\t\t\t\t\t\n\t\t\t{escape(text)}\n\t\t\t\n\t\t\t\t\t</{tag}>'


def _course_section(course: Course, faculty: str, language: str, year: int) -> str:
    return (
        '<section class="course">\n'
        "<header>\n"
        f'<h5 class="heading"><a href="?id={year}-{course.code}&amp;lang={language}">{escape(course.name)}</a></h5>'
        " </header>\n"
        '<div class="main mainCourse">\n'
        '<section class="fiche">\n'
        '<div class="main">\n'
        f"{course_specs(course, faculty, language)}"
        " </div>\n"
        "</section>\n"
        "</div>\n"
        "</section>\n"
    )


def _course_units(
    programme: MicroCredential, courses: Sequence[Course] | None = None
) -> list[tuple[str, list[Course]]]:
    """Headed groups of courses: one "Compulsory courses" block, or two modules for four courses or more."""
    en = programme.language == "en"
    courses = list(programme.courses if courses is None else courses)
    if len(courses) < 4:
        return [("Compulsory courses" if en else "Verplichte opleidingsonderdelen", courses)]
    half = (len(courses) + 1) // 2
    module = "Module" if en else "Module"
    return [(f"{module} 1", courses[:half]), (f"{module} 2", courses[half:])]


# The page that keeps the old single-pane form (``div.study-programme-active``, as a third-party scraper
# stored the reference page): a spider must still read it.
SINGLE_PANE_SLUG = "micro-credential-erfgoed-en-digitalisering"


def pane_years(programme: MicroCredential) -> tuple[int, ...]:
    """The academic years a study-programme page shows a pane for (the live page has one pane per year).

    Every page shows last year's and this year's; about a third also the next year's (authored choice).
    """
    if programme.spec.slug == SINGLE_PANE_SLUG:
        return (YEAR,)
    if _stable("next-year-pane", programme.spec.slug) % 3 == 0:
        return (YEAR - 1, YEAR, YEAR + 1)
    return (YEAR - 1, YEAR)


def pane_courses(programme: MicroCredential, year: int) -> list[Course]:
    """The courses of one year's pane: last year's programme lacked its last course unit (authored)."""
    courses = programme.courses
    return courses[:-1] if year < YEAR and len(courses) > 1 else courses


def pane_id(year: int) -> str:
    """A pane's id; authored, in the ``…-{YEAR}`` form other crawlers of the live site select on."""
    return f"studyprogramme-{year}"


def study_programme_pane(programme: MicroCredential, year: int = YEAR) -> str:
    """The content of one year's pane: its year heading, then ``div.paneContent`` as in the reference page."""
    return _heading("h3", f"{year}-{year + 1}") + _pane_content(programme, year)


def _pane_content(programme: MicroCredential, year: int) -> str:
    en = programme.language == "en"
    faculty = programme.spec.faculty
    follow = (
        "You follow all courses from the list below"
        if en
        else "Je volgt alle opleidingsonderdelen uit onderstaande lijst"
    )
    units = "".join(
        '<section class="courseUnit">\n'
        "<header>\n"
        f"{_heading('h4', heading)}\n"
        f'<div class="textblock">\n<p>\t{follow}\n</p>\n</div>\n'
        "</header>\n"
        '<div class="main">\n'
        + "".join(_course_section(course, faculty, programme.language, year) for course in courses)
        + "</div>\n</section>\n"
        for heading, courses in _course_units(programme, pane_courses(programme, year))
    )
    semesters = 1 if programme.semesters in ("1", "2") else 2
    if en:
        intro = (
            f"In the micro-credential {escape(programme.topic)} you take all the course units listed below."
        )
        path = f"Model path over {semesters} semester{'s' if semesters > 1 else ''}"
    else:
        intro = (
            f"In de micro-credential {escape(programme.topic)} volg je alle opleidingsonderdelen uit "
            "onderstaande lijst."
        )
        path = f"Modeltraject over {semesters} semester{'s' if semesters > 1 else ''}"
    return (
        '<div class="paneContent">\n'
        '<section class="programmes">\n'
        '<div class="main">\n'
        '<section class="textSection">\n'
        '<div class="main">\n'
        f'<div class="textblock wysiwyg">\n\t\t\t\t{intro}\n\n\t</div>\n'
        "</div>\n"
        "</section>\n"
        '<section class="textSection programme">\n'
        "<header>\n"
        f"{_heading('h3', path)} </header>\n"
        '<div class="main">\n'
        '<div class="textblock wysiwyg">\n<p></p>\n</div>\n'
        f"{units}"
        "</div>\n"
        "</section>\n"
        "</div>\n"
        "</section>\n"
        "</div>"
    )


def study_programme_main(programme: MicroCredential) -> str:
    """The tab's main content: year tabs and one pane per year (the current year active), or the old form."""
    years = pane_years(programme)
    if years == (YEAR,):
        return f'<div class="study-programme-active">{study_programme_pane(programme)}</div>\n'
    active = ' class="stateActive"'
    tabs = "".join(
        f'<li data-desttab="{pane_id(year)}"{active if year == YEAR else ""}>'
        f'<a href="#{pane_id(year)}">{year}-{year + 1}</a></li>'
        for year in years
    )
    panes = "".join(
        f'<section class="pane" id="{pane_id(year)}">{study_programme_pane(programme, year)}</section>\n'
        for year in years
    )
    return f'<header class="tabHeader"><ul>{tabs}</ul></header>\n<div class="main tabMain">\n{panes}</div>\n'


def study_programme_html(programme: MicroCredential) -> str:
    return _programme_page(programme, "programme", study_programme_main(programme))


# --------------------------------------------------------------------------------------------------------
# Course sheets (ajax/courseInfo): an HTML fragment, header fields as the fiche, then numbered sections


SHEET_SECTIONS = {
    # key -> (EN heading, NL heading); the EN names are those of the real course-sheet PDFs, NL authored
    "programmes": ("Is part of the next programmes", "Maakt deel uit van de volgende opleidingen"),
    "prerequisites": ("1. Prerequisites", "1. Begincompetenties"),
    "outcomes": ("2. Learning outcomes", "2. Eindcompetenties"),
    "contents": ("3. Course contents", "3. Inhoud"),
    "teaching": ("5. Teaching method and planned learning activities", "5. Onderwijsorganisatie"),
    "assessment": ("6. Assessment method and criteria", "6. Evaluatievormen"),
}
SHEET_OUTCOMES = (
    (
        "You can describe the central concepts of {name}.",
        "Je kan de centrale begrippen van {name} omschrijven.",
    ),
    (
        "You can analyse a case in {name} with the appropriate methods.",
        "Je kan een casus binnen {name} analyseren met de gepaste methoden.",
    ),
    (
        "You can critically read and summarise the literature on {name}.",
        "Je kan de literatuur over {name} kritisch lezen en samenvatten.",
    ),
    (
        "You can report your findings clearly, in writing and orally.",
        "Je kan je bevindingen helder rapporteren, schriftelijk en mondeling.",
    ),
)
SHEET_CONTENTS = (
    (
        "This course offers a structured introduction to {name}: its central concepts, main theories and their "
        "application to current examples from the professional field.",
        "Dit opleidingsonderdeel biedt een gestructureerde inleiding tot {name}: de centrale begrippen, de "
        "belangrijkste theorieën en hun toepassing op actuele voorbeelden uit het werkveld.",
    ),
    (
        "The classes treat {name} through cases from research and practice, with attention to methods, sources and "
        "recent developments.",
        "De lessen behandelen {name} aan de hand van casussen uit onderzoek en praktijk, met aandacht voor methoden, "
        "bronnen en recente ontwikkelingen.",
    ),
)
SHEET_ASSESSMENTS = (
    (
        "Written examination with open questions (closed book).",
        "Schriftelijk examen met open vragen (gesloten boek).",
    ),
    ("Paper (60%) and oral presentation (40%).", "Paper (60%) en mondelinge presentatie (40%)."),
    (
        "Continuous assessment through assignments (40%) and a written examination (60%).",
        "Permanente evaluatie via opdrachten (40%) en een schriftelijk examen (60%).",
    ),
    ("Oral examination with written preparation.", "Mondeling examen met schriftelijke voorbereiding."),
)
SHEET_TEACHING = (
    (
        "Lectures, guest lectures and group work. Facilities for working students: evening and online sessions.",
        "Hoorcolleges, gastcolleges en groepswerk. Faciliteiten voor werkstudenten: avond- en onlinesessies.",
    ),
    ("Seminars and a personal project.", "Seminaries en een persoonlijk project."),
)
SHEET_PREREQUISITES = (
    (
        "Reading and comprehending of English; no specific prerequisites for this course.",
        "Lezen en begrijpen van het Engels; geen specifieke begincompetenties voor dit opleidingsonderdeel.",
    ),
    (
        "General notion of the basic concepts of the field at Bachelor level.",
        "Algemene kennis van de basisbegrippen van het vakgebied op bachelorniveau.",
    ),
)


def course_sheet_url(code: str, language: str, year: int = YEAR) -> str:
    return f"{ORIGIN}/ajax/courseInfo?id={year}-{code}&lang={language}"


def course_sheet_html(course: Course, language: str, year: int = YEAR) -> str:
    pick = 0 if language == "en" else 1
    code = course.code
    faculty = course.programmes[0].spec.faculty
    specs = course_specs(course, faculty, language, sheet=True)
    name = course.name
    outcome_order = sorted(
        range(len(SHEET_OUTCOMES)), key=lambda index: _stable("sheet-outcome", code, index)
    )
    outcomes = "".join(
        f"<li>{escape(SHEET_OUTCOMES[index][pick].format(name=name))}</li>"
        for index in outcome_order[: 2 + _stable("sheet-outcome-count", code) % 3]
    )
    programmes = "".join(
        f"<li>{programme.programme_code} {escape(programme.spec.title)}</li>"
        for programme in course.programmes
    )
    bodies = {
        "programmes": f"<ul>{programmes}</ul>",
        "prerequisites": f"<p>{escape(_choose(SHEET_PREREQUISITES, 'sheet-pre', code)[pick])}</p>",
        "outcomes": f"<ul>{outcomes}</ul>",
        "contents": f"<p>{escape(_choose(SHEET_CONTENTS, 'sheet-contents', code)[pick].format(name=name))}</p>",
        "teaching": f"<p>{escape(_choose(SHEET_TEACHING, 'sheet-teaching', code)[pick])}</p>",
        "assessment": f"<p>{escape(_choose(SHEET_ASSESSMENTS, 'sheet-assessment', year, code)[pick])}</p>",
    }
    sections = "".join(
        f'<details class="courseInfoSection"{" open" if key == "programmes" else ""}>'
        f"<summary><h3>{escape(SHEET_SECTIONS[key][pick])}</h3></summary>\n"
        f'<div class="main">{body}</div>\n</details>\n'
        for key, body in bodies.items()
    )
    return (
        '<div class="courseInfo">\n'
        "<header>\n"
        f'<h2 class="heading">{escape(name)}</h2>\n'
        f'<p class="academicYear">{year} - {year + 1}</p>\n'
        "</header>\n"
        '<section class="fiche">\n<div class="main">\n'
        f"{specs}"
        "</div>\n</section>\n"
        f"{sections}"
        "</div>\n"
    )


MISSING_SHEET = (
    "<!DOCTYPE html>\n<html><head><title>Page not found | University of Antwerp</title></head>"
    "<body><h1>Page not found</h1><p>The page you requested does not exist.</p></body></html>\n"
)


# --------------------------------------------------------------------------------------------------------
# Summer schools (their public pages on uantwerpen.be): the title and credits are real, the rest is authored


def _summer_tabs(school: SummerSchoolSpec, active: str, prefix: str | None = None) -> str:
    root = summer_school_root(school, prefix).removeprefix(ORIGIN)
    registration = "registration/procedure/" if school.registration_fee else "registration/"
    tabs = (
        ("about", "About", root),
        ("programme", "Programme", f"{root}programme/content-description/"),
        ("registration", "Registration", f"{root}{registration}"),
        ("practical", "Practical information", f"{root}practical-information/"),
    )
    active_css = ' class="active"'
    items = "".join(
        f'<li{active_css if key == active else ""}><a href="{href}">{label}</a></li>'
        for key, label, href in tabs
    )
    nav = f'<nav class="navSection"><ul>{items}</ul></nav>\n'
    if school.credits_page:
        # The programme tab's sub-pages, as the real sites list them in the side menu.
        nav += (
            '<nav class="navSub"><ul>'
            f'<li><a href="{root}programme/content-description/">Content description</a></li>'
            f'<li><a href="{root}{school.credits_page}">Study credits (ECTS)</a></li>'
            "</ul></nav>\n"
        )
    return nav


SUMMER_CRUMBS = (("/en/summer-schools/", "Antwerp Summer University"),)


def summer_root_html(school: SummerSchoolSpec, prefix: str | None = None) -> str:
    main = (
        '<div class="managedContent singleMain">\n'
        f'<section class="textSection" id="{_section_id("summer-root", school.slug)}">\n'
        '<div class="main">\n<div class="textblock wysiwyg">\n'
        f"<p>{escape(school.description)}</p>\n"
        "<p>ECTS credits are awarded for successful completion of the programme. The summer schools are part "
        "of the Nova Academy offer, through which participants can acquire micro-credentials.</p>\n"
        "</div>\n</div>\n</section>\n</div>\n"
    )
    return _page(
        "en",
        school.title,
        school.title,
        main,
        crumbs=SUMMER_CRUMBS,
        tabs=_summer_tabs(school, "about", prefix),
    )


def summer_programme_html(school: SummerSchoolSpec, prefix: str | None = None) -> str:
    slug = school.slug
    outcomes = (
        "<ul>" + "".join(f"<li>{escape(text)}</li>" for text in _outcomes(slug, school.title, 0)) + "</ul>"
    )
    pairs = [
        (SUMMER_LABELS["year"], f"{SUMMER_YEAR}-{SUMMER_YEAR + 1}"),
        (SUMMER_LABELS["dates"], escape(school.dates)),
        (SUMMER_LABELS["location"], "City Campus, Antwerp"),
        (PRACTICAL_LABELS["language"][0], "English"),
        (PRACTICAL_LABELS["level"][0], escape(school.level)),
        (PRACTICAL_LABELS["mode"][0], "Daytime classes on campus"),
        (PRACTICAL_LABELS["fee"][0], escape(school.fee or "")),
        (PRACTICAL_LABELS["outcomes"][0], outcomes),
        (PRACTICAL_LABELS["assessment"][0], escape(_choose(ASSESSMENTS[1:3], "summer-assessment", slug)[0])),
        (PRACTICAL_LABELS["participation"][0], "On site, full-time for the duration of the summer school"),
        (PRACTICAL_LABELS["quality"][0], escape(QUALITY[0])),
        (
            PRACTICAL_LABELS["prerequisites"][0],
            "Advanced Bachelor's, Master's or PhD students and professionals with a relevant background",
        ),
        (
            PRACTICAL_LABELS["stackability"][0],
            "Part of the Nova Academy offer: can count towards a micro-credential.",
        ),
    ]
    if school.fee is None:
        pairs = [(label, value) for label, value in pairs if label != PRACTICAL_LABELS["fee"][0]]
    if school.registration_fee:
        # The dates are stated with the registration procedure, where the fee is.
        pairs = [(label, value) for label, value in pairs if label != SUMMER_LABELS["dates"]]
    credits = None if school.credits_page else school.credits
    main = (
        '<div class="managedContent">\n'
        f'<section class="textSection" id="{_section_id("summer-facts", slug)}">\n'
        '<div class="main">\n<div class="textblock wysiwyg">\n'
        f"{_key_facts(credits, 'Taught in English', school.faculty, 'city', 'en')}"
        "</div>\n</div>\n</section>\n"
        '<div class="wrapComponent wrapTextSection">\n'
        + _details(
            _section_id("summer-content", slug), "Content description", f"<p>{escape(school.description)}</p>"
        )
        + _details(_section_id("summer-practical", slug), "Practical information", _practical_table(pairs))
        + "</div>\n</div>\n"
    )
    return _page(
        "en",
        f"Content description | {school.title}",
        school.title,
        main,
        crumbs=SUMMER_CRUMBS,
        tabs=_summer_tabs(school, "programme", prefix),
    )


def summer_credits_html(school: SummerSchoolSpec, prefix: str | None = None) -> str:
    """A programme sub-page about the school's study credits (the real sites word them in sentences)."""
    main = (
        '<div class="managedContent">\n'
        f'<section class="textSection" id="{_section_id("summer-ects", school.slug)}">\n'
        '<div class="main">\n<div class="textblock wysiwyg">\n'
        "<h2>Study credits (ECTS)</h2>\n"
        f"<p>{escape(school.credits_statement or school.credits)}</p>\n"
        "<p>Participants who complete the programme receive a transcript of records from the University of "
        "Antwerp, which their home institution can recognise.</p>\n"
        "</div>\n</div>\n</section>\n</div>\n"
    )
    return _page(
        "en",
        f"Study credits (ECTS) | {school.title}",
        school.title,
        main,
        crumbs=SUMMER_CRUMBS,
        tabs=_summer_tabs(school, "programme", prefix),
    )


def summer_registration_html(school: SummerSchoolSpec, prefix: str | None = None) -> str:
    """The registration procedure: the fee (in tiers) and the dates, as a practical-information table."""
    pairs = [
        (SUMMER_LABELS["dates"], escape(school.dates)),
        (PRACTICAL_LABELS["fee"][0], escape(school.registration_fee or "")),
        ("Registration deadline", "15 May 2025"),
    ]
    main = (
        '<div class="managedContent">\n'
        '<div class="wrapComponent wrapTextSection">\n'
        + _details(
            _section_id("summer-registration", school.slug),
            "Registration procedure",
            "<p>Register online before the deadline; your registration is final once the fee is paid.</p>"
            + _practical_table(pairs),
        )
        + "</div>\n</div>\n"
    )
    return _page(
        "en",
        f"Registration procedure | {school.title}",
        school.title,
        main,
        crumbs=SUMMER_CRUMBS,
        tabs=_summer_tabs(school, "registration", prefix),
    )


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


def generate(out_dir: Path = SITES_DIR, reference_page: Path = REFERENCE_PAGE) -> GenerationReport:
    """Write the UAntwerp snapshot under `out_dir` and merge its rows into `out_dir/manifest.jsonl`.

    The host's directory is rebuilt from scratch; other hosts' files and manifest rows are left alone.
    """
    programmes = build_programmes(reference_page)
    host_dir = out_dir / HOST
    if host_dir.exists():
        shutil.rmtree(host_dir)
    report = GenerationReport()

    def write(
        kind: str,
        url: str,
        body: str,
        modified: str = LAST_MODIFIED,
        content_type: str = HTML_TYPE,
        status: int = 200,
    ) -> None:
        relative = file_for_url(url, content_type)
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(body)
        report.add(kind, ManifestRow(url, relative, content_type, modified, status))

    write("robots", f"{ORIGIN}/robots.txt", ROBOTS_TXT, content_type=TEXT_TYPE)
    for language in ("en", "nl"):
        write("landing", LANDING[language], landing_html(language))
        write("listing", LISTING[language], listing_html(language, programmes))
    sheets: dict[tuple[str, str], Course] = {}
    for programme in programmes:
        write("programme_root", programme.root, root_html(programme))
        write("programme_info", programme.tab_url("info"), info_html(programme))
        write("study_programme", programme.tab_url("programme"), study_programme_html(programme))
        for course in programme.courses:
            sheets.setdefault((course.code, programme.language), course)
    for (code, language), course in sorted(sheets.items()):
        url = course_sheet_url(code, language)
        if course.spec.sheet_status == 404:
            write("course_sheet_missing", url, MISSING_SHEET, status=404)
        else:
            write("course_sheet", url, course_sheet_html(course, language))
    for school in SUMMER_SCHOOLS:
        for prefix in summer_school_prefixes(school):
            root = summer_school_root(school, prefix)
            write("summer_school_root", root, summer_root_html(school, prefix), SUMMER_LAST_MODIFIED)
            write(
                "summer_school_programme",
                summer_school_programme(school, prefix),
                summer_programme_html(school, prefix),
                SUMMER_LAST_MODIFIED,
            )
            if school.credits_page:
                write(
                    "summer_school_credits",
                    root + school.credits_page,
                    summer_credits_html(school, prefix),
                    SUMMER_LAST_MODIFIED,
                )
            if school.registration_fee:
                write(
                    "summer_school_registration",
                    root + "registration/procedure/",
                    summer_registration_html(school, prefix),
                    SUMMER_LAST_MODIFIED,
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
