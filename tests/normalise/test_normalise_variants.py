"""100,000 generated variants of the real value forms (issue 12): spacing, decimal comma or point, thousands
separators, case, the currency before or after the amount. None raises; each gives the value its form means;
and no number comes out that the text does not write.

The variants are seeded (``random.Random(SEED)``), so a failure names a reproducible string. Each field's
variants are normalised at once, as whole columns. "Written in the text" is checked independently of the
normalisers: every number token of the raw string, read in each way a separator can be meant (dot or comma
as decimal separator or as thousands grouping, spaces grouping thousands), keeps its minus sign and its
exponent ("1e999" is one number, not 1 and 999). The only computed numbers allowed are the documented ones:
hours rounded to whole hours, contact hours summed from the activities written, and a credit add-on's maximum
(base + add-on).
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable

import polars as pl
import pytest

from normalise import normalise

SEED = 20261130
VARIANTS = {"credits": 40_000, "fee": 40_000, "hours": 20_000}

# --- what the text writes -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"(?<![\d.,])(-?)(\d+(?:[.,]\d+)*)([eE][+-]?\d+)?")
_SPACED = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d.,])")


def _readings(digits: str) -> set[float]:
    readings = set()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        readings.add(float(digits.replace(".", "").replace(",", ".")))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        readings.add(float(digits.replace(",", "")))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", digits):
        readings.add(float(digits.replace(",", ".")))
    return readings


def written_list(text: str) -> list[float]:
    """Every number the text writes, in every reading its separators allow, once per time it is written."""
    text = text.replace("\u2212", "-").replace("\u00a0", " ")
    numbers: list[float] = []
    for sign, digits, exponent in _TOKEN.findall(text):
        readings = {float(f"{r}{exponent}") for r in _readings(digits)} if exponent else _readings(digits)
        numbers += [-r if sign else r for r in readings if math.isfinite(r)]
    numbers += [float(match.replace(" ", "")) for match in _SPACED.findall(text)]
    return numbers


def written_numbers(text: str) -> set[float]:
    return set(written_list(text))


def _close(value: float, candidates: set[float] | list[float]) -> bool:
    return any(abs(value - c) < 1e-6 for c in candidates)


def _sums(numbers: list[float], most: int = 4) -> set[float]:
    small = sorted(numbers)[:12]
    return {sum(c) for k in range(2, most + 1) for c in itertools.combinations(small, k)}


def _whole(x: float) -> int:
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


def test_written_numbers_reads_the_text_not_the_digits() -> None:
    """The checker itself: a sign, an exponent and both separators belong to one number."""
    assert written_numbers("-500 EUR") == {-500.0}
    assert written_numbers("1e999 ECTS") == set()
    assert written_numbers("1.250,00 ECTS") == {1250.0}
    assert written_numbers("2-5 ECTS") == {2.0, 5.0}
    assert written_numbers("€ 1.250") == {1250.0, 1.25}
    assert written_numbers("€ 20 000") == {20.0, 0.0, 20000.0}


# --- the generators -----------------------------------------------------------------------------------------


def _space(rng: random.Random) -> str:
    return rng.choice([" ", " ", " ", "", "  ", "\u00a0", "\t", " \u202f"])


def _case(rng: random.Random, word: str) -> str:
    return rng.choice([word, word.lower(), word.upper(), word.title()])


def _credits_number(rng: random.Random, value: float) -> str:
    if value == int(value):
        return rng.choice([str(int(value)), str(int(value)), f"{int(value)},0", f"{int(value)}.0"])
    return f"{value:g}".replace(".", rng.choice([",", "."]))


def _amount_text(rng: random.Random, amount: float) -> str:
    """An amount of euros in one of the ways the sites write it (without the currency)."""
    whole = int(amount)
    cents = round((amount - whole) * 100)
    if cents:
        groups = f"{whole:,}"
        eu = groups.replace(",", ".") + f",{cents:02d}"
        en = groups + f".{cents:02d}"
        return rng.choice([eu, en, f"{whole},{cents:02d}", f"{whole}.{cents:02d}"])
    forms = [str(whole), f"{whole},-", f"{whole},00", f"{whole}.00"]
    if whole >= 1000:
        forms += [
            f"{whole:,}".replace(",", "."),
            f"{whole:,}",
            f"{whole:,}".replace(",", " "),
            f"{whole:,}".replace(",", ".") + ",00",
        ]
    return rng.choice(forms)


def _euros(rng: random.Random, amount: float) -> str:
    number = _amount_text(rng, amount)
    sign = rng.choice(["€", "€", "EUR", "eur", "Euro", "euro", "EURO"])
    if rng.random() < 0.5:
        return f"{sign}{_space(rng) if sign != '€' else rng.choice(['', ' '])}{number}"
    return f"{number}{rng.choice([' ', '', ' '])}{sign}" if sign == "€" else f"{number} {sign}"


def _amount(rng: random.Random) -> float:
    if rng.random() < 0.3:
        return rng.randint(10, 9999) + rng.randint(1, 99) / 100
    return float(rng.choice([rng.randint(10, 999), rng.randint(1000, 25000)]))


# Each generator returns (raw, expected) where expected maps output columns to their values.
Expected = dict[str, object]


def credits_variant(rng: random.Random) -> tuple[str, Expected]:
    unit = rng.choice(
        ["ECTS", "ECTS-credits", "ects credits", "EC", "credits", "studiepunten", "Studiepunten"]
    )
    size = rng.choice([float(rng.randint(1, 30)), rng.randint(1, 20) + 0.5])
    s = _space(rng)
    kind = rng.randrange(9)
    if kind == 0:
        return f"{_credits_number(rng, size)}{s}{unit}", {"value": size, "min": size, "max": size}
    if kind == 1:
        label = _case(rng, rng.choice(["Studiepunten", "ECTS-credits", "Credits"]))
        return f"{label}:{s}{_credits_number(rng, size)}", {"value": size, "min": size, "max": size}
    low, high = sorted(rng.sample(range(1, 31), 2))
    if kind == 2:
        dash = rng.choice(["-", "–", " - ", " – ", " to ", " tot "])
        return f"{low}{dash}{high}{s}{unit}", {"value": None, "reason": "range", "min": low, "max": high}
    if kind == 3:
        middle = rng.randint(low, high)
        sep = rng.choice(["/", ", ", " or ", " of "])
        text = f"{low}{sep}{middle}{rng.choice(['/', ' or ', ' of '])}{high}{s}{unit}"
        return text, {"value": None, "reason": "range", "min": low, "max": high}
    if kind == 4:
        word = rng.choice(["between", "Between", "tussen", "BETWEEN"])
        joiner = "en" if word.lower() == "tussen" else "and"
        return f"{word} {low} {joiner} {high}{s}{unit}", {
            "value": None,
            "reason": "range",
            "min": low,
            "max": high,
        }
    if kind == 5:
        extra = rng.randint(1, 6)
        text = (
            f"{low}{s}{unit} (+{extra} {rng.choice(['with an individual paper', 'voor een paper', 'ECTS'])})"
        )
        return text, {"value": None, "reason": "range", "min": low, "max": low + extra}
    if kind == 6:
        return f"-{_credits_number(rng, size)}{s}{unit}", {"value": None, "reason": "negative_sentinel"}
    if kind == 7:
        text = f"{rng.randint(1, 9)}{rng.choice(['e', 'E'])}{rng.choice(['', '+', '-'])}{rng.randint(1, 999)}{s}{unit}"
        return text, {"value": None, "reason": "unparseable", "min": None, "max": None}
    # "1.250,00 ECTS": read by its format (1250.0); the size rules flag it, the normaliser does not guess.
    whole, decimals = rng.randint(1000, 9999), rng.choice(["00", "0", "50"])
    value = whole + int(decimals) / 10 ** len(decimals)
    return f"{whole // 1000}.{whole % 1000:03d},{decimals}{s}{unit}", {
        "value": value,
        "min": value,
        "max": value,
    }


def fee_variant(rng: random.Random) -> tuple[str, Expected]:
    kind = rng.randrange(8)
    a, b = _amount(rng), _amount(rng)
    if kind in (0, 1):
        return _euros(rng, a), {"value": a}
    if kind == 2:
        first, second = rng.choice(
            [("PhD students", "Others"), ("Early bird", "Regular"), ("Students", "Professionals")]
        )
        sep = rng.choice([" | ", "; ", " | "])
        text = f"{first}:{_space(rng)}{_euros(rng, a)}{sep}{second}:{_space(rng)}{_euros(rng, b)}"
        return text, {"value": None, "reason": "tiers", "tiers": [(first, a), (second, b)]}
    if kind == 3:
        first, second = rng.choice([("students", "professionals"), ("academia", "industry")])
        if rng.random() < 0.5:
            text = f"{_euros(rng, a)} for {first}, {_euros(rng, b)} for {second}"
        else:
            text = f"{_euros(rng, a)} ({first}) / {_euros(rng, b)} ({second})"
        return text, {"value": None, "reason": "tiers", "tiers": [(first, a), (second, b)]}
    if kind == 4:
        count = rng.choice(["aantal studiepunten", "number of credits", "studiepunten"])
        times = rng.choice([" x ", " × ", "x", " * "])
        text = f"{_euros(rng, a)} + ({count}{times}€ {_amount_text(rng, b)})"
        return text, {"value": None, "reason": "per_credit", "fixed_amount": a, "per_credit": b}
    if kind == 5:
        join = rng.choice([" plus ", " + ", " PLUS ", " vermeerderd met "])
        per = rng.choice(["per credit", "per studiepunt", "per ECTS", "/ECTS", " per ECTS credit"])
        text = f"{_euros(rng, a)}{join}{_euros(rng, b).strip()} {per}".replace("  ", " ")
        # the per-credit unit must follow the amount directly: move a trailing currency word before it
        if not re.search(r"\d\s*(?:,-|,00|\.00)?\s*(?:€|eur|euro)?\s*(?:per|/)", text, re.IGNORECASE):
            return _euros(rng, a), {"value": a}
        return text, {"value": None, "reason": "per_credit", "fixed_amount": a, "per_credit": b}
    if kind == 6:
        whole = int(a)
        text = rng.choice([f"-{whole} EUR", f"€ -{whole}", f"-{whole} €", f"−{whole} euro"])
        return text, {"value": None, "reason": "negative"}
    text = f"{rng.randint(1, 9)}e{rng.randint(1, 999)} {rng.choice(['EUR', 'euro', '€'])}"
    return text, {"value": None, "reason": "unparseable", "tiers": None}


def hours_variant(rng: random.Random) -> tuple[str, Expected]:
    study, lectures, exercises = rng.randint(30, 900), rng.randint(1, 60), rng.randint(1, 60)
    kind = rng.randrange(5)
    hours = _case(rng, rng.choice(["hours", "hrs", "h"]))
    s = _space(rng)
    if kind == 0:
        text = (
            f"{study}{s}{hours} of study time, including {lectures} {hours} of lectures and {exercises} {hours} "
            f"of {rng.choice(['exercises', 'seminars', 'practicals', 'tutorials'])}"
        )
        return text, {"value": study, "contact_hours": lectures + exercises}
    if kind == 1:
        text = f"{study}{s}uur studietijd, waarvan {lectures} uur hoorcollege en {exercises} uur oefeningen"
        return text, {"value": study, "contact_hours": lectures + exercises}
    if kind == 2:
        text = f"{_case(rng, 'Studietijd')}{rng.choice([' ', ': '])}{study}{s}u, contacturen {lectures} u"
        return text, {"value": study, "contact_hours": lectures}
    if kind == 3:
        half = rng.choice(["", ",5", ".5"])
        text = f"{study}{half}{s}{rng.choice(['uur', 'hours', 'u'])}"
        return text, {"value": study + (1 if half else 0), "contact_hours": None}
    text = f"{_case(rng, 'Contact hours')}:{s}{lectures}"
    return text, {"value": None, "reason": "partial_hours", "contact_hours": lectures}


GENERATORS: dict[str, Callable[[random.Random], tuple[str, Expected]]] = {
    "credits": credits_variant,
    "fee": fee_variant,
    "hours": hours_variant,
}

# --- the checks ---------------------------------------------------------------------------------------------


def _numbers_out(field: str, row: dict) -> list[tuple[str, float]]:
    out = [("value", row["value"])]
    if field == "credits":
        out += [("min", row["min"]), ("max", row["max"])]
    elif field == "fee":
        out += [("fixed_amount", row["fixed_amount"]), ("per_credit", row["per_credit"])]
        out += [("tiers", tier["amount_eur"]) for tier in row["tiers"] or []]
    elif field == "hours":
        out += [("contact_hours", row["contact_hours"])]
    return [(name, float(number)) for name, number in out if number is not None]


def _is_written(field: str, name: str, number: float, raw: str) -> bool:
    written = written_numbers(raw)
    if _close(number, written):
        return True
    if field == "hours" and _close(number, {_whole(w) for w in written}):
        return True  # rounded to whole hours
    if field == "hours" and name == "contact_hours":
        return _close(number, _sums(written_list(raw)))
    if field == "credits" and name == "max" and "+" in raw:
        return _close(number, _sums(written_list(raw), most=2))
    return False


def _matches(expected: Expected, row: dict) -> bool:
    for column, wanted in expected.items():
        got = row[column]
        if column == "tiers" and wanted is not None:
            pairs = [((t["label"] or "").lower(), t["amount_eur"]) for t in got or []]
            if [label for label, _ in pairs] != [label.lower() for label, _ in wanted]:
                return False
            if not all(abs(x - y) < 1e-6 for (_, x), (_, y) in zip(pairs, wanted, strict=True)):
                return False
        elif isinstance(wanted, float | int) and not isinstance(wanted, bool):
            if got is None or abs(got - wanted) > 1e-6:
                return False
        elif got != wanted:
            return False
    return True


@pytest.mark.parametrize("field", list(VARIANTS))
def test_generated_variants(field: str) -> None:
    rng = random.Random(f"{SEED}-{field}")
    pairs = [GENERATORS[field](rng) for _ in range(VARIANTS[field])]
    raws = [raw for raw, _ in pairs]
    out = normalise(field, pl.Series("raw", raws, dtype=pl.Utf8))
    assert out.height == len(raws)
    assert out.filter(pl.col("value").is_null() == pl.col("reason").is_null()).height == 0

    invented, wrong = [], []
    for (raw, expected), row in zip(pairs, out.iter_rows(named=True), strict=True):
        invented += [
            (raw, name, n) for name, n in _numbers_out(field, row) if not _is_written(field, name, n, raw)
        ]
        if not _matches(expected, row):
            wrong.append((raw, expected, {k: row[k] for k in expected}))
    assert invented == [], f"{len(invented)} numbers not written in the text, e.g. {invented[:5]}"
    assert wrong == [], f"{len(wrong)} variants read wrongly, e.g. {wrong[:5]}"


def test_variant_count() -> None:
    assert sum(VARIANTS.values()) == 100_000
