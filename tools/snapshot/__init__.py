"""How the bundled snapshot is made and changed: its generators, their real reference data, the later nights
the tests play, and the national-size snapshot for benchmarks. Run from the repository (`python -m tools.snapshot.…`),
never installed; the offline run needs only `scrapers.snapshot` (the server and the manifest)."""
