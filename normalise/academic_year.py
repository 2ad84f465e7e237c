"""Academic year: the start year as an integer (2024 means 2024-2025).

What belongs here: the academic year a record belongs to, from page text, URL parameters and API fields.

Raw formats handled (site):
- ``"2024-2025"``, ``"2024 - 2025"``, ``"2024/2025"``, ``"2024-25"``, ``"academiejaar 2024-2025"`` - UGent
  and UAntwerp pages (UAntwerp ``h3.heading`` "2025-2026")
- ``"aj=2024"``, a whole search URL ``"…/nl/zoek?zt=&aj=2024&loc=GENT"`` - UGent listing parameter
- ``"2024"`` - UGent programme URLs ``/2024/{slug}/programma``
- ``"2026-2027"`` - Ocasys catalogue year; offering codes ``"WMMB015-05.2026-2027.1"``

Decisions:
- The first four-digit year is the start year.
- A second year that is not the next one (``"2024-2026"``) -> null, reason ``inconsistent``.
- Years before 2000 or after 2100 -> null, reason ``implausible`` (the registry starts long after 2000; a
  larger number is a code or an amount, not a year).
"""

from __future__ import annotations

import polars as pl

from normalise._text import clean, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "implausible", "inconsistent")
EXTRA_COLUMNS: dict[str, pl.DataType] = {}
FIRST_PLAUSIBLE, LAST_PLAUSIBLE = 2000, 2100

# A second year counts only when it stands alone: "2025-2002WETGDS" (a UAntwerp course id) is the year 2025.
_YEARS = r"(?:^|\D)(\d{4})(?:\s*[-/]\s*(\d{4}|\d{2})(?:[^\p{L}\d]|$)|\D|$)"


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Int64 start year), ``reason``."""
    text = pl.col("_text")
    start = text.str.extract(_YEARS, 1).cast(pl.Int64, strict=False)
    end_written = text.str.extract(_YEARS, 2)
    end = end_written.cast(pl.Int64, strict=False)
    next_year = start + 1
    consistent = (
        end.is_null()
        | ((end_written.str.len_chars() == 4) & (end == next_year))
        | ((end_written.str.len_chars() == 2) & (end == next_year % 100))
    )
    plausible = start.is_between(FIRST_PLAUSIBLE, LAST_PLAUSIBLE)
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(value=pl.when(plausible & consistent).then(start))
        .with_columns(
            reason=reason(
                pl.col("value"),
                is_absent(text, numeric=True),
                (start.is_not_null() & ~plausible, "implausible"),
                (start.is_not_null() & ~consistent, "inconsistent"),
            )
        )
        .select("raw", "value", "reason")
        .collect()
    )
