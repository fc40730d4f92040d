"""The platform path end to end with real processes: Zendesk and ServiceNow simulators over HTTP, the hub's web
server (its own process), a Celery worker and beat. Both platforms are read by scheduled pulls, golden records go back
to each, and a change an agent makes in Zendesk reaches ServiceNow through Zendesk's signed webhook. This is what
``make run`` shows (``manage.py mdm_demo_platforms``)."""

import io

from django.core.management import call_command

from canonical.models import CrossReference
from connectors.models import Delivery, DeliveryState, WebhookEvent, WebhookState

from .conftest import WorkerProcess


def test_a_change_made_in_zendesk_reaches_servicenow_through_the_hub(
    celery_worker_process, hub_web_process, monkeypatch, tmp_path
):
    monkeypatch.setenv("MDMHUB_PULL_SWEEP_SECONDS", "1")
    beat = WorkerProcess("beat", "-l", "INFO", "-s", str(tmp_path / "beat-schedule"), ready="beat: Starting")
    out = io.StringIO()
    try:
        call_command(
            "mdm_demo_platforms",
            "--hub", hub_web_process.url, "--zendesk-port", "0", "--servicenow-port", "0",
            "--companies", "6", "--overlap", "3", "--pull-interval", "2", "--timeout", "120", "--once",
            stdout=out,
        )  # fmt: skip
    finally:
        beat.stop()
    text = out.getvalue()
    assert "Zendesk webhook -> hub -> ServiceNow" in text, text
    # 6 + 6 - 3 = 9 companies; every one is linked in both platforms once the hub wrote each to the other
    linked = {}
    for code, golden_id in CrossReference.objects.filter(
        entity="customer", system__code__contains="-demo-"
    ).values_list("system__code", "golden_id"):
        linked.setdefault(golden_id, set()).add(code)
    assert sum(len(codes) == 2 for codes in linked.values()) == 9, linked
    assert WebhookEvent.objects.filter(state=WebhookState.PROCESSED).exists()
    assert not Delivery.objects.filter(state=DeliveryState.DEAD).exists()
    celery_worker_process.wait_for("webhook_process", timeout=5)  # the worker applied the webhook
