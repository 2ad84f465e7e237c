"""Generate the bundled offline copy of the University of Groningen's microcredential pages.

What belongs here: the pages of www.rug.nl a spider needs (the real quality-assurance page about
microcredentials, with an authored block listing what is offered; summer and winter school pages) and the
Ocasys course-catalogue JSON API on ocasys.rug.nl (faculty catalogue, programme scheme, course records,
course pages, an RFC 9457 problem-details 404), plus both hosts' robots.txt, written with their manifest rows
under `sites/`.

Run it with `python -m tools.snapshot.generate_rug`. The output is committed and must be byte-identical on
every run: nothing reads the clock, and every authored identifier or pick comes from a SHA-256 of the codes
it belongs to (`_stable`), never from `random`. What is real and what is authored is listed in
`scrapers/snapshot/README.md` ("University of Groningen"); the data below says it again where it matters.

Sources named below: **APIEV** is the public repository `api-evangelist/university-of-groningen`, whose
`examples/university-of-groningen-ocasys-*.json` are responses captured from the Ocasys JSON API (2026-2027);
the real 2024-2025 catalogue records are copied in `tests/fixtures/real/rug/` (see its README).
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from html import escape as _html_escape
from pathlib import Path

from scrapers.snapshot.manifest import MANIFEST_NAME, SITES_DIR, ManifestRow, file_for_url, merge_manifest

WWW_HOST = "www.rug.nl"
OCASYS_HOST = "ocasys.rug.nl"
HOSTS = (WWW_HOST, OCASYS_HOST)
WWW = f"https://{WWW_HOST}"
OCASYS = f"https://{OCASYS_HOST}"
YEARS = (2025, 2026)  # academic start years of the Ocasys data; 2025-2026 is "current" in the snapshot

HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"

# Fixed publication moments (authored), so a rebuild never changes a validator.
LAST_MODIFIED_WWW = "2025-06-02T06:00:00Z"
LAST_MODIFIED_OCASYS = {2025: "2025-06-02T06:00:00Z", 2026: "2026-06-01T06:00:00Z"}

POLICY_URL = f"{WWW}/about-ug/organization/quality-assurance/in-practice/microcredentials"
SCHOOLS_URL = f"{WWW}/education/summer-winter-schools"

# Authored: no robots.txt is known for either host (none was found). Nothing a spider needs is disallowed.
ROBOTS_WWW = "User-agent: *\nDisallow: /staff/login\nDisallow: /search\nDisallow: /*/print$\n"
ROBOTS_OCASYS = "User-agent: *\nDisallow: /api/enrollment/\nDisallow: /api/user/\n"


def escape(text: str) -> str:
    return _html_escape(text, quote=False).replace('"', "&quot;")


def _stable(*parts: object) -> int:
    """A 64-bit integer fixed by `parts`: the source of every authored pick."""
    digest = sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _uuid(*parts: object) -> str:
    """A UUID-shaped identifier fixed by `parts` (Ocasys records carry UUIDs; ours are authored)."""
    digest = sha256("\x1f".join(("ocasys-id", *map(str, parts))).encode("utf-8")).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"


def academic_year(year: int) -> str:
    return f"{year}-{year + 1}"


# --------------------------------------------------------------------------------------------------------
# URLs


# Planted: a microcredential listed on the overview whose page is on a third-party site (authored).
OFFSITE_OFFER = (
    "https://www.summerschoolsineurope.eu/course/water-governance-in-practice-groningen",
    "Water Governance in Practice",
)


def school_url(slug: str, language: str = "en") -> str:
    """`…/summer-winter-schools/{slug}/?lang=en`; the Dutch page is the same URL without the query."""
    return f"{SCHOOLS_URL}/{slug}/" + ("?lang=en" if language == "en" else "")


def catalog_course_url(year_segment: str, code: str) -> str:
    """The Ocasys web catalogue (a JavaScript app): `{current|YYYY-YYYY}/catalog/course/{CODE}`."""
    return f"{OCASYS}/{year_segment}/catalog/course/{code}"


def api_course_url(year: int, code: str) -> str:
    return f"{OCASYS}/api/{academic_year(year)}/course/{code}"


def api_course_page_url(year: int, code: str) -> str:
    return f"{OCASYS}/api/{academic_year(year)}/course/page/{code}"


def api_scheme_url(year: int, program_code: str) -> str:
    return f"{OCASYS}/api/{academic_year(year)}/scheme/program/{program_code}"


def api_faculty_catalog_url(year: int) -> str:
    return f"{OCASYS}/api/faculty/catalog/{academic_year(year)}"


# --------------------------------------------------------------------------------------------------------
# The real policy page (text of the archived public page
# https://www.rug.nl/about-ug/organization/quality-assurance/in-practice/microcredentials)

POLICY_BREADCRUMB = ("About us", "Organization", "Quality assurance", "Education Policy")
POLICY_TITLE = "What are microcredentials?"
POLICY_INTRO = (
    "The UG, along with 33 other educational institutions, is participating in the national pilot "
    "Microcredentials.",
    "Microcredentials are digital certificates that allow learners to demonstrate the knowledge and skills "
    "they have acquired after completing a unit of education, smaller than a full degree program. Unlike a "
    "private course, the microcredential represents accreditation-worthy education, whose learning outcomes "
    "are traceable and verifiable. Microcredentials can be specially designed courses or units of study "
    "from an existing program. The size ranges from 3 to 30 EC. For the time being, microcredentials in the "
    "Netherlands can only be issued to professionals and not (yet) to regular students.",
    "Participation in this pilot fits in with the UG's intention to make learning outcomes, content, "
    "grading and certification of educational units more transparent and courses more flexible and "
    "accessible.",
)
POLICY_WHY = (
    "Taking a full course is often not feasible or useful for a professional: if there is a need for "
    "additional, upskilling, or retraining, smaller units of instruction are sufficient. Private courses do "
    "not allow learning outcomes to be traced and verified, and are therefore poorly comparable. "
    "Microcredentials therefore offer a solution:",
    "Professionals get the opportunity to gain specific knowledge and be able to show valid proof of this, "
    "without going through a full retraining or training program.",
    "The microcredential adds a seal of quality: you can be sure that the course is designed to achieve "
    "learning outcomes.",
    "Third parties (job market, institutions, etc) can be confident that the recipient of the "
    "microcredential has mastered the associated knowledge or skills because the learning outcomes are "
    "traceable and verifiable. In addition, microcredentials are registered nationwide.",
    "Because of the recognized value of microcredentials, professionals gain more control over their own "
    "development. They can design a development path through the years, at different courses and "
    "institutions, and be assured that learning outcomes achieved will be recognized elsewhere.",
)
POLICY_PILOT = (
    "The Microcredentials pilot was created to further shape microcredentials. The pilot started in October "
    "2021 with a start-up phase and will run for more than two years, until December 31, 2023."
)
POLICY_NATIONAL = (
    "The national Microcredentials pilot was set up to further shape microcredentials. The pilot started in "
    "October 2021 with a start-up phase and runs for more than two years, until 31 December 2023. At the "
    "RUG, two microdentials are currently under development:"
)
POLICY_UNDER_DEVELOPMENT = (
    (
        "Religion & Diplomacy Course, Faculty of Theology and Religious Studies (in English)",
        "This intensive course will introduce participants to essential knowledge, concepts, and approaches "
        "to understanding religion’s relationship with core portfolios of diplomacy and foreign policy, "
        "specifically security, conflict, peacebuilding, development, humanitarianism, and human rights. It "
        "will also equip participants to design and implement their own training program in religion and "
        "diplomacy, tailor-made for their specific ministry or organization.",
    ),
    (
        "Digital Leadership course, Campus Fryslân (in Dutch)",
        "Als onderdeel van de mogelijkheid tot een leven lang leren biedt de\u00a0 Campus Fryslân, "
        "een\u00a0blended\u00a0leergang. Het uitgangspunt hierbij is dat in leiderschap de digitale "
        "component sterker vertegenwoordigd wordt dan tot nu toe het geval is. Leiders leren tijdens deze "
        "leergang, in te zetten op het gebruik van data, maar ook data te organiseren, bewaren en toe te "
        "passen. Daarnaast leren zij\u00a0het naar waarde interpreteren van data en digitale technologie in "
        "te zetten om samenwerking\u00a0 te bevorderen. Kortom vanuit een leiderschapsperspectief kijken "
        "naar en gebruik maken van technologische mogelijkheden. Leiderschap waarin verschillende aspecten "
        "gerelateerd aan data een juiste plek krijgen in het handelen van de leider. Leiders kunnen "
        "hierdoor hun besluitvorming beter funderen, beter meten hoe hun bedrijf of organisatie presteert "
        "en hun klanten, stakeholders of netwerk beter begrijpen. Het volgen van deze leergang maakt de "
        "leider innovatiever en wendbaarder, passend bij de Europese\u00a0 voorstellen betreffende een "
        "leven lang leren en ontwikkelen.",
    ),
)
POLICY_CONTACT = (
    "For questions about the pilot and participation opportunities, contact project leaders Hans Beldhuis "
    "and Caroline Roth of the Strategy Education and Students department."
)
POLICY_LAST_MODIFIED = "08 March 2023 1.58 p.m."


# --------------------------------------------------------------------------------------------------------
# Summer and winter schools


@dataclass(frozen=True)
class School:
    """A summer or winter school page. `practical` is the "Practical information" block in page order."""

    slug: str  # the path below /summer-winter-schools/ (without slashes at the ends)
    title: str
    kind: str  # "summer" or "winter"
    practical: tuple[tuple[str, str], ...]
    intro: tuple[str, ...]
    outcomes: tuple[str, ...] = ()
    language: str = "en"
    listed: bool = True  # linked from the overview block


SCHOOLS: tuple[School, ...] = (
    # Real: title and the three practical values (its public page, https://www.rug.nl/education/summer-winter-schools/sustainable-landscapes/?lang=en). The intro sentence is authored.
    School(
        "sustainable-landscapes",
        "Sustainable Landscapes",
        "summer",
        (
            ("Dates", "26 - 30 August 2024"),
            ("Level", "Advanced BA/MA/PhD students, Postdocs, Practitioners"),
            ("Fee", "(TBC) € 450"),
        ),
        (
            "A five-day summer school on how landscapes can be planned, managed and lived in sustainably, "
            "combining lectures with field visits in the north of the Netherlands.",
        ),
    ),
    # Real facts (the RUG news item of 18 October 2023, /about-ug/latest-news/news/archief2023/nieuwsberichten/1018-microcredentials-pilot, and the school's page); the sentences around them are authored.
    # Fee and credits are unknown and deliberately absent; so are level and learning outcomes.
    School(
        "land-acquisition-groningen",
        "Land Acquisition, Resettlement and Social Sustainability",
        "summer",
        (
            ("Dates", "11 - 22 September 2023"),
            ("Duration", "two weeks"),
            ("Language", "English"),
        ),
        (
            "A two-week course delivered in English. The 2023 edition was the 13th edition of the course.",
            "The course was the first at the University of Groningen to award microcredentials: 38 "
            "professionals from almost 20 countries received one, issued through SURF Edubadges.",
            "At most 35 applications are accepted. The invoice has to be paid within 30 days. The course is "
            "managed by Community Insights Group.",
        ),
    ),
    # Real slug only (www.rug.nl/education/summer-winter-schools/local-initiatives/); title, text and every value are authored.
    School(
        "local-initiatives",
        "Local Initiatives for Sustainable Communities",
        "summer",
        (
            ("Dates", "7 - 11 July 2025"),
            ("Level", "Master's students, PhD candidates and practitioners"),
            ("Credits", "4 EC"),
            ("Fee", "€ 650"),
            ("Language", "English"),
        ),
        ("How community energy, food and care initiatives start, grow and work with local government.",),
        (
            "You compare the organisation and governance of local initiatives in different countries.",
            "You assess how a local initiative can cooperate with municipalities and other partners.",
        ),
    ),
    # Real URL pattern (/education/summer-winter-schools/winter_schools/land_acquisition/…); everything on the page is authored.
    School(
        "winter_schools/land_acquisition",
        "Winter School Land Acquisition and Resettlement",
        "winter",
        (
            ("Dates", "12 - 23 January 2026"),
            ("Level", "Professionals and PhD students"),
            ("Credits", "3 EC"),
            ("Study load", "84 hours"),
            ("Fee", "€ 2.950"),
            ("Language", "English"),
        ),
        (
            "A winter edition for professionals who plan or supervise land acquisition and resettlement "
            "projects.",
        ),
        (
            "You apply international standards on land acquisition and involuntary resettlement to a case.",
            "You design a livelihood restoration plan for a resettled community.",
        ),
    ),
    # Wholly authored schools.
    School(
        "spatial-data-science",
        "Spatial Data Science for Urban Planning",
        "summer",
        (
            ("Dates", "7 - 18 July 2025"),
            ("Level", "Master's students, PhD candidates and professionals"),
            ("Credits", "5 ECTS"),
            ("Study load", "140 hours"),
            ("Fee", "€ 743,-"),
            ("Language", "English"),
            ("Mode of delivery", "On campus in Groningen"),
        ),
        ("Two weeks of hands-on work with open spatial data, Python and QGIS on real planning questions.",),
        (
            "You collect, clean and combine open spatial data sets for an urban planning question.",
            "You build and interpret a simple spatial model and explain its limits.",
            "You present a data-based planning advice to non-specialists.",
        ),
    ),
    School(
        "energy-transition-in-practice",
        "Energy Transition in Practice",
        "summer",
        (
            ("Dates", "30 June - 4 July 2025"),
            ("Level", "Professionals with a Bachelor's degree"),
            ("Credits", "3 EC"),
            ("Study load", "84 hours"),
            ("Fee", "EUR 50"),
            ("Language", "English"),
            ("Mode of delivery", "Blended: online preparation and five days on campus"),
        ),
        ("What it takes to move a region from natural gas to renewable energy, told by those who do it.",),
        (
            "You explain the technical, economic and social sides of a regional energy transition.",
            "You analyse a local energy project and identify its main risks.",
        ),
    ),
    # The Dutch page of the school above (same URL without ?lang=en; not linked from the overview).
    School(
        "energy-transition-in-practice",
        "Energietransitie in de praktijk",
        "summer",
        (
            ("Data", "30 juni - 4 juli 2025"),
            ("Niveau", "Professionals met een bachelordiploma"),
            ("Studiepunten", "3 EC"),
            ("Studielast", "84 uur"),
            ("Kosten", "EUR 50"),
            ("Taal", "Engels"),
            ("Onderwijsvorm", "Blended: online voorbereiding en vijf dagen op de campus"),
        ),
        (
            "Wat er nodig is om een regio van aardgas naar duurzame energie te brengen, verteld door wie het "
            "doet.",
        ),
        (
            "Je legt de technische, economische en sociale kanten van een regionale energietransitie uit.",
            "Je analyseert een lokaal energieproject en benoemt de belangrijkste risico's.",
        ),
        language="nl",
        listed=False,
    ),
    # Planted: 200 hours for 5 EC is 40 hours per EC, not the Dutch 28.
    School(
        "healthy-ageing-professionals",
        "Healthy Ageing for Professionals",
        "summer",
        (
            ("Dates", "18 - 29 August 2025"),
            ("Level", "Advanced Master students and professionals"),
            ("Study load", "200 hours (5 EC)"),
            ("Fee", "€ 1.250"),
            ("Language", "English"),
        ),
        (
            "The biology, psychology and organisation of care for an ageing population, for people in the "
            "field.",
        ),
        (
            "You explain the main biological and psychological mechanisms of ageing.",
            "You evaluate an intervention that aims to keep older adults healthy and independent.",
        ),
    ),
    # Planted: 2 EC is below the Dutch minimum of 3 EC.
    School(
        "frisian-language-and-culture",
        "Frisian Language and Culture",
        "summer",
        (
            ("Dates", "14 - 18 July 2025"),
            ("Level", "Bachelor students and professionals"),
            ("Credits", "2 EC"),
            ("Study load", "56 hours"),
            ("Fee", "€ 395"),
            ("Language", "English"),
        ),
        ("A week in Leeuwarden on the Frisian language, its literature and its place in Dutch society.",),
        (
            "You hold a simple conversation in Frisian.",
            "You describe the position of Frisian as a minority language in the Netherlands.",
        ),
    ),
)

SCHOOL_KIND_CRUMB = {
    ("summer", "en"): "University of Groningen Summer Schools",
    ("winter", "en"): "University of Groningen Winter Schools",
    ("summer", "nl"): "Zomerscholen van de Rijksuniversiteit Groningen",
    ("winter", "nl"): "Winterscholen van de Rijksuniversiteit Groningen",
}


# --------------------------------------------------------------------------------------------------------
# Ocasys: faculties, terms, courses


FACULTIES = {
    # code: (titleEn, titleNl); real (APIEV faculties example), plus Science and Engineering (course records).
    "fse": ("Science and Engineering", "Science and Engineering"),
    "feb": ("Economics and Business", "Economie en Bedrijfskunde"),
    "let": ("Arts", "Letteren"),
    "rcs": ("Religion, Culture and Society", "Religie, Cultuur en Maatschappij"),
    "ucg": ("University College", "University College Groningen"),
    "honours": ("Honours College", "Honours College"),
    # Real (the gmw record of the 2024-2025 faculty catalogue, copied in tests/fixtures/real/rug/), including its titleNl's capital W.
    "gmw": ("Behavioural and Social Sciences", "Gedrags- en MaatschappijWetenschappen"),
}
# Faculties whose catalogue record carries no ``status`` block (as gmw's real record does not).
FACULTIES_WITHOUT_STATUS = frozenset({"gmw"})

MICRO_PROGRAM = "MC-5801"  # authored: a microcredential made of three course units (a scheme)

# Faculty catalogue programmes: (faculty, code, titleEn, levels, language). The three FSE degree programmes
# are real (APIEV program search); the rcs and gmw programmes after the microcredential are real records of
# the 2024-2025 catalogue (copied in tests/fixtures/real/rug/: non-numeric codes, a title ending in a space, the levels
# CONTRACT_TEACHING and EXTERNAL_PROGRAMMES, ``language`` lists); the others and the microcredential are
# authored, and so is every ``language`` of an authored or APIEV programme.
CATALOG_PROGRAMS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("fse", "60609-5508", "MSc Marine Biology: Science, Business and Policy", ("MASTER",), ("ENGLISH",)),
    ("fse", "60609-5509", "MSc Marine Biology: Research", ("MASTER",), ("ENGLISH",)),
    ("fse", "60365-5510", "MSc Ecology and Evolution: Evolutionary Biology", ("MASTER",), ("ENGLISH",)),
    ("fse", "66860-5505", "MSc Biology: Integrative Biology", ("MASTER",), ("ENGLISH",)),
    (
        "fse",
        MICRO_PROGRAM,
        "Microcredential Water Governance and Climate Adaptation",
        ("MASTER",),
        ("ENGLISH",),
    ),
    ("feb", "50952-5201", "BSc Economics and Business Economics", ("BACHELOR",), ("ENGLISH",)),
    ("let", "56034-5101", "BA History", ("BACHELOR",), ("DUTCH",)),
    ("rcs", "60801-5301", "MA Religion, Conflict and Globalization", ("MASTER",), ("ENGLISH",)),
    ("rcs", "RCS-BARW", "Bachelor Religious Studies", ("BACHELOR",), ("ENGLISH", "DUTCH")),
    ("rcs", "RCS-BATHGR", "Bachelor Theology including Greek ", ("BACHELOR",), ("ENGLISH", "DUTCH")),
    ("ucg", "50391-5401", "BSc Liberal Arts and Sciences", ("BACHELOR",), ("ENGLISH",)),
    ("gmw", "GMW-CONTR", "Contract teaching: Course units", ("CONTRACT_TEACHING",), ("DUTCH",)),
    ("gmw", "SPO-MIN", "SPO Minor: Pedagogische Wetenschappen", ("EXTERNAL_PROGRAMMES",), ("DUTCH",)),
    ("gmw", "PSBA", "Bachelor: Psychology (NL) ", ("BACHELOR",), ("DUTCH",)),
)
# The real titleNl of the real programmes above (the others repeat titleEn).
CATALOG_TITLES_NL = {
    "RCS-BARW": "Bachelor Religiewetenschap",
    "RCS-BATHGR": "Bachelor Theologie met Grieks",
    "GMW-CONTR": "Contractonderwijs: Vakken",
    "PSBA": "Bachelor: Psychologie (NL) ",
}

# Terms: key -> (ugTerms, nameEn, nameNl, code, faculty specific). Names and codes follow the real ones.
TERMS: dict[str, tuple[tuple[str, ...], str, str, str, bool]] = {
    "blok_1a1": (("TERM1A",), "Blok 1a.1", "Blok 1a.1", "TERM_1a1", True),
    "blok_1b2": (("TERM1B",), "Blok 1b.2", "Blok 1b.2", "TERM_1b2", True),
    "sem_1a": (("TERM1A",), "Semester 1a", "Semester 1a", "TERM1A", False),
    "sem_1b": (("TERM1B",), "Semester 1b", "Semester 1b", "TERM1B", False),
    "sem_1": (("TERM1A", "TERM1B"), "Semester 1", "Semester 1", "TERM1", False),
    "sem_2a": (("TERM2A",), "Semester 2a", "Semester 2a", "TERM2A", False),
    "sem_2b": (("TERM2B",), "Semester 2b", "Semester 2b", "TERM2B", False),
    "full_year": (("TERM1A", "TERM1B", "TERM2A", "TERM2B"), "Full year", "Heel jaar", "YEAR", False),
}
# Start and end dates per academic year. 2026: Blok 1b.2 and Semester 2b are the real ones (APIEV); the
# rest, and every 2025 date, are authored on the same calendar.
TERM_DATES: dict[int, dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]]] = {
    2025: {
        "blok_1a1": ((2025, 9, 1), (2025, 9, 21)),
        "blok_1b2": ((2025, 12, 1), (2025, 12, 21)),
        "sem_1a": ((2025, 9, 1), (2025, 11, 7)),
        "sem_1b": ((2025, 11, 10), (2026, 1, 30)),
        "sem_1": ((2025, 9, 1), (2026, 1, 30)),
        "sem_2a": ((2026, 2, 2), (2026, 4, 10)),
        "sem_2b": ((2026, 4, 13), (2026, 6, 21)),
        "full_year": ((2025, 9, 1), (2026, 7, 10)),
    },
    2026: {
        "blok_1a1": ((2026, 8, 31), (2026, 9, 20)),
        "blok_1b2": ((2026, 11, 30), (2026, 12, 20)),
        "sem_1a": ((2026, 8, 31), (2026, 11, 6)),
        "sem_1b": ((2026, 11, 9), (2027, 1, 29)),
        "sem_1": ((2026, 8, 31), (2027, 1, 29)),
        "sem_2a": ((2027, 2, 1), (2027, 4, 9)),
        "sem_2b": ((2027, 4, 12), (2027, 6, 20)),
        "full_year": ((2026, 8, 31), (2027, 7, 9)),
    },
}

# Option lists: key -> (textEn, textNl). Seminar, Practical, Tutorial, Presentation and Report are real Ocasys
# options (APIEV); the others are authored in the same style.
FORMAT_OPTIONS = {
    "seminar": ("Seminar", "Seminaar"),
    "practical": ("Practical", "Practicum"),
    "tutorial": ("Tutorial", "Werkcollege"),
    "lecture": ("Lecture", "Hoorcollege"),
    "project": ("Project", "Project"),
    "self_study": ("Self-study", "Zelfstudie"),
}
ASSESSMENT_OPTIONS = {
    "presentation": ("Presentation", "Presentatie"),
    "report": ("Report", "Verslag"),
    "written_exam": ("Written exam", "Schriftelijk tentamen"),
    "oral_exam": ("Oral exam", "Mondeling tentamen"),
    "assignment": ("Assignment", "Opdracht"),
    "portfolio": ("Portfolio", "Portfolio"),
}
EXAM_ASSESSMENTS = {"written_exam", "oral_exam"}


@dataclass(frozen=True)
class Course:
    """An Ocasys course. `listed_as` is how the overview links it ("current", "2025-2026"), if at all."""

    code: str
    title_en: str
    title_nl: str
    faculty: str
    org_unit: str
    credits: float
    hours: int  # -1 when unknown, as Ocasys writes it
    levels: tuple[str, ...]
    term: str
    languages: tuple[str, ...]
    goals: str
    description: str
    prerequisites: str
    formats: tuple[str, ...]
    formats_explanation: str
    assessments: tuple[str, ...]
    assessments_explanation: str
    remarks: str = ""
    course_type: str = "Master"
    years: tuple[int, ...] = (2025,)
    listed_as: str | None = None
    schemes: tuple[tuple[str, str], ...] = ()  # (program code, program title) the course sits in
    staff_count: int = 2


def _goals(*lines: str) -> str:
    return "\n".join(f"@ {line}" for line in lines)


COURSES: tuple[Course, ...] = (
    # Real record (APIEV, 2026-2027): code, titles, credits, hours -1, level, term, language, goals,
    # description, prerequisites, formats and their explanation, assessments, remarks, organisational unit
    # and scheme. Staff names, ids and the 2025-2026 dates are authored.
    Course(
        "WMMB015-05",
        "Academic Skills in Marine Biology",
        "Academic Skills in Marine Biology",
        "fse",
        "Cluster Biology",
        5.0,
        -1,
        ("MASTER",),
        "blok_1b2",
        ("ENGLISH",),
        "@ Develop research questions and design an experimental approach for  tackling these research "
        "questions\n@ Identify logical fallacies\n@ Formulate logical arguments using evidence-based "
        "reasoning \n@ Read and interpret scientific literature\n@ Practice communicating science (oral, "
        "visual and particularly in written formats)\n@ Design, perform and then interpret basic "
        "statistical analyses\n@ Provide critical feedback on scientific texts",
        "In this course, students will learn how to formulate a research plan by investigating various "
        "current topics in marine biology. They will then find  the forefront of their chosen field, "
        "develop a research question, and  design an approach for tackling their question. In practical "
        "workshops, students will practice analyzing experimental data. Using the skills\nthey develop, "
        "they will then predict the results of their experiments and explore the societal relevance of "
        "their topic.\nThey will combine these skills in a written research plan and then practice "
        "providing critical and constructive feedback to one another in  peer feedback sessions. The course "
        "culminates with presentations of each research plan, allowing students to practice oral and visual "
        "communication skills.",
        "The course unit assumes prior knowledge and skills from the following course units/degree "
        "programmes:\nWMMB003-05 Principles of Biological Oceanography\nWMMB004-05 Principles of Marine "
        "Biology\nWMMB011-05 Marine Conservation\nWMMB005-05 Principles of Population Genetics in Natural "
        "Populations",
        ("seminar", "practical", "tutorial"),
        "LC - 9hrs; T - 15hrs; PR - 6hrs; S-20hrs;  Examinations - 8 hrs; Self study - 82 hrs\nAttending the "
        "first day, both presentation days and all discussion sessions is required.",
        ("report", "presentation"),
        "R -  50%; P - 50%\nAll assignments and presentations must be passed with a grade  exceeding 5.5.",
        remarks="Capacity: max. 30 students",
        years=(2025, 2026),
        listed_as="current",
        schemes=(("60609-5509", "MSc Marine Biology: Research"),),
    ),
    # Authored from here on.
    Course(
        "EBM907A05",
        "Circular Business Models",
        "Circulaire bedrijfsmodellen",
        "feb",
        "Department of Innovation Management and Strategy",
        5.0,
        140,
        ("MASTER",),
        "sem_2a",
        ("ENGLISH",),
        _goals(
            "Explain the principles of the circular economy and how they change value creation",
            "Analyse the business model of a company with established circular-economy frameworks",
            "Design a circular business model for an existing product and assess its feasibility",
        ),
        "Companies that want to keep products and materials in use must change how they create and capture "
        "value. This course unit combines current research with cases from firms in the northern "
        "Netherlands.",
        "A Bachelor's degree in business, economics or engineering, or comparable work experience.",
        ("lecture", "tutorial"),
        "Lectures - 14 hrs; Tutorials - 14 hrs; Self study - 112 hrs",
        ("written_exam", "assignment"),
        "Written exam 60%; group assignment 40%",
        remarks="Open to professionals as a microcredential; max. 25 external participants",
        listed_as="2025-2026",
    ),
    Course(
        "LHU914M10",
        "Digital Heritage in Practice",
        "Digitaal erfgoed in de praktijk",
        "let",
        "Department of History",
        10.0,
        280,
        ("MASTER",),
        "sem_1",
        ("ENGLISH",),
        _goals(
            "Describe the standards and tools used to digitise and describe heritage collections",
            "Evaluate the digital strategy of a heritage institution",
            "Carry out and document a small digitisation project with a heritage partner",
        ),
        "Museums, archives and libraries make their collections available online. In this course unit "
        "participants work on a project with a heritage institution in the north of the Netherlands.",
        "A Master's degree or a Bachelor's degree and at least two years of work experience in the heritage "
        "sector.",
        ("seminar", "practical"),
        "Seminars - 24 hrs; Practical - 40 hrs; Self study - 216 hrs",
        ("portfolio", "presentation"),
        "Portfolio 70%; presentation 30%",
        listed_as="2025-2026",
    ),
    Course(
        "WMPH921-15",
        "Hydrogen and Energy Storage Systems",
        "Hydrogen and Energy Storage Systems",
        "fse",
        "Energy and Sustainability Research Institute Groningen",
        15.0,
        420,
        ("MASTER",),
        "full_year",
        ("ENGLISH",),
        _goals(
            "Explain the physics and chemistry of hydrogen production, storage and conversion",
            "Model the role of storage in an energy system with a high share of renewables",
            "Assess the safety, cost and societal acceptance of a hydrogen project",
        ),
        "A year-long course unit for engineers and policy advisers on hydrogen and other forms of energy "
        "storage, taught in monthly blocks so that it can be combined with a job.",
        "A Bachelor's degree in science or engineering.",
        ("lecture", "practical", "project"),
        "Lectures - 48 hrs; Practicals - 36 hrs; Project - 120 hrs; Self study - 216 hrs",
        ("report", "oral_exam"),
        "Project report 60%; oral exam 40%",
        listed_as="2025-2026",
    ),
    Course(
        "EBB918A03",
        "Accounting for Non-Financial Managers",
        "Accounting voor niet-financiële managers",
        "feb",
        "Department of Accounting",
        3.0,
        84,
        ("BACHELOR",),
        "sem_2b",
        ("DUTCH",),
        _goals(
            "Read and interpret a balance sheet, an income statement and a cash-flow statement",
            "Use budgets and key figures to support decisions in a department",
        ),
        "An introduction to financial statements and management accounting for managers without a financial "
        "background.",
        "None.",
        ("lecture", "tutorial"),
        "Lectures - 12 hrs; Tutorials - 8 hrs; Self study - 64 hrs",
        ("written_exam",),
        "Written exam 100%",
        course_type="Bachelor",
        listed_as="2025-2026",
    ),
    # Planted: 35 EC, above the Dutch maximum of 30 EC (hours are consistent: 35 x 28 = 980).
    Course(
        "WMEE935-35",
        "Energy Systems Integration: Professional Module",
        "Energy Systems Integration: Professional Module",
        "fse",
        "Engineering and Technology Institute Groningen",
        35.0,
        980,
        ("MASTER",),
        "full_year",
        ("ENGLISH",),
        _goals(
            "Design an integrated energy system for an industrial cluster",
            "Evaluate technical, economic and regulatory options for system integration",
            "Lead a multidisciplinary project team in an engineering assignment",
        ),
        "A one-year professional module in which engineers work on an integration assignment from their own "
        "organisation, supported by lectures and coaching.",
        "A Master's degree in engineering and at least three years of work experience.",
        ("lecture", "project", "self_study"),
        "Lectures - 60 hrs; Project - 700 hrs; Self study - 220 hrs",
        ("report", "presentation"),
        "Project report 70%; final presentation 30%",
        listed_as="2025-2026",
    ),
    # Planted: the offering's language is "OTHER", which is no ISO 639-1 language.
    Course(
        "LHU926M05",
        "Gronings Language and Culture for Professionals",
        "Gronings: taal en cultuur voor professionals",
        "let",
        "Department of Minorities and Multilingualism",
        5.0,
        140,
        ("BACHELOR",),
        "sem_2a",
        ("OTHER",),
        _goals(
            "Understand spoken Gronings in everyday and professional situations",
            "Describe the history and social position of Gronings",
        ),
        "For professionals in care, education and local government who work with speakers of Gronings. Part "
        "of the teaching is in Gronings.",
        "None.",
        ("seminar", "tutorial"),
        "Seminars - 20 hrs; Tutorials - 20 hrs; Self study - 100 hrs",
        ("oral_exam", "assignment"),
        "Oral exam 50%; assignment 50%",
        course_type="Bachelor",
        listed_as="2025-2026",
    ),
    # Planted: no learning outcomes (goals), no level and no assessment.
    Course(
        "WBMA928-05",
        "Mathematics Refresher for Professionals",
        "Opfriscursus wiskunde voor professionals",
        "fse",
        "Bernoulli Institute",
        5.0,
        140,
        (),
        "blok_1a1",
        ("ENGLISH",),
        "",
        "Calculus, linear algebra and probability revisited for professionals who return to a technical "
        "study.",
        "",
        ("lecture",),
        "",
        (),
        "",
        course_type="",
        listed_as="2025-2026",
    ),
    # The three course units of the microcredential programme MC-5801 (not microcredentials on their own).
    Course(
        "WMEV941-05",
        "Water Governance",
        "Water Governance",
        "fse",
        "Integrated Research on Energy, Environment and Society",
        5.0,
        140,
        ("MASTER",),
        "sem_1a",
        ("ENGLISH",),
        _goals(
            "Compare the governance of water management in the Netherlands and abroad",
            "Analyse the actors and interests in a regional water conflict",
        ),
        "Who decides about water, and how? The course unit covers water boards, river basins and "
        "international agreements.",
        "A Bachelor's degree.",
        ("lecture", "seminar"),
        "Lectures - 14 hrs; Seminars - 14 hrs; Self study - 112 hrs",
        ("assignment", "presentation"),
        "Policy brief 70%; presentation 30%",
        years=(2025, 2026),
        schemes=((MICRO_PROGRAM, "Microcredential Water Governance and Climate Adaptation"),),
    ),
    Course(
        "WMEV942-05",
        "Climate Adaptation Planning",
        "Climate Adaptation Planning",
        "fse",
        "Integrated Research on Energy, Environment and Society",
        5.0,
        140,
        ("MASTER",),
        "sem_1b",
        ("ENGLISH",),
        _goals(
            "Assess the climate risks of a city or region with current scenarios",
            "Develop an adaptation plan and weigh its costs and benefits",
        ),
        "From climate scenarios to a local adaptation plan, with a case from a Dutch municipality.",
        "WMEV941-05 Water Governance or comparable knowledge.",
        ("lecture", "practical"),
        "Lectures - 14 hrs; Practicals - 18 hrs; Self study - 108 hrs",
        ("report",),
        "Adaptation plan (report) 100%",
        years=(2025, 2026),
        schemes=((MICRO_PROGRAM, "Microcredential Water Governance and Climate Adaptation"),),
    ),
    Course(
        "WMEV943-05",
        "Nature-based Solutions Project",
        "Nature-based Solutions Project",
        "fse",
        "Integrated Research on Energy, Environment and Society",
        5.0,
        140,
        ("MASTER",),
        "sem_2a",
        ("ENGLISH",),
        _goals(
            "Design a nature-based solution for a water or climate problem with stakeholders",
            "Report on the design to a professional audience",
        ),
        "A project in which participants design a nature-based solution with a water board or municipality.",
        "WMEV941-05 Water Governance and WMEV942-05 Climate Adaptation Planning.",
        ("project",),
        "Project - 100 hrs; Self study - 40 hrs",
        ("report", "presentation"),
        "Design report 60%; presentation 40%",
        years=(2025, 2026),
        schemes=((MICRO_PROGRAM, "Microcredential Water Governance and Climate Adaptation"),),
    ),
)

# Authored: a course the overview links whose Ocasys record does not exist (the API answers 404).
MISSING_COURSE = ("EBM931B05", "Behavioural Insights for Policy Makers", 5)

MICRO_PROGRAM_COURSES = ("WMEV941-05", "WMEV942-05", "WMEV943-05")
MICRO_PROGRAM_GOALS = _goals(
    "Analyse water and climate problems from a governance and a planning perspective",
    "Develop and defend an adaptation or nature-based solution with stakeholders",
)

GIVEN_NAMES = (
    "Anna",
    "Bart",
    "Charlotte",
    "Daan",
    "Eva",
    "Floris",
    "Greetje",
    "Hidde",
    "Iris",
    "Joost",
    "Lieke",
    "Maarten",
    "Nienke",
    "Pieter",
    "Roos",
    "Sjoerd",
    "Tessa",
    "Wouter",
)
FAMILY_NAMES = (
    "de Boer",
    "Bakker",
    "Dijkstra",
    "Hoekstra",
    "Jansen",
    "Kuipers",
    "van der Meer",
    "Mulder",
    "Postma",
    "Smit",
    "Visser",
    "de Vries",
    "Wiersma",
    "Zijlstra",
)
TITLE_PREFIXES = ("dr", "prof dr", "", "dr")


def _staff(code: str, count: int) -> list[dict]:
    people = []
    for index in range(count):
        given = GIVEN_NAMES[_stable("given", code, index) % len(GIVEN_NAMES)]
        family = FAMILY_NAMES[_stable("family", code, index) % len(FAMILY_NAMES)]
        people.append(
            {
                "id": _uuid("staff", code, index),
                "username": "",
                "givenName": given,
                "familyName": family,
                "titlePrefix": TITLE_PREFIXES[_stable("prefix", code, index) % len(TITLE_PREFIXES)],
                "titleSuffix": "",
                "initials": f"{given[0]}.",
                "customText": "",
                "roles": ["COORDINATOR", "LECTURER"] if index == 0 else ["LECTURER"],
                "sortIndex": index,
            }
        )
    return people


def _org_unit(faculty: str, faculty_specific: bool) -> dict:
    if not faculty_specific:
        return {
            "id": _uuid("orgunit", "rug"),
            "code": "rug",
            "titleEn": "University of Groningen",
            "titleNl": "Rijksuniversiteit Groningen",
            "ouClass": "UNIVERSITY",
            "parent": None,
        }
    title_en, title_nl = FACULTIES[faculty]
    return {
        "id": _uuid("orgunit", faculty),
        "code": faculty,
        "titleEn": title_en,
        "titleNl": title_nl,
        "ouClass": "FACULTY",
        "parent": None,
    }


def term_record(term: str, year: int, faculty: str) -> dict:
    ug_terms, name_en, name_nl, code, faculty_specific = TERMS[term]
    start, end = TERM_DATES[year][term]
    return {
        "id": _uuid("term", term, year, faculty if faculty_specific else "rug"),
        "orgUnit": _org_unit(faculty, faculty_specific),
        "ugTerms": list(ug_terms),
        "academicYear": academic_year(year),
        "startDate": list(start),
        "endDate": list(end),
        "nameEn": name_en,
        "nameNl": name_nl,
        "code": code,
        "facultySpecific": faculty_specific,
    }


def _option(kind: str, key: str, text: tuple[str, str], position: int) -> dict:
    return {
        "id": _uuid(kind, key),
        "textEn": text[0],
        "textNl": text[1],
        "position": position,
        "deletedSince": None,
        "availableSince": "2025-2026",
    }


def offering_code(course: Course, year: int) -> str:
    return f"{course.code}.{academic_year(year)}.1"


def _course_summary(course: Course) -> dict:
    return {
        "id": _uuid("course", course.code),
        "code": course.code,
        "titleEn": course.title_en,
        "titleNl": course.title_nl,
        "hours": course.hours,
        "credits": course.credits,
        "draft": False,
    }


def _offering_summary(course: Course, year: int) -> dict:
    return {
        "id": _uuid("offering", course.code, year),
        "hasEnrollmentItems": True,
        "course": _course_summary(course),
        "offeringCode": offering_code(course, year),
        "language": list(course.languages),
        "term": term_record(course.term, year, course.faculty),
    }


def _scheme_block(course: Course, year: int, program_code: str, program_title: str) -> dict:
    return {
        "id": _uuid("block", program_code, year, course.code),
        "yearOfStudy": 0,
        "programCode": program_code,
        "programTitleEn": program_title,
        "programTitleNl": program_title,
        "programOfficial": program_code != MICRO_PROGRAM,
        "entries": [
            {
                "id": _uuid("entry", program_code, year, course.code),
                "type": "COMPULSORY" if program_code == MICRO_PROGRAM else "OPTIONAL",
                "sortIndex": 0,
                "courseOffering": _offering_summary(course, year),
            }
        ],
        "code": f"{program_code}.{academic_year(year)}.1",
    }


def course_record(course: Course, year: int) -> dict:
    """The `/api/{year}/course/{CODE}` body, with the real record's field names and nesting."""
    faculty_en, faculty_nl = FACULTIES[course.faculty]
    assessments = [
        {
            "id": _uuid("assessment", course.code, year, position),
            "assessmentTypeKey": "EXAM" if key in EXAM_ASSESSMENTS else "NON_EXAM",
            "position": position,
            "optionSelections": [
                {
                    "id": _uuid("selection", course.code, year, position),
                    "key": "ASSESSMENT",
                    "selection": [_option("assessment", key, ASSESSMENT_OPTIONS[key], position)],
                },
                {
                    "id": _uuid("participants", course.code, year, position),
                    "key": "PARTICIPANTS",
                    "selection": [],
                },
            ],
        }
        for position, key in enumerate(course.assessments)
    ]
    formats = [
        {
            "id": _uuid("format", course.code, year, position),
            "position": position + 1,
            "optionList": _option("format", key, FORMAT_OPTIONS[key], position + 1),
        }
        for position, key in enumerate(course.formats)
    ]
    course_types = (
        [
            {
                "id": _uuid("coursetype", course.code),
                "position": 0,
                "optionList": _option("coursetype", course.course_type, (course.course_type,) * 2, 2),
            }
        ]
        if course.course_type
        else []
    )
    return {
        "id": _uuid("course", course.code),
        "year": academic_year(year),
        "code": course.code,
        "facultyCode": course.faculty,
        "facultyTitle": {"en": faculty_en, "nl": faculty_nl},
        "title": {"en": course.title_en, "nl": course.title_nl},
        "fullTitle": {"en": course.title_en, "nl": course.title_nl},
        "goals": {"en": course.goals, "nl": ""},
        "description": {"en": course.description, "nl": ""},
        "credits": course.credits,
        "hours": course.hours,
        "levels": list(course.levels),
        "formats": formats,
        "formatsExplanation": {"en": course.formats_explanation, "nl": ""},
        "assessmentsExplanation": {"en": course.assessments_explanation, "nl": ""},
        "courseTypes": course_types,
        "prerequisites": {"en": course.prerequisites, "nl": ""},
        "draft": False,
        "otherPeriods": False,
        "organizationalUnitTitle": {"en": course.org_unit, "nl": course.org_unit},
        "startYear": "2025-2026",
        "endYear": None,
        "modifiedAt": [year, 5, 12 + _stable("modified", course.code, year) % 14],
        "courseOfferings": [
            {
                "id": _uuid("offering", course.code, year),
                "offeringCode": offering_code(course, year),
                "scheduleLink": "",
                "staff": _staff(course.code, course.staff_count),
                "books": [],
                "language": list(course.languages),
                "remarksEn": course.remarks,
                "remarksNl": "",
                "term": term_record(course.term, year, course.faculty),
                "staffBehindLogin": False,
                "maxCapacity": None,
                "hasEnrollmentItems": True,
            }
        ],
        "assessments": assessments,
        "prerequisiteCourses": [],
        "schemeBlocks": [_scheme_block(course, year, code, title) for code, title in course.schemes],
    }


def course_page_record(course: Course, year: int) -> dict:
    """The `/api/{year}/course/page/{CODE}` body. Its real shape is unknown ([?]); authored as the course
    record the web page renders, with the page's year navigation."""
    return {
        "course": course_record(course, year),
        "availableYears": [academic_year(y) for y in course.years],
        "currentYear": academic_year(YEARS[0]),
    }


def problem_record(year: int, code: str) -> dict:
    """RFC 9457 problem details, as Ocasys answers errors (APIEV problem-detail example)."""
    return {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": f"Course with code '{code}' does not exist in academic year {academic_year(year)}.",
        "instance": f"/api/{academic_year(year)}/course/{code}",
    }


def faculty_catalog(year: int) -> list[dict]:
    """`/api/faculty/catalog/{year}`: faculties with their programmes, in the real records' shape.

    Key order and keys follow the real 2024-2025 records (tests/fixtures/real/rug/): a faculty's ``ouClass``, ``parent``
    and ``status {year, facultyId, visible, export}``; a programme's ``language`` list and ``specializations``.
    """
    catalog = []
    for code, (title_en, title_nl) in FACULTIES.items():
        programs = [
            {
                "id": _uuid("program", program_code),
                "language": list(languages),
                "levels": list(levels),
                "titleEn": title,
                "titleNl": CATALOG_TITLES_NL.get(program_code, title),
                "code": program_code,
                "official": program_code not in (MICRO_PROGRAM, "GMW-CONTR"),
                "specializations": [],
            }
            for faculty, program_code, title, levels, languages in CATALOG_PROGRAMS
            if faculty == code
        ]
        record = {
            "id": _uuid("orgunit", code),
            "code": code,
            "titleEn": title_en,
            "titleNl": title_nl,
            "ouClass": None,
            "parent": None,
            "programs": programs,
        }
        if code not in FACULTIES_WITHOUT_STATUS:
            record["status"] = {
                "year": academic_year(year),
                "facultyId": record["id"],
                "visible": True,
                "export": True,
            }
        catalog.append(record)
    return catalog


def scheme_record(year: int) -> dict:
    """`/api/{year}/scheme/program/MC-5801`: the programme and its blocks of course offerings.

    `blocks[].entries[].courseOffering.course{code,titleEn,credits}` is the shape of the captured responses (APIEV); the
    `program` object beside it (with the fields of a real programme record) is authored."""
    courses = {course.code: course for course in COURSES}
    title = next(title for _, code, title, *_ in CATALOG_PROGRAMS if code == MICRO_PROGRAM)
    entries = [
        {
            "id": _uuid("entry", MICRO_PROGRAM, year, code),
            "type": "COMPULSORY",
            "customTypeEn": "",
            "customTypeNl": "",
            "groupLetter": None,
            "sortIndex": index,
            "courseOffering": _offering_summary(courses[code], year),
        }
        for index, code in enumerate(MICRO_PROGRAM_COURSES)
    ]
    return {
        "program": {
            "id": _uuid("program", MICRO_PROGRAM),
            "code": MICRO_PROGRAM,
            "title": {"en": title, "nl": "Microcredential Watergovernance en klimaatadaptatie"},
            "levels": ["MASTER"],
            "languages": ["ENGLISH"],
            "credits": 15,
            "term": "WHOLE_YEAR",
            "duration": 1,
            "facultyTitle": {"en": FACULTIES["fse"][0], "nl": FACULTIES["fse"][1]},
            "goals": {"en": MICRO_PROGRAM_GOALS, "nl": ""},
            "assessmentsExplanation": {
                "en": "Each course unit is assessed on its own; the microcredential is awarded when all "
                "three have been passed.",
                "nl": "",
            },
            "official": False,
        },
        "year": academic_year(year),
        "blocks": [
            {
                "id": _uuid("block", MICRO_PROGRAM, year),
                "yearOfStudy": 1,
                "titleEn": "Compulsory course units",
                "titleNl": "Verplichte vakken",
                "remarksEn": "Take the three course units in this order.",
                "remarksNl": "",
                "entries": entries,
            }
        ],
    }


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------------------
# HTML pages


def _page(
    language: str, title: str, breadcrumb: Sequence[tuple[str, str | None]], main: str, switch: str
) -> str:
    """The rug.nl page chrome: skip links, breadcrumb (label, link), main content, footer (language switch).

    The class names are authored (the real DOM classes are unknown)."""
    crumbs = "".join(
        '<li class="rug-breadcrumb__item">'
        + (
            f'<a href="{escape(href)}">{escape(label)}</a>'
            if href
            else f'<span aria-current="page">{escape(label)}</span>'
        )
        + ("" if index == len(breadcrumb) - 1 else '<span class="rug-breadcrumb__separator"> › </span>')
        + "</li>"
        for index, (label, href) in enumerate(breadcrumb)
    )
    skip = (
        ("Skip to Content", "Skip to Navigation")
        if language == "en"
        else ("Ga naar inhoud", "Ga naar navigatie")
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape(title)} | University of Groningen</title>\n"
        "</head>\n"
        "<body>\n"
        f'<a class="rug-skiplink" href="#main">{skip[0]}</a>'
        f'<a class="rug-skiplink" href="#navigation">{skip[1]}</a>\n'
        '<header class="rug-header"><p class="rug-header__brand">University of Groningen</p></header>\n'
        f'<nav class="rug-breadcrumb" id="navigation" aria-label="Breadcrumb"><ol>{crumbs}</ol></nav>\n'
        f'<main id="main" class="rug-main">\n{main}</main>\n'
        f'<footer class="rug-footer">\n{switch}</footer>\n'
        "</body>\n"
        "</html>\n"
    )


def overview_block(schools: Sequence[School] = SCHOOLS, courses: Sequence[Course] = COURSES) -> str:
    """The authored block on the policy page listing the microcredentials offered (no real catalogue)."""
    school_items = "".join(
        f'<li><a href="{escape(school_url(school.slug))}">{escape(school.title)}</a> '
        f"({school.kind} school)</li>\n"
        for school in schools
        if school.listed
    )
    # Planted (see README): the same school listed again by its Dutch page (one registry id, two records),
    # and a microcredential whose page is hosted off the university's domains.
    school_items += (
        f'<li><a href="{escape(school_url("energy-transition-in-practice", "nl"))}">Energietransitie in de '
        "praktijk</a> (summer school, Nederlandstalige pagina)</li>\n"
        f'<li><a href="{escape(OFFSITE_OFFER[0])}">{escape(OFFSITE_OFFER[1])}</a> '
        "(summer school, hosted by a partner)</li>\n"
    )
    course_rows = [
        (course.code, course.title_en, int(course.credits), course.listed_as or "")
        for course in courses
        if course.listed_as
    ] + [(MISSING_COURSE[0], MISSING_COURSE[1], MISSING_COURSE[2], academic_year(YEARS[0]))]
    course_items = "".join(
        f'<li><a href="{escape(catalog_course_url(segment, code))}">{escape(title)}</a> '
        f"({code}, {credits} EC)</li>\n"
        for code, title, credits, segment in course_rows
    )
    return (
        "<!-- Authored for the offline snapshot: the real site has no catalogue of its microcredentials. "
        "-->\n"
        '<section class="rug-layout-block" id="microcredentials-offered">\n'
        f"<h2>Microcredentials offered in {academic_year(YEARS[0])}</h2>\n"
        "<p>The following units of education lead to a microcredential, issued as an edubadge through SURF "
        "Edubadges.</p>\n"
        "<h3>Summer and winter schools</h3>\n"
        f'<ul class="rug-list">\n{school_items}</ul>\n'
        "<h3>Course units offered as a microcredential</h3>\n"
        f'<ul class="rug-list">\n{course_items}</ul>\n'
        "</section>\n"
    )


def policy_html(schools: Sequence[School] = SCHOOLS, courses: Sequence[Course] = COURSES) -> str:
    intro = "".join(f"<p>{escape(text)}</p>\n" for text in POLICY_INTRO)
    why = "".join(f"<li><p>{escape(text)}</p></li>\n" for text in POLICY_WHY)
    developing = "".join(
        f"<li><strong>{escape(name)}</strong><br>\n{escape(text)}</li>\n"
        for name, text in POLICY_UNDER_DEVELOPMENT
    )
    main = (
        f'<h1 class="rug-h1">{escape(POLICY_TITLE)}</h1>\n'
        f"{intro}"
        "<h2>Why Microcredentials</h2>\n"
        f"<ul>\n{why}</ul>\n"
        "<h2>Would you like to participate in the pilot?</h2>\n"
        f"<p>{escape(POLICY_PILOT)}</p>\n"
        '<figure><img src="/about-ug/organization/quality-assurance/in-practice/'
        'logo-pilot-microcredentials.png" alt="Logo pilot microcredentials"></figure>\n'
        f"<p>{escape(POLICY_NATIONAL)}</p>\n"
        f"<ul>\n{developing}</ul>\n"
        f"<p>{escape(POLICY_CONTACT)}</p>\n"
        f"{overview_block(schools, courses)}"
    )
    footer = (
        f'<p class="rug-last-modified">Last modified:{POLICY_LAST_MODIFIED}</p>\n'
        '<p class="rug-language-switch">View this page in: '
        f'<a href="{POLICY_URL}?lang=nl">Nederlands</a></p>\n'
    )
    breadcrumb = [
        ("About us", f"{WWW}/about-ug/"),
        ("Organization", f"{WWW}/about-ug/organization/"),
        ("Quality assurance", f"{WWW}/about-ug/organization/quality-assurance/"),
        ("Education Policy", None),
    ]
    return _page("en", "Microcredentials", breadcrumb, main, footer)


def school_html(school: School) -> str:
    en = school.language == "en"
    query = "?lang=en" if en else ""
    breadcrumb = [
        ("Education" if en else "Onderwijs", f"{WWW}/education/{query}"),
        (SCHOOL_KIND_CRUMB[(school.kind, school.language)], f"{SCHOOLS_URL}/{query}"),
        (school.title, None),
    ]
    intro = "".join(f"<p>{escape(text)}</p>\n" for text in school.intro)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>\n'
        for label, value in school.practical
    )
    outcomes = ""
    if school.outcomes:
        items = "".join(f"<li>{escape(text)}</li>\n" for text in school.outcomes)
        outcomes = f"<h2>{'Learning outcomes' if en else 'Leerdoelen'}</h2>\n<ul>\n{items}</ul>\n"
    apply = (
        f'<p><a class="rug-button" href="{SCHOOLS_URL}/{school.slug}/apply-now{query}">'
        f"{'Apply now' if en else 'Direct aanmelden'}</a></p>\n"
    )
    main = (
        f'<h1 class="rug-h1">{escape(school.title)}</h1>\n'
        f'<div class="rug-intro">\n{intro}</div>\n'
        '<section class="rug-practical-information">\n'
        f"<h2>{'Practical information' if en else 'Praktische informatie'}</h2>\n"
        f'<table class="rug-table">\n<tbody>\n{rows}</tbody>\n</table>\n'
        "</section>\n"
        f"{outcomes}"
        f"{apply}"
    )
    other = school_url(school.slug, "nl" if en else "en")
    switch = (
        f'<p class="rug-language-switch">View this page in: <a href="{escape(other)}">Nederlands</a></p>\n'
        if en
        else '<p class="rug-language-switch">Bekijk deze pagina in: '
        f'<a href="{escape(other)}">English</a></p>\n'
    )
    return _page(school.language, school.title, breadcrumb, main, switch)


# --------------------------------------------------------------------------------------------------------
# Writing


@dataclass
class GenerationReport:
    """What a run wrote, counted per kind of page, with the manifest rows per host."""

    pages: dict[str, int] = field(default_factory=dict)
    rows: dict[str, list[ManifestRow]] = field(default_factory=lambda: {host: [] for host in HOSTS})

    def add(self, kind: str, row: ManifestRow) -> None:
        self.pages[kind] = self.pages.get(kind, 0) + 1
        self.rows[row.host].append(row)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def generate(
    out_dir: Path = SITES_DIR, schools: Sequence[School] = SCHOOLS, courses: Sequence[Course] = COURSES
) -> GenerationReport:
    """Write the RUG snapshot under `out_dir` and merge its rows into `out_dir/manifest.jsonl`.

    Both hosts' directories are rebuilt from scratch; other hosts' files and manifest rows are left alone.
    ``schools`` and ``courses`` are the offer written (the national snapshot passes numbered copies too).
    """
    for host in HOSTS:
        if (out_dir / host).exists():
            shutil.rmtree(out_dir / host)
    report = GenerationReport()

    def write(
        kind: str, url: str, body: str, last_modified: str, content_type: str, status: int = 200
    ) -> None:
        relative = file_for_url(url, content_type)
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(body)
        report.add(kind, ManifestRow(url, relative, content_type, last_modified, status))

    # www.rug.nl
    write("robots", f"{WWW}/robots.txt", ROBOTS_WWW, LAST_MODIFIED_WWW, TEXT_TYPE)
    write("policy page", POLICY_URL, policy_html(schools, courses), LAST_MODIFIED_WWW, HTML_TYPE)
    for school in schools:
        write(
            "school page",
            school_url(school.slug, school.language),
            school_html(school),
            LAST_MODIFIED_WWW,
            HTML_TYPE,
        )

    # ocasys.rug.nl
    write("robots", f"{OCASYS}/robots.txt", ROBOTS_OCASYS, LAST_MODIFIED_OCASYS[max(YEARS)], TEXT_TYPE)
    for year in YEARS:
        modified = LAST_MODIFIED_OCASYS[year]
        write(
            "faculty catalog",
            api_faculty_catalog_url(year),
            to_json(faculty_catalog(year)),
            modified,
            JSON_TYPE,
        )
        write(
            "scheme", api_scheme_url(year, MICRO_PROGRAM), to_json(scheme_record(year)), modified, JSON_TYPE
        )
        for course in courses:
            if year not in course.years:
                continue
            write(
                "course",
                api_course_url(year, course.code),
                to_json(course_record(course, year)),
                modified,
                JSON_TYPE,
            )
            if course.listed_as:
                write(
                    "course page",
                    api_course_page_url(year, course.code),
                    to_json(course_page_record(course, year)),
                    modified,
                    JSON_TYPE,
                )
    year = YEARS[0]
    code = MISSING_COURSE[0]
    write(
        "problem 404",
        api_course_url(year, code),
        to_json(problem_record(year, code)),
        LAST_MODIFIED_OCASYS[year],
        PROBLEM_TYPE,
        status=404,
    )

    manifest = out_dir / MANIFEST_NAME
    for host in HOSTS:
        merge_manifest(manifest, host, report.rows[host])
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir", type=Path, default=SITES_DIR, help="sites directory (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    report = generate(args.out_dir)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(report.pages.items()))
    print(f"wrote {report.total} files for {', '.join(HOSTS)} under {args.out_dir}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
