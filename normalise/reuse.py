"""Work proportional to change: a source whose landing is unchanged since its last staged harvest reuses that
harvest's normalised core tables and record flags instead of normalising and checking again.

"Unchanged" is a digest of the landing's item files (``{kind}.jsonl``), in any line order (pages answer in any
order) and with this run's id taken out (the landing pipeline stamps it on every line). Any other difference,
a fetch time included, is a change: a page revalidated tonight carries tonight's ``fetched_at`` and
``last_verified_at``, which must reach the warehouse, so that harvest is normalised as usual. The nights this
pays off are the ones the revisit policy (``scrapers/revisit.py``) replays every detail page of a source from
the memo.

The digest is written beside the staged tables (``landing.sha256``). Reused tables get this run's id wherever
they carry one (frames and the verbatim raw lines), so the warehouse cannot tell them from a fresh harvest; the
flag that depends on the published warehouse (``registry_id_stable``) is computed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import polars as pl

from normalise.transform import CoreTables, map_lines
from registry.tables import ITEM_KINDS

DIGEST_FILE = "landing.sha256"
PUBLISHED_DEPENDENT_RULES = ("registry_id_stable",)  # flags computed against the published warehouse


def _run_id_field(run_id: str) -> bytes:
    # As the landing pipeline writes it (json.dumps with the default separators, scrapers/pipelines.py).
    return f'"run_id": "{run_id}"'.encode()


def landing_digest(landing_dir: Path, run_id: str) -> str:
    """SHA-256 over the landing's items, whatever order their lines landed in, without this run's id.

    Read as a stream: each line is hashed on its own and only the line digests (32 bytes each) are sorted and
    hashed, so a national landing of hundreds of megabytes is never held in memory.
    """
    digest = hashlib.sha256()
    stamp = _run_id_field(run_id)
    for kind in ITEM_KINDS:
        path = Path(landing_dir) / f"{kind}.jsonl"
        line_digests: list[bytes] = []
        if path.exists():
            with path.open("rb") as handle:
                line_digests = sorted(
                    hashlib.sha256(line.rstrip(b"\n").replace(stamp, b"")).digest() for line in handle
                )
        digest.update(f"{kind}\n{len(line_digests)}\n".encode())
        digest.update(b"".join(line_digests))
    return digest.hexdigest()


def write_digest(staging_dir: Path, digest: str) -> None:
    Path(staging_dir).mkdir(parents=True, exist_ok=True)
    (Path(staging_dir) / DIGEST_FILE).write_text(digest + "\n")


def reusable(
    staging_dir: Path, digest: str, run_id: str, read: Callable[[Path], CoreTables] = CoreTables.read
) -> CoreTables | None:
    """The core tables staged in ``staging_dir`` as this run's, when their landing had ``digest``; else None.

    ``read`` reads (and, for the store's ``read_staged``, verifies) the staged tables.
    """
    marker = Path(staging_dir) / DIGEST_FILE
    try:
        if marker.read_text().strip() != digest:
            return None
        core = read(Path(staging_dir))
    except Exception:  # no digest, or staged tables missing, damaged or unreadable: normalise as usual
        return None
    old = core.run_id

    def restamp(frame: pl.DataFrame | None) -> pl.DataFrame | None:
        if frame is None or "run_id" not in frame.columns:
            return frame
        return frame.with_columns(pl.lit(run_id, dtype=frame.schema["run_id"]).alias("run_id"))

    old_stamp, new_stamp = _run_id_field(old).decode(), _run_id_field(run_id).decode()
    flags = restamp(core.flag)
    if flags is not None:
        flags = flags.filter(~pl.col("rule_id").is_in(PUBLISHED_DEPENDENT_RULES))
    return CoreTables(
        core.institution_id,
        run_id,
        restamp(core.programme),
        restamp(core.course_unit),
        restamp(core.programme_course),
        restamp(core.harvest_issue),
        raw=map_lines(core.raw, lambda lines: lines.str.replace_all(old_stamp, new_stamp, literal=True)),
        flag=flags,
    )
