"""Delivery tasks. Thin: each calls one service; none keeps state of its own, so a lost or repeated message only
changes when work happens, never whether."""

import time

from celery import shared_task
from django.conf import settings

from .services.delivery import deliveries_process
from .services.housekeeping import delivery_attempts_purge
from .services.outbox import deliveries_due
from .services.sync import pulls_claim, scheduled_pull, webhook_event_process, webhooks_unprocessed


@shared_task(name="connectors.tasks.deliveries_run")
def deliveries_run(budget_seconds: float = 20.0) -> int:
    """Push due deliveries until none is left or the time budget is spent (well inside the task time limit)."""
    done, deadline = 0, time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        counts = deliveries_process(limit=settings.MDMHUB_DELIVERY_BATCH)
        if not counts:
            break
        done += sum(counts.values())
    return done


@shared_task(name="connectors.tasks.deliveries_sweep")
def deliveries_sweep() -> int:
    """Every few seconds: wake workers for due deliveries whose message was lost, whose worker died (the lease
    expired), or whose retry time came."""
    due = deliveries_due()
    for _ in range(min(settings.MDMHUB_DELIVERY_SWEEP_FANOUT, -(-due // settings.MDMHUB_DELIVERY_BATCH))):
        deliveries_run.delay()
    return due


@shared_task(name="connectors.tasks.delivery_attempts_purge")
def purge_delivery_attempts() -> int:
    return delivery_attempts_purge()


@shared_task(name="connectors.tasks.pulls_sweep")
def pulls_sweep() -> int:
    """Every few seconds: lease the change feeds whose pull is due and read each in a task of its own."""
    due = pulls_claim()
    for system_id, entity in due:
        system_pull_run.delay(system_id, entity)
    return len(due)


@shared_task(name="connectors.tasks.system_pull_run", soft_time_limit=270, time_limit=300)
def system_pull_run(system_id: int, entity: str) -> int:
    return scheduled_pull(system_id, entity)


@shared_task(name="connectors.tasks.webhook_process")
def webhook_process(event_id: int) -> str:
    return webhook_event_process(event_id)


@shared_task(name="connectors.tasks.webhooks_sweep")
def webhooks_sweep() -> int:
    """Events stored but not processed (their message was lost, or the platform read failed): try again."""
    pending = webhooks_unprocessed()
    for event_id in pending:
        webhook_process.delay(event_id)
    return len(pending)
