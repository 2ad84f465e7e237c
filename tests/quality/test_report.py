"""The quality report on a small hand-made warehouse (content, escaping, links, chart, paging, writing the set
at once), on the bundled snapshot, and on a national-size copy of it."""

from __future__ import annotations

import posixpath
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import duckdb
import html5rdf
import pytest

from pipelines.defs.report import write_quality_report
from quality import report
from quality.rules import RULES

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 4, 30, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"
UNPUBLISHED_REASON = (
    "not published: only 5 programmes harvested against 79 in the last published run (6%, below 50%): "
    "treated as a broken harvest, previous data kept"
)
ATTRIBUTE_BREAKER = 'https://www.rug.nl/ocasys?q="><img src=x onerror=alert(2)>'

INSTITUTIONS = [
    (
        "ugent",
        "Ghent University",
        "BE",
        "Flanders",
        "VKS",
        25,
        30,
        3,
        20,
        ["ugent.be"],
        "https://www.ugent.be",
    ),
    (
        "rug",
        "University of Groningen",
        "NL",
        "Netherlands",
        "NLQF",
        28,
        28,
        3,
        30,
        ["rug.nl"],
        "https://www.rug.nl",
    ),
]
PROGRAMMES = [
    # registry_id, institution, year, credits, url
    ("ugent:SMALL", "ugent", 2024, 2.0, "https://studiekiezer.ugent.be/2024/small"),
    ("ugent:LARGE", "ugent", 2024, 24.0, "https://studiekiezer.ugent.be/2024/large"),
    ("ugent:NONE", "ugent", 2025, None, "https://studiekiezer.ugent.be/2025/none"),
    ("rug:BIG", "rug", 2024, 40.0, "https://www.rug.nl/big"),
]
COURSE_UNITS = [
    ("ugent:C000001:2024", "ugent", "C000001", 2024, "https://studiekiezer.ugent.be/2024/C000001")
]
FLAGS = [
    # rule, severity, institution, record key, year, field, value, message, url
    (
        "flanders_size_min",
        "error",
        "ugent",
        "ugent:SMALL",
        2024,
        "credits_ects",
        "2",
        "Fewer than 3 credits: 2.",
        "https://studiekiezer.ugent.be/2024/small?tab=1&lang=en",
    ),
    (
        "flanders_size_max",
        "warning",
        "ugent",
        "ugent:LARGE",
        2024,
        "credits_ects",
        HOSTILE,
        f"More than 20 credits {HOSTILE} & \"quoted\" 'text'.",
        "javascript:alert(1)",
    ),
    (
        "credits_present",
        "warning",
        "ugent",
        "ugent:NONE",
        2025,
        "credits_ects",
        None,
        "Credits missing.",
        None,
    ),
    (
        "course_hours_band",
        "warning",
        "ugent",
        "ugent:C000001:2024",
        2024,
        "study_hours",
        "10",
        "10 h/credit.",
        None,
    ),
    (
        "netherlands_size_max",
        "error",
        "rug",
        "rug:BIG",
        2024,
        "credits_ects",
        "40",
        "40 EC is above 30.",
        None,
    ),
    ("volume_drop", "error", "rug", "rug", None, "programme_count", "5", "Only 5 programmes.", None),
    (
        "harvest_page",
        "warning",
        "rug",
        "rug:page-1",
        None,
        "page",
        "http_404",
        "Page missing.",
        ATTRIBUTE_BREAKER,
    ),
    ("harvest_page", "warning", None, "orphan:page", None, "page", "timeout", "No institution known.", None),
]
RUNS = [
    # run_id, source, published, status, reason, published_run_id
    (
        "20261101T040000Z-aaaaaa",
        "rug",
        True,
        "harvested",
        "published: an older run, superseded",
        "20261101T040000Z-aaaaaa",
    ),
    ("20261123T040000Z-bbbbbb", "rug", False, "blocked", UNPUBLISHED_REASON, "20261101T040000Z-aaaaaa"),
    (
        "20261123T040000Z-bbbbbb",
        "ugent",
        True,
        "harvested",
        "published: 3 programmes",
        "20261123T040000Z-bbbbbb",
    ),
]


def _insert_rules(con: duckdb.DuckDBPyConnection) -> None:
    for r in RULES.values():
        con.execute(
            "INSERT INTO rule (rule_id, severity, blocking, title, standard, citation, applies_to, record, explanation) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                r.rule_id,
                r.severity,
                r.blocking,
                r.title,
                r.standard,
                r.citation,
                list(r.applies_to),
                r.record,
                r.explanation,
            ],
        )


def _insert_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO institution (institution_id, name, country, region, qualification_framework, "
        "hours_per_credit_min, hours_per_credit_max, credits_min, credits_max, domains, website) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        INSTITUTIONS,
    )
    for registry_id, institution, year, credits, url in PROGRAMMES:
        con.execute(
            "INSERT INTO programme (registry_id, institution_id, academic_year, title, credits_ects, url, "
            "source_url, run_id, study_hours_derived) VALUES (?, ?, ?, ?, ?, ?, ?, 'r1', true)",
            [registry_id, institution, year, f"Title of {registry_id}", credits, url, url],
        )
    for key, institution, code, year, url in COURSE_UNITS:
        con.execute(
            "INSERT INTO course_unit (course_key, institution_id, code, academic_year, url, run_id) "
            "VALUES (?, ?, ?, ?, ?, 'r1')",
            [key, institution, code, year, url],
        )
    for row in FLAGS:
        con.execute(
            "INSERT INTO flag (run_id, rule_id, severity, institution_id, record_key, academic_year, field, value, "
            "message, url) VALUES ('r1', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(row),
        )
    for run_id, source, published, status, reason, published_run in RUNS:
        con.execute(
            "INSERT INTO run (run_id, source, started_at, pages_fetched, not_modified, errors, status, published, "
            "reason, published_run_id) VALUES (?, ?, now(), 120, 96, 3, ?, ?, ?, ?)",
            [run_id, source, status, published, reason, published_run],
        )


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "registry.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute((REPO / "warehouse" / "schema.sql").read_text())
        con.execute((REPO / "warehouse" / "views.sql").read_text())
        _insert_rules(con)
        _insert_rows(con)
    return path


class PageParser(HTMLParser):
    """One page as a browser reads it: unbalanced end tags, ids, links, the text shown, and the flagged records
    listed (the rule of the section a row is in, and the row's first cell: the record)."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.anchors: list[dict[str, str | None]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.flag_rows: list[tuple[str, str]] = []
        self._rule: str | None = None
        self._in_body = False
        self._cell = 0
        self._first_cell: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        values = dict(attrs)
        if tag == "section" and values.get("data-rule") is not None:
            self._rule = values["data-rule"]
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr":
            self._cell, self._first_cell = 0, []
        elif tag == "td":
            self._cell += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._rule is not None and self._in_body and self._cell == 1:
            self._first_cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "tr" and self._rule is not None and self._in_body:
            self.flag_rows.append((self._rule, "".join(self._first_cell)))
        elif tag == "tbody":
            self._in_body = False
        elif tag == "section":
            self._rule = None

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a":
            self.anchors.append(values)
            self.hrefs.append(values.get("href") or "")

    @property
    def text(self) -> str:
        return "".join(self.texts)


def parsed(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    parser.close()
    return parser


@dataclass
class Report:
    """The pages reached from the index by following its links, as a reader would (paths as URLs: '..' is
    resolved in the link, not on the disk), keyed by their path relative to the index's folder."""

    index: Path
    texts: dict[str, str]
    pages: dict[str, PageParser]

    @property
    def html(self) -> str:
        return "\n".join(self.texts.values())

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages.values())

    def page(self, suffix: str) -> str:
        [name] = [name for name in self.texts if name.endswith(suffix)]
        return self.texts[name]


def crawl(index: Path) -> Report:
    root = index.parent
    texts: dict[str, str] = {}
    pages: dict[str, PageParser] = {}
    todo = [index.name]
    while todo:
        name = todo.pop()
        if name in texts:
            continue
        texts[name] = (root / name).read_text(encoding="utf-8")
        pages[name] = parsed(texts[name])
        for href in pages[name].hrefs:
            if href.startswith(("#", "http://", "https://")):
                continue
            path = unquote(href.split("#")[0])
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
            assert (root / target).is_file(), f"{name} links to {href}, which is not there"
            todo.append(target)
    return Report(index, texts, pages)


@pytest.fixture
def written(warehouse: Path) -> Report:
    return crawl(write_quality_report(warehouse, now=NOW))


def test_report_is_written_beside_the_warehouse_as_an_index_and_a_page_per_institution(
    warehouse: Path, written: Report
):
    assert written.index == warehouse.with_name("quality_report.html")
    assert {"quality_report/ugent.html", "quality_report/rug.html"} <= set(written.texts)
    assert "quality_report/no-institution.html" in written.texts  # the flag tied to no institution
    assert (warehouse.parent / "quality_report" / "ugent.html").is_file()  # the address a steward bookmarks
    assert "2026-11-23 04:30 UTC" in written.texts["quality_report.html"]


def test_every_page_is_balanced_html5_without_parse_errors(written: Report):
    """html5rdf (html5lib's parser, locked with rdflib) applies the WHATWG parsing rules strictly."""
    strict = html5rdf.HTMLParser(strict=True)
    for name, text in written.texts.items():
        assert text.startswith("<!DOCTYPE html>"), name
        assert written.pages[name].problems == [] and written.pages[name].stack == [], name
        strict.parse(text)  # raises ParseError on the first error


def test_pages_are_self_contained(written: Report):
    """Nothing is fetched to show a page: no scripts, stylesheets, images or frames; the CSS is inline."""
    for name, page in written.pages.items():
        tags = {tag for tag, _ in page.tags}
        assert not tags & {"script", "link", "img", "iframe", "object", "embed"}, name
        assert not [tag for tag, attrs in page.tags if "src" in attrs or "srcset" in attrs], name
        assert "style" in tags, name
        css = written.texts[name].split("<style>")[1].split("</style>")[0]
        assert "@import" not in css and "url(" not in css, name


def test_every_flag_is_listed_once_under_its_rule_with_its_message(written: Report):
    listed = Counter(row for page in written.pages.values() for row in page.flag_rows)
    assert listed == Counter((rule, record) for rule, _, _, record, *_ in FLAGS)
    for *_, message, _ in FLAGS:
        assert message in written.text  # shown exactly as stored, quotes and all
    assert "No institution known." in written.page("no-institution-flags-1.html")  # not dropped


def test_rule_context_is_shown_with_the_flags(written: Report):
    page = parsed(written.page("ugent-flags-1.html")).text
    rule = RULES["flanders_size_min"]
    for words in (rule.title, rule.standard, rule.citation, rule.explanation):
        assert words in page


def test_latest_run_per_source_with_the_reason_it_was_not_published(written: Report):
    index = written.pages["quality_report.html"].text
    assert UNPUBLISHED_REASON in index
    assert "superseded" not in written.html  # only the latest run of each source is in the header
    assert "not published" in index


def test_index_summarises_each_institution_and_links_its_pages(written: Report):
    index = written.texts["quality_report.html"]
    hrefs = written.pages["quality_report.html"].hrefs
    for iid in ("ugent", "rug"):
        assert f"quality_report/{iid}.html" in hrefs
        assert f"quality_report/{iid}-flags-1.html" in hrefs
        assert f"quality_report/{iid}-offer-1.html" in hrefs
    # Ghent 2025-2026, its latest year: one programme, without credits: 'credits_present' is met by 0%.
    row = re.search(r'<tr id="inst-ugent".*?</tr>', index).group(0)
    assert "2025-2026" in row and "0.0%" in row and "credits_present" in row
    assert ">4 flags<" in row


def test_scraped_text_is_escaped(written: Report):
    text = written.html
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text  # the URL could not break out of its attribute
    assert "onerror=alert(2)&gt;" in text
    assert HOSTILE in written.text  # and the reader sees the characters as they were


def test_only_web_urls_become_links(written: Report):
    hrefs = [href for page in written.pages.values() for href in page.hrefs]
    for href in hrefs:
        assert not re.match(r"[a-z][a-z0-9+.-]*:", href) or href.startswith(("http://", "https://")), href
    assert "javascript:alert(1)" in written.text  # shown, as text
    assert not any("javascript" in href.lower() for href in hrefs)
    external = [a for page in written.pages.values() for a in page.anchors if "://" in (a.get("href") or "")]
    assert external and all(a.get("rel") == "noopener noreferrer" for a in external)


def test_flag_links_point_at_the_source_pages(written: Report):
    hrefs = {href for page in written.pages.values() for href in page.hrefs}
    assert "https://studiekiezer.ugent.be/2024/small?tab=1&lang=en" in hrefs  # the flag's own URL
    assert ATTRIBUTE_BREAKER in hrefs  # unescaped back by the parser: the attribute held it whole
    assert "https://studiekiezer.ugent.be/2025/none" in hrefs  # no flag URL: the programme's page
    assert "https://studiekiezer.ugent.be/2024/C000001" in hrefs  # no flag URL: the course unit's page
    assert "https://www.rug.nl/big" in hrefs


def test_chart_has_one_bar_per_flagged_rule(written: Report):
    for institution in ("ugent", "rug"):
        rules = {f[0] for f in FLAGS if f[2] == institution}
        text = written.page(f"/{institution}.html")
        match = re.search(rf'<svg[^>]*id="inst-{institution}-chart-svg".*?</svg>', text, re.DOTALL)
        assert match, institution
        svg = match.group(0)
        assert svg.count('<rect class="bar') == len(rules)
        assert svg.count("<title") == len(rules) + 1  # the chart's title and one per bar
        for rule_id in rules:
            assert f">{rule_id}</text>" in svg


def test_scorecard_and_annex_coverage_are_shown(written: Report):
    text = written.page("/ugent.html")
    assert '<tr class="below">' in text
    assert "50.0%" in text  # one of Ghent's two 2024 programmes is too small
    assert "type of quality assurance" in text  # an Annex I element nobody publishes here
    assert "Flemish size 3-20" in text and "Dutch size 3-30" in text
    assert "2024-2025" in text


def test_internal_links_resolve(written: Report):
    targets = set()
    for name, page in written.pages.items():
        for href in page.hrefs:
            if "://" in href:
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            if fragment:
                assert fragment in written.pages[target].ids, f"{name}: {href}"
                targets.add(fragment)
    assert {"runs", "rules", "rule-flanders_size_min", "inst-ugent-scorecard"} <= targets


def test_rules_appendix_lists_the_catalogue(written: Report):
    index = written.texts["quality_report.html"]
    appendix = index[index.index('<section id="rules">') :]
    for rule_id in RULES:
        assert f"<code>{rule_id}</code>" in appendix


def test_long_lists_are_paged_and_every_record_stays_reachable(warehouse: Path, monkeypatch):
    monkeypatch.setattr(report, "FLAGS_PER_PAGE", 2)
    monkeypatch.setattr(report, "OFFER_PER_PAGE", 1)
    written = crawl(write_quality_report(warehouse, now=NOW))
    ugent_flags = sorted(name for name in written.texts if re.search(r"/ugent-flags-\d+\.html$", name))
    assert ugent_flags == [f"quality_report/ugent-flags-{n}.html" for n in (1, 2)]  # 4 flags, 2 a page
    assert sum(len(written.pages[name].flag_rows) for name in ugent_flags) == 4
    assert all(len(written.pages[name].flag_rows) <= 2 for name in ugent_flags)
    listed = Counter(row for page in written.pages.values() for row in page.flag_rows)
    assert listed == Counter((rule, record) for rule, _, _, record, *_ in FLAGS)
    # Ghent's current offer (2025-2026) is one programme; its 2024 year is not the current offer.
    assert "quality_report/ugent-offer-1.html" in written.texts
    assert "quality_report/ugent-offer-2.html" not in written.texts


def test_a_huge_scraped_value_is_cut_and_cannot_swell_a_page(warehouse: Path):
    huge = HOSTILE * 400_000  # 10 MB of text, 20 MB escaped
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "INSERT INTO flag (run_id, rule_id, severity, institution_id, record_key, academic_year, field, value, "
            "message, url) VALUES ('r1', 'semester_parses', 'warning', 'ugent', 'ugent:SMALL', 2024, 'semester', "
            "?, ?, ?)",
            [huge, huge, "https://studiekiezer.ugent.be/" + "x" * 5_000],
        )
    written = crawl(write_quality_report(warehouse, now=NOW))
    for name in written.texts:
        assert (written.index.parent / name).stat().st_size < 2_000_000, name
    assert f"{len(huge)} characters in all" in written.text
    assert "<script" not in written.html.lower()


def test_records_with_long_texts_are_spread_over_more_pages(warehouse: Path):
    """Below the cut, 400 records of 2 x 1,900 characters that escape to 4 bytes each are ~6 MB of page:
    fewer than FLAGS_PER_PAGE records, yet more than one page holds them."""
    long = "<" * 1_900
    with duckdb.connect(str(warehouse)) as con:
        con.executemany(
            "INSERT INTO flag (run_id, rule_id, severity, institution_id, record_key, academic_year, field, "
            "value, message, url) VALUES ('r1', 'semester_parses', 'warning', 'rug', ?, 2024, 'semester', ?, ?, "
            "NULL)",
            [[f"rug:LONG{n}", long, long] for n in range(400)],
        )
    written = crawl(write_quality_report(warehouse, now=NOW))
    pages = [name for name in written.texts if "/rug-flags-" in name]
    assert len(pages) >= 3
    for name in pages:
        assert (written.index.parent / name).stat().st_size < 2_000_000, name
    assert sum(len(written.pages[name].flag_rows) for name in pages) == 400 + 3  # and rug's 3 others


# -- writing the set -----------------------------------------------------------------------------------------
def test_writing_leaves_no_temporary_files_and_keeps_one_previous_set(warehouse: Path, tmp_path: Path):
    out = tmp_path / "reports" / "steward.html"
    assert write_quality_report(warehouse, out, now=NOW) == out
    assert sorted(p.name for p in out.parent.iterdir()) == [".steward", "steward", "steward.html"]
    assert crawl(out).texts.keys() >= {"steward.html", "steward/ugent.html"}
    store = out.parent / ".steward"
    first = {p.name for p in store.iterdir()}
    assert len(first) == 2 and "current" in first  # the link and one set
    write_quality_report(warehouse, out, now=NOW)
    second = {p.name for p in store.iterdir()}
    assert first <= second and len(second) == 3  # the previous set stays for readers still in it
    write_quality_report(warehouse, out, now=NOW)
    third = {p.name for p in store.iterdir()}
    assert len(third) == 3 and not (first - {"current"}) & third
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("tmp-")]


def test_a_report_named_with_a_space_links_its_pages(warehouse: Path, tmp_path: Path):
    written = crawl(write_quality_report(warehouse, tmp_path / "steward report.html", now=NOW))
    assert "steward report/ugent-flags-1.html" in written.texts
    assert 'href="steward%20report/ugent.html"' in written.texts["steward report.html"]


def test_a_reader_in_the_previous_set_keeps_reading_it(warehouse: Path):
    index = write_quality_report(warehouse, now=NOW)
    old_page = (index.parent / "quality_report" / "rug.html").resolve()  # where an open page really is
    old_text = old_page.read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "UPDATE institution SET name = 'Rijksuniversiteit Groningen' WHERE institution_id = 'rug'"
        )
    write_quality_report(warehouse, now=NOW)
    assert old_page.read_text(encoding="utf-8") == old_text  # untouched: the switch is a link, not a rewrite
    assert "Rijksuniversiteit Groningen" in (index.parent / "quality_report" / "rug.html").read_text()
    assert "Rijksuniversiteit Groningen" in index.read_text()


def test_a_failed_write_keeps_the_previous_report(warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    index = write_quality_report(warehouse, now=NOW)
    before = crawl(index).texts
    listing = sorted(str(p.relative_to(warehouse.parent)) for p in warehouse.parent.rglob("*"))

    def refuse(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", refuse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "UPDATE institution SET name = 'Rijksuniversiteit Groningen' WHERE institution_id = 'rug'"
        )
    with pytest.raises(OSError):
        write_quality_report(warehouse, now=NOW)
    assert crawl(index).texts == before
    assert sorted(str(p.relative_to(warehouse.parent)) for p in warehouse.parent.rglob("*")) == listing


def test_a_single_page_report_of_an_earlier_version_is_replaced(warehouse: Path):
    index = warehouse.with_name("quality_report.html")
    index.write_text("the report as one page")
    write_quality_report(warehouse, now=NOW)
    assert index.is_symlink() and "Appendix: the rules" in index.read_text()


def test_a_folder_of_someone_else_in_the_way_is_left_alone(warehouse: Path):
    folder = warehouse.with_name("quality_report")
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write_quality_report(warehouse, now=NOW)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["quality_report", "registry.duckdb"]


def test_a_copied_data_folder_gets_its_report_rewritten(warehouse: Path, tmp_path: Path):
    """shutil.copytree (as the night tests do) copies what the links point at: real folders where links were."""
    write_quality_report(warehouse, now=NOW)
    copy = tmp_path / "copy"
    shutil.copytree(warehouse.parent, copy)
    assert not (copy / "quality_report").is_symlink()
    with duckdb.connect(str(copy / "registry.duckdb")) as con:
        con.execute(
            "UPDATE institution SET name = 'Rijksuniversiteit Groningen' WHERE institution_id = 'rug'"
        )
    written = crawl(write_quality_report(copy / "registry.duckdb", now=NOW))
    assert (copy / "quality_report").is_symlink() and (copy / ".quality_report" / "current").is_symlink()
    assert "Rijksuniversiteit Groningen" in written.page("/rug.html")
    assert len(list((copy / ".quality_report").glob("gen-*"))) == 1  # the copied sets are gone


# -- the bundled snapshot, and national size ---------------------------------------------------------------
@pytest.mark.slow
def test_the_snapshot_title_with_a_script_tag_shows_as_text_in_the_published_report(
    published_registry, tmp_path
):
    """The Antwerp snapshot's "<script>" title (scrapers/snapshot/README.md) is listed in the current offer,
    escaped: the browser shows the characters and runs nothing."""
    written = crawl(write_quality_report(published_registry / "registry.duckdb", tmp_path / "report.html"))
    offer = written.page("/uantwerpen-offer-1.html")
    assert "Micro-credential Cybersecurity Fundamentals: &lt;script&gt; Injection &amp; Web Defence" in offer
    assert "<script" not in written.html.lower()
    # The current offer lists every programme of each institution's latest year.
    assert offer.count('id="inst-uantwerpen-offer"') == 1 and "2025-2026: 30 programmes" in offer


# Copies of the bundled registry's rows that make a national warehouse: 232 programmes x 87 = 20,184,
# 302 course units x 332 = 100,264, 108 flags x 400 = 43,200 (the flag texts are the real checks' texts).
NATIONAL_COPIES = {"programme": 87, "course_unit": 332, "flag": 400}
KEYS = {"programme": ("registry_id",), "course_unit": ("course_key", "code"), "flag": ("record_key",)}


def national_warehouse(source: Path, target: Path, copies: dict[str, int] = NATIONAL_COPIES) -> Path:
    """A copy of ``source`` with every programme, course unit and flag repeated under new ids (in SQL)."""
    shutil.copy(source, target)
    with duckdb.connect(str(target)) as con:
        for table, times in copies.items():
            renamed = ", ".join(f"{key} || '~' || k AS {key}" for key in KEYS[table])
            con.execute(f"CREATE TEMP TABLE seed AS SELECT * FROM {table}")
            con.execute(f"DELETE FROM {table}")
            con.execute(
                f"INSERT INTO {table} SELECT seed.* REPLACE ({renamed}) FROM seed, range({times}) AS c(k)"
            )
            con.execute("DROP TABLE seed")
    return target


@pytest.mark.slow
def test_at_national_size_every_page_is_under_2_mb_and_every_flag_is_reachable(published_registry, tmp_path):
    warehouse = national_warehouse(published_registry / "registry.duckdb", tmp_path / "registry.duckdb")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(programmes, course_units, flags)] = con.execute(
            "SELECT (SELECT count(*) FROM programme), (SELECT count(*) FROM course_unit), (SELECT count(*) FROM flag)"
        ).fetchall()
        expected = Counter(con.execute("SELECT rule_id, record_key FROM flag").fetchall())
    assert programmes > 20_000 and course_units > 100_000 and flags > 40_000

    written = crawl(write_quality_report(warehouse, now=NOW))
    files = [p for p in (tmp_path / "quality_report").iterdir()]
    assert len(written.texts) == len(files) + 1  # every page is reached from the index
    for name in written.texts:
        assert (tmp_path / name).stat().st_size < 2_000_000, name
    listed = Counter(row for page in written.pages.values() for row in page.flag_rows)
    assert listed == expected
    for page in written.pages.values():
        assert len(page.flag_rows) <= report.FLAGS_PER_PAGE
    assert "<script" not in written.html.lower()
    assert written.html.count("Cybersecurity Fundamentals: &lt;script&gt; Injection") >= 87


# -- the new value forms on the current-offer pages (issue 12) ----------------------------------------------
class OfferTable(HTMLParser):
    """The rows of a current-offer page's table, each as its cells' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tbody":
            self._in_body = False


OFFER_COLUMNS = ("title", "credits", "languages", "semester", "dates", "fee", "errors", "warnings")


def offer_rows(written: Report, institution: str) -> list[dict[str, str]]:
    """Every listed programme of the institution's offer pages, in page order, keyed by column."""
    rows = []
    numbers = sorted(
        int(m[1]) for name in written.texts if (m := re.search(rf"/{institution}-offer-(\d+)\.html$", name))
    )
    for number in numbers:
        table = OfferTable()
        table.feed(written.page(f"/{institution}-offer-{number}.html"))
        rows += [dict(zip(OFFER_COLUMNS, cells, strict=True)) for cells in table.rows]
    return rows


def euros(amount: object) -> str:
    """How the report writes an amount: '€650', '€12.50' (written here independently of quality.report)."""
    return "€" + f"{float(amount):.2f}".removesuffix(".00")


def test_a_credit_range_fee_tiers_and_end_date_show_on_the_offer_page(warehouse: Path):
    """A programme with a range, tiers and a start-end span (values of our own fixture, in the forms of the
    snapshot's UAntwerp 'modelling-infectious-diseases' page) is listed with all of them."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "INSERT INTO programme (registry_id, institution_id, academic_year, title, credits_min, credits_max, "
            "fee_tiers, start_date, end_date, url, source_url, run_id) VALUES ('rug:TIERS', 'rug', 2024, "
            "'Tiered summer school', 2, 5, [{'label': 'PhD students', 'amount_eur': 300}, "
            "{'label': 'Others', 'amount_eur': 650}], DATE '2025-07-14', DATE '2025-07-18', "
            "'https://www.rug.nl/tiers', 'https://www.rug.nl/tiers', 'r1')"
        )
        [(low, high, tiers, start, end)] = con.execute(
            "SELECT credits_min, credits_max, fee_tiers, start_date, end_date FROM programme_search "
            "WHERE registry_id = 'rug:TIERS' AND is_current_year"
        ).fetchall()
    written = crawl(write_quality_report(warehouse, now=NOW))
    [row] = [r for r in offer_rows(written, "rug") if r["title"] == "Tiered summer school"]
    assert row["credits"] == f"{low:g}\u2013{high:g}" == "2\u20135"
    assert row["dates"] == f"{start.isoformat()} \u2013 {end.isoformat()}"
    assert [t["label"] for t in tiers] == ["PhD students", "Others"]
    assert row["fee"] == "; ".join(f"{t['label']}: {euros(t['amount_eur'])}" for t in tiers)


@pytest.mark.slow
def test_the_snapshot_offer_pages_show_credits_dates_and_fees_as_the_warehouse_holds_them(
    published_registry, tmp_path
):
    written = crawl(write_quality_report(published_registry / "registry.duckdb", tmp_path / "report.html"))
    with duckdb.connect(str(published_registry / "registry.duckdb"), read_only=True) as con:
        current = con.sql(
            "SELECT institution_id, title, credits_ects, credits_min, credits_max, start_date, end_date, fee_eur, "
            "fee_eur_derived, fee_fixed_eur, fee_per_credit_eur, fee_tiers FROM programme_search "
            "WHERE is_current_year ORDER BY institution_id, title, registry_id"
        ).fetchall()
    seen = Counter()
    for institution in ("ugent", "uantwerpen", "rug"):
        mine = [r for r in current if r[0] == institution]
        listed = offer_rows(written, institution)
        assert len(listed) == len(mine)
        for shown, (_, title, ects, low, high, start, end, fee, derived, fixed, rate, tiers) in zip(
            listed, mine, strict=True
        ):
            assert shown["title"] == title
            if ects is not None:
                assert shown["credits"] == f"{ects:g}"
            elif low is not None:
                assert shown["credits"] == (f"{low:g}" if low == high else f"{low:g}\u2013{high:g}")
            if start is not None and end is not None and start != end:
                assert shown["dates"] == f"{start.isoformat()} \u2013 {end.isoformat()}"
                seen["start and end"] += 1
            elif start is not None and end is None:
                assert shown["dates"] == f"from {start.isoformat()}"
            if fee is not None:
                assert shown["fee"].startswith(euros(fee))
                if derived:
                    assert (
                        f"{euros(fee)} (derived from {euros(fixed)} + {euros(rate)} per credit)"
                        in shown["fee"]
                    )
                    seen["derived"] += 1
                else:
                    assert "derived" not in shown["fee"]
            for tier in tiers or []:
                assert f"{tier['label']}: {euros(tier['amount_eur'])}" in shown["fee"]
    # The snapshot's current offer has both forms: the Ghent fee formulas and Groningen's dated courses.
    assert seen["derived"] > 50 and seen["start and end"] > 50
    filosofie = [r for r in offer_rows(written, "uantwerpen") if "Filosofie van de technologie" in r["title"]]
    assert len(filosofie) == 1 and "(derived from" in filosofie[0]["fee"]
