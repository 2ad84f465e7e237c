"""Generated snapshots for benchmarks (`python -m tools.snapshot.national`)."""
