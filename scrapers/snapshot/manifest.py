"""The snapshot manifest: which public URL is answered by which file, and how URLs are compared.

What belongs here: the manifest row type, reading and (host-merging) writing of `sites/manifest.jsonl`,
the canonical form of a URL used to look requests up, and the rule that turns a public URL into a file
name under `sites/`. Both the site generators and the server import these, so the rule lives in one place.

File naming rule (see `file_for_url`):

    https://{host}/{seg1}/.../{segN}?{query}
      -> {host}/{seg1}/.../{segN}[@{query part}]{extension}

* every path segment is percent-decoded and re-encoded keeping only `A-Z a-z 0-9 - . _ ~` literal, so a
  file name never holds `@`, `?`, `/`, `\\` or `:` from the URL;
* an empty last segment (a URL ending in `/`) is written `@index`;
* a query, in canonical form (see `canonical_query`), is appended after `@`; if that would make the name
  longer than `MAX_READABLE_QUERY` characters the query part is `sha256-` plus the first 16 hex digits of
  the SHA-256 of the canonical query instead (a readable query always contains `=`, a hashed one never
  does, so the two cannot meet);
* the extension comes from the content type and is **always** appended (`robots.txt` served as
  text/plain is stored as `robots.txt.txt`). Because every file ends in an extension and directories are
  bare segments, a URL and a longer URL under it (`/a/b` and `/a/b/c`) never collide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from registry.files import atomic_write_text

SITES_DIR = Path(__file__).resolve().parent / "sites"
MANIFEST_NAME = "manifest.jsonl"

# Longest query kept readable in a file name; the UGent chunk URLs (20 nine-digit ids) are hashed instead,
# which keeps every name far below the 255-byte limit of common file systems.
MAX_READABLE_QUERY = 80

EXTENSIONS = {
    "text/html": ".html",
    "text/plain": ".txt",
    "application/json": ".json",
    "application/problem+json": ".json",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/pdf": ".pdf",
}

# Characters kept literally in a canonical path segment (RFC 3986 pchar minus the delimiters that some
# clients escape and others do not, so `%3B` and `;` do not compare differently).
_PATH_SAFE = "-._~!$'()*+,;=:@"
# Characters kept literally in a file name: the unreserved set only.
_FILE_SAFE = "-._~"


@dataclass(frozen=True)
class ManifestRow:
    """One served URL. `file` is relative to the sites directory; `last_modified` is ISO 8601 UTC."""

    url: str
    file: str
    content_type: str
    last_modified: str
    status: int = 200

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def canonical_query(query: str) -> str:
    """Sort the parameters (by key, then value), keep blank values and re-encode them one way.

    `,` and `%2C` are treated alike (commas are left literal), as are `+` and `%20` (spaces become `%20`).
    """
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return urlencode(pairs, quote_via=quote, safe=",")


def canonical_path(path: str) -> str:
    """Re-encode each segment one way; an empty path is `/`. Trailing slashes are kept (not folded)."""
    if not path:
        return "/"
    return "/".join(quote(unquote(segment), safe=_PATH_SAFE) for segment in path.split("/"))


def route_key(host: str, path: str, query: str = "") -> str:
    """The lookup key shared by manifest URLs and loopback requests: `host/path[?canonical query]`."""
    key = host.lower() + canonical_path(path)
    canonical = canonical_query(query)
    return f"{key}?{canonical}" if canonical else key


def url_route_key(url: str) -> str:
    parts = urlsplit(url)
    return route_key(parts.netloc, parts.path, parts.query)


def file_for_url(url: str, content_type: str) -> str:
    """The file (relative to the sites directory) that stores `url`; see the module docstring."""
    parts = urlsplit(url)
    if not parts.netloc:
        raise ValueError(f"not an absolute URL: {url!r}")
    segments = (parts.path or "/").split("/")[1:]
    *directories, leaf = segments
    names = [parts.netloc.lower()]
    for segment in directories:
        if unquote(segment) in ("", ".", ".."):
            raise ValueError(f"URL has an empty or dot path segment: {url!r}")
        names.append(quote(unquote(segment), safe=_FILE_SAFE))
    leaf_name = quote(unquote(leaf), safe=_FILE_SAFE) if leaf else "@index"
    canonical = canonical_query(parts.query)
    if canonical:
        if len(canonical) <= MAX_READABLE_QUERY:
            leaf_name += "@" + quote(canonical, safe="=&,%" + _FILE_SAFE)
        else:
            leaf_name += "@sha256-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]
    mime = content_type.split(";", 1)[0].strip().lower()
    names.append(leaf_name + EXTENSIONS.get(mime, ".bin"))
    return "/".join(names)


def read_manifest(path: Path) -> list[ManifestRow]:
    """All rows of a manifest file; a missing file is an empty manifest."""
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                rows.append(ManifestRow(**json.loads(line)))
    return rows


def check_rows(rows: Iterable[ManifestRow]) -> None:
    """Raise ValueError if two rows share a URL key or a file, or a file sits where a directory must."""
    by_key: dict[str, str] = {}
    files: set[str] = set()
    for row in rows:
        key = url_route_key(row.url)
        if key in by_key:
            raise ValueError(f"{row.url} and {by_key[key]} are the same URL")
        by_key[key] = row.url
        if row.file in files:
            raise ValueError(f"file {row.file} is used twice")
        files.add(row.file)
    directories = {str(parent) for name in files for parent in Path(name).parents}
    clashes = files & directories
    if clashes:
        raise ValueError(f"files also needed as directories: {sorted(clashes)[:5]}")


def merge_manifest(path: Path, host: str, rows: Iterable[ManifestRow]) -> list[ManifestRow]:
    """Replace `host`'s rows in the manifest at `path` with `rows`, keep every other host's, sort by URL.

    Each site generator owns only its host's rows, so generators can run in any order.
    """
    kept = [row for row in read_manifest(path) if row.host != host]
    merged = sorted([*kept, *rows], key=lambda row: row.url)
    check_rows(merged)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole: a server or test reading the manifest never sees half a file.
    atomic_write_text(path, "".join(row.to_json() + "\n" for row in merged))
    return merged
