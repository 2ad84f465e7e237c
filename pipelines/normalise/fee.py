"""Fee: what a participant pays, in EUR (Float64), with what the amount covers and whether it is provisional.

What belongs here: reading an amount in euros and its build-up out of fee text. Whether a fee is plausible is
the quality rules' business.

Raw formats handled (site):
- ``"€ 3.500 (= €320 administration fee + (60 x €53/ECTS))"`` - UAntwerp -> 3500.0, covers
  ``"320 administration fee + 60 x 53/ECTS"``
- ``"Fee (TBC) € 450"`` - RUG summer schools -> 450.0, ``provisional`` True
- ``"€ 743,-"``, ``"€ 743,- for a 5 ECTS course"`` - RUG open courses -> 743.0, covers ``"a 5 ECTS course"``
- ``"EUR 50"``, ``"fee EUR 50"`` - summerschoolsineurope.eu; ``"450 euro"``, ``"450 €"``
- ``"€ 265,70 vast bedrag + € 12,50 per studiepunt"`` - UGent fee rule -> null, reason ``per_credit``,
  ``fixed_amount`` 265.7, ``per_credit`` 12.5; ``"€ 53/ECTS"`` -> null, ``per_credit`` 53.0
- ``"gratis"``, ``"free of charge"`` -> 0.0 (a zero the page states, not an invented one)

Decisions:
- Number format: a dot or comma followed by exactly three digits groups thousands ("€ 3.500" = 3500,
  "€ 1,486.00" = 1486); otherwise it is the decimal separator ("€ 3.50" = 3.5, "€ 265,70" = 265.7);
  ",-" marks whole euros. Spaces may group thousands ("€ 20 000").
- The amount is the first amount at the top level of the text; amounts inside brackets are its build-up
  (kept in ``covers``), not competing fees.
- A fee that depends on the number of credits (a fixed part + an amount per credit, or only a per-credit
  amount) cannot be known from the text alone: value null, reason ``per_credit``, parts in ``fixed_amount``
  and ``per_credit``. The caller, who knows the credits, computes the total with :func:`fee_for_credits`.
- Several top-level amounts that are not such a build-up ("€ 450 for students, € 650 for professionals") ->
  null, reason ``multiple_amounts``: the registry does not pick one.
- Amounts in another currency only (``"$ 500"``, ``"CHF 300"``) -> null, reason ``other_currency``.
- A bare number is taken as euros (the column fixes the unit).

Extra columns: ``covers`` (Utf8: the bracketed build-up or the "for …"/"incl. …" clause after the amount),
``provisional`` (Boolean: TBC, "onder voorbehoud", indicative, approximate), ``fixed_amount`` and
``per_credit`` (Float64, set for per-credit fees).
"""

from __future__ import annotations

import polars as pl

from pipelines.normalise._text import clean, finite, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "per_credit", "multiple_amounts", "other_currency")
EXTRA_COLUMNS: dict[str, pl.DataType] = {
    "covers": pl.Utf8(),
    "provisional": pl.Boolean(),
    "fixed_amount": pl.Float64(),
    "per_credit": pl.Float64(),
}

_NUMBER = r"\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_WHOLE_EUROS = r"(?:[.,]-+)?"
_PER_CREDIT = r"\s*(?:per|/|p\.)\s*(?:studiepunt|credit|ects|ec|sp|stp)[\p{L}-]*"
_AMOUNT = rf"€\s*(?:{_NUMBER}){_WHOLE_EUROS}(?:{_PER_CREDIT})?"
_EURO_WORD = r"(?-u:\b)eur(?:os?)?(?-u:\b)\.?"
_PROVISIONAL = (
    r"(?-u:\b)(?:tbc|to be confirmed|onder voorbehoud|voorlopig|indicati|provisional|approx|ongeveer|circa|"
    r"ca\.|estimated|expected|verwacht)|±|~"
)
_FREE = r"(?-u:\b)(?:free|gratis|kosteloos|kostenloos|no fee|no charge|geen kosten)(?-u:\b)"
_OTHER_CURRENCY = r"[$£¥]|(?-u:\b)(?:usd|gbp|chf|sek|dkk|nok|pln|czk|huf|dollars?|pounds?)(?-u:\b)"
_CASED_AMOUNT = rf"(?:€|(?i:{_EURO_WORD}))\s*(?:{_NUMBER}){_WHOLE_EUROS}"


def _euros(number: pl.Expr) -> pl.Expr:
    """A written amount ("3.500", "743,-", "1,486.00", "20 000", "265,70") as Float64 euros."""
    digits = number.str.replace(r"[.,]-+$", "").str.replace_all(" ", "", literal=True)
    return finite(
        pl.when(digits.str.contains(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$"))
        .then(digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(digits.str.contains(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"))
        .then(digits.str.replace_all(",", "", literal=True))
        .otherwise(digits.str.replace(",", ".", literal=True))
        .cast(pl.Float64, strict=False)
    )


def _amount_value(amount: pl.Expr) -> pl.Expr:
    return _euros(amount.str.extract(rf"({_NUMBER})", 1))


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Float64 EUR), ``reason``, ``covers``,
    ``provisional``, ``fixed_amount``, ``per_credit``."""
    text = pl.col("_text")
    top = pl.col("_top")
    amounts = pl.col("_amounts")
    first, second = amounts.list.get(0, null_on_oob=True), amounts.list.get(1, null_on_oob=True)
    first_per_credit = first.str.contains(_PER_CREDIT)
    second_per_credit = second.str.contains(_PER_CREDIT)
    count = amounts.list.len()
    bare = _euros(text.str.extract(rf"^({_NUMBER}){_WHOLE_EUROS}$", 1))
    fixed_plus_rate = (
        (count == 2) & ~first_per_credit & second_per_credit & top.str.contains("+", literal=True)
    )
    per_credit = (count == 1) & first_per_credit | fixed_plus_rate
    value = (
        pl.when(count == 0)
        .then(pl.coalesce(bare, pl.when(text.str.contains(_FREE)).then(pl.lit(0.0))))
        .when((count == 1) & ~first_per_credit)
        .then(_amount_value(first))
        .otherwise(pl.lit(None, dtype=pl.Float64))
    )
    covers = (
        pl.coalesce(
            pl.col("_cased").str.extract(rf"{_CASED_AMOUNT}\s*\((.+)\)", 1),
            pl.col("_cased").str.extract(
                rf"{_CASED_AMOUNT}\s*,?\s*(?i:for|voor|incl\.?|including|inclusief|covers?)\s+([^;]+)", 1
            ),
        )
        .str.replace_all(r"[=€()]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" ,.;:")
    )
    absent = is_absent(text, numeric=True)
    return (
        distinct.lazy()
        .with_columns(_cased=clean(pl.col("raw")))
        .with_columns(_text=fold(pl.col("_cased")).str.replace_all(_EURO_WORD, "€"))
        .with_columns(_text=text.str.replace_all(rf"({_NUMBER}){_WHOLE_EUROS}\s*€", "€ $1"))
        .with_columns(_top=text.str.replace_all(r"\([^()]*\)", " ").str.replace_all(r"\([^()]*\)", " "))
        .with_columns(_amounts=top.str.extract_all(_AMOUNT))
        .with_columns(
            value=value,
            covers=pl.when(value.is_not_null() & (covers != "")).then(covers),
            provisional=pl.when(~absent).then(text.str.contains(_PROVISIONAL)),
            fixed_amount=pl.when(fixed_plus_rate).then(_amount_value(first)),
            per_credit=pl.when(fixed_plus_rate)
            .then(_amount_value(second))
            .when(per_credit)
            .then(_amount_value(first)),
        )
        .with_columns(
            reason=reason(
                pl.col("value"),
                absent,
                (per_credit, "per_credit"),
                (count > 1, "multiple_amounts"),
                (text.str.contains(_OTHER_CURRENCY), "other_currency"),
            )
        )
        .select("raw", "value", "reason", "covers", "provisional", "fixed_amount", "per_credit")
        .collect()
    )


def fee_for_credits(fixed_amount: pl.Expr, per_credit: pl.Expr, credits: pl.Expr) -> pl.Expr:
    """The total fee of a per-credit fee once the credits are known: fixed part (0 if none) + rate x credits.

    Null when there is no per-credit rate or the credits are unknown.
    """
    return pl.when(per_credit.is_not_null() & credits.is_not_null()).then(
        fixed_amount.fill_null(0.0) + per_credit * credits.cast(pl.Float64)
    )
