"""Raw items: one record per thing seen, strings exactly as on the page, each with its provenance.

Nothing here is normalised: credits stay "1 year | 8 credits", languages stay "nl,en". The Dagster core
assets turn these into registry values and keep the raw text beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.tables import ITEM_KINDS  # noqa: F401 - the landing kinds, defined once in the core


@dataclass(kw_only=True)
class Provenance:
    """Where a record came from: enough to fetch the same page again and check it is unchanged."""

    source: str  # institution id: ugent, uantwerpen, rug
    source_url: str  # canonical public URL, never the loopback one
    fetched_at: str  # ISO 8601, UTC
    http_status: int
    body_sha256: str
    spider: str
    spider_version: str
    run_id: str | None = None  # stamped by the landing pipeline
    # When the server last confirmed this page (a 200 or a 304). Equal to fetched_at for a page fetched or
    # revalidated tonight; older for a page the revisit policy (scrapers/revisit.py) replayed without asking.
    last_verified_at: str | None = None


@dataclass(kw_only=True)
class ProgrammeItem(Provenance):
    """A micro-credential as published for one academic year."""

    kind: str = "programme"
    academic_year_raw: str | None = None
    source_code: str | None = None
    title: str | None = None
    programme_type: str | None = None
    faculty: str | None = None
    campus: str | None = None
    credits_raw: str | None = None
    # Programme-level text where the site publishes it (else derived from the course units):
    hours_raw: str | None = None
    languages_raw: str | None = None
    semester_raw: str | None = None
    listing_title: str | None = None
    listing_url: str | None = None
    # The programme's public page when it is not the page fetched (an offer listed but hosted elsewhere).
    page_url: str | None = None
    page_language: str | None = None
    # Label -> raw text of the "practical information" block (level, mode, fee, dates, assessment, ...).
    info: dict[str, str] = field(default_factory=dict)
    learning_outcomes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class ProgrammeCourseItem(Provenance):
    """One row of a programme's course table: which course unit belongs to which micro-credential."""

    kind: str = "programme_course"
    academic_year_raw: str | None = None
    programme_code: str | None = None
    course_code: str | None = None
    course_name: str | None = None
    credits_raw: str | None = None
    languages_raw: str | None = None
    semester_raw: str | None = None
    row_class: str | None = None
    offered: bool = True
    position: int = 0


@dataclass(kw_only=True)
class CourseUnitItem(Provenance):
    """A course unit's own sheet (studiefiche, course info, Ocasys record)."""

    kind: str = "course_unit"
    academic_year_raw: str | None = None
    code: str | None = None
    name: str | None = None
    credits_raw: str | None = None
    hours_raw: str | None = None
    contact_hours_raw: str | None = None
    languages_raw: str | None = None
    semester_raw: str | None = None
    sheet_language: str | None = None
    lecturers: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    content: str | None = None
    learning_outcomes: list[str] = field(default_factory=list)
    assessment: str | None = None


@dataclass(kw_only=True)
class HarvestIssue(Provenance):
    """A page that could not give what was expected: recorded with its reason, never silently dropped."""

    kind: str = "issue"
    page_kind: str | None = None
    reason: str = ""
    detail: str | None = None
