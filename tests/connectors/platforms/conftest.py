"""Shared by the platform connector tests: a source system pointed at a running simulator, and the hub-side steps
(process deliveries, process webhook events) a test drives in-process."""

from canonical.services.systems import source_system_create
from connectors.models import Subscription, WebhookEvent, WebhookState
from connectors.services.delivery import deliveries_process
from connectors.services.sync import webhook_event_process


def platform_system(
    code: str,
    connector_type: str,
    base_url: str,
    credentials: dict,
    *,
    kind: str = "support",
    subscribe: tuple[str, ...] = ("customer", "contact"),
    settings: dict | None = None,
    mapping: dict | None = None,
    pull_interval: int | None = None,
):
    system, token = source_system_create(code=code, kind=kind)
    system.connector_type = connector_type
    system.base_url = base_url
    system.credentials = credentials
    system.settings = settings or {}
    system.mapping = mapping or {}
    system.pull_interval_seconds = pull_interval
    system.save()
    system.token = token
    for entity in subscribe:
        Subscription.objects.create(system=system, entity=entity)
    return system


def drain_deliveries(max_rounds: int = 30) -> None:
    """Push every due delivery (in this process), retrying until none is due now."""
    for _ in range(max_rounds):
        if not deliveries_process(limit=100):
            return


def process_webhooks() -> list[str]:
    """Apply every stored webhook event not processed yet (what the Celery task does after commit)."""
    return [
        webhook_event_process(pk)
        for pk in WebhookEvent.objects.filter(state=WebhookState.RECEIVED).order_by("pk").values_list("pk", flat=True)
    ]
