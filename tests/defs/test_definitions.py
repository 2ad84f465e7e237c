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
        "out_registry__quality_report",
    } <= keys
    report = graph.get(dg.AssetKey("out_registry__quality_report"))
    assert dg.AssetKey("out_registry__warehouse") in report.parent_keys


def test_every_record_rule_is_an_asset_check():
    graph = defs.resolve_asset_graph()
    checks = {key.name: key for key in graph.asset_check_keys}
    expected = {rule.rule_id for rule in RULES.values() if rule.record in ("programme", "course_unit")}
    assert expected <= set(checks)
    blocking = {name for name, key in checks.items() if graph.get_check_spec(key).blocking}
    assert blocking == {rule.rule_id for rule in RULES.values() if rule.blocking}


def test_the_harvest_job_runs_every_check_and_the_publish_job_writes_the_report():
    harvest = defs.resolve_job_def("harvest_source").asset_layer.asset_graph
    assert {key.name for key in harvest.asset_check_keys} == {
        rule.rule_id
        for rule in RULES.values()
        if rule.record in ("programme", "course_unit") or rule.blocking
    }
    publish = defs.resolve_job_def("publish_warehouse").asset_layer.asset_graph
    assert dg.AssetKey("out_registry__quality_report") in publish.get_all_asset_keys()


def test_the_report_queries_are_the_ones_the_report_reads():
    from pipelines.defs.report import report_queries
    from quality.report import QUERY_NAMES

    queries = report_queries()  # raises when the .sql file's sections and the report's names differ
    assert list(queries) == list(QUERY_NAMES)
