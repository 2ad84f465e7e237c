"""Quality: the scorecard per institution and year, each flagged record behind it, and EU Annex I coverage."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.text import escape_frame, escape_markdown, page_label

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
RECORD_KIND = {"programme": "Programme", "course_unit": "Course unit", "harvest": "Harvested page"}


def quality_page() -> None:
    st.title("Data quality", anchor=False)
    st.caption(
        "How well each institution's published records meet the registry rules (EU Annex I, the Flemish 3–20 "
        "credit rule, the Dutch 3–30 EC rule, the hours-per-credit bands, the registry vocabulary). Pick a rule "
        "to see every record that breaks it, why, and the page it came from."
    )
    with ui.open_warehouse() as warehouse:
        names = warehouse.institutions()
        latest = warehouse.latest_years()
        st.sidebar.header("Show", anchor=False)
        ui.read_address("quality", ["quality_institution", "quality_year"], ["institution", "year", "rule"])
        chosen = ui.institution_picker(names, key="quality_institution", page="quality")
        year = ui.year_picker(warehouse.academic_years(), key="quality_year", page="quality")
        if ui.show_invalid("quality"):
            ui.write_url({}, keep=ui.invalid_params("quality"))
            ui.data_footer(warehouse)
            st.container(key="page-ready").empty()
            return
        st.markdown(
            escape_markdown(f"Showing {ui.describe_year(year, latest, names, chosen)}.", one_line=False)
        )

        scorecard = warehouse.scorecard(chosen, year)
        flagged = warehouse.flagged_rules(chosen, year)
        _headline(scorecard, chosen, names)
        _scorecard_table(scorecard)
        rule_id = _drill_down(warehouse, flagged, chosen, year)
        _annex_i(warehouse, chosen, year)
        ui.write_url(
            {
                "institution": chosen[0] if len(chosen) == 1 else None,
                "year": None if year == data.CURRENT else year,
                "rule": rule_id,
            },
            keep=ui.invalid_params("quality"),
        )
        ui.data_footer(warehouse)
        st.container(key="page-ready").empty()


def _headline(scorecard: pl.DataFrame, chosen: list[str], names: dict[str, str]) -> None:
    st.header("Scorecard", anchor=False)
    columns = st.columns(max(len(chosen), 1), border=True)
    for column, inst in zip(columns, chosen, strict=False):
        rows = scorecard.filter(pl.col("institution_id") == inst)
        rules = rows["rule_id"].n_unique()
        fully_met = rules - rows.filter(pl.col("records_failing") > 0)["rule_id"].n_unique()
        errors = rows.filter((pl.col("severity") == "error") & (pl.col("records_failing") > 0))
        warnings = rows.filter((pl.col("severity") == "warning") & (pl.col("records_failing") > 0))
        with column, st.container(key=f"score-{inst}"):
            st.metric(
                escape_markdown(names[inst]),
                f"{fully_met} of {rules}" if rules else "no records",
                help="Rules that every checked record meets, out of the rules that apply to the institution.",
            )
            st.caption(
                f"rules met by every record · findings: {errors['records_failing'].sum()} on error rules, "
                f"{warnings['records_failing'].sum()} on warning rules"
            )


def _scorecard_table(scorecard: pl.DataFrame) -> None:
    if not scorecard.height:
        st.info("No records in this selection.")
        return
    short = ui.short_institution(scorecard)
    scorecard = scorecard.with_columns(pl.col("record").replace_strict(RECORD_KIND, default=pl.col("record")))
    one_year_each = scorecard.group_by("institution_id").agg(pl.col("academic_year").n_unique().alias("n"))
    if one_year_each["n"].max() == 1:
        # One academic year per institution (the sentence above the table says which): side by side.
        scorecard = scorecard.with_columns(
            short.alias("scope"),
            pl.when(pl.col("records_failing") == 0)
            .then(pl.format("all {} meet it", pl.col("records")))
            .otherwise(pl.format("{} of {} break it", pl.col("records_failing"), pl.col("records")))
            .alias("verdict"),
        )
        scopes = scorecard["scope"].unique(maintain_order=True).to_list()
        wide = scorecard.pivot(
            on="scope", index=["rule_id", "title", "severity", "record"], values="verdict"
        ).join(
            scorecard.group_by("rule_id").agg(pl.col("records_failing").sum().alias("_failing")), on="rule_id"
        )
        wide = wide.with_columns(
            pl.col("severity").replace_strict(SEVERITY_ORDER, default=9).alias("_severity"),
            # A rule that does not apply to an institution (the Dutch rules in Flanders) shows "n/a".
            *[pl.col(scope).fill_null("n/a") for scope in scopes],
        ).sort(["_severity", "_failing", "rule_id"], descending=[False, True, False])
        config = {
            scope: st.column_config.TextColumn(
                scope,
                help=f"How many of {scope}'s records checked break the rule (n/a: it does not apply there).",
            )
            for scope in scopes
        }
        table = wide.select("title", "severity", "record", *scopes, "rule_id")
    else:
        table = scorecard.select(
            (short + " " + pl.col("year")).alias("scope"),
            "title",
            "severity",
            "record",
            "records",
            "records_failing",
            "share_meeting",
            "rule_id",
        )
        config = {
            "scope": st.column_config.TextColumn("Institution and year"),
            "records": st.column_config.NumberColumn("Records checked"),
            "records_failing": st.column_config.NumberColumn("Breaking it"),
            "share_meeting": st.column_config.ProgressColumn(
                "Meeting it", format="percent", min_value=0.0, max_value=1.0
            ),
        }
    st.dataframe(
        table,
        hide_index=True,
        key="scorecard",
        height=min(36 * (table.height + 1) + 4, 720),
        column_config={
            "title": st.column_config.TextColumn("Rule", width="large"),
            "severity": st.column_config.TextColumn("Severity", width="small"),
            "record": st.column_config.TextColumn("Checked on"),
            "rule_id": st.column_config.TextColumn("Rule id"),
            **config,
        },
    )
    st.caption(
        "Every rule that applies, errors first, then the rules most records break. A record counts once per "
        "rule it breaks; the flagged records themselves are listed below."
    )


def _rule_label(row: dict) -> str:
    flags = f"{row['flags']} flag" + ("" if row["flags"] == 1 else "s")
    return f"{row['severity'].upper()} · {row['rule_title']} ({flags})"


def _drill_down(
    warehouse: data.Warehouse, flagged: pl.DataFrame, chosen: list[str], year: data.YearChoice
) -> str | None:
    st.header("Flagged records", anchor=False)
    if not flagged.height:
        st.success("No record in this selection breaks a registry rule.", icon=":material/check_circle:")
        return None
    labels = {row["rule_id"]: _rule_label(row) for row in flagged.iter_rows(named=True)}
    options = list(labels)
    ui.seed_from_url(
        "quality_rule",
        "rule",
        lambda v: ui.parse_one_choice(v, options, what="rule in this selection", default=options[0]),
        page="quality",
    )
    if ui.show_invalid("quality"):
        return None
    ui.keep_valid("quality_rule", options, options[0])
    rule_id = st.selectbox(
        "Rule",
        options,
        format_func=lambda r: labels.get(r, r),
        key="quality_rule",
        help="The rules at least one record in this selection breaks: errors first, then by number of flags.",
    )
    rule = warehouse.rule(rule_id) or {}
    detail = warehouse.flag_detail(rule_id, chosen, year)
    with st.container(border=True, key="rule-card"):
        severity, colour = ui.SEVERITY_BADGE.get(rule.get("severity", ""), ("info", "gray"))
        st.subheader(escape_markdown(rule.get("title", rule_id)), anchor=False)
        badges = st.container(horizontal=True)
        with badges:
            st.badge(severity, color=colour)
            st.badge(escape_markdown(rule_id), color="gray")
            st.badge(f"checked on: {RECORD_KIND.get(rule.get('record', ''), '?').lower()}", color="gray")
            if rule.get("blocking"):
                st.badge("blocking: stops publication", color="red")
        st.text(rule.get("explanation") or "")
        st.markdown("**Standard:** " + escape_markdown(rule.get("standard")))
        st.markdown("**Where it says so:** " + escape_markdown(rule.get("citation")))
    st.markdown(f"**{detail.height}** flagged record(s):")
    with st.container(key="flag-detail"):
        st.table(
            escape_frame(
                detail.select(
                    pl.col("institution").alias("Institution"),
                    pl.col("year").fill_null("—").alias("Academic year"),
                    pl.coalesce(pl.col("record_title"), pl.col("record_key")).alias("Record"),
                    pl.col("field").alias("Field"),
                    pl.col("value").alias("Value"),
                    pl.col("message").alias("Why it is flagged"),
                    pl.col("url").alias("Source page"),
                ),
                links={"Source page": page_label},
            ),
            hide_index=True,
        )
    return rule_id


def _annex_i(warehouse: data.Warehouse, chosen: list[str], year: data.YearChoice) -> None:
    st.header("EU Annex I coverage", anchor=False)
    st.caption(
        "Council Recommendation 2022/C 243/02, Annex I: the share of programmes whose page publishes each "
        "element. Mandatory elements first."
    )
    frame = warehouse.annex_i_coverage(chosen, year)
    if not frame.height:
        st.info("No programmes in this selection.")
        return
    frame = frame.with_columns(
        (
            pl.col("institution")
            + " "
            + pl.col("academic_year").cast(pl.String)
            + "-"
            + (pl.col("academic_year") + 1).cast(pl.String)
        ).alias("column")
    )
    columns = frame["column"].unique(maintain_order=True).to_list()
    wide = frame.pivot(on="column", index=["element", "mandatory"], values="coverage").select(
        pl.col("element").str.replace_all("_", " ").str.to_titlecase().str.replace("Ects", "ECTS"),
        pl.when(pl.col("mandatory"))
        .then(pl.lit("mandatory"))
        .otherwise(pl.lit("optional"))
        .alias("mandatory"),
        *columns,
    )
    st.dataframe(
        wide,
        hide_index=True,
        key="annex-i",
        height=36 * (wide.height + 1) + 4,
        column_config={
            "element": st.column_config.TextColumn("Element", width="medium"),
            "mandatory": st.column_config.TextColumn("Required"),
            **{
                column: st.column_config.ProgressColumn(
                    column, format="percent", min_value=0.0, max_value=1.0
                )
                for column in columns
            },
        },
    )
