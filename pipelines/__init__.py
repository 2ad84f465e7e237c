"""Dagster pipeline of the registry: definitions (``pipelines.definitions``), assets under ``defs/``, the
plain transformations they call (``transform``, ``normalise/``) and the ``microcred`` command line (``cli``)."""

import os

# Polars allocates through its own jemalloc and, by its default, keeps freed pages for 0.5-1 s before giving
# them back. A national harvest builds and drops frames of hundreds of megabytes faster than that, and the
# pages kept were a large part of the refresh's peak memory (about 350 MB when reading Ghent's landing). Every
# process of the pipeline (this one, the fork server and its run workers, the crawls) gives them back at once
# instead, for about 20% more time in those steps. Polars appends this to its own settings when it is first
# imported, which is after this line; an operator's own setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
