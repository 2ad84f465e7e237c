"""bench/inflate.py: a warehouse multiplied to national size stays a valid warehouse for the dashboard."""

from __future__ import annotations

import duckdb

from bench.inflate import TABLES, inflate
from dashboard import data


def test_every_record_table_is_multiplied_with_new_keys_and_the_views_still_join(
    published_registry, tmp_path
):
    source = published_registry / "registry.duckdb"
    with duckdb.connect(str(source), read_only=True) as con:
        before = {table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] for table in TABLES}
        flagged = con.execute("SELECT count(*) FROM flag_detail WHERE record_title IS NOT NULL").fetchall()[
            0
        ][0]

    counts = inflate(source, tmp_path / "registry.duckdb", times=3)

    assert counts == {table: rows * 3 for table, rows in before.items()}
    with duckdb.connect(str(tmp_path / "registry.duckdb"), read_only=True) as con:
        # Each copy's flags find their own programme or course unit, so the flag views keep their titles.
        assert (
            con.execute("SELECT count(*) FROM flag_detail WHERE record_title IS NOT NULL").fetchall()[0][0]
            == flagged * 3
        )
        assert (
            con.execute("SELECT count(DISTINCT (registry_id, academic_year)) FROM programme").fetchall()[0][0]
            == before["programme"] * 3
        )
    with data.connect(tmp_path / "registry.duckdb") as warehouse:
        everything = data.SearchFilters(year=data.ALL)
        assert warehouse.search_count(everything) == before["programme"] * 3
        # The copies are told apart by their titles, which the free-text search finds.
        copies = warehouse.search(data.SearchFilters(year=data.ALL, text="(copy"))
        assert copies.height == before["programme"] * 2
        assert copies["registry_id"].str.contains("~").all()
