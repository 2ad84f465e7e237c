"""Fee: what a participant pays, in EUR (Float64), with what the amount covers, whether it is provisional, and
fees that come in tiers or as a formula.

What belongs here: reading an amount in euros, its build-up, its tiers and its per-credit formula out of fee
text. Whether a fee is plausible is the quality rules' business.

Raw formats handled (site):
- ``"€ 3.500 (= €320 administration fee + (60 x €53/ECTS))"`` - UAntwerp -> 3500.0, covers
  ``"320 administration fee + 60 x 53/ECTS"``
- ``"Fee (TBC) € 450"`` - RUG summer schools -> 450.0, ``provisional`` True
- ``"€ 743,-"``, ``"€ 743,- for a 5 ECTS course"`` - RUG open courses -> 743.0, covers ``"a 5 ECTS course"``
- ``"EUR 50"``, ``"fee EUR 50"`` - summerschoolsineurope.eu; ``"450 euro"``, ``"450 €"``, ``"EUR50"``
- formulas (UGent and UAntwerp fee pages): ``"€ 265,70 vast bedrag + € 12,50 per studiepunt"`` (UGent fee
  rule), ``"€ 75,40 + (aantal studiepunten x € 8,50)"``, ``"EUR 250 plus EUR 40 per credit"``,
  ``"€ 250 + (number of credits × € 40)"`` -> null, reason ``per_credit``, ``fixed_amount`` and
  ``per_credit``; ``"€ 53/ECTS"`` -> null, ``per_credit`` 53.0
- tiers (UAntwerp summer schools): ``"PhD students: €300 | Others: €650"``,
  ``"Early bird: € 450 | Regular: € 550"``, ``"€ 450 for students, € 650 for professionals"``,
  ``"€ 500 (academia) / € 900 (industry)"`` -> null, reason ``tiers``, ``tiers`` a list of
  ``{label, amount_eur}`` in the order written
- ``"gratis"``, ``"free of charge"`` -> 0.0 (a zero the page states, not an invented one)

Decisions:
- Number format: a dot or comma followed by exactly three digits groups thousands ("€ 3.500" = 3500,
  "€ 1,486.00" = 1486); otherwise it is the decimal separator ("€ 3.50" = 3.5, "€ 265,70" = 265.7);
  ",-" marks whole euros. Spaces may group thousands ("€ 20 000").
- The amount is the first amount at the top level of the text; amounts inside brackets are its build-up
  (kept in ``covers``), not competing fees.
- A fee that depends on the number of credits (a fixed part + an amount per credit, or only a per-credit
  amount) cannot be known from the text alone: value null, reason ``per_credit``, parts in ``fixed_amount``
  and ``per_credit``. The caller, who knows the credits, computes the total with :func:`fee_for_credits`
  and marks it as derived. "Plus", "+", "and", "vermeerderd met" join the two parts, in either order.
- Several top-level amounts for different participants, dates or sectors are tiers: value null (the registry
  does not pick one), reason ``tiers``, each amount with its label. The label is the text written before the
  amount ("PhD students: €300") or, when nothing but a generic word ("Fee:") precedes the first amount, the
  text written after it ("€ 450 for students"), cut at the separator to the next tier (``|``, ``;``, ``,``,
  `` / ``, else "and"/"or"/"-"). A label that is empty stays null; the amount is kept.
- Several amounts that are neither tiers nor a formula (per-credit rates for different groups, two rates)
  -> null, reason ``multiple_amounts``.
- A negative amount (``"-500 EUR"``, ``"€ -500"``) -> null, reason ``negative``: a fee is never negative, and
  its digits are not the fee. Scientific notation (``"1e999 EUR"``) -> null, reason ``unparseable``.
- Amounts in another currency only (``"$ 500"``, ``"CHF 300"``) -> null, reason ``other_currency``.
- A bare number is taken as euros (the column fixes the unit).

Extra columns: ``covers`` (Utf8: the bracketed build-up or the "for …"/"incl. …" clause after the amount),
``provisional`` (Boolean: TBC, "onder voorbehoud", indicative, approximate), ``fixed_amount`` and
``per_credit`` (Float64, set for per-credit fees), ``tiers`` (List of Struct ``{label: Utf8, amount_eur:
Float64}``, set for tiers).
"""

from __future__ import annotations

import polars as pl

from normalise._text import SCIENTIFIC, clean, decimal, fold, is_absent, reason

REASONS: tuple[str, ...] = (
    "absent",
    "unparseable",
    "per_credit",
    "tiers",
    "multiple_amounts",
    "negative",
    "other_currency",
)
TIER = pl.Struct({"label": pl.Utf8(), "amount_eur": pl.Float64()})
EXTRA_COLUMNS: dict[str, pl.DataType] = {
    "covers": pl.Utf8(),
    "provisional": pl.Boolean(),
    "fixed_amount": pl.Float64(),
    "per_credit": pl.Float64(),
    "tiers": pl.List(TIER),
}

_NUMBER = r"\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_START = r"(^|[^\p{L}\d.,])"  # a number starts here (group 1): not inside a word, a code or a number
_WHOLE_EUROS = r"(?:[.,]-+)?"
_PER_CREDIT = r"\s*(?:per|/|p\.)\s*(?:studiepunt|credit|ects|ec|sp|stp)[\p{L}-]*"
_AMOUNT = rf"€\s*(?:{_NUMBER}){_WHOLE_EUROS}(?:{_PER_CREDIT})?"
# "EUR 50", "euro", "EUR50" (glued to the amount: group 1 keeps the digit that follows).
_EURO_WORD = r"(?-u:\b)eur(?:os?)?(?:(?-u:\b)\.?|(\d))"
# "(aantal studiepunten x € 8,50)", "(number of credits × €40)", "€ 8,50 x het aantal studiepunten": the
# per-credit part of a formula, rewritten as "€ 8,50 per credit" so one pattern reads every wording.
_CREDIT_COUNT = (
    r"(?:(?:the\s+|het\s+)?(?:aantal|number\s+of)\s+)?(?:studiepunten|study\s+points|ects[ -]?credits|"
    r"credits|ects|ec)"
)
_TIMES = r"\s*[x×*]\s*"
_FORMULA_REWRITES: tuple[tuple[str, str], ...] = (
    (rf"(?i)\(?\s*{_CREDIT_COUNT}{_TIMES}€\s*({_NUMBER}){_WHOLE_EUROS}\s*\)?", "€ ${1} per credit"),
    (rf"(?i)\(?\s*€\s*({_NUMBER}){_WHOLE_EUROS}{_TIMES}{_CREDIT_COUNT}\s*\)?", "€ ${1} per credit"),
)
_JOINED = r"\+|(?-u:\b)(?:plus|and|en|vermeerderd met|verhoogd met|increased by)(?-u:\b)"
_PROVISIONAL = (
    r"(?-u:\b)(?:tbc|to be confirmed|onder voorbehoud|voorlopig|indicati|provisional|approx|ongeveer|circa|"
    r"ca\.|estimated|expected|verwacht)|±|~"
)
_FREE = r"(?-u:\b)(?:free|gratis|kosteloos|kostenloos|no fee|no charge|geen kosten)(?-u:\b)"
_OTHER_CURRENCY = r"[$£¥]|(?-u:\b)(?:usd|gbp|chf|sek|dkk|nok|pln|czk|huf|dollars?|pounds?)(?-u:\b)"
# A minus sign on an amount ("-€ 500" once "-500 EUR" is rewritten, "€ -500"), not a dash between words.
_NEGATIVE = r"(?:^|[^\p{L}\d.,)])-(?:€\s*)?\d|€\s*-\s*\d"
# A generic word before the first amount is not a tier's label ("Fee: € 450 for students, …").
_GENERIC = (
    r"(?i)^\s*(?:(?:the\s+)?(?:tuition|registration|participation|course|programme|program)?\s*"
    r"(?:fees?|price|prices|cost|costs)|prijs|prijzen|kostprijs|kosten|inschrijvingsgeld|studiegeld|"
    r"deelnameprijs|deelnamekosten|tarief|tarieven|amount)\s*(?:\([^()]*\))?\s*[:=-]?\s*"
)
_STRONG = r"[|;,•]|\s/\s"
_WEAK = r"\s(?:and|en|or|of|-)\s"
_LABEL_JUNK = r"^[\s:=,.;|/-]+|[\s:=,.;|/-]+$"
_LABEL_INTRO = r"(?i)^(?:for|voor|fee for|price for|tarief voor)\s+(?:the\s+|de\s+|het\s+)?"
_SPLIT = "\x1f"


def _euros(number: pl.Expr) -> pl.Expr:
    """A written amount ("3.500", "743,-", "1,486.00", "20 000", "265,70") as Float64 euros."""
    return decimal(number.str.replace(r"[.,]-+$", ""))


def _amount_value(amount: pl.Expr) -> pl.Expr:
    return _euros(amount.str.extract(rf"({_NUMBER})", 1))


def _with_euro_signs(cased: pl.Expr) -> pl.Expr:
    """Every euro amount written as "€ N", case kept: "EUR 50" and "450 euro" become "€ 50", "€ 450"."""
    text = cased.str.replace_all(rf"(?i){_EURO_WORD}", "€ ${1}").str.replace_all(
        rf"{_START}({_NUMBER}){_WHOLE_EUROS}\s*€", "${1}€ ${2}"
    )
    for pattern, replacement in _FORMULA_REWRITES:
        text = text.str.replace_all(pattern, replacement)
    return text


def _label(cut: pl.Expr) -> pl.Expr:
    """A tier's label from its piece of text: separators, brackets and "for" dropped; null when empty."""
    text = cut.str.replace_all(_LABEL_JUNK, "").str.replace(r"^\((.*)\)$", "$1")
    text = text.str.replace(_LABEL_INTRO, "").str.replace_all(_LABEL_JUNK, "").str.strip_chars()
    return pl.when(text.str.contains(r"\p{L}")).then(text)


def _tiers(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The ``tiers`` column: each top-level amount with its label, for the rows marked ``_is_tiers``."""
    # The text cut at its amounts: [text, amount, text, amount, ..., text]. Bracketed text without an amount
    # stays: it can be a label ("€ 500 (academia)").
    pieces = (
        pl.col("_eur")
        .str.replace_all(r"\([^()]*\([^()]*\)[^()]*\)|\([^()]*€[^()]*\)", " ")
        .str.replace(_GENERIC, "")
        .str.replace_all(rf"(?i)({_AMOUNT})", f"{_SPLIT}${{1}}{_SPLIT}")
        .str.split(_SPLIT)
    )
    rows = (
        frame.filter(pl.col("_is_tiers"))
        .select("raw", _pieces=pieces)
        .with_columns(
            _amounts=pl.col("_pieces").list.gather_every(2, offset=1),
            _gaps=pl.col("_pieces").list.gather_every(2),
        )
        # Labels come before the amounts when the text starts with one ("PhD students: €300 | …").
        .with_columns(_before=pl.col("_gaps").list.first().str.contains(r"\p{L}"))
        .with_columns(
            _labels=pl.when(pl.col("_before"))
            .then(pl.col("_gaps").list.head(pl.col("_amounts").list.len()))
            .otherwise(pl.col("_gaps").list.slice(1))
        )
        .explode("_amounts", "_labels")
        .with_columns(_position=pl.int_range(pl.len()).over("raw"))
        .with_columns(
            label=_label(
                pl.when(pl.col("_before") & (pl.col("_position") == 0))
                .then(pl.col("_labels"))
                .when(pl.col("_before") & pl.col("_labels").str.contains(_STRONG))
                .then(pl.col("_labels").str.extract(rf"(?:{_STRONG})([^|;,•]*)$", 1))
                .when(pl.col("_before"))
                .then(pl.col("_labels").str.replace(rf"^.*{_WEAK}", ""))
                .when(pl.col("_labels").str.contains(_STRONG))
                .then(pl.col("_labels").str.extract(rf"^(.*?)(?:{_STRONG})", 1))
                .otherwise(pl.col("_labels").str.replace(rf"{_WEAK}.*$", ""))
            ),
            amount_eur=_amount_value(pl.col("_amounts")),
        )
        .group_by("raw", maintain_order=True)
        .agg(tiers=pl.struct("label", "amount_eur"))
    )
    return frame.join(rows, on="raw", how="left", nulls_equal=True)


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Float64 EUR), ``reason``, ``covers``,
    ``provisional``, ``fixed_amount``, ``per_credit``, ``tiers``."""
    text = pl.col("_text")
    top = pl.col("_top")
    amounts = pl.col("_amounts")
    is_rate = amounts.list.eval(pl.element().str.contains(_PER_CREDIT))
    rates = is_rate.list.sum()
    count = amounts.list.len()
    first = amounts.list.get(0, null_on_oob=True)
    first_per_credit = first.str.contains(_PER_CREDIT)
    fixed_of_two = amounts.list.get(pl.when(is_rate.list.first()).then(1).otherwise(0), null_on_oob=True)
    rate_of_two = amounts.list.get(pl.when(is_rate.list.first()).then(0).otherwise(1), null_on_oob=True)
    bare = _euros(text.str.extract(rf"^({_NUMBER}){_WHOLE_EUROS}$", 1))
    negative = text.str.contains(_NEGATIVE)
    # On the text as written: the euro rewrites would split "1e-3 EUR" into "1e-€ 3".
    scientific = fold(clean(pl.col("raw"))).str.contains(SCIENTIFIC)
    unusable = negative | scientific
    fixed_plus_rate = ~unusable & (count == 2) & (rates == 1) & top.str.contains(_JOINED)
    per_credit = ~unusable & ((count == 1) & first_per_credit | fixed_plus_rate)
    is_tiers = ~unusable & (count >= 2) & (rates == 0)
    value = (
        pl.when(unusable)
        .then(pl.lit(None, dtype=pl.Float64))
        .when(count == 0)
        .then(pl.coalesce(bare, pl.when(text.str.contains(_FREE)).then(pl.lit(0.0))))
        .when((count == 1) & ~first_per_credit)
        .then(_amount_value(first))
        .otherwise(pl.lit(None, dtype=pl.Float64))
    )
    covers = (
        pl.coalesce(
            pl.col("_eur").str.extract(rf"€\s*(?:{_NUMBER}){_WHOLE_EUROS}\s*\((.+)\)", 1),
            pl.col("_eur").str.extract(
                rf"€\s*(?:{_NUMBER}){_WHOLE_EUROS}\s*,?\s*(?i:for|voor|incl\.?|including|inclusief|covers?)"
                r"\s+([^;]+)",
                1,
            ),
        )
        .str.replace_all(r"[=€()]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" ,.;:")
    )
    absent = is_absent(text, numeric=True)
    frame = (
        distinct.lazy()
        .with_columns(_eur=_with_euro_signs(clean(pl.col("raw"))))
        .with_columns(_text=fold(pl.col("_eur")))
        .with_columns(_top=text.str.replace_all(r"\([^()]*\)", " ").str.replace_all(r"\([^()]*\)", " "))
        .with_columns(_amounts=top.str.extract_all(_AMOUNT))
        .with_columns(
            value=value,
            covers=pl.when(value.is_not_null() & (covers != "")).then(covers),
            provisional=pl.when(~absent).then(text.str.contains(_PROVISIONAL)),
            fixed_amount=pl.when(fixed_plus_rate).then(_amount_value(fixed_of_two)),
            per_credit=pl.when(fixed_plus_rate)
            .then(_amount_value(rate_of_two))
            .when(per_credit)
            .then(_amount_value(first)),
            _is_tiers=is_tiers,
        )
        .with_columns(
            reason=reason(
                pl.col("value"),
                absent,
                (scientific, "unparseable"),
                (negative, "negative"),
                (per_credit, "per_credit"),
                (is_tiers, "tiers"),
                (count > 1, "multiple_amounts"),
                (text.str.contains(_OTHER_CURRENCY), "other_currency"),
            )
        )
    )
    return (
        _tiers(frame)
        .with_columns(tiers=pl.col("tiers").cast(pl.List(TIER)))
        .select("raw", "value", "reason", "covers", "provisional", "fixed_amount", "per_credit", "tiers")
        .collect()
    )


def fee_for_credits(fixed_amount: pl.Expr, per_credit: pl.Expr, credits: pl.Expr) -> pl.Expr:
    """The total fee of a per-credit fee once the credits are known: fixed part (0 if none) + rate x credits.

    Null when there is no per-credit rate or the credits are unknown.
    """
    return pl.when(per_credit.is_not_null() & credits.is_not_null()).then(
        fixed_amount.fill_null(0.0) + per_credit * credits.cast(pl.Float64)
    )
