"""``microcred normalise FIELD``: raw values on stdin, one per line -> one JSON value per line on stdout.

What belongs here: the line-oriented wrapper around :func:`normalise.normalise` and nothing else.
It imports only polars and the standard library (no Dagster, pandas or Great Expectations), so the command
starts in well under a second.

Output: ``null`` when the value cannot be told; numbers as JSON numbers (credits ``7.5``, fee ``3500.0``,
hours ``168``); languages as a JSON array (``["nl", "en"]``); dates as ISO strings (``"2024-09-23"``). A value
with structure is one JSON object on its line (the README lists them all):

- ``credits``: a range or tiers -> ``{"min": 2.0, "max": 5.0}``;
- ``fee``: tiers -> ``{"tiers": [{"label": "PhD students", "amount_eur": 300.0}, …]}``; a formula or a
  per-credit rate -> ``{"fixed_eur": 75.4, "per_credit_eur": 8.5}`` (``fixed_eur`` null for a rate alone);
- ``date``: a period -> ``{"start": "2025-07-14", "end": "2025-07-18"}``;
- ``hours``: contact hours given -> ``{"study_hours": 120, "contact_hours": 36}`` (``study_hours`` null when
  the text gives only a part of the study load);
- ``semester``: a UGent code with an offering letter -> ``{"semester": "S1", "offering": "A"}``.

Line *n* of the output always answers line *n* of the input (an empty line answers ``null``). Input is read
as bytes and decoded line by line: a line that is not valid UTF-8 answers ``null``, is named on stderr, and
the lines after it are still answered.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any, TextIO

import polars as pl

from normalise import FIELDS, normalise

BATCH_LINES = 100_000  # lines normalised together: bounded memory, output starts before stdin ends


def run(field: str, lines: Iterable[str] | Iterable[bytes] | IO[Any], out: TextIO) -> int:
    """Normalise each line of ``lines`` as ``field`` and write one JSON value per line to ``out``.

    ``lines`` may be text lines, byte lines, or a text stream such as ``sys.stdin`` (whose bytes are then
    read, so one badly encoded line cannot stop the rest). Returns the exit status: 0, or 2 for an unknown
    field (with a message on stderr).
    """
    if field not in FIELDS:
        print(f"unknown field {field!r}; choose one of: {', '.join(FIELDS)}", file=sys.stderr)
        return 2
    source = getattr(lines, "buffer", lines)
    for batch in _batches(source):
        frame = normalise(field, pl.Series("raw", batch, dtype=pl.Utf8))
        out.write(
            "".join(
                json.dumps(output_value(field, row), ensure_ascii=False) + "\n"
                for row in frame.iter_rows(named=True)
            )
        )
    out.flush()
    return 0


def output_value(field: str, row: dict[str, Any]) -> Any:
    """What the command prints for one normalised row: the plain value, or an object for a structured one."""
    value = row["value"]
    if field == "credits" and value is None and row["min"] is not None and row["max"] is not None:
        return {"min": row["min"], "max": row["max"]}
    if field == "fee" and value is None:
        if row["tiers"]:
            return {"tiers": [{"label": t["label"], "amount_eur": t["amount_eur"]} for t in row["tiers"]]}
        if row["per_credit"] is not None:
            return {"fixed_eur": row["fixed_amount"], "per_credit_eur": row["per_credit"]}
    if field == "date" and row["end"] is not None:
        return {"start": row["start"].isoformat(), "end": row["end"].isoformat()}
    if field == "hours" and row["contact_hours"] is not None:
        return {"study_hours": value, "contact_hours": row["contact_hours"]}
    if field == "semester" and row["offering"] is not None:
        return {"semester": value, "offering": row["offering"]}
    return _jsonable(value)


def main(argv: list[str] | None = None) -> int:
    """``python -m normalise.cli FIELD < raw.txt``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: normalise FIELD < lines   (FIELD: {', '.join(FIELDS)})", file=sys.stderr)
        return 2
    return run(args[0], sys.stdin, sys.stdout)


def _decoded(lines: Iterable[str] | Iterable[bytes]) -> Iterator[str | None]:
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as error:
                print(f"line {number}: not valid UTF-8 ({error.reason}); answered null", file=sys.stderr)
                yield None
                continue
        yield line.rstrip("\r\n")


def _batches(lines: Iterable[str] | Iterable[bytes]) -> Iterator[list[str | None]]:
    decoded = _decoded(lines)
    while batch := list(islice(decoded, BATCH_LINES)):
        yield batch


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


if __name__ == "__main__":
    raise SystemExit(main())
