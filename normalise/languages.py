"""Languages of instruction: a list of ISO 639-1 codes, lower case, in the order written, without duplicates.

What belongs here: the language of instruction of a programme or course unit (not the title language). The
vocabulary itself (codes, names, abbreviations, filler words) is data in ``registry.languages``.

Raw formats handled (site):
- ``"nl"``, ``"en"``, ``"fr"``, ``"nl,en"``, ``"ln,nl"`` - UGent ``td.taal`` codes
- ``"Nederlands, Engels"``, ``"Onderwijstalen Nederlands, Engels"``, ``"Lingala"`` - UGent studiefiche
- ``"English"``, ``"Nederlands"``, ``"ENG"``, ``"NED"``, ``"Language of instruction: English"`` - UAntwerp
- ``"ENGLISH"``, ``"DUTCH"``, ``'["ENGLISH", "DUTCH"]'`` - Ocasys ``courseOfferings[].language``
- ``"Engelstalig"``, ``"Nederlandstalige"``, ``"English-taught"``; locale tags ``"nl-BE"``, ``"en_GB"``
- separators ``,`` ``;`` ``/`` ``&`` ``+`` ``|`` and the words "and", "en", "und", "or", "of"

Decisions:
- Codes are ISO 639-1, never country codes (Chinese ``zh``, Greek ``el``, Swedish ``sv``, Danish ``da``…).
- ``"en"`` between two words ("Nederlands en Engels") is the Dutch "and"; as a list item it is English.
- Two-letter words that are also ISO codes ("it", "de", "is", "no") are codes when the whole text is a list
  of short codes ("nl, de") and filler words when it is prose ("in de Engelse taal").
- A text with any word that is neither a language nor a known filler word gets value null with reason
  ``unknown_language``: an analyst must never receive a silently shortened list. The extra columns keep the
  evidence: ``known`` (the codes that *were* recognised, in order) and ``unknown`` (the words that were not).
- Languages with no ISO 639-1 code (Ancient Greek, Flemish Sign Language) are unknown, not approximated.

Extra columns: ``known`` (List(Utf8)), ``unknown`` (List(Utf8)); null when the text is absent.
"""

from __future__ import annotations

import polars as pl

from normalise._text import clean, fold, is_absent, reason
from registry.languages import code_table, multi_word_names, prose_table

REASONS: tuple[str, ...] = ("absent", "unparseable", "unknown_language")
EXTRA_COLUMNS: dict[str, pl.DataType] = {"known": pl.List(pl.Utf8), "unknown": pl.List(pl.Utf8)}

_CODES = code_table()
_PROSE = prose_table()
_MULTI = multi_word_names()
_CONJUNCTION = r"\s+(?:en|and|und|or|of|ou|oder|en/of|and/or)\s+"
_SEPARATORS = r"[\s,;/&+|()\[\]{}\"'`<>:*·•.!?=-]+"


def _lookup(tokens: pl.Expr, table: dict[str, str]) -> pl.Expr:
    return tokens.list.eval(pl.element().replace_strict(table, default=None, return_dtype=pl.Utf8))


def _unmatched(tokens: pl.Expr, table: dict[str, str]) -> pl.Expr:
    element = pl.element()
    return tokens.list.eval(
        element.filter(element.replace_strict(table, default=None, return_dtype=pl.Utf8).is_null())
    )


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (List(Utf8)), ``reason``, ``known``,
    ``unknown``."""
    text = pl.col("_text")
    tokens = pl.col("_tokens")
    code_list = tokens.list.eval(pl.element().str.len_chars() <= 3).list.all()
    mapped = pl.when(code_list).then(_lookup(tokens, _CODES)).otherwise(_lookup(tokens, _PROSE))
    unknown = pl.when(code_list).then(_unmatched(tokens, _CODES)).otherwise(_unmatched(tokens, _PROSE))
    known = mapped.list.eval(pl.element().filter(pl.element() != "")).list.unique(maintain_order=True)
    absent = is_absent(text)
    usable = ~absent & (pl.col("unknown").list.len() == 0) & (pl.col("known").list.len() > 0)
    return (
        distinct.lazy()
        .with_columns(
            _text=fold(clean(pl.col("raw")).str.replace_all(r"(?-u:\b)([a-z]{2})[-_][A-Z]{2}(?-u:\b)", "$1"))
        )
        .with_columns(
            _tokens=text.str.replace_many(list(_MULTI), list(_MULTI.values()))
            .str.replace_all(_CONJUNCTION, ",")
            .str.replace_all(_SEPARATORS, ",")
            .str.strip_chars(",")
            .str.split(",")
            .list.eval(
                pl.element().str.replace(r"^(\p{L}{3,}?)(?:talige?)$", "$1").filter(pl.element() != "")
            )
        )
        .with_columns(
            known=pl.when(absent).then(pl.lit(None, dtype=pl.List(pl.Utf8))).otherwise(known),
            unknown=pl.when(absent).then(pl.lit(None, dtype=pl.List(pl.Utf8))).otherwise(unknown),
        )
        .with_columns(
            value=pl.when(usable).then(pl.col("known")).otherwise(pl.lit(None, dtype=pl.List(pl.Utf8)))
        )
        .with_columns(
            reason=reason(pl.col("value"), absent, (pl.col("unknown").list.len() > 0, "unknown_language"))
        )
        .select("raw", "value", "reason", "known", "unknown")
        .collect()
    )
