"""Raw landing files -> the registry's core tables (polars, no Dagster), one institution at a time.

Every normalised column sits beside the raw text it came from and the reason it is null when it is null.
Nothing is dropped: a course unit whose sheet could not be fetched still appears, built from its row in
the programme's course table, and the harvest issue that explains the gap is kept. Each table leaves here with
the columns, order and types the table specification (``registry.tables``) declares.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from normalise import derive_study_hours, fee_for_credits, normalise
from normalise.tables import conform
from registry.institutions import INSTITUTIONS
from registry.tables import ITEM_KINDS

# "Practical information" labels (any language the sites use) -> programme field.
INFO_LABELS: dict[str, tuple[str, ...]] = {
    "level_raw": ("niveau", "level", "eqf", "vks-niveau"),
    "delivery_mode_raw": ("onderwijsvorm", "mode of delivery", "delivery mode", "mode"),
    "fee_raw": ("inschrijvingsgeld", "tuition fee", "fee", "studiegeld", "prijs", "kosten"),
    "period_raw": ("dates", "data", "datum", "periode"),  # "26 - 30 August 2024": start and end in one
    "contact_hours_raw": ("contact hours", "contacturen", "contactmomenten", "contact time"),
    "start_date_raw": ("startdatum", "start date", "start"),
    "end_date_raw": ("einddatum", "end date", "end"),
    "assessment": ("evaluatie", "evaluatievorm", "assessment", "type of assessment"),
    "participation_form": ("deelnamevorm", "form of participation", "participation"),
    "quality_assurance": ("kwaliteitszorg", "quality assurance", "kwaliteitsborging"),
    "prerequisites": ("toelatingsvoorwaarden", "prerequisites", "admission requirements", "voorkennis"),
    "stackability": ("stapelbaarheid", "stackability", "stackable"),
}


@dataclass
class CoreTables:
    institution_id: str
    run_id: str
    programme: pl.DataFrame
    course_unit: pl.DataFrame
    programme_course: pl.DataFrame
    harvest_issue: pl.DataFrame
    # kind -> the landed JSON lines, kept verbatim (a list of strings is taken too). Read back from a staged
    # folder, they stay on disk until asked for (``StagedLines``).
    raw: Mapping[str, pl.Series]
    flag: pl.DataFrame | None = None  # the per-record rule flags, computed once by the core step

    def __post_init__(self) -> None:
        # Held by polars, not as Python strings: at national size the raw lines are hundreds of megabytes.
        if not isinstance(self.raw, StagedLines):
            self.raw = {
                kind: lines
                if isinstance(lines, pl.Series)
                else pl.Series("record", list(lines), dtype=pl.Utf8)
                for kind, lines in self.raw.items()
            }

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name in ("programme", "course_unit", "programme_course", "harvest_issue", "flag"):
            if getattr(self, name) is not None:
                getattr(self, name).write_parquet(directory / f"{name}.parquet")
        for kind in self.raw:
            write_lines(directory / f"raw_{kind}.jsonl", self.raw[kind])
        (directory / "core.json").write_text(
            json.dumps({"institution_id": self.institution_id, "run_id": self.run_id})
        )

    @classmethod
    def read(cls, directory: Path, recheck: Callable[[Path], None] | None = None) -> CoreTables:
        """The tables written by ``write``; the raw lines stay on disk, each file passed to ``recheck`` when read."""
        meta = json.loads((directory / "core.json").read_text())
        raw = StagedLines(directory, recheck=recheck)
        return cls(
            meta["institution_id"],
            meta["run_id"],
            *(
                pl.read_parquet(directory / f"{n}.parquet")
                for n in ("programme", "course_unit", "programme_course", "harvest_issue")
            ),
            raw=raw,
            flag=pl.read_parquet(directory / "flag.parquet")
            if (directory / "flag.parquet").exists()
            else None,
        )


class StagedLines(Mapping[str, pl.Series]):
    """The raw lines of a staged folder, kind -> lines, read from ``raw_{kind}.jsonl`` each time one is asked for.

    Nothing is held: the warehouse build loads one kind at a time and lets it go, so a national source's
    hundreds of megabytes of raw lines are never in memory together (``warehouse.publish``).
    """

    def __init__(
        self,
        directory: Path,
        change: Callable[[pl.Series], pl.Series] | None = None,
        recheck: Callable[[Path], None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.change = change  # applied to the lines as they are read (a reused harvest's new run id)
        # Called with a file's path before it is read: the store checks its digest again there, since the
        # folder was verified when it was opened and the lines are read only later.
        self.recheck = recheck
        self._kinds = [path.stem.removeprefix("raw_") for path in sorted(self.directory.glob("raw_*.jsonl"))]

    def __getitem__(self, kind: str) -> pl.Series:
        if kind not in self._kinds:
            raise KeyError(kind)
        path = self.directory / f"raw_{kind}.jsonl"
        if self.recheck is not None:
            self.recheck(path)
        lines = read_lines(path)
        return self.change(lines) if self.change else lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)


def map_lines(
    raw: Mapping[str, pl.Series], change: Callable[[pl.Series], pl.Series]
) -> Mapping[str, pl.Series]:
    """``raw`` with ``change`` applied to each kind's lines; staged lines stay on disk and change as read."""
    if isinstance(raw, StagedLines):
        previous = raw.change
        return StagedLines(
            raw.directory,
            change if previous is None else lambda lines: change(previous(lines)),
            raw.recheck,
        )
    return {kind: change(lines) for kind, lines in raw.items()}


LINES_PER_CHUNK = 2_000  # landed lines held as Python objects at a time (the rest is in polars)


def read_lines(path: Path) -> pl.Series:
    """A JSON-lines file's lines, verbatim, as a string Series named ``record`` (read by polars, not Python).

    Read as a one-column CSV with no quoting and the unit separator as delimiter: JSON text never holds a raw
    control character (every encoder escapes them), so each line is one field, exactly as written.
    """
    return pl.read_csv(
        path, has_header=False, separator="\x1f", quote_char=None, schema={"record": pl.Utf8}
    ).get_column("record")


def write_lines(path: Path, lines: pl.Series) -> None:
    """Writes ``lines`` one per line, verbatim (the inverse of ``read_lines``)."""
    pl.DataFrame({"record": lines}).write_csv(
        path, include_header=False, separator="\x1f", quote_style="never", line_terminator="\n"
    )


def _landed_lines(path: Path) -> Iterator[str]:
    # Only "\n" ends a landed line: a JSON text may hold U+2028 or other characters str.splitlines breaks on.
    with path.open(encoding="utf-8", newline="\n") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.strip():
                yield line


def read_landing(
    landing_dir: Path, kind: str, schema: dict[str, pl.DataType], *, info: bool = False
) -> tuple[pl.Series, pl.DataFrame]:
    """The landed JSON lines of one item kind (verbatim) and their records as a frame of ``schema``'s columns
    (with the practical-information columns when ``info``), both in a stable order.

    Parsed ``LINES_PER_CHUNK`` lines at a time, so only one chunk's records are ever Python dicts: at national
    size (100,000 course units) a landing held as dicts would take gigabytes.
    """
    path = Path(landing_dir) / f"{kind}.jsonl"
    parts = []
    if path.exists():
        lines = _landed_lines(path)
        while chunk := list(itertools.islice(lines, LINES_PER_CHUNK)):
            records = [json.loads(line) for line in chunk]
            if info:  # the label -> text mapping becomes the INFO_LABELS columns, not a column of its own
                frame = _frame([{k: v for k, v in r.items() if k != "info"} for r in records], schema)
                frame = frame.with_columns(
                    pl.Series(name, values, dtype=pl.Utf8) for name, values in _info_columns(records).items()
                )
            else:
                frame = _frame(records, schema)
            parts.append(
                frame.with_columns(
                    pl.Series("_line", chunk, dtype=pl.Utf8),
                    # Concurrent requests land items in whatever order pages answered. Put them in a stable
                    # order (page, then position on the page) so that every "first" chosen later (merges,
                    # duplicate ids) is the same each night.
                    pl.Series("_page", [r.get("source_url") or "" for r in records], dtype=pl.Utf8),
                    pl.Series("_position", [r.get("position") or 0 for r in records], dtype=pl.Int64),
                )
            )
    if not parts:
        empty = _frame([], schema)
        if info:
            empty = empty.with_columns(pl.lit(None, pl.Utf8).alias(n) for n in INFO_LABELS)
        return pl.Series("record", [], dtype=pl.Utf8), empty
    landed = pl.concat(parts).sort("_page", "_position", maintain_order=True)
    return landed.get_column("_line").alias("record"), landed.drop("_line", "_page", "_position")


def with_normalised(df: pl.DataFrame, field: str, raw_column: str, value_column: str) -> pl.DataFrame:
    """Adds the normalised ``value_column`` beside ``raw_column`` (``x_raw``), the reason it is null as
    ``x_reason``, and the field's extra columns as ``{value_column}_{extra}``."""
    result = normalise(field, df.get_column(raw_column).cast(pl.Utf8))
    extras = [c for c in result.columns if c not in ("raw", "value", "reason")]
    stem = raw_column.removesuffix("_raw")
    return df.with_columns(
        result.get_column("value").alias(value_column),
        result.get_column("reason").alias(f"{stem}_reason"),
        *(result.get_column(c).alias(f"{value_column}_{c}") for c in extras),
    )


def _with_contact_hours(df: pl.DataFrame, from_study_text: str) -> pl.DataFrame:
    """``contact_hours`` (+ raw, reason): from the record's own contact-hours text, where a bare number is
    contact hours (UAntwerp "Contact hours: 45" prints "45"), else from the study-hours text
    (``from_study_text``: "120 hours of study time, including 24 hours of lectures ..." gives 36). The raw
    column holds the text they were read from."""
    if "contact_hours_raw" not in df.columns:
        df = df.with_columns(contact_hours_raw=pl.lit(None, pl.Utf8))
    own = normalise("hours", df.get_column("contact_hours_raw").cast(pl.Utf8))
    own_contact = pl.coalesce(own.get_column("contact_hours"), own.get_column("value"))
    from_study = pl.col(from_study_text)
    return df.with_columns(
        contact_hours=pl.coalesce(own_contact, from_study).cast(pl.Int32),
        contact_hours_raw=pl.when(own_contact.is_null() & from_study.is_not_null())
        .then(pl.col("study_hours_raw"))
        .otherwise(pl.col("contact_hours_raw")),
        contact_hours_reason=pl.when(own_contact.is_null() & from_study.is_null()).then(
            pl.when(pl.col("contact_hours_raw").is_null())
            .then(pl.lit("absent"))
            .otherwise(own.get_column("reason"))
        ),
    )


def _frame(records: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if not records:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame(records, infer_schema_length=None)
    return frame.select(
        [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c) for c, t in schema.items()]
    )


# The provenance every page's item carries (scrapers.items), in the order the landing files hold it.
_PROVENANCE_RAW = {
    "source_url": pl.Utf8,
    "fetched_at": pl.Utf8,
    "last_verified_at": pl.Utf8,
    "http_status": pl.Int64,
    "body_sha256": pl.Utf8,
    "spider": pl.Utf8,
    "spider_version": pl.Utf8,
    "run_id": pl.Utf8,
}

_PROGRAMME_RAW = {
    "source_code": pl.Utf8,
    "title": pl.Utf8,
    "programme_type": pl.Utf8,
    "faculty": pl.Utf8,
    "campus": pl.Utf8,
    "credits_raw": pl.Utf8,
    "academic_year_raw": pl.Utf8,
    "page_language": pl.Utf8,
    "hours_raw": pl.Utf8,
    "languages_raw": pl.Utf8,
    "semester_raw": pl.Utf8,
    "page_url": pl.Utf8,
    "learning_outcomes": pl.List(pl.Utf8),
    **_PROVENANCE_RAW,
}
_ROW_RAW = {
    "programme_code": pl.Utf8,
    "course_code": pl.Utf8,
    "course_name": pl.Utf8,
    "credits_raw": pl.Utf8,
    "languages_raw": pl.Utf8,
    "semester_raw": pl.Utf8,
    "offered": pl.Boolean,
    "position": pl.Int64,
    "academic_year_raw": pl.Utf8,
    "source_url": pl.Utf8,
    "run_id": pl.Utf8,
}
_SHEET_RAW = {
    "code": pl.Utf8,
    "name": pl.Utf8,
    "credits_raw": pl.Utf8,
    "hours_raw": pl.Utf8,
    "contact_hours_raw": pl.Utf8,
    "languages_raw": pl.Utf8,
    "semester_raw": pl.Utf8,
    "lecturers": pl.List(pl.Utf8),
    "learning_outcomes": pl.List(pl.Utf8),
    "assessment": pl.Utf8,
    "academic_year_raw": pl.Utf8,
    "sheet_language": pl.Utf8,
    **_PROVENANCE_RAW,
}
_ISSUE_RAW = {
    "page_kind": pl.Utf8,
    "reason": pl.Utf8,
    "detail": pl.Utf8,
    "source_url": pl.Utf8,
    "http_status": pl.Int64,
    "fetched_at": pl.Utf8,
    "run_id": pl.Utf8,
}

# Each landed item kind's fields (the programme's "info" mapping is read into the INFO_LABELS columns).
_LANDED_SCHEMA = {
    "programme": _PROGRAMME_RAW,
    "programme_course": _ROW_RAW,
    "course_unit": _SHEET_RAW,
    "issue": _ISSUE_RAW,
}


def _info_columns(records: list[dict]) -> dict[str, list[str | None]]:
    """Picks the practical-information values out of each programme's label -> text mapping."""
    columns: dict[str, list[str | None]] = {name: [] for name in INFO_LABELS}
    for record in records:
        info = {str(k).strip().rstrip(":").lower(): v for k, v in (record.get("info") or {}).items()}
        for name, labels in INFO_LABELS.items():
            columns[name].append(next((info[label] for label in labels if label in info), None))
    return columns


def _timestamp(column: str) -> pl.Expr:
    return pl.col(column).str.to_datetime(time_zone="UTC", strict=False)


def build_core_tables(institution_id: str, landing_dir: Path, run_id: str) -> CoreTables:
    """Normalises one institution's landed harvest into the core tables."""
    raw_lines: dict[str, pl.Series] = {}
    landed: dict[str, pl.DataFrame] = {}
    for kind in ITEM_KINDS:
        raw_lines[kind], landed[kind] = read_landing(
            landing_dir, kind, _LANDED_SCHEMA[kind], info=kind == "programme"
        )

    rows = landed["programme_course"]
    rows = with_normalised(rows, "academic_year", "academic_year_raw", "academic_year")
    rows = with_normalised(rows, "credits", "credits_raw", "credits_ects")
    rows = with_normalised(rows, "semester", "semester_raw", "semester")
    rows = with_normalised(rows, "languages", "languages_raw", "languages")
    rows = rows.with_columns(
        registry_id=pl.lit(f"{institution_id}:") + pl.col("programme_code"),
        institution_id=pl.lit(institution_id),
    )
    programme_course = conform(
        rows.filter(pl.col("course_code").is_not_null() & pl.col("academic_year").is_not_null()).unique(
            subset=["registry_id", "course_code", "academic_year"], keep="first", maintain_order=True
        ),
        "programme_course",
    )

    programme = _programme_table(institution_id, landed["programme"], programme_course)
    course_unit = _course_unit_table(institution_id, landed["course_unit"], programme_course)
    issues = conform(
        landed["issue"].with_columns(
            institution_id=pl.lit(institution_id), fetched_at=_timestamp("fetched_at")
        ),
        "harvest_issue",
    )
    return CoreTables(institution_id, run_id, programme, course_unit, programme_course, issues, raw_lines)


def _programme_table(institution_id: str, df: pl.DataFrame, programme_course: pl.DataFrame) -> pl.DataFrame:
    institution = INSTITUTIONS[institution_id]
    df = with_normalised(df, "academic_year", "academic_year_raw", "academic_year")
    # A school's "academic year" is its dates (RUG): the year runs September-August, so a school in
    # July 2025 belongs to 2024-2025 and one in January 2026 to 2025-2026.
    dated = normalise("date", df.get_column("academic_year_raw").cast(pl.Utf8)).get_column("value")
    df = df.with_columns(
        academic_year=pl.when(dated.is_not_null())
        .then(dated.dt.year() - (dated.dt.month() < 9).cast(pl.Int32))
        .otherwise(pl.col("academic_year"))
    )
    df = with_normalised(df, "credits", "credits_raw", "credits_ects")
    df = with_normalised(df, "level", "level_raw", "eqf_level")
    df = with_normalised(df, "mode", "delivery_mode_raw", "delivery_mode")
    df = with_normalised(df, "fee", "fee_raw", "fee_eur")
    df = with_normalised(df, "date", "start_date_raw", "start_date")
    df = with_normalised(df, "date", "end_date_raw", "end_date")
    df = with_normalised(df, "date", "period_raw", "period")
    df = df.with_columns(
        start_date=pl.coalesce("start_date", "period_start"),
        # A period written in one field ("14 - 18 July 2025" under "Dates" or under "Start") gives the end too.
        end_date=pl.coalesce("end_date", "period_end", "start_date_end"),
        start_date_raw=pl.coalesce("start_date_raw", "period_raw"),
        end_date_raw=pl.coalesce("end_date_raw", "period_raw"),
    )
    df = df.with_columns(registry_id=pl.lit(f"{institution_id}:") + pl.col("source_code"))

    # Programme-level semester and languages come from its offered course units, in table order.
    offered = programme_course.filter("offered").sort("registry_id", "academic_year", "position")
    per_programme = (
        offered.group_by("registry_id", "academic_year", maintain_order=True)
        .agg(
            semester_raw=pl.col("semester_raw").drop_nulls().unique(maintain_order=True).str.join(" / "),
            semesters=pl.col("semester").drop_nulls().unique(),
            languages_raw=pl.col("languages_raw").drop_nulls().str.join(", "),
            course_unit_count=pl.len().cast(pl.Int32),
            offered_credits_sum=pl.col("credits_ects").sum(),
            offered_credits_missing=pl.col("credits_ects").is_null().sum(),
        )
        .with_columns(
            semester=pl.when(pl.col("semesters").list.len() == 1)
            .then(pl.col("semesters").list.first())
            .when(pl.col("semesters").list.set_difference(["S1", "S2", "YEAR"]).list.len() == 0)
            .then(pl.lit("YEAR")),
            offered_credits_sum=pl.when(pl.col("offered_credits_missing") == 0).then(
                pl.col("offered_credits_sum")
            ),
        )
    )
    # What the programme page itself publishes wins; otherwise the course units' values are used.
    per_programme = per_programme.rename(
        {
            "semester_raw": "units_semester_raw",
            "languages_raw": "units_languages_raw",
            "semester": "units_semester",
        }
    )
    df = df.join(
        per_programme.drop("semesters", "offered_credits_missing"),
        on=["registry_id", "academic_year"],
        how="left",
    )
    # A summer or winter school says so in its page kind ("Summer schools"), not in a semester field.
    df = df.with_columns(
        school_kind_raw=pl.when(
            pl.col("programme_type").str.contains(r"(?i)summer|winter|zomer|winterschool")
        ).then(pl.col("programme_type"))
    )
    df = with_normalised(df, "semester", "semester_raw", "page_semester")
    df = with_normalised(df, "semester", "school_kind_raw", "school_semester")
    df = df.with_columns(
        semester=pl.coalesce("page_semester", "units_semester", "school_semester"),
        semester_raw=pl.coalesce(
            pl.col("semester_raw"), pl.col("units_semester_raw").replace("", None), pl.col("school_kind_raw")
        ),
        languages_raw=pl.coalesce(pl.col("languages_raw"), pl.col("units_languages_raw").replace("", None)),
        course_unit_count=pl.col("course_unit_count").fill_null(0),
    )
    df = with_normalised(df, "languages", "languages_raw", "languages")
    df = df.with_columns(
        semester_reason=pl.when(pl.col("semester").is_null()).then(
            pl.when(pl.col("semester_raw").is_null())
            .then(pl.lit("absent"))
            .otherwise(pl.lit("mixed_or_unparseable"))
        )
    )
    # Study hours as published; else derived from credits, marked as derived with the national factor.
    df = df.rename({"hours_raw": "study_hours_raw"})
    df = with_normalised(df, "hours", "study_hours_raw", "published_hours")
    df = _with_contact_hours(df, "published_hours_contact_hours")
    derived = derive_study_hours(pl.col("credits_ects"), pl.lit(institution.country))
    derive = pl.col("published_hours").is_null() & pl.col("credits_ects").is_not_null()
    df = df.with_columns(
        study_hours=pl.coalesce(pl.col("published_hours"), derived.struct.field("hours")).cast(pl.Int32),
        study_hours_derived=derive,
        study_hours_factor=pl.when(derive).then(derived.struct.field("factor")),
        study_hours_reason=pl.when(pl.col("published_hours").is_null() & ~derive).then(
            pl.col("study_hours_reason")
        ),
    )
    # A fee of "fixed amount + rate per credit" (UGent) becomes a total once the credits are known.
    per_credit_total = fee_for_credits(
        pl.col("fee_eur_fixed_amount"), pl.col("fee_eur_per_credit"), pl.col("credits_ects")
    )
    df = df.with_columns(
        fee_covers=pl.when(pl.col("fee_eur").is_null() & per_credit_total.is_not_null())
        .then(
            pl.lit("fixed amount + ")
            + pl.col("fee_eur_per_credit").cast(pl.Utf8)
            + pl.lit(" per credit × ")
            + pl.col("credits_ects").cast(pl.Utf8)
            + pl.lit(" credits")
        )
        .otherwise(pl.col("fee_eur_covers")),
        fee_reason=pl.when(per_credit_total.is_null()).then(pl.col("fee_reason")),
        fee_eur_derived=pl.when(pl.col("fee_eur").is_not_null() | per_credit_total.is_not_null()).then(
            pl.col("fee_eur").is_null()
        ),
        fee_eur=pl.coalesce(pl.col("fee_eur"), per_credit_total),
        fee_fixed_eur=pl.col("fee_eur_fixed_amount"),
        fee_per_credit_eur=pl.col("fee_eur_per_credit"),
        fee_tiers=pl.col("fee_eur_tiers"),
    )
    return df.with_columns(
        institution_id=pl.lit(institution_id),
        url=pl.coalesce("page_url", "source_url"),
        title_language=pl.col("page_language"),
        fetched_at=_timestamp("fetched_at"),
        # Items landed before the revisit policy carry no last_verified_at: they were verified when fetched.
        last_verified_at=pl.coalesce(_timestamp("last_verified_at"), _timestamp("fetched_at")),
        national_level=pl.col("eqf_level_framework_level"),
        credits_min=pl.col("credits_ects_min"),
        credits_max=pl.col("credits_ects_max"),
    ).pipe(conform, "programme")


def _course_unit_table(
    institution_id: str, sheets: pl.DataFrame, programme_course: pl.DataFrame
) -> pl.DataFrame:
    sheets = with_normalised(sheets, "academic_year", "academic_year_raw", "academic_year")
    # One unit may be described by several pages (UAntwerp: the study-programme specs and the courseInfo
    # sheet; UGent: a Dutch and an English sheet). Merge them field by field, first non-empty value wins,
    # Dutch sheets before English ones. Then add the programme-table rows of units without any sheet.
    keyed = sheets.filter(pl.col("code").is_not_null() & pl.col("academic_year").is_not_null()).sort(
        pl.col("sheet_language") == "en", maintain_order=True
    )
    from_sheets = keyed.group_by("code", "academic_year", maintain_order=True).agg(
        pl.col(c).filter(pl.col(c).list.len() > 0).first()
        if isinstance(dtype, pl.List)
        else pl.col(c).drop_nulls().first()
        for c, dtype in _SHEET_RAW.items()
        if c != "code"
    )
    missing = (
        programme_course.join(
            from_sheets.select("code", "academic_year"),
            left_on=["course_code", "academic_year"],
            right_on=["code", "academic_year"],
            how="anti",
        )
        .unique(subset=["course_code", "academic_year"], keep="first", maintain_order=True)
        .select(
            pl.col("course_code").alias("code"),
            pl.col("course_name").alias("name"),
            "credits_raw",
            pl.lit(None, pl.Utf8).alias("hours_raw"),
            pl.lit(None, pl.Utf8).alias("contact_hours_raw"),
            "languages_raw",
            "semester_raw",
            pl.lit(None, pl.List(pl.Utf8)).alias("lecturers"),
            pl.lit(None, pl.List(pl.Utf8)).alias("learning_outcomes"),
            pl.lit(None, pl.Utf8).alias("assessment"),
            pl.col("academic_year").cast(pl.Utf8).alias("academic_year_raw"),
            pl.lit(None, pl.Utf8).alias("sheet_language"),
            "source_url",
            pl.lit(None, pl.Utf8).alias("fetched_at"),
            pl.lit(None, pl.Utf8).alias("last_verified_at"),
            pl.lit(None, pl.Int64).alias("http_status"),
            pl.lit(None, pl.Utf8).alias("body_sha256"),
            pl.lit(None, pl.Utf8).alias("spider"),
            pl.lit(None, pl.Utf8).alias("spider_version"),
            "run_id",
        )
    )
    units = pl.concat([from_sheets.select(list(_SHEET_RAW)), missing], how="vertical_relaxed")
    units = with_normalised(units, "academic_year", "academic_year_raw", "academic_year")
    units = with_normalised(units, "credits", "credits_raw", "credits_ects")
    units = units.rename({"hours_raw": "study_hours_raw"})
    units = with_normalised(units, "hours", "study_hours_raw", "study_hours")
    units = _with_contact_hours(units, "study_hours_contact_hours")
    units = with_normalised(units, "semester", "semester_raw", "semester")
    units = with_normalised(units, "languages", "languages_raw", "languages")
    return units.with_columns(
        institution_id=pl.lit(institution_id),
        course_key=pl.concat_str(
            pl.lit(f"{institution_id}:"), "code", pl.lit(":"), pl.col("academic_year").cast(pl.Utf8)
        ),
        url=pl.col("source_url"),
        fetched_at=_timestamp("fetched_at"),
        last_verified_at=pl.coalesce(_timestamp("last_verified_at"), _timestamp("fetched_at")),
        credits_min=pl.col("credits_ects_min"),
        credits_max=pl.col("credits_ects_max"),
    ).pipe(conform, "course_unit")
