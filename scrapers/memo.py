"""The parse memo: a page the server answered 304 for is not parsed again.

The HTTP cache makes an unchanged night cheap on the wire (conditional requests, 304s, no body sent). The memo
makes it cheap in the spider too: for every page it parses, the spider keeps what the parse produced (items and
follow-up requests) under the page's URL, the SHA-256 of its body, the inputs the parse was given (the keyword
arguments the spider gave its callback, e.g. the listing card a programme page is read with) and the SHA-256 of
the spider's code (``scrapers.spiders.base.code_version``). When the
server answers 304 for that page the next night, the same body and the same inputs can only give the same
output, so the spider replays it, with tonight's fetch time, instead of parsing again. Any change to the body,
the inputs or the spider's code is a miss, and the page is parsed as usual.

The memo lives beside the HTTP cache (``{HTTPCACHE_DIR}/{spider}.parse-memo.jsonl``). The data folder may be
shared storage, so nothing read from it may run code: the memo is JSON lines (items as the plain fields of
their dataclasses, rebuilt only as the item classes of ``scrapers.items``), never pickle. Its first line
carries the SHA-256 and the count of the lines after it; a memo whose checksum does not match (truncated,
garbled) is recorded (``microcred/parse_memo/damaged`` and a warning naming the file) and ignored, so every
page is parsed. A memo of the pickle era (``*.parse-memo.pickle``) is never unpickled: it is recorded
(``microcred/parse_memo/legacy_pickle_removed``) and removed. The memo keeps only the entries used in the
last crawl, so pages that are gone drop out, and it is written whole and renamed into place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from registry.files import atomic_write
from scrapers.items import CourseUnitItem, HarvestIssue, ProgrammeCourseItem, ProgrammeItem

logger = logging.getLogger(__name__)

PARSE_INPUT = "parse_input"  # request meta key: digest of the keyword arguments the spider gave the callback
FORMAT = "microcred-parse-memo/2"
# Memos written by earlier code: their keys can never match tonight's code, so they are set aside, not read.
OUTDATED_FORMATS = frozenset({"microcred-parse-memo/1"})
MEMO_SUFFIX = ".parse-memo.jsonl"
LEGACY_SUFFIX = ".parse-memo.pickle"

# The only classes a memo line may be turned into (by name): nothing in the file chooses code to run.
ITEM_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (ProgrammeItem, ProgrammeCourseItem, CourseUnitItem, HarvestIssue)
}


def _canonical(value: Any) -> Any:
    """``json.dumps``'s fallback for the digest: anything not JSON is named by its type and repr (a value
    whose repr changes from run to run only costs a parse)."""
    return {"__type__": type(value).__qualname__, "repr": repr(value)}


def input_digest(meta: dict[str, Any], *, ignore: frozenset[str] = frozenset()) -> str:
    """A digest of the keyword arguments a spider gives a callback: what its parse depends on besides the body.

    A canonical JSON dump (keys sorted at every level), so it is the same in every process and needs no pickle.
    Keys in ``ignore`` are left out at every level: provenance that says where an input was found, not what it
    is (see ``RegistrySpider.provenance_keys``).
    """
    if ignore:
        meta = _without(meta, ignore)
    text = json.dumps(meta, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_canonical)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _without(value: Any, ignore: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {key: _without(item, ignore) for key, item in value.items() if key not in ignore}
    if isinstance(value, list | tuple):
        return [_without(item, ignore) for item in value]
    return value


@dataclasses.dataclass(frozen=True)
class FollowUp:
    """A follow-up request as the spider made it: its URL, its callback's name and the callback's arguments."""

    url: str
    callback: str
    cb_kwargs: dict[str, Any]


def encode_outputs(outputs: list[Any]) -> list[dict[str, Any]]:
    """The outputs of one parse as JSON-ready dicts; ``ValueError`` for an output that has no JSON form."""
    encoded = []
    for output in outputs:
        if isinstance(output, FollowUp):
            encoded.append({"follow": output.url, "callback": output.callback, "cb_kwargs": output.cb_kwargs})
        elif type(output).__name__ in ITEM_CLASSES and dataclasses.is_dataclass(output):
            encoded.append({"item": type(output).__name__, "fields": dataclasses.asdict(output)})
        else:
            raise ValueError(f"no JSON form for {type(output).__name__}")
    return encoded


def decode_outputs(encoded: list[Any]) -> list[Any]:
    """The outputs back from their JSON form; ``ValueError`` (or ``TypeError``) for anything else."""
    outputs: list[Any] = []
    for entry in encoded:
        if not isinstance(entry, dict):
            raise ValueError("memo output is not an object")
        if "follow" in entry:
            follow, callback, cb_kwargs = entry["follow"], entry.get("callback"), entry.get("cb_kwargs")
            if not (isinstance(follow, str) and isinstance(callback, str) and isinstance(cb_kwargs, dict)):
                raise ValueError("malformed follow-up")
            outputs.append(FollowUp(follow, callback, cb_kwargs))
        else:
            cls = ITEM_CLASSES[entry.get("item")] if entry.get("item") in ITEM_CLASSES else None
            if cls is None or not isinstance(entry.get("fields"), dict):
                raise ValueError(f"unknown memo item {entry.get('item')!r}")
            outputs.append(cls(**entry["fields"]))
    return outputs


class ParseMemo:
    """Entries are held as their memo lines (JSON bytes) and decoded only when a page is replayed: at national
    size a decoded memo (every item's fields as Python objects) was several times the size of its file."""

    def __init__(self, path: Path | None, stats=None):
        self.path = path
        self.stats = stats
        self._previous: dict[tuple, bytes] = {}  # key -> its line in the memo read at the start
        self._kept: dict[tuple, bytes] = {}  # key -> its line in the memo written at the end
        # (url, parse input, code version) -> the latest key: how a page the revisit policy does not request
        # tonight (no body to key on) finds its last parse.
        self._latest: dict[tuple, tuple] = {}
        self._latest_by_url: dict[
            tuple, tuple
        ] = {}  # (url, code version) -> the latest key, whatever the inputs
        if path is None:
            return
        self._forget_legacy(path)
        if path.exists():
            self._previous = self._load(path)
            self._latest = {(k[0], k[2], k[3]): k for k in self._previous if len(k) == 4}
            self._latest_by_url = {(k[0], k[3]): k for k in self._previous if len(k) == 4}

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _forget_legacy(self, path: Path) -> None:
        """Removes the pickle-era memo beside ``path`` without reading it (unpickling runs code)."""
        legacy = path.with_name(path.name.removesuffix(MEMO_SUFFIX) + LEGACY_SUFFIX)
        if legacy.exists() or legacy.is_symlink():
            logger.warning("parse memo %s is a pickle: not read, removed", legacy)
            self._count("microcred/parse_memo/legacy_pickle_removed")
            legacy.unlink(missing_ok=True)

    def _load(self, path: Path) -> dict[tuple, bytes]:
        """The entries of the memo at ``path``, or ``{}`` (recorded) when it is damaged in any way. Read line by
        line: only the lines are kept, never the file and its parse at once."""
        try:
            with path.open("rb") as stream:
                header = json.loads(stream.readline())
                if isinstance(header, dict) and header.get("format") in OUTDATED_FORMATS:
                    logger.info(
                        "parse memo %s written by earlier code (%s); not read", path, header["format"]
                    )
                    self._count("microcred/parse_memo/outdated")
                    return {}
                if not isinstance(header, dict) or header.get("format") != FORMAT:
                    raise ValueError(f"not a {FORMAT} file")
                digest = hashlib.sha256()
                entries: dict[tuple, bytes] = {}
                count = 0
                for line in stream:
                    digest.update(line)
                    count += 1
                    if not line.endswith(b"\n"):
                        continue  # a last line without its end: the checksum below says what is wrong
                    entries[tuple(json.loads(line)["key"])] = line
            if digest.hexdigest() != header.get("sha256"):
                raise ValueError("checksum mismatch (truncated or altered)")
            if count != header.get("entries") or len(entries) != count:
                raise ValueError(f"{count} entries, header says {header.get('entries')}")
            return entries
        except (OSError, ValueError, TypeError, KeyError) as exc:
            # A damaged memo only costs a full parse; what was wrong is said, with the file.
            logger.warning("parse memo %s damaged (%s); ignored, every page will be parsed", path, exc)
            self._count("microcred/parse_memo/damaged")
            return {}

    @staticmethod
    def key(url: str, body: bytes, parse_input: str | None, version: str) -> tuple:
        return (url, hashlib.sha256(body).hexdigest(), parse_input or "", version)

    def get(self, key: tuple) -> list[Any] | None:
        """The outputs stored for ``key`` (items and ``FollowUp``s), or ``None``."""
        line = self._kept.get(key)
        if line is None:
            line = self._previous.get(key)
        if line is None:
            return None
        try:
            outputs = decode_outputs(json.loads(line)["outputs"])
        except (ValueError, TypeError, KeyError) as exc:  # checksummed, so only a memo written by other code
            logger.warning("parse memo entry for %s unusable (%s); parsed instead", key[0], exc)
            return None
        self._kept[key] = line
        return outputs

    def put(self, key: tuple, outputs: list[Any]) -> None:
        """Keeps the outputs for ``key`` if their JSON form gives them back exactly (else the page is simply
        parsed next time: a tuple in a meta, say, would come back as a list)."""
        try:
            encoded = encode_outputs(outputs)
            line = json.dumps({"key": list(key), "outputs": encoded}, ensure_ascii=False, sort_keys=True)
            if decode_outputs(json.loads(line)["outputs"]) != outputs:
                raise ValueError("outputs do not survive JSON")
        except (ValueError, TypeError) as exc:
            logger.debug("parse memo: outputs of %s not stored (%s)", key[0], exc)
            self._count("microcred/parse_memo/not_storable")
            return
        self._kept[key] = line.encode() + b"\n"
        if len(key) == 4:  # a key made by ParseMemo.key
            self._latest[(key[0], key[2], key[3])] = key
            self._latest_by_url[(key[0], key[3])] = key

    def latest_key(self, url: str, parse_input: str | None, version: str) -> tuple | None:
        """The key of the last parse of ``url`` with these inputs and this code version, or ``None``."""
        return self._latest.get((url, parse_input or "", version))

    def latest_for_url(self, url: str, version: str) -> tuple | None:
        """The key of the last parse of ``url`` by this code version, whatever inputs it was given."""
        return self._latest_by_url.get((url, version))

    def retain(self, url: str, parse_input: str | None, version: str) -> None:
        """Keeps the last parse of ``url`` in the saved memo although it was not used tonight (its fetch
        failed): the page can still be replayed once it is back."""
        key = self.latest_key(url, parse_input, version)
        if key is not None and key not in self._kept and key in self._previous:
            self._kept[key] = self._previous[key]

    def __len__(self) -> int:
        return len(self._kept)

    def save(self) -> None:
        """Writes the entries used in this crawl, whole (a full disk leaves the previous memo, recorded). The
        lines are streamed: hashed in a first pass for the header, written in a second."""
        if self.path is None:
            return
        digest = hashlib.sha256()
        for line in self._kept.values():
            digest.update(line)
        header = {"format": FORMAT, "entries": len(self._kept), "sha256": digest.hexdigest()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, [json.dumps(header).encode() + b"\n", *self._kept.values()])
        except OSError as exc:
            logger.warning("parse memo %s not saved (%s); the previous one stays", self.path, exc)
            self._count("microcred/parse_memo/not_saved")
