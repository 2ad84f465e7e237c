"""SQL in ``.sql`` files: the reader, and every module's queries match the names its code asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warehouse.sql import Queries, parse, placeholders

REPO = Path(__file__).resolve().parents[2]
# The modules that keep their queries in a .sql file beside them.
MODULES = [
    REPO / "dashboard" / "data.py",
    REPO / "warehouse" / "summary.py",
    REPO / "warehouse" / "export.py",
]
ASKED = re.compile(r"""QUERIES(?:\[|\.format\()\s*["'](\w+)["']""")


def test_named_sections_are_read_whole_with_their_comments():
    text = "-- what this file holds\n\n-- name: one\n-- why\nSELECT 1\nFROM t;\n\n-- name: two\nSELECT {x}\n"
    assert parse(text) == {"one": "-- why\nSELECT 1\nFROM t", "two": "SELECT {x}"}


@pytest.mark.parametrize(
    "text, problem",
    [
        ("SELECT 1\n-- name: one\nSELECT 2\n", "must follow"),
        ("-- name: one\nSELECT 1\n-- name: one\nSELECT 2\n", "named twice"),
        ("-- name: one\n\n-- name: two\nSELECT 2\n", "empty"),
        ("SELECT 1\n", "must follow"),
    ],
)
def test_a_malformed_file_is_refused_with_the_reason(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse(text)


def test_format_fills_fragments_and_refuses_a_missing_one(tmp_path):
    module = tmp_path / "m.py"
    (tmp_path / "m.sql").write_text("-- name: q\nSELECT * FROM t WHERE {where} {limit}\n", encoding="utf-8")
    queries = Queries(module)
    assert queries.format("q", where="a = ?", limit="") == "SELECT * FROM t WHERE a = ? "
    with pytest.raises(KeyError, match="limit"):
        queries.format("q", where="TRUE")


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_query_is_used_and_every_name_used_exists(module):
    queries = Queries(module)
    asked = set(ASKED.findall(module.read_text(encoding="utf-8")))
    assert asked, f"{module.name} asks for no query by name"
    assert asked == set(queries), "a query no code runs, or code asking for a query that is not there"
    for name in queries:
        # The only braces in the SQL are fragments (a stray one would break str.format at run time).
        assert all(re.fullmatch(r"\w+", field) for field in placeholders(queries[name])), name
