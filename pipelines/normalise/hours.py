"""Study hours: the total study load (notional workload) in hours (Int64), kept apart from credits.

What belongs here: reading a *published* total of study hours. Hours derived from credits are not published
hours; they come from :func:`derive_study_hours` (in this module, re-exported by the package), which says the
factor it used so the caller can store them marked as derived.

Raw formats handled (site):
- ``"168"``, ``"168 (6 cr.)"``, ``"Study load (hours): 840"``, ``"Study load (hours): 168 (6 cr.)"`` -
  UAntwerp ``div.spec.tax`` -> 168 / 840 (the hours part; the credits part is ``credits.py``'s)
- ``"150 u"``, ``"Studietijd 150 u"``, ``"Studietijd: 150 u"`` - UGent studiefiche
- ``"-1"`` - Ocasys ``hours`` when unknown -> null, reason ``negative_sentinel`` (never the number -1)
- ``"Study load: 168 hours (6 EC)"`` - RUG summer schools -> 168
- ``"LC - 9hrs; T - 15hrs; … Self study - 82 hrs"`` - Ocasys ``formatsExplanation`` -> null, reason
  ``partial_hours``

Decisions:
- Hours of one activity (self study, contact hours, lectures, tutorials…) are a *part* of the study load, not
  the total: null with reason ``partial_hours``; they are not summed either (such lists are often incomplete).
  A text that also names the total ("Studietijd 150 u, contacturen 40 u") gives the total.
- A bare number is taken as hours (the column fixes the unit, as for credits).
- A dot or comma followed by exactly three digits is a thousands separator ("1.680 uur" -> 1680); any other
  fraction is rounded half away from zero to whole hours.
- Ranges (``"150-180 u"``) -> null, reason ``range``. Credits without hours (``"6 ECTS"``) -> null, reason
  ``credits_not_hours``: hours are never derived silently.
"""

from __future__ import annotations

import polars as pl

from pipelines.normalise._text import clean, fold, is_absent, reason

REASONS: tuple[str, ...] = (
    "absent",
    "unparseable",
    "negative_sentinel",
    "partial_hours",
    "range",
    "credits_not_hours",
)
EXTRA_COLUMNS: dict[str, pl.DataType] = {}

# Hours per credit used to derive study hours from credits, by ISO 3166 country of the institution.
# NL: one national figure, 28 h per EC. BE (Flanders): the decree sets a band of 25-30 h per credit and gives
# no single figure, so the middle of the band is used; hours derived this way are an estimate, marked as such.
HOURS_PER_CREDIT: dict[str, float] = {"BE": 27.5, "NL": 28.0}
HOURS_PER_CREDIT_BAND: dict[str, tuple[float, float]] = {"BE": (25.0, 30.0), "NL": (28.0, 28.0)}

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?:hours?|hrs?|uur|uren|u|h|klokuren)(?-u:\b)"
_TOTAL_LABEL = r"(?:study ?load|studietijd|studiebelasting|studielast|workload|total|totaal)"
_PART = (
    r"(?:self[ -]?study|zelfstudie|contact|lectures?|hoorcollege|werkcollege|seminars?|tutorials?|"
    r"practic|practica|labs?(?-u:\b)|lc ?-|(?-u:\b)t ?-|(?-u:\b)pr ?-|(?-u:\b)s ?-)"
)
_CREDIT_UNIT = r"(?:ects|ec|cr|credits?|studiepunten|sp)(?-u:\b)"
_CREDITS = rf"\d\s*{_CREDIT_UNIT}"


def _whole_hours(number: pl.Expr) -> pl.Expr:
    thousands = number.str.contains(r"^\d{1,3}(?:[.,]\d{3})+$")
    as_float = (
        pl.when(thousands)
        .then(number.str.replace_all(r"[.,]", ""))
        .otherwise(number.str.replace(",", ".", literal=True))
        .cast(pl.Float64, strict=False)
    )
    return as_float.round(0, mode="half_away_from_zero").cast(pl.Int64, strict=False)


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Int64 hours), ``reason``."""
    text = pl.col("_text")
    after_total = text.str.extract(rf"{_TOTAL_LABEL}[^\d-]{{0,30}}({_NUMBER})", 1)
    with_unit = text.str.extract(rf"({_NUMBER})\s*{_UNIT}", 1)
    bare = text.str.extract(rf"^\+?({_NUMBER})$", 1)
    # UAntwerp "168 (6 cr.)": the leading number is the hours, the bracket the credits.
    before_credits = text.str.extract(rf"^({_NUMBER})\s*\(\s*{_NUMBER}\s*{_CREDIT_UNIT}", 1)
    negative = text.str.contains(rf"(?:^|[:=]\s*)-\s*{_NUMBER}\s*(?:{_UNIT})?$")
    partial = text.str.contains(_PART) & after_total.is_null()
    is_range = text.str.contains(
        rf"{_NUMBER}\s*(?:-|/|(?-u:\b)(?:to|tot|or|of)(?-u:\b))\s*{_NUMBER}\s*{_UNIT}"
    )
    value = (
        pl.when(negative | partial | is_range)
        .then(pl.lit(None, dtype=pl.Int64))
        .otherwise(_whole_hours(pl.coalesce(after_total, with_unit, before_credits, bare)))
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
                (partial, "partial_hours"),
                (is_range, "range"),
                (text.str.contains(_CREDITS), "credits_not_hours"),
            )
        )
        .select("raw", "value", "reason")
        .collect()
    )


def derive_study_hours(credits: pl.Expr, country: pl.Expr) -> pl.Expr:
    """Study hours estimated from credits with the national hours-per-credit factor.

    ``country`` is the institution's ISO 3166 code (``BE``, ``NL``; case and spaces ignored). Returns a struct
    ``{hours: Int64, factor: Float64}``: hours = credits x factor, rounded half away from zero, and the factor
    used, so the caller can store ``hours_derived=True`` beside it. Both fields are null when the credits are
    null or not positive, or the country has no factor.
    """
    factor = (
        country.cast(pl.Utf8)
        .str.strip_chars()
        .str.to_uppercase()
        .replace_strict(HOURS_PER_CREDIT, default=None, return_dtype=pl.Float64)
    )
    usable = credits.is_not_null() & (credits > 0) & factor.is_not_null()
    hours = (credits.cast(pl.Float64) * factor).round(0, mode="half_away_from_zero").cast(pl.Int64)
    return pl.struct(
        pl.when(usable).then(hours).otherwise(pl.lit(None, dtype=pl.Int64)).alias("hours"),
        pl.when(usable).then(factor).otherwise(pl.lit(None, dtype=pl.Float64)).alias("factor"),
    )
