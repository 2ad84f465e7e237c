"""Dagster pipeline of the registry: definitions (``pipelines.definitions``), assets under ``defs/``, the
plain transformations they call (``transform``, ``normalise/``) and the ``microcred`` command line (``cli``)."""
