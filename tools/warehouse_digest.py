"""A digest of every table and view of a published warehouse, to show that a change of code left it unchanged.

What belongs here: one canonical, order-free digest per relation (row count, columns, SHA-256 of the sorted
rows) with the columns that differ on every run masked: run ids, timestamps (history's valid_from/valid_to
included), and the listing a card came from (two UAntwerp listings offer twelve of the same programmes, and
which one answers first is timing). Used to compare the warehouse before and after a restructuring: run the
same refresh with the same ``MICROCRED_NOW`` on both commits, digest both, and ``--compare``.

    python -m tools.warehouse_digest data/registry.duckdb > after.json
    python -m tools.warehouse_digest --compare before.json after.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import duckdb

VOLATILE = re.compile(
    r"(^run_id$|_run_id$|_at$|_run$|^valid_(from|to)$|^listing_(url|title)$|duration|seconds|elapsed)"
)
_EMBEDDED = re.compile(
    r"""(["'])(fetched_at|run_id|last_verified_at|listing_url|listing_title)\1: ?(["'])[^"']*\3"""
)


def _clean(value: object) -> str:
    return _EMBEDDED.sub(r"\1\2\1: -", str(value))


def digest(path: Path) -> dict[str, dict]:
    """Per relation of the ``main`` schema: kind, rows, columns, masked columns and the rows' SHA-256."""
    con = duckdb.connect(str(path), read_only=True)
    relations = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
    ).fetchall()
    result = {}
    for name, kind in relations:
        columns = [c[0] for c in con.execute(f'SELECT * FROM "{name}" LIMIT 0').description]
        kept = [c for c in columns if not VOLATILE.search(c)]
        rows = con.execute(f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in kept) or "1"} FROM "{name}"')
        lines = sorted(json.dumps([_clean(v) for v in row]) for row in rows.fetchall())
        result[name] = {
            "kind": kind,
            "rows": len(lines),
            "columns": columns,
            "masked": sorted(set(columns) - set(kept)),
            "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
        }
    return result


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """One line per relation: ``same``, or what differs."""
    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            lines.append(f"{name}: only {'after' if old is None else 'before'}")
            continue
        differs = [key for key in ("kind", "rows", "columns", "sha256") if old[key] != new[key]]
        lines.append(
            f"{name}: {'same' if not differs else 'differs in ' + ', '.join(differs)} ({new['rows']} rows)"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true", help="compare two digests (JSON files)")
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.paths)
        lines = compare(before, after)
        print("\n".join(lines))
        return 0 if all(line.split(": ")[1].startswith("same") for line in lines) else 1
    json.dump(digest(args.paths[0]), sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
