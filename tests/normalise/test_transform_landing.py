"""Landing files -> core tables, without a crawl: small JSON-lines files written here in the shape the spiders
land them, and the tables that come out checked against the table specification."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

import normalise.transform
from normalise.tables import polars_schema
from normalise.transform import CoreTables, StagedLines, build_core_tables, map_lines

SEEN = {
    "fetched_at": "2025-06-01T02:00:00+00:00",
    "http_status": 200,
    "body_sha256": "0" * 64,
    "spider": "ugent",
    "spider_version": "test",
    "run_id": "run-1",
}
PROGRAMME_URL = "https://studiekiezer.ugent.be/2025/micro-credential-x"


def land(directory: Path, kind: str, records: list[dict]) -> list[str]:
    lines = [json.dumps(record) for record in records]
    (directory / f"{kind}.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return lines


def small_landing(directory: Path) -> dict[str, list[str]]:
    return {
        "programme": land(
            directory,
            "programme",
            [
                {
                    "source_code": "MC01",
                    "title": "Micro-credential X",
                    "credits_raw": "6 studiepunten",
                    "academic_year_raw": "2025-2026",
                    "languages_raw": "Nederlands",
                    "source_url": PROGRAMME_URL,
                    **SEEN,
                }
            ],
        ),
        "programme_course": land(
            directory,
            "programme_course",
            [
                {
                    "programme_code": "MC01",
                    "course_code": code,
                    "course_name": name,
                    "credits_raw": "3",
                    "semester_raw": "1",
                    "offered": True,
                    "position": position,
                    "academic_year_raw": "2025-2026",
                    "source_url": PROGRAMME_URL,
                    "run_id": "run-1",
                }
                for position, (code, name) in enumerate([("C000001", "Sheet"), ("C000002", "No sheet")])
            ],
        ),
        "course_unit": land(
            directory,
            "course_unit",
            [
                {
                    "code": "C000001",
                    "name": "Sheet",
                    "credits_raw": "3 studiepunten",
                    "hours_raw": "Studietijd 90 u",
                    "academic_year_raw": "2025-2026",
                    "source_url": "https://studiekiezer.ugent.be/studiefiche/C000001",
                    **SEEN,
                }
            ],
        ),
        "issue": land(
            directory,
            "issue",
            [
                {
                    "page_kind": "course_sheet",
                    "reason": "http_500",
                    "source_url": "https://studiekiezer.ugent.be/studiefiche/C000002",
                    "http_status": 500,
                    "fetched_at": SEEN["fetched_at"],
                    "run_id": "run-1",
                }
            ],
        ),
    }


def assert_as_specified(core: CoreTables) -> None:
    for name in ("programme", "course_unit", "programme_course", "harvest_issue"):
        assert getattr(core, name).schema == pl.Schema(polars_schema(name)), name


def test_an_empty_landing_gives_empty_tables_of_the_specified_shape(tmp_path):
    core = build_core_tables("ugent", tmp_path, "run-1")
    assert_as_specified(core)
    assert core.programme.is_empty() and core.course_unit.is_empty()


def test_a_small_landing_gives_every_table_as_specified_and_drops_nothing(tmp_path):
    landed = small_landing(tmp_path)
    core = build_core_tables("ugent", tmp_path, "run-1")
    assert_as_specified(core)
    programme = core.programme.row(0, named=True)
    assert programme["registry_id"] == "ugent:MC01"
    assert (programme["academic_year"], programme["credits_ects"]) == (2025, 6.0)
    assert programme["offered_credits_sum"] == 6.0 and programme["course_unit_count"] == 2
    # Not published: derived from the credits with the Flemish factor, and marked as derived.
    assert programme["study_hours_derived"] and programme["study_hours"] == 165
    # The unit whose sheet failed is still there, from its row in the programme's table.
    units = {row["code"]: row for row in core.course_unit.iter_rows(named=True)}
    assert set(units) == {"C000001", "C000002"}
    assert units["C000001"]["study_hours"] == 90 and units["C000002"]["study_hours"] is None
    assert units["C000002"]["name"] == "No sheet"
    assert core.harvest_issue.get_column("reason").to_list() == ["http_500"]
    assert {kind: lines.to_list() for kind, lines in core.raw.items()} == landed


def test_the_staged_tables_read_back_as_written(tmp_path):
    small_landing(tmp_path)
    core = build_core_tables("ugent", tmp_path, "run-1")
    core.write(tmp_path / "staged")
    again = CoreTables.read(tmp_path / "staged")
    assert_as_specified(again)
    assert again.programme.equals(core.programme)
    assert {k: v.to_list() for k, v in again.raw.items()} == {k: v.to_list() for k, v in core.raw.items()}


def test_a_landing_read_a_few_lines_at_a_time_gives_the_same_tables_in_the_same_order(tmp_path, monkeypatch):
    """Landings are parsed in chunks (national size); chunk edges change nothing, the order included."""
    landed = small_landing(tmp_path)
    # Lines in an order the pages might answer in: the stable order (page, position) is restored.
    path = tmp_path / "programme_course.jsonl"
    path.write_text("".join(line + "\n" for line in reversed(landed["programme_course"])), encoding="utf-8")
    whole = build_core_tables("ugent", tmp_path, "run-1")
    monkeypatch.setattr(normalise.transform, "LINES_PER_CHUNK", 1)
    chunked = build_core_tables("ugent", tmp_path, "run-1")
    for name in ("programme", "course_unit", "programme_course", "harvest_issue"):
        assert getattr(chunked, name).equals(getattr(whole, name)), name
    assert chunked.raw["programme_course"].to_list() == landed["programme_course"]
    positions = [json.loads(line)["position"] for line in landed["programme_course"]]
    assert chunked.programme_course.get_column("position").to_list() == sorted(positions)


def test_raw_lines_stay_verbatim_whatever_characters_they_hold(tmp_path):
    """U+2028, tabs, quotes and separators inside a JSON text neither split a line nor change it."""
    record = {
        "source_code": "MC01",
        "title": 'A\u2028line, "quoted"\tand ; separated \u00e9\x1f',
        "academic_year_raw": "2025-2026",
        "source_url": PROGRAMME_URL,
        **SEEN,
    }
    lines = land(tmp_path, "programme", [record])
    core = build_core_tables("ugent", tmp_path, "run-1")
    assert core.raw["programme"].to_list() == lines
    assert core.programme.get_column("title").to_list() == [record["title"]]
    core.write(tmp_path / "staged")
    assert (tmp_path / "staged" / "raw_programme.jsonl").read_text(encoding="utf-8") == lines[0] + "\n"
    assert CoreTables.read(tmp_path / "staged").raw["programme"].to_list() == lines


def test_staged_raw_lines_are_read_when_asked_for_and_changed_as_read(tmp_path):
    """Read back, a staged folder's raw lines stay on disk (national builds load one kind at a time)."""
    landed = small_landing(tmp_path)
    build_core_tables("ugent", tmp_path, "run-1").write(tmp_path / "staged")
    again = CoreTables.read(tmp_path / "staged")
    assert isinstance(again.raw, StagedLines) and set(again.raw) == set(landed)
    assert again.raw["programme"].to_list() == landed["programme"]
    changed = map_lines(again.raw, lambda lines: lines.str.replace_all("run-1", "run-2", literal=True))
    assert isinstance(changed, StagedLines)
    assert changed["programme"].to_list() == [line.replace("run-1", "run-2") for line in landed["programme"]]
    # Written out again (a reused harvest staged under a new run), the changed lines are what is written.
    CoreTables(
        again.institution_id,
        "run-2",
        again.programme,
        again.course_unit,
        again.programme_course,
        again.harvest_issue,
        changed,
    ).write(tmp_path / "restaged")
    assert CoreTables.read(tmp_path / "restaged").raw["programme"].to_list() == changed["programme"].to_list()
