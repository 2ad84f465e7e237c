"""The committed Ghent snapshot: reproducible, and faithful to the real catalogue it is built from.

The expectations come from the copied reference catalogue (`tools/snapshot/reference/`), read here with
`json`, and from the pages parsed here with lxml; nothing outside the repository is read.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import lxml.html

from scrapers.snapshot.manifest import ManifestRow, check_rows, read_manifest
from tools.snapshot import generate_ugent

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "scrapers" / "snapshot" / "sites"
REFERENCE = REPO / "tools" / "snapshot" / "reference"
HOST = "studiekiezer.ugent.be"
ORIGIN = f"https://{HOST}"
EXPECTED_PROGRAMMES = {2022: 31, 2023: 71, 2024: 79}
COURSE_CODE = re.compile(r"[A-Z]\d{6}")


def reference(year: int) -> list[dict]:
    return json.loads((REFERENCE / f"ugent-micro-credentials-{year}.json").read_text(encoding="utf-8"))


def reference_slug(year: int, url: str) -> str:
    return url.split("/")[-3] if year <= 2022 else url.split("/")[-2]


def ugent_rows() -> list[ManifestRow]:
    return [row for row in read_manifest(SITES / "manifest.jsonl") if row.host == HOST]


def parse(row: ManifestRow) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((SITES / row.file).read_bytes())


def year_of(url: str) -> int:
    return int(re.search(r"/(20\d\d)(?:/|$)", url).group(1))


def programme_rows() -> list[ManifestRow]:
    return [row for row in ugent_rows() if re.search(r"/programma(/\d{4})?$", row.url)]


def credits(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


# -- reproducibility ---------------------------------------------------------------------------------------


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path: Path):
    shutil.copy(SITES / "manifest.jsonl", tmp_path / "manifest.jsonl")
    generate_ugent.generate(tmp_path, REFERENCE)
    assert tree_bytes(tmp_path / HOST) == tree_bytes(SITES / HOST)
    assert (tmp_path / "manifest.jsonl").read_bytes() == (SITES / "manifest.jsonl").read_bytes()


def test_generator_keeps_other_hosts_rows_and_removes_stale_pages(tmp_path: Path):
    foreign = ManifestRow(
        "https://www.uantwerpen.be/en/x", "www.uantwerpen.be/en/x.html", "text/html", "2024-01-01T00:00:00Z"
    )
    (tmp_path / "manifest.jsonl").write_text(foreign.to_json() + "\n", encoding="utf-8")
    stale = tmp_path / HOST / "stale.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    generate_ugent.main(["--out-dir", str(tmp_path)])
    rows = read_manifest(tmp_path / "manifest.jsonl")
    assert foreign in rows
    assert [row.url for row in rows] == sorted(row.url for row in rows)
    assert not stale.exists()


# -- the manifest ----------------------------------------------------------------------------------------


def test_manifest_rows_are_sorted_unique_and_point_at_files():
    rows = read_manifest(SITES / "manifest.jsonl")
    assert [row.url for row in rows] == sorted(row.url for row in rows)
    check_rows(rows)
    for row in ugent_rows():
        assert row.url.startswith(ORIGIN + "/")
        assert (SITES / row.file).is_file(), row.file
        assert row.status == 200
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row.last_modified)
    on_disk = {str(path.relative_to(SITES)) for path in (SITES / HOST).rglob("*") if path.is_file()}
    assert on_disk == {row.file for row in ugent_rows()}


def test_robots_txt_is_plain_text():
    (row,) = [row for row in ugent_rows() if row.url == f"{ORIGIN}/robots.txt"]
    assert row.content_type.startswith("text/plain")
    assert (SITES / row.file).read_text(encoding="utf-8") == "User-agent: *\nDisallow: /beheer/\n"


# -- programme pages -------------------------------------------------------------------------------------


def test_programme_pages_carry_exactly_the_reference_codes_per_year():
    codes: dict[int, list[str]] = {year: [] for year in EXPECTED_PROGRAMMES}
    for row in programme_rows():
        (heading,) = parse(row).xpath("//h1[@id='titleLabel']")
        codes[year_of(row.url)].append(heading.get("data-code"))
    assert {year: len(found) for year, found in codes.items()} == EXPECTED_PROGRAMMES
    for year, found in codes.items():
        assert sorted(found) == sorted(record["id"] for record in reference(year))


def test_programme_pages_sit_at_the_reference_urls():
    urls = {row.url for row in programme_rows()}
    assert urls == {record["url"] for year in EXPECTED_PROGRAMMES for record in reference(year)}


def test_offered_rows_repeat_the_reference_courses_in_order():
    by_url = {record["url"]: record for year in EXPECTED_PROGRAMMES for record in reference(year)}
    for row in programme_rows():
        record = by_url[row.url]
        page = parse(row)
        assert page.xpath("string(//h1[@id='titleLabel'])") == record["name"].strip()
        offered = page.xpath("//div[@class='programma']//tbody/tr[not(@class='nietaangeboden')]")
        assert [tr.xpath("string(td[@class='cursusnaam']/span/@title)") for tr in offered] == record[
            "courses"
        ]
        assert [tr.xpath("string(td[@class='cursusnaam']/span)") for tr in offered] == record["courses_names"]
        assert [credits(tr.xpath("string(td[@class='SP']//span)")) for tr in offered] == [
            Decimal(str(value)) for value in record["ects"]
        ]
        assert [tr.xpath("string(td[@class='taal']/div/div[1])") for tr in offered] == record[
            "courses_languages"
        ]
        faculties = page.xpath(
            "//i[contains(@class,'glyphicon-map-marker')]/following::div[1]/span[@class='faculteit']"
        )
        assert [span.text for span in faculties] == record["faculties"]


def test_course_block_heading_follows_the_year_and_language():
    for row in programme_rows():
        page = parse(row)
        year = year_of(row.url)
        wrapper = "span" if year <= 2022 else "div"
        heading = page.xpath(f"//div[@class='programma']/h4/{wrapper}/text()")
        expected = "Full programme" if "-en/programma" in row.url else "Volledig programma"
        assert heading == [expected], row.url


def test_every_year_has_not_offered_rows_with_authored_codes():
    real_codes = {
        code for year in EXPECTED_PROGRAMMES for record in reference(year) for code in record["courses"]
    }
    programmes_with_extra: Counter[int] = Counter()
    for row in programme_rows():
        extra = parse(row).xpath("//tr[@class='nietaangeboden']")
        if extra:
            programmes_with_extra[year_of(row.url)] += 1
        for tr in extra:
            code = tr.xpath("string(td[@class='cursusnaam']/span/@title)")
            assert COURSE_CODE.fullmatch(code)
            assert code not in real_codes
            assert Decimal(3) <= credits(tr.xpath("string(td[@class='SP']//span)")) <= Decimal(6)
    assert all(programmes_with_extra[year] >= 3 for year in EXPECTED_PROGRAMMES), programmes_with_extra


def test_every_course_on_a_programme_page_has_a_studiefiche():
    urls = {row.url for row in ugent_rows()}
    for row in programme_rows():
        year = year_of(row.url)
        language = "en" if "-en/programma" in row.url else "nl"
        for code in parse(row).xpath("//td[@class='cursusnaam']/span/@title"):
            if year <= 2022:
                expected = f"{ORIGIN}/studiefiche/{language}/{code}/{year}"
            else:
                expected = f"{ORIGIN}/{year}/studiefiche/{language}/{code}"
            assert expected in urls, (row.url, expected)


def test_some_pages_leave_out_practical_fields_but_most_are_complete():
    label_counts = Counter(
        len(parse(row).xpath("//section[@id='praktische-info']/dl/dt")) for row in programme_rows()
    )
    complete = label_counts[11]
    assert complete / sum(label_counts.values()) > 0.7
    assert complete < sum(label_counts.values())


# -- listing and cards -----------------------------------------------------------------------------------


def cards_by_listing() -> dict[tuple[int, str], tuple[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]]:
    rows = {row.url: row for row in ugent_rows()}
    result = {}
    for year in EXPECTED_PROGRAMMES:
        for language in ("en", "nl"):
            listing = parse(rows[f"{ORIGIN}/{language}/zoek?zt=&aj={year}"])
            cards = []
            for data in listing.xpath("//div[contains(@id,'lazyLoadedChunk')]/@data"):
                chunk = rows[f"{ORIGIN}/{language}/incrementalsearch?target=zoek&ids={data}"]
                fragment = lxml.html.fragments_fromstring((SITES / chunk.file).read_text(encoding="utf-8"))
                found = [element for element in fragment if not isinstance(element, str)]
                assert len(found) == len(data.split(","))
                cards += found
            result[(year, language)] = (listing, cards)
    return result


def test_listing_counts_and_chunks_agree_with_the_cards():
    for (year, language), (listing, cards) in cards_by_listing().items():
        found = listing.xpath("string(//p[@class='result-count'])")
        assert int(found.split()[0]) == len(cards)
        micro = [card for card in cards if card.xpath("string(h2)").startswith("Micro-credential")]
        assert len(micro) == EXPECTED_PROGRAMMES[year]
        assert 3 <= len(cards) - len(micro) <= 6  # the authored degree programmes
        label = "Micro-Credentials" if language == "en" else "Micro-credentials"
        assert f"{label} ({EXPECTED_PROGRAMMES[year]})" in listing.text_content()
        for chunk_div in listing.xpath("//div[contains(@id,'lazyLoadedChunk')]"):
            assert 1 <= len(chunk_div.get("data").split(",")) <= 20


def test_every_micro_credential_card_shows_the_reference_credit_sum():
    manifest_urls = {row.url for row in ugent_rows()}
    for (year, language), (_, cards) in cards_by_listing().items():
        expected = {reference_slug(year, record["url"]): sum(record["ects"]) for record in reference(year)}
        seen = set()
        for card in cards:
            href = card.get("href")
            slug = href.split("/")[-2] if year <= 2022 else href.split("/")[-1]
            meta = card.xpath("string(span[@class='meta'])")
            if slug not in expected:
                # A degree programme: its page is not in the snapshot, so a spider must skip it.
                assert card.xpath("string(span[@class='type'])") not in (
                    "Micro-Credentials",
                    "Micro-credentials",
                )
                assert not any(url.startswith(href) for url in manifest_urls)
                continue
            pattern = (
                r"1 year \| ([\d.]+) credits" if language == "en" else r"1 jaar \| ([\d,]+) studiepunten"
            )
            match = re.fullmatch(pattern, meta)
            assert match, meta
            assert credits(match.group(1)) == Decimal(str(expected[slug])), (year, slug)
            root = f"{ORIGIN}/{slug}/{year}" if year <= 2022 else f"{ORIGIN}/{year}/{slug}"
            assert href == root
            seen.add(slug)
        assert seen == set(expected)


# -- course sheets ---------------------------------------------------------------------------------------


def test_studiefiches_state_credits_hours_and_languages():
    sheets = [row for row in ugent_rows() if "/studiefiche/" in row.url]
    assert sheets
    for row in sheets:
        page = parse(row)
        code = row.url.rstrip("/").split("/")[-1] if year_of(row.url) > 2022 else row.url.split("/")[-2]
        assert page.xpath("string(//h1[@class='cursusnaam']/@data-code)") == code
        facts = {
            th.text_content(): td
            for th, td in zip(
                page.xpath("//table[@class='kenmerken']//th"),
                page.xpath("//table[@class='kenmerken']//td"),
                strict=True,
            )
        }
        english = "/en/" in row.url
        sp = Decimal(facts["Credits" if english else "Studiepunten"].text_content())
        hours = facts["Study time" if english else "Studietijd"].text_content()
        assert re.fullmatch(r"\d+ (h|u)", hours)
        assert Decimal(hours.split()[0]) / sp in (Decimal(25), Decimal(30), Decimal(36))
