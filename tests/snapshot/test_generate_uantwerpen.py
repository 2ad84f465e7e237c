"""The committed Antwerp snapshot: reproducible, built on the real page template, clean except where planted.

Pages are read here with lxml; the real facts (landing texts, summer-school credits, the reference page's
template) are written out by hand or read from the real page in `tools/snapshot/reference/`.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import lxml.html

from scrapers.snapshot.manifest import ManifestRow, check_rows, read_manifest
from tools.snapshot import generate_uantwerpen

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "scrapers" / "snapshot" / "sites"
REAL_PAGE = (
    REPO / "tools" / "snapshot" / "reference" / "uantwerpen-2025-master-data-science-study-programme.html"
)
HOST = "www.uantwerpen.be"
ORIGIN = f"https://{HOST}"
COURSE_CODE = re.compile(r"\d{4}[A-Z]{6}")

# The planted violations (README "Planted violations"), by slug, written out here on purpose.
PLANTED = {
    "micro-credential-research-data-management": "size_min",
    "micro-credential-bedrijfskunde-voor-ingenieurs": "size_max",
    "micro-credential-arbeidsgeneeskunde": "hours",
    "micro-credential-bemiddeling": "sum",
    "micro-credential-oudgrieks-voor-beginners": "language",
    "micro-credential-art-in-public-space": "annex",
}


def rows() -> list[ManifestRow]:
    return [row for row in read_manifest(SITES / "manifest.jsonl") if row.host == HOST]


def page(url: str) -> lxml.html.HtmlElement:
    [row] = [row for row in rows() if row.url == url]
    return lxml.html.fromstring((SITES / row.file).read_bytes())


def text(element) -> str:
    return " ".join(element.text_content().split())


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def study_programme_urls() -> list[str]:
    return sorted(row.url for row in rows() if re.search(r"/(study-programme|studieprogramma)/$", row.url))


def slug_of(url: str) -> str:
    return re.search(r"/(?:all-programmes|alle-opleidingen)/([^/]+)/", url).group(1)


def courses(url: str) -> list[dict]:
    """The courses of the page's 2025-2026 pane (the active one; the other panes are other years)."""
    result = []
    tree = page(url)
    panes = tree.xpath("//section[@class='pane'][@id='studyprogramme-2025']") or tree.xpath(
        "//div[@class='study-programme-active']"
    )
    for section in panes[0].xpath(".//section[@class='course']"):

        def spec(name: str, section=section) -> str | None:
            found = section.xpath(f".//div[@class='spec {name}']/div[@class='value']")
            return text(found[0]) if found else None

        result.append(
            {
                "href": section.xpath("string(.//h5/a/@href)"),
                "code": spec("guideNr"),
                "credits": int(spec("points").split()[0]),
                "tax": int(spec("tax")),
                "language": spec("language"),
                "semester": spec("semester"),
            }
        )
    return result


def info_page_for(study_url: str) -> lxml.html.HtmlElement:
    slug = slug_of(study_url)
    [row] = [row for row in rows() if re.search(rf"/{slug}/(programme-info|opleidingsinfo)/$", row.url)]
    return page(row.url)


def key_fact_credits(info: lxml.html.HtmlElement) -> int:
    facts = [text(li) for li in info.xpath("//div[@class='managedContent']/section//li[not(a)]")]
    return int(next(f for f in facts if re.search(r"ECTS|studiepunten", f)).split()[0])


# -- reproducibility -------------------------------------------------------------------------------------


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path: Path):
    shutil.copy(SITES / "manifest.jsonl", tmp_path / "manifest.jsonl")
    generate_uantwerpen.generate(tmp_path)
    assert tree_bytes(tmp_path / HOST) == tree_bytes(SITES / HOST)
    assert (tmp_path / "manifest.jsonl").read_bytes() == (SITES / "manifest.jsonl").read_bytes()


def test_generator_keeps_other_hosts_rows_and_removes_stale_pages(tmp_path: Path):
    foreign = ManifestRow("https://www.rug.nl/x", "www.rug.nl/x.html", "text/html", "2024-01-01T00:00:00Z")
    (tmp_path / "manifest.jsonl").write_text(foreign.to_json() + "\n", encoding="utf-8")
    stale = tmp_path / HOST / "stale.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    generate_uantwerpen.main(["--out-dir", str(tmp_path)])
    written = read_manifest(tmp_path / "manifest.jsonl")
    assert foreign in written
    assert [row.url for row in written] == sorted(row.url for row in written)
    assert not stale.exists()


# -- manifest ----------------------------------------------------------------------------------------------


def test_manifest_rows_point_at_files_and_only_one_sheet_is_missing():
    check_rows(read_manifest(SITES / "manifest.jsonl"))
    statuses = Counter(row.status for row in rows())
    assert statuses[404] == 1 and set(statuses) == {200, 404}
    [missing] = [row for row in rows() if row.status == 404]
    assert "/ajax/courseInfo?id=2025-" in missing.url
    assert b"not found" in (SITES / missing.file).read_bytes()
    for row in rows():
        assert row.url.startswith(ORIGIN + "/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row.last_modified)
    on_disk = {str(p.relative_to(SITES)) for p in (SITES / HOST).rglob("*") if p.is_file()}
    assert on_disk == {row.file for row in rows()}
    [robots] = [row for row in rows() if row.url == f"{ORIGIN}/robots.txt"]
    assert robots.content_type.startswith("text/plain")
    assert (SITES / robots.file).read_text(encoding="utf-8") == "User-agent: *\nDisallow: /intranet/\n"


# -- landing pages and listings ----------------------------------------------------------------------------


def test_landing_pages_carry_the_real_texts_and_links():
    en = text(page(f"{ORIGIN}/en/study/programmes/all-programmes/micro-credential/"))
    nl = text(page(f"{ORIGIN}/nl/studeren/aanbod/micro-credential/"))
    for sentence in (
        "The scope is expressed in ECTS credits or study credits and varies between 3 and 19 credits.",
        "(evening classes, online, hybrid or distance learning)",
        "Discover which English-taught micro-credentials the University of Antwerp has to offer",
        "If you cancel your enrolment after 14 March, the tuition fee will not be reimbursed.",
    ):
        assert sentence in en
    for sentence in (
        "Ontdek alle micro-credentials van de Universiteit Antwerpen",
        "Wanneer je de opleiding stopzet voor 1 november wordt het gehele inschrijvingsgeld teruggestort.",
        "Micro-credentials zijn een nieuw opleidingstype in het aanbod levenslang leren.",
    ):
        assert sentence in nl
    links = page(f"{ORIGIN}/nl/studeren/aanbod/micro-credential/").xpath("//a[@class='button']/@href")
    assert links == ["/nl/studeren/aanbod/alle-opleidingen/?s=16&lang=nl&f=198"]


def test_listings_use_both_card_vintages_and_mix_in_other_programmes():
    en = page(f"{ORIGIN}/en/study/programmes/all-programmes/?s=16&lang=en&f=198%2C201")
    nl = page(f"{ORIGIN}/nl/studeren/aanbod/alle-opleidingen/?s=16&lang=nl&f=198")
    assert not en.xpath("//*[contains(@class, 'listCourses')]") and not nl.xpath(
        "//section[@class='courseItem']"
    )
    en_types = [text(li) for li in en.xpath("//section[@class='courseItem']/a//li[@class='type']")]
    nl_types = [text(card.xpath("(.//div[@class='value'])[2]")[0]) for card in nl.xpath("//a[@class='wrap']")]
    assert Counter(en_types)["Micro-credential"] == 12  # the English-taught ones
    assert Counter(nl_types)["Micro-credential"] == 30
    assert len(en_types) - 12 >= 3 and len(nl_types) - 30 >= 3
    urls = {row.url for row in rows()}
    for card in en.xpath("//section[@class='courseItem']/a") + nl.xpath("//a[@class='wrap']"):
        assert (ORIGIN + card.get("href") in urls) == ("Micro-credential" in text(card))


# -- study programmes: the real template, clean except where planted -------------------------------------


def test_study_programme_pages_follow_the_real_template():
    real = lxml.html.fromstring(REAL_PAGE.read_text(encoding="utf-8"))
    real_classes = {
        c for spec in real.xpath("//div[contains(@class, 'spec')]") for c in spec.get("class").split()
    }
    real_labels = {text(label) for label in real.xpath("//div[contains(@class, 'spec')]/div[@class='label']")}
    urls = study_programme_urls()
    assert len(urls) == 30
    forms: Counter[str] = Counter()
    for url in urls:
        tree = page(url)
        old = tree.xpath("//div[@class='study-programme-active']")
        # The live structure, as public crawlers of uantwerpen.be select it: year tabs, one `section.pane` per year in `div.main.tabMain`.
        panes = tree.xpath("//div[@class='main tabMain']/section[@class='pane'][@id]")
        tabs = tree.xpath("//header[@class='tabHeader']/ul/li[@data-desttab]")
        forms["old" if old else f"{len(panes)} panes"] += 1
        if old:
            assert not panes and not tabs
            panes = old
        else:
            assert [tab.get("data-desttab") for tab in tabs] == [pane.get("id") for pane in panes]
            assert [tab.get("data-desttab") for tab in tabs if tab.get("class") == "stateActive"] == [
                "studyprogramme-2025"
            ]
        for pane in panes:
            year = int(pane.get("id", "x-2025").rsplit("-", 1)[1])
            assert text(pane.xpath("./h3[@class='heading']")[0]) == f"{year}-{year + 1}"
            assert pane.xpath(
                "./div[@class='paneContent']/section[@class='programmes']//section[@class='courseUnit']"
                "/header/h4[@class='heading']"
            )
            for section in pane.xpath(".//section[@class='course']"):
                href = section.xpath("string(./header/h5[@class='heading']/a/@href)")
                language = "en" if "/en/" in url else "nl"
                assert re.fullmatch(rf"\?id={year}-{COURSE_CODE.pattern}&lang={language}", href), href
                specs = section.xpath(
                    "./div[@class='main mainCourse']/section[@class='fiche']/div[@class='main']/div"
                )
                classes = {c for spec in specs for c in spec.get("class").split()}
                assert classes <= real_classes
                if language == "en":
                    assert {text(s.xpath("./div[@class='label']")[0]) for s in specs} <= real_labels
    # One page keeps the old single-pane form; the others show two or three years.
    assert forms["old"] == 1 and forms["2 panes"] + forms["3 panes"] == 29 and forms["3 panes"] >= 3


def test_course_codes_are_well_formed_unique_and_not_real_ones():
    real_codes = set(re.findall(r"\?id=2025-(\w{10})&", REAL_PAGE.read_text(encoding="utf-8")))
    seen: dict[str, tuple] = {}
    for url in study_programme_urls():
        for course in courses(url):
            assert COURSE_CODE.fullmatch(course["code"])
            assert course["code"] not in real_codes
            assert course["href"] == f"?id=2025-{course['code']}&lang={'en' if '/en/' in url else 'nl'}"
            facts = (course["credits"], course["tax"], course["semester"])
            assert seen.setdefault(course["code"], facts) == facts  # a shared course is the same everywhere
    assert len(seen) == 53


def test_every_record_is_clean_except_the_planted_violations():
    broken: dict[str, set[str]] = {}
    semesters = Counter()
    for url in study_programme_urls():
        slug = slug_of(url)
        found = courses(url)
        info = info_page_for(url)
        stated = key_fact_credits(info)
        problems = set()
        if stated < 3:
            problems.add("size_min")
        if stated > 19:
            problems.add("size_max")
        if stated != sum(c["credits"] for c in found):
            problems.add("sum")
        if any(c["tax"] != 28 * c["credits"] for c in found):
            problems.add("hours")
        if any(c["language"] not in ("English", "Engels", "Nederlands") for c in found):
            problems.add("language")
        labels = {text(th) for th in info.xpath("//table[@class='practicalInfo']//th")}
        if not labels >= {"Learning outcomes", "Level", "Assessment"} and not labels >= {
            "Leerresultaten",
            "Niveau",
            "Evaluatie",
        }:
            problems.add("annex")
        if problems:
            broken[slug] = problems
        semesters[len({c["semester"] for c in found} - {"1E/2E SEM"}) or 2] += 1
    assert broken == {slug: {rule} for slug, rule in PLANTED.items()}
    assert semesters[1] and semesters[2]  # one-semester and two-semester programmes


def test_practical_information_is_complete_on_most_pages():
    counts = Counter(
        len(info_page_for(url).xpath("//table[@class='practicalInfo']//tr")) for url in study_programme_urls()
    )
    assert counts[13] >= 24 and sum(counts.values()) == 30


def test_every_course_link_has_a_sheet_in_the_snapshot():
    by_url = {row.url: row for row in rows()}
    for url in study_programme_urls():
        for course in courses(url):
            sheet = by_url[f"{ORIGIN}/ajax/courseInfo{course['href']}"]
            if sheet.status == 200:
                tree = lxml.html.fromstring((SITES / sheet.file).read_bytes())
                assert (
                    text(tree.xpath("//div[@class='spec guideNr']/div[@class='value']")[0]) == course["code"]
                )
                headings = [text(h) for h in tree.xpath("//details/summary/h3")]
                assert any("Learning outcomes" in h or "Eindcompetenties" in h for h in headings)


# -- summer schools ----------------------------------------------------------------------------------------


def test_summer_schools_state_their_real_credits():
    credits = {}
    for row in rows():
        match = re.search(r"/summer-(?:winter-)?schools/([^/]+)/programme/([^/]+)/$", row.url)
        if not match:
            continue
        if match.group(2) == "content-description":
            facts = page(row.url).xpath("//div[@class='managedContent']/section//li[not(a)]")
            if "ECTS" in text(facts[0]):
                credits.setdefault(match.group(1), set()).add(text(facts[0]))
        else:
            # The real sites put some schools' credits on an ECTS sub-page with an irregular slug.
            assert "ects" in match.group(2)
            statement = page(row.url).xpath("//div[@class='managedContent']//p")[0]
            credits.setdefault(match.group(1), set()).add(text(statement))
    assert credits == {
        "europe-diversity-migration": {"4 ECTS (+2 with an individual paper)"},
        "from-mine-to-finger": {"3 ECTS"},
        # the real "4/5/6 ECTS", worded as another school's real page words such tiers
        "experience-entrepreneurship": {"4, 5 or 6 ECTS depending on the assignments handed in"},
        "modelling-infectious-diseases": {"2–5 ECTS credits"},  # authored, a real form of range
    }


def test_one_school_is_published_under_both_prefixes_with_the_same_pages():
    by_prefix: dict[str, set[str]] = {}
    for row in rows():
        match = re.match(
            rf"{ORIGIN}/en/(summer-schools|summer-winter-schools)/modelling-infectious-diseases/(.*)$",
            row.url,
        )
        if match:
            by_prefix.setdefault(match.group(1), set()).add(match.group(2))
    assert (
        by_prefix["summer-schools"]
        == by_prefix["summer-winter-schools"]
        == {
            "",
            "programme/content-description/",
            "programme/study-credits--ects-/",
            "registration/procedure/",
        }
    )
