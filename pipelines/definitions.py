"""The Dagster entry point: loads every module of the ``defs`` package (``dagster dev`` and the CLI)."""

from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
