"""``microcred normalise FIELD``: raw values on stdin, one per line -> one JSON value per line on stdout.

What belongs here: the line-oriented wrapper around :func:`pipelines.normalise.normalise` and nothing else.
It imports only polars and the standard library (no Dagster, pandas or Great Expectations), so the command
starts in well under a second.

Output: ``null`` when the value cannot be told; numbers as JSON numbers (credits ``7.5``, fee ``3500.0``,
hours ``168``); languages as a JSON array (``["nl", "en"]``); dates as ISO strings (``"2024-09-23"``).
Line *n* of the output always answers line *n* of the input (an empty line answers ``null``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TextIO

import polars as pl

from pipelines.normalise import FIELDS, normalise

BATCH_LINES = 100_000  # lines normalised together: bounded memory, output starts before stdin ends


def run(field: str, lines: Iterable[str], out: TextIO) -> int:
    """Normalise each line of ``lines`` as ``field`` and write one JSON value per line to ``out``.

    Returns the exit status: 0, or 2 for an unknown field (with a message on stderr).
    """
    if field not in FIELDS:
        print(f"unknown field {field!r}; choose one of: {', '.join(FIELDS)}", file=sys.stderr)
        return 2
    for batch in _batches(lines):
        values = normalise(field, pl.Series("raw", batch, dtype=pl.Utf8))["value"].to_list()
        out.write("".join(json.dumps(_jsonable(value), ensure_ascii=False) + "\n" for value in values))
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m pipelines.normalise.cli FIELD < raw.txt``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: normalise FIELD < lines   (FIELD: {', '.join(FIELDS)})", file=sys.stderr)
        return 2
    return run(args[0], sys.stdin, sys.stdout)


def _batches(lines: Iterable[str]) -> Iterator[list[str]]:
    stripped = (line.rstrip("\r\n") for line in lines)
    while batch := list(islice(stripped, BATCH_LINES)):
        yield batch


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


if __name__ == "__main__":
    raise SystemExit(main())
