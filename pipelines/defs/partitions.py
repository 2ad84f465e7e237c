"""Each institution is a partition: one can fail or be retried without the others."""

import dagster as dg

from pipelines.institutions import HARVESTED_SOURCES

source_partitions = dg.StaticPartitionsDefinition(list(HARVESTED_SOURCES))

REFRESH_TAG = "microcred/refresh_id"
SOURCE_TAG = "microcred/source"  # one concurrent run per site: the run queue's tag limit is on this tag
LAUNCHED_BY_TAG = "microcred/launched_by"  # "cli" or "schedule": the publish sensor handles the schedule's


def refresh_id(context: dg.AssetExecutionContext) -> str:
    """The registry run id: set by ``microcred refresh`` as a run tag, else Dagster's own run id."""
    return context.run.tags.get(REFRESH_TAG) or context.run.run_id
