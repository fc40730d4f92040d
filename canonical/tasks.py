"""Scheduled work of the canonical app. Thin: each calls one service."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IdempotencyKey
from .services.golden import goldens_recompute_batch, pending_references_settle


@shared_task(name="canonical.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    cutoff = timezone.now() - timedelta(hours=settings.MDMHUB_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@shared_task(name="canonical.tasks.retry_pending_references")
def retry_pending_references() -> int:
    """Settle references whose target arrived in a transaction that raced the referring one."""
    with transaction.atomic(durable=True):
        return pending_references_settle(cause="sweep")


@shared_task(name="canonical.tasks.recompute_entity", acks_late=True)
def recompute_entity(entity: str, after_id: str = "", reason: str = "ownership rules changed") -> str | None:
    """Apply the current ownership rules to every golden record of an entity, a batch per task run.

    Each run hands the rest to a new task, so a worker restart loses at most one batch's progress, which is redone.
    """
    last = goldens_recompute_batch(entity=entity, after_id=after_id, reason=reason)
    if last is not None:
        recompute_entity.delay(entity, last, reason)
    return last
