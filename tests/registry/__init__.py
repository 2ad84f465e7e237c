"""Tests of the dependency-free core (``registry/``)."""
