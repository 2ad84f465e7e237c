"""The registry's structured values written for people: credit ranges, fees (tiers, formulas) and date spans.

What belongs here: turning the warehouse columns of one programme into the short texts the dashboard and the
quality report both show, so that the two readers say the same thing in the same words. Plain text only: each
reader escapes it for its own medium (Markdown, HTML). Nothing here reads the warehouse or guesses a value:
a value the warehouse does not hold is not shown, and a derived fee always says that it is derived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

EN_DASH = "\u2013"


def number(value: float | int | Decimal) -> str:
    """5.0 -> '5', 7.5 -> '7.5', 650.00 -> '650', 12.50 -> '12.50' (cents kept when there are any)."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else f"{value:.2f}"
    return f"{float(value):g}"


def credits(ects: float | None, low: float | None, high: float | None) -> str:
    """'5' for a single size, '2–5' for a range or tiers (credits_ects is then null), '' when unknown."""
    if ects is not None:
        return number(ects)
    if low is not None and high is not None:
        return number(low) if low == high else f"{number(low)}{EN_DASH}{number(high)}"
    if low is not None or high is not None:
        return number(low if low is not None else high)
    return ""


def money(amount: Decimal | float | int | None) -> str:
    return "" if amount is None else f"€{number(amount)}"


def tiers(fee_tiers: Sequence[Mapping[str, Any]] | None) -> str:
    """'PhD students: €300; Others: €650', in the order published."""
    parts = []
    for tier in fee_tiers or []:
        label, amount = tier.get("label"), tier.get("amount_eur")
        if amount is None and not label:
            continue
        parts.append(f"{label}: {money(amount)}" if label else money(amount))
    return "; ".join(parts)


def formula(fixed: Decimal | None, per_credit: Decimal | None) -> str:
    """'€250 + €40 per credit' (either part alone when only one is published)."""
    parts = []
    if fixed is not None:
        parts.append(money(fixed))
    if per_credit is not None:
        parts.append(f"{money(per_credit)} per credit")
    return " + ".join(parts)


def fee(row: Mapping[str, Any]) -> str:
    """A programme's fee in one line: the published amount, the tiers, or the formula with the fee it gives
    for the programme's credits marked as derived ('€490 (derived from €250 + €40 per credit)')."""
    amount, derived = row.get("fee_eur"), row.get("fee_eur_derived")
    rule = formula(row.get("fee_fixed_eur"), row.get("fee_per_credit_eur"))
    parts = []
    if amount is not None:
        if derived:
            parts.append(f"{money(amount)} (derived from {rule})" if rule else f"{money(amount)} (derived)")
        else:
            parts.append(money(amount))
    elif rule:
        parts.append(rule)
    tiered = tiers(row.get("fee_tiers"))
    if tiered:
        parts.append(tiered)
    return "; ".join(parts)


def dates(start: date | None, end: date | None) -> str:
    """'2025-07-14 – 2025-07-18', 'from 2025-07-14', 'until 2025-07-18', or ''."""
    if start is not None and end is not None:
        return start.isoformat() if start == end else f"{start.isoformat()} {EN_DASH} {end.isoformat()}"
    if start is not None:
        return f"from {start.isoformat()}"
    if end is not None:
        return f"until {end.isoformat()}"
    return ""
