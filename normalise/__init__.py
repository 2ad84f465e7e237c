"""Normalisers: raw scraped strings -> the registry vocabularies, as polars expressions.

What belongs here: the registry of fields and the one entry point, :func:`normalise`. Each vocabulary lives in
its own module (``credits``, ``hours``, ``semester``, ``languages``, ``mode``, ``level``, ``fee``,
``academic_year``, ``date``), whose docstring lists the raw formats it reads (with their site), the decisions
taken and its extra columns. Beside them, the landing -> core-table transform (``transform``, cast to the
table specification by ``tables``) and the reuse of an unchanged landing's staged tables (``reuse``). This
package stands on the core (``registry``) only. Nothing here imports Dagster, pandas or Great Expectations: the
command line (``cli.py``) must start in well under a second.

Every field returns one row per input row, in the input order, with the columns:

- ``raw``: the input, unchanged;
- ``value``: the canonical value (dtype in :data:`VALUE_DTYPES`), null when it cannot be told;
- ``reason``: null when ``value`` is set, otherwise ``absent`` (nothing published: null, blank, "n.v.t.",
  "-", "TBA"…), ``unparseable``, or a field-specific reason (see :data:`REASONS`);
- the field's extra columns (:data:`EXTRA_COLUMNS`).

Speed: raw values repeat heavily (a few hundred distinct strings in a million rows), so each *distinct* value
is normalised once with vectorised expressions and the result is joined back onto the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import polars as pl

from normalise import (
    academic_year,
    credits,
    date,
    fee,
    hours,
    languages,
    level,
    mode,
    semester,
)
from normalise.fee import fee_for_credits
from normalise.hours import HOURS_PER_CREDIT, HOURS_PER_CREDIT_BAND, derive_study_hours

_MODULES: dict[str, ModuleType] = {
    "credits": credits,
    "hours": hours,
    "semester": semester,
    "languages": languages,
    "mode": mode,
    "level": level,
    "fee": fee,
    "academic_year": academic_year,
    "date": date,
}

FIELDS: tuple[str, ...] = tuple(_MODULES)

VALUE_DTYPES: dict[str, pl.DataType] = {
    "credits": pl.Float64(),
    "hours": pl.Int64(),
    "semester": pl.Utf8(),
    "languages": pl.List(pl.Utf8),
    "mode": pl.Utf8(),
    "level": pl.Int64(),
    "fee": pl.Float64(),
    "academic_year": pl.Int64(),
    "date": pl.Date(),
}
REASONS: dict[str, tuple[str, ...]] = {field: module.REASONS for field, module in _MODULES.items()}
EXTRA_COLUMNS: dict[str, dict[str, pl.DataType]] = {
    field: module.EXTRA_COLUMNS for field, module in _MODULES.items()
}

__all__ = [
    "EXTRA_COLUMNS",
    "FIELDS",
    "HOURS_PER_CREDIT",
    "HOURS_PER_CREDIT_BAND",
    "REASONS",
    "VALUE_DTYPES",
    "derive_study_hours",
    "fee_for_credits",
    "normalise",
    "normalise_value",
    "output_schema",
]


def output_schema(field: str) -> pl.Schema:
    """The columns and dtypes :func:`normalise` returns for ``field`` (``raw`` as Utf8)."""
    _check_field(field)
    return pl.Schema(
        {"raw": pl.Utf8(), "value": VALUE_DTYPES[field], "reason": pl.Utf8(), **EXTRA_COLUMNS[field]}
    )


def normalise(field: str, raw: pl.Series) -> pl.DataFrame:
    """Normalise a column of raw strings for ``field``: one row per input row, same order.

    ``raw`` is normally Utf8; numbers (Ocasys ``credits`` 5.0, ``hours`` -1) are read as their text and a
    list of strings (Ocasys ``language``) as its items joined by commas. The ``raw`` column of the result is
    the input as given. Never raises on any text; raises ``ValueError`` for a field that does not exist.
    """
    _check_field(field)
    frame_of: Callable[[pl.DataFrame], pl.DataFrame] = _MODULES[field].normalise_frame
    text = _as_text(raw)
    schema = output_schema(field)
    distinct = frame_of(pl.DataFrame({"raw": text.unique()})).select(
        pl.col("raw").alias("_key"),
        *[pl.col(name).cast(dtype) for name, dtype in schema.items() if name != "raw"],
    )
    # One chunk: gathering list columns from a multi-chunk frame onto a million rows is ~10x slower.
    distinct = distinct.rechunk()
    rows = pl.DataFrame({"_key": text}).join(
        distinct, on="_key", how="left", nulls_equal=True, maintain_order="left"
    )
    return rows.drop("_key").insert_column(0, raw.rename("raw"))


def normalise_value(field: str, text: str | None) -> tuple[object, str | None]:
    """One raw value normalised, as ``(value, reason)``; the command line's helper, same expressions."""
    row = normalise(field, pl.Series("raw", [text], dtype=pl.Utf8)).row(0, named=True)
    return row["value"], row["reason"]


def _check_field(field: str) -> None:
    if field not in _MODULES:
        raise ValueError(f"unknown field {field!r}; known fields: {', '.join(FIELDS)}")


def _as_text(raw: pl.Series) -> pl.Series:
    """The raw column as Utf8: strings as they are, numbers as their text, lists of strings joined."""
    dtype = raw.dtype
    if dtype == pl.Utf8:
        return raw.rename("raw")
    if isinstance(dtype, pl.List | pl.Array):
        return raw.cast(pl.List(pl.Utf8), strict=False).list.join(", ").rename("raw")
    if dtype == pl.Null:
        return raw.cast(pl.Utf8).rename("raw")
    return raw.cast(pl.Utf8, strict=False).rename("raw")
