"""The analyst views, the warehouse's own documentation and the README's queries, on a published warehouse.

Each view is checked against an independent computation over the base tables, so a view that drops or
double-counts rows fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from warehouse.dictionary import DICTIONARY_FILE, VIEWS, document, empty_warehouse, render

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def con(published_registry):
    with duckdb.connect(str(published_registry / "registry.duckdb"), read_only=True) as connection:
        yield connection


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def credits_band(credits: float | None) -> str:
    if credits is None:
        return "unknown"
    for label, top in (("3–6", 6), ("6–10", 10), ("10–20", 20), ("20–30", 30)):
        if 3 <= credits <= top:
            return label
    return "< 3" if credits < 3 else "> 30"


def test_credits_distribution_counts_every_programme_once(con):
    bands = Counter()
    for institution, year, band, programmes in rows(
        con, "SELECT institution_id, academic_year, credits_band, programmes FROM credits_distribution"
    ):
        bands[(institution, year, band)] += programmes
    expected = Counter(
        (institution, year, credits_band(credits))
        for institution, year, credits in rows(
            con, "SELECT institution_id, academic_year, credits_ects FROM programme"
        )
    )
    assert bands == expected


def test_language_offer_counts_each_language_of_each_programme(con):
    shown = {(i, y, lang): n for i, y, lang, n in rows(con, "SELECT * FROM language_offer")}
    expected = Counter()
    for institution, year, languages in rows(
        con, "SELECT institution_id, academic_year, languages FROM programme"
    ):
        for language in languages or ["unknown"]:
            expected[(institution, year, language)] += 1
    assert shown == dict(expected)
    assert ("ugent", 2024, "en") in shown


def test_semester_offer_adds_up_to_the_programmes(con):
    shown = Counter()
    for institution, year, semester, programmes in rows(
        con, "SELECT institution_id, academic_year, semester, programmes FROM semester_offer"
    ):
        shown[(institution, year, semester)] += programmes
    expected = Counter(
        (i, y, s or "unknown")
        for i, y, s in rows(con, "SELECT institution_id, academic_year, semester FROM programme")
    )
    assert shown == expected


def test_offer_by_refresh_after_one_refresh_is_the_published_offer(con):
    trend = {i: (n, d) for _, _, i, n, d in rows(con, "SELECT * FROM offer_by_refresh")}
    expected = {
        i: (n, d)
        for i, n, d in rows(
            con, "SELECT institution_id, count(*), count(DISTINCT registry_id) FROM programme GROUP BY 1"
        )
    }
    assert trend == expected


def test_changes_between_a_run_and_itself_is_empty_and_from_the_start_is_everything(con):
    (run_id,) = rows(con, "SELECT DISTINCT run_id FROM run")[0]
    assert rows(con, "SELECT count(*) FROM changes_between(?, ?)", [run_id, run_id]) == [(0,)]
    everything = rows(con, "SELECT change, count(*) FROM changes_between('', ?) GROUP BY 1", [run_id])
    assert everything == [("added", rows(con, "SELECT count(*) FROM programme")[0][0])]


def test_flag_detail_has_one_row_per_flag_with_its_explanation_and_page(con):
    assert rows(con, "SELECT count(*) FROM flag_detail") == rows(con, "SELECT count(*) FROM flag")
    missing = rows(
        con,
        """SELECT rule_id, record_key FROM flag_detail
        WHERE explanation IS NULL OR url IS NULL OR (record_kind <> 'harvest' AND record_title IS NULL)""",
    )
    assert missing == []


def test_programme_search_is_one_row_per_programme_with_its_flags(con):
    assert rows(con, "SELECT count(*) FROM programme_search") == rows(con, "SELECT count(*) FROM programme")
    shown = {
        (key, year): (errors, warnings, rules)
        for key, year, errors, warnings, rules in rows(
            con,
            "SELECT registry_id, academic_year, errors, warnings, rules_broken FROM programme_search "
            "WHERE errors + warnings > 0",
        )
    }
    expected: dict = {}
    for key, year, severity, rule in rows(
        con,
        """SELECT f.record_key, f.academic_year, f.severity, f.rule_id FROM flag f JOIN rule r USING (rule_id)
        WHERE r.record = 'programme' AND f.severity IN ('error', 'warning')""",
    ):
        errors, warnings, rules = expected.get((key, year), (0, 0, set()))
        expected[(key, year)] = (
            errors + (severity == "error"),
            warnings + (severity == "warning"),
            rules | {rule},
        )
    assert {k: (e, w, sorted(r)) for k, (e, w, r) in expected.items()} == shown


def test_the_script_title_is_stored_as_text(con):
    assert rows(
        con,
        "SELECT title FROM programme_search WHERE registry_id = 'uantwerpen:micro-credential-cybersecurity-fundamentals'",
    ) == [("Micro-credential Cybersecurity Fundamentals: <script> Injection & Web Defence",)]


# -- documentation inside the warehouse ----------------------------------------------------------------------


def test_every_table_view_and_column_of_the_published_warehouse_has_a_comment(con):
    undocumented = rows(
        con,
        """SELECT table_name FROM duckdb_tables() WHERE NOT internal AND coalesce(comment, '') = ''
        UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND coalesce(comment, '') = ''
        UNION ALL SELECT table_name || '.' || column_name FROM duckdb_columns()
        WHERE NOT internal AND coalesce(comment, '') = ''""",
    )
    assert undocumented == []
    documented = {name for (name,) in rows(con, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}
    assert documented <= set(VIEWS)


def test_document_reports_what_it_cannot_describe():
    con = empty_warehouse()
    con.execute("CREATE TABLE scratch (mystery_column INTEGER)")
    assert document(con) == ["scratch", "scratch.mystery_column"]


def test_the_committed_data_dictionary_is_up_to_date():
    assert DICTIONARY_FILE.read_text(encoding="utf-8") == render(empty_warehouse()), (
        "run `python -m warehouse.dictionary --write`"
    )


# -- the README's queries, as written ------------------------------------------------------------------------


def readme_queries() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    statements = []
    for block in re.findall(r"```sql\n(.*?)```", text, flags=re.S):
        for statement in block.split(";"):
            code = [
                line for line in statement.splitlines() if line.strip() and not line.strip().startswith("--")
            ]
            if code:
                statements.append(statement.strip())
    return statements


def test_the_readme_has_example_queries():
    assert len(readme_queries()) >= 8


@pytest.mark.parametrize("query", readme_queries(), ids=lambda q: q.splitlines()[0][:60])
def test_every_readme_query_runs_as_written(con, query):
    con.execute(query).fetchall()


def test_the_newcomers_question_has_an_answer(con):
    """English-taught, at most 6 credits, 2024-2025: per institution, and which break a rule."""
    query = readme_queries()[0]
    answer = {institution: (n, breaking) for institution, n, breaking in rows(con, query)}
    expected = Counter()
    breaking = Counter()
    for institution, languages, credits, key, year in rows(
        con, "SELECT institution_id, languages, credits_ects, registry_id, academic_year FROM programme"
    ):
        if year == 2024 and "en" in (languages or []) and credits is not None and credits <= 6:
            expected[institution] += 1
            flagged = rows(
                con,
                "SELECT count(*) FROM flag WHERE record_key = ? AND academic_year = ? "
                "AND severity IN ('error', 'warning')",
                [key, year],
            )[0][0]
            breaking[institution] += flagged > 0
    assert answer == {i: (expected[i], breaking[i]) for i in expected}
    assert set(answer) == {"ugent", "uantwerpen", "rug"}


def microcred_sql(data_dir: Path, query: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sql", query],
        env={"MICROCRED_DATA_DIR": str(data_dir), "PATH": ""},
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_microcred_sql_prints_a_query_result(published_registry):
    result = microcred_sql(published_registry, "SELECT count(*) AS n FROM programme_current")
    assert result.returncode == 0, result.stderr
    assert "120" in result.stdout


def test_microcred_sql_fails_clearly_without_a_warehouse(tmp_path):
    result = microcred_sql(tmp_path, "SELECT 1")
    assert result.returncode == 1 and "No warehouse has been published yet" in result.stderr


def test_the_readme_python_example_runs_as_written(published_registry, tmp_path):
    """The Python block opens ``data/registry.duckdb`` relative to the repository: run it from a folder
    laid out the same way."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "registry.duckdb").symlink_to(published_registry / "registry.duckdb")
    for block in blocks:
        code = "\n".join(line.removeprefix("  ") for line in block.splitlines())
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert result.returncode == 0, result.stderr
