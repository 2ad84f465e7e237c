"""The search page's plain-text tables show one page of rows at a time once they outgrow a page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _app(rows: int, page: int | None = None) -> AppTest:
    def script(rows: int) -> None:
        import polars as pl
        import streamlit as st

        from dashboard.views.search import _page

        shown = _page(pl.DataFrame({"n": range(rows)}), "page", "rows", 100)
        st.text(f"{shown.height} {shown['n'].min()} {shown['n'].max()}")

    app = AppTest.from_function(script, args=(rows,))
    app.run()
    if page is not None:
        app.selectbox(key="page").select(page).run()
    return app


def test_a_table_that_fits_is_shown_whole_without_a_selector():
    app = _app(100)
    assert not app.selectbox
    assert app.text[0].value == "100 0 99"


def test_a_longer_table_shows_its_first_page_and_offers_every_page():
    app = _app(250)
    assert app.text[0].value == "100 0 99"
    assert app.selectbox(key="page").options == ["1–100 of 250", "101–200 of 250", "201–250 of 250"]


def test_the_chosen_page_is_shown_and_the_last_one_holds_the_rest():
    app = _app(250, page=2)
    assert app.text[0].value == "50 200 249"
