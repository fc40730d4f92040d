from django.db import models

from ..choices import ChangeAction, Entity


class ChangeLog(models.Model):
    """One applied golden change, in commit order: the change feed and the outbox read from here."""

    id = models.BigAutoField(primary_key=True)
    entity = models.CharField(max_length=20, choices=Entity.choices)
    golden_id = models.CharField(max_length=32, db_index=True)
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    changed = models.JSONField(default=list, help_text="Attribute names that changed.")
    data = models.JSONField(default=dict, help_text="The golden record's attributes after the change.")
    system = models.CharField(max_length=40, blank=True, help_text="System whose input caused the change.")
    local_id = models.CharField(max_length=255, blank=True)
    correlation_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
