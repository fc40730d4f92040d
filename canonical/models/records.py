"""What systems told the hub, and how their records link to golden records."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ..choices import ConflictReason, ConflictState, Entity
from ..history import history_user
from .systems import SourceSystem


class SourceRecord(models.Model):
    """One system's latest accepted version of one of its records, as sent and as mapped to canonical form."""

    system = models.ForeignKey(SourceSystem, on_delete=models.PROTECT, related_name="records")
    entity = models.CharField(max_length=20, choices=Entity.choices)
    local_id = models.CharField(max_length=255)
    attributes = models.JSONField(default=dict)
    references = models.JSONField(default=dict, blank=True)
    raw = models.JSONField(default=dict, blank=True, help_text="The payload exactly as the system sent it.")
    source_updated_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "entity", "local_id"], name="uniq_source_record")]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.entity}:{self.local_id}"


class CrossReference(models.Model):
    """The link from one system's local ID to the golden record it names, and how the link was made."""

    system = models.ForeignKey(SourceSystem, on_delete=models.PROTECT, related_name="xrefs")
    entity = models.CharField(max_length=20, choices=Entity.choices)
    local_id = models.CharField(max_length=255)
    golden_id = models.CharField(max_length=32)
    source_record = models.OneToOneField(
        SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="xref"
    )
    method = models.CharField(max_length=40, help_text="How the link was made: new, exact:tax_id, steward, ...")
    score = models.FloatField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        # Both indexes carry the columns the xref lookups return, so PostgreSQL answers them from the index alone.
        constraints = [
            models.UniqueConstraint(fields=["system", "entity", "local_id"], name="uniq_xref", include=["golden_id"])
        ]
        indexes = [models.Index(fields=["golden_id", "entity"], name="xref_by_golden", include=["system", "local_id"])]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.entity}:{self.local_id} -> {self.golden_id}"


class PendingReference(models.Model):
    """A record that names another record of its system the hub has not seen yet; resolved when it arrives."""

    source_record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="pending_references")
    system = models.ForeignKey(SourceSystem, on_delete=models.CASCADE, related_name="+")
    entity = models.CharField(max_length=20, choices=Entity.choices)
    local_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_record", "entity"], name="uniq_pending_reference")]
        indexes = [models.Index(fields=["system", "entity", "local_id"], name="pending_ref_target")]


class StaleUpdate(models.Model):
    """A change that arrived older than what the hub already holds: kept, not applied."""

    source_record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="stale_updates")
    attributes = models.JSONField(default=dict)
    references = models.JSONField(default=dict, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    correlation_id = models.CharField(max_length=128, blank=True)


class Conflict(models.Model):
    """A value a system sent that survivorship did not apply and a steward should see."""

    entity = models.CharField(max_length=20, choices=Entity.choices)
    golden_id = models.CharField(max_length=32, db_index=True)
    attribute = models.CharField(max_length=60)
    source_record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="conflicts")
    proposed_value = models.JSONField(null=True)
    golden_value = models.JSONField(null=True)
    reason = models.CharField(max_length=20, choices=ConflictReason.choices)
    state = models.CharField(max_length=20, choices=ConflictState.choices, default=ConflictState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_record", "attribute"],
                condition=models.Q(state="open"),
                name="uniq_open_conflict",
            )
        ]
        indexes = [models.Index(fields=["state", "entity"], name="conflict_state_entity")]

    def __str__(self) -> str:
        return f"{self.golden_id}.{self.attribute} ({self.reason})"
