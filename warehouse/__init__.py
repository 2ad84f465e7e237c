"""The DuckDB warehouse: schema and views (.sql), the publish step (build file -> atomic move) and history."""
