"""The contract every field keeps: shape, order, columns, reasons, and no exception on any text."""

from __future__ import annotations

import polars as pl
import pytest

from normalise import (
    EXTRA_COLUMNS,
    FIELDS,
    REASONS,
    VALUE_DTYPES,
    normalise,
    normalise_value,
    output_schema,
)

# One realistic raw value per field, plus values that must come out differently from it.
SAMPLES: dict[str, list[str]] = {
    "credits": ["6 ECTS-credits", "7,5 ECTS", "n.v.t.", "168 hours"],
    "hours": ["168", "Studietijd 150 u", "-1", "Self study - 82 hrs"],
    "semester": ["1E SEM", "TERM2B", "jaar", "1e of 2e semester"],
    "languages": ["nl,en", "ENGLISH", "Nederlands, Klingon", "-"],
    "mode": ["online", "op de campus", "online or hybrid", ""],
    "level": ["master", "NLQF 6", "postgraduaat", "EQF 9"],
    "fee": ["€ 3.500", "Fee (TBC) € 450", "€ 53/ECTS", "$ 500"],
    "academic_year": ["2024-2025", "aj=2023", "1999", "2024-2026"],
    "date": ["2024-09-23", "26 - 30 August 2024", "31/02/2024", "September 2024"],
}

WEIRD: list[str | None] = [
    None,
    "",
    " ",
    "\t\r\n",
    "\u00a0\u202f",
    "🎓",
    "😀 6 ECTS 😀",
    "&amp;&nbsp;&euro;&#8364;&#x1F600;&bogus;",
    "<b>6</b> <i>ECTS</i>",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "9" * 10_000,
    "€ " + "9" * 400,
    "nl," * 3_000,
    "((((((((",
    "[[[",
    "$1 ${1} \\1",
    "(?i).*+?",
    "\x00\x01\x02",
    "\u202eRTL\u202c",
    "İstanbul ǅ ß ﬁ",
    "-" * 100,
    "[2026, 99, 99]",
    "99/99/9999",
    "0000-00-00",
    "n.v.t.",
]


def test_fields() -> None:
    assert FIELDS == (
        "credits",
        "hours",
        "semester",
        "languages",
        "mode",
        "level",
        "fee",
        "academic_year",
        "date",
    )
    assert set(SAMPLES) == set(FIELDS)


@pytest.mark.parametrize("field", FIELDS)
def test_columns_and_dtypes(field: str) -> None:
    out = normalise(field, pl.Series("anything", SAMPLES[field], dtype=pl.Utf8))
    assert out.columns == ["raw", "value", "reason", *EXTRA_COLUMNS[field]]
    assert out.schema == output_schema(field)
    assert out.schema["value"] == VALUE_DTYPES[field]


@pytest.mark.parametrize("field", FIELDS)
def test_order_and_length_with_repeats_and_nulls(field: str) -> None:
    distinct = [*SAMPLES[field], None]
    # a deterministic shuffle with heavy repetition: 7 * 5 rows cycling through the distinct values unevenly
    raws = [distinct[(i * 3 + i // 5) % len(distinct)] for i in range(35)]
    out = normalise(field, pl.Series(raws, dtype=pl.Utf8))
    assert out.height == len(raws)
    assert out["raw"].to_list() == raws
    expected = {raw: normalise_value(field, raw) for raw in distinct}
    got = list(zip(out["value"].to_list(), out["reason"].to_list(), strict=True))
    assert got == [expected[raw] for raw in raws]


@pytest.mark.parametrize("field", FIELDS)
def test_value_xor_reason_and_reason_vocabulary(field: str) -> None:
    out = normalise(field, pl.Series([*SAMPLES[field], *WEIRD], dtype=pl.Utf8))
    assert out.filter(pl.col("value").is_null() == pl.col("reason").is_null()).height == 0
    assert set(out["reason"].drop_nulls().to_list()) <= set(REASONS[field])
    assert "absent" in REASONS[field] and "unparseable" in REASONS[field]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("raw", WEIRD, ids=[f"weird{i}" for i in range(len(WEIRD))])
def test_weird_text_never_raises(field: str, raw: str | None) -> None:
    value, reason = normalise_value(field, raw)
    assert (value is None) != (reason is None)


@pytest.mark.parametrize("field", FIELDS)
def test_absent_values(field: str) -> None:
    for raw in (None, "", "   ", "n.v.t.", "-", "TBA", "\u00a0"):
        assert normalise_value(field, raw) == (None, "absent"), raw


@pytest.mark.parametrize("field", FIELDS)
def test_empty_and_all_null_columns(field: str) -> None:
    empty = normalise(field, pl.Series("raw", [], dtype=pl.Utf8))
    assert empty.height == 0
    assert empty.schema == output_schema(field)
    nulls = normalise(field, pl.Series([None, None, None]))
    assert nulls.height == 3
    assert nulls["reason"].to_list() == ["absent"] * 3


def test_numbers_are_read_as_their_text_and_raw_is_kept() -> None:
    out = normalise("credits", pl.Series([5.0, 7.5, None, 5.0]))
    assert out["value"].to_list() == [5.0, 7.5, None, 5.0]
    assert out["raw"].dtype == pl.Float64
    assert out["raw"].to_list() == [5.0, 7.5, None, 5.0]


def test_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        normalise("colour", pl.Series(["red"]))
    with pytest.raises(ValueError, match="unknown field"):
        normalise_value("colour", "red")


def test_normalise_value_returns_python_values() -> None:
    assert normalise_value("credits", "7,5 ECTS") == (7.5, None)
    assert normalise_value("languages", "nl,en") == (["nl", "en"], None)
    assert normalise_value("hours", "-1") == (None, "negative_sentinel")
