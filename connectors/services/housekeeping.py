"""Delivery housekeeping: purging the attempt log after the audit window."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


def delivery_attempts_purge(*, batch: int = 5000) -> int:
    """Delete attempts older than the audit window, a batch per transaction so no lock is held for long."""
    cutoff = timezone.now() - timedelta(days=settings.MDMHUB_DELIVERY_AUDIT_DAYS)
    total = 0
    while True:
        with transaction.atomic(durable=True), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM connectors_deliveryattempt WHERE id IN ("
                " SELECT id FROM connectors_deliveryattempt WHERE created_at < %s ORDER BY id LIMIT %s)",
                [cutoff, batch],
            )
            deleted = cursor.rowcount
        total += deleted
        if deleted < batch:
            return total
