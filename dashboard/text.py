"""Scraped text, made safe to show: everything the warehouse holds is treated as untrusted.

The dashboard shows scraped text (titles, learning outcomes, messages, URLs) in three ways only:

- ``st.dataframe`` cells, drawn on a canvas as plain text (URLs through ``LinkColumn``, after ``safe_url``);
- ``st.text`` / ``st.code``, which never interpret Markdown or HTML;
- ``st.table`` cells, which Streamlit renders as Markdown: every string goes through ``escape_markdown``
  first (``escape_frame`` does a whole table), so ``<script>``, ``**``, ``[..](..)``, ``:emoji:``, ``$math$``
  all show as the characters they are.

Nothing scraped is ever passed with ``unsafe_allow_html=True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import polars as pl

# Every ASCII punctuation character may be backslash-escaped in CommonMark; an escaped one is always literal.
# That covers Markdown syntax, raw HTML (<, >, &) and Streamlit's own extensions (:red[..], :emoji:, $..$).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WHITESPACE = re.compile(r"\s+")


def escape_markdown(value: object, *, one_line: bool = True) -> str:
    """``value`` as Markdown that renders as exactly its characters (None renders as an empty string).

    Backslash escapes are resolved before HTML or any extension is recognised, so no tag, entity, link,
    emphasis, directive or formula survives. ``one_line`` folds line breaks and runs of whitespace into one
    space (for table cells). Bare ``https://`` and ``www.`` text is still turned into a link by GitHub-
    flavoured Markdown; its text stays literal.
    """
    if value is None:
        return ""
    text = str(value)
    if one_line:
        text = _WHITESPACE.sub(" ", text).strip()
    return _PUNCTUATION.sub(r"\\\1", text)


def safe_url(value: object) -> str | None:
    """The URL when it is an absolute http(s) URL with a host, else None (never javascript:, data:, ...)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


def markdown_link(url: object, label: object | None = None) -> str:
    """A Markdown link to ``url`` showing ``label`` (the URL itself by default), both escaped.

    A URL that is not http(s) is shown as escaped text, not as a link.
    """
    target = safe_url(url)
    shown = escape_markdown(url if label is None else label)
    if target is None:
        return shown
    # Percent-encode anything that could end the destination early (spaces, <, >, brackets, quotes).
    destination = quote(target, safe=":/?#@!$&'*+,;=%~-._")
    return f"[{shown}](<{destination}>)"


def page_label(url: object) -> str:
    """A short label for a link to a source page: its site, e.g. 'studiekiezer.ugent.be ↗'."""
    target = safe_url(url)
    return f"{urlsplit(target).hostname}\u00a0↗" if target else str(url or "")  # the arrow never wraps alone


def escape_frame(
    frame: pl.DataFrame, *, links: dict[str, Callable[[object], str] | None] | None = None
) -> pl.DataFrame:
    """A copy of ``frame`` fit for ``st.table``: every text column escaped, list columns joined with ", ".

    ``links`` names the URL columns, which become links labelled by the function given (None: the URL).
    """
    links = links or {}
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if name in links:
            label = links[name]
            columns.append(
                column.map_elements(
                    lambda url, label=label: markdown_link(url, None if label is None else label(url)),
                    return_dtype=pl.String,
                )
                .fill_null("")
                .alias(name)
            )
        elif dtype == pl.String:
            columns.append(
                column.map_elements(escape_markdown, return_dtype=pl.String).fill_null("").alias(name)
            )
        elif isinstance(dtype, pl.List):
            columns.append(
                column.list.eval(pl.element().cast(pl.String))
                .list.join(", ")
                .map_elements(escape_markdown, return_dtype=pl.String)
                .fill_null("")
                .alias(name)
            )
        else:
            columns.append(column)
    return frame.select(columns)
