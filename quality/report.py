"""The quality report for institutions' data stewards: an index page and a folder of pages per institution.

It answers "what is wrong, where, why" from rows of the published warehouse, which the caller reads (the
Dagster report asset, ``pipelines/defs/report.py``, through ``warehouse.readonly``) and hands over by name
(``QUERY_NAMES``): this module opens no database. Beside the warehouse:

- ``quality_report.html``, the entry point: the latest run per source (published or not, and why), one row per
  institution (its scorecard in brief, flags by severity, links to its pages) and the rule catalogue;
- ``quality_report/{institution}.html``: counts, the rule scorecard, EU Annex I coverage, the Flemish and Dutch
  rules side by side, a chart of flags by rule, and links to every page of flags and of the current offer;
- ``quality_report/{institution}-flags-{n}.html``: the flagged records grouped by rule, with the rule's
  standard, citation and explanation; at most ``FLAGS_PER_PAGE`` records a page, fewer when their text is long;
- ``quality_report/{institution}-offer-{n}.html``: the current offer, at most ``OFFER_PER_PAGE`` a page: credits
  (a range as '2–5'), dates (start–end), the fee (tiers, a formula, a fee derived from it marked as derived).

No page can pass 2 MB whatever the warehouse holds: the lists are cut into pages by count and by escaped size
(``PAGE_BUDGET``), and a single text longer than ``FIELD_CAP`` characters is shown cut (the warehouse keeps it
whole), so one record cannot fill a page on its own. The other tables are bounded by the rule catalogue, the
academic years and the sources.

What belongs here: shaping the rows into the values the templates show. The HTML is in
``quality/templates/`` (Jinja2, autoescaping on: every value read from the warehouse is escaped by the template
engine; only http(s) URLs become links). Nothing is checked here: the rules are in ``quality.rules``, the flags
come from ``quality.checks``. Pages are self-contained and offline: inline CSS, the chart as inline SVG, no
scripts.

The set is written as a whole: every page is written into a new folder ``.quality_report/gen-*``, then the
symbolic link ``.quality_report/current`` is switched to it in one rename. ``quality_report.html`` and
``quality_report/`` are fixed links through ``current``, so a reader sees the previous report or the new one,
never a mix or half of one; the previous folder is kept until the next report (a page already open keeps
working), older ones are removed.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import escape

from registry import display
from registry.files import fsync_dir, write_synced_text

REGISTRY_NAME = "National registry of university micro-credentials"
REPORT_NAME = "quality_report.html"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_COLOUR = {"error": "#b42318", "warning": "#b54708", "info": "#175cd3"}
# The key of flags tied to no known institution: never a warehouse value (those are strings or NULL).
OTHER_KEY = ("no institution",)
OTHER_NAME = "Flags not tied to an institution"

FLAGS_PER_PAGE = 1_000
OFFER_PER_PAGE = 1_000
# Escaped text of the listed rows on one page. With the page's frame (CSS, headings, pager: a few kB) and one
# row over the budget at most (FIELD_CAP bounds a row to ~75 kB), every page stays well under 2 MB.
PAGE_BUDGET = 1_500_000
FIELD_CAP = 2_000
ROW_MARKUP = 260  # tags of one listed row beside its text, with its short dates and credits

TEMPLATES = Path(__file__).with_name("templates")
STORE_PREFIX = "gen-"
STALE_BUILD_SECONDS = 24 * 3600  # a half-written folder this old is from a writer that died; removed

Row = dict[str, Any]


# -- entry point -------------------------------------------------------------------------------------------
def write_report(rows: Mapping[str, list[Row]], target: Path, *, now: datetime | None = None) -> Path:
    """Writes the report of the warehouse ``rows`` were read from, at ``target`` (the index), atomically.

    ``rows`` holds one list of dict rows per name in ``QUERY_NAMES`` (the caller reads them from the
    warehouse). The institution pages go into the folder named like the index without ``.html``
    (``quality_report/``). Returns ``target``.
    """
    target = Path(target)
    stem = target.name.removesuffix(".html")
    _publish(target, stem, render_report(rows, now=now or datetime.now(UTC), name=stem))
    return target


def render_report(
    rows: Mapping[str, list[Row]], *, now: datetime, name: str = REPORT_NAME.removesuffix(".html")
) -> Iterator[tuple[str, str]]:
    """Every page of the report: (path relative to the index's folder, HTML).

    The index is ``{name}.html``; the other pages are in ``{name}/``. Pages are rendered one at a time, so a
    national report never sits in memory as a whole.
    """
    data = _shape(rows)
    rules: dict[str, Row] = data["rules"]
    env = _environment()
    common = {
        "registry_name": REGISTRY_NAME,
        "now": now,
        "flags_per_page": FLAGS_PER_PAGE,
        "offer_per_page": OFFER_PER_PAGE,
        "field_cap": FIELD_CAP,
    }
    index_href = f"../{quote(name)}.html"
    href_folder = quote(name)  # links are URLs: a space in the report's name is %20 in them
    institutions = _institutions(data)
    summaries = []
    for inst in institutions:
        iid = inst["institution_id"]
        flags = data["flags"].get(iid, [])
        offer = data["offer"].get(iid, [])
        flag_pages = _flag_pages(inst, flags, rules)
        offer_pages = _paged(
            [_offer_row(r) for r in offer],
            per_page=OFFER_PER_PAGE,
            size=_row_size,
            file=f"{inst['file']}-offer",
        )
        context = {
            **common,
            "index_href": index_href,
            "inst": inst,
            "parts": _parts(inst),
            "counts": data["counts"].get(iid, []),
            "scorecard": data["scorecard"].get(iid, []),
            "coverage": data["coverage"].get(iid, []),
            "side_by_side": data["side_by_side"].get(iid, []),
            "chart": _chart(inst, flags, rules),
            "flagged_rules": _flagged_rules(flags, rules, flag_pages),
            "flag_count": len(flags),
            "flag_pages": flag_pages,
            "offer_pages": offer_pages,
            "offer_count": len(offer),
            "offer_year": offer[0]["academic_year"] if offer else None,
        }
        yield f"{name}/{inst['file']}.html", env.get_template("institution.html").render(context)
        for page in flag_pages:
            yield (
                f"{name}/{page.href}",
                env.get_template("flags.html").render(context, pages=flag_pages, page=page),
            )
        for page in offer_pages:
            yield (
                f"{name}/{page.href}",
                env.get_template("offer.html").render(context, pages=offer_pages, page=page),
            )
        summaries.append(_summary(inst, data, flags, context, href_folder))
    yield (
        f"{name}.html",
        env.get_template("index.html").render(
            common, runs=data["runs"], institutions=summaries, rules=rules.values()
        ),
    )


# -- what the report reads -------------------------------------------------------------------------------
# The rows of each of these, in this order, read from the warehouse by the caller (the queries are beside the
# code that runs them: pipelines/defs/quality_report.sql).
QUERY_NAMES = (
    "institutions",
    "runs",
    "counts",
    "scorecard",
    "coverage",
    "side_by_side",
    "flags",
    "offer",
    "rules",
)
BY_INSTITUTION = ("counts", "scorecard", "coverage", "side_by_side", "flags", "offer")


def _shape(rows: Mapping[str, list[Row]]) -> dict[str, Any]:
    """Everything the report shows: lists of dict rows, grouped by institution where they belong to one."""
    missing = [name for name in QUERY_NAMES if name not in rows]
    if missing:
        raise ValueError(f"the report needs the rows of {', '.join(missing)}")
    data: dict[str, Any] = {name: list(rows[name]) for name in QUERY_NAMES if name != "rules"}
    for name in BY_INSTITUTION:
        data[name] = _group(data[name], "institution_id")
    rules = sorted(rows["rules"], key=lambda r: (SEVERITY_ORDER.get(r["severity"], 9), r["rule_id"]))
    data["rules"] = {r["rule_id"]: {**r, "known": True} for r in rules}
    return data


def _group(rows: Iterable[Row], key: str) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


# -- shaping: institutions, pages, chart -------------------------------------------------------------------
@dataclass
class Page:
    """One numbered page of a long list: its file, its rows (or rule groups) and their positions (from 1)."""

    number: int
    href: str
    first: int
    last: int
    rows: list[Row] = field(default_factory=list)
    groups: list[Row] = field(default_factory=list)


def _institutions(data: dict[str, Any]) -> list[Row]:
    """The institutions, each with a unique file name, and a last one for flags tied to none of them."""
    known = {i["institution_id"] for i in data["institutions"]}
    institutions = [{**i, "known": True} for i in data["institutions"]]
    orphans = [f for key, rows in data["flags"].items() if key not in known for f in rows]
    if orphans:
        data["flags"][OTHER_KEY] = orphans
        institutions.append({"institution_id": OTHER_KEY, "name": OTHER_NAME, "known": False})
    used: set[str] = {"index"}
    for inst in institutions:
        base = _slug(inst["institution_id"]) if inst["known"] else "no-institution"
        file, n = base, 1
        # Ids that differ only in punctuation or case still get pages of their own.
        while file.lower() in used:
            n += 1
            file = f"{base}-{n}"
        used.add(file.lower())
        inst["file"] = file
        inst["href"] = f"{file}.html"
        inst["anchor"] = f"inst-{file}"
    return institutions


LOCAL_PARTS = (
    ("counts", "Counts"),
    ("scorecard", "Scorecard"),
    ("annex-i", "Annex I coverage"),
    ("national-rules", "National rules side by side"),
    ("chart", "Flags by rule"),
    ("flags", "Flagged records"),
    ("offer", "Current offer"),
)


def _parts(inst: Row) -> list[tuple[str, str]]:
    if inst["known"]:
        return list(LOCAL_PARTS)
    return [(part, label) for part, label in LOCAL_PARTS if part in ("chart", "flags")]


def _rule_order(flags: list[Row], rules: dict[str, Row]) -> list[tuple[str, list[Row]]]:
    """Flags grouped by rule: errors first, then by number of flags."""
    groups = _group(flags, "rule_id")

    def key(item: tuple[str, list[Row]]) -> tuple[int, int, str]:
        rule_id, rows = item
        return (SEVERITY_ORDER.get(_rule(rule_id, rows, rules)["severity"], 9), -len(rows), rule_id)

    return sorted(groups.items(), key=key)


def _rule(rule_id: str, flags: list[Row], rules: dict[str, Row]) -> Row:
    """The catalogue's rule, or what the flags say of a rule the catalogue does not hold."""
    return rules.get(rule_id) or {
        "rule_id": rule_id,
        "title": rule_id,
        "severity": flags[0]["severity"],
        "known": False,
    }


def _flag_pages(inst: Row, flags: list[Row], rules: dict[str, Row]) -> list[Page]:
    """The flagged records in rule order, cut into pages, each page grouping its records by rule."""
    ordered: list[Row] = []
    for rule_id, rows in _rule_order(flags, rules):
        rule = _rule(rule_id, rows, rules)
        for position, flag in enumerate(rows, start=1):
            ordered.append({**_flag_row(flag), "rule": rule, "position": position, "total": len(rows)})
    pages = _paged(ordered, per_page=FLAGS_PER_PAGE, size=_row_size, file=f"{inst['file']}-flags")
    for page in pages:
        for row in page.rows:
            if not page.groups or page.groups[-1]["rule"] is not row["rule"]:
                page.groups.append(
                    {
                        "rule": row["rule"],
                        "anchor": _rule_anchor(row["rule"]["rule_id"]),
                        "first": row["position"],
                        "total": row["total"],
                        "flags": [],
                    }
                )
            page.groups[-1]["flags"].append(row)
            page.groups[-1]["last"] = row["position"]
        page.rows = []
    return pages


def _flagged_rules(flags: list[Row], rules: dict[str, Row], pages: list[Page]) -> list[Row]:
    """One row per flagged rule with its count and the pages that list its records."""
    on_pages: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        for group in page.groups:
            on_pages[group["rule"]["rule_id"]].append(page)
    return [
        {
            **_rule(rule_id, rows, rules),
            "count": len(rows),
            "anchor": _rule_anchor(rule_id),
            "pages": on_pages[rule_id],
        }
        for rule_id, rows in _rule_order(flags, rules)
    ]


def _rule_anchor(rule_id: str) -> str:
    return f"rule-{_slug(rule_id)}"


def _flag_row(flag: Row) -> Row:
    url = flag["url"]
    return {
        "record_key": _clip(flag["record_key"]),
        "academic_year": flag["academic_year"],
        "field": _clip(flag["field"]),
        "value": None if flag["value"] is None else _clip(flag["value"]),
        "message": _clip(flag["message"]),
        "link": _is_web_url(url) and len(url) <= FIELD_CAP,
        "url": url if _is_web_url(url) and len(url) <= FIELD_CAP else _clip(url),
    }


def _offer_row(programme: Row) -> Row:
    url = programme["url"]
    link = _is_web_url(url) and len(url) <= FIELD_CAP
    return {
        **programme,
        "title": _clip(programme["title"] or (url if link else "")),
        "languages": _clip(_text(programme["languages"])),
        "semester": _clip(programme["semester"]),
        # Written as the dashboard writes them: '2–5' for a range, tiers and formulas with a derived fee marked.
        "credits": display.credits(
            programme["credits_ects"], programme["credits_min"], programme["credits_max"]
        ),
        "dates": display.dates(programme["start_date"], programme["end_date"]),
        "fee": _clip(display.fee(programme)),
        "link": link,
        "url": url if link else None,
    }


def _clip(value: object) -> str:
    """Text of at most FIELD_CAP characters, saying how long it was when cut."""
    text = _text(value)
    if len(text) <= FIELD_CAP:
        return text
    return f"{text[:FIELD_CAP]}… (cut here: {len(text)} characters in all)"


def _row_size(row: Row) -> int:
    """Bytes one listed row takes on its page, near enough: its escaped texts, the URL twice, and its tags."""
    size = ROW_MARKUP
    for key in ("record_key", "field", "value", "message", "url", "title", "languages", "semester", "fee"):
        value = row.get(key)
        if isinstance(value, str):
            size += len(escape(value).encode("utf-8"))
    if row.get("link"):
        size += len(escape(row["url"]).encode("utf-8"))
    return size


def _paged(rows: list[Row], *, per_page: int, size: Callable[[Row], int], file: str) -> list[Page]:
    """Rows cut into pages of at most ``per_page`` rows and about PAGE_BUDGET bytes (never an empty page)."""
    pages: list[Page] = []
    used = 0
    for position, row in enumerate(rows, start=1):
        cost = size(row)
        if not pages or len(pages[-1].rows) >= per_page or used + cost > PAGE_BUDGET:
            number = len(pages) + 1
            pages.append(Page(number, f"{file}-{number}.html", position, position))
            used = 0
        pages[-1].rows.append(row)
        pages[-1].last = position
        used += cost
    return pages


@dataclass(frozen=True)
class Bar:
    """One bar of the flags-by-rule chart, with its place in the SVG."""

    label: str
    title: str
    severity: str
    count: int
    colour: str
    y: int
    length: str
    label_x: int = 192
    x: int = 200
    height: int = 22

    @property
    def text_y(self) -> str:
        return f"{self.y + self.height / 2 + 4:.1f}"

    @property
    def count_x(self) -> str:
        return f"{self.x + float(self.length) + 6:.1f}"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]


def _chart(inst: Row, flags: list[Row], rules: dict[str, Row]) -> Chart:
    """A horizontal bar chart of flags by rule, coloured by severity; bars scaled to the largest."""
    bar_space, count_space, row, gap = 380, 60, 22, 6
    groups = [(_rule(rule_id, rows, rules), len(rows)) for rule_id, rows in _rule_order(flags, rules)]
    largest = max((count for _, count in groups), default=1) or 1
    bars = [
        Bar(
            label=rule["rule_id"],
            title=_text(rule.get("title") or rule["rule_id"]),
            severity=rule["severity"],
            count=count,
            colour=SEVERITY_COLOUR.get(rule["severity"], "#475467"),
            y=gap + index * (row + gap),
            length=f"{max(2.0, bar_space * count / largest):.1f}",
        )
        for index, (rule, count) in enumerate(groups)
    ]
    width = Bar.x + bar_space + count_space
    description = "; ".join(f"{b.label}: {b.count} ({b.severity})" for b in bars)
    chart_id = f"{inst['anchor']}-chart-svg"
    return Chart(chart_id, "Flags by rule", description, width, len(bars) * (row + gap) + gap, bars)


def _summary(inst: Row, data: dict[str, Any], flags: list[Row], context: Row, folder: str) -> Row:
    """The index's row for one institution: its latest year's scorecard in brief and links to its pages."""
    scorecard = data["scorecard"].get(inst["institution_id"], [])
    year = max((r["academic_year"] for r in scorecard if r["academic_year"] is not None), default=None)
    latest = [r for r in scorecard if r["academic_year"] == year]
    counts = {r["academic_year"]: r for r in data["counts"].get(inst["institution_id"], [])}
    below = [r for r in latest if (r["share_meeting"] or 0) < 1]
    worst = min(below, key=lambda r: (r["share_meeting"] or 0, r["rule_id"]), default=None)
    severities = Counter({"error": 0, "warning": 0, "info": 0})
    severities.update(f["severity"] for f in flags)

    def linked(pages: list[Page]) -> list[Page]:
        return [Page(p.number, f"{folder}/{p.href}", p.first, p.last) for p in pages]

    return {
        **inst,
        "href": f"{folder}/{inst['href']}",
        "year": year,
        "programmes": counts.get(year, {}).get("programmes"),
        "course_units": counts.get(year, {}).get("course_units"),
        "rules_scored": len(latest),
        "rules_below": len(below),
        "worst": worst,
        "severities": severities,
        "severity_summary": _severity_summary(severities),
        "flag_count": len(flags),
        "flag_pages": linked(context["flag_pages"]),
        "offer_count": context["offer_count"],
        "offer_pages": linked(context["offer_pages"]),
    }


def _severity_summary(counts: Counter[str]) -> str:
    parts = sorted(((s, n) for s, n in counts.items() if n), key=lambda item: SEVERITY_ORDER.get(item[0], 9))
    return ", ".join(f"{n} {severity}" for severity, n in parts) or "no flags"


# -- values as text: the templates' filters ----------------------------------------------------------------
def _text(value: object) -> str:
    """A warehouse value as the report shows it; ``None`` is empty."""
    if value is None:
        return ""
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


def _year(start: object) -> str:
    """2024 -> '2024-2025' (the academic year starting in 2024)."""
    return f"{start}-{start + 1}" if isinstance(start, int) and not isinstance(start, bool) else _text(start)


def _percent(share: object) -> str:
    """A share as a percentage, rounded down so that anything short of 100% never shows as 100.0%."""
    if share is None:
        return ""
    return f"{math.floor(float(share) * 1000 + 1e-9) / 10:.1f}%"


def _share(part: object, whole: object) -> str:
    """'3 (75.0%)': a count with its share of ``whole``; the count alone when there is no whole."""
    if not whole:
        return _text(part)
    return f"{part} ({_percent(int(part) / int(whole))})"


def _words(value: object) -> str:
    return _text(value).replace("_", " ")


def _slug(value: object) -> str:
    """A file name or id fragment: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-") or "x"


def _is_web_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every page is HTML; scraped text is hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(text=_text, year=_year, percent=_percent, share=_share, words=_words, slug=_slug)
    env.tests["web_url"] = _is_web_url
    return env


# -- writing: the whole set, then one switch ---------------------------------------------------------------
def _publish(target: Path, stem: str, pages: Iterable[tuple[str, str]]) -> None:
    """Writes ``pages`` into a new folder of ``.{stem}/`` and switches ``.{stem}/current`` to it in one rename.

    ``target`` (the index) and ``{stem}/`` (the pages) are symbolic links through ``current``, made once.
    On any failure the new folder is removed and the previous report stays as it was.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    store = parent / f".{stem}"
    pages_link = parent / stem
    # A real folder where the pages' link belongs is a copy of an earlier report when the store is beside it
    # (shutil.copytree and `cp -rL` copy what links point at); anything else is not ours to replace.
    if pages_link.exists() and not pages_link.is_symlink() and not store.is_dir():
        raise FileExistsError(f"{pages_link} is not the report's link: move it away to write the report")
    store.mkdir(exist_ok=True)
    current = store / "current"
    previous = os.readlink(current) if current.is_symlink() else None
    build = Path(tempfile.mkdtemp(dir=store, prefix="tmp-"))
    generation = store / f"{STORE_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    switched = False
    try:
        for relative, document in pages:
            path = build / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            write_synced_text(path, document, mode=0o644)
        for folder in {build, *(p for p in build.rglob("*") if p.is_dir())}:
            folder.chmod(0o755)
            fsync_dir(folder)
        os.rename(build, generation)
        _symlink(current, generation.name, aside=_moved(store))
        switched = True
        fsync_dir(store)
        _symlink(target, f"{store.name}/current/{target.name}")
        _symlink(pages_link, f"{store.name}/current/{stem}", aside=_moved(store))
        fsync_dir(parent)
    except BaseException:
        if not switched:
            shutil.rmtree(build, ignore_errors=True)
            shutil.rmtree(generation, ignore_errors=True)
        raise
    for old in store.glob(f"{STORE_PREFIX}*"):
        if old.name not in (generation.name, previous):
            shutil.rmtree(old, ignore_errors=True)
    for stale in store.glob("tmp-*"):
        if datetime.now(UTC).timestamp() - stale.stat().st_mtime > STALE_BUILD_SECONDS:
            shutil.rmtree(stale, ignore_errors=True)


def _moved(store: Path) -> Path:
    """Where a copied report found in place of a link goes: among the old sets, removed with them."""
    return store / f"{STORE_PREFIX}moved-{secrets.token_hex(4)}"


def _symlink(link: Path, points_to: str, *, aside: Path | None = None) -> None:
    """Makes ``link`` point at ``points_to`` (relative to its folder) by one rename, unless it already does.

    The rename replaces a file or a link. A real folder in the way (a copied report) is first moved to
    ``aside``; without ``aside`` it is refused.
    """
    if link.is_symlink() and os.readlink(link) == points_to:
        return
    if link.is_dir() and not link.is_symlink():
        if aside is None:
            raise FileExistsError(
                f"{link} is a folder, not the report's link: move it away to write the report"
            )
        os.rename(link, aside)
    temporary = link.with_name(f".{link.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(points_to, temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
