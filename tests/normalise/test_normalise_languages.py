"""Languages: ISO 639-1 lists in the order written, without duplicates, never silently shortened."""

from __future__ import annotations

import polars as pl
import pytest

from normalise import normalise, normalise_value


def row(raw: str | None) -> dict:
    return normalise("languages", pl.Series("raw", [raw], dtype=pl.Utf8)).row(0, named=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # UGent codes
        ("nl", ["nl"]),
        ("en", ["en"]),
        ("fr", ["fr"]),
        ("nl,en", ["nl", "en"]),
        ("ln,nl", ["ln", "nl"]),
        ("en, nl", ["en", "nl"]),
        ("NL/EN", ["nl", "en"]),
        ("nl, de", ["nl", "de"]),
        # UGent studiefiche
        ("Nederlands", ["nl"]),
        ("Nederlands, Engels", ["nl", "en"]),
        ("Onderwijstalen Nederlands, Engels", ["nl", "en"]),
        ("Lingala", ["ln"]),
        ("Lingála", ["ln"]),
        ("Frans", ["fr"]),
        # UAntwerp
        ("English", ["en"]),
        ("ENG", ["en"]),
        ("NED", ["nl"]),
        ("Language of instruction: English", ["en"]),
        ("Nederlands en Engels", ["nl", "en"]),
        ("Nederlands en Frans", ["nl", "fr"]),
        ("Duits", ["de"]),
        # Ocasys
        ("ENGLISH", ["en"]),
        ("DUTCH", ["nl"]),
        ('["ENGLISH", "DUTCH"]', ["en", "nl"]),
        # adjectives and prose
        ("Engelstalig", ["en"]),
        ("Nederlandstalig", ["nl"]),
        ("Nederlandstalige", ["nl"]),
        ("English-taught", ["en"]),
        ("in het Nederlands", ["nl"]),
        ("Taught in English", ["en"]),
        # separators
        ("English and Dutch", ["en", "nl"]),
        ("English & French", ["en", "fr"]),
        ("Dutch; English", ["nl", "en"]),
        ("Dutch / English", ["nl", "en"]),
        ("Dutch + English", ["nl", "en"]),
        ("Engels, en Nederlands", ["en", "nl"]),
        ("nl-BE", ["nl"]),
        ("en_GB, nl_BE", ["en", "nl"]),
    ],
)
def test_language_formats(raw: str, expected: list[str]) -> None:
    assert normalise_value("languages", raw) == (expected, None)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # ISO 639-1, not country codes (the peer project's mistakes: cn, gr, se)
        ("Chinese", "zh"),
        ("Chinees", "zh"),
        ("Greek", "el"),
        ("Grieks", "el"),
        ("Swedish", "sv"),
        ("Zweeds", "sv"),
        ("Lingala", "ln"),
        ("Swahili", "sw"),
        ("Arabic", "ar"),
        ("Arabisch", "ar"),
        ("Japanese", "ja"),
        ("Japans", "ja"),
        ("Korean", "ko"),
        ("Ukrainian", "uk"),
        ("Oekraïens", "uk"),
        ("Czech", "cs"),
        ("Tsjechisch", "cs"),
        ("Danish", "da"),
        ("Deens", "da"),
        ("Spanish", "es"),
        ("Italiaans", "it"),
        ("Portuguese", "pt"),
        ("Russisch", "ru"),
        ("Polish", "pl"),
        ("Turks", "tr"),
        ("Hebrew", "he"),
        ("Persian", "fa"),
        ("Norwegian", "no"),
        ("Slovenian", "sl"),
        ("Latin", "la"),
    ],
)
def test_language_names_map_to_iso_639_1(name: str, code: str) -> None:
    assert normalise_value("languages", name) == ([code], None)


def test_order_is_kept_and_duplicates_dropped() -> None:
    assert normalise_value("languages", "en,nl")[0] == ["en", "nl"]
    assert normalise_value("languages", "nl,en")[0] == ["nl", "en"]
    assert normalise_value("languages", "nl, en, nl") == (["nl", "en"], None)
    assert normalise_value("languages", "English, Engels, ENG, en") == (["en"], None)
    assert normalise_value("languages", "Swahili, Nederlands, Swahili, Engels") == (["sw", "nl", "en"], None)


def test_unknown_word_nulls_the_row_but_keeps_the_evidence() -> None:
    # Decision: never a silently shortened list. The value is null; known and unknown say what was seen.
    result = row("English, Klingon, Dutch")
    assert result["value"] is None
    assert result["reason"] == "unknown_language"
    assert result["known"] == ["en", "nl"]
    assert result["unknown"] == ["klingon"]


@pytest.mark.parametrize("raw", ["cn", "gr", "se, dk", "Oud-Grieks", "Vlaamse Gebarentaal", "🎓", "xx"])
def test_country_codes_and_unknown_languages_are_not_guessed(raw: str) -> None:
    # "se" is Northern Sami in ISO 639-1, so "se, dk" is unknown because of "dk" (a country, not a language).
    assert normalise_value("languages", raw) == (None, "unknown_language")


def test_complete_rows_have_empty_unknown() -> None:
    result = row("Nederlands, Engels")
    assert result["known"] == ["nl", "en"]
    assert result["unknown"] == []


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(None, "absent"), ("", "absent"), ("n.v.t.", "absent"), ("-", "absent"), (",,;", "unparseable")],
)
def test_language_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("languages", raw) == (None, reason)
    if reason == "absent":
        assert row(raw)["known"] is None


def test_a_list_column_is_read_item_by_item() -> None:
    out = normalise("languages", pl.Series([["ENGLISH"], ["DUTCH", "ENGLISH"], None]))
    assert out["value"].to_list() == [["en"], ["nl", "en"], None]
