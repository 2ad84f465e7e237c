"""The warehouse explains itself: a DuckDB comment on every table, view, macro and column, and a data
dictionary generated from those comments.

The descriptions live here once. A column name means the same thing wherever it appears (``credits_ects``
is always ECTS credits), so columns are described by name, with an override where a table uses a name in its
own sense. ``document()`` writes them into a warehouse as ``COMMENT ON`` statements and returns what it could
not describe, so a new column without a description fails the tests instead of shipping undocumented.

``python -m warehouse.dictionary`` (or ``microcred dictionary``) prints the dictionary as Markdown; the
committed ``docs/data_dictionary.md`` is that output, and a test keeps the two equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent
REPO_ROOT = SQL_DIR.parent
DICTIONARY_FILE = REPO_ROOT / "docs" / "data_dictionary.md"

OBJECTS: dict[str, str] = {
    # Tables (DESIGN §3).
    "institution": "One row per institution in the registry, with the national rules that apply to it.",
    "programme": "One row per micro-credential per academic year, as published by the institution: every "
    "normalised field beside its raw text and the reason when it is null, with provenance.",
    "course_unit": "One row per course unit per academic year, from the course sheets a programme links to.",
    "programme_course": "Which course units make up which programme (programme x course unit x year), as "
    "printed in the programme's table, including units listed but not offered this year.",
    "flag": "One row per registry rule broken per record per run: the explanation in plain words, the value "
    "that broke it and the page it came from.",
    "rule": "The registry rules checked on every refresh, with the standard each comes from.",
    "run": "One row per refresh and source: what was harvested, how many pages answered 200 or 304, "
    "whether the source was published and why (or why not).",
    "programme_history": "Slowly changing history (SCD type 2) of programmes: one row per version, valid from "
    "the run that saw it until the run that changed or withdrew it. Withdrawn programmes are closed, never "
    "deleted.",
    "raw_programme": "Programme items exactly as the spider landed them (strings as on the page), with "
    "provenance: the raw layer every normalised value can be traced back to.",
    "raw_programme_course": "Programme-to-course rows exactly as the spider landed them, with provenance.",
    "raw_course_unit": "Course-unit items exactly as the spider landed them, with provenance.",
    "harvest_issue": "Every page the harvest could not use, and why (HTTP error, broken page, layout "
    "change): nothing is dropped silently.",
    # Views.
    "programme_current": "The programmes of each institution's latest academic year: the current offer.",
    "flag_summary": "Flags counted per institution and rule.",
    "offer_by_year": "The offer per institution and academic year: programmes, total and median credits.",
    "scorecard": "The quality scorecard: per institution, academic year and applicable rule, how many "
    "records were checked, how many break the rule and the share that meets it.",
    "annex_i_coverage": "EU Council Recommendation 2022/C 243/02, Annex I: the share of programmes that "
    "publish each catalogue-level element (mandatory and optional).",
    "rules_side_by_side": "The Flemish (3-20 credits, 25-30 h per credit) and Dutch (3-30 EC, 28 h per EC) "
    "rules applied side by side to every institution's programmes.",
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

COLUMNS: dict[str, str] = {
    "academic_year": "Academic year as its start year: 2024 means 2024-2025.",
    "academic_year_raw": "The academic year as written on the page.",
    "academic_year_label": "The academic year written out, e.g. 2024-2025.",
    "assessment": "Type of assessment, as published (Annex I element).",
    "body_sha256": "SHA-256 of the page body the record was extracted from.",
    "campus": "Campus or city where it is taught, as published.",
    "change": "added, changed or withdrawn.",
    "changed_fields": "For a change: the fields whose value differs from the previous version.",
    "code": "The institution's own course code (UGent [A-Z]\\d{6}, UAntwerp \\d{4}[A-Z]{6}, RUG Ocasys code).",
    "contact_hours": "Contact hours (lectures, exercises, seminars...), a part of the study hours: as labelled, or "
    "the sum of the teaching activities' hours the text gives.",
    "contact_hours_raw": "The text contact_hours was read from, as written (a contact-hours field, or the "
    "study-hours text when that names contact time).",
    "contact_hours_reason": "Why contact_hours is null: absent (no contact hours published), unparseable, ...",
    "course_code": "The course unit's code, as in course_unit.code.",
    "course_key": "Course unit key: '{institution}:{code}:{academic year}'.",
    "course_name": "The course unit's name as printed in the programme's table.",
    "course_unit_count": "Number of course units listed in the programme's table.",
    "course_units": "Number of course units.",
    "credits_ects": "Credits in ECTS (EC in the Netherlands), a number; null when not published, not "
    "readable, or published as a range (reason 'range': see credits_min and credits_max).",
    "credits_min": "Smallest credits the page offers: the low end of a range or tiers ('2-5 ECTS' gives 2), "
    "equal to credits_ects for a single size; null when no credits could be read.",
    "credits_max": "Largest credits the page offers: the high end of a range or tiers, base + add-on for "
    "'4 ECTS (+2 with a paper)' (6); equal to credits_ects for a single size.",
    "credits_raw": "Credits exactly as written on the page.",
    "credits_reason": "Why credits_ects is null: absent, unparseable, range, hours_not_credits, "
    "negative_sentinel (null when it has a value).",
    "delivery_mode": "How it is taught: on_site, online, hybrid, blended or distance.",
    "delivery_mode_raw": "Delivery mode as written on the page.",
    "delivery_mode_reason": "Why delivery_mode is null.",
    "end_date": "Last day of teaching, when published.",
    "end_date_raw": "End date as written on the page.",
    "eqf_level": "European Qualifications Framework level, 1-8.",
    "faculty": "Faculty or school that offers it.",
    "fee_covers": "What the fee covers, as published (e.g. the whole programme, per course unit).",
    "fee_eur": "Participation fee in EUR: as published, or derived from a formula (see fee_eur_derived); null "
    "for tiers (see fee_tiers).",
    "fee_eur_derived": "True when fee_eur was computed as fee_fixed_eur + fee_per_credit_eur x credits_ects "
    "rather than published; false when published; null when there is no fee.",
    "fee_fixed_eur": "A fee formula's fixed part in EUR ('EUR 250 plus EUR 40 per credit' gives 250).",
    "fee_per_credit_eur": "A fee formula's amount per credit in EUR ('EUR 250 plus EUR 40 per credit' gives 40).",
    "fee_tiers": "Fees that differ by kind of participant, registration date or sector: each amount in EUR "
    "with its label as written ('PhD students', 'Early bird'), in the order published.",
    "fee_raw": "Fee as written on the page.",
    "fee_reason": "Why fee_eur is null.",
    "fetched_at": "When the page was fetched (UTC).",
    "last_verified_at": "When the site last confirmed the page, by a 200 or a 304 (UTC). Older than the run "
    "when the revisit policy did not ask for the page that night; never more than 7 days old unless the page "
    "failed since (README, Revisit policy).",
    "http_status": "HTTP status of the page when it was fetched (200, or 304 when revalidated from the cache).",
    "institution_id": "The institution: ugent, uantwerpen or rug.",
    "institution_name": "The institution's name.",
    "languages": "Languages of instruction as ISO 639-1 codes, lower case, in the order written.",
    "languages_raw": "Languages as written on the page.",
    "languages_reason": "Why languages is null.",
    "learning_outcomes": "Learning outcomes, one list item per outcome (Annex I element).",
    "level_raw": "Level as written on the page.",
    "level_reason": "Why eqf_level is null.",
    "message": "The explanation of this flag in plain words.",
    "name": "Name.",
    "national_level": "Level in the national framework (VKS in Flanders, NLQF in the Netherlands).",
    "offered_credits_sum": "Sum of the credits of the programme's offered course units.",
    "participation_form": "Form of participation (e.g. on site, online), as published (Annex I element).",
    "prerequisites": "Prerequisites to enrol, as published (Annex I optional element).",
    "programme_type": "The kind of programme, as the institution labels it (e.g. micro-credential, summer "
    "school).",
    "programmes": "Number of programme records (one per micro-credential per academic year).",
    "quality_assurance": "Type of quality assurance that underpins it (Annex I element).",
    "record_key": "The flagged record: a registry_id for a programme, a course_key for a course unit, or the "
    "source for a harvest-level rule.",
    "registry_id": "Stable identifier across runs: '{institution}:{the institution's own code or slug}'.",
    "rule_id": "The registry rule (see the rule table).",
    "run_id": "The refresh run (UTC timestamp and a random suffix; run ids sort in time order).",
    "semester": "When it is taught: S1, S2, YEAR, SUMMER or WINTER.",
    "semester_raw": "Semester as written on the page.",
    "semester_reason": "Why semester is null (not_offered: a UGent study-guide code in parentheses).",
    "semester_offering": "UGent study guide: the letter before the semester code (A1, B2) that marks one of "
    "several offerings of the same course; null otherwise.",
    "severity": "error, warning or info.",
    "source_code": "The institution's own code for the programme, when it has one.",
    "source_url": "The public page the row was extracted from.",
    "spider": "The spider that extracted it.",
    "spider_version": "The version of that spider's extraction code.",
    "stackability": "Integration and stackability options, as published (Annex I optional element).",
    "standard": "The standard or rule the check comes from.",
    "start_date": "First day of teaching, when published.",
    "start_date_raw": "Start date as written on the page.",
    "study_hours": "Study load in hours, kept separate from credits; published or derived (see "
    "study_hours_derived).",
    "study_hours_derived": "True when study_hours was computed from credits rather than published.",
    "study_hours_factor": "Hours per credit used when study_hours was derived.",
    "study_hours_raw": "Study hours as written on the page.",
    "study_hours_reason": "Why study_hours is null.",
    "title": "Title as published.",
    "title_language": "Language of the title (ISO 639-1).",
    "url": "The record's public page.",
    "citation": "Where the standard says so.",
    "explanation": "The rule in plain words.",
}

OVERRIDES: dict[tuple[str, str], str] = {
    ("institution", "name"): "The institution's official name.",
    ("institution", "country"): "Country, ISO 3166-1 alpha-2 (BE, NL).",
    ("institution", "region"): "Region whose rules apply (Flanders, Netherlands).",
    ("institution", "qualification_framework"): "National qualifications framework (VKS, NLQF).",
    ("institution", "hours_per_credit_min"): "Lowest study hours per credit the national band allows.",
    ("institution", "hours_per_credit_max"): "Highest study hours per credit the national band allows.",
    (
        "institution",
        "credits_min",
    ): "Smallest size of a micro-credential under the national rule, in credits.",
    ("institution", "credits_max"): "Largest size of a micro-credential under the national rule (warning "
    "above it), in credits.",
    ("institution", "domains"): "The institution's own web domains: the only ones the spiders follow.",
    ("institution", "website"): "The institution's website.",
    ("course_unit", "name"): "The course unit's name.",
    ("course_unit", "lecturers"): "Lecturers, as listed on the course sheet.",
    ("course_unit", "url"): "The course sheet's public page.",
    ("programme_course", "offered"): "False when the programme lists the unit as not offered this year "
    "(UGent tr.nietaangeboden rows).",
    ("programme_course", "position"): "Position of the unit in the programme's table.",
    ("programme_course", "credits_ects"): "The unit's credits as printed in the programme's table.",
    ("programme_course", "semester"): "The unit's semester as printed in the programme's table.",
    ("programme_course", "languages"): "The unit's languages as printed in the programme's table.",
    ("flag", "field"): "The field that breaks the rule (null for rules on the whole record).",
    ("flag", "value"): "The value that breaks the rule, as text.",
    ("flag", "url"): "The page the flagged value came from.",
    ("rule", "blocking"): "True when breaking it stops a source from being published (the last good data "
    "is kept instead).",
    ("rule", "title"): "The rule's short name.",
    ("rule", "applies_to"): "The institutions it applies to ('*' for all).",
    ("rule", "record"): "What it is checked on: programme, course_unit or harvest.",
    ("run", "source"): "The institution harvested.",
    ("run", "started_at"): "When the source's harvest started (UTC).",
    ("run", "ended_at"): "When the source's part of the refresh ended (UTC).",
    ("run", "live"): "True when the public sites were crawled, false for the bundled snapshot.",
    ("run", "pages_fetched"): "Pages answered with content (HTTP 200).",
    ("run", "not_modified"): "Pages answered 304 Not Modified (revalidated from the HTTP cache).",
    ("run", "skipped_by_policy"): "Detail pages the revisit policy did not request (not due; their last good "
    "data replayed from the parse memo).",
    ("run", "bytes_received"): "Body bytes the source's sites sent in this harvest.",
    ("run", "polite_seconds"): "How long this harvest would take live at each site's polite rate (requests x "
    "robots.txt Crawl-delay, else the AutoThrottle start delay), summed over the source's sites.",
    ("run", "errors"): "Harvest issues recorded (see harvest_issue).",
    ("run", "items"): "Items the spider landed.",
    ("run", "programmes"): "Programme records the harvest produced.",
    ("run", "status"): "harvested, harvest_failed, blocked or kept.",
    ("run", "published"): "True when this run's harvest of the source is what the warehouse now holds.",
    ("run", "reason"): "Why it was published or not, in plain words.",
    ("run", "published_run_id"): "The run whose rows the warehouse holds for this source after this run.",
    ("programme_history", "record_hash"): "Hash of the tracked fields; a new version starts when it changes.",
    ("programme_history", "valid_from_run"): "The run that first saw this version.",
    ("programme_history", "valid_from"): "When this version became valid (UTC).",
    ("programme_history", "valid_to_run"): "The run that replaced or withdrew it (null while current).",
    ("programme_history", "valid_to"): "When it stopped being valid (null while current).",
    ("programme_history", "is_current"): "True for the latest version of each programme and year.",
    ("raw_programme", "record"): "The item as landed, as JSON (strings as on the page, with provenance).",
    ("raw_programme_course", "record"): "The row as landed, as JSON (with provenance).",
    ("raw_course_unit", "record"): "The item as landed, as JSON (with provenance).",
    ("harvest_issue", "page_kind"): "What kind of page it was (listing, programme, course sheet, API...).",
    ("harvest_issue", "reason"): "Why the page could not be used (http_500, timeout, layout_changed...).",
    ("harvest_issue", "detail"): "More detail on the reason, when there is any.",
    ("harvest_issue", "source_url"): "The public URL that failed.",
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
    ("rules_side_by_side", "meets_flanders_size_3_20"): "Programmes of 3 to 20 credits.",
    ("rules_side_by_side", "meets_netherlands_size_3_30"): "Programmes of 3 to 30 credits.",
    ("rules_side_by_side", "with_published_hours"): "Programmes that publish study hours and credits.",
    ("rules_side_by_side", "meets_be_hours_25_30"): "Programmes with published hours of 25 to 30 per credit.",
    ("rules_side_by_side", "meets_nl_hours_28"): "Programmes with published hours of exactly 28 per credit.",
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


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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


def describe_column(table: str, column: str) -> str | None:
    base = "programme" if table == "programme_current" else table
    return OVERRIDES.get((table, column)) or OVERRIDES.get((base, column)) or COLUMNS.get(column)


def document(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Comments every table, view, macro and column; returns what had no description."""
    missing: list[str] = []
    for name, kind, _ in _objects(con):
        text = OBJECTS.get(name)
        if text is None:
            missing.append(name)
            continue
        con.execute(f"COMMENT ON {kind} {name} IS {_quote(text)}")
    for table, column, _, _ in _columns(con):
        text = describe_column(table, column)
        if text is None:
            missing.append(f"{table}.{column}")
            continue
        con.execute(f"COMMENT ON COLUMN {table}.{column} IS {_quote(text)}")
    return missing


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the published schema, views and comments, and no rows."""
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text())
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
