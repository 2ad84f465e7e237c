"""Credits: the size of a programme or course unit in ECTS credits (Float64), never hours.

What belongs here: reading a credit amount, or a range of them, out of any credit-bearing text on the three
sites. Study hours are ``hours.py``'s job; a text that only gives hours is *not* turned into credits here.

Raw formats handled (site):
- ``"6 ECTS-credits"``, ``"6 <span>ECTS-credits</span>"``, ``"6 studiepunten"`` - UAntwerp ``div.spec.points``
- ``"Study load (hours): 168 (6 cr.)"``, ``"168 (6 cr.)"`` - UAntwerp ``div.spec.tax`` -> 6.0 (the credits)
- ``"8 credits"``, ``"1 year | 8 credits"``, ``"1 jaar | 8 studiepunten"`` - UGent search cards
- ``"5"``, ``"5,0"`` - UGent ``td.SP``; ``"Studiepunten: 4"`` - UGent studiefiche
- ``"5.0"`` - Ocasys ``credits`` (a JSON number, passed as text); ``"credits 3 EC"``, ``"3 EC"`` - RUG summer
  schools; ``"Study load: 168 hours (6 EC)"`` -> 6.0
- ``"7,5 ECTS"`` / ``"7.5 ECTS"`` -> 7.5 (decimal comma or point; never truncated)
- ranges and tiers - UAntwerp summer schools: ``"2–5 ECTS credits"``, ``"4/5/6 ECTS"``,
  ``"3, 4 or 5 ECTS depending on the assignments handed in"``, ``"between 3 and 6 ECTS"``,
  ``"van 3 tot 6 studiepunten"``, ``"3 ECTS (attendance) or 5 ECTS (with a paper)"`` -> min and max;
  an add-on ``"4 ECTS (+2 with an individual paper)"`` -> min 4, max 6
- ``"n.v.t."``, ``"-"``, blank, null -> null, reason ``absent``

Decisions:
- A bare number (``"5"``, ``"168"``) is taken as credits: the column it came from (UGent SP, Ocasys
  ``credits``) fixes the unit. It is not second-guessed as hours here; the extra column ``unit_stated`` is
  False for it, and implausible sizes are the quality rules' business (the national size checks flag them).
- A number followed by a credit unit wins over any other number in the text (hours, years).
- Numbers are read as every numeric field reads them (``_text.decimal``): "1.250,00 ECTS" is 1250.0 by its
  format (thousands dot, decimal comma), never 250.0 or 1.25; the national size rules then flag a size no
  micro-credential has. Scientific notation (``"1e999 ECTS"``) -> null, reason ``unparseable``: its digits are
  not a credit amount.
- A range or tiers (several different credit amounts) have no single size: ``value`` null, reason ``range``,
  and the two ends in the extra columns ``min`` and ``max``: the registry never picks one end. An add-on
  ("+2 with an individual paper") gives min = the base and max = base + add-on (the only number the
  normaliser computes rather than reads, from two numbers written side by side).
- For a single amount ``min`` = ``max`` = ``value``, so "programmes that can be done with at most 6 credits"
  is one filter on ``min`` for every row.
- A text with hours but no credits (``"168 hours"``) -> null, reason ``hours_not_credits``.
- A negative number (Ocasys-style ``"-1"`` for unknown, or ``"-6 ECTS"``) -> null, reason
  ``negative_sentinel``.
- ``"0"`` is published as zero and kept as 0.0; a zero is never *invented* from a missing value.

Extra columns: ``unit_stated`` (Boolean) - True when the text names a credit unit or label, False for a bare
number, null when there is no value; ``min`` and ``max`` (Float64) - the smallest and largest credits the text
offers (equal to ``value`` for a single amount, null when nothing could be read).
"""

from __future__ import annotations

import polars as pl

from normalise._text import NUMBER, SCIENTIFIC, clean, decimal, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "range", "hours_not_credits", "negative_sentinel")
EXTRA_COLUMNS: dict[str, pl.DataType] = {
    "unit_stated": pl.Boolean(),
    "min": pl.Float64(),
    "max": pl.Float64(),
}

_N = rf"(?:{NUMBER})"
# Where a number may start: not inside a word, a code or another number ("1e999", "WMMB015-05", "1.250,00").
_START = r"(?:^|[^\p{L}\d.,])"
_END = r"(?:[^\p{L}\d]|$)"
_UNIT = r"(?:ects(?:[ -]?credits?|[ -]?punten)?|ec|cr|credits?|studiepunten|studiepunt|sp|stp|study points?)"
# Numbers joined into one range or list before a unit: "2-5", "4/5/6", "3, 4 or 5", "3 and 6", "3 tot 6".
_JOIN = r"\s*(?:-|/|,|&|(?-u:\b)(?:or|of|to|tot|and|en|a|à)(?-u:\b))\s*"
_WITH_UNIT = rf"{_START}{_N}(?:{_JOIN}{_N})*\s*{_UNIT}(?-u:\b)"
_LABEL_BEFORE = (
    rf"(?-u:\b)(?:ects(?:[ -]?credits)?|credits?|studiepunten|study points|sp)\s*[:=]?\s*({_N}){_END}"
)
# "4 ECTS (+2 with an individual paper)", "4 ECTS + 2 ECTS for a paper": the base and what can be added.
_ADD_ON = rf"{_START}({_N})\s*{_UNIT}(?-u:\b)[^+\d]{{0,5}}\+\s*({_N})\s*(\p{{L}}*)"
_HOURS_UNIT = r"^(?:hours?|hrs?|uur|uren|u|h)$"
_HOURS = r"\d\s*(?:hours?|hrs?|uur|uren|u|h)(?-u:\b)"


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Float64 ECTS), ``reason``, ``unit_stated``,
    ``min``, ``max``."""
    text = pl.col("_text")
    # Every number written with a credit unit, ranges and lists included, in the order written.
    amounts = (
        text.str.extract_all(_WITH_UNIT)
        .list.join(" ")
        .str.extract_all(_N)
        .list.eval(decimal(pl.element()))
        .list.drop_nulls()
    )
    low, high = pl.col("_amounts").list.min(), pl.col("_amounts").list.max()
    several = pl.col("_amounts").list.n_unique() > 1
    add_on_word = text.str.extract(_ADD_ON, 3)
    add_on_base = decimal(text.str.extract(_ADD_ON, 1))
    add_on = pl.when(~add_on_word.str.contains(_HOURS_UNIT)).then(decimal(text.str.extract(_ADD_ON, 2)))
    has_add_on = add_on_base.is_not_null() & add_on.is_not_null() & (add_on > 0)
    after_label = decimal(text.str.extract(_LABEL_BEFORE, 1))
    bare = decimal(text.str.extract(rf"^\+?({_N})$", 1))
    is_range = has_add_on | several
    negative = text.str.contains(rf"(?:^|[:=(]\s*)-\s*{_N}\s*(?:{_UNIT})?$")
    scientific = text.str.contains(SCIENTIFIC)
    single = pl.when(pl.col("_amounts").list.len() > 0).then(low).otherwise(pl.coalesce(after_label, bare))
    unusable = scientific | negative
    value = pl.when(unusable | is_range).then(pl.lit(None, dtype=pl.Float64)).otherwise(single)
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(_amounts=amounts)
        .with_columns(value=value)
        .with_columns(
            reason=reason(
                pl.col("value"),
                is_absent(text, numeric=True),
                (scientific, "unparseable"),
                (negative, "negative_sentinel"),
                (is_range, "range"),
                (text.str.contains(_HOURS), "hours_not_credits"),
            ),
            unit_stated=pl.when(pl.col("value").is_not_null()).then(bare.is_null()),
            min=pl.when(unusable)
            .then(pl.lit(None, dtype=pl.Float64))
            .when(has_add_on)
            .then(add_on_base)
            .when(several)
            .then(low)
            .otherwise(pl.col("value")),
            max=pl.when(unusable)
            .then(pl.lit(None, dtype=pl.Float64))
            .when(has_add_on)
            .then(add_on_base + add_on)
            .when(several)
            .then(high)
            .otherwise(pl.col("value")),
        )
        .select("raw", "value", "reason", "unit_stated", "min", "max")
        .collect()
    )
