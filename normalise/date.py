"""Dates: a calendar date (Date), and for a period its start and end.

What belongs here: start/end dates of programmes, schools and course offerings. The academic year is
``academic_year.py``'s; the teaching period (semester) is ``semester.py``'s.

Raw formats handled (site):
- ``"2024-09-23"``, ``"2024-09-23T10:00:00Z"`` - ISO, API fields
- ``"[2026, 11, 30]"``, ``"[2026,11,30]"`` - Ocasys ``startDate``/``endDate`` arrays (passed as text)
- ``"23 september 2024"``, ``"23 September 2024"``, ``"23 sept. 2024"``, ``"September 23, 2024"``,
  ``"23rd September 2024"`` - Dutch and English month names and abbreviations
- ``"23/09/2024"``, ``"23.09.2024"``, ``"23-09-2024"`` - day first (European pages)
- ``"Dates 26 - 30 August 2024"``, ``"11–22 September 2023"`` - RUG summer schools -> a range
- ``"26 August - 6 September 2024"``, ``"30 August 2021 - 3 September 2021"``,
  ``"when 30 August 2021 - 3 September 2021"`` - summer school listings -> a range
- ranges that share a month or year (issue 12): ``"14 - 18 July 2025"``, ``"from 3 - 14 June 2024"``,
  ``"van 3 tot 14 juni 2024"``, ``"3 t/m 14 juni 2024"``, ``"14 tot en met 18 juli 2025"``,
  ``"between 14 and 18 July 2025"``, ``"July 14 - 18, 2025"``, ``"July 14 - July 18, 2025"``,
  ``"14/07 - 18/07/2025"``, ``"14 - 18/07/2025"``; weekday names are skipped
  (``"Monday 14 July - Friday 18 July 2025"``, ``"ma 14 - vr 18 juli 2025"``)

Decisions:
- ``value`` is the (start) date; the extra columns ``start`` and ``end`` (Date) give the period, ``end``
  null for a single date. Two dates form a period only when written as one ("… - …", "… to …"); other
  dates after the first ("Start 23 September 2024; exam 20 January 2025") are not an end. A range written
  with one year ("28 December - 3 January 2025") starts in the year before when that is the only way the
  range runs forwards.
- Numeric dates are day first; a day or month out of range (``"31/02/2024"``) -> null, reason
  ``invalid_date`` (never rolled over into March).
- A month without a day (``"September 2024"``, "end of September 2021") -> null, reason ``month_only``: the
  day is not invented.
- Years before 2000 or after 2100 -> null, reason ``implausible``; an end before the start -> null, reason
  ``inconsistent``.
"""

from __future__ import annotations

import polars as pl

from normalise._text import clean, fold, is_absent, reason

REASONS: tuple[str, ...] = (
    "absent",
    "unparseable",
    "invalid_date",
    "month_only",
    "implausible",
    "inconsistent",
)
EXTRA_COLUMNS: dict[str, pl.DataType] = {"start": pl.Date(), "end": pl.Date()}
FIRST_PLAUSIBLE, LAST_PLAUSIBLE = 2000, 2100

_MONTHS: dict[str, str] = {
    "01": "january|januari|janv|jan",
    "02": "february|februari|febr|feb",
    "03": "march|maart|mrt|mar",
    "04": "april|apr",
    "05": "may|mei",
    "06": "june|juni|jun",
    "07": "july|juli|jul",
    "08": "august|augustus|aug",
    "09": "september|sept|sep",
    "10": "october|oktober|oct|okt",
    "11": "november|nov",
    "12": "december|dec",
}
_ORD = r"(?:st|nd|rd|th|e|ste|de)?"
_D = rf"(?-u:\b)(\d{{1,2}}){_ORD}"
_M = r"m(\d\d)"
_Y = r"(\d{4})"
_TO = r"\s*(?:-|tot en met|t\.?\s?e\.?\s?m\.?|t/m|to|tot|until|till|through|thru)\s*"
_DM = r"(?-u:\b)(\d{1,2})[/.](\d{1,2})"  # a numeric day and month, day first
# A weekday before a day number ("Monday 14 July", "ma 14 juli", "vr. 18"): skipped, it adds nothing.
_WEEKDAY = (
    r"(?-u:\b)(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|"
    r"sun|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)\.?,?\s+(\d)"
)
# "between 14 and 18 July", "tussen 3 en 14 juni": the "and" joins the two ends of one period.
_BETWEEN = r"(?-u:\b)(?:between|tussen)\s+([^,;]{1,25}?)\s+(?:and|en)\s+"

# Rewrites, in order, that turn every written date into ISO "YYYY-M-D" (ranges into two of them). Ranges go
# before single dates: "14/07 - 18/07/2025" read as single dates would give only the 18th.
_REWRITES: tuple[tuple[str, str], ...] = (
    (_WEEKDAY, "${1}"),
    (_BETWEEN, "${1} - "),
    (r"\[\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\]", "${1}-${2}-${3}"),
    (rf"{_DM}{_TO}{_DM}[/.](\d{{4}})(?-u:\b)", "${5}-${2}-${1} - ${5}-${4}-${3}"),
    (rf"{_D}{_TO}{_DM}[/.](\d{{4}})(?-u:\b)", "${4}-${3}-${1} - ${4}-${3}-${2}"),
    (r"(?-u:\b)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?-u:\b)", "${3}-${2}-${1}"),
    (r"(?-u:\b)(\d{1,2})-(\d{1,2})-(\d{4})(?-u:\b)", "${3}-${2}-${1}"),
    (rf"{_D}{_TO}{_D}\s+{_M}\s*,?\s*{_Y}", "${4}-${3}-${1} - ${4}-${3}-${2}"),
    (rf"{_D}\s+{_M}{_TO}{_D}\s+{_M}\s*,?\s*{_Y}", "${5}-${2}-${1} - ${5}-${4}-${3}"),
    (rf"{_M}\s+{_D}{_TO}{_M}\s+{_D}\s*,?\s*{_Y}", "${5}-${1}-${2} - ${5}-${3}-${4}"),
    (rf"{_M}\s+{_D}{_TO}{_D}\s*,?\s*{_Y}", "${4}-${1}-${2} - ${4}-${1}-${3}"),
    (rf"{_D}\s+(?:of\s+)?{_M}\s*,?\s*{_Y}", "${3}-${2}-${1}"),
    (rf"{_M}\s+{_D}\s*,?\s*{_Y}", "${3}-${1}-${2}"),
)


def _with_month_tokens(folded: pl.Expr) -> pl.Expr:
    for number, names in _MONTHS.items():
        folded = folded.str.replace_all(rf"(?-u:\b)(?:{names})(?-u:\b)\.?", f" m{number} ")
    return folded.str.replace_all(r"\s+", " ")


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Date), ``reason``, ``start``, ``end``."""
    text = pl.col("_text")
    iso = pl.col("_iso")
    written = iso.str.extract_all(r"\d{4}-\d{1,2}-\d{1,2}")
    dates = written.list.eval(pl.element().str.to_date("%Y-%m-%d", strict=False))
    # Two dates make a period only when written as one ("26 - 30 August", "… to …"), not "start …; exam …".
    written_range = iso.str.contains(rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}{_TO}\d{{4}}-\d{{1,2}}-\d{{1,2}}")
    first = pl.col("_dates").list.first()
    second = pl.when(written_range).then(pl.col("_dates").list.get(1, null_on_oob=True))
    a_year_earlier = first.dt.offset_by("-1y")
    # "28 December - 3 January 2025": the one year written is the end's; only a month turning back moves it.
    crosses_new_year = first.dt.month() > second.dt.month()
    start = pl.when(crosses_new_year & (second < first) & (a_year_earlier <= second)).then(a_year_earlier)
    start = start.otherwise(first)
    plausible = start.dt.year().is_between(FIRST_PLAUSIBLE, LAST_PLAUSIBLE) & (
        second.is_null() | second.dt.year().is_between(FIRST_PLAUSIBLE, LAST_PLAUSIBLE)
    )
    consistent = second.is_null() | (second >= start)
    invalid = pl.col("_dates").list.eval(pl.element().is_null()).list.any()
    usable = start.is_not_null() & ~invalid & plausible & consistent
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(_iso=_rewrite(_with_month_tokens(text)))
        .with_columns(_dates=dates)
        .with_columns(
            start=pl.when(usable).then(start),
            end=pl.when(usable).then(second),
        )
        .with_columns(value=pl.col("start"))
        .with_columns(
            reason=reason(
                pl.col("value"),
                is_absent(text, numeric=True),
                (invalid, "invalid_date"),
                (start.is_not_null() & ~plausible, "implausible"),
                (start.is_not_null() & ~consistent, "inconsistent"),
                (iso.str.contains(rf"{_M}\s*,?\s*{_Y}"), "month_only"),
            )
        )
        .select("raw", "value", "reason", "start", "end")
        .collect()
    )


def _rewrite(iso: pl.Expr) -> pl.Expr:
    for pattern, replacement in _REWRITES:
        iso = iso.str.replace_all(pattern, replacement)
    return iso
