"""The Dagster definitions load, and the rule catalogue shows up as asset checks."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs
from quality.rules import RULES


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw_registry__harvest",
        "core_registry__programme",
        "core_registry__course_unit",
        "core_registry__programme_course",
        "out_registry__warehouse",
    } <= keys


def test_every_record_rule_is_an_asset_check():
    graph = defs.resolve_asset_graph()
    checks = {key.name: key for key in graph.asset_check_keys}
    expected = {rule.rule_id for rule in RULES.values() if rule.record in ("programme", "course_unit")}
    assert expected <= set(checks)
    volume = graph.get_check_spec(checks["volume_drop"])
    assert volume.blocking
