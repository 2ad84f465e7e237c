"""Each institution is a partition: one can fail or be retried without the others."""

import dagster as dg

from registry.institutions import HARVESTED_SOURCES

source_partitions = dg.StaticPartitionsDefinition(list(HARVESTED_SOURCES))

REFRESH_TAG = "microcred/refresh_id"
PARTITION_TAG = "dagster/partition"  # Dagster's own tag of a partitioned run: the source it harvests
SOURCE_TAG = "microcred/source"  # one concurrent run per site: the production queue's tag limit is on it
# Set by `microcred refresh` on the runs it launches: which data folder, and that a refresh (holding the
# folder's refresh lock) launched them, so the next refresh can find and fail the ones a kill left STARTED.
# The nightly schedule sets it too; the publish sensor handles only the schedule's nights.
DATA_DIR_TAG = "microcred/data_dir"
LAUNCHER_TAG = "microcred/launched_by"
REFRESH_LAUNCHER = "microcred refresh"
SCHEDULE_LAUNCHER = "nightly schedule"


def refresh_id(context: dg.AssetExecutionContext) -> str:
    """The registry run id: set by ``microcred refresh`` as a run tag, else Dagster's own run id."""
    return context.run.tags.get(REFRESH_TAG) or context.run.run_id
