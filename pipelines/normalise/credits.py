"""Credits: the size of a programme or course unit in ECTS credits (Float64), never hours.

What belongs here: reading a credit amount out of any credit-bearing text on the three sites. Study hours are
``hours.py``'s job; a text that only gives hours is *not* turned into credits here.

Raw formats handled (site):
- ``"6 ECTS-credits"``, ``"6 <span>ECTS-credits</span>"``, ``"6 studiepunten"`` - UAntwerp ``div.spec.points``
- ``"Study load (hours): 168 (6 cr.)"``, ``"168 (6 cr.)"`` - UAntwerp ``div.spec.tax`` -> 6.0 (the credits)
- ``"8 credits"``, ``"1 year | 8 credits"``, ``"1 jaar | 8 studiepunten"`` - UGent search cards
- ``"5"``, ``"5,0"`` - UGent ``td.SP``; ``"Studiepunten: 4"`` - UGent studiefiche
- ``"5.0"`` - Ocasys ``credits`` (a JSON number, passed as text); ``"credits 3 EC"``, ``"3 EC"`` - RUG summer
  schools; ``"Study load: 168 hours (6 EC)"`` -> 6.0
- ``"7,5 ECTS"`` / ``"7.5 ECTS"`` -> 7.5 (decimal comma or point; never truncated)
- ``"n.v.t."``, ``"-"``, blank, null -> null, reason ``absent``

Decisions:
- A bare number (``"5"``, ``"168"``) is taken as credits: the column it came from (UGent SP, Ocasys
  ``credits``) fixes the unit. It is not second-guessed as hours here; the extra column ``unit_stated`` is
  False for it, and implausible sizes are the quality rules' business (the national size checks flag them).
- A number followed by a credit unit wins over any other number in the text (hours, years).
- Alternatives (``"4/5/6 ECTS"``, ``"3-6 EC"``, ``"3 or 6 ECTS"``) -> null, reason ``range``: there is no
  single size. An add-on (``"4 ECTS (+2 with an individual paper)"``) keeps the base amount, 4.0.
- A text with hours but no credits (``"168 hours"``) -> null, reason ``hours_not_credits``.
- A negative number (Ocasys-style ``"-1"`` for unknown) -> null, reason ``negative_sentinel``.
- ``"0"`` is published as zero and kept as 0.0; a zero is never *invented* from a missing value.

Extra column: ``unit_stated`` (Boolean) - True when the text names a credit unit or label, False for a bare
number, null when there is no value.
"""

from __future__ import annotations

import polars as pl

from pipelines.normalise._text import clean, decimal, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "range", "hours_not_credits", "negative_sentinel")
EXTRA_COLUMNS: dict[str, pl.DataType] = {"unit_stated": pl.Boolean()}

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?:ects(?:[ -]?credits?|[ -]?punten)?|ec|cr|credits?|studiepunten|studiepunt|sp|stp|study points?)"
_UNIT_AFTER = rf"({_NUMBER})\s*{_UNIT}(?-u:\b)"
_LABEL_BEFORE = (
    rf"(?-u:\b)(?:ects(?:[ -]?credits)?|credits?|studiepunten|study points|sp)\s*[:=]?\s*({_NUMBER})"
)
_RANGE = (
    rf"{_NUMBER}\s*(?:-|/|(?-u:\b)(?:or|of|to|tot)(?-u:\b))\s*(?:{_NUMBER}\s*(?:/|-)\s*)*"
    rf"{_NUMBER}\s*{_UNIT}(?-u:\b)"
)
_HOURS = r"\d\s*(?:hours?|hrs?|uur|uren|u|h)(?-u:\b)"


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Float64 ECTS), ``reason``, ``unit_stated``."""
    text = pl.col("_text")
    with_unit = decimal(text.str.extract(_UNIT_AFTER, 1))
    after_label = decimal(text.str.extract(_LABEL_BEFORE, 1))
    bare = decimal(text.str.extract(rf"^\+?({_NUMBER})$", 1))
    is_range = text.str.contains(_RANGE)
    negative = text.str.contains(rf"(?:^|[:=(]\s*)-\s*{_NUMBER}\s*(?:{_UNIT})?$")
    value = (
        pl.when(is_range | negative)
        .then(pl.lit(None, dtype=pl.Float64))
        .otherwise(pl.coalesce(with_unit, after_label, bare))
    )
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(value=value)
        .with_columns(
            reason=reason(
                pl.col("value"),
                is_absent(text, numeric=True),
                (negative, "negative_sentinel"),
                (is_range, "range"),
                (text.str.contains(_HOURS), "hours_not_credits"),
            ),
            unit_stated=pl.when(pl.col("value").is_not_null()).then(bare.is_null()),
        )
        .select("raw", "value", "reason", "unit_stated")
        .collect()
    )
