"""``microcred export``: the published registry as CSV, Parquet, ELM JSON-LD and LOQ XML, with a manifest.

Why this shape:

- One read-only DuckDB connection reads everything, so all files describe one state of the warehouse even if
  a refresh publishes a new file meanwhile (``publish`` replaces the file; this connection keeps the old one).
- DuckDB writes the CSV and Parquet files itself (``COPY``): exact types, no round trip through Python.
- Everything is written into a hidden sibling directory and swapped into place only when complete and checked
  (``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere). A reader sees the previous export or the
  new one, never a mix, and a failed export leaves the previous one untouched and no temporary directory.
- Before anything is moved into place, every ELM JSON-LD dataset is checked twice, by the structural check
  (:func:`warehouse.elm.validate_learning_opportunities`) and by pySHACL with the EU's LOQ and MDR shapes over
  the graph it expands to offline (:mod:`warehouse.elm_rdf`), and every LOQ XML document against the EU's
  ``loq.xsd`` (:mod:`warehouse.elm_xml`). Any problem fails the export and names the node; the previous export stays.

Layout of ``<data_dir>/exports`` (or ``--out``)::

    manifest.json                    published run ids, per file rows / bytes / SHA-256, column types
    csv/{table}.csv                  UTF-8, header, RFC 4180 quoting (see CSV_ENCODING)
    parquet/{table}.parquet          native types: lists stay lists, DECIMAL, DATE, TIMESTAMPTZ (UTC)
    elm/{institution_id}.jsonld      ELM LearningOpportunity records of the institution's current year
    loq/{institution_id}.xml         the same learning opportunities as an LOQ XML document (loq.xsd 3.1.0)

CSV encoding (also written into the manifest): NULL is an empty unquoted field and an empty string is ``""``;
lists (``VARCHAR[]``) are JSON array text (``["en","nl"]``; an empty list is ``[]``); timestamps with time
zone are ISO 8601 in UTC with microseconds (``2026-11-23T09:34:03.000000Z``); dates ``YYYY-MM-DD``; booleans
``true``/``false``; decimals and doubles as DuckDB prints them (doubles in their shortest exact form); a text
cell starting with ``= + - @``, tab, CR or ``'`` gets one leading ``'`` (OWASP CSV injection: a spreadsheet
shows it as text). :func:`read_csv` reads a file back to the warehouse types, dropping that quote.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import duckdb
import polars as pl

from registry.files import fsync_dir, fsync_file
from registry.languages import english_name
from warehouse import elm, elm_rdf, elm_xml
from warehouse.publish import warehouse_path
from warehouse.sql import Queries

QUERIES = Queries(__file__)  # export.sql
FORMAT = "microcred-export/1"
DEFAULT_BASE_IRI = "urn:microcred-registry:"
# Each exported table or view and the order its rows are written in (deterministic files).
TABLES: dict[str, str] = {
    "institution": "institution_id",
    "programme": "institution_id, registry_id, academic_year",
    "course_unit": "institution_id, code, academic_year",
    "programme_course": "institution_id, registry_id, course_code, academic_year",
    "flag": "ALL",
    "rule": "rule_id",
    "programme_current": "institution_id, registry_id, academic_year",
}
ELM_SCOPE = (
    "programme_current: each institution's latest published academic year (the view has no later year); "
    "earlier years are not exported as learning opportunities because they can no longer be taken"
)
CSV_ENCODING = {
    "null": 'empty unquoted field; an empty string is written as ""',
    "list": 'JSON array text, e.g. ["en","nl"]; an empty list is []',
    "timestamp_with_time_zone": "ISO 8601 in UTC with microseconds, e.g. 2026-11-23T09:34:03.000000Z",
    "date": "YYYY-MM-DD",
    "boolean": "true / false",
    "quoting": "RFC 4180: fields with a comma, quote or line break are quoted; quotes are doubled",
    "formula_neutralisation": "a text cell starting with = + - @ tab, carriage return or ' gets one leading ' "
    "(OWASP CSV injection: a spreadsheet shows the text and never runs it); reading back drops that one '",
}
# Text cells a spreadsheet would read as a formula (OWASP "CSV Injection"), plus the quote itself, so that
# every text cell starting with a quote carries the prefix and reading back can drop it unambiguously.
_CSV_FORMULA_START = r"^[=+\-@\t\r']"
_TSTZ = "TIMESTAMP WITH TIME ZONE"
_CSV_TIMESTAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


class ExportError(RuntimeError):
    """The export could not be completed; nothing was moved into place."""


class NoWarehouseError(ExportError, FileNotFoundError):
    """There is no published warehouse to export."""


@dataclass(frozen=True)
class ExportedFile:
    path: str  # relative to the export directory, with forward slashes
    rows: int
    bytes: int
    sha256: str


@dataclass
class ExportResult:
    out_dir: Path
    files: list[ExportedFile] = field(default_factory=list)
    datasets: dict[str, int] = field(default_factory=dict)  # institution -> learning opportunities
    skipped: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # institution -> rows left out
    xml_datasets: dict[str, int] = field(
        default_factory=dict
    )  # institution -> LOQ XML learning opportunities
    xml_skipped: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    published_runs: dict[str, str | None] = field(default_factory=dict)

    def file(self, path: str) -> ExportedFile:
        return next(f for f in self.files if f.path == path)


# -- identifiers ------------------------------------------------------------------------------------------
def check_base_iri(base_iri: str) -> None:
    """A base must be an absolute IRI prefix (``urn:x:`` or ``http(s)://host/path/``) ending in ':' or '/'."""
    if not re.fullmatch(
        r"(?:urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:(?:[^\s]*[:/])?|https?://[^\s/]+/(?:[^\s]*/)?)", base_iri
    ):
        raise ExportError(f"base IRI {base_iri!r} must look like 'urn:name:' or 'https://host/path/'")


def organisation_id(base_iri: str, institution_id: str) -> str:
    return f"{base_iri}organisation/{quote(institution_id, safe='')}"


def learning_opportunity_id(base_iri: str, registry_id: str, academic_year: int) -> str:
    """Built from the registry id and academic year only: the same offer gets the same id in every export."""
    return f"{base_iri}learning-opportunity/{quote(registry_id, safe=':')}/{int(academic_year)}"


# -- ELM mapping ------------------------------------------------------------------------------------------
def _language(code: str | None) -> dict[str, Any] | None:
    return None if not code else elm.language_concept(code, english_name(code))


def _text_tag(row: dict[str, Any]) -> str:
    """The language tag of the record's scraped text: the page (title) language, else 'und' (undetermined)."""
    tag = row.get("title_language")
    return tag if isinstance(tag, str) and re.fullmatch(r"[a-z]{2,3}", tag) else "und"


def _number_text(value: float) -> str:
    """A credit value as ELM writes points (xsd:string): 5.0 -> '5', 7.5 -> '7.5'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _date_time(value: date | None) -> str | None:
    """A registry date as xsd:dateTime: midnight, no offset (the registry holds dates, not instants)."""
    return None if value is None else f"{value.isoformat()}T00:00:00"


def _one_or_list(nodes: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]] | None:
    """A single node as itself (as the ELM examples write it), several as a list, none as absent."""
    return nodes[0] if len(nodes) == 1 else (nodes or None)


def _drop_absent(node: dict[str, Any]) -> dict[str, Any]:
    """Absent values are omitted, never sent as null or as an empty list."""
    return {k: v for k, v in node.items() if v is not None and v != [] and v != {}}


def _note(node_id: str, tag: str, text: str | None) -> dict[str, Any] | None:
    if text is None or not text.strip():
        return None
    return {"id": node_id, "type": "Note", "noteLiteral": {tag: text}}


def organisation(institution: dict[str, Any], base_iri: str) -> dict[str, Any]:
    """The providing organisation, written once per dataset; learning opportunities name it by id."""
    org_id = organisation_id(base_iri, institution["institution_id"])
    return _drop_absent(
        {
            "id": org_id,
            "type": "Organisation",
            "legalName": {"en": institution["name"]},
            "homepage": {
                "id": f"{org_id}/homepage",
                "type": "WebResource",
                "contentURL": institution["website"],
            },
            "location": {
                "id": f"{org_id}/location",
                "type": "Location",
                "address": _drop_absent(
                    {
                        "id": f"{org_id}/address",
                        "type": "Address",
                        "countryCode": elm.country_concept(institution["country"]),
                    }
                ),
            },
        }
    )


def _specification(row: dict[str, Any], lo_id: str, tag: str) -> dict[str, Any]:
    spec_id = f"{lo_id}/specification"
    credits = row.get("credits_ects")
    hours = row.get("study_hours")
    published_hours = hours is not None and hours > 0 and row.get("study_hours_derived") is not True
    outcomes = [
        {"id": f"{spec_id}/learning-outcome/{i}", "type": "LearningOutcome", "title": {tag: text}}
        for i, text in enumerate(row.get("learning_outcomes") or [], start=1)
        if text is not None and text.strip()
    ]
    languages = [c for c in (_language(code) for code in row.get("languages") or []) if c is not None]
    eqf = row.get("eqf_level")
    return _drop_absent(
        {
            "id": spec_id,
            "type": "LearningAchievementSpecification",
            "title": {tag: row["title"]},
            "creditPoint": None
            if credits is None or credits <= 0
            else {
                "id": f"{spec_id}/credit-point",
                "type": "CreditPoint",
                "framework": elm.ects_concept(),
                "point": _number_text(credits),
            },
            # Only hours the page publishes; hours derived from credits would repeat creditPoint as a "fact".
            "volumeOfLearning": f"PT{int(hours)}H" if published_hours else None,
            "educationLevel": elm.eqf_concept(eqf) if eqf is not None and 1 <= eqf <= 8 else None,
            "language": languages,
            "mode": elm.mode_concept(row["delivery_mode"]) if row.get("delivery_mode") else None,
            "learningOutcome": outcomes,
            "entryRequirement": _note(f"{spec_id}/entry-requirement", tag, row.get("prerequisites")),
        }
    )


def _amount(node_id: str, value: Any) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "Amount",
        "unit": elm.currency_concept("EUR"),
        elm.AMOUNT_VALUE: {"@value": str(Decimal(value)), "@type": "xsd:decimal"},
    }


def derived_fee_note(row: dict[str, Any]) -> str | None:
    """Why a fee_eur that the registry computed is not a published figure: the formula and the credits it used.

    English, whatever the page language: the registry writes it, not the page."""
    if row.get("fee_eur") is None or row.get("fee_eur_derived") is not True:
        return None
    parts = []
    if row.get("fee_fixed_eur") is not None:
        parts.append(f"EUR {Decimal(row['fee_fixed_eur'])}")
    if row.get("fee_per_credit_eur") is not None:
        credits = row.get("credits_ects")
        times = f" x {_number_text(credits)} credits" if credits is not None else ""
        parts.append(f"EUR {Decimal(row['fee_per_credit_eur'])} per credit{times}")
    formula = " + ".join(parts) or "a published formula"
    return f"Derived by the registry from the published fee formula: {formula}."


def fee_tiers(row: dict[str, Any]) -> list[tuple[int, str | None, Any]]:
    """The fee tiers that can be sent: (position from 1, label or None, amount), in the order published; a
    tier with an amount but no label keeps its amount, one with neither is left out."""
    kept = []
    for position, tier in enumerate(row.get("fee_tiers") or [], start=1):
        label, amount = tier.get("label"), tier.get("amount_eur")
        label = label if isinstance(label, str) and label.strip() else None
        if amount is not None:
            kept.append((position, label, amount))
    return kept


def _price(row: dict[str, Any], lo_id: str, tag: str) -> list[dict[str, Any]]:
    """One PriceDetail for the fee (published or derived, the latter with a note saying so), and one per fee
    tier with its label as prefLabel (ids ``.../price/tier/{n}``, n the tier's published position)."""
    prices: list[dict[str, Any]] = []
    fee = row.get("fee_eur")
    covers = row.get("fee_covers")
    description = {tag: covers} if covers and covers.strip() else None
    if fee is not None:
        note = derived_fee_note(row)
        prices.append(
            _drop_absent(
                {
                    "id": f"{lo_id}/price",
                    "type": "PriceDetail",
                    "amount": _amount(f"{lo_id}/price/amount", fee),
                    "description": description,
                    "additionalNote": _note(f"{lo_id}/price/derivation", "en", note),
                }
            )
        )
    for position, label, amount in fee_tiers(row):
        tier_id = f"{lo_id}/price/tier/{position}"
        prices.append(
            _drop_absent(
                {
                    "id": tier_id,
                    "type": "PriceDetail",
                    "amount": _amount(f"{tier_id}/amount", amount),
                    "prefLabel": {tag: label} if label else None,
                    "description": description,
                }
            )
        )
    return prices


def _period(row: dict[str, Any], lo_id: str) -> dict[str, Any] | None:
    start, end = _date_time(row.get("start_date")), _date_time(row.get("end_date"))
    if start is None and end is None:
        return None
    return _drop_absent({"id": f"{lo_id}/period", "type": "PeriodOfTime", "startDate": start, "endDate": end})


def skip_reason(row: dict[str, Any]) -> str | None:
    """Why a row cannot be an ELM learning opportunity (a property ELM requires is unknown), or None."""
    if not row.get("title") or not str(row["title"]).strip():
        return "no title (ELM requires one)"
    if not row.get("url") or not str(row["url"]).strip():
        return "no page URL (ELM requires a homepage)"
    if _default_language(row) is None:
        return "no page or instruction language for ELM defaultLanguage"
    return None


def _default_language(row: dict[str, Any]) -> dict[str, Any] | None:
    """The record's authoritative language: the page (title) language, else the first teaching language."""
    for code in [row.get("title_language"), *(row.get("languages") or [])]:
        concept = _language(code)
        if concept is not None:
            return concept
    return None


def learning_opportunity(row: dict[str, Any], base_iri: str) -> dict[str, Any]:
    """One programme row -> one ELM LearningOpportunity (the row must pass :func:`skip_reason`)."""
    lo_id = learning_opportunity_id(base_iri, row["registry_id"], row["academic_year"])
    org_id = organisation_id(base_iri, row["institution_id"])
    tag = _text_tag(row)
    return _drop_absent(
        {
            "id": lo_id,
            "type": "LearningOpportunity",
            "identifier": {
                "id": f"{lo_id}/identifier",
                "type": "Identifier",
                "notation": row["registry_id"],
                "schemeName": "microcred registry id",
            },
            "title": {tag: row["title"]},
            "dcType": elm.concept(
                elm.SHORT_LEARNING_PROGRAMME, elm.LEARNING_OPPORTUNITY_TYPE_SCHEME, "Short learning programme"
            ),
            "homepage": {"id": f"{lo_id}/homepage", "type": "WebResource", "contentURL": row["url"]},
            "temporal": _period(row, lo_id),
            "priceDetail": _one_or_list(_price(row, lo_id, tag)),
            "providedBy": org_id,
            "publisher": org_id,
            "defaultLanguage": _default_language(row),
            "learningAchievementSpecification": _specification(row, lo_id, tag),
        }
    )


def dataset(
    institution: dict[str, Any], rows: Iterable[dict[str, Any]], base_iri: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The institution's JSON-LD dataset and the rows left out (with why)."""
    graph: list[dict[str, Any]] = [organisation(institution, base_iri)]
    skipped: list[dict[str, Any]] = []
    for row in rows:
        reason = skip_reason(row)
        if reason is None:
            graph.append(learning_opportunity(row, base_iri))
        else:
            skipped.append(
                {"registry_id": row["registry_id"], "academic_year": row["academic_year"], "reason": reason}
            )
    return {"@context": elm.CONTEXT, "@graph": graph}, skipped


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dump_json(doc: Any) -> str:
    """JSON text safe to embed anywhere: '<', '>', '&' and the JS line separators are \\u-escaped.

    Scraped text is data: a title holding ``</script>`` stays a string after ``json.loads``, and cannot end
    an HTML ``<script type="application/ld+json">`` block the file is pasted into. JSON syntax itself uses
    none of these characters, so replacing them in the dumped text only touches string contents.
    """
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text + "\n"


# -- tables -----------------------------------------------------------------------------------------------
def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()]


def _csv_expression(name: str, type_: str) -> str:
    column = '"' + name.replace('"', '""') + '"'
    if type_.endswith("[]") or type_.startswith("STRUCT("):
        return f"CAST(to_json({column}) AS VARCHAR) AS {column}"
    if type_ == _TSTZ:
        return f"strftime(timezone('UTC', {column}), '{_CSV_TIMESTAMP}') AS {column}"
    if type_ == "VARCHAR":
        start = _CSV_FORMULA_START.replace("'", "''")
        return f"CASE WHEN regexp_matches({column}, '{start}') THEN concat('''', {column}) ELSE {column} END AS {column}"
    return column


def _copy_table(con: duckdb.DuckDBPyConnection, table: str, root: Path) -> tuple[int, list[tuple[str, str]]]:
    columns = _columns(con, table)
    order = TABLES[table]
    parquet_path = _sql_path(root / "parquet" / f"{table}.parquet")
    parquet = con.execute(
        QUERIES.format("copy_parquet", table=table, order=order, path=parquet_path)
    ).fetchall()[0][0]
    select = ", ".join(_csv_expression(name, type_) for name, type_ in columns)
    csv_path = _sql_path(root / "csv" / f"{table}.csv")
    csv = con.execute(
        QUERIES.format("copy_csv", columns=select, table=table, order=order, path=csv_path)
    ).fetchall()[0][0]
    if parquet != csv:
        raise ExportError(f"{table}: {parquet} rows in Parquet but {csv} in CSV")
    return int(parquet), columns


def read_csv(path: Path, columns: list[tuple[str, str]] | list[list[str]]) -> pl.DataFrame:
    """Reads an exported CSV back to the warehouse types (``columns`` as listed in the manifest)."""
    frame = pl.read_csv(path, infer_schema=False)
    return frame.select(_decode(name, type_) for name, type_ in columns)


def _polars_type(type_: str) -> pl.DataType:
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", type_)
    if decimal:
        return pl.Decimal(int(decimal[1]), int(decimal[2]))
    if type_.endswith("[]"):
        return pl.List(_polars_type(type_[:-2]))
    if type_.startswith("STRUCT(") and type_.endswith(")"):
        return pl.Struct(
            [pl.Field(name, _polars_type(member)) for name, member in _struct_members(type_[7:-1])]
        )
    simple = {
        "VARCHAR": pl.String(), "INTEGER": pl.Int32(), "BIGINT": pl.Int64(), "SMALLINT": pl.Int16(),
        "DOUBLE": pl.Float64(), "FLOAT": pl.Float32(), "BOOLEAN": pl.Boolean(), "DATE": pl.Date(),
        _TSTZ: pl.Datetime("us", "UTC"),
    }  # fmt: skip
    if type_ not in simple:
        raise ValueError(f"no CSV decoding for the type {type_}")
    return simple[type_]


def _struct_members(body: str) -> list[tuple[str, str]]:
    """``label VARCHAR, amount_eur DECIMAL(12, 2)`` -> its members, split on the commas outside brackets."""
    members, depth, start = [], 0, 0
    for i, char in enumerate(body + ","):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            name, _, member = body[start:i].strip().partition(" ")
            members.append((name.strip('"'), member.strip()))
            start = i + 1
    return members


def _decode(name: str, type_: str) -> pl.Expr:
    column = pl.col(name)
    target = _polars_type(type_)
    if type_.endswith("[]") or type_.startswith("STRUCT("):
        return column.str.json_decode(target)
    if type_ == "BOOLEAN":
        return column.replace_strict({"true": True, "false": False}, default=None, return_dtype=pl.Boolean)
    if type_ == "DATE":
        return column.str.to_date("%Y-%m-%d")
    if type_ == _TSTZ:
        return column.str.to_datetime("%Y-%m-%dT%H:%M:%S%.fZ", time_unit="us", time_zone="UTC")
    if type_ == "VARCHAR":
        return column.str.strip_prefix("'")  # the formula neutralisation's prefix: every ' start has one
    return column.cast(target)


# -- the export -------------------------------------------------------------------------------------------
def _published_runs(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Per source, the run whose rows the warehouse holds (as recorded by its latest run)."""
    rows = con.execute(
        "SELECT source, arg_max(published_run_id, run_id) FROM run GROUP BY source ORDER BY source"
    ).fetchall()
    return {source: run for source, run in rows}


def _elm_datasets(
    con: duckdb.DuckDBPyConnection, root: Path, base_iri: str, result: ExportResult
) -> dict[str, dict[str, Any]]:
    institutions = con.sql("SELECT * FROM institution ORDER BY institution_id").pl().to_dicts()
    rows = con.sql(f"SELECT * FROM programme_current ORDER BY {TABLES['programme_current']}").pl()
    summary: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for institution in institutions:
        key = institution["institution_id"]
        mine = rows.filter(pl.col("institution_id") == key).to_dicts()
        doc, skipped = dataset(institution, mine, base_iri)
        problems += [f"elm/{key}.jsonld: {p}" for p in elm.validate_learning_opportunities(doc)]
        problems += [f"elm/{key}.jsonld: SHACL {p}" for p in elm_rdf.shacl_violations(doc)]
        (root / "elm" / f"{key}.jsonld").write_text(dump_json(doc), encoding="utf-8")
        xml, xml_skipped = elm_xml.document(institution, mine, base_iri)
        problems += [f"loq/{key}.xml: {p}" for p in elm_xml.schema_problems(xml)]
        (root / "loq" / f"{key}.xml").write_bytes(xml)
        result.datasets[key] = len(doc["@graph"]) - 1
        result.skipped[key] = skipped
        result.xml_datasets[key] = len(mine) - len(xml_skipped)
        result.xml_skipped[key] = xml_skipped
        summary[key] = {
            "file": f"elm/{key}.jsonld",
            "learning_opportunities": len(doc["@graph"]) - 1,
            "covers_rows": len(mine),
            "skipped": skipped,
            "xml_file": f"loq/{key}.xml",
            "xml_learning_opportunities": len(mine) - len(xml_skipped),
            "xml_skipped": xml_skipped,
        }
    if problems:
        shown = "\n  ".join(problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        raise ExportError(
            f"the ELM export is not valid ({len(problems)} problems; nothing was replaced):\n  {shown}{more}"
        )
    return summary


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_all(con: duckdb.DuckDBPyConnection, root: Path, base_iri: str, result: ExportResult) -> dict:
    for sub in ("csv", "parquet", "elm", "loq"):
        (root / sub).mkdir()
    tables: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        rows, columns = _copy_table(con, table, root)
        tables[table] = {"rows": rows, "columns": [list(c) for c in columns]}
    elm_summary = _elm_datasets(con, root, base_iri, result)
    result.published_runs = _published_runs(con)
    row_counts = {
        f"{kind}/{t}.{ext}": tables[t]["rows"]
        for t in TABLES
        for kind, ext in (("csv", "csv"), ("parquet", "parquet"))
    }
    row_counts |= {s["file"]: s["learning_opportunities"] for s in elm_summary.values()}
    row_counts |= {s["xml_file"]: s["xml_learning_opportunities"] for s in elm_summary.values()}
    for relative in sorted(row_counts):
        path = root / relative
        result.files.append(ExportedFile(relative, row_counts[relative], path.stat().st_size, _sha256(path)))
    return {
        "format": FORMAT,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "published_runs": result.published_runs,
        "files": {f.path: {"rows": f.rows, "bytes": f.bytes, "sha256": f.sha256} for f in result.files},
        "tables": tables,
        "csv_encoding": CSV_ENCODING,
        "elm": {
            "profile": "Europass Learning Model v3, LOQ application profile (LearningOpportunity)",
            "context": elm.CONTEXT,
            "scope": ELM_SCOPE,
            "base_iri": base_iri,
            "validated_with": [
                "pySHACL: LOQ-constraints.ttl and LOQ-constraints-mdr.ttl (ELM v1.1.0), data graph alone",
                "lxml XMLSchema: loq.xsd 3.1.0 with its code lists",
            ],
            "datasets": elm_summary,
        },
    }


def _fsync_tree(root: Path) -> None:
    for directory, _, files in os.walk(root):
        for name in files:
            fsync_file(Path(directory, name))
        fsync_dir(Path(directory))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swaps two directories (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _swap_into_place(partial: Path, target: Path) -> Path | None:
    """Moves the complete export to ``target``; returns where the previous export now is (to delete)."""
    if not target.exists():
        os.rename(partial, target)
        return None
    if _exchange(partial, target):
        return partial  # the previous export now lives at the partial path
    old = target.with_name(f".{target.name}.old-{uuid4().hex[:8]}")
    os.rename(target, old)
    try:
        os.rename(partial, target)
    except OSError:
        os.rename(old, target)
        raise
    return old


def export(data_dir: Path, out_dir: Path | None = None, *, base_iri: str = DEFAULT_BASE_IRI) -> ExportResult:
    """Writes the export of the published warehouse under ``data_dir`` to ``out_dir`` (default
    ``<data_dir>/exports``), replacing a previous export only once the new one is complete and valid."""
    data_dir = Path(data_dir)
    source = warehouse_path(data_dir)
    if not source.exists():
        raise NoWarehouseError(f"no published warehouse at {source}: run `microcred refresh` first")
    check_base_iri(base_iri)
    target = Path(out_dir) if out_dir is not None else data_dir / "exports"
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{uuid4().hex[:8]}")
    partial.mkdir()
    result = ExportResult(out_dir=target)
    try:
        with duckdb.connect(str(source), read_only=True) as con:
            con.execute("SET TimeZone = 'UTC'")
            manifest = _write_all(con, partial, base_iri, result)
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _fsync_tree(partial)
        previous = _swap_into_place(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if previous is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(previous)
    return result


def run(
    data_dir: Path, out_dir: Path | None = None, base_iri: str = DEFAULT_BASE_IRI, out=None, err=None
) -> int:
    """``microcred export``: writes the export and prints what was written; 1 with a message on failure."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        result = export(data_dir, out_dir, base_iri=base_iri)
    except ExportError as error:
        print(f"microcred export: {error}", file=err)
        return 1
    print(f"Exported the published registry to {result.out_dir}", file=out)
    runs = ", ".join(f"{source} {run or '-'}" for source, run in result.published_runs.items())
    print(f"Published runs: {runs}", file=out)
    print("Files (rows, bytes):", file=out)
    for f in result.files:
        print(f"  {f.path:<34} {f.rows:>6} {f.bytes:>10}", file=out)
    print("ELM datasets (learning opportunities, rows left out: JSON-LD, then LOQ XML):", file=out)
    for institution, count in result.datasets.items():
        print(
            f"  {institution:<12} {count:>5} {len(result.skipped.get(institution, [])):>5}"
            f" {result.xml_datasets.get(institution, 0):>5} {len(result.xml_skipped.get(institution, [])):>5}",
            file=out,
        )
    print("Validated: pySHACL (LOQ + MDR shapes) on every JSON-LD dataset, loq.xsd on every XML", file=out)
    print(f"Manifest: {result.out_dir / 'manifest.json'}", file=out)
    return 0
