"""The warehouse explains itself: a DuckDB comment on every table, view, macro and column, and a data
dictionary generated from those comments.

Tables and their columns are described once, in the table specification (``registry.tables``), which also
describes every column name that means the same thing wherever it appears (``credits_ects`` is always ECTS
credits). The views, the macro and the view columns that use a name in their own sense are described here.
``document()`` writes them into a warehouse as ``COMMENT ON`` statements and returns what it could not
describe, so a new column without a description fails the tests instead of shipping undocumented.

``python -m warehouse.dictionary`` (or ``microcred dictionary``) prints the dictionary as Markdown; the
committed ``docs/data_dictionary.md`` is that output, and a test keeps the two equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from registry.institutions import FLANDERS, NETHERLANDS
from registry.tables import DESCRIPTIONS, TABLES, ddl, sql_string

SQL_DIR = Path(__file__).resolve().parent
REPO_ROOT = SQL_DIR.parent
DICTIONARY_FILE = REPO_ROOT / "docs" / "data_dictionary.md"

# The views and the macro (the tables' own descriptions are in the specification).
VIEWS: dict[str, str] = {
    "programme_current": "The programmes of each institution's latest academic year: the current offer.",
    "flag_summary": "Flags counted per institution and rule.",
    "offer_by_year": "The offer per institution and academic year: programmes, total and median credits.",
    "scorecard": "The quality scorecard: per institution, academic year and applicable rule, how many "
    "records were checked, how many break the rule and the share that meets it.",
    "annex_i_coverage": "EU Council Recommendation 2022/C 243/02, Annex I: the share of programmes that "
    "publish each catalogue-level element (mandatory and optional).",
    "rules_side_by_side": f"The Flemish ({FLANDERS.credits_min:g}-{FLANDERS.credits_max:g} credits, "
    f"{FLANDERS.hours_band} h per credit) and Dutch ({NETHERLANDS.credits_min:g}-{NETHERLANDS.credits_max:g} "
    f"EC, {NETHERLANDS.hours_band} h per EC) rules applied side by side to every institution's programmes.",
    "credits_distribution": "Programmes per credits band, institution and academic year. Bands include their "
    "upper bound: 3-6 holds 3 and 6.",
    "language_offer": "Programmes per language of instruction, institution and academic year; a programme "
    "taught in two languages counts once for each.",
    "semester_offer": "Programmes per semester, institution and academic year.",
    "offer_by_refresh": "The trend over refreshes: how many programme records each institution had in the "
    "registry after each refresh that published it.",
    "programme_changes": "Every recorded change to a programme (added, changed with the fields, withdrawn), "
    "newest first. Filter on changed_at for 'what changed since last month'.",
    "flag_detail": "Every flag with its rule's explanation and standard, the record's title and its source "
    "page: the drill-down behind the scorecard.",
    "programme_search": "One row per programme and academic year, ready to search across institutions: "
    "institution, language, credits, semester, area, start date, free text over title and learning outcomes, "
    "and the rules it breaks.",
    # Macros.
    "changes_between": "Table macro: changes_between(from_run, to_run) lists the programme changes recorded "
    "after run from_run, up to and including run to_run.",
}

# View columns that use a name in their own sense (any other view column is described by its name).
VIEW_COLUMNS: dict[tuple[str, str], str] = {
    ("flag_summary", "title"): "The rule's short name.",
    ("flag_summary", "flags"): "Number of flags.",
    ("offer_by_year", "total_credits"): "Sum of the programmes' credits.",
    ("offer_by_year", "median_credits"): "Median credits of a programme.",
    ("scorecard", "title"): "The rule's short name.",
    ("scorecard", "record"): "What the rule is checked on: programme or course_unit.",
    ("scorecard", "records"): "Records checked.",
    ("scorecard", "records_failing"): "Records that break the rule.",
    ("scorecard", "records_meeting"): "Records that meet the rule.",
    ("scorecard", "share_meeting"): "Share of the records that meet the rule (0-1).",
    ("annex_i_coverage", "element"): "The Annex I element.",
    ("annex_i_coverage", "mandatory"): "True for the mandatory elements; false for the optional ones.",
    ("annex_i_coverage", "programmes_publishing"): "Programmes that publish the element.",
    ("annex_i_coverage", "coverage"): "Share of the programmes that publish it (0-1).",
    ("rules_side_by_side", "with_credits"): "Programmes with credits published.",
    (
        "rules_side_by_side",
        "meets_flanders_size_3_20",
    ): f"Programmes of {FLANDERS.credits_min:g} to {FLANDERS.credits_max:g} credits.",
    (
        "rules_side_by_side",
        "meets_netherlands_size_3_30",
    ): f"Programmes of {NETHERLANDS.credits_min:g} to {NETHERLANDS.credits_max:g} credits.",
    ("rules_side_by_side", "with_published_hours"): "Programmes that publish study hours and credits.",
    (
        "rules_side_by_side",
        "meets_be_hours_25_30",
    ): f"Programmes with published hours of {FLANDERS.hours_per_credit_min:g} to "
    f"{FLANDERS.hours_per_credit_max:g} per credit.",
    (
        "rules_side_by_side",
        "meets_nl_hours_28",
    ): f"Programmes with published hours of exactly {NETHERLANDS.hours_band} per credit.",
    ("credits_distribution", "credits_band"): "Credits band: < 3, 3–6, 6–10, 10–20, 20–30, > 30 or unknown.",
    ("credits_distribution", "band_order"): "Sort order of the band.",
    ("language_offer", "language"): "Language of instruction (ISO 639-1), or unknown.",
    ("language_offer", "programmes"): "Programmes taught (also) in this language.",
    ("semester_offer", "semester"): "S1, S2, YEAR, SUMMER, WINTER or unknown.",
    ("semester_offer", "semester_order"): "Sort order of the semester.",
    ("offer_by_refresh", "run_id"): "A refresh that published the institution.",
    ("offer_by_refresh", "refreshed_at"): "When that refresh ended (UTC).",
    ("offer_by_refresh", "programmes"): "Programme records (micro-credential x year) in the registry then.",
    (
        "offer_by_refresh",
        "micro_credentials",
    ): "Distinct micro-credentials (registry ids) in the registry then.",
    ("programme_changes", "run_id"): "The refresh that recorded the change.",
    ("programme_changes", "changed_at"): "When the change was recorded (UTC).",
    ("programme_changes", "title"): "Title of the version (for a withdrawal: the last title seen).",
    ("programme_changes", "credits_ects"): "Credits of the version.",
    ("programme_changes", "semester"): "Semester of the version.",
    ("programme_changes", "languages"): "Languages of the version.",
    ("flag_detail", "rule_title"): "The rule's short name.",
    ("flag_detail", "record_kind"): "What the rule is checked on: programme, course_unit or harvest.",
    ("flag_detail", "record_title"): "Title of the flagged programme or name of the course unit.",
    ("flag_detail", "field"): "The field that breaks the rule (null for rules on the whole record).",
    ("flag_detail", "value"): "The value that breaks the rule, as text.",
    ("flag_detail", "url"): "The page the flagged value came from.",
    ("programme_search", "area"): "Area: the faculty or school that offers it.",
    ("programme_search", "search_text"): "Title and learning outcomes in one text, for free-text search.",
    ("programme_search", "errors"): "Error flags on this programme and year.",
    ("programme_search", "warnings"): "Warning flags on this programme and year.",
    ("programme_search", "rules_broken"): "The rules it breaks.",
    ("programme_search", "is_current_year"): "True in the institution's latest academic year.",
}


def _objects(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """(name, kind for COMMENT ON, comment) of the warehouse's own tables, views and table macros."""
    return con.execute(
        """
        SELECT table_name, 'TABLE', comment FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'
        UNION ALL
        SELECT view_name, 'VIEW', comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'
        UNION ALL
        SELECT DISTINCT function_name, 'MACRO TABLE', comment FROM duckdb_functions()
        WHERE function_type = 'table_macro' AND NOT internal AND schema_name = 'main'
        ORDER BY 1"""
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    """(table, column, data type, comment) of every column of the warehouse's tables and views."""
    return con.execute(
        """SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
        WHERE NOT internal AND schema_name = 'main' ORDER BY table_name, column_index"""
    ).fetchall()


def describe_object(name: str) -> str | None:
    """The description of a table (from the specification), a view or the macro."""
    return TABLES[name].comment if name in TABLES else VIEWS.get(name)


def describe_column(table: str, column: str) -> str | None:
    """A table's column as the specification describes it; a view's column as described here, else by its
    name (``programme_current`` is ``programme``'s rows: its columns are ``programme``'s)."""
    base = "programme" if table == "programme_current" else table
    if base in TABLES:
        spec = TABLES[base]
        return spec.column(column).description if column in spec.names else None
    return VIEW_COLUMNS.get((table, column)) or DESCRIPTIONS.get(column)


def document(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Comments every table, view, macro and column; returns what had no description."""
    missing: list[str] = []
    for name, kind, _ in _objects(con):
        text = describe_object(name)
        if text is None:
            missing.append(name)
            continue
        con.execute(f"COMMENT ON {kind} {name} IS {sql_string(text)}")
    for table, column, _, _ in _columns(con):
        text = describe_column(table, column)
        if text is None:
            missing.append(f"{table}.{column}")
            continue
        con.execute(f"COMMENT ON COLUMN {table}.{column} IS {sql_string(text)}")
    return missing


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the published schema, views and comments, and no rows."""
    con = duckdb.connect()
    con.execute(ddl())
    con.execute((SQL_DIR / "views.sql").read_text())
    document(con)
    return con


def render(con: duckdb.DuckDBPyConnection) -> str:
    """The data dictionary as Markdown, read from the comments stored in the warehouse itself."""
    objects = _objects(con)
    columns: dict[str, list[tuple[str, str, str]]] = {}
    for table, column, data_type, comment in _columns(con):
        columns.setdefault(table, []).append((column, data_type, comment or ""))
    lines = [
        "# Data dictionary",
        "",
        "Generated from the comments stored in the warehouse (`python -m warehouse.dictionary`); do not edit "
        "by hand. In DuckDB the same text is in `duckdb_tables()`, `duckdb_views()` and `duckdb_columns()`.",
        "",
    ]
    for section, kind in (("Tables", "TABLE"), ("Views", "VIEW"), ("Table macros", "MACRO TABLE")):
        named = [(name, comment) for name, k, comment in objects if k == kind]
        if not named:
            continue
        lines += [f"## {section}", ""]
        for name, comment in named:
            lines += [f"### `{name}`", "", comment or "", ""]
            if kind == "MACRO TABLE":
                continue
            lines += ["| column | type | description |", "|---|---|---|"]
            for column, data_type, text in columns.get(name, []):
                escaped = text.replace("|", "\\|")
                lines.append(f"| `{column}` | {data_type} | {escaped} |")
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help=f"write {DICTIONARY_FILE.relative_to(REPO_ROOT)}"
    )
    args = parser.parse_args(argv)
    con = empty_warehouse()
    missing = document(con)
    if missing:
        print("Undocumented: " + ", ".join(missing), file=sys.stderr)
        return 1
    text = render(con)
    if args.write:
        DICTIONARY_FILE.parent.mkdir(parents=True, exist_ok=True)
        DICTIONARY_FILE.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
