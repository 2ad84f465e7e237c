"""Streamlit helpers shared by the pages: opening the warehouse, filters kept in the URL, charts."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import altair as alt
import duckdb
import polars as pl
import streamlit as st

from dashboard import data
from dashboard.text import escape_markdown
from warehouse.readonly import QueryCancelled, QueryTimeout

SEVERITY_BADGE = {"error": ("error", "red"), "warning": ("warning", "orange"), "info": ("info", "blue")}
INSTITUTION_COLOURS = ["#1E64C8", "#C8102E", "#DC9600", "#2E8B57", "#6A5ACD", "#8C564B"]


# Streamlit's documented per-session resource: ``on_release`` runs when the session disconnects (the tab
# is closed or navigates away; Streamlit also asks the script run to stop), so a query still running for a
# session that is gone is interrupted instead of running on for nobody.
@st.cache_resource(scope="session", on_release=lambda queries: queries.cancel(), show_spinner=False)
def session_queries() -> data.SessionQueries:
    return data.SessionQueries()


@contextlib.contextmanager
def open_warehouse() -> Iterator[data.Warehouse]:
    """The warehouse for this render, or a friendly message (and the end of the page) when there is none."""
    try:
        with data.connect(session=session_queries()) as warehouse:
            yield warehouse
    except QueryCancelled:
        st.stop()  # the session has ended: nobody is left to show anything to
    except QueryTimeout as timeout:
        with st.container(key="query-timeout"):
            st.error(
                f"**This page's query was stopped after {timeout.seconds:g} seconds**, the dashboard's time "
                "limit. Narrow the filters or the search and try again.",
                icon=":material/timer_off:",
            )
        st.stop()
    except data.NoWarehouse as missing:
        with st.container(key="no-warehouse"):
            st.info(
                "**No warehouse has been published yet.** The dashboard reads the registry that a refresh "
                "publishes, and there is none at the path below. Run `make run` (a full refresh on the bundled "
                "snapshot, about half a minute) and reload this page.",
                icon=":material/hourglass_empty:",
            )
            st.code(str(missing.path), language=None)
        st.stop()
    except duckdb.Error as error:
        with st.container(key="warehouse-error"):
            st.error(
                "**The warehouse could not be read.** It may come from an older version of the pipeline; "
                "run `make run` to publish a new one. DuckDB said:",
                icon=":material/error:",
            )
            st.code(f"{type(error).__name__}: {error}", language=None)
        st.stop()


# -- filters kept in the page address ----------------------------------------------------------------------
# Each filter widget has a session-state key; the first render of a page in a session seeds it from the
# URL's query parameters, and every render writes the filters that differ from their defaults back to the
# URL, so a filtered view can be bookmarked and shared.


def url_values(param: str) -> list[str]:
    return [value for value in st.query_params.get_all(param) if value != ""]


# -- filter values in the URL that are not valid: shown, never silently dropped ---------------------------------
@dataclass(frozen=True)
class InvalidParam:
    param: str
    values: tuple[str, ...]
    reason: str


def _invalid(page: str) -> dict[str, InvalidParam]:
    return st.session_state.setdefault(f"_invalid_url_{page}", {})


def read_address(page: str, keys: Sequence[str], known: Sequence[str]) -> None:
    """Start reading the page's filters from the URL: on the page's first render in the session (its widgets
    have no state yet), forget earlier problems and record every parameter the page does not know."""
    if all(key in st.session_state for key in keys):
        return
    problems = _invalid(page)
    problems.clear()
    for param in st.query_params.keys():
        if param not in known:
            problems[param] = InvalidParam(
                param,
                tuple(st.query_params.get_all(param)),
                "not a filter of this page (it has " + ", ".join(known) + ")",
            )


def seed_from_url(key: str, param: str, parse: Callable[[list[str]], object], *, page: str) -> None:
    """Give widget ``key`` its first value from the URL parameter ``param``, parsed by ``parse`` (which
    raises ValueError with the reason for a value it refuses, and returns the default for ``[]``). A refused
    value is recorded and shown by ``show_invalid``; the widget starts from its default."""
    if key in st.session_state:
        return
    problems = _invalid(page)
    try:
        st.session_state[key] = parse(url_values(param))
    except ValueError as error:
        problems[param] = InvalidParam(param, tuple(st.query_params.get_all(param)), str(error))
        st.session_state[key] = parse([])


def invalid_params(page: str) -> dict[str, list[str]]:
    """The refused parameters as they were given, to keep them in the address while they are shown."""
    return {problem.param: list(problem.values) for problem in _invalid(page).values()}


def show_invalid(page: str) -> bool:
    """An error listing every refused filter value and why; True when there is one (the page then shows no
    results: showing everything would pass for the filtered answer)."""
    problems = list(_invalid(page).values())
    if not problems:
        return False
    lines = [
        f"- {escape_markdown(_shorten(problem.param + '=' + '&'.join(problem.values)))}: "
        f"{escape_markdown(problem.reason)}"
        for problem in problems
    ]
    with st.container(key="invalid-filters"):
        st.error(
            "**Invalid filter in the page address**, so no results are shown until it is fixed:\n\n"
            + "\n".join(lines),
            icon=":material/report:",
        )
        st.button(
            "Drop the invalid filters", key=f"_drop_invalid_{page}", on_click=_drop_invalid, args=(page,)
        )
    return True


def _drop_invalid(page: str) -> None:
    for param in invalid_params(page):
        st.query_params.pop(param, None)
    _invalid(page).clear()


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def one_value(values: list[str]) -> str | None:
    if len(values) > 1:
        raise ValueError(f"given {len(values)} times; it takes one value")
    return values[0] if values else None


def parse_credits(values: list[str], *, high: float) -> float | None:
    value = one_value(values)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError("not a number of credits") from None
    if not math.isfinite(number) or not 0 <= number <= high:
        raise ValueError(f"credits must be a number from 0 to {high:g}")
    return number


def parse_choices(values: list[str], options: Sequence[str], *, what: str) -> list[str]:
    unknown = [value for value in values if value not in options]
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)} (known: {', '.join(map(str, options))})")
    return list(values)


def parse_one_choice(values: list[str], options: Sequence[str], *, what: str, default: str = "") -> str:
    value = one_value(values)
    if value is None:
        return default
    return parse_choices([value], options, what=what)[0]


def parse_flag(values: list[str]) -> bool:
    value = one_value(values)
    if value is None:
        return False
    if value.lower() not in ("1", "true", "0", "false"):
        raise ValueError("takes 1 or 0")
    return value.lower() in ("1", "true")


def parse_start(values: list[str]) -> date | None:
    value = one_value(values)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a date (YYYY-MM-DD)") from None


def parse_search_text(values: list[str]) -> str:
    text = " ".join(values)
    problem = data.search_text_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def seed(key: str, value: object) -> None:
    """Give a widget its first value (from the URL) unless the session already holds one."""
    if key not in st.session_state:
        st.session_state[key] = value


def keep_valid(key: str, options: Sequence, default: object) -> None:
    """Drop stale choices (a refresh may remove an option) so that the widget never sees an unknown one."""
    value = st.session_state.get(key, default)
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value not in options:
        st.session_state[key] = default


def write_url(params: dict[str, object], *, keep: dict[str, list[str]] | None = None) -> None:
    """Mirror the filters into the URL: lists repeat the parameter, None/''/[]/False drop it. ``keep`` are
    parameters left as given (the invalid ones, while the page shows them)."""
    wanted: dict[str, list[str]] = dict(keep or {})
    for name, value in params.items():
        if value is None or value == "" or value == [] or value is False or name in wanted:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        wanted[name] = [
            "1" if v is True else (v.isoformat() if isinstance(v, date) else _plain(v)) for v in values
        ]
    current = {name: st.query_params.get_all(name) for name in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_year(values: list[str], years: Sequence[int]) -> data.YearChoice:
    """'current', 'all', or an academic year of the registry (2024 or 2024-2025); ValueError otherwise."""
    value = one_value(values)
    if value is None:
        return data.CURRENT
    value = value.strip().lower()
    if value in (data.CURRENT, data.ALL):
        return value
    # 2024 and 2024-2025 both mean the academic year that starts in 2024.
    head, _, tail = value.partition("-")
    if head.isdigit() and int(head) in years and (not tail or tail == str(int(head) + 1)):
        return int(head)
    known = ", ".join(data.year_label(year) for year in sorted(years))
    raise ValueError(f"not an academic year of the registry ({known}, current or all)")


def year_options(years: Sequence[int]) -> list[data.YearChoice]:
    return [data.CURRENT, *years, data.ALL]


def format_year(choice: data.YearChoice) -> str:
    if choice == data.CURRENT:
        return "Current offer (latest year)"
    if choice == data.ALL:
        return "All academic years"
    return data.year_label(int(choice))


def describe_year(
    choice: data.YearChoice, latest: dict[str, int], names: dict[str, str], shown: Sequence[str]
) -> str:
    """A plain sentence saying which academic years the page shows for the institutions ``shown``."""
    if choice == data.ALL:
        return "all academic years in the registry"
    if choice == data.CURRENT:
        parts = [
            f"{names.get(inst, inst)} {data.year_label(year)}"
            for inst, year in latest.items()
            if inst in shown
        ]
        if len(parts) == 1:
            return f"the current academic year ({parts[0]})"
        return "each institution's current academic year (" + ", ".join(parts) + ")"
    return f"academic year {data.year_label(int(choice))}"


def institution_picker(
    names: dict[str, str], *, key: str, page: str, label: str = "Institution"
) -> list[str]:
    """'All institutions' or one; returns the ids to show (all of them for 'All')."""
    options = ["", *names]
    seed_from_url(
        key, "institution", lambda v: parse_one_choice(v, list(names), what="institution"), page=page
    )
    keep_valid(key, options, "")
    choice = st.sidebar.radio(
        label,
        options,
        format_func=lambda inst: names.get(inst, "All institutions, side by side"),
        key=key,
    )
    return [choice] if choice else list(names)


def year_picker(
    years: Sequence[int], *, key: str, page: str, label: str = "Academic year"
) -> data.YearChoice:
    options = year_options(years)
    seed_from_url(key, "year", lambda v: parse_year(v, years), page=page)
    keep_valid(key, options, data.CURRENT)
    return st.sidebar.selectbox(
        label,
        options,
        format_func=format_year,
        key=key,
        help="The current offer is each institution's latest academic year: the one its site lists last.",
    )


def data_footer(warehouse: data.Warehouse) -> None:
    published = warehouse.last_published()
    st.divider()
    st.caption(
        escape_markdown(
            f"Read-only from the published warehouse {warehouse.path}"
            + (f", last published {published[:16]} UTC." if published else ".")
            + " Every figure comes from a view documented in docs/data_dictionary.md."
        )
    )


# -- charts ----------------------------------------------------------------------------------------------------
# Each institution keeps its colour whichever institutions a chart shows.
HOUSE_COLOURS = {"Ghent": "#1E64C8", "Antwerp": "#C8102E", "Groningen": "#DC9600"}


def institution_scale(names: Sequence[str]) -> alt.Scale:
    spare = iter(colour for colour in INSTITUTION_COLOURS if colour not in HOUSE_COLOURS.values())
    colours = [HOUSE_COLOURS.get(name) or next(spare, "#888888") for name in names]
    return alt.Scale(domain=list(names), range=colours)


def short_institution(frame: pl.DataFrame) -> pl.Expr:
    """The frame's institution column with city names ('Ghent University' -> 'Ghent')."""
    names = frame["institution"].unique().to_list()
    return pl.col("institution").replace({name: data.short_name(name) for name in names})


def _short_names(frame: pl.DataFrame, names: Sequence[str]) -> tuple[pl.DataFrame, list[str]]:
    """Charts name institutions by their city: 'Ghent', not 'Ghent University'."""
    frame = frame.with_columns(short_institution(frame))
    return frame, [data.short_name(name) for name in names]


def grouped_bars(
    frame: pl.DataFrame,
    *,
    category: str,
    category_title: str,
    order: list[str],
    names: Sequence[str],
    label: Callable[[str], str] | None = None,
    height: int = 260,
) -> alt.Chart:
    """Programmes per category, one bar per institution side by side."""
    frame, names = _short_names(frame, names)
    if label is not None:
        frame = frame.with_columns(
            pl.col(category).map_elements(label, return_dtype=pl.String).alias(category)
        )
        order = [label(value) for value in order]
    return (
        alt.Chart(frame.to_pandas())
        .mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X(f"{category}:N", title=category_title, sort=order, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("institution:N", sort=list(names)),
            y=alt.Y("programmes:Q", title="Programmes"),
            color=_institution_colour(names),
            tooltip=_programme_tooltip(f"{category}:N", category_title),
        )
        .properties(height=height)
    )


def trend_lines(
    frame: pl.DataFrame, *, x: str, x_title: str, x_type: str, names: Sequence[str], height: int = 260
) -> alt.Chart:
    """Programmes over time, one line per institution."""
    frame, names = _short_names(frame, names)
    return (
        alt.Chart(frame.to_pandas())
        .mark_line(point=alt.OverlayMarkDef(size=60))
        .encode(
            x=alt.X(f"{x}:{x_type}", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("programmes:Q", title="Programmes"),
            color=_institution_colour(names),
            tooltip=_programme_tooltip(f"{x}:{x_type}", x_title),
        )
        .properties(height=height)
    )


def _institution_colour(names: Sequence[str]) -> alt.Color:
    """Each institution in its own colour, the same on every chart, with the legend below."""
    return alt.Color(
        "institution:N", title=None, scale=institution_scale(names), legend=alt.Legend(orient="bottom")
    )


def _programme_tooltip(field: str, title: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("institution:N", title="Institution"),
        alt.Tooltip(field, title=title),
        alt.Tooltip("programmes:Q", title="Programmes"),
    ]
