"""The value forms real pages publish and the odd values bad input brings, each with its exact expected output.

Where the strings come from: the credit forms "4 ECTS (+2 with an individual paper)" and "4/5/6 ECTS" are real
(UAntwerp summer-school pages under www.uantwerpen.be/en/summer-schools/); "2–5 ECTS credits", "3, 4 or 5 ECTS
depending on the assignments handed in", "PhD students: €300 | Others: €650", "€ 75,40 + (aantal
studiepunten x € 8,50)", "14 - 18 July 2025", "from 3 - 14 June 2024" and the hours sentence are the forms the
registry's value vocabulary names; the UGent semester codes follow the legend of Ghent's study guide
(studiekiezer.ugent.be: 1, 2, 3 = summer, A/B offerings, "(1)" not offered this year). The other spellings are
our own variations of these.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from normalise import normalise, normalise_value

D = dt.date


def row(field: str, raw: str | None) -> dict:
    return normalise(field, pl.Series("raw", [raw], dtype=pl.Utf8)).row(0, named=True)


# --- credits: ranges and tiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [
        ("2–5 ECTS credits", 2.0, 5.0),
        ("2-5 ECTS", 2.0, 5.0),
        ("4/5/6 ECTS", 4.0, 6.0),
        ("3, 4 or 5 ECTS depending on the assignments handed in", 3.0, 5.0),
        ("between 3 and 6 ECTS", 3.0, 6.0),
        ("van 3 tot 6 studiepunten", 3.0, 6.0),
        ("3 or 6 ECTS", 3.0, 6.0),
        ("2,5 - 5 ECTS", 2.5, 5.0),
        ("3 ECTS (attendance) or 5 ECTS (with a paper)", 3.0, 5.0),
        # an add-on: more credits for more deliverables; the maximum is base + add-on
        ("4 ECTS (+2 with an individual paper)", 4.0, 6.0),
        ("4 ECTS + 2 ECTS for a paper", 4.0, 6.0),
    ],
)
def test_credit_ranges_keep_both_ends_and_no_single_value(raw: str, low: float, high: float) -> None:
    result = row("credits", raw)
    # Decision: a range has no single size. credits_ects is null with reason "range"; the ends are kept.
    assert (result["value"], result["reason"]) == (None, "range")
    assert (result["min"], result["max"]) == (low, high)


@pytest.mark.parametrize(
    "raw", ["6 ECTS", "Studiepunten: 4", "5", "7,5 ECTS", "Study load: 168 hours (6 EC)"]
)
def test_a_single_amount_is_its_own_minimum_and_maximum(raw: str) -> None:
    result = row("credits", raw)
    assert result["value"] is not None
    assert result["min"] == result["max"] == result["value"]


def test_no_credits_no_bounds() -> None:
    for raw in ("n.v.t.", "168 hours", "-1", "1e999 ECTS"):
        result = row("credits", raw)
        assert (result["value"], result["min"], result["max"]) == (None, None, None), raw


# --- issue 16 item 8: the value quirks ----------------------------------------------------------------------


def test_negative_fee_is_null_with_a_reason_never_its_digits() -> None:
    # Before: "-500 EUR" gave 500.0.
    assert normalise_value("fee", "-500 EUR") == (None, "negative")
    assert normalise_value("fee", "€ -500") == (None, "negative")
    assert normalise_value("fee", "−500 €") == (None, "negative")  # U+2212 minus sign
    # A dash between words is not a minus sign.
    assert normalise_value("fee", "Fee - € 450") == (450.0, None)


@pytest.mark.parametrize("field", ["credits", "fee", "hours"])
def test_scientific_notation_is_unparseable_never_its_exponent(field: str) -> None:
    # Before: "1e999 ECTS" gave 999.0 (the digits after the "e").
    unit = {"credits": "ECTS", "fee": "EUR", "hours": "hours"}[field]
    for raw in (f"1e999 {unit}", f"2.5E3 {unit}", f"1e-3 {unit}"):
        assert normalise_value(field, raw) == (None, "unparseable"), raw


def test_thousands_and_decimal_separators_read_by_format() -> None:
    """'1.250,00 ECTS' is 1250.0, not 250.0 (before) and not null.

    Decision: the normaliser reads the number as written, by the format every numeric field uses (a dot
    before three digits groups thousands, the comma after it is the decimal separator: 1.250,00 = 1250.00),
    and leaves plausibility to the registry rules, where an implausible size is visible and explained: the
    Flemish (warning above 20) and Dutch (error above 30) size rules flag it
    (``test_an_implausible_size_is_flagged_by_the_size_rules``). A null here would hide that the page
    publishes a wrong figure; 250 or 1.25 would be numbers the page does not write.
    """
    assert normalise_value("credits", "1.250,00 ECTS") == (1250.0, None)
    assert normalise_value("credits", "1,250.00 ECTS") == (1250.0, None)
    assert normalise_value("fee", "€ 1.250,00") == (1250.0, None)
    assert normalise_value("hours", "1.250,00 uur") == (1250, None)
    # One separator before exactly three digits groups thousands in every numeric field, as in "€ 3.500".
    assert normalise_value("credits", "1.250 ECTS") == (1250.0, None)
    assert normalise_value("credits", "7,5 ECTS") == (7.5, None)


def test_an_implausible_size_is_flagged_by_the_size_rules() -> None:
    from quality.checks import expectation_flags

    programme = pl.DataFrame(
        {
            "registry_id": ["ugent:ACXXXX", "ugent:ACYYYY"],
            "institution_id": ["ugent", "ugent"],
            "academic_year": [2024, 2024],
            "url": ["https://studiekiezer.ugent.be/2024/x/programma"] * 2,
            "credits_raw": ["1.250,00 ECTS", "6 ECTS"],
        }
    )
    programme = programme.with_columns(credits_ects=normalise("credits", programme["credits_raw"])["value"])
    flags = expectation_flags("programme", programme)
    assert flags.select("rule_id", "record_key").rows() == [("flanders_size_max", "ugent:ACXXXX")]


# --- fee: tiers and formulas --------------------------------------------------------------------------------


def tiers(raw: str) -> list[tuple[str | None, float]]:
    result = row("fee", raw)
    assert (result["value"], result["reason"]) == (None, "tiers")
    return [(tier["label"], tier["amount_eur"]) for tier in result["tiers"]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PhD students: €300 | Others: €650", [("PhD students", 300.0), ("Others", 650.0)]),
        ("Early bird: € 450 | Regular: € 550", [("Early bird", 450.0), ("Regular", 550.0)]),
        (
            "Early bird (until 1 May): € 450; regular: € 550",
            [("Early bird (until 1 May)", 450.0), ("regular", 550.0)],
        ),
        ("€ 450 for students, € 650 for professionals", [("students", 450.0), ("professionals", 650.0)]),
        ("Fee: € 450 for students, € 650 for professionals", [("students", 450.0), ("professionals", 650.0)]),
        ("450 EUR for students and 650 EUR for others", [("students", 450.0), ("others", 650.0)]),
        ("€ 500 (academia) / € 900 (industry)", [("academia", 500.0), ("industry", 900.0)]),
        (
            "Academic and non-profit: € 500 | Industry: € 900",
            [("Academic and non-profit", 500.0), ("Industry", 900.0)],
        ),
        ("Students: € 450, professionals: € 650", [("Students", 450.0), ("professionals", 650.0)]),
        (
            "€ 743,- for a 5 ECTS course, € 1.486,- for a 10 ECTS course",
            [("a 5 ECTS course", 743.0), ("a 10 ECTS course", 1486.0)],
        ),
        ("€ 450 / € 650", [(None, 450.0), (None, 650.0)]),
    ],
)
def test_fee_tiers_are_labelled_amounts_in_the_order_written(raw: str, expected: list) -> None:
    assert tiers(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fixed", "rate"),
    [
        ("€ 75,40 + (aantal studiepunten x € 8,50)", 75.4, 8.5),
        ("€ 75,40 + (aantal studiepunten × € 8,50)", 75.4, 8.5),
        ("€ 265,70 vast bedrag + € 12,50 per studiepunt", 265.7, 12.5),
        ("EUR 250 plus EUR 40 per credit", 250.0, 40.0),
        ("250 euro plus 40 euro per ECTS credit", 250.0, 40.0),
        ("€ 250 + (number of credits × € 40)", 250.0, 40.0),
        ("€75.40 + €8.50 per credit", 75.4, 8.5),
        ("€ 40 per credit + € 250 administration fee", 250.0, 40.0),
    ],
)
def test_fee_formulas_give_a_fixed_part_and_a_rate(raw: str, fixed: float, rate: float) -> None:
    result = row("fee", raw)
    assert (result["value"], result["reason"], result["tiers"]) == (None, "per_credit", None)
    assert (result["fixed_amount"], result["per_credit"]) == (pytest.approx(fixed), pytest.approx(rate))


def test_a_build_up_in_brackets_is_not_a_formula_or_tiers() -> None:
    result = row("fee", "€ 3.500 (= €320 administration fee + (60 x €53/ECTS))")
    assert (result["value"], result["fixed_amount"], result["per_credit"], result["tiers"]) == (
        3500.0,
        None,
        None,
        None,
    )


# --- dates: ranges sharing a month or year ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("14 - 18 July 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("from 3 - 14 June 2024", D(2024, 6, 3), D(2024, 6, 14)),
        ("14 - 18 juli 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("van 3 tot 14 juni 2024", D(2024, 6, 3), D(2024, 6, 14)),
        ("3 t/m 14 juni 2024", D(2024, 6, 3), D(2024, 6, 14)),
        ("14 tot en met 18 juli 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("14 t.e.m. 18 juli 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("between 14 and 18 July 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("tussen 3 en 14 juni 2024", D(2024, 6, 3), D(2024, 6, 14)),
        ("July 14 - 18, 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("July 14 - July 18, 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("Monday 14 July - Friday 18 July 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("ma 14 - vr 18 juli 2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("14/07 - 18/07/2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("14 - 18/07/2025", D(2025, 7, 14), D(2025, 7, 18)),
        ("from 14 to 18 July 2025", D(2025, 7, 14), D(2025, 7, 18)),
    ],
)
def test_date_ranges_give_start_and_end(raw: str, start: dt.date, end: dt.date) -> None:
    result = row("date", raw)
    assert (result["value"], result["reason"], result["start"], result["end"]) == (start, None, start, end)


# --- hours inside sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "study", "contact", "reason"),
    [
        ("120 hours of study time, including 24 hours of lectures and 12 hours of exercises", 120, 36, None),
        ("120 uur studietijd, waarvan 24 uur hoorcollege en 12 uur oefeningen", 120, 36, None),
        ("Studietijd 150 u, contacturen 40 u", 150, 40, None),
        ("Total study time: 120 hours (36 contact hours)", 120, 36, None),
        ("Study time 120 hours, of which 36 contact hours", 120, 36, None),
        # a part alone is not the study load; the contact hours are still kept
        ("Contact hours: 45", None, 45, "partial_hours"),
        ("Lectures: 24 h; exercises: 12 h; self-study: 84 h", None, 36, "partial_hours"),
        # abbreviations the page does not define are not expanded
        ("LC - 9hrs; T - 15hrs; PR - 6hrs; S-20hrs; Self study - 82 hrs", None, None, "partial_hours"),
        ("Study load (hours): 168 (6 cr.)", 168, None, None),
        ("168", 168, None, None),
    ],
)
def test_hours_in_sentences_keep_study_and_contact_hours_apart(
    raw: str, study: int | None, contact: int | None, reason: str | None
) -> None:
    result = row("hours", raw)
    assert (result["value"], result["contact_hours"], result["reason"]) == (study, contact, reason)


# --- languages and semesters in sentences -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Course taught in Dutch", ["nl"]),
        ("This course is taught in English", ["en"]),
        ("Dit vak wordt gedoceerd in het Nederlands", ["nl"]),
        ("De lessen worden in het Engels gegeven", ["en"]),
        ("The course is taught in English and Dutch", ["en", "nl"]),
    ],
)
def test_languages_in_sentences(raw: str, expected: list[str]) -> None:
    assert normalise_value("languages", raw) == (expected, None)


def test_an_unknown_word_in_a_sentence_still_stops_the_list() -> None:
    assert normalise_value("languages", "Course taught in Dutch and Klingon") == (None, "unknown_language")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("loopt in het tweede semester", "S2"),
        ("Dit opleidingsonderdeel loopt in het eerste semester", "S1"),
        ("taught in the first semester", "S1"),
        ("Course runs in the second semester", "S2"),
        ("loopt over het hele academiejaar", "YEAR"),
    ],
)
def test_semesters_in_sentences(raw: str, expected: str) -> None:
    assert normalise_value("semester", raw) == (expected, None)


# --- UGent study-guide semester codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "semester", "offering", "reason"),
    [
        ("1", "S1", None, None),
        ("2", "S2", None, None),
        ("3", "SUMMER", None, None),
        ("A1", "S1", "A", None),
        ("B2", "S2", "B", None),
        ("b1", "S1", "B", None),
        ("(1)", None, None, "not_offered"),
        ("(2)", None, None, "not_offered"),
        ("(A1)", None, None, "not_offered"),
        # "S1" is the first semester, not offering S; a word with "3" is still not guessed
        ("S1", "S1", None, None),
        ("semester 3", None, None, "unparseable"),
    ],
)
def test_ugent_study_guide_codes(
    raw: str, semester: str | None, offering: str | None, reason: str | None
) -> None:
    result = row("semester", raw)
    assert (result["value"], result["offering"], result["reason"]) == (semester, offering, reason)
