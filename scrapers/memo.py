"""The parse memo: a page the server answered 304 for is not parsed again.

The HTTP cache makes an unchanged night cheap on the wire (conditional requests, 304s, no body sent). The memo
makes it cheap in the spider too: for every page it parses, the spider keeps what the parse produced (items and
follow-up requests) under the page's URL, the SHA-256 of its body, the inputs the parse was given (the request
meta the spider set, e.g. the listing card a programme page is read with) and the spider version. When the
server answers 304 for that page the next night, the same body and the same inputs can only give the same
output, so the spider replays it, with tonight's fetch time, instead of parsing again. Any change to the body,
the inputs or the spider's code is a miss, and the page is parsed as usual.

The memo lives beside the HTTP cache (``{HTTPCACHE_DIR}/{spider}.parse-memo.pickle``). It keeps only the
entries used in the last crawl, so pages that are gone drop out, and it is replaced atomically. A memo that
cannot be read is ignored (every page is parsed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PARSE_INPUT = "parse_input"  # request meta key: digest of the meta the spider gave the request


def input_digest(meta: dict[str, Any]) -> str:
    """A digest of the meta a spider gives a request: what its parse depends on besides the body."""
    return hashlib.sha256(pickle.dumps(sorted(meta.items(), key=lambda kv: kv[0]), protocol=5)).hexdigest()


@dataclasses.dataclass(frozen=True)
class FollowUp:
    """A follow-up request as the spider made it: its URL and the meta it gave (routing is by URL)."""

    url: str
    meta: dict[str, Any]


class ParseMemo:
    def __init__(self, path: Path | None):
        self.path = path
        self._previous: dict[tuple, bytes] = {}
        self._kept: dict[tuple, bytes] = {}
        if path is not None and path.exists():
            try:
                self._previous = pickle.loads(path.read_bytes())
            except Exception:  # noqa: BLE001 - a damaged memo only costs a full parse
                logger.warning("parse memo %s unreadable; every page will be parsed", path)

    @staticmethod
    def key(url: str, body: bytes, parse_input: str | None, version: str) -> tuple:
        return (url, hashlib.sha256(body).hexdigest(), parse_input or "", version)

    def get(self, key: tuple) -> list[Any] | None:
        """The outputs stored for ``key`` (items and ``FollowUp``s), or ``None``."""
        blob = self._previous.get(key) or self._kept.get(key)
        if blob is None:
            return None
        self._kept[key] = blob
        return pickle.loads(blob)

    def put(self, key: tuple, outputs: list[Any]) -> None:
        try:
            self._kept[key] = pickle.dumps(outputs, protocol=5)
        except Exception:  # noqa: BLE001 - an output that cannot be stored is simply parsed next time
            logger.debug("parse memo: outputs of %s not stored", key[0])

    def __len__(self) -> int:
        return len(self._kept)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_bytes(pickle.dumps(self._kept, protocol=5))
        os.replace(partial, self.path)
