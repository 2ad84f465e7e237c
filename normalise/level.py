"""Level: the EQF level (Int64, 1-8) of a programme, with the national framework level or cycle beside it.

What belongs here: qualification levels. The Flemish (VKS) and Dutch (NLQF) frameworks number their levels
like the EQF (VKS 7 = NLQF 7 = EQF 7), so a framework level gives the EQF level directly; a study cycle maps
to the EQF level of that cycle's degree (associate 5, bachelor 6, master 7, doctorate 8).

Raw formats handled (site):
- ``"VKS-niveau 7"``, ``"NLQF 7"``, ``"EQF 7"``, ``"EQF-niveau 6"``, ``"niveau 7"``, ``"level 6"``, ``"7"``
- ``"master"``, ``"master level"``, ``"masterniveau"``, ``"bachelor"`` - programme pages; Ocasys ``levels``
  ``"MASTER"`` / ``"BACHELOR"``; ``"PhD"``, ``"doctoraat"`` -> 8; ``"graduaat"``, ``"associate degree"`` -> 5
- ``"Level Advanced BA/MA/PhD students, Postdocs, Practitioners"`` - RUG summer schools -> 6
- ``"master level, open to bachelor graduates"`` - faro.be (UAntwerp micro-credential) -> 7

Decisions:
- A framework level written on the page wins; then a cycle written as *the* level ("master level",
  "masterniveau"); then a single cycle named.
- Several cycles named as the audience ("Advanced BA/MA/PhD students") -> the lowest named level (6 here): an
  offer open to bachelor students is pitched at the bachelor level at least, and the registry never claims a
  higher level than the page supports. Postdocs, practitioners and professionals are audiences, not levels.
- ``"postgraduaat"`` / ``"postgraduate"`` alone -> null, reason ``ambiguous_level``: a Flemish postgraduate
  follows either a bachelor (EQF 6) or a master (EQF 7), and the page does not say which.
- Numbers outside 1-8 (``"EQF 9"``, ``"0"``) -> null, reason ``out_of_range``.

Extra columns: ``framework_level`` (Utf8, e.g. ``"VKS 7"``, ``"NLQF 6"``, ``"EQF 7"``; null when the page
names no framework) and ``cycle`` (Utf8: the study cycles named, low to high, joined by ``/``, e.g.
``"master"``, ``"bachelor/master/doctorate"``, ``"postgraduate"``; null when none is named).
"""

from __future__ import annotations

import polars as pl

from normalise._text import clean, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "ambiguous_level", "out_of_range")
EXTRA_COLUMNS: dict[str, pl.DataType] = {"framework_level": pl.Utf8(), "cycle": pl.Utf8()}

_B = r"(?-u:\b)"
_FRAMEWORK_NAME = r"(vks|nlqf|eqf|ekr)"
_FRAMEWORK = rf"{_B}{_FRAMEWORK_NAME}[- ]?(?:niveau|level)?\s*[:=]?\s*(\d+){_B}"
_FRAMEWORK_AFTER = rf"{_B}(?:niveau|level)\s*[:=]?\s*(\d+)\s*\(?\s*{_FRAMEWORK_NAME}{_B}"
_GENERIC = rf"{_B}(?:niveau|level)\s*[:=]?\s*(\d+){_B}"
_FRAMEWORK_LABEL = {"vks": "VKS", "nlqf": "NLQF", "eqf": "EQF", "ekr": "EQF"}

# Study cycles, low to high, with their EQF level.
_CYCLES: dict[str, tuple[str, int]] = {
    "associate": (rf"associate degree|{_B}graduaat|hbo5|{_B}ad-programma", 5),
    "bachelor": (rf"bachelor|{_B}ba{_B}|{_B}bsc{_B}|{_B}b\.sc|undergraduate|banaba", 6),
    "master": (rf"master|{_B}ma{_B}|{_B}msc{_B}|{_B}m\.sc|{_B}mba{_B}|{_B}llm{_B}|manama", 7),
    "doctorate": (rf"{_B}phd{_B}|ph\.d|doctora(?:at|te|l)", 8),
}
_POSTGRADUATE = r"post-?gradua"


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Int64 EQF), ``reason``, ``framework_level``,
    ``cycle``."""
    text = pl.col("_text")
    framework_name = pl.coalesce(text.str.extract(_FRAMEWORK, 1), text.str.extract(_FRAMEWORK_AFTER, 2))
    number = pl.coalesce(
        text.str.extract(_FRAMEWORK, 2),
        text.str.extract(_FRAMEWORK_AFTER, 1),
        text.str.extract(_GENERIC, 1),
        text.str.extract(r"^(\d+)$", 1),
    ).cast(pl.Int64, strict=False)
    in_range = number.is_between(1, 8)
    postgraduate = text.str.contains(_POSTGRADUATE)
    # "postgraduaat" contains "graduaat" (the Flemish associate degree): look for cycles without it.
    named = {
        cycle: text.str.replace_all(_POSTGRADUATE, " ").str.contains(pattern)
        for cycle, (pattern, _) in _CYCLES.items()
    }
    as_level = {
        cycle: text.str.contains(rf"(?:{pattern})[- ]?(?:level|niveau)")
        for cycle, (pattern, _) in _CYCLES.items()
    }
    lowest_named = pl.lit(None, dtype=pl.Int64)
    for cycle, (_, eqf) in reversed(_CYCLES.items()):
        lowest_named = pl.when(named[cycle]).then(pl.lit(eqf, dtype=pl.Int64)).otherwise(lowest_named)
    stated_level = pl.lit(None, dtype=pl.Int64)
    for cycle, (_, eqf) in reversed(_CYCLES.items()):
        stated_level = pl.when(as_level[cycle]).then(pl.lit(eqf, dtype=pl.Int64)).otherwise(stated_level)
    value = (
        pl.when(number.is_not_null())
        .then(pl.when(in_range).then(number))
        .otherwise(pl.coalesce(stated_level, lowest_named))
    )
    cycles = pl.concat_list(
        [pl.when(named[cycle]).then(pl.lit(cycle)) for cycle in _CYCLES]
        + [pl.when(postgraduate).then(pl.lit("postgraduate"))]
    ).list.drop_nulls()
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(
            value=value,
            framework_level=pl.when(framework_name.is_not_null() & in_range).then(
                pl.concat_str(
                    framework_name.replace_strict(_FRAMEWORK_LABEL, default=None, return_dtype=pl.Utf8),
                    number.cast(pl.Utf8),
                    separator=" ",
                )
            ),
            cycle=pl.when(cycles.list.len() > 0).then(cycles.list.join("/")),
        )
        .with_columns(
            reason=reason(
                pl.col("value"),
                is_absent(text),
                (number.is_not_null() & ~in_range, "out_of_range"),
                (postgraduate, "ambiguous_level"),
            )
        )
        .select("raw", "value", "reason", "framework_level", "cycle")
        .collect()
    )
