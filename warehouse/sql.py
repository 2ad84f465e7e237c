"""Named SQL queries kept in a ``.sql`` file beside the module that runs them, read once.

What belongs here: the reader, nothing else. A module ``x.py`` keeps its queries in ``x.sql``; each query
follows a line ``-- name: NAME`` and runs until the next such line (comments and blank lines around it are
kept, DuckDB ignores them). A query may hold ``{fragment}`` placeholders: SQL the calling code builds itself
(a WHERE clause of ``?`` parameters, a table name from a fixed list, a quoted path), filled in with
``Queries.format``. Values, and anything a user typed, are never fragments: they are bound parameters.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path

_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


class Queries(Mapping[str, str]):
    """The queries of one ``.sql`` file by name: ``Queries(__file__)`` reads the module's own ``.sql`` file."""

    def __init__(self, module_file: str | Path):
        self.path = Path(module_file).with_suffix(".sql")

    @cached_property
    def _queries(self) -> dict[str, str]:
        return parse(self.path.read_text(encoding="utf-8"), self.path)

    def __getitem__(self, name: str) -> str:
        return self._queries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)

    def format(self, name: str, **fragments: str) -> str:
        """The query ``name`` with its ``{fragment}`` placeholders filled in (every one must be given)."""
        query = self._queries[name]
        missing = set(placeholders(query)) - set(fragments)
        if missing:
            raise KeyError(f"{self.path.name}: query {name} needs {sorted(missing)}")
        return query.format_map(fragments)


def parse(text: str, path: Path | str = "<sql>") -> dict[str, str]:
    """``{name: query}`` from the text of a ``.sql`` file of ``-- name:`` sections."""
    marks = list(_NAME.finditer(text))
    if not marks or _has_sql(text[: marks[0].start()]):
        raise ValueError(f"{path}: every query must follow a '-- name: NAME' line")
    queries: dict[str, str] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        name = mark.group(1)
        if name in queries:
            raise ValueError(f"{path}: query {name} is named twice")
        body = text[mark.end() : following.start() if following else len(text)].strip().rstrip(";").strip()
        if not body:
            raise ValueError(f"{path}: query {name} is empty")
        queries[name] = body
    return queries


def placeholders(query: str) -> list[str]:
    """The ``{fragment}`` names in ``query``, in order."""
    return [field for _, field, _, _ in string.Formatter().parse(query) if field is not None]


def _has_sql(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())
