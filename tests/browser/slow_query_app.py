"""A test-only Streamlit page: one runaway query through the dashboard's own ``ui.open_warehouse``.

``tests/browser/test_bounds.py`` opens it, closes the browser tab while the query runs, and checks the
query is cancelled (the outcome file says so) and the server stops using CPU. The outcome file is named by
``$SLOW_QUERY_OUTCOME``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import ui  # noqa: E402
from warehouse.readonly import QueryCancelled  # noqa: E402

RUNAWAY = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = 7"
outcome = Path(os.environ["SLOW_QUERY_OUTCOME"])

st.title("A slow query", anchor=False)
with ui.open_warehouse() as warehouse:
    outcome.write_text("started")
    try:
        warehouse.rows(RUNAWAY)
    except QueryCancelled:
        outcome.write_text("cancelled")
        raise
    outcome.write_text("finished")
