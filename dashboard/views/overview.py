"""Overview: what each institution offers now, how it is spread, and how it changed over years and refreshes."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.text import escape_frame, escape_markdown


def overview_page() -> None:
    st.title("Micro-credentials at a glance", anchor=False)
    st.caption(
        "What Ghent University, the University of Antwerp and the University of Groningen publish as "
        "micro-credentials, as harvested by the registry's refreshes. A programme counts once per academic "
        "year it is offered in."
    )
    with ui.open_warehouse() as warehouse:
        names = warehouse.institutions()
        latest = warehouse.latest_years()
        years = warehouse.academic_years()
        st.sidebar.header("Show", anchor=False)
        ui.read_address("overview", ["overview_institution", "overview_year"], ["institution", "year"])
        chosen = ui.institution_picker(names, key="overview_institution", page="overview")
        year = ui.year_picker(years, key="overview_year", page="overview")
        ui.write_url(
            {
                "institution": chosen[0] if len(chosen) == 1 else None,
                "year": None if year == data.CURRENT else year,
            },
            keep=ui.invalid_params("overview"),
        )
        if ui.show_invalid("overview"):
            ui.data_footer(warehouse)
            st.container(key="page-ready").empty()
            return
        shown = [names[inst] for inst in chosen]
        st.markdown(
            escape_markdown(f"Showing {ui.describe_year(year, latest, names, chosen)}.", one_line=False)
        )

        _offer_metrics(warehouse, chosen, year, names)

        left, right = st.columns(2, gap="large")
        with left, st.container(key="chart-credits"):
            st.subheader("Size in credits", anchor=False)
            frame = warehouse.credits_distribution(chosen, year)
            order = frame.sort("band_order")["credits_band"].unique(maintain_order=True).to_list()
            st.altair_chart(
                ui.grouped_bars(
                    frame, category="credits_band", category_title="Credits (ECTS)", order=order, names=shown
                ),
                width="stretch",
            )
            st.caption(
                "Programmes per credits band; a band includes its upper bound (3–6 holds 3 and 6 credits)."
            )
        with right, st.container(key="chart-languages"):
            st.subheader("Language of instruction", anchor=False)
            frame = warehouse.language_offer(chosen, year)
            order = (
                frame.group_by("language").agg(pl.col("programmes").sum()).sort("programmes", descending=True)
            )["language"].to_list()
            st.altair_chart(
                ui.grouped_bars(
                    frame,
                    category="language",
                    category_title="Language",
                    order=order,
                    names=shown,
                    label=data.language_label,
                ),
                width="stretch",
            )
            st.caption("A programme taught in two languages counts once for each.")

        left, right = st.columns(2, gap="large")
        with left, st.container(key="chart-semesters"):
            st.subheader("When it is taught", anchor=False)
            frame = warehouse.semester_offer(chosen, year)
            order = frame.sort("semester_order")["semester"].unique(maintain_order=True).to_list()
            st.altair_chart(
                ui.grouped_bars(
                    frame,
                    category="semester",
                    category_title="Semester",
                    order=order,
                    names=shown,
                    label=lambda s: data.SEMESTER_LABELS.get(s, s),
                ),
                width="stretch",
            )
            st.caption("Programmes per semester; 'Full year' runs over both semesters.")
        with right, st.container(key="chart-years"):
            st.subheader("Trend over academic years", anchor=False)
            frame = warehouse.offer_by_year(chosen)
            st.altair_chart(
                ui.trend_lines(frame, x="year", x_title="Academic year", x_type="O", names=shown),
                width="stretch",
            )
            st.caption("Programmes each institution published per academic year (every year its site lists).")

        with st.container(key="chart-refreshes"):
            st.subheader("Trend over refreshes", anchor=False)
            frame = warehouse.offer_by_refresh(chosen)
            if frame.height:
                st.altair_chart(
                    ui.trend_lines(frame, x="refresh", x_title="Refresh (UTC)", x_type="O", names=shown),
                    width="stretch",
                )
                st.caption(
                    "Programme records (micro-credential × academic year) in the registry after each refresh "
                    f"that published the institution; {frame['run_id'].n_unique()} refresh(es) so far."
                )
            else:
                st.info("No refresh has published these institutions yet.")

        _last_refresh(warehouse, chosen)
        ui.data_footer(warehouse)
        st.container(key="page-ready").empty()


def _offer_metrics(
    warehouse: data.Warehouse, chosen: list[str], year: data.YearChoice, names: dict[str, str]
) -> None:
    """One headline number per institution: its programmes in the year shown, against the year before."""
    by_year = warehouse.offer_by_year(chosen)
    latest = warehouse.latest_years()
    columns = st.columns(max(len(chosen), 1), border=True)
    for column, inst in zip(columns, chosen, strict=False):
        rows = by_year.filter(pl.col("institution") == names[inst]).sort("academic_year")
        if year == data.ALL:
            value = int(rows["programmes"].sum()) if rows.height else 0
            caption = f"programme records over {rows.height} academic year(s)"
            delta = None
        else:
            shown_year = latest.get(inst) if year == data.CURRENT else int(year)
            if shown_year is None:  # the institution has no programme in the registry (yet)
                shown_year = -1
            this = rows.filter(pl.col("academic_year") == shown_year)
            before = rows.filter(pl.col("academic_year") == shown_year - 1)
            value = int(this["programmes"][0]) if this.height else 0
            delta = None
            if this.height and before.height:
                delta = f"{value - int(before['programmes'][0]):+d} on {data.year_label(shown_year - 1)}"
            caption = (
                f"micro-credentials in {data.year_label(shown_year)}"
                if shown_year > 0
                else "no programmes published"
            )
            if this.height and this["total_credits"][0] is not None:
                caption += (
                    f" · {this['total_credits'][0]:.0f} credits in total · median "
                    f"{this['median_credits'][0]:g} credits"
                )
        with column, st.container(key=f"offer-{inst}"):
            st.metric(
                escape_markdown(names[inst]),
                value,
                delta=delta,
                delta_color="off" if delta is None else "normal",
            )
            st.caption(caption)


def _last_refresh(warehouse: data.Warehouse, chosen: list[str]) -> None:
    st.subheader("Last refresh per source", anchor=False)
    frame = warehouse.last_refresh(chosen)
    if not frame.height:
        st.info("No refresh has run yet.")
        return
    table = frame.select(
        pl.col("source").alias("Source"),
        pl.col("run_id").alias("Run"),
        pl.col("ended_at").dt.strftime("%Y-%m-%d %H:%M UTC").alias("Ended"),
        pl.col("status").alias("Status"),
        pl.when(pl.col("published"))
        .then(pl.lit("yes"))
        .otherwise(pl.lit("no, kept the last good data"))
        .alias("Published"),
        pl.col("reason").alias("Why"),
        pl.col("pages_fetched").alias("Pages (200)"),
        pl.col("not_modified").alias("Not modified (304)"),
        pl.col("errors").alias("Harvest issues"),
    )
    with st.container(key="last-refresh"):
        st.table(escape_frame(table), hide_index=True)
    st.caption(
        "Status: harvested (new data published), kept (the harvest failed or a blocking rule stopped it, so the "
        "last good data stays), harvest_failed or blocked. Pages answered 304 were revalidated from the cache."
    )
