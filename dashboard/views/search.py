"""Search: every micro-credential of the three institutions in one place, filtered the way Nova Academy does."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.text import escape_frame, escape_markdown, page_label, safe_url
from registry import display

# session-state key -> URL query parameter
PARAMS = {
    "search_institution": "institution",
    "search_language": "language",
    "search_min_credits": "min_credits",
    "search_max_credits": "max_credits",
    "search_semester": "semester",
    "search_area": "area",
    "search_year": "year",
    "search_start": "start_from",
    "search_text": "q",
    "search_broken": "broken",
}

# The plain-text tables (st.table) write every row into the page as HTML: at national size (10,000 current
# programmes, 4,000 flags) that took the browser most of a minute. So they show one page of rows at a time
# (about 2 ms of browser time a row); the interactive table (st.dataframe) draws only the rows in view and
# keeps every result. A page holds every result (233) and flag (109) of the bundled snapshot.
PAGE_ROWS = 250
FLAG_PAGE_ROWS = 150


def _clear_filters() -> None:
    for key in PARAMS:
        st.session_state.pop(key, None)
    st.session_state.pop("_invalid_url_search", None)
    st.query_params.clear()


def search_page() -> None:
    st.title("Find a micro-credential", anchor=False)
    st.caption(
        "Search the offer of all three institutions at once. Filters sit in the sidebar and are kept in the "
        "page address: copy it to share exactly this view."
    )
    with ui.open_warehouse() as warehouse:
        filters = _filters(warehouse)
        names = warehouse.institutions()
        latest = warehouse.latest_years()
        problem = data.search_text_problem(filters.text)
        if problem:
            with st.container(key="search-too-long"):
                st.error(
                    f"**The search text is too long to search.** {problem} Shorten it to its key words.",
                    icon=":material/report:",
                )
        if ui.show_invalid("search") or problem:
            ui.data_footer(warehouse)
            st.container(key="page-ready").empty()
            return

        count = warehouse.search_count(filters)
        per_institution = warehouse.search_by_institution(filters)
        breaking = int(per_institution["breaking_a_rule"].sum()) if per_institution.height else 0
        st.markdown(
            escape_markdown(
                f"Showing {ui.describe_year(filters.year, latest, names, filters.institutions or names)}.",
                one_line=False,
            )
        )

        found, broken, institutions = st.columns(3, border=True)
        with found, st.container(key="result-count"):
            st.metric(
                "Programmes found",
                count,
                help="Programme records matching every filter: one per micro-credential per academic year.",
            )
        with broken, st.container(key="result-breaking"):
            st.metric(
                "Of which break a registry rule",
                breaking,
                help="At least one error or warning flag; see the Quality page.",
            )
        with institutions, st.container(key="result-institutions"):
            st.metric("Institutions with a match", int((per_institution["programmes"] > 0).sum()))

        st.subheader("Per institution", anchor=False)
        with st.container(key="per-institution"):
            st.table(
                escape_frame(
                    per_institution.select(
                        pl.col("institution").alias("Institution"),
                        pl.col("programmes").alias("Programmes found"),
                        pl.col("breaking_a_rule").alias("Breaking a rule"),
                        pl.col("error_flags").alias("Error flags"),
                        pl.col("warning_flags").alias("Warning flags"),
                    )
                ),
                hide_index=True,
            )

        results = warehouse.search(filters)
        st.subheader(f"Results ({count})", anchor=False)
        if not results.height:
            st.info(
                "Nothing matches these filters. Widen the credits range, pick another year or clear a filter."
            )
        else:
            _results_table(results)
            _result_list(results)
            _flags(warehouse, filters, breaking)
        ui.data_footer(warehouse)
        st.container(key="page-ready").empty()


def _filters(warehouse: data.Warehouse) -> data.SearchFilters:
    """The sidebar's filters, seeded from the URL on the first render and written back to it."""
    names = warehouse.institutions()
    languages = warehouse.languages()
    semesters = warehouse.semesters()
    areas = warehouse.areas()
    years = warehouse.academic_years()
    low, high = warehouse.credits_bounds()

    ui.read_address("search", list(PARAMS), list(PARAMS.values()))
    ui.seed_from_url("search_text", "q", ui.parse_search_text, page="search")
    text = st.text_input(
        "Search titles and learning outcomes",
        key="search_text",
        placeholder="e.g. data, climate, law — every word must occur, in any case",
        icon=":material/search:",
    )
    st.caption(
        f"Every word must occur in the title or a learning outcome; up to {data.SEARCH_MAX_WORDS} words and "
        f"{data.SEARCH_MAX_CHARS} characters."
    )

    sidebar = st.sidebar
    sidebar.header("Filters", anchor=False)
    ui.seed_from_url(
        "search_institution",
        "institution",
        lambda v: ui.parse_choices(v, list(names), what="institution"),
        page="search",
    )
    ui.keep_valid("search_institution", list(names), [])
    institutions = sidebar.multiselect(
        "Institution",
        list(names),
        format_func=lambda i: names.get(i, i),
        key="search_institution",
        placeholder="Any",
    )
    ui.seed_from_url(
        "search_language",
        "language",
        lambda v: ui.parse_choices([x.lower() for x in v], languages, what="language"),
        page="search",
    )
    ui.keep_valid("search_language", languages, [])
    chosen_languages = sidebar.multiselect(
        "Language of instruction",
        languages,
        format_func=data.language_label,
        key="search_language",
        placeholder="Any",
        help="Programmes taught (also) in one of these languages.",
    )
    sidebar.markdown("**Credits (ECTS)**")
    left, right = sidebar.columns(2)
    top = max(high, 60.0)
    for key, param in (("search_min_credits", "min_credits"), ("search_max_credits", "max_credits")):
        ui.seed_from_url(key, param, lambda v: ui.parse_credits(v, high=top), page="search")
    min_credits = left.number_input(
        "at least",
        value=None,
        min_value=0.0,
        max_value=top,
        step=1.0,
        format="%g",
        key="search_min_credits",
        placeholder=f"{low:g}",
    )
    max_credits = right.number_input(
        "at most",
        value=None,
        min_value=0.0,
        max_value=top,
        step=1.0,
        format="%g",
        key="search_max_credits",
        placeholder=f"{high:g}",
    )
    ui.seed_from_url(
        "search_semester",
        "semester",
        lambda v: ui.parse_choices([x.upper() for x in v], semesters, what="semester"),
        page="search",
    )
    ui.keep_valid("search_semester", semesters, [])
    chosen_semesters = sidebar.multiselect(
        "Semester",
        semesters,
        format_func=lambda s: data.SEMESTER_LABELS.get(s, s),
        key="search_semester",
        placeholder="Any",
    )
    ui.seed_from_url("search_area", "area", lambda v: ui.parse_choices(v, areas, what="area"), page="search")
    ui.keep_valid("search_area", areas, [])
    chosen_areas = sidebar.multiselect(
        "Area (faculty or school)", areas, key="search_area", placeholder="Any"
    )
    year = ui.year_picker(years, key="search_year", page="search")
    ui.seed_from_url("search_start", "start_from", ui.parse_start, page="search")
    start_from = sidebar.date_input(
        "Starts on or after",
        value=None,
        key="search_start",
        format="YYYY-MM-DD",
        help="Programmes without a published start date are left out.",
    )
    ui.seed_from_url("search_broken", "broken", ui.parse_flag, page="search")
    broken_only = sidebar.toggle("Only those that break a rule", key="search_broken")
    sidebar.button("Clear all filters", on_click=_clear_filters, icon=":material/filter_alt_off:")

    filters = data.SearchFilters(
        institutions=tuple(institutions),
        languages=tuple(chosen_languages),
        min_credits=min_credits,
        max_credits=max_credits,
        semesters=tuple(chosen_semesters),
        areas=tuple(chosen_areas),
        year=year,
        start_from=start_from if not isinstance(start_from, tuple) else None,
        text=(text or "").strip(),
        broken_only=bool(broken_only),
    )
    ui.write_url(
        {
            "institution": list(filters.institutions),
            "language": list(filters.languages),
            "min_credits": filters.min_credits,
            "max_credits": filters.max_credits,
            "semester": list(filters.semesters),
            "area": list(filters.areas),
            "year": None if filters.year == data.CURRENT else filters.year,
            "start_from": filters.start_from,
            "q": filters.text if not data.search_text_problem(filters.text) else None,
            "broken": filters.broken_only,
        },
        keep=ui.invalid_params("search"),
    )
    return filters


def _shown(results: pl.DataFrame) -> pl.DataFrame:
    """The results with the texts both tables show: credits ('2–5' for a range), dates and fee (tiers, and a
    fee derived from a formula marked as derived), written by ``registry.display`` as the report writes them."""
    rows = results.to_dicts()
    return results.with_columns(
        pl.Series(
            "credits_text",
            [display.credits(r["credits"], r["credits_min"], r["credits_max"]) for r in rows],
            dtype=pl.String,
        ),
        pl.Series(
            "dates_text", [display.dates(r["start_date"], r["end_date"]) for r in rows], dtype=pl.String
        ),
        pl.Series("fee_text", [display.fee(r) for r in rows], dtype=pl.String),
    )


def _results_table(results: pl.DataFrame) -> None:
    """The interactive table (sortable; select a row for its details)."""
    results = _shown(results)
    table = results.select(
        "title",
        "institution",
        "year",
        "credits_text",
        pl.col("languages").list.join(", "),
        pl.col("semester").replace_strict(data.SEMESTER_LABELS, default=pl.col("semester")),
        "area",
        "dates_text",
        "fee_text",
        pl.col("rules_broken").list.join(", "),
        pl.col("url").map_elements(safe_url, return_dtype=pl.String),
    )
    event = st.dataframe(
        table,
        hide_index=True,
        key="results",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "institution": st.column_config.TextColumn("Institution"),
            "year": st.column_config.TextColumn("Academic year"),
            "credits_text": st.column_config.TextColumn(
                "Credits", help="A range (2–5) when the page offers one."
            ),
            "languages": st.column_config.TextColumn("Languages"),
            "semester": st.column_config.TextColumn("Semester"),
            "area": st.column_config.TextColumn("Area"),
            "dates_text": st.column_config.TextColumn("Dates"),
            "fee_text": st.column_config.TextColumn(
                "Fee",
                help="As published: one amount, tiers, or a formula (a fee computed from it says derived).",
            ),
            "rules_broken": st.column_config.TextColumn("Rules broken"),
            "url": st.column_config.LinkColumn("Source page", display_text="open ↗"),
        },
    )
    st.caption("Click a row for its learning outcomes and flags; click a column header to sort.")
    rows = event.selection.rows if event is not None else []
    if rows:
        _details(results.row(rows[0], named=True))


def _details(row: dict) -> None:
    with st.container(border=True, key="result-details"):
        st.subheader(escape_markdown(row["title"]), anchor=False)
        facts = [
            row["institution"],
            row["year"],
            f"{row['credits_text']} credits" if row["credits_text"] else "credits not published",
            f"{row['study_hours']} h" if row["study_hours"] is not None else None,
            f"{row['contact_hours']} contact hours" if row["contact_hours"] is not None else None,
            ", ".join(data.language_label(code) for code in row["languages"] or []) or None,
            data.SEMESTER_LABELS.get(row["semester"], row["semester"]) if row["semester"] else None,
            row["delivery_mode"],
            row["dates_text"] or None,
        ]
        with st.container(key="result-facts"):
            st.text(" · ".join(str(fact) for fact in facts if fact))
        if row["fee_text"]:
            with st.container(key="result-fee"):
                st.text(f"Fee: {row['fee_text']}")
        if row["area"]:
            st.text(row["area"])
        outcomes = row["learning_outcomes"] or []
        st.markdown("**Learning outcomes**")
        if outcomes:
            st.markdown("\n".join(f"- {escape_markdown(outcome)}" for outcome in outcomes))
        else:
            st.caption("None published.")
        if row["rules_broken"]:
            st.markdown(
                "**Rules broken:** " + ", ".join(f"`{escape_markdown(r)}`" for r in row["rules_broken"])
            )
        url = safe_url(row["url"])
        if url:
            st.link_button("Open the source page", url, icon=":material/open_in_new:")


def _page(frame: pl.DataFrame, key: str, what: str, rows: int = PAGE_ROWS) -> pl.DataFrame:
    """``frame`` when it fits in one page, else the page of ``rows`` rows chosen in a selector."""
    if frame.height <= rows:
        return frame
    pages = -(-frame.height // rows)
    page = st.selectbox(
        f"Page of {what}",
        range(pages),
        format_func=lambda i: f"{i * rows + 1:,}–{min((i + 1) * rows, frame.height):,} of {frame.height:,}",
        key=key,
    )
    return frame.slice((page or 0) * rows, rows)


def _page_label(count: int, what: str, rows: int = PAGE_ROWS) -> str:
    """'all 120 results' when they fit in one page, else 'all 10,200 results, 250 a page'."""
    return f"all {count} {what}" if count <= rows else f"all {count:,} {what}, {rows} a page"


def _result_list(results: pl.DataFrame) -> None:
    """The same results as a plain table in the page (readable by screen readers, find-in-page and tests),
    written when its section is opened."""
    section = st.expander(
        "A" + _page_label(results.height, "results as a text table")[1:],
        icon=":material/list:",
        key="result-list-open",
        on_change="rerun",
    )
    with section:
        if not section.open:
            return  # written only when opened: the browser lays out no table nobody reads
        results = _shown(_page(results, "result-page", "results"))
        with st.container(key="result-list"):
            st.table(
                escape_frame(
                    results.select(
                        pl.col("title").alias("Title"),
                        pl.col("institution").alias("Institution"),
                        pl.col("year").alias("Academic year"),
                        pl.col("credits_text").alias("Credits"),
                        pl.col("languages").alias("Languages"),
                        pl.col("semester")
                        .replace_strict(data.SEMESTER_LABELS, default=pl.col("semester"))
                        .alias("Semester"),
                        pl.col("dates_text").alias("Dates"),
                        pl.col("fee_text").alias("Fee"),
                        pl.col("rules_broken").alias("Rules broken"),
                        pl.col("url").alias("Source page"),
                    ),
                    links={"Source page": page_label},
                ),
                hide_index=True,
            )


def _flags(warehouse: data.Warehouse, filters: data.SearchFilters, breaking: int) -> None:
    st.subheader(f"Which of them break a rule ({breaking})", anchor=False)
    flags = warehouse.search_flags(filters)
    if not flags.height:
        st.success("None of these programmes breaks a registry rule.", icon=":material/check_circle:")
        return
    programmes = (
        flags.group_by(["institution", "year", "registry_id", "title"], maintain_order=True)
        .agg(
            pl.col("rule_title").unique(maintain_order=True).str.join("; ").alias("rules"),
            (pl.col("severity") == "error").sum().alias("errors"),
            (pl.col("severity") == "warning").sum().alias("warnings"),
            pl.col("url").first(),
        )
        .select(
            pl.col("institution").alias("Institution"),
            pl.col("year").alias("Academic year"),
            pl.col("title").alias("Programme"),
            pl.col("rules").alias("Rules broken"),
            pl.col("errors").alias("Errors"),
            pl.col("warnings").alias("Warnings"),
            pl.col("url").alias("Source page"),
        )
    )
    st.caption(
        "The programmes found that break at least one registry rule; the Quality page explains each rule."
    )
    shown = _page(programmes, "result-breaking-page", "programmes breaking a rule", FLAG_PAGE_ROWS)
    with st.container(key="result-breaking-list"):
        st.table(escape_frame(shown, links={"Source page": page_label}), hide_index=True)
    section = st.expander(
        f"Why: {_page_label(flags.height, 'flags with their reason', FLAG_PAGE_ROWS)}",
        icon=":material/help:",
        key="result-flags-open",
        on_change="rerun",
    )
    with section:
        if not section.open:
            return
        shown = _page(flags, "result-flags-page", "flags", FLAG_PAGE_ROWS)
        with st.container(key="result-flags"):
            st.table(
                escape_frame(
                    shown.select(
                        pl.col("institution").alias("Institution"),
                        pl.col("year").alias("Academic year"),
                        pl.col("title").alias("Programme"),
                        pl.col("severity").alias("Severity"),
                        pl.col("rule_title").alias("Rule"),
                        pl.col("field").alias("Field"),
                        pl.col("message").alias("Why"),
                        pl.col("url").alias("Source page"),
                    ),
                    links={"Source page": page_label},
                ),
                hide_index=True,
            )
