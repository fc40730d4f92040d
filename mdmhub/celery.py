"""The Celery app. Tasks are thin: they take IDs and call services (see connectors/ and canonical/tasks.py)."""

import os

from celery import Celery, Task, signals
from celery.worker.request import Request

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mdmhub.settings")

app = Celery("mdmhub", task_cls="mdmhub.celery:CorrelatedTask")

# Our own header: Celery already uses "correlation_id" for the task ID in the message properties.
HEADER = "mdmhub_correlation_id"
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "purge-idempotency-keys": {"task": "canonical.tasks.purge_idempotency_keys", "schedule": 3600.0},
    "resolve-pending-references": {"task": "canonical.tasks.retry_pending_references", "schedule": 300.0},
    "sweep-deliveries": {
        "task": "connectors.tasks.deliveries_sweep",
        "schedule": float(os.environ.get("MDMHUB_DELIVERY_SWEEP_SECONDS", "5")),
    },
    "purge-delivery-attempts": {"task": "connectors.tasks.delivery_attempts_purge", "schedule": 3600.0},
    "sweep-pulls": {
        "task": "connectors.tasks.pulls_sweep",
        "schedule": float(os.environ.get("MDMHUB_PULL_SWEEP_SECONDS", "5")),
    },
    "sweep-webhooks": {"task": "connectors.tasks.webhooks_sweep", "schedule": 30.0},
}


@signals.before_task_publish.connect
def _attach_correlation_id(headers: dict | None = None, **_: object) -> None:
    from mdmhub.correlation import get_correlation_id

    if headers is not None and HEADER not in headers:
        headers[HEADER] = get_correlation_id()


@signals.task_prerun.connect
def _restore_correlation_id(task=None, **_: object) -> None:
    from mdmhub.correlation import new_correlation_id, set_correlation_id

    incoming = getattr(task.request, HEADER, None) if task else None
    set_correlation_id(incoming or new_correlation_id())


class CorrelatedRequest(Request):
    """A received task message: its correlation ID is current from the moment it arrives, so the worker's
    "Task ... received" line carries it too (Celery logs that line before any signal fires)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from mdmhub.correlation import accept_correlation_id, set_correlation_id

        set_correlation_id(accept_correlation_id(self._request_dict.get(HEADER)))


class CorrelatedTask(Task):
    Request = CorrelatedRequest
