"""The quality report: one self-contained HTML page for institutions' data stewards.

It answers "what is wrong, where, why" from the published warehouse, read-only: the latest run per source
(published or not, and why), then one section per institution (counts, the rule scorecard, EU Annex I
coverage, the Flemish and Dutch rules side by side, a chart of flags by rule and every flagged record grouped
by rule, with the rule's standard, citation and explanation), and the rule catalogue as an appendix.

What belongs here: reading the warehouse tables and views, and rendering them. Nothing is checked here (the
rules are in ``quality.rules``, the flags come from ``quality.checks``). Standard library only: every value
read from the warehouse is escaped with ``html.escape``; only http(s) URLs become links; CSS is inline and the
chart is inline SVG, so the file opens offline with no scripts.

    python -m quality.report data/registry.duckdb [out.html]
"""

from __future__ import annotations

import html
import math
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

REGISTRY_NAME = "National registry of university micro-credentials"
REPORT_NAME = "quality_report.html"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_COLOUR = {"error": "#b42318", "warning": "#b54708", "info": "#175cd3"}
OTHER_ID = "other"  # section for flags not tied to a known institution

Row = dict[str, Any]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2939;margin:0 auto;
max-width:1200px;padding:0 1.5rem 3rem}
h1{font-size:1.6rem;margin:1.2rem 0 .2rem}h2{border-bottom:2px solid #d0d5dd;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-top:1.6rem}h4{margin:1rem 0 .3rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;width:100%}caption{text-align:left;color:#475467;padding:.2rem 0}
th,td{border:1px solid #d0d5dd;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.below td{background:#fef3f2}tr.unpublished td{background:#fffaeb}
td code{white-space:pre-wrap;word-break:break-all}
.badge{display:inline-block;border-radius:.6rem;padding:0 .5rem;color:#fff;font-size:.8rem;font-weight:600}
.sev-error{background:#b42318}.sev-warning{background:#b54708}.sev-info{background:#175cd3}
.muted{color:#667085}.rule-meta{margin:.2rem 0 .5rem;color:#344054}nav.local{font-size:.9rem}
details>summary{cursor:pointer;font-weight:600;font-size:1.05rem;margin:.8rem 0 .3rem}
"""


class Safe(str):
    """HTML built in this module from escaped parts: inserted as is, never escaped again."""


@dataclass(frozen=True)
class Bar:
    """One bar of the flags-by-rule chart."""

    label: str
    title: str
    severity: str
    count: int


# -- entry point -------------------------------------------------------------------------------------------
def write_report(warehouse: Path, out: Path | None = None, *, now: datetime | None = None) -> Path:
    """Writes the quality report of ``warehouse`` (beside it, or at ``out``) atomically; returns its path."""
    warehouse = Path(warehouse)
    target = Path(out) if out is not None else warehouse.with_name(REPORT_NAME)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        document = render_report(con, now=now or datetime.now(UTC))
    _atomic_write(target, document)
    return target


def render_report(con: duckdb.DuckDBPyConnection, *, now: datetime) -> str:
    """The whole HTML document for the warehouse open on ``con``."""
    data = _load(con)
    institutions = data["institutions"]
    flags_by_institution = _group(data["flags"], "institution_id")
    known = {i["institution_id"] for i in institutions}
    other_flags = [f for key, rows in flags_by_institution.items() if key not in known for f in rows]
    sections = [
        _institution_section(inst, data, flags_by_institution.get(inst["institution_id"], []))
        for inst in institutions
    ]
    if other_flags:
        sections.append(_other_section(other_flags, data["rules"]))
    body = "".join(
        [
            _header(data["runs"], now),
            _contents(institutions, flags_by_institution, bool(other_flags)),
            *sections,
            _rules_appendix(data["rules"].values()),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(REGISTRY_NAME)}: quality report</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


# -- reading the warehouse ---------------------------------------------------------------------------------
RUNS_SQL = """
SELECT source, run_id, started_at, ended_at, live, status, published, reason, published_run_id,
       pages_fetched, not_modified, errors, items, programmes, course_units
FROM run
QUALIFY row_number() OVER (PARTITION BY source ORDER BY run_id DESC, started_at DESC NULLS LAST) = 1
ORDER BY source"""

COUNTS_SQL = """
SELECT institution_id, academic_year, sum(programmes) AS programmes, sum(course_units) AS course_units
FROM (
    SELECT institution_id, academic_year, count(*) AS programmes, 0 AS course_units FROM programme GROUP BY ALL
    UNION ALL
    SELECT institution_id, academic_year, 0, count(*) FROM course_unit GROUP BY ALL
)
GROUP BY ALL ORDER BY institution_id, academic_year"""

# Every flag, with a link to its source page: the flag's own URL, else the programme's or the course unit's.
FLAGS_SQL = """
SELECT f.institution_id, f.rule_id, f.severity, f.record_key, f.academic_year, f.field, f.value, f.message,
       f.run_id,
       coalesce(
           f.url,
           (SELECT any_value(p.url) FROM programme p
            WHERE p.registry_id = f.record_key AND p.academic_year = coalesce(f.academic_year, p.academic_year)),
           (SELECT any_value(c.url) FROM course_unit c WHERE c.course_key = f.record_key)
       ) AS url
FROM flag f
ORDER BY f.institution_id, f.rule_id, f.record_key, f.academic_year NULLS FIRST, f.field, f.message"""

QUERIES = {
    "institutions": "SELECT * FROM institution ORDER BY name",
    "runs": RUNS_SQL,
    "counts": COUNTS_SQL,
    "scorecard": "SELECT * FROM scorecard",
    "coverage": "SELECT * FROM annex_i_coverage",
    "side_by_side": "SELECT * FROM rules_side_by_side",
    "flags": FLAGS_SQL,
    "offer": """
        SELECT institution_id, academic_year, title, credits_ects, languages, semester, errors, warnings, url
        FROM programme_search WHERE is_current_year ORDER BY institution_id, title, registry_id""",
}


def _load(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the report shows, as lists of dict rows (the rules as a dict by rule id)."""
    data: dict[str, Any] = {name: _rows(con, sql) for name, sql in QUERIES.items()}
    rules = _rows(con, "SELECT * FROM rule")
    rules.sort(key=lambda r: (SEVERITY_ORDER.get(r["severity"], 9), r["rule_id"]))
    data["rules"] = {r["rule_id"]: r for r in rules}
    return data


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _group(rows: Iterable[Row], key: str) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


# -- small HTML helpers ------------------------------------------------------------------------------------
def _esc(value: object) -> str:
    """Escaped text for element content and attribute values; ``None`` is empty."""
    if isinstance(value, Safe):
        return value
    if value is None:
        return ""
    return html.escape(_text(value), quote=True)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return f"{moment:%Y-%m-%d %H:%M}" + (" UTC" if value.tzinfo else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _slug(value: object) -> str:
    """An id/anchor fragment: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-") or "x"


def _is_web_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _link(url: object, text: object | None = None) -> Safe:
    """A link for http(s) URLs (opened without referrer or opener); anything else is shown as text."""
    if not _is_web_url(url):
        return Safe(_esc(url))
    label = _esc(url if text is None else text)
    return Safe(f'<a href="{_esc(str(url).strip())}" rel="noopener noreferrer">{label}</a>')


def _badge(severity: object) -> Safe:
    return Safe(f'<span class="badge sev-{_slug(severity)}">{_esc(severity)}</span>')


def _percent(share: object) -> str:
    """A share as a percentage, rounded down so that anything short of 100% never shows as 100.0%."""
    if share is None:
        return ""
    return f"{math.floor(float(share) * 1000 + 1e-9) / 10:.1f}%"


def _cell(value: object, tag: str = "td") -> str:
    numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    css = ' class="num"' if numeric else ""
    return f"<{tag}{css}>{_esc(value)}</{tag}>"


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
    row_classes: Sequence[str] | None = None,
) -> str:
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = row_classes[index] if row_classes else ""
        attr = f' class="{_esc(css)}"' if css else ""
        body.append(f"<tr{attr}>{''.join(_cell(v) for v in row)}</tr>")
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n"


def _section(anchor: str, title: str, content: str, level: int = 2) -> str:
    return f'<section id="{_esc(anchor)}">\n<h{level}>{_esc(title)}</h{level}>\n{content}</section>\n'


def _empty(text: str) -> str:
    return f'<p class="muted">{_esc(text)}</p>\n'


# -- header and contents -----------------------------------------------------------------------------------
def _header(runs: list[Row], now: datetime) -> str:
    intro = (
        f"<header>\n<h1>{_esc(REGISTRY_NAME)}: quality report</h1>\n"
        f'<p class="muted">Generated {_esc(now)}. For each institution: which records break which rule, '
        "where they were published and why it matters.</p>\n</header>\n"
    )
    return intro + _section("runs", "Latest run per source", _runs_table(runs))


def _runs_table(runs: list[Row]) -> str:
    if not runs:
        return _empty("No runs are recorded in this warehouse.")
    rows = [
        (
            r["source"],
            r["run_id"],
            r["started_at"],
            "published" if r["published"] else "not published",
            r["status"],
            r["reason"],
            r["published_run_id"],
            r["pages_fetched"],
            r["not_modified"],
            r["errors"],
            r["programmes"],
            r["course_units"],
        )
        for r in runs
    ]
    headers = (
        "Source",
        "Run",
        "Started",
        "Outcome",
        "Status",
        "Reason",
        "Data in warehouse from run",
        "Pages fetched",
        "304s",
        "Harvest issues",
        "Programmes harvested",
        "Course units harvested",
    )
    classes = ["" if r["published"] else "unpublished" for r in runs]
    return _table(headers, rows, row_classes=classes)


def _contents(institutions: list[Row], flags: dict[Any, list[Row]], has_other: bool) -> str:
    items = ['<li><a href="#runs">Latest run per source</a></li>']
    for inst in institutions:
        anchor = _anchor(inst["institution_id"])
        summary = _severity_summary(flags.get(inst["institution_id"], []))
        items.append(
            f'<li><a href="#{anchor}">{_esc(inst["name"])}</a> <span class="muted">{summary}</span></li>'
        )
    if has_other:
        items.append(f'<li><a href="#{_anchor(OTHER_ID)}">Flags not tied to an institution</a></li>')
    items.append('<li><a href="#rules">Appendix: the rules</a></li>')
    return f'<nav aria-label="Contents">\n<h2>Contents</h2>\n<ul>{"".join(items)}</ul>\n</nav>\n'


def _severity_summary(flags: list[Row]) -> str:
    counts = Counter(f["severity"] for f in flags)
    if not counts:
        return "no flags"
    parts = sorted(counts.items(), key=lambda item: SEVERITY_ORDER.get(item[0], 9))
    return _esc(", ".join(f"{n} {severity}" for severity, n in parts))


def _anchor(institution_id: object, *parts: object) -> str:
    return "-".join(_slug(p) for p in ("inst", institution_id, *parts))


# -- one institution ---------------------------------------------------------------------------------------
LOCAL_PARTS = (
    ("counts", "Counts"),
    ("scorecard", "Scorecard"),
    ("annex-i", "Annex I coverage"),
    ("national-rules", "National rules side by side"),
    ("chart", "Flags by rule"),
    ("flags", "Flagged records"),
    ("offer", "Current offer"),
)


def _institution_section(inst: Row, data: dict[str, Any], flags: list[Row]) -> str:
    iid = inst["institution_id"]

    def mine(name: str) -> list[Row]:
        return [row for row in data[name] if row["institution_id"] == iid]

    nav = " · ".join(f'<a href="#{_anchor(iid, part)}">{_esc(label)}</a>' for part, label in LOCAL_PARTS)
    intro = (
        f"<p>{_esc(inst['institution_id'])} · {_esc(inst['country'])}, {_esc(inst['region'])} · framework "
        f"{_esc(inst['qualification_framework'])} · {_link(inst['website'])}</p>\n"
        f'<nav class="local" aria-label="{_esc(inst["name"])}">{nav}</nav>\n'
    )
    parts = [
        _sub(iid, "counts", "Counts", _counts_table(mine("counts"))),
        _sub(iid, "scorecard", "Scorecard", _scorecard_table(mine("scorecard"))),
        _sub(iid, "annex-i", "EU Annex I coverage", _coverage_table(mine("coverage"))),
        _sub(
            iid,
            "national-rules",
            "Flemish and Dutch rules side by side",
            _side_by_side(inst, mine("side_by_side")),
        ),
        _sub(iid, "chart", "Flags by rule", _flag_chart(iid, flags, data["rules"])),
        _sub(iid, "flags", "Flagged records", _flag_groups(iid, flags, data["rules"])),
        _sub(iid, "offer", "Current offer", _offer_table(mine("offer"))),
    ]
    return _section(_anchor(iid), inst["name"], intro + "".join(parts))


def _other_section(flags: list[Row], rules: dict[str, Row]) -> str:
    content = _flag_chart(OTHER_ID, flags, rules) + _flag_groups(OTHER_ID, flags, rules)
    return _section(_anchor(OTHER_ID), "Flags not tied to an institution", content)


def _sub(iid: str, part: str, title: str, content: str) -> str:
    return _section(_anchor(iid, part), title, content, level=3)


def _counts_table(rows: list[Row]) -> str:
    if not rows:
        return _empty("No programmes or course units in the warehouse.")
    return _table(
        ("Academic year", "Programmes", "Course units"),
        [(_year(r["academic_year"]), r["programmes"], r["course_units"]) for r in rows],
    )


def _offer_table(rows: list[Row]) -> str:
    """Every programme of the latest academic year, as the registry read it, with its flag counts."""
    if not rows:
        return _empty("No programmes in the warehouse.")
    return _table(
        ("Title (source page)", "Credits", "Languages", "Semester", "Errors", "Warnings"),
        [
            (
                _link(r["url"], r["title"] or r["url"]),
                r["credits_ects"],
                r["languages"],
                r["semester"],
                r["errors"],
                r["warnings"],
            )
            for r in rows
        ],
        caption=f"Academic year {_year(rows[0]['academic_year'])}: {len(rows)} programmes",
    )


def _year(start: object) -> str:
    """2024 -> '2024-2025' (the academic year starting in 2024)."""
    return f"{start}-{start + 1}" if isinstance(start, int) else _text(start or "")


def _scorecard_table(rows: list[Row]) -> str:
    if not rows:
        return _empty("No records to score.")
    body = [
        (
            _year(r["academic_year"]),
            Safe(f"<code>{_esc(r['rule_id'])}</code>"),
            r["title"],
            _badge(r["severity"]),
            r["record"].replace("_", " "),
            r["records"],
            r["records_failing"],
            _percent(r["share_meeting"]),
        )
        for r in rows
    ]
    classes = ["below" if (r["share_meeting"] or 0) < 1 else "" for r in rows]
    headers = (
        "Academic year",
        "Rule",
        "Title",
        "Severity",
        "Checked on",
        "Records",
        "Failing",
        "Share meeting",
    )
    caption = "Rows highlighted where fewer than 100% of the records meet the rule."
    return _table(headers, body, caption=caption, row_classes=classes)


def _coverage_table(rows: list[Row]) -> str:
    if not rows:
        return _empty("No programmes to measure.")
    body = [
        (
            _year(r["academic_year"]),
            r["element"].replace("_", " "),
            "mandatory" if r["mandatory"] else "optional",
            r["programmes"],
            r["programmes_publishing"],
            _percent(r["coverage"]),
        )
        for r in rows
    ]
    classes = ["below" if r["mandatory"] and (r["coverage"] or 0) < 1 else "" for r in rows]
    headers = ("Academic year", "Element", "Annex I", "Programmes", "Publishing it", "Share publishing")
    caption = (
        "Council Recommendation 2022/C 243/02, Annex I: catalogue-level elements. Mandatory elements "
        "published by fewer than 100% of programmes are highlighted; optional ones are coverage only."
    )
    return _table(headers, body, caption=caption, row_classes=classes)


def _side_by_side(inst: Row, rows: list[Row]) -> str:
    if not rows:
        return _empty("No programmes to compare.")

    def share(part: object, whole: object) -> str:
        if not whole:
            return f"{part}"
        return f"{part} ({_percent(int(part) / int(whole))})"

    body = [
        (
            _year(r["academic_year"]),
            r["programmes"],
            r["with_credits"],
            share(r["meets_flanders_size_3_20"], r["with_credits"]),
            share(r["meets_netherlands_size_3_30"], r["with_credits"]),
            r["with_published_hours"],
            share(r["meets_be_hours_25_30"], r["with_published_hours"]),
            share(r["meets_nl_hours_28"], r["with_published_hours"]),
        )
        for r in rows
    ]
    headers = (
        "Academic year",
        "Programmes",
        "With credits",
        "Flemish size 3-20",
        "Dutch size 3-30",
        "With published hours",
        "BE hours 25-30 per credit",
        "NL hours 28 per EC",
    )
    caption = (
        f"Both countries' rules applied to every programme; {inst['name']} answers to the "
        f"{inst['region']} rules, the others are shown for comparison. Shares are of the programmes with "
        "credits (size) or with published hours (hours)."
    )
    return _table(headers, body, caption=caption)


# -- flags: chart and records ------------------------------------------------------------------------------
def _rule_order(flags: list[Row], rules: dict[str, Row]) -> list[tuple[str, list[Row]]]:
    """Flags grouped by rule: errors first, then by number of flags."""
    groups = _group(flags, "rule_id")

    def key(item: tuple[str, list[Row]]) -> tuple[int, int, str]:
        rule_id, rows = item
        severity = rules.get(rule_id, {}).get("severity") or rows[0]["severity"]
        return (SEVERITY_ORDER.get(severity, 9), -len(rows), rule_id)

    return sorted(groups.items(), key=key)


def _flag_chart(iid: str, flags: list[Row], rules: dict[str, Row]) -> str:
    if not flags:
        return _empty("No flags: every record meets every rule that applies to it.")
    bars = []
    for rule_id, rows in _rule_order(flags, rules):
        rule = rules.get(rule_id, {})
        severity = rule.get("severity") or rows[0]["severity"]
        bars.append(Bar(rule_id, rule.get("title") or rule_id, severity, len(rows)))
    return bar_chart(bars, chart_id=_anchor(iid, "chart-svg"), title="Flags by rule") + "\n"


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str) -> str:
    """A horizontal bar chart as inline SVG: one ``rect.bar`` per bar, coloured by severity, with counts."""
    label_width, bar_space, count_space, row, gap = 200, 380, 60, 22, 6
    width = label_width + bar_space + count_space
    height = len(bars) * (row + gap) + gap
    largest = max((b.count for b in bars), default=1) or 1
    description = "; ".join(f"{b.label}: {b.count} ({b.severity})" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{_esc(chart_id)}" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{_esc(chart_id)}-t {_esc(chart_id)}-d" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{_esc(chart_id)}-t">{_esc(title)}</title>',
        f'<desc id="{_esc(chart_id)}-d">{_esc(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (row + gap)
        length = max(2.0, bar_space * bar.count / largest)
        colour = SEVERITY_COLOUR.get(bar.severity, "#475467")
        parts.append(
            f"<g><title>{_esc(f'{bar.title} ({bar.label}): {bar.count} flags, {bar.severity}')}</title>"
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end">{_esc(bar.label)}</text>'
            f'<rect class="bar sev-{_slug(bar.severity)}" x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{row}" fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + row / 2 + 4:.1f}">{bar.count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _flag_groups(iid: str, flags: list[Row], rules: dict[str, Row]) -> str:
    if not flags:
        return _empty("No flagged records.")
    return "".join(
        _flag_group(iid, rule_id, rows, rules.get(rule_id)) for rule_id, rows in _rule_order(flags, rules)
    )


def _flag_group(iid: str, rule_id: str, flags: list[Row], rule: Row | None) -> str:
    rule = rule or {"title": rule_id, "severity": flags[0]["severity"], "blocking": None}
    summary = (
        f"<summary>{_esc(rule['title'])} {_badge(rule['severity'])} "
        f'<span class="muted">{_esc(rule_id)} · {len(flags)} flagged</span></summary>'
    )
    meta = _rule_meta(rule)
    rows = [
        (
            f["record_key"],
            _year(f["academic_year"]),
            f["field"],
            _value(f["value"]),
            f["message"],
            _link(f["url"]),
        )
        for f in flags
    ]
    headers = ("Record", "Academic year", "Field", "Value", "Message", "Source page")
    opened = " open" if len(flags) <= 100 else ""
    anchor = _anchor(iid, "rule", rule_id)
    return f'<details id="{anchor}"{opened}>{summary}\n{meta}{_table(headers, rows)}</details>\n'


def _rule_meta(rule: Row) -> str:
    if "standard" not in rule:
        return _empty("This rule is not in the warehouse's rule catalogue.")
    blocking = " Blocking: a source failing it is not published." if rule["blocking"] else ""
    return (
        f'<p class="rule-meta">{_esc(rule["explanation"])}{_esc(blocking)}</p>\n'
        f'<p class="rule-meta"><strong>Standard:</strong> {_esc(rule["standard"])}. '
        f"<strong>Source:</strong> {_esc(rule['citation'])}.</p>\n"
    )


def _value(value: object) -> Safe:
    return Safe("" if value is None else f"<code>{_esc(value)}</code>")


# -- appendix ----------------------------------------------------------------------------------------------
def _rules_appendix(rules: Iterable[Row]) -> str:
    rows = [
        (
            Safe(f"<code>{_esc(r['rule_id'])}</code>"),
            r["title"],
            _badge(r["severity"]),
            "yes" if r["blocking"] else "no",
            r["record"].replace("_", " "),
            "all" if "*" in (r["applies_to"] or []) else r["applies_to"],
            r["standard"],
            r["citation"],
        )
        for r in rules
    ]
    if not rows:
        return _section("rules", "Appendix: the rules", _empty("The rule catalogue is empty."))
    headers = ("Rule", "Title", "Severity", "Blocking", "Checked on", "Applies to", "Standard", "Citation")
    return _section("rules", "Appendix: the rules", _table(headers, rows))


# -- writing -----------------------------------------------------------------------------------------------
def _atomic_write(target: Path, text: str) -> None:
    """Writes a temporary file in the target's folder, then renames it over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m quality.report WAREHOUSE.duckdb [OUT.html]")
    written = write_report(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else None)
    print(written)
