"""Outbound delivery state: what each system subscribes to, one delivery slot per (system, golden record), the
attempt log kept for an audit window, and each system's rate-limit and circuit-breaker state.

PostgreSQL is the record of what has and has not been delivered; Celery messages only make workers act sooner.
"""

from django.db import models

from canonical.choices import Entity


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Dead letter"


class Subscription(models.Model):
    """One system receives changes of one entity (optionally only some attributes)."""

    system = models.ForeignKey("canonical.SourceSystem", on_delete=models.CASCADE, related_name="subscriptions")
    entity = models.CharField(max_length=20, choices=Entity.choices)
    attributes = models.JSONField(
        default=list, blank=True, help_text="Canonical attributes whose changes are sent; empty: all of them."
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "entity"], name="uniq_subscription")]

    def __str__(self) -> str:
        return f"{self.system} ← {self.entity}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError
        from django.db import connection

        # Leases (FOR UPDATE SKIP LOCKED) and the fan-out upsert need PostgreSQL; the SQLite of a bare local run
        # could not deliver, so it does not accept what it could not honour.
        if connection.vendor != "postgresql":
            raise ValidationError("Deliveries need PostgreSQL: set DATABASE_URL to a PostgreSQL database.")


class Delivery(models.Model):
    """The delivery slot of one golden record to one system: the newest version waiting and the last delivered.

    One row per (system, golden record) is what orders deliveries: only the worker holding its lease pushes, and it
    always pushes the newest state (state transfer), so a burst of versions coalesces into one request and an older
    version can never arrive after a newer one.
    """

    system = models.ForeignKey("canonical.SourceSystem", on_delete=models.CASCADE, related_name="deliveries")
    entity = models.CharField(max_length=20, choices=Entity.choices)
    golden_id = models.CharField(max_length=32)
    change_id = models.BigIntegerField(help_text="The change-log row of the newest version waiting.")
    version = models.PositiveIntegerField(help_text="Newest golden version waiting to be delivered.")
    delivered_version = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    changed_at = models.DateTimeField(help_text="When the oldest undelivered change was committed.")
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0, help_text="Failed attempts since the last success.")
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    last_status = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    correlation_id = models.CharField(max_length=128, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["system", "entity", "golden_id"], name="uniq_delivery_slot")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="delivery_due"),
            models.Index(fields=["system", "state"], name="delivery_by_state"),
        ]

    def __str__(self) -> str:
        return f"{self.golden_id} v{self.version} → {self.system_id}"


class DeliveryAttempt(models.Model):
    """One push of one delivery, kept for the audit window (setting MDMHUB_DELIVERY_AUDIT_DAYS)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_log")
    system_code = models.CharField(max_length=40)
    golden_id = models.CharField(max_length=32)
    version = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, help_text="delivered, retry or dead")
    status = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    remote_id = models.CharField(max_length=255, blank=True)
    latency_ms = models.FloatField(null=True, blank=True, help_text="From the golden change commit to the answer.")
    payload = models.JSONField(default=dict)
    correlation_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class SystemHealth(models.Model):
    """A system's outbound protection: its request budget and circuit breaker, shared by every worker."""

    system = models.OneToOneField("canonical.SourceSystem", primary_key=True, on_delete=models.CASCADE)
    tokens = models.FloatField(default=0)
    refilled_at = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateTimeField(null=True, blank=True, help_text="Retry-After or an open circuit.")
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive failed pushes.")
    circuit = models.CharField(max_length=10, default="closed", help_text="closed, open or half-open")
    # Totals for /metrics (monotonic counters, kept here because workers are separate processes).
    delivered_total = models.BigIntegerField(default=0)
    retried_total = models.BigIntegerField(default=0)
    dead_total = models.BigIntegerField(default=0)
    latency_buckets = models.JSONField(default=list, help_text="Deliveries per latency bucket (LATENCY_BUCKETS).")
    latency_sum = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


# Upper bounds (seconds) of the delivery-latency histogram, from golden change commit to the system's answer.
LATENCY_BUCKETS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)


class SyncCursor(models.Model):
    """Where reading one system's change feed of one entity stopped, and when to read it next.

    The cursor is the platform's own (a timestamp, a cursor token, a ``nextRecordsUrl``); it is saved in the same
    transaction as the records of the page it follows, so a crash re-reads at most one page, which ingest absorbs
    (an unchanged record is a no-op)."""

    system = models.ForeignKey("canonical.SourceSystem", on_delete=models.CASCADE, related_name="cursors")
    entity = models.CharField(max_length=20, choices=Entity.choices)
    cursor = models.TextField(blank=True)
    next_pull_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_pull_at = models.DateTimeField(null=True, blank=True)
    loaded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a pull first read the feed to its end (the initial full load)."
    )
    last_error = models.TextField(blank=True)
    pulled_total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "entity"], name="uniq_sync_cursor")]

    def __str__(self) -> str:
        return f"{self.system} {self.entity} @ {self.cursor or 'start'}"


class WebhookState(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


class WebhookEvent(models.Model):
    """An inbound webhook exactly as it arrived (verified), stored before it is answered and processed after.

    ``key`` identifies the event (the platform's event ID, else a hash of the body): a duplicate delivery finds its
    key taken and is answered 2xx without being stored or applied again."""

    system = models.ForeignKey("canonical.SourceSystem", on_delete=models.CASCADE, related_name="webhook_events")
    key = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)
    headers = models.JSONField(default=dict)
    body = models.TextField()
    state = models.CharField(max_length=12, choices=WebhookState.choices, default=WebhookState.RECEIVED)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    correlation_id = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "key"], name="uniq_webhook_event")]
        indexes = [
            models.Index(fields=["received_at"], name="webhook_unprocessed", condition=models.Q(state="received"))
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.key}"


class StandingSnapshot(models.Model):
    """What an ERP said about a customer's standing the last time the hub asked it live (standing API), kept so the
    stored answer can still show the overdue-invoice summary, marked with when it was read."""

    customer_id = models.CharField(max_length=32)
    system = models.ForeignKey("canonical.SourceSystem", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer_id", "system"], name="uniq_standing_snapshot")]
