"""Storage by URL: the registry's files in an S3 object store (moto's server on 127.0.0.1)."""

from __future__ import annotations

import io
import uuid

import duckdb
import pytest

from tests.conftest import temporary_dagster_home
from tests.distributed.services import free_port
from tests.distributed.test_distributed import table_differences
from warehouse.storage import RemoteData, fetch_published, is_url


@pytest.fixture(scope="module")
def s3():
    """An S3 endpoint on loopback with one bucket (its URL); the AWS variables point every client at it."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    patch = pytest.MonkeyPatch()
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }.items():
        patch.setenv(key, value)
    # moto keeps its buckets in process-wide state: a bucket name of this module's own.
    bucket = f"registry-{uuid.uuid4().hex[:8]}"
    RemoteData(f"s3://{bucket}").fs.mkdir(bucket)
    try:
        yield f"s3://{bucket}"
    finally:
        patch.undo()
        server.stop()


def _warehouse(path, marker: str) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT ? AS v", [marker])


def test_local_paths_are_not_urls():
    assert not is_url("/srv/registry") and not is_url("data") and not is_url("file:///srv/registry")
    assert is_url("s3://bucket/registry")


def test_a_reader_sees_the_old_warehouse_until_the_pointer_moves(s3, tmp_path, monkeypatch):
    remote = RemoteData(f"{s3}/pointer-test")
    assert fetch_published(remote.url, tmp_path / "none.duckdb") is None  # nothing published yet
    _warehouse(tmp_path / "one.duckdb", "one")
    remote.publish_warehouse(tmp_path / "one.duckdb", "r1")
    _warehouse(tmp_path / "two.duckdb", "two")
    seen_before_pointer = []
    write_text = RemoteData.write_text

    def watching(self, relative, text):
        # The new file is uploaded whole before the pointer is written; a reader still gets the old one.
        reader = fetch_published(remote.url, tmp_path / "reader.duckdb")
        with duckdb.connect(str(reader), read_only=True) as con:
            seen_before_pointer.append(con.execute("SELECT v FROM t").fetchall()[0][0])
        assert self.fs.size(self._path(f"warehouse/{text}")) == (tmp_path / "two.duckdb").stat().st_size
        write_text(self, relative, text)

    monkeypatch.setattr(RemoteData, "write_text", watching)
    remote.publish_warehouse(tmp_path / "two.duckdb", "r2")
    assert seen_before_pointer == ["one"]
    reader = fetch_published(remote.url, tmp_path / "reader.duckdb")
    with duckdb.connect(str(reader), read_only=True) as con:
        assert con.execute("SELECT v FROM t").fetchall() == [("two",)]
    assert remote.published_name() == "registry-r2.duckdb"


@pytest.mark.slow
def test_a_refresh_into_s3_publishes_the_same_warehouse(s3, tmp_path, monkeypatch, published_registry):
    from pipelines.cli import refresh

    monkeypatch.setenv("MICROCRED_WORK_DIR", str(tmp_path / "work"))
    url = f"{s3}/night"
    out = io.StringIO()
    with temporary_dagster_home(tmp_path):
        code = refresh(None, live=False, data_dir=url, out=out)
    assert code == 0, out.getvalue()
    assert f"data in {url}" in out.getvalue()
    remote = RemoteData(url)
    # Every hand-over went through the store: landing, staging (with its pointer), the warehouse.
    [run_id] = [p.rsplit("/", 1)[1] for p in remote.fs.ls(remote._path("raw"))]
    for source in ("ugent", "uantwerpen", "rug"):
        assert remote.read_text(f"raw/{run_id}/{source}/outcome.json") is not None
        assert remote.read_text(f"staging/{source}/CURRENT") == run_id
    assert remote.published_name() == f"registry-{run_id}.duckdb"
    fetched = fetch_published(url, tmp_path / "fetched.duckdb")
    differences = table_differences(published_registry / "registry.duckdb", fetched)
    assert differences["programme"][0] > 200
    assert {table: d for table, d in differences.items() if d[1] or d[2]} == {}
