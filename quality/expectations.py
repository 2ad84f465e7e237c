"""Great Expectations suites built from the rule catalogue, run over the core tables of one institution.

Every column-level rule in ``quality.rules`` carries its expectation as data; here they become one GX
suite per table and institution, validated on the normalised frame with ``result_format=COMPLETE`` and a
row-number index, so each unexpected row GX reports becomes exactly one flag, with the record's key, its
raw value and its page. GX is imported only here (it takes seconds to import) and its context is made
once per process, with progress bars off.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import polars as pl

from quality.rules import RULES, Rule
from registry.institutions import INSTITUTIONS

_ROW = "_row"
_KEYS = {"programme": "registry_id", "course_unit": "course_key"}


@functools.cache
def _context():
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


def _expectation(rule: Rule, institution_id: str):
    import great_expectations.expectations as gxe

    name, arguments = rule.expectation
    domains = "|".join(re.escape(d) for d in INSTITUTIONS[institution_id].domains)
    resolved = {
        k: (v.replace("{domains}", domains) if isinstance(v, str) else v) for k, v in arguments.items()
    }
    return getattr(gxe, name)(**resolved, meta={"rule_id": rule.rule_id})


def suite_rules(table: str, institution_id: str) -> list[Rule]:
    return [r for r in RULES.values() if r.expectation and r.record == table and r.applies(institution_id)]


def validate(table: str, frame: pl.DataFrame, institution_id: str) -> dict[str, dict[str, Any]]:
    """Runs the table's suite; returns rule id -> {"success", "unexpected_rows" (row numbers), "element_count"}."""
    rules = [r for r in suite_rules(table, institution_id) if set(_columns(r)) <= set(frame.columns)]
    if not rules or frame.is_empty():
        return {
            r.rule_id: {"success": True, "unexpected_rows": [], "element_count": frame.height} for r in rules
        }
    import great_expectations as gx

    columns = sorted({c for r in rules for c in _columns(r)} & set(frame.columns))
    data = frame.with_row_index(_ROW).select(_ROW, *columns).to_pandas()
    context = _context()
    name = f"{institution_id}__{table}"
    source = context.data_sources.add_or_update_pandas(name)
    asset = source.add_dataframe_asset(f"{name}_{id(data)}")
    batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
        batch_parameters={"dataframe": data}
    )
    suite = gx.ExpectationSuite(name=name, expectations=[_expectation(r, institution_id) for r in rules])
    result = batch.validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [_ROW]}
    )
    outcomes: dict[str, dict[str, Any]] = {}
    for item in result.results:
        rule_id = item.expectation_config.meta["rule_id"]
        rows = [int(entry[_ROW]) for entry in item.result.get("unexpected_index_list") or []]
        outcomes[rule_id] = {
            "success": bool(item.success),
            "unexpected_rows": rows,
            "element_count": item.result.get("element_count", frame.height),
        }
    return outcomes


def _columns(rule: Rule) -> list[str]:
    _, arguments = rule.expectation
    return [arguments["column"]] if "column" in arguments else list(arguments.get("column_list", []))


def gx_flags(table: str, frame: pl.DataFrame, institution_id: str, flags_of) -> pl.DataFrame | None:
    """Flag rows for every unexpected row of every rule of the table's suite (``flags_of`` builds them)."""
    outcomes = validate(table, frame, institution_id)
    parts = []
    numbered = frame.with_row_index(_ROW)
    for rule_id, outcome in outcomes.items():
        if not outcome["unexpected_rows"]:
            continue
        rule = RULES[rule_id]
        rows = numbered.filter(pl.col(_ROW).is_in(outcome["unexpected_rows"]))
        parts.append(flags_of(rows, rule, key=_KEYS[table]))
    return pl.concat(parts) if parts else None
