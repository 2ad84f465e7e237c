"""Reading one staged table (what the blocking checks read): verified against the staging manifest first."""

import hashlib
import json

import polars as pl
import pytest

from normalise.transform import CoreTables, map_lines
from pipelines.defs.resources import MANIFEST, RegistryStore, StagedDataError


@pytest.fixture
def staged(tmp_path):
    store = RegistryStore(data_dir=str(tmp_path))
    folder = store.staging_dir("rug", "night1")
    folder.mkdir(parents=True)
    pl.DataFrame({"registry_id": ["rug:A", "rug:B"]}).write_parquet(folder / "programme.parquet")
    pl.DataFrame({"rule_id": ["credits_present"]}).write_parquet(folder / "flag.parquet")
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    (folder / MANIFEST).write_text(json.dumps({"source": "rug", "run_id": "night1", "sha256": digests}))
    return store, folder


def test_one_table_is_read_when_its_digest_matches_whatever_the_others_are(staged):
    store, folder = staged
    (folder / "flag.parquet").write_bytes(b"damaged")  # not the table asked for
    programme = store.read_staged_table("rug", "night1", "programme")
    assert programme["registry_id"].to_list() == ["rug:A", "rug:B"]
    assert store.staged_height("rug", "night1", "programme") == 2  # what the record checks count


def test_a_damaged_or_unlisted_table_is_refused_with_its_name(staged):
    store, folder = staged
    damaged = folder / "programme.parquet"
    damaged.write_bytes(damaged.read_bytes()[:10])
    with pytest.raises(StagedDataError, match="programme.parquet"):
        store.read_staged_table("rug", "night1", "programme")
    with pytest.raises(StagedDataError, match="programme.parquet"):  # a row count only from a verified table
        store.staged_height("rug", "night1", "programme")
    with pytest.raises(StagedDataError, match="course_unit.parquet"):
        store.read_staged_table("rug", "night1", "course_unit")
    (folder / MANIFEST).unlink()
    with pytest.raises(StagedDataError, match="staging never finished"):
        store.read_staged_table("rug", "night1", "flag")


def test_staged_raw_lines_read_after_the_folder_was_verified_are_checked_again(tmp_path):
    """The raw lines stay on disk until the build loads them: a file damaged in between is refused then."""
    store = RegistryStore(data_dir=str(tmp_path))
    empty = pl.DataFrame({"run_id": pl.Series([], dtype=pl.Utf8)})
    lines = ['{"kind": "programme", "n": 1}', '{"kind": "programme", "n": 2}']
    store.stage(
        CoreTables("rug", "night1", empty, empty, empty, empty, {"programme": lines}), "rug", "night1"
    )
    core = store.read_staged("rug", "night1")
    assert core.raw["programme"].to_list() == lines
    (store.staging_dir("rug", "night1") / "raw_programme.jsonl").write_text('{"kind": "programme", "n": 3}\n')
    with pytest.raises(StagedDataError, match="raw_programme.jsonl"):
        core.raw["programme"]
    # Lines changed as they are read (a reused harvest's new run id) are checked the same way.
    with pytest.raises(StagedDataError, match="raw_programme.jsonl"):
        map_lines(core.raw, lambda lines: lines)["programme"]
