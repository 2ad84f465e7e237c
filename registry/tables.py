"""The one table specification of the warehouse: per table its columns, DuckDB type, nullability, key and
definition.

Everything else is generated from it: the DDL (``ddl()``; ``warehouse/schema.sql`` is its output, kept for
readers and checked by a test), the ``COMMENT ON`` statements and the data dictionary (``warehouse.dictionary``),
the polars casts of the core tables and the flag frame (``normalise.tables`` maps each DuckDB type to its polars
type). A column name means the same thing wherever it appears (``credits_ects`` is always ECTS credits), so a
column is described by its name in ``DESCRIPTIONS`` unless the table uses the name in its own sense, when the
column carries its own definition.

Tables and columns here are a contract with analysts, dashboards and outside checks: add, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type, as written in the DDL
    comment: str | None = None  # the definition, when the table uses the name in its own sense
    nullable: bool = True

    @property
    def description(self) -> str | None:
        return self.comment or DESCRIPTIONS.get(self.name)


@dataclass(frozen=True)
class Table:
    name: str
    comment: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # the primary key

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def create(self) -> str:
        """``CREATE TABLE``: the columns in order, ``NOT NULL`` where they may not be null, then the key."""
        lines = [f"    {c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns]
        if self.key:
            lines.append(f"    PRIMARY KEY ({', '.join(self.key)})")
        return f"CREATE TABLE {self.name} (\n" + ",\n".join(lines) + "\n);"

    def comments(self) -> list[str]:
        """``COMMENT ON`` the table and each of its columns."""
        statements = [f"COMMENT ON TABLE {self.name} IS {sql_string(self.comment)};"]
        statements += [
            f"COMMENT ON COLUMN {self.name}.{c.name} IS {sql_string(c.description)};"
            for c in self.columns
            if c.description
        ]
        return statements


# The landing zone: the item kinds a spider lands, one JSON-lines file each (``{kind}.jsonl``).
ITEM_KINDS: tuple[str, ...] = ("programme", "programme_course", "course_unit", "issue")


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


GENERATED_HEADER = (
    "-- The published warehouse's tables: generated from registry/tables.py by `python -m registry.tables`.\n"
    "-- Do not edit: change the specification and generate again (a test keeps the two equal).\n"
)


def ddl() -> str:
    """The DDL of every table, with its comments, in the specification's order."""
    parts = [GENERATED_HEADER.rstrip("\n")]
    for table in TABLES.values():
        parts += ["", table.create(), *table.comments()]
    return "\n".join(parts) + "\n"


DESCRIPTIONS: dict[str, str] = {
    "academic_year": "Academic year as its start year: 2024 means 2024-2025.",
    "academic_year_raw": "The academic year as written on the page.",
    "academic_year_label": "The academic year written out, e.g. 2024-2025.",
    "assessment": "Type of assessment, as published (Annex I element).",
    "body_sha256": "SHA-256 of the page body the record was extracted from.",
    "campus": "Campus or city where it is taught, as published.",
    "change": "added, changed or withdrawn.",
    "changed_fields": "For a change: the fields whose value differs from the previous version.",
    "code": "The institution's own course code (UGent [A-Z]\\d{6}, UAntwerp \\d{4}[A-Z]{6}, RUG Ocasys code).",
    "contact_hours": "Contact hours (lectures, exercises, seminars...), a part of the study hours: as labelled, or the sum of the teaching activities' hours the text gives.",
    "contact_hours_raw": "The text contact_hours was read from, as written (a contact-hours field, or the study-hours text when that names contact time).",
    "contact_hours_reason": "Why contact_hours is null: absent (no contact hours published), unparseable, ...",
    "course_code": "The course unit's code, as in course_unit.code.",
    "course_key": "Course unit key: '{institution}:{code}:{academic year}'.",
    "course_name": "The course unit's name as printed in the programme's table.",
    "course_unit_count": "Number of course units listed in the programme's table.",
    "course_units": "Number of course units.",
    "credits_ects": "Credits in ECTS (EC in the Netherlands), a number; null when not published, not readable, or published as a range (reason 'range': see credits_min and credits_max).",
    "credits_min": "Smallest credits the page offers: the low end of a range or tiers ('2-5 ECTS' gives 2), equal to credits_ects for a single size; null when no credits could be read.",
    "credits_max": "Largest credits the page offers: the high end of a range or tiers, base + add-on for '4 ECTS (+2 with a paper)' (6); equal to credits_ects for a single size.",
    "credits_raw": "Credits exactly as written on the page.",
    "credits_reason": "Why credits_ects is null: absent, unparseable, range, hours_not_credits, negative_sentinel (null when it has a value).",
    "delivery_mode": "How it is taught: on_site, online, hybrid, blended or distance.",
    "delivery_mode_raw": "Delivery mode as written on the page.",
    "delivery_mode_reason": "Why delivery_mode is null.",
    "end_date": "Last day of teaching, when published.",
    "end_date_raw": "End date as written on the page.",
    "eqf_level": "European Qualifications Framework level, 1-8.",
    "faculty": "Faculty or school that offers it.",
    "fee_covers": "What the fee covers, as published (e.g. the whole programme, per course unit).",
    "fee_eur": "Participation fee in EUR: as published, or derived from a formula (see fee_eur_derived); null for tiers (see fee_tiers).",
    "fee_eur_derived": "True when fee_eur was computed as fee_fixed_eur + fee_per_credit_eur x credits_ects rather than published; false when published; null when there is no fee.",
    "fee_fixed_eur": "A fee formula's fixed part in EUR ('EUR 250 plus EUR 40 per credit' gives 250).",
    "fee_per_credit_eur": "A fee formula's amount per credit in EUR ('EUR 250 plus EUR 40 per credit' gives 40).",
    "fee_tiers": "Fees that differ by kind of participant, registration date or sector: each amount in EUR with its label as written ('PhD students', 'Early bird'), in the order published.",
    "fee_raw": "Fee as written on the page.",
    "fee_reason": "Why fee_eur is null.",
    "fetched_at": "When the page was fetched (UTC).",
    "last_verified_at": "When the site last confirmed the page, by a 200 or a 304 (UTC). Older than the run when the revisit policy did not ask for the page that night; never more than 7 days old unless the page failed since (README, Revisit policy).",
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
    "programme_type": "The kind of programme, as the institution labels it (e.g. micro-credential, summer school).",
    "programmes": "Number of programme records (one per micro-credential per academic year).",
    "quality_assurance": "Type of quality assurance that underpins it (Annex I element).",
    "record_key": "The flagged record: a registry_id for a programme, a course_key for a course unit, or the source for a harvest-level rule.",
    "registry_id": "Stable identifier across runs: '{institution}:{the institution's own code or slug}'.",
    "rule_id": "The registry rule (see the rule table).",
    "run_id": "The refresh run (UTC timestamp and a random suffix; run ids sort in time order).",
    "semester": "When it is taught: S1, S2, YEAR, SUMMER or WINTER.",
    "semester_raw": "Semester as written on the page.",
    "semester_reason": "Why semester is null (not_offered: a UGent study-guide code in parentheses).",
    "semester_offering": "UGent study guide: the letter before the semester code (A1, B2) that marks one of several offerings of the same course; null otherwise.",
    "severity": "error, warning or info.",
    "source_code": "The institution's own code for the programme, when it has one.",
    "source_url": "The public page the row was extracted from.",
    "spider": "The spider that extracted it.",
    "spider_version": "The version of that spider's extraction code.",
    "stackability": "Integration and stackability options, as published (Annex I optional element).",
    "standard": "The standard or rule the check comes from.",
    "start_date": "First day of teaching, when published.",
    "start_date_raw": "Start date as written on the page.",
    "study_hours": "Study load in hours, kept separate from credits; published or derived (see study_hours_derived).",
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

INSTITUTION = Table(
    "institution",
    "One row per institution in the registry, with the national rules that apply to it.",
    key=("institution_id",),
    columns=(
        Column("institution_id", "VARCHAR", nullable=False),
        Column("name", "VARCHAR", "The institution's official name.", nullable=False),
        Column("country", "VARCHAR", "Country, ISO 3166-1 alpha-2 (BE, NL).", nullable=False),
        Column("region", "VARCHAR", "Region whose rules apply (Flanders, Netherlands).", nullable=False),
        Column(
            "qualification_framework",
            "VARCHAR",
            "National qualifications framework (VKS, NLQF).",
            nullable=False,
        ),
        Column(
            "hours_per_credit_min",
            "DOUBLE",
            "Lowest study hours per credit the national band allows.",
            nullable=False,
        ),
        Column(
            "hours_per_credit_max",
            "DOUBLE",
            "Highest study hours per credit the national band allows.",
            nullable=False,
        ),
        Column(
            "credits_min",
            "DOUBLE",
            "Smallest size of a micro-credential under the national rule, in credits.",
            nullable=False,
        ),
        Column(
            "credits_max",
            "DOUBLE",
            "Largest size of a micro-credential under the national rule (warning above it), in credits.",
            nullable=False,
        ),
        Column(
            "domains",
            "VARCHAR[]",
            "The institution's own web domains: the only ones the spiders follow.",
            nullable=False,
        ),
        Column("website", "VARCHAR", "The institution's website.", nullable=False),
    ),
)
PROGRAMME = Table(
    "programme",
    "One row per micro-credential per academic year, as published by the institution: every normalised field beside its raw text and the reason when it is null, with provenance.",
    key=("registry_id", "academic_year"),
    columns=(
        Column("registry_id", "VARCHAR", nullable=False),
        Column("institution_id", "VARCHAR", nullable=False),
        Column("source_code", "VARCHAR"),
        Column("academic_year", "INTEGER", nullable=False),
        Column("academic_year_raw", "VARCHAR"),
        Column("title", "VARCHAR"),
        Column("title_language", "VARCHAR"),
        Column("programme_type", "VARCHAR"),
        Column("url", "VARCHAR", nullable=False),
        Column("faculty", "VARCHAR"),
        Column("campus", "VARCHAR"),
        Column("credits_ects", "DOUBLE"),
        Column("credits_min", "DOUBLE"),
        Column("credits_max", "DOUBLE"),
        Column("credits_raw", "VARCHAR"),
        Column("credits_reason", "VARCHAR"),
        Column("study_hours", "INTEGER"),
        Column("study_hours_raw", "VARCHAR"),
        Column("study_hours_reason", "VARCHAR"),
        Column("study_hours_derived", "BOOLEAN"),
        Column("study_hours_factor", "DOUBLE"),
        Column("contact_hours", "INTEGER"),
        Column("contact_hours_raw", "VARCHAR"),
        Column("contact_hours_reason", "VARCHAR"),
        Column("semester", "VARCHAR"),
        Column("semester_raw", "VARCHAR"),
        Column("semester_reason", "VARCHAR"),
        Column("languages", "VARCHAR[]"),
        Column("languages_raw", "VARCHAR"),
        Column("languages_reason", "VARCHAR"),
        Column("delivery_mode", "VARCHAR"),
        Column("delivery_mode_raw", "VARCHAR"),
        Column("delivery_mode_reason", "VARCHAR"),
        Column("eqf_level", "INTEGER"),
        Column("national_level", "VARCHAR"),
        Column("level_raw", "VARCHAR"),
        Column("level_reason", "VARCHAR"),
        Column("fee_eur", "DECIMAL(12, 2)"),
        Column("fee_eur_derived", "BOOLEAN"),
        Column("fee_fixed_eur", "DECIMAL(12, 2)"),
        Column("fee_per_credit_eur", "DECIMAL(12, 2)"),
        Column("fee_tiers", "STRUCT(label VARCHAR, amount_eur DECIMAL(12, 2))[]"),
        Column("fee_covers", "VARCHAR"),
        Column("fee_raw", "VARCHAR"),
        Column("fee_reason", "VARCHAR"),
        Column("start_date", "DATE"),
        Column("start_date_raw", "VARCHAR"),
        Column("end_date", "DATE"),
        Column("end_date_raw", "VARCHAR"),
        Column("learning_outcomes", "VARCHAR[]"),
        Column("assessment", "VARCHAR"),
        Column("participation_form", "VARCHAR"),
        Column("quality_assurance", "VARCHAR"),
        Column("prerequisites", "VARCHAR"),
        Column("stackability", "VARCHAR"),
        Column("course_unit_count", "INTEGER"),
        Column("offered_credits_sum", "DOUBLE"),
        Column("source_url", "VARCHAR", nullable=False),
        Column("fetched_at", "TIMESTAMPTZ"),
        Column("last_verified_at", "TIMESTAMPTZ"),
        Column("http_status", "INTEGER"),
        Column("body_sha256", "VARCHAR"),
        Column("spider", "VARCHAR"),
        Column("spider_version", "VARCHAR"),
        Column("run_id", "VARCHAR", nullable=False),
    ),
)
COURSE_UNIT = Table(
    "course_unit",
    "One row per course unit per academic year, from the course sheets a programme links to.",
    key=("institution_id", "code", "academic_year"),
    columns=(
        Column("course_key", "VARCHAR", nullable=False),
        Column("institution_id", "VARCHAR", nullable=False),
        Column("code", "VARCHAR", nullable=False),
        Column("academic_year", "INTEGER", nullable=False),
        Column("academic_year_raw", "VARCHAR"),
        Column("name", "VARCHAR", "The course unit's name."),
        Column("credits_ects", "DOUBLE"),
        Column("credits_min", "DOUBLE"),
        Column("credits_max", "DOUBLE"),
        Column("credits_raw", "VARCHAR"),
        Column("credits_reason", "VARCHAR"),
        Column("study_hours", "INTEGER"),
        Column("study_hours_raw", "VARCHAR"),
        Column("study_hours_reason", "VARCHAR"),
        Column("contact_hours", "INTEGER"),
        Column("contact_hours_raw", "VARCHAR"),
        Column("contact_hours_reason", "VARCHAR"),
        Column("semester", "VARCHAR"),
        Column("semester_raw", "VARCHAR"),
        Column("semester_reason", "VARCHAR"),
        Column("semester_offering", "VARCHAR"),
        Column("languages", "VARCHAR[]"),
        Column("languages_raw", "VARCHAR"),
        Column("languages_reason", "VARCHAR"),
        Column("lecturers", "VARCHAR[]", "Lecturers, as listed on the course sheet."),
        Column("learning_outcomes", "VARCHAR[]"),
        Column("assessment", "VARCHAR"),
        Column("url", "VARCHAR", "The course sheet's public page.", nullable=False),
        Column("fetched_at", "TIMESTAMPTZ"),
        Column("last_verified_at", "TIMESTAMPTZ"),
        Column("http_status", "INTEGER"),
        Column("body_sha256", "VARCHAR"),
        Column("spider", "VARCHAR"),
        Column("spider_version", "VARCHAR"),
        Column("run_id", "VARCHAR", nullable=False),
    ),
)
PROGRAMME_COURSE = Table(
    "programme_course",
    "Which course units make up which programme (programme x course unit x year), as printed in the programme's table, including units listed but not offered this year.",
    key=("registry_id", "course_code", "academic_year"),
    columns=(
        Column("registry_id", "VARCHAR", nullable=False),
        Column("institution_id", "VARCHAR", nullable=False),
        Column("course_code", "VARCHAR", nullable=False),
        Column("academic_year", "INTEGER", nullable=False),
        Column(
            "offered",
            "BOOLEAN",
            "False when the programme lists the unit as not offered this year (UGent tr.nietaangeboden rows).",
            nullable=False,
        ),
        Column("position", "INTEGER", "Position of the unit in the programme's table."),
        Column("course_name", "VARCHAR"),
        Column("credits_ects", "DOUBLE", "The unit's credits as printed in the programme's table."),
        Column("credits_raw", "VARCHAR"),
        Column("semester", "VARCHAR", "The unit's semester as printed in the programme's table."),
        Column("semester_raw", "VARCHAR"),
        Column("semester_reason", "VARCHAR"),
        Column("semester_offering", "VARCHAR"),
        Column("languages", "VARCHAR[]", "The unit's languages as printed in the programme's table."),
        Column("languages_raw", "VARCHAR"),
        Column("source_url", "VARCHAR", nullable=False),
        Column("run_id", "VARCHAR", nullable=False),
    ),
)
FLAG = Table(
    "flag",
    "One row per registry rule broken per record per run: the explanation in plain words, the value that broke it and the page it came from.",
    columns=(
        Column("run_id", "VARCHAR", nullable=False),
        Column("rule_id", "VARCHAR", nullable=False),
        Column("severity", "VARCHAR", nullable=False),
        Column("institution_id", "VARCHAR"),
        Column("record_key", "VARCHAR", nullable=False),
        Column("academic_year", "INTEGER"),
        Column("field", "VARCHAR", "The field that breaks the rule (null for rules on the whole record)."),
        Column("value", "VARCHAR", "The value that breaks the rule, as text."),
        Column("message", "VARCHAR", nullable=False),
        Column("url", "VARCHAR", "The page the flagged value came from."),
    ),
)
RULE = Table(
    "rule",
    "The registry rules checked on every refresh, with the standard each comes from.",
    key=("rule_id",),
    columns=(
        Column("rule_id", "VARCHAR", nullable=False),
        Column("severity", "VARCHAR", nullable=False),
        Column(
            "blocking",
            "BOOLEAN",
            "True when breaking it stops a source from being published (the last good data is kept instead).",
            nullable=False,
        ),
        Column("title", "VARCHAR", "The rule's short name.", nullable=False),
        Column("standard", "VARCHAR", nullable=False),
        Column("citation", "VARCHAR", nullable=False),
        Column("applies_to", "VARCHAR[]", "The institutions it applies to ('*' for all).", nullable=False),
        Column(
            "record", "VARCHAR", "What it is checked on: programme, course_unit or harvest.", nullable=False
        ),
        Column("explanation", "VARCHAR", nullable=False),
    ),
)
RUN = Table(
    "run",
    "One row per refresh and source: what was harvested, how many pages answered 200 or 304, whether the source was published and why (or why not).",
    key=("run_id", "source"),
    columns=(
        Column("run_id", "VARCHAR", nullable=False),
        Column("source", "VARCHAR", "The institution harvested.", nullable=False),
        Column("started_at", "TIMESTAMPTZ", "When the source's harvest started (UTC)."),
        Column("ended_at", "TIMESTAMPTZ", "When the source's part of the refresh ended (UTC)."),
        Column("live", "BOOLEAN", "True when the public sites were crawled, false for the bundled snapshot."),
        Column("pages_fetched", "INTEGER", "Pages answered with content (HTTP 200)."),
        Column(
            "not_modified", "INTEGER", "Pages answered 304 Not Modified (revalidated from the HTTP cache)."
        ),
        Column("errors", "INTEGER", "Harvest issues recorded (see harvest_issue)."),
        Column("items", "INTEGER", "Items the spider landed."),
        Column("programmes", "INTEGER", "Programme records the harvest produced."),
        Column("course_units", "INTEGER"),
        Column("status", "VARCHAR", "harvested, harvest_failed, blocked or kept.", nullable=False),
        Column(
            "published",
            "BOOLEAN",
            "True when this run's harvest of the source is what the warehouse now holds.",
            nullable=False,
        ),
        Column("reason", "VARCHAR", "Why it was published or not, in plain words."),
        Column(
            "published_run_id",
            "VARCHAR",
            "The run whose rows the warehouse holds for this source after this run.",
        ),
        Column(
            "skipped_by_policy",
            "INTEGER",
            "Detail pages the revisit policy did not request (not due; their last good data replayed from the parse memo).",
        ),
        Column("bytes_received", "BIGINT", "Body bytes the source's sites sent in this harvest."),
        Column(
            "polite_seconds",
            "DOUBLE",
            "How long this harvest would take live at each site's polite rate (requests x robots.txt Crawl-delay, else the AutoThrottle start delay), summed over the source's sites.",
        ),
    ),
)
PROGRAMME_HISTORY = Table(
    "programme_history",
    "Slowly changing history (SCD type 2) of programmes: one row per version, valid from the run that saw it until the run that changed or withdrew it. Withdrawn programmes are closed, never deleted.",
    columns=(
        Column("registry_id", "VARCHAR", nullable=False),
        Column("academic_year", "INTEGER", nullable=False),
        Column("institution_id", "VARCHAR", nullable=False),
        Column(
            "record_hash",
            "VARCHAR",
            "Hash of the tracked fields; a new version starts when it changes.",
            nullable=False,
        ),
        Column("title", "VARCHAR"),
        Column("credits_ects", "DOUBLE"),
        Column("semester", "VARCHAR"),
        Column("languages", "VARCHAR[]"),
        Column("url", "VARCHAR"),
        Column("change", "VARCHAR", nullable=False),
        Column("changed_fields", "VARCHAR[]"),
        Column("valid_from_run", "VARCHAR", "The run that first saw this version.", nullable=False),
        Column("valid_from", "TIMESTAMPTZ", "When this version became valid (UTC).", nullable=False),
        Column("valid_to_run", "VARCHAR", "The run that replaced or withdrew it (null while current)."),
        Column("valid_to", "TIMESTAMPTZ", "When it stopped being valid (null while current)."),
        Column(
            "is_current", "BOOLEAN", "True for the latest version of each programme and year.", nullable=False
        ),
    ),
)


def _raw_table(name: str, comment: str, record_comment: str) -> Table:
    """A raw-layer table: the landed items of one kind as JSON, per institution and run."""
    return Table(
        name,
        comment,
        columns=(
            Column("institution_id", "VARCHAR"),
            Column("run_id", "VARCHAR"),
            Column("record", "JSON", record_comment),
        ),
    )


RAW_PROGRAMME = _raw_table(
    "raw_programme",
    "Programme items exactly as the spider landed them (strings as on the page), with provenance: the raw layer every normalised value can be traced back to.",
    "The item as landed, as JSON (strings as on the page, with provenance).",
)
RAW_PROGRAMME_COURSE = _raw_table(
    "raw_programme_course",
    "Programme-to-course rows exactly as the spider landed them, with provenance.",
    "The row as landed, as JSON (with provenance).",
)
RAW_COURSE_UNIT = _raw_table(
    "raw_course_unit",
    "Course-unit items exactly as the spider landed them, with provenance.",
    "The item as landed, as JSON (with provenance).",
)
HARVEST_ISSUE = Table(
    "harvest_issue",
    "Every page the harvest could not use, and why (HTTP error, broken page, layout change): nothing is dropped silently.",
    columns=(
        Column("institution_id", "VARCHAR"),
        Column("run_id", "VARCHAR"),
        Column(
            "page_kind", "VARCHAR", "What kind of page it was (listing, programme, course sheet, API...)."
        ),
        Column("reason", "VARCHAR", "Why the page could not be used (http_500, timeout, layout_changed...)."),
        Column("detail", "VARCHAR", "More detail on the reason, when there is any."),
        Column("source_url", "VARCHAR", "The public URL that failed."),
        Column("http_status", "INTEGER"),
        Column("fetched_at", "TIMESTAMPTZ"),
    ),
)
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        INSTITUTION,
        PROGRAMME,
        COURSE_UNIT,
        PROGRAMME_COURSE,
        FLAG,
        RULE,
        RUN,
        PROGRAMME_HISTORY,
        RAW_PROGRAMME,
        RAW_PROGRAMME_COURSE,
        RAW_COURSE_UNIT,
        HARVEST_ISSUE,
    )
}


if __name__ == "__main__":
    print(ddl(), end="")
