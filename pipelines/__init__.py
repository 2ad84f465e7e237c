"""Dagster pipeline of the registry: definitions (``pipelines.definitions``), assets under ``defs/``, the
plain transformations they call (``transform``, ``normalise/``) and the ``microcred`` command line (``cli``)."""

import os

# Polars allocates through its own jemalloc, which by default keeps freed pages for about ten seconds before
# returning them. A national harvest builds and drops frames of hundreds of megabytes in quick succession, and
# those kept pages were most of the refresh's peak memory. Every process of the pipeline (this one, the fork
# server and its run workers, the crawls) returns them at once instead; jemalloc reads this when polars is
# first loaded, which is after this line. An operator's own setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
