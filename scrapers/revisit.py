"""The revisit policy: which detail pages a night asks the site about, and which it replays from the memo.

A night that revalidates every page sends one request per page even when nothing changed, and at a site's
polite rate that is hours at national size. The policy lets an unchanged night ask little:

- **listings** (each spider's ``listing_routes``) are revalidated every night: they are how a change is seen;
- a **detail page** is revalidated when it has never been seen, when the card its listing gives it changed
  (the digest of the request meta the spider passes, ``scrapers.memo.input_digest``: a new title, credits or
  listing on the card is a new digest), and otherwise when it is **due**: its revisit interval, learned from
  how long it has gone unchanged (a quarter of that time, between ``MIN_INTERVAL`` and ``MAX_STALENESS``), has
  passed since it was last verified. A page unchanged for a month or more is checked weekly, one that changed
  yesterday nightly. The first time a page is seen, its ``Last-Modified`` header (when the server sends one)
  says how long it has been unchanged, so a catalogue that has not moved for months is not asked nightly for a
  week first. Intervals are shortened by a per-URL fraction (up to half) so a site's pages do not all fall due
  on the same night.
- a page **not due** is not requested: the spider replays its last good items from the parse memo with their
  old ``fetched_at`` and ``last_verified_at`` (so it is not withdrawn), and counts it as skipped.

A page linked from two listings (UAntwerp lists a programme on its English and its Dutch listing) is offered
two cards a night, and Scrapy requests it once, with the card of whichever listing answered first: that order
is the network's, not ours. So every card a night *offers* a page (``offer``, called for every request the
spider makes, before the duplicate filter drops the second) is recorded, not only the one its request carried:
a page verified tonight knows all of tonight's cards, and the next night may reach it by either. A card
offered tonight that is not known is a change whichever card the request carried; when it is offered only
after the page was left out (its other listing answered first), the page is marked and asked the next night.

No page goes more than ``MAX_STALENESS`` (7 days) without being verified, unless its fetch fails: a page that
fails on its scheduled night keeps its state (last verified, not advanced) and is due again the next night.

The state (per URL: first seen, last verified, last changed, change count, card digest, body digest) lives
beside the HTTP cache as ``{spider}.revisit.json``: JSON whose header carries the SHA-256 of the pages part,
written whole and renamed into place (``registry.files.atomic_write``); never pickle. A damaged state file is
recorded and ignored, which only means every page is revalidated once. ``--revalidate-all`` (setting
``MICROCRED_REVALIDATE_ALL``) switches the policy off for a night; the clock is injectable (``MICROCRED_NOW``)
so tests can play later nights.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from registry.files import atomic_write

logger = logging.getLogger(__name__)

FORMAT = "microcred-revisit/1"
STATE_SUFFIX = ".revisit.json"
MIN_INTERVAL = timedelta(days=1)
MAX_STALENESS = timedelta(days=7)
# Nights are not exactly 24 h apart: a page due "tomorrow" is due at tomorrow night's start, not to the minute.
SLACK = timedelta(hours=2)
KNOWN_CARDS = 4  # card digests remembered per page
SPREAD = 0.5  # intervals are shortened by up to this fraction, by URL, to spread due dates over nights

# Why a detail page is requested tonight (the crawl stats count each).
NEVER_SEEN, CARD_CHANGED, DUE, NOT_IN_MEMO = "never_seen", "card_changed", "due", "not_in_memo"


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 timestamp (naive read as UTC), or ``None``."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def http_date(value: bytes | str | None) -> datetime | None:
    """A ``Last-Modified`` header value as a datetime, or ``None`` when absent or malformed."""
    if not value:
        return None
    try:
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class PageState:
    """What the policy knows of one URL (all times ISO 8601 UTC)."""

    first_seen: str
    last_verified: str
    last_changed: str
    changes: int = 0  # changes seen since first seen
    # Digests of the meta the recent requests were given (a page linked from two listings is reached with
    # either card, whichever listing answers first: both are known, neither is a change).
    cards: list[str] = field(default_factory=list)
    body: str = ""  # SHA-256 of the last body
    # A card was offered that the page was not verified with (it came after the page was left out, or the
    # fetch failed): ask the page at the next night, whatever its schedule says.
    recheck: bool = False


def clock_from(text: str | None) -> Callable[[], datetime]:
    """The policy's clock: fixed at ``text`` (ISO 8601) when given, else the real UTC time."""
    fixed = parse_time(text)
    if text and fixed is None:
        raise ValueError(f"not an ISO 8601 time: {text!r}")
    return (lambda: fixed) if fixed is not None else (lambda: datetime.now(UTC))


class RevisitPolicy:
    """Decides, per request, whether to revalidate or replay; records what each answer showed."""

    def __init__(
        self,
        path: Path | None,
        *,
        clock: Callable[[], datetime] | None = None,
        revalidate_all: bool = False,
        stats=None,
    ):
        self.path = path
        self.clock = clock or (lambda: datetime.now(UTC))
        self.revalidate_all = revalidate_all
        self.stats = stats
        self.pages: dict[str, PageState] = self._load(path) if path is not None and path.exists() else {}
        # Tonight: every card offered per URL (whichever request reached the network), and the URLs verified.
        self.offered: dict[str, set[str]] = {}
        self.verified_tonight: set[str] = set()

    # -- decisions ---------------------------------------------------------------------------------------
    def interval(self, url: str, state: PageState) -> timedelta:
        """How long ``url`` may go unverified: a quarter of how long it has been unchanged, bounded."""
        verified = parse_time(state.last_verified) or self.clock()
        changed = parse_time(state.last_changed) or verified
        learned = (verified - changed) / 4
        if state.changes >= 2:  # a page seen changing repeatedly: at most half its mean time between changes
            first = parse_time(state.first_seen) or verified
            learned = min(learned, (verified - first) / (2 * state.changes))
        bounded = min(max(learned, MIN_INTERVAL), MAX_STALENESS)
        if bounded <= MIN_INTERVAL:
            return MIN_INTERVAL
        fraction = int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        return max(MIN_INTERVAL, bounded * (1 - SPREAD * fraction))

    def offer(self, url: str, card: str) -> None:
        """Records that a listing (or parent page) offered ``url`` with ``card`` tonight, whether or not this
        request is the one that reaches the network."""
        self.offered.setdefault(url, set()).add(card)

    def reason_to_fetch(self, url: str, card: str) -> str | None:
        """Why ``url`` must be requested tonight, or ``None`` when it may be replayed (not due)."""
        state = self.pages.get(url)
        if state is None:
            return NEVER_SEEN
        known = set(state.cards)
        if state.recheck or card not in known or not self.offered.get(url, set()) <= known:
            return CARD_CHANGED
        verified = parse_time(state.last_verified)
        if verified is None or self.clock() + SLACK >= verified + self.interval(url, state):
            return DUE
        return None

    def next_due(self, url: str) -> datetime | None:
        state = self.pages.get(url)
        verified = parse_time(state.last_verified) if state else None
        return None if verified is None else verified + self.interval(url, state)

    # -- records -----------------------------------------------------------------------------------------
    def verified(
        self, url: str, *, card: str, body_sha256: str, last_modified: datetime | None = None
    ) -> bool:
        """Records that the server answered for ``url`` tonight (200 or 304); True when the body changed."""
        now = self.clock()
        self.verified_tonight.add(url)
        state = self.pages.get(url)
        if state is None:
            # Unchanged since the server says it last changed (never later than now).
            since = min(last_modified, now) if last_modified is not None else now
            self.pages[url] = PageState(iso(now), iso(now), iso(since), 0, [card], body_sha256)
            return True
        changed = bool(body_sha256) and body_sha256 != state.body
        if changed:
            state.changes += 1
            state.last_changed = iso(now)
            state.body = body_sha256
        state.last_verified = iso(now)
        state.recheck = False
        state.cards = [*(known for known in state.cards if known != card), card][-KNOWN_CARDS:]
        return changed

    def _settle_offers(self) -> None:
        """Tonight's offered cards, settled at the end of the night (when every listing has answered): a page
        verified tonight knows them all; a page not verified with a card it was offered is asked next night."""
        for url, cards in self.offered.items():
            state = self.pages.get(url)
            if state is None:
                continue
            if url in self.verified_tonight:
                # Tonight's cards all stay, sorted (the same state whatever the answer order), after the most
                # recent of the older ones.
                older = [known for known in state.cards if known not in cards]
                room = max(0, KNOWN_CARDS - len(cards))
                state.cards = [*(older[-room:] if room else []), *sorted(cards)]
            elif not cards <= set(state.cards):
                state.recheck = True

    # -- storage -----------------------------------------------------------------------------------------
    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _load(self, path: Path) -> dict[str, PageState]:
        try:
            raw = path.read_bytes()
            header_line, _, rest = raw.partition(b"\n")
            header = json.loads(header_line)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            if hashlib.sha256(rest).hexdigest() != header.get("sha256"):
                raise ValueError("checksum mismatch (truncated or altered)")
            pages = json.loads(rest)
            if not isinstance(pages, dict):
                raise ValueError("pages is not an object")
            return {url: PageState(**fields) for url, fields in pages.items()}
        except (OSError, ValueError, TypeError) as exc:
            # Damaged state costs one night of full revalidation, said with the file.
            logger.warning(
                "revisit state %s damaged (%s); ignored, every page will be revalidated", path, exc
            )
            self._count("microcred/revisit/state_damaged")
            return {}

    def save(self) -> None:
        self._settle_offers()
        if self.path is None:
            return
        body = json.dumps(
            {url: asdict(state) for url, state in sorted(self.pages.items())}, separators=(",", ":")
        ).encode()
        header = {"format": FORMAT, "pages": len(self.pages), "sha256": hashlib.sha256(body).hexdigest()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(header).encode() + b"\n" + body)
        except OSError as exc:
            logger.warning("revisit state %s not saved (%s); the previous one stays", self.path, exc)
            self._count("microcred/revisit/not_saved")
