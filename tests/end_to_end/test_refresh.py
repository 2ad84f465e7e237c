"""`microcred refresh` end to end on the bundled snapshot: two nights, then a collapsed harvest."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter

import duckdb
import lxml.html
import pytest

from pipelines.cli import refresh
from tests.conftest import reference_catalogue, snapshot_file, temporary_dagster_home

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Two refreshes into the same data folder, with their printed summaries."""
    root = tmp_path_factory.mktemp("refresh")
    outputs = []
    with temporary_dagster_home(root), pytest.MonkeyPatch.context() as patch:
        for night in (1, 2):
            if night == 2:
                # Every page asked again (the revisit policy off): this night is about 304s and the parse memo.
                patch.setenv("MICROCRED_REVALIDATE_ALL", "1")
            out = io.StringIO()
            code = refresh(None, live=False, data_dir=root / "data", out=out)
            outputs.append((code, out.getvalue()))
            if night == 1:
                shutil.copy(root / "data" / "registry.duckdb", root / "night1.duckdb")
    return root / "data", outputs


def query(data_dir, sql, params=None):
    with duckdb.connect(str(data_dir / "registry.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_refresh_publishes_the_real_ghent_catalogue(nights):
    data_dir, outputs = nights
    assert [code for code, _ in outputs] == [0, 0]
    counts = dict(
        query(
            data_dir,
            "SELECT academic_year, count(*) FROM programme WHERE institution_id = 'ugent' GROUP BY 1",
        )
    )
    assert counts == {2022: 31, 2023: 71, 2024: 79}
    summary = outputs[0][1]
    assert "ugent" in summary and "PUBLISHED" in summary and "181" in summary


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_credits_and_languages_match_the_reference(nights, year):
    data_dir, _ = nights
    rows = {
        code: (credits, languages)
        for code, credits, languages in query(
            data_dir,
            "SELECT source_code, credits_ects, languages FROM programme WHERE academic_year = ?",
            [year],
        )
    }
    for record in reference_catalogue(year):
        credits, languages = rows[record["id"]]
        assert credits == pytest.approx(sum(record["ects"]))
        expected = []
        for cell in record["courses_languages"]:
            for code in filter(None, cell.split(",")):
                if code not in expected:
                    expected.append(code)
        assert (languages or []) == expected, record["id"]


def test_not_offered_course_rows_are_kept(nights):
    data_dir, _ = nights
    expected = Counter()
    for year in (2022, 2023, 2024):
        for record in reference_catalogue(year):
            tree = lxml.html.fromstring(snapshot_file(record["url"]).read_bytes())
            expected[year] += len(tree.xpath("//tr[contains(@class, 'nietaangeboden')]"))
    got = dict(
        query(data_dir, "SELECT academic_year, count(*) FROM programme_course WHERE NOT offered GROUP BY 1")
    )
    assert got == dict(expected)


def test_every_row_traces_back_to_its_page(nights):
    data_dir, _ = nights
    [(bad,)] = query(
        data_dir,
        """
        WITH page AS (SELECT *, split_part(split_part(source_url, '://', 2), '/', 1) AS host FROM programme)
        SELECT count(*) FROM page p JOIN institution i USING (institution_id)
        WHERE len(list_filter(i.domains, lambda d: p.host = d OR ends_with(p.host, '.' || d))) = 0
           OR body_sha256 IS NULL OR fetched_at IS NULL OR http_status <> 200 OR spider <> p.institution_id
           OR run_id IS NULL""",
    )
    assert bad == 0
    [(raw, programmes)] = query(
        data_dir, "SELECT (SELECT count(*) FROM raw_programme), count(*) FROM programme"
    )
    # Every raw record is kept; a duplicate registry id (planted) keeps one row in programme.
    [(dropped,)] = query(
        data_dir,
        "SELECT count(*) - count(DISTINCT record_key) FROM flag WHERE rule_id = 'registry_id_unique'",
    )
    assert raw == programmes + dropped
    [(unmatched,)] = query(
        data_dir,
        """
        SELECT count(*) FROM programme p ANTI JOIN raw_programme r
        ON r.record->>'source_url' = p.source_url AND r.run_id = p.run_id""",
    )
    assert unmatched == 0


def test_second_night_is_revalidated_and_changes_nothing(nights):
    data_dir, _ = nights
    runs = query(
        data_dir, "SELECT run_id, source, pages_fetched, not_modified, published FROM run ORDER BY ALL"
    )
    nights_run = sorted({run_id for run_id, *_ in runs})
    assert len(nights_run) == 2 and all(published for *_, published in runs)
    memo = [0, 0]  # pages replayed, pages parsed
    for run_id, source, pages, not_modified, _ in runs:
        if run_id == nights_run[1]:
            assert not_modified >= 0.95 * pages, source
            # Nothing changed, so almost nothing is parsed again: the pages the spider got are replayed from
            # the parse memo. An Antwerp programme listed on two listing pages carries the card of whichever
            # listing reached it first; when that differs from last night its pages are parsed again (their
            # inputs differ), which only the load on the machine decides.
            stats = json.loads((data_dir / "raw" / run_id / source / "crawl_stats.json").read_text())["stats"]
            replayed, parsed = (stats.get(f"microcred/parse_memo/{k}", 0) for k in ("replayed", "parsed"))
            assert replayed + parsed <= not_modified and replayed >= 0.5 * (replayed + parsed), source
            memo[0] += replayed
            memo[1] += parsed
    assert memo[0] >= 0.85 * sum(memo)  # of all the pages the spiders got, almost all were replayed
    [(programmes,)] = query(data_dir, "SELECT count(*) FROM programme")
    assert query(data_dir, "SELECT change, count(*) FROM programme_history GROUP BY 1") == [
        ("added", programmes)
    ]


def test_ghent_flags_point_at_the_authored_hours_outliers_only(nights):
    data_dir, _ = nights
    flags = query(
        data_dir, "SELECT rule_id, severity, count(*) FROM flag WHERE institution_id = 'ugent' GROUP BY ALL"
    )
    assert all(severity != "error" for _, severity, _ in flags)
    # Authored: some sheets at 36 h per credit, and practical-information fields left out on some pages
    # (scrapers/snapshot/README.md); the real catalogue itself breaks no rule.
    assert {rule for rule, _, _ in flags} <= {"course_hours_band", "annex_i_completeness"}


def test_every_source_is_published_and_logged(nights):
    data_dir, _ = nights
    from registry.institutions import HARVESTED_SOURCES

    runs = query(data_dir, "SELECT source, count(*), bool_and(published) FROM run GROUP BY 1 ORDER BY 1")
    assert runs == [(source, 2, True) for source in sorted(HARVESTED_SOURCES)]


def test_groningen_unknown_hours_stay_unknown(nights):
    """Ocasys publishes hours: -1 when it does not know them: unknown, never the number -1."""
    data_dir, _ = nights
    rows = query(
        data_dir,
        """
        SELECT study_hours, study_hours_raw, study_hours_reason FROM course_unit
        WHERE institution_id = 'rug' AND study_hours_raw = '-1'""",
    )
    assert rows and all(row == (None, "-1", "negative_sentinel") for row in rows)
    [(negative,)] = query(data_dir, "SELECT count(*) FROM course_unit WHERE study_hours < 0")
    assert negative == 0


def test_groningen_planted_violations_are_flagged(nights):
    data_dir, _ = nights
    flagged = set(query(data_dir, "SELECT rule_id, record_key FROM flag WHERE institution_id = 'rug'"))
    assert ("netherlands_size_min", "rug:frisian-language-and-culture") in flagged
    assert ("netherlands_size_max", "rug:WMEE935-35") in flagged
    assert ("programme_hours_band", "rug:healthy-ageing-professionals") in flagged


def test_antwerp_planted_violations_are_flagged(nights):
    data_dir, _ = nights
    flagged = set(query(data_dir, "SELECT rule_id, record_key FROM flag WHERE institution_id = 'uantwerpen'"))
    assert ("flanders_size_min", "uantwerpen:micro-credential-research-data-management") in flagged
    assert ("flanders_size_max", "uantwerpen:micro-credential-bedrijfskunde-voor-ingenieurs") in flagged
    assert ("course_unit_sum", "uantwerpen:micro-credential-bemiddeling") in flagged
    assert ("programme_hours_band", "uantwerpen:micro-credential-arbeidsgeneeskunde") in flagged
    assert ("course_hours_band", "uantwerpen:2101GGWAPA:2025") in flagged


def test_antwerp_course_units_merge_programme_specs_and_course_sheets(nights):
    data_dir, _ = nights
    rows = query(
        data_dir,
        """
        SELECT count(*), count(*) FILTER (len(learning_outcomes) > 0), count(*) FILTER (len(lecturers) > 0),
               count(*) FILTER (study_hours IS NOT NULL)
        FROM course_unit WHERE institution_id = 'uantwerpen'""",
    )
    units, with_outcomes, with_lecturers, with_hours = rows[0]
    # 53 units; one sheet answers 404, so its outcomes are unknown but its specs are kept.
    assert units == 53 and with_outcomes == 52 and with_lecturers == 53 and with_hours == 53


# The rule violations planted in the snapshot on purpose (scrapers/snapshot/README.md), error level only.
PLANTED_ERRORS = {
    ("flanders_size_min", "uantwerpen:micro-credential-research-data-management"),
    ("course_unit_sum", "uantwerpen:micro-credential-bemiddeling"),
    ("course_language_iso", "uantwerpen:2000LETOOU:2025"),
    ("netherlands_size_min", "rug:frisian-language-and-culture"),
    ("netherlands_size_max", "rug:WMEE935-35"),
    ("language_iso", "rug:LHU926M05"),
    ("course_language_iso", "rug:LHU926M05:2025"),
    ("registry_id_unique", "rug:energy-transition-in-practice"),
    ("url_own_domain", "rug:water-governance-in-practice-groningen"),
}
PLANTED_WARNINGS = {
    ("flanders_size_max", "uantwerpen:micro-credential-bedrijfskunde-voor-ingenieurs"),
    ("programme_hours_band", "uantwerpen:micro-credential-arbeidsgeneeskunde"),
    ("programme_hours_band", "rug:healthy-ageing-professionals"),
    ("annex_i_completeness", "uantwerpen:micro-credential-art-in-public-space"),
    ("annex_i_completeness", "rug:WBMA928-05"),
}


def test_every_planted_violation_is_flagged_and_nothing_else_is_an_error(nights):
    data_dir, _ = nights
    errors = set(query(data_dir, "SELECT rule_id, record_key FROM flag WHERE severity = 'error'"))
    assert errors == PLANTED_ERRORS
    warnings = set(query(data_dir, "SELECT rule_id, record_key FROM flag WHERE severity = 'warning'"))
    assert PLANTED_WARNINGS <= warnings


def test_duplicate_registry_id_keeps_one_row_and_flags_both_pages(nights):
    data_dir, _ = nights
    [(rows,)] = query(
        data_dir, "SELECT count(*) FROM programme WHERE registry_id = 'rug:energy-transition-in-practice'"
    )
    flagged = query(
        data_dir,
        """
        SELECT value FROM flag WHERE rule_id = 'registry_id_unique' ORDER BY value""",
    )
    [(raw,)] = query(
        data_dir,
        """
        SELECT count(*) FROM raw_programme WHERE record->>'source_code' = 'energy-transition-in-practice'""",
    )
    assert rows == 1 and len(flagged) == 2 and raw == 2
    assert {value for (value,) in flagged} == {
        "https://www.rug.nl/education/summer-winter-schools/energy-transition-in-practice/",
        "https://www.rug.nl/education/summer-winter-schools/energy-transition-in-practice/?lang=en",
    }


def test_rules_are_readable_as_a_table_and_scored(nights):
    data_dir, _ = nights
    from quality.rules import RULES

    assert {rule for (rule,) in query(data_dir, "SELECT rule_id FROM rule")} == set(RULES)
    [(share,)] = query(
        data_dir,
        """
        SELECT share_meeting FROM scorecard
        WHERE institution_id = 'uantwerpen' AND academic_year = 2025 AND rule_id = 'flanders_size_min'""",
    )
    [(programmes,)] = query(
        data_dir,
        """
        SELECT count(*) FROM programme WHERE institution_id = 'uantwerpen' AND academic_year = 2025""",
    )
    assert share == pytest.approx(1 - 1 / programmes, abs=1e-4)
    side = query(
        data_dir,
        "SELECT institution_id, sum(meets_flanders_size_3_20), sum(meets_netherlands_size_3_30) "
        "FROM rules_side_by_side GROUP BY 1 ORDER BY 1",
    )
    assert [institution for institution, *_ in side] == ["rug", "uantwerpen", "ugent"]
    # The report is an index and a page per institution; the flagged records are on the latter.
    pages = [data_dir / "quality_report.html", *sorted((data_dir / "quality_report").glob("*.html"))]
    report = "".join(page.read_text() for page in pages)
    assert "rug:WMEE935-35" in report and "<script" not in report.lower()


@pytest.fixture(scope="module")
def changed_layout(tmp_path_factory):
    """Night 1 as published; night 2 the Antwerp listing pages have a new layout (no cards the spider knows)."""
    from scrapers.snapshot.server import Route, SnapshotServer

    root = tmp_path_factory.mktemp("layout")
    outputs = []
    with temporary_dagster_home(root), SnapshotServer() as server:
        outputs.append(
            refresh(["uantwerpen"], False, root / "data", out=io.StringIO(), snapshot_url=server.base_url)
        )
        redesigned = root / "redesigned.html"
        redesigned.write_text(
            "<html><body><div class='new-grid'><p>Our offer has moved.</p></div></body></html>"
        )
        for key, route in list(server.routes.items()):
            if "/alle-opleidingen/" in route.public_url or "/all-programmes/?" in route.public_url:
                server.routes[key] = Route(
                    route.public_url,
                    redesigned,
                    route.content_type,
                    route.last_modified.replace(year=route.last_modified.year + 1),
                )
        outputs.append(
            refresh(["uantwerpen"], False, root / "data", out=io.StringIO(), snapshot_url=server.base_url)
        )
    return root / "data", outputs


def test_a_changed_layout_is_not_published_and_the_last_good_data_stays(changed_layout):
    data_dir, outputs = changed_layout
    assert outputs == [0, 1]  # night 2 published nothing new: non-zero exit
    [(programmes,)] = query(data_dir, "SELECT count(*) FROM programme WHERE institution_id = 'uantwerpen'")
    assert programmes == 34
    runs = query(
        data_dir, "SELECT status, published, reason FROM run WHERE source = 'uantwerpen' ORDER BY run_id"
    )
    assert [(status, published) for status, published, _ in runs] == [("harvested", True), ("blocked", False)]
    assert "previous data kept" in runs[1][2]
    [(rule, severity)] = query(data_dir, "SELECT rule_id, severity FROM flag WHERE rule_id = 'volume_drop'")
    assert (rule, severity) == ("volume_drop", "error")
    report = (data_dir / "quality_report.html").read_text()
    assert "previous data kept" in report


# Columns that name the run or the moment of fetching; everything else must be identical night to night.
RUN_COLUMNS = {"run_id", "fetched_at", "last_verified_at", "published_run_id"}


@pytest.mark.parametrize("table", ["programme", "course_unit", "programme_course", "flag", "harvest_issue"])
def test_the_same_night_twice_gives_identical_tables(nights, table):
    data_dir, _ = nights
    night1 = data_dir.parent / "night1.duckdb"
    with duckdb.connect(str(night1), read_only=True) as con:
        columns = [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if c not in RUN_COLUMNS
        ]
        listing = ", ".join(columns)
        first = con.execute(f"SELECT {listing} FROM {table} ORDER BY ALL").fetchall()
    second = query(data_dir, f"SELECT {listing} FROM {table} ORDER BY ALL")
    assert first == second
