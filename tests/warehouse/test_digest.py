"""tools.warehouse_digest: the recorded comparison that shows a restructuring left the warehouse unchanged."""

from __future__ import annotations

import duckdb

from tools.warehouse_digest import compare, digest


def _warehouse(path, rows):
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE programme (registry_id VARCHAR, title VARCHAR, run_id VARCHAR, fetched_at TIMESTAMP)"
    )
    con.executemany("INSERT INTO programme VALUES (?, ?, ?, ?)", rows)
    con.execute("CREATE VIEW titles AS SELECT title FROM programme")
    con.close()
    return path


def test_row_order_run_ids_and_times_do_not_count(tmp_path):
    before = _warehouse(
        tmp_path / "a.duckdb", [("a", "A", "run-1", "2026-01-01"), ("b", "B", "run-1", "2026-01-01")]
    )
    after = _warehouse(
        tmp_path / "b.duckdb", [("b", "B", "run-2", "2026-02-02"), ("a", "A", "run-2", "2026-02-02")]
    )
    assert compare(digest(before), digest(after)) == ["programme: same (2 rows)", "titles: same (2 rows)"]


def test_a_changed_value_or_a_missing_relation_is_named(tmp_path):
    before = digest(_warehouse(tmp_path / "a.duckdb", [("a", "A", "r", "2026-01-01")]))
    after = digest(_warehouse(tmp_path / "b.duckdb", [("a", "A (new)", "r", "2026-01-01")]))
    del after["titles"]
    assert compare(before, after) == ["programme: differs in sha256 (1 rows)", "titles: only before"]
