"""Study hours: the total study load (notional workload) in hours (Int64), kept apart from credits, and the
contact hours inside it.

What belongs here: reading a *published* total of study hours, and the contact hours (lectures, exercises,
seminars…) a text gives beside it. Hours derived from credits are not published hours; they come from
:func:`derive_study_hours` (in this module, re-exported by the package), which says the factor it used so the
caller can store them marked as derived.

Raw formats handled (site):
- ``"168"``, ``"168 (6 cr.)"``, ``"Study load (hours): 840"``, ``"Study load (hours): 168 (6 cr.)"`` -
  UAntwerp ``div.spec.tax`` -> 168 / 840 (the hours part; the credits part is ``credits.py``'s)
- ``"150 u"``, ``"Studietijd 150 u"``, ``"Studietijd: 150 u"`` - UGent studiefiche
- ``"-1"`` - Ocasys ``hours`` when unknown -> null, reason ``negative_sentinel`` (never the number -1)
- ``"Study load: 168 hours (6 EC)"`` - RUG summer schools -> 168
- ``"LC - 9hrs; T - 15hrs; … Self study - 82 hrs"`` - Ocasys ``formatsExplanation`` -> null, reason
  ``partial_hours``
- hours inside sentences (issue 12, the registry's vocabularies): ``"120 hours of study time, including 24 hours of lectures and
  12 hours of exercises"`` -> 120, contact hours 36; ``"120 uur studietijd, waarvan 24 uur hoorcollege en 12
  uur oefeningen"`` -> 120, contact hours 36; ``"Studietijd 150 u, contacturen 40 u"`` -> 150, contact 40
- ``"45"`` in a contact-hours column (UAntwerp ``div.spec.hours``, "Contact hours:") -> 45 (the column fixes
  the unit: the caller reads it as contact hours), ``"Contact hours: 45"`` -> null, contact hours 45

Decisions:
- Hours of one activity (self study, contact hours, lectures, tutorials…) are a *part* of the study load, not
  the total: null with reason ``partial_hours``; they are not summed into a total either (such lists are
  often incomplete). A text that also names the total ("Studietijd 150 u, contacturen 40 u", "120 hours of
  study time, including …") gives the total.
- Contact hours (extra column ``contact_hours``): a number labelled as contact hours ("contact hours: 40",
  "40 contacturen") when there is one; otherwise the sum of the hours given for teaching activities
  (lectures, exercises, seminars, tutorials, practicals, labs, workshops, in English and Dutch). Self study
  is never contact time. Ocasys abbreviations ("LC", "T", "PR") are not expanded: they are not defined on
  the page. This sum is the one number this module computes rather than reads.
- A bare number is taken as hours (the column fixes the unit, as for credits).
- Numbers are read as every numeric field reads them (``_text.decimal``): a dot or comma followed by exactly
  three digits is a thousands separator ("1.680 uur" -> 1680); any other fraction is rounded half away from
  zero to whole hours. Scientific notation ("1e999 hours") -> null, reason ``unparseable``.
- Ranges (``"150-180 u"``) -> null, reason ``range``. Credits without hours (``"6 ECTS"``) -> null, reason
  ``credits_not_hours``: hours are never derived silently.

Extra column: ``contact_hours`` (Int64), null when the text gives none.
"""

from __future__ import annotations

import polars as pl

from normalise._text import NUMBER, SCIENTIFIC, clean, decimal, fold, is_absent, reason
from registry.institutions import NATIONAL_RULES

REASONS: tuple[str, ...] = (
    "absent",
    "unparseable",
    "negative_sentinel",
    "partial_hours",
    "range",
    "credits_not_hours",
)
EXTRA_COLUMNS: dict[str, pl.DataType] = {"contact_hours": pl.Int64()}

# Hours per credit used to derive study hours from credits, by ISO 3166 country of the institution: the national
# band's middle (``registry.institutions``). NL: one national figure, 28 h per EC. BE (Flanders): a band of
# 25-30 h per credit and no single figure, so the middle of the band is used; hours derived this way are an
# estimate, marked as such.
HOURS_PER_CREDIT: dict[str, float] = {
    country: float(rules.hours_per_credit) for country, rules in NATIONAL_RULES.items()
}
HOURS_PER_CREDIT_BAND: dict[str, tuple[float, float]] = {
    country: (float(rules.hours_per_credit_min), float(rules.hours_per_credit_max))
    for country, rules in NATIONAL_RULES.items()
}

_N = rf"(?:{NUMBER})"
_START = r"(?:^|[^\p{L}\d.,])"
_UNIT = r"(?:hours?|hrs?|uur|uren|u|h|klokuren)(?-u:\b)"
_TOTAL_LABEL = (
    r"(?:study ?load|study ?time|studietijd|studiebelasting|studielast|workload|total|totaal|in total|"
    r"in totaal)"
)
_PART = (
    r"(?:self[ -]?study|zelfstudie|contact|lectures?|hoorcollege|werkcollege|seminars?|tutorials?|"
    r"practic|practica|labs?(?-u:\b)|lc ?-|(?-u:\b)t ?-|(?-u:\b)pr ?-|(?-u:\b)s ?-|exercises?|oefening|"
    r"workshops?|lessons?|lessen|classes)"
)
# Teaching activities whose hours are contact hours ("24 hours of lectures", "hoorcollege: 24 u").
_ACTIVITY = (
    r"(?:lectures?|hoorcolleges?|werkcolleges?|responsiecolleges?|colleges?|exercises?(?: sessions?)?|"
    r"oefeningen|oefensessies?|seminars?|seminaries|tutorials?|practicals?|practica|practicum|labs?|"
    r"laboratory|labo'?s?|workshops?|classes|lessons?|lessen)(?-u:\b)"
)
_CONTACT = r"(?:contact ?(?:hours?|uren|time|tijd|moments?)|contacturen|contactmomenten)(?-u:\b)"
_OF = r"\s*(?:of\s+|aan\s+)?"
_CREDIT_UNIT = r"(?:ects|ec|cr|credits?|studiepunten|sp)(?-u:\b)"
_CREDITS = rf"\d\s*{_CREDIT_UNIT}"


def _whole_hours(number: pl.Expr) -> pl.Expr:
    return decimal(number).round(0, mode="half_away_from_zero").cast(pl.Int64, strict=False)


def _hours_of(pattern: str, text: pl.Expr) -> pl.Expr:
    """The numbers of every match of ``pattern`` (whose number is its first written number), as floats."""
    return text.str.extract_all(pattern).list.eval(decimal(pl.element().str.extract(rf"{_START}({_N})", 1)))


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Int64 hours), ``reason``, ``contact_hours``."""
    text = pl.col("_text")
    # "120 hours of study time", "120 uur studietijd", "120 hours in total": the total, written number first.
    total_first = text.str.extract(rf"{_START}({_N})\s*{_UNIT}{_OF}{_TOTAL_LABEL}", 1)
    after_total = text.str.extract(rf"{_TOTAL_LABEL}[^\d-]{{0,30}}?{_START}({_N})", 1)
    with_unit = text.str.extract(rf"{_START}({_N})\s*{_UNIT}", 1)
    bare = text.str.extract(rf"^\+?({_N})$", 1)
    # UAntwerp "168 (6 cr.)": the leading number is the hours, the bracket the credits.
    before_credits = text.str.extract(rf"^({_N})\s*\(\s*{_N}\s*{_CREDIT_UNIT}", 1)
    negative = text.str.contains(rf"(?:^|[:=]\s*)-\s*{_N}\s*(?:{_UNIT})?$")
    scientific = text.str.contains(SCIENTIFIC)
    total = pl.coalesce(total_first, after_total)
    partial = text.str.contains(_PART) & total.is_null()
    is_range = text.str.contains(rf"{_N}\s*(?:-|/|(?-u:\b)(?:to|tot|or|of)(?-u:\b))\s*{_N}\s*{_UNIT}")
    value = (
        pl.when(negative | partial | is_range | scientific)
        .then(pl.lit(None, dtype=pl.Int64))
        .otherwise(_whole_hours(pl.coalesce(total, with_unit, before_credits, bare)))
    )
    labelled_contact = pl.coalesce(
        text.str.extract(rf"{_CONTACT}\s*(?:\(\s*{_UNIT}\s*\))?\s*[:=-]?\s*({_N})", 1),
        text.str.extract(rf"{_START}({_N})\s*(?:{_UNIT})?{_OF}{_CONTACT}", 1),
    )
    activities = pl.concat_list(
        _hours_of(rf"{_START}{_N}\s*{_UNIT}{_OF}{_ACTIVITY}", text),
        _hours_of(rf"{_ACTIVITY}\s*[:=-]?\s*{_N}\s*{_UNIT}", text),
    )
    contact = (
        pl.when(scientific | negative)
        .then(pl.lit(None, dtype=pl.Int64))
        .when(labelled_contact.is_not_null())
        .then(_whole_hours(labelled_contact))
        .when(activities.list.len() > 0)
        .then(activities.list.sum().round(0, mode="half_away_from_zero").cast(pl.Int64))
    )
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(value=value, contact_hours=contact)
        .with_columns(
            reason=reason(
                pl.col("value"),
                is_absent(text, numeric=True),
                (scientific, "unparseable"),
                (negative, "negative_sentinel"),
                (partial, "partial_hours"),
                (is_range, "range"),
                (text.str.contains(_CREDITS), "credits_not_hours"),
            )
        )
        .select("raw", "value", "reason", "contact_hours")
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
