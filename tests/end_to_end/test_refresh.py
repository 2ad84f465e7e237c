"""`microcred refresh` end to end on the bundled snapshot: two nights, then a collapsed harvest."""

from __future__ import annotations

import io
import os
from collections import Counter

import duckdb
import lxml.html
import pytest

from pipelines.cli import refresh
from tests.conftest import reference_catalogue, snapshot_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Two refreshes into the same data folder, with their printed summaries."""
    root = tmp_path_factory.mktemp("refresh")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        outputs = []
        for _ in range(2):
            out = io.StringIO()
            code = refresh(None, live=False, data_dir=root / "data", out=out)
            outputs.append((code, out.getvalue()))
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous
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
        SELECT count(*) FROM programme
        WHERE url NOT LIKE 'https://studiekiezer.ugent.be/%' OR body_sha256 IS NULL OR fetched_at IS NULL
           OR http_status <> 200 OR spider <> 'ugent' OR run_id IS NULL""",
    )
    assert bad == 0
    [(raw,)] = query(data_dir, "SELECT count(*) FROM raw_programme")
    assert raw == 181
    [(unmatched,)] = query(
        data_dir,
        """
        SELECT count(*) FROM programme p ANTI JOIN raw_programme r
        ON r.record->>'source_url' = p.source_url AND r.run_id = p.run_id""",
    )
    assert unmatched == 0


def test_second_night_is_revalidated_and_changes_nothing(nights):
    data_dir, _ = nights
    runs = query(data_dir, "SELECT pages_fetched, not_modified, published FROM run ORDER BY run_id")
    assert len(runs) == 2 and all(published for *_, published in runs)
    pages, not_modified, _ = runs[1]
    assert not_modified >= 0.95 * pages
    assert query(data_dir, "SELECT change, count(*) FROM programme_history GROUP BY 1") == [("added", 181)]


def test_flags_point_at_the_authored_hours_outliers_only(nights):
    data_dir, _ = nights
    flags = query(data_dir, "SELECT rule_id, severity, count(*) FROM flag GROUP BY ALL")
    assert all(severity != "error" for _, severity, _ in flags)
    assert {rule for rule, _, _ in flags} <= {"course_hours_band"}
