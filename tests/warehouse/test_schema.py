"""The one table specification (``registry.tables``) and what is generated from it: the DDL, the committed
``warehouse/schema.sql``, the column comments and the polars casts. The tests here need no crawl."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from normalise.tables import conform, polars_schema, polars_type
from quality.checks import FLAG_SCHEMA, record_flags
from registry.tables import TABLES, ddl
from warehouse.dictionary import describe_column, empty_warehouse

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_schema_sql_is_the_generated_ddl():
    assert (REPO / "warehouse" / "schema.sql").read_text(encoding="utf-8") == ddl(), (
        "run `python -m registry.tables > warehouse/schema.sql`"
    )


def test_the_ddl_creates_each_table_as_specified():
    con = duckdb.connect()
    con.execute(ddl())
    for table in TABLES.values():
        created = con.execute(
            "SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [table.name],
        ).fetchall()
        assert created == [(c.name, c.nullable and c.name not in table.key) for c in table.columns], (
            table.name
        )
        keys = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [table.name],
        ).fetchall()
        assert keys == ([(list(table.key),)] if table.key else []), table.name


def test_every_table_and_column_has_its_definition_in_the_warehouse():
    con = empty_warehouse()
    for table in TABLES.values():
        assert table.comment
        comments = dict(
            con.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [table.name]
            ).fetchall()
        )
        for column in table.columns:
            assert column.description, f"{table.name}.{column.name} has no definition"
            assert comments[column.name] == column.description == describe_column(table.name, column.name)


def test_a_column_defined_for_its_table_overrides_the_shared_definition():
    institution_name = TABLES["institution"].column("name")
    course_name = TABLES["course_unit"].column("name")
    assert institution_name.description != course_name.description
    assert (
        TABLES["programme"].column("credits_ects").description
        == TABLES["course_unit"].column("credits_ects").description
    )


def test_each_duckdb_type_has_the_polars_type_duckdb_reads_back():
    """A frame cast by the specification round-trips through DuckDB with the same polars types."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # timestamps come back in the session's zone; the registry's is UTC
    con.execute(ddl())
    for table in TABLES.values():
        arrow = con.sql(f"SELECT * FROM {table.name}").to_arrow_table()
        assert pl.from_arrow(arrow).schema == pl.Schema(polars_schema(table)), table.name


@pytest.mark.parametrize(
    ("duckdb_type", "expected"),
    [
        ("VARCHAR[]", pl.List(pl.Utf8)),
        ("DECIMAL(12, 2)", pl.Decimal(12, 2)),
        (
            "STRUCT(label VARCHAR, amount_eur DECIMAL(12, 2))[]",
            pl.List(pl.Struct({"label": pl.Utf8, "amount_eur": pl.Decimal(12, 2)})),
        ),
        ("TIMESTAMPTZ", pl.Datetime("us", "UTC")),
    ],
)
def test_composite_types_map_field_by_field(duckdb_type, expected):
    assert polars_type(duckdb_type) == expected


def test_an_unknown_type_is_refused_not_guessed():
    with pytest.raises(ValueError, match="HUGEINT"):
        polars_type("HUGEINT")


def test_conform_orders_and_casts_to_the_table():
    frame = pl.DataFrame(
        {"http_status": [200], "source_url": ["https://x"], "institution_id": ["ugent"], "extra": [1]}
    ).with_columns(
        pl.lit(None).alias(c)
        for c in TABLES["harvest_issue"].names
        if c not in ("http_status", "source_url", "institution_id")
    )
    conformed = conform(frame, "harvest_issue")
    assert conformed.columns == list(TABLES["harvest_issue"].names)
    assert conformed.schema["http_status"] == pl.Int32
    assert conformed.schema["fetched_at"] == pl.Datetime("us", "UTC")


def test_the_flag_frame_is_the_flag_table_without_its_run_id():
    assert list(FLAG_SCHEMA) == [c for c in TABLES["flag"].names if c != "run_id"]
    empty = record_flags(
        pl.DataFrame(schema=polars_schema("programme")),
        pl.DataFrame(schema=polars_schema("course_unit")),
        pl.DataFrame(schema=polars_schema("harvest_issue")),
    )
    assert empty.schema == pl.Schema(FLAG_SCHEMA)
