"""Tests of the bundled offline snapshot: its generator, manifest and HTTP server."""
