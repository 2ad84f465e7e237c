"""The deployment configuration in ``deploy/`` passes Dagster's own validation (no services needed)."""

from __future__ import annotations

import importlib
import shutil
import sys

import dagster as dg
import pytest
import yaml
from dagster._config import validate_config
from dagster._core.instance.config import dagster_instance_config
from dagster_k8s import K8sRunLauncher

from pipelines.definitions import defs
from pipelines.defs.execution import engine, instance_run_config
from pipelines.defs.partitions import SOURCE_TAG
from tests.distributed.services import REPO

DEPLOY = REPO / "deploy"


def _instance_config(folder, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(folder / "dagster.yaml", home / "dagster.yaml")
    config, _ = dagster_instance_config(str(home))  # raises on anything Dagster's schema rejects
    return config


def _source_limit(run_coordinator: dict) -> list[dict]:
    return [
        limit for limit in run_coordinator["config"]["tag_concurrency_limits"] if limit["key"] == SOURCE_TAG
    ]


def test_production_instance_names_postgres_a_per_site_queue_and_run_timeouts(tmp_path):
    config = _instance_config(DEPLOY, tmp_path)
    assert config["storage"]["postgres"]["postgres_url"] == {"env": "MICROCRED_POSTGRES_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert _source_limit(config["run_coordinator"]) == [
        {"key": SOURCE_TAG, "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    ]
    monitoring = config["run_monitoring"]
    assert (
        monitoring["enabled"]
        and monitoring["start_timeout_seconds"] > 0
        and monitoring["max_runtime_seconds"] > 0
    )


def test_production_run_config_selects_celery_and_validates_against_the_jobs(monkeypatch):
    monkeypatch.setenv("MICROCRED_CELERY_BROKER", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("MICROCRED_CELERY_BACKEND", "redis://127.0.0.1:1/1")
    run_config = instance_run_config(str(DEPLOY))
    assert engine(run_config) == "celery"
    for name in ("harvest_source", "publish_warehouse"):
        resolved = dg.validate_run_config(defs.resolve_job_def(name), run_config)
        assert resolved["execution"]["registry"]["celery"]["broker"] == "redis://127.0.0.1:1/0"


def test_a_misspelt_executor_is_rejected_by_the_jobs():
    with pytest.raises(dg.DagsterInvalidConfigError):
        dg.validate_run_config(
            defs.resolve_job_def("harvest_source"), {"execution": {"config": {"celry": {}}}}
        )


def test_without_a_run_config_file_runs_execute_in_process(tmp_path):
    assert engine(instance_run_config(str(tmp_path))) == "in_process"
    assert engine(instance_run_config(str(REPO / "dagster_home"))) == "in_process"


def test_celery_workers_read_the_same_settings_as_the_runs(monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(DEPLOY))
    monkeypatch.setenv("MICROCRED_CELERY_BROKER", "redis://127.0.0.1:2/0")
    monkeypatch.setenv("MICROCRED_CELERY_BACKEND", "redis://127.0.0.1:2/1")
    monkeypatch.syspath_prepend(str(DEPLOY / "celery"))
    sys.modules.pop("dagster_celery_config", None)
    settings = importlib.import_module("dagster_celery_config")
    run_config = yaml.safe_load((DEPLOY / "run_config.yaml").read_text())
    source = run_config["execution"]["config"]["celery"]["config_source"]
    assert settings.broker_url == "redis://127.0.0.1:2/0"
    assert settings.result_backend == "redis://127.0.0.1:2/1"
    assert {key: getattr(settings, key) for key in source} == source
    sys.modules.pop("dagster_celery_config", None)


def test_kubernetes_instance_validates_with_dagster_and_the_k8s_run_launcher_schema(tmp_path):
    config = _instance_config(DEPLOY / "k8s", tmp_path)
    launcher = config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    checked = validate_config(K8sRunLauncher.config_type(), launcher["config"])
    assert checked.success, [error.message for error in checked.errors]
    assert config["storage"]["postgres"]["postgres_db"]["scheme"] == "postgresql+psycopg2"
    # The validation can fail: a misspelt field is an error.
    broken = validate_config(K8sRunLauncher.config_type(), {**launcher["config"], "job_namespce": "x"})
    assert not broken.success


def test_helm_values_say_what_the_validated_instance_says(tmp_path):
    """The chart is not rendered here: the values must at least carry the validated instance's settings."""
    values = yaml.safe_load((DEPLOY / "k8s" / "values.yaml").read_text())
    config = _instance_config(DEPLOY / "k8s", tmp_path)
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    queue = values["dagsterDaemon"]["runCoordinator"]
    assert queue["type"] == config["run_coordinator"]["class"]
    limits = config["run_coordinator"]["config"]["tag_concurrency_limits"]
    assert queue["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"] == limits
    assert {limit["key"] for limit in limits} == {SOURCE_TAG, "microcred/publish"}
    assert values["postgresql"]["postgresqlScheme"] == config["storage"]["postgres"]["postgres_db"]["scheme"]
    monitoring = values["dagsterDaemon"]["runMonitoring"]
    assert monitoring["startTimeoutSeconds"] == config["run_monitoring"]["start_timeout_seconds"]
    assert monitoring["maxRuntimeSeconds"] == config["run_monitoring"]["max_runtime_seconds"]
    [deployment] = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "pipelines.definitions"]
