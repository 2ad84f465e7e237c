"""Delivery mode (one value, all modes kept beside it) and EQF level (with the framework level and cycle)."""

from __future__ import annotations

import polars as pl
import pytest

from normalise import normalise, normalise_value


def row(field: str, raw: str | None) -> dict:
    return normalise(field, pl.Series("raw", [raw], dtype=pl.Utf8)).row(0, named=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("online", "online"),
        ("Online", "online"),
        ("e-learning", "online"),
        ("on campus", "on_site"),
        ("on-site", "on_site"),
        ("in person", "on_site"),
        ("face-to-face", "on_site"),
        ("op de campus", "on_site"),
        ("dagonderwijs", "on_site"),
        ("avondonderwijs", "on_site"),
        ("evening classes", "on_site"),
        ("hybrid", "hybrid"),
        ("hybride", "hybrid"),
        ("blended learning", "blended"),
        ("distance learning", "distance"),
        ("afstandsonderwijs", "distance"),
        ("op afstand", "distance"),
        # an explicit hybrid/blended word whose parts are described beside it
        ("Blended: online and on campus", "blended"),
        ("Hybride (op de campus en online)", "hybrid"),
    ],
)
def test_mode_formats(raw: str, expected: str) -> None:
    assert normalise_value("mode", raw) == (expected, None)


def test_alternatives_are_not_reduced_to_one_mode() -> None:
    result = row("mode", "evening classes, online, hybrid or distance learning")
    assert result["value"] is None
    assert result["reason"] == "multiple_modes"
    assert result["modes"] == ["on_site", "online", "hybrid", "distance"]


def test_an_unnamed_mix_is_not_guessed() -> None:
    result = row("mode", "on campus and online")
    assert (result["value"], result["reason"]) == (None, "multiple_modes")
    assert result["modes"] == ["on_site", "online"]


@pytest.mark.parametrize(
    ("raw", "reason"), [(None, "absent"), ("n.v.t.", "absent"), ("telepathy", "unparseable")]
)
def test_mode_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("mode", raw) == (None, reason)


@pytest.mark.parametrize(
    ("raw", "eqf", "framework_level", "cycle"),
    [
        ("master", 7, None, "master"),
        ("MASTER", 7, None, "master"),
        ("master level", 7, None, "master"),
        ("masterniveau", 7, None, "master"),
        ("bachelor", 6, None, "bachelor"),
        ("BACHELOR", 6, None, "bachelor"),
        ("PhD", 8, None, "doctorate"),
        ("doctoraat", 8, None, "doctorate"),
        ("graduaat", 5, None, "associate"),
        ("VKS-niveau 7", 7, "VKS 7", None),
        ("NLQF 7", 7, "NLQF 7", None),
        ("NLQF 6", 6, "NLQF 6", None),
        ("EQF 7", 7, "EQF 7", None),
        ("EQF-niveau 6", 6, "EQF 6", None),
        ("niveau 6 (VKS)", 6, "VKS 6", None),
        ("level 6", 6, None, None),
        ("7", 7, None, None),
        # several audiences: the lowest named level
        ("Level Advanced BA/MA/PhD students, Postdocs, Practitioners", 6, None, "bachelor/master/doctorate"),
        ("Advanced BA/MA/PhD students", 6, None, "bachelor/master/doctorate"),
        ("MA and PhD students", 7, None, "master/doctorate"),
        # the level the page states wins over the audience
        ("master level, open to bachelor graduates", 7, None, "bachelor/master"),
        ("postgraduate (master level)", 7, None, "master/postgraduate"),
        # a framework level wins over a cycle name
        ("master (VKS 7)", 7, "VKS 7", "master"),
    ],
)
def test_level_formats(raw: str, eqf: int, framework_level: str | None, cycle: str | None) -> None:
    result = row("level", raw)
    assert (result["value"], result["reason"]) == (eqf, None)
    assert result["framework_level"] == framework_level
    assert result["cycle"] == cycle


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("postgraduaat", "ambiguous_level"),
        ("Postgraduate", "ambiguous_level"),
        ("EQF 9", "out_of_range"),
        ("0", "out_of_range"),
        ("Advanced", "unparseable"),
        ("Practitioners", "unparseable"),
        (None, "absent"),
        ("n.v.t.", "absent"),
    ],
)
def test_level_null_reasons(raw: str | None, reason: str) -> None:
    assert normalise_value("level", raw) == (None, reason)


def test_postgraduate_keeps_its_cycle_text() -> None:
    assert row("level", "postgraduaat")["cycle"] == "postgraduate"
