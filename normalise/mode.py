"""Delivery mode: how a programme is taught: ``on_site``, ``online``, ``hybrid``, ``blended``, ``distance``.

What belongs here: the form of delivery only (not the participation form, not the schedule beyond telling
evening classes on campus apart from online ones).

Raw formats handled (site):
- ``"evening classes, online, hybrid or distance learning"`` - UAntwerp micro-credential landing page
- ``"on campus"``, ``"on-site"``, ``"in person"``, ``"face-to-face"``, ``"op de campus"``, ``"dagonderwijs"``,
  ``"avondonderwijs"``, ``"evening classes"`` -> on_site (evening classes are classes on campus)
- ``"online"``, ``"e-learning"``, ``"virtual"``, ``"webinar"``, ``"livestream"`` -> online
- ``"hybrid"``, ``"hybride"`` -> hybrid; ``"blended learning"``, ``"gemengd leren"`` -> blended
- ``"distance learning"``, ``"afstandsonderwijs"``, ``"op afstand"`` -> distance

Decisions:
- The registry holds one mode per programme. When a text names exactly one mode, that is the
  value. When it names several, the value is:
  - the explicit ``hybrid`` or ``blended`` word when exactly one of those is present and the others only
    describe its parts ("Blended: online and on campus" -> blended);
  - otherwise null with reason ``multiple_modes`` (alternatives such as "online, hybrid or distance", or a
    mix the page does not name, "on campus and online"): the mode is not guessed.
- The extra column ``modes`` (List(Utf8)) always lists every mode named, in the order written, so the
  alternatives are not lost.
"""

from __future__ import annotations

import polars as pl

from normalise._text import clean, fold, is_absent, reason

REASONS: tuple[str, ...] = ("absent", "unparseable", "multiple_modes")
EXTRA_COLUMNS: dict[str, pl.DataType] = {"modes": pl.List(pl.Utf8)}
VALUES: tuple[str, ...] = ("on_site", "online", "hybrid", "blended", "distance")

_PATTERNS: dict[str, str] = {
    "on_site": (
        r"on[- ]?site|on[- ]?campus|op (?:de )?campus|campusonderwijs|in[- ]person|face[- ]to[- ]face|"
        r"in (?:the |de )?(?:classroom|klas)|klassikaal|contactonderwijs|fysiek|presentieel|ter plaatse|"
        r"dagonderwijs|avondonderwijs|avondles|evening (?:classes|courses|lectures|sessions)|on location"
    ),
    "online": r"on-?line|e-?learning|virtual|virtueel|webinar|live ?stream|remote",
    "hybrid": r"hybri",
    "blended": r"blended|gemengd leren|mixed[- ]mode",
    "distance": r"distance|afstand|correspondence|correspondentie",
}
_ALTERNATIVES = r"(?-u:\b)(?:or|of|ofwel|either|keuze)(?-u:\b)|/"


def normalise_frame(distinct: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct ``raw`` (Utf8): ``raw``, ``value`` (Utf8 mode), ``reason``, ``modes``."""
    text = pl.col("_text")
    found = [
        pl.struct(position=text.str.find(pattern), mode=pl.lit(mode)) for mode, pattern in _PATTERNS.items()
    ]
    element = pl.element()
    modes = (
        pl.concat_list(found)
        .list.eval(element.sort_by(element.struct.field("position"), nulls_last=True))
        .list.eval(element.filter(element.struct.field("position").is_not_null()).struct.field("mode"))
    )
    modes_col = pl.col("modes")
    hybrid_or_blended = modes_col.list.eval(element.is_in(["hybrid", "blended"])).list.sum()
    value = (
        pl.when(modes_col.list.len() == 1)
        .then(modes_col.list.first())
        .when(~text.str.contains(_ALTERNATIVES) & (hybrid_or_blended == 1))
        .then(modes_col.list.eval(element.filter(element.is_in(["hybrid", "blended"]))).list.first())
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )
    absent = is_absent(text)
    return (
        distinct.lazy()
        .with_columns(_text=fold(clean(pl.col("raw"))))
        .with_columns(modes=pl.when(absent).then(pl.lit(None, dtype=pl.List(pl.Utf8))).otherwise(modes))
        .with_columns(value=value)
        .with_columns(reason=reason(pl.col("value"), absent, (modes_col.list.len() > 1, "multiple_modes")))
        .select("raw", "value", "reason", "modes")
        .collect()
    )
