"""Semester: when in the academic year a unit is taught, as ``S1``, ``S2``, ``YEAR``, ``SUMMER``, ``WINTER``.

What belongs here: the teaching period only. Start and end dates are ``date.py``'s; the academic year itself
is ``academic_year.py``'s (an "academiejaar 2024-2025" inside a semester text is ignored here).

Raw formats handled (site):
- ``"1E SEM"``, ``"2E SEM"``, ``"1E/2E SEM"`` - UAntwerp ``div.spec.semester``; ``"exam in the 2nd semester"``
- ``"1e semester"``, ``"2e semester"``, ``"jaar"``, ``"1e en 2e semester"``, ``"1st semester"`` - UGent
- ``"eerste semester"``, ``"tweede semester"``, ``"first/second semester"``, ``"semester 1"``, ``"sem. 2"``,
  Roman numerals ``"semester I"``, ``"semester II b"``, codes ``"S1"``/``"S2"``
- ``"jaarvak"``, ``"jaar"``, ``"year"``, ``"whole year"``, ``"both semesters"`` -> YEAR
- Ocasys ``ugTerms`` ``"TERM1A"``, ``"TERM1B"`` -> S1, ``"TERM2A"``, ``"TERM2B"`` -> S2, term codes
  ``"TERM_1b2"``; term names ``"Blok 1b.2"`` -> S1, ``"Semester 2b"`` -> S2; programme ``"WHOLE_YEAR"``
  -> YEAR
- ``"summer school"``, ``"zomerschool"`` -> SUMMER; ``"winter school"``, ``"winterschool"`` -> WINTER
- sentences: ``"loopt in het tweede semester"``, ``"taught in the first semester"``, ``"loopt over het hele
  academiejaar"``
- UGent study-guide codes (the studiegids legend), when the whole text is a code: ``"1"``,
  ``"2"`` -> S1, S2; ``"3"`` -> SUMMER (the summer period); ``"A1"``, ``"B2"`` -> S1, S2 with the offering
  ``A``/``B`` in the extra column ``offering`` (one of several offerings of the same course);
  ``"(1)"``, ``"(A2)"`` -> null, reason ``not_offered`` (not offered that year)

Decisions:
- Both semesters named together (``"1e en 2e semester"``, ``"1E/2E SEM"``, ``"TERM1B, TERM2A"``) -> YEAR: the
  unit runs across the year.
- Offered in *either* semester (``"1e of 2e semester"``, ``"semester 1 or 2"``) -> null, reason ``ambiguous``.
- Summer and winter schools win over any semester word in the same text.
- Semester numbers beyond 2 (a model path's "semester 3") are not guessed: ``unparseable``. Only the bare
  study-guide code ``"3"`` is the summer period.
- The offering letter is kept as the guide prints it (upper case); ``S`` is not an offering letter:
  ``"S1"`` stays the first semester.

Extra column: ``offering`` (Utf8), the offering letter of a UGent code, null otherwise.
"""

from __future__ import annotations

import polars as pl

from normalise._text import clean, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "ambiguous", "not_offered")
EXTRA_COLUMNS: dict[str, pl.DataType] = {"offering": pl.Utf8()}
VALUES: tuple[str, ...] = ("S1", "S2", "YEAR", "SUMMER", "WINTER")

_B = r"(?-u:\b)"
_SEM = r"sem(?:ester|\.)?"
_ORD1 = r"(?:1\s*(?:e|ste|st|de)?|i|eerste|first)"
_ORD2 = r"(?:2\s*(?:e|de|nd)?|ii|tweede|second)"
_AND = r"\s*(?:en|and|&|\+|/|,)\s*"
_OR = r"\s*(?:of|or|ofwel)\s*"
_SUB = r"(?:\s*[ab](?:\.?\d)?)?"  # RUG halves and blocks: 1a, 2b, 1b.2


def _semester_pattern(digit: str, roman: str, ordinal: str) -> str:
    number = rf"(?:{digit}|{roman})"
    return (
        rf"{_B}{ordinal}\.?\s*{_SEM}{_B}"
        rf"|{_B}{_SEM}\s*{number}{_SUB}{_B}"
        rf"|{_B}(?:term|blok|block)\s*{digit}{_SUB}{_B}"
        rf"|{_B}s{digit}{_B}"
    )


_S1 = _semester_pattern("1", "i", _ORD1)
_S2 = _semester_pattern("2", "ii", _ORD2)
_BOTH = (
    rf"{_B}{_ORD1}{_AND}{_ORD2}\.?\s*{_SEM}|{_SEM}\s*{_ORD1}{_AND}{_ORD2}{_B}|both semesters|beide semesters"
)
_EITHER = rf"{_B}{_ORD1}{_OR}{_ORD2}\.?\s*{_SEM}|{_SEM}\s*{_ORD1}{_OR}{_ORD2}{_B}"
_YEAR = (
    rf"{_B}(?:jaarvak|jaaropleidingsonderdeel|jaar|year|whole year|full year|all year|yearly|annual|"
    rf"jaarlijks|(?:volledig|volledige|geheel|gehele|heel|hele) (?:academie)?jaar|(?:whole|full|entire) academic year){_B}"
)
_YEAR_LABEL = r"(?:academic year|academiejaar|aj)\s*[:=]?\s*\d{4}(?:\s*[-/]\s*\d{2,4})?"
# A UGent study-guide code, the whole text: an optional offering letter (not "s": "S1" is a semester) and 1-3.
_GUIDE_CODE = r"^([a-rt-z])?\s*([123])$"
_NOT_OFFERED = r"^\(\s*[a-rt-z]?\s*[123]\s*\)$"


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Utf8 S1/S2/YEAR/SUMMER/WINTER), ``reason``."""
    text = pl.col("_text")
    s1 = text.str.contains(_S1)
    s2 = text.str.contains(_S2)
    either = text.str.contains(_EITHER)
    not_offered = text.str.contains(_NOT_OFFERED)
    guide_number = text.str.extract(_GUIDE_CODE, 2)
    value = (
        pl.when(not_offered)
        .then(pl.lit(None, dtype=pl.Utf8))
        .when(guide_number.is_not_null())
        .then(guide_number.replace_strict({"1": "S1", "2": "S2", "3": "SUMMER"}, return_dtype=pl.Utf8))
        .when(text.str.contains("summer|zomer"))
        .then(pl.lit("SUMMER"))
        .when(text.str.contains("winter"))
        .then(pl.lit("WINTER"))
        .when(either)
        .then(pl.lit(None, dtype=pl.Utf8))
        .when(text.str.contains(_BOTH) | (s1 & s2))
        .then(pl.lit("YEAR"))
        .when(s1)
        .then(pl.lit("S1"))
        .when(s2)
        .then(pl.lit("S2"))
        .when(text.str.contains(_YEAR))
        .then(pl.lit("YEAR"))
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )
    return (
        distinct.lazy()
        .with_columns(
            _text=fold(clean(pl.col("raw"))).str.replace_all(_YEAR_LABEL, " ").str.replace_all("_", " ")
        )
        .with_columns(value=value, offering=text.str.extract(_GUIDE_CODE, 1).str.to_uppercase())
        .with_columns(
            reason=reason(
                pl.col("value"), is_absent(text), (not_offered, "not_offered"), (either, "ambiguous")
            )
        )
        .select("raw", "value", "reason", "offering")
        .collect()
    )
