"""The registry dashboard: ``make dashboard``, or ``streamlit run dashboard/app.py``.

Three pages, each with its own address: /overview, /search and /quality. Every render opens the published
warehouse read-only (``dashboard.data.connect``), so the dashboard keeps working while a refresh replaces it.
``$MICROCRED_DATA_DIR`` chooses the data folder, as for the pipeline.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this file's folder on sys.path, not the repository root the package lives in.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.views.overview import overview_page  # noqa: E402
from dashboard.views.quality import quality_page  # noqa: E402
from dashboard.views.search import search_page  # noqa: E402

st.set_page_config(
    page_title="Micro-credential registry",
    page_icon="🎓",
    layout="wide",
    menu_items={
        "About": "Micro-credential registry: Ghent, Antwerp and Groningen, read from the published warehouse."
    },
)

OVERVIEW = st.Page(overview_page, title="Overview", icon=":material/insights:", url_path="overview")
PAGES = [
    OVERVIEW,
    st.Page(search_page, title="Search", icon=":material/search:", url_path="search"),
    st.Page(quality_page, title="Quality", icon=":material/fact_check:", url_path="quality"),
]


def _home() -> None:
    """The app's root address opens the overview at its own address, /overview, keeping any filters."""
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())


# Streamlit serves the default page at "/" only; this hidden one sends "/" on to /overview.
HOME = st.Page(_home, title="Overview", url_path="home", default=True, visibility="hidden")
st.navigation([HOME, *PAGES], position="top").run()
