"""Dagster definitions, one small module per concern: partitions, resources, raw, core, warehouse."""
