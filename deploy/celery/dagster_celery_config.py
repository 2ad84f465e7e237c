"""Celery worker settings for ``celery -A dagster_celery.app worker`` (dagster-celery imports this module).

Put this folder on the worker's ``PYTHONPATH``. The settings are read from the same
``$DAGSTER_HOME/run_config.yaml`` the runs use, so the broker, the result backend and the task settings
of the workers and of the runs that send them tasks cannot drift apart.
"""

from pipelines.defs.execution import celery_settings, instance_run_config

_celery = celery_settings(instance_run_config())
broker_url = _celery.get("broker")
result_backend = _celery.get("backend")
globals().update(_celery.get("config_source") or {})
