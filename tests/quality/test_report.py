"""The quality report on a small hand-made warehouse: content, escaping, links, chart and atomic writing."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

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


class TagBalance(HTMLParser):
    """Collects tags, ids and links, and records every end tag that does not close the open element."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.anchors: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a":
            self.anchors.append(values)
            self.hrefs.append(values.get("href") or "")


def parsed(text: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture
def written(warehouse: Path) -> tuple[Path, str]:
    path = report.write_report(warehouse, now=NOW)
    return path, path.read_text(encoding="utf-8")


def test_report_is_written_beside_the_warehouse_as_balanced_html(warehouse: Path, written: tuple[Path, str]):
    path, text = written
    assert path == warehouse.with_name("quality_report.html")
    assert text.startswith("<!DOCTYPE html>")
    parser = parsed(text)
    assert parser.problems == []
    assert parser.stack == []
    assert "2026-11-23 04:30 UTC" in text


def test_every_flag_is_listed_with_its_message(written: tuple[Path, str]):
    _, text = written
    for _, _, _, record_key, _, _, _, message, _ in FLAGS:
        assert html.escape(record_key, quote=True) in text
        assert html.escape(message, quote=True) in text
    assert "No institution known." in text  # a flag without institution is not dropped


def test_rule_context_is_shown_with_the_flags(written: tuple[Path, str]):
    _, text = written
    rule = RULES["flanders_size_min"]
    for words in (rule.title, rule.standard, rule.citation, rule.explanation):
        assert html.escape(words, quote=True) in text


def test_latest_run_per_source_with_the_reason_it_was_not_published(written: tuple[Path, str]):
    _, text = written
    assert html.escape(UNPUBLISHED_REASON, quote=True) in text
    assert "superseded" not in text  # only the latest run of each source is in the header
    assert "not published" in text


def test_scraped_text_is_escaped(written: tuple[Path, str]):
    _, text = written
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text  # the URL could not break out of its attribute
    assert "onerror=alert(2)&gt;" in text


def test_only_web_urls_become_links(written: tuple[Path, str]):
    _, text = written
    parser = parsed(text)
    for href in parser.hrefs:
        assert href.startswith(("#", "http://", "https://")), href
    assert "javascript:alert(1)" in text  # shown, as text
    assert not any("javascript" in href.lower() for href in parser.hrefs)
    external = [a for a in parser.anchors if not (a.get("href") or "").startswith("#")]
    assert external and all(a.get("rel") == "noopener noreferrer" for a in external)


def test_flag_links_point_at_the_source_pages(written: tuple[Path, str]):
    _, text = written
    hrefs = set(parsed(text).hrefs)
    assert "https://studiekiezer.ugent.be/2024/small?tab=1&lang=en" in hrefs  # the flag's own URL
    assert ATTRIBUTE_BREAKER in hrefs  # unescaped back by the parser: the attribute held it whole
    assert "https://studiekiezer.ugent.be/2025/none" in hrefs  # no flag URL: the programme's page
    assert "https://studiekiezer.ugent.be/2024/C000001" in hrefs  # no flag URL: the course unit's page
    assert "https://www.rug.nl/big" in hrefs


def test_chart_has_one_bar_per_flagged_rule(written: tuple[Path, str]):
    _, text = written
    for institution in ("ugent", "rug"):
        rules = {f[0] for f in FLAGS if f[2] == institution}
        match = re.search(rf'<svg[^>]*id="inst-{institution}-chart-svg".*?</svg>', text, re.DOTALL)
        assert match, institution
        svg = match.group(0)
        assert svg.count('<rect class="bar') == len(rules)
        assert svg.count("<title") == len(rules) + 1  # the chart's title and one per bar
        for rule_id in rules:
            assert f">{rule_id}</text>" in svg


def test_scorecard_and_annex_coverage_are_shown(written: tuple[Path, str]):
    _, text = written
    assert '<tr class="below">' in text
    assert "50.0%" in text  # one of Ghent's two 2024 programmes is too small
    assert "type of quality assurance" in text  # an Annex I element nobody publishes here
    assert "Flemish size 3-20" in text and "Dutch size 3-30" in text
    assert "2024-2025" in text


def test_internal_links_resolve(written: tuple[Path, str]):
    _, text = written
    parser = parsed(text)
    targets = {href[1:] for href in parser.hrefs if href.startswith("#")}
    assert {"runs", "rules", "inst-ugent", "inst-rug", "inst-other"} <= targets
    assert targets <= parser.ids


def test_rules_appendix_lists_the_catalogue(written: tuple[Path, str]):
    _, text = written
    appendix = text[text.index('<section id="rules">') :]
    for rule_id in RULES:
        assert f"<code>{rule_id}</code>" in appendix


def test_writing_leaves_no_temporary_files(warehouse: Path, tmp_path: Path):
    out = tmp_path / "reports" / "steward.html"
    assert report.write_report(warehouse, out, now=NOW) == out
    assert sorted(p.name for p in out.parent.iterdir()) == ["steward.html"]
    report.write_report(warehouse, now=NOW)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_write_keeps_the_previous_report(warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    target = warehouse.with_name("quality_report.html")
    target.write_text("previous report")

    def refuse(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", refuse)
    with pytest.raises(OSError):
        report.write_report(warehouse, now=NOW)
    assert target.read_text() == "previous report"
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["quality_report.html", "registry.duckdb"]


@pytest.mark.slow
def test_the_snapshot_title_with_a_script_tag_shows_as_text_in_the_published_report(
    published_registry, tmp_path
):
    """The Antwerp snapshot's "<script>" title (scrapers/snapshot/README.md) is listed in the current offer,
    escaped: the browser shows the characters and runs nothing."""
    text = report.write_report(published_registry / "registry.duckdb", tmp_path / "report.html").read_text()
    assert "Micro-credential Cybersecurity Fundamentals: &lt;script&gt; Injection &amp; Web Defence" in text
    assert "<script" not in text.lower()
    # The current offer lists every programme of each institution's latest year.
    assert text.count('id="inst-uantwerpen-offer"') == 1 and "2025-2026: 30 programmes" in text
