"""Scheduled work of the canonical app. Thin: each calls one service."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IdempotencyKey
from .services.golden import pending_references_settle


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
