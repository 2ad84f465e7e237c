"""Later states of the bundled sites, for tests that need a second night: `second_night(server)`.

The snapshot is the first night. `second_night` turns a running `SnapshotServer` into the state of a few weeks
later by swapping routes for in-memory pages (`Route.in_memory`); nothing on disk changes. Only the
University of Antwerp part moves, whose pages are the simplest to alter (`scrapers/spiders/uantwerpen.py`
reads listing cards -> programme root -> programme info -> study programme -> course sheets):

- one programme **added**: root, programme-info and study-programme pages and its course sheet, with a card
  on both listings (it is English-taught, so both listings link it);
- one programme **withdrawn**: its card is gone from both listings (its pages stay online, unlinked);
- one programme's **credits changed**: the key facts, study load and fee on its info tab, and the course
  unit's credits and hours on the study programme and the course sheet, so credits = the course-unit sum and
  hours = 28 per credit still hold;
- one programme's **study-programme page redesigned**: the course list is in a markup the spider does not
  know, so the harvest records an issue for that page.

Every page that changes (and every new page) has `Last-Modified` = `NIGHT_TWO` and, from its new bytes, a new
ETag; every other page keeps both, so the second night's crawl revalidates them with 304s.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from scrapers.snapshot.manifest import url_route_key
from scrapers.snapshot.server import Route, SnapshotServer

NIGHT_TWO = dt.datetime(2025, 10, 6, 6, 0, tzinfo=dt.UTC)
HTML = "text/html; charset=utf-8"

HOST = "https://www.uantwerpen.be"
EN = f"{HOST}/en/study/programmes/all-programmes"
NL = f"{HOST}/nl/studeren/aanbod/alle-opleidingen"
EN_LISTING = f"{EN}/?s=16&lang=en&f=198%2C201"
NL_LISTING = f"{NL}/?s=16&lang=nl&f=198"
COURSE_INFO = f"{HOST}/ajax/courseInfo"

# Added: a copy of "Data Analysis with R" under another name, slug, course code and programme code.
TEMPLATE_SLUG = "micro-credential-data-analysis-with-r"
ADDED_SLUG = "micro-credential-quantum-computing"
ADDED_TEXT = (
    ("Data Analysis with R", "Quantum Computing"),
    ("data-analysis-with-r", "quantum-computing"),
    ("2003WETDAW", "2003WETQCO"),
    ("C5035614", "C5035620"),
)
ADDED_AFTER = "micro-credential-port-and-maritime-economics"  # its card goes in after this one
# Withdrawn: English-taught, so its card is on both listings.
WITHDRAWN_SLUG = "micro-credential-sustainable-chemistry"
# Credits changed: one course unit, 6 -> 5 credits (168 -> 140 hours, fee 320 + 5 x 53).
CHANGED_SLUG = "micro-credential-circulaire-economie"
CHANGED_COURSE = "2000TEWCEC"
# Study programme redesigned.
LAYOUT_SLUG = "micro-credential-digital-humanities"
LAYOUT_URL = f"{EN}/{LAYOUT_SLUG}/study-programme/"

_MAIN = re.compile(r'(<main id="content">).*(</main>)', re.DOTALL)
_COURSE_LINK = re.compile(r'<h5 class="heading"><a href="\?id=\d{4}-([0-9A-Z]+)&amp;lang=\w+">([^<]+)</a>')
_POINTS = re.compile(r"(\d+) <span>ECTS-credits</span>")


def registry_id(slug: str) -> str:
    return f"uantwerpen:{slug}"


def second_night(server: SnapshotServer) -> dict[str, Any]:
    """Swaps the server's routes to the second night; returns what changed (registry ids and pages).

    ``{"added": [id], "withdrawn": [id], "changed": {id: ["credits_ects"]}, "layout_changed": {id: url},
    "pages_added": [url, …], "pages_changed": [url, …], "last_modified": NIGHT_TWO}``
    """
    night = _Night(server)
    if url_route_key(f"{EN}/{ADDED_SLUG}/") in server.routes:
        raise RuntimeError("the second night is already being served")
    night.add_programme()
    night.withdraw_programme()
    night.change_credits()
    night.redesign_study_programme()
    return {
        "added": [registry_id(ADDED_SLUG)],
        "withdrawn": [registry_id(WITHDRAWN_SLUG)],
        "changed": {registry_id(CHANGED_SLUG): ["credits_ects"]},
        "layout_changed": {registry_id(LAYOUT_SLUG): LAYOUT_URL},
        "pages_added": sorted(set(night.added)),
        "pages_changed": sorted(set(night.changed) - set(night.added)),
        "last_modified": NIGHT_TWO,
    }


class _Night:
    """Edits pages of a running server in place; every edit is checked so a regenerated snapshot that no
    longer has the expected text fails loudly instead of silently changing nothing."""

    def __init__(self, server: SnapshotServer):
        self.server = server
        self.added: list[str] = []
        self.changed: list[str] = []

    # -- reading and writing pages ------------------------------------------------------------------------
    def text(self, url: str) -> str:
        return self.server.routes[url_route_key(url)].body.decode("utf-8")

    def put(self, url: str, text: str) -> None:
        key = url_route_key(url)
        old = self.server.routes.get(key)
        content_type = old.content_type if old is not None else HTML
        self.server.routes[key] = Route.in_memory(url, text.encode("utf-8"), content_type, NIGHT_TWO)
        (self.changed if old is not None else self.added).append(url)

    def edit(
        self, url: str, *replacements: tuple[str, str, int], within: tuple[str, str] | None = None
    ) -> None:
        """Replaces each ``old`` by ``new``, which must occur exactly ``count`` times (in the part of the page
        from ``within``'s first marker to its second, or the page's end, when given)."""
        page = self.text(url)
        start, end = 0, len(page)
        if within:
            start = page.index(within[0])
            end = page.find(within[1], start)
            end = len(page) if end < 0 else end
        text = page[start:end]
        for old, new, count in replacements:
            found = text.count(old)
            if found != count:
                raise ValueError(f"expected {count} x {old!r} in {url}, found {found}")
            text = text.replace(old, new)
        self.put(url, page[:start] + text + page[end:])

    # -- the four changes ---------------------------------------------------------------------------------
    def add_programme(self) -> None:
        def renamed(text: str) -> str:
            for old, new in ADDED_TEXT:
                text = text.replace(old, new)
            return text

        template = f"{EN}/{TEMPLATE_SLUG}"
        for tab in ("", "programme-info/", "study-programme/"):
            self.put(f"{EN}/{ADDED_SLUG}/{tab}", renamed(self.text(f"{template}/{tab}")))
        sheet = f"{COURSE_INFO}?id=2025-2003WETDAW&lang=en"
        self.put(renamed(sheet), renamed(self.text(sheet)))
        for listing in (EN_LISTING, NL_LISTING):
            lines = self.text(listing).splitlines(keepends=True)
            card = renamed(_card(lines, TEMPLATE_SLUG, listing))
            position = lines.index(_card(lines, ADDED_AFTER, listing)) + 1
            self.put(listing, "".join([*lines[:position], card, *lines[position:]]))

    def withdraw_programme(self) -> None:
        for listing in (EN_LISTING, NL_LISTING):
            lines = self.text(listing).splitlines(keepends=True)
            lines.remove(_card(lines, WITHDRAWN_SLUG, listing))
            self.put(listing, "".join(lines))

    def change_credits(self) -> None:
        root = f"{NL}/{CHANGED_SLUG}"
        self.edit(
            f"{root}/opleidingsinfo/",
            ("<li>6 studiepunten</li>", "<li>5 studiepunten</li>", 1),
            ("<td>168 uur</td>", "<td>140 uur</td>", 1),
            ("€ 638 (= €320 administratiekosten + (6 x", "€ 585 (= €320 administratiekosten + (5 x", 1),
        )
        units = (("6 <span>studiepunten</span>", "5 <span>studiepunten</span>", 1), ("\t168\n", "\t140\n", 1))
        # Only this year's pane changes: the page's other year panes keep what those years had.
        self.edit(
            f"{root}/studieprogramma/",
            *units,
            within=('id="studyprogramme-2025"', '</section>\n<section class="pane"'),
        )
        self.edit(f"{COURSE_INFO}?id=2025-{CHANGED_COURSE}&lang=nl", *units)

    def redesign_study_programme(self) -> None:
        """The course list as cards in a new grid: no year panes, no ``section.course``, no course links."""
        text = self.text(LAYOUT_URL)
        courses = _COURSE_LINK.findall(text)
        points = _POINTS.findall(text)
        if not courses or len(courses) != len(points):
            raise ValueError(f"{LAYOUT_URL} no longer lists its courses as expected")
        cards = "".join(
            f'<article class="unit-card"><h4 class="unit-title">{name}</h4>'
            f'<p class="unit-meta"><span class="code">{code}</span> · {credits} ECTS</p></article>\n'
            for (code, name), credits in zip(courses, points, strict=True)
        )
        grid = f'<div class="sp-grid" data-academic-year="2025-2026">\n{cards}</div>\n'
        redesigned, replaced = _MAIN.subn(lambda m: f"{m.group(1)}\n{grid}{m.group(2)}", text)
        if replaced != 1:
            raise ValueError(f"{LAYOUT_URL} has no <main> to redesign")
        self.put(LAYOUT_URL, redesigned)


def _card(lines: list[str], slug: str, listing: str) -> str:
    """The listing's card line (one per line, in both card vintages) that links ``slug``."""
    found = [line for line in lines if f'/{slug}/"' in line]
    if len(found) != 1:
        raise ValueError(f"expected one card for {slug} on {listing}, found {len(found)}")
    return found[0]
