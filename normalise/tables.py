"""The polars side of the table specification (``registry.tables``): each DuckDB type as its polars type, and
each table as a polars schema, so the core tables are cast to exactly what the warehouse declares.

What belongs here: the type mapping and the casts, nothing about any one table.
"""

from __future__ import annotations

import re

import polars as pl

from registry.tables import TABLES, Table

_SCALARS: dict[str, pl.DataType] = {
    "VARCHAR": pl.Utf8(),
    "JSON": pl.Utf8(),
    "BOOLEAN": pl.Boolean(),
    "INTEGER": pl.Int32(),
    "BIGINT": pl.Int64(),
    "DOUBLE": pl.Float64(),
    "DATE": pl.Date(),
    "TIMESTAMPTZ": pl.Datetime("us", "UTC"),
}


def _split_fields(body: str) -> list[str]:
    """``label VARCHAR, amount_eur DECIMAL(12, 2)`` -> its fields (commas inside parentheses kept)."""
    fields, depth, current = [], 0, ""
    for char in body:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            fields.append(current.strip())
            current = ""
        else:
            current += char
    return [*fields, current.strip()] if current.strip() else fields


def polars_type(duckdb_type: str) -> pl.DataType:
    """The polars type of a DuckDB column type as the specification writes it."""
    text = duckdb_type.strip()
    if text.endswith("[]"):
        return pl.List(polars_type(text[:-2]))
    if decimal := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", text):
        return pl.Decimal(int(decimal[1]), int(decimal[2]))
    if text.startswith("STRUCT(") and text.endswith(")"):
        fields = [field.split(None, 1) for field in _split_fields(text[len("STRUCT(") : -1])]
        return pl.Struct({name: polars_type(kind) for name, kind in fields})
    if text in _SCALARS:
        return _SCALARS[text]
    raise ValueError(f"no polars type for the DuckDB type {duckdb_type!r}")


def polars_schema(table: str | Table, *, exclude: tuple[str, ...] = ()) -> dict[str, pl.DataType]:
    """The table's columns in order, each with its polars type."""
    spec = TABLES[table] if isinstance(table, str) else table
    return {c.name: polars_type(c.type) for c in spec.columns if c.name not in exclude}


def conform(frame: pl.DataFrame, table: str, *, exclude: tuple[str, ...] = ()) -> pl.DataFrame:
    """The frame as the table declares it: its columns, in the table's order, each cast to its type."""
    return frame.select(
        pl.col(name).cast(dtype) for name, dtype in polars_schema(table, exclude=exclude).items()
    )
