"""Text clean-up shared by every vocabulary module: expressions only, no field knowledge.

What belongs here: turning a scraped string into a comparable form (HTML entities and tags, Unicode spaces and
dashes, accents, case) and the one definition of an *absent* value ("n.v.t.", "-", "TBA", blank…), so that all
fields agree on what "nothing published" looks like. Field-specific parsing lives in the field's own module.
"""

from __future__ import annotations

import polars as pl

# Entities seen in scraped text (the spiders keep strings as on the page, and some sites double-escape).
_ENTITIES: dict[str, str] = {
    "&nbsp;": " ",
    "&#160;": " ",
    "&#xa0;": " ",
    "&amp;": "&",
    "&#38;": "&",
    "&euro;": "€",
    "&#8364;": "€",
    "&#x20ac;": "€",
    "&ndash;": "-",
    "&#8211;": "-",
    "&mdash;": "-",
    "&#8212;": "-",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#39;": "'",
    "&apos;": "'",
    "&rsquo;": "'",
    "&lsquo;": "'",
    "&plusmn;": "±",
    "&times;": "x",
}

# Written where a site publishes "nothing": matched against the whole text, after an optional "Label:".
ABSENT_PATTERN = (
    r"^(?:[\p{L} ()/'-]{1,40}:\s*)?\(?\s*(?:"
    r"n\.?\s?v\.?\s?t\.?|n\.?\s?a\.?|n/a|nvt|na|none|geen|nil|null|nan|"
    r"tba|tbc|tbd|t\.b\.a\.?|t\.b\.c\.?|to be (?:announced|confirmed|determined|decided)|"
    r"unknown|onbekend|nog (?:niet )?(?:bekend|gekend|te bepalen)|niet (?:bekend|gekend)|"
    r"not (?:applicable|available|known)|niet van toepassing|"
    r"[-‐‑‒–—―_/.…*?]*"
    r")\s*\)?\s*[.:]?$"
)


def clean(raw: pl.Expr) -> pl.Expr:
    """Scraped text in a comparable form, case kept: entities decoded, tags dropped, spaces/dashes unified.

    Null stays null. Unicode spaces (NBSP, thin spaces, line breaks) become one ASCII space and en/em dashes a
    hyphen, so field patterns only ever need ``" "`` and ``"-"``.
    """
    return (
        raw.str.replace_many(list(_ENTITIES), list(_ENTITIES.values()), ascii_case_insensitive=True)
        .str.replace_all(r"&#?[0-9A-Za-z]{1,8};", " ")
        .str.replace_all(r"<[^<>]{0,200}>", " ")
        .str.replace_all(r"[‐‑‒–—―−]", "-")
        .str.replace_all(r"[‘’‚‛′]", "'")
        .str.replace_all(r"[\s\u200b\ufeff]+", " ")
        .str.strip_chars()
    )


def fold(cleaned: pl.Expr) -> pl.Expr:
    """Cleaned text lower-cased without accents ("Lingála" -> "lingala"), for matching vocabularies."""
    return cleaned.str.normalize("NFKD").str.replace_all(r"\p{M}+", "").str.to_lowercase()


# In a numeric field, a text without any digit that says the amount is still to come ("Fee (TBC)").
_PENDING = r"(?-u:\b)(?:tba|tbc|tbd|to be (?:announced|confirmed|determined|decided)|nog niet bekend)(?-u:\b)"


def is_absent(folded: pl.Expr, *, numeric: bool = False) -> pl.Expr:
    """True where the (folded) text says nothing was published: null, blank, "n.v.t.", "-", "TBA", "X: n/a".

    With ``numeric``, also a text with no digit at all that marks the value as pending ("Fee (TBC)"); not for
    word fields, where "English (TBC)" still names a language.
    """
    absent = folded.is_null() | folded.str.contains(ABSENT_PATTERN)
    if numeric:
        absent = absent | (~folded.str.contains(r"\d") & folded.str.contains(_PENDING))
    return absent


def reason(value: pl.Expr, absent: pl.Expr, *specific: tuple[pl.Expr, str]) -> pl.Expr:
    """The null reason: null when ``value`` is set, else "absent", the first field reason that holds, or
    "unparseable"."""
    chain = pl.when(value.is_not_null()).then(pl.lit(None, dtype=pl.Utf8)).when(absent).then(pl.lit("absent"))
    for condition, name in specific:
        chain = chain.when(condition).then(pl.lit(name))
    return chain.otherwise(pl.lit("unparseable"))


# A written number, as every numeric field reads it: thousands grouped by dots, commas or (in amounts) spaces,
# then a decimal part ("1.250,00", "1,486.00", "20 000", "7,5", "168"). Fields put their own context around it.
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
# A number in scientific notation ("1e999", "2.5E3"): no page writes credits, hours or fees like that, and
# reading its digits as a plain number would invent one ("1e999 ECTS" is not 999 credits).
SCIENTIFIC = r"\d(?:[.,]\d+)?\s?e[+-]?\d"


def decimal(number: pl.Expr) -> pl.Expr:
    """A written number (see :data:`NUMBER`) as Float64, never truncated.

    A dot or comma followed by exactly three digits groups thousands ("1.250" = 1250, "1,486.00" = 1486),
    as in the Belgian and Dutch pages; otherwise it is the decimal separator ("7,5" = "7.5" = 7.5). With both
    separators the last one is the decimal one ("1.250,00" = 1250.0). Spaces between digit groups are dropped.
    """
    digits = number.str.replace_all(" ", "", literal=True)
    return finite(
        pl.when(digits.str.contains(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$"))
        .then(digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(digits.str.contains(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"))
        .then(digits.str.replace_all(",", "", literal=True))
        .otherwise(digits.str.replace(",", ".", literal=True))
        .cast(pl.Float64, strict=False)
    )


def finite(number: pl.Expr) -> pl.Expr:
    """Null instead of an infinite float (a 400-digit "amount" overflows), so every value is valid JSON."""
    return pl.when(number.is_finite()).then(number)
