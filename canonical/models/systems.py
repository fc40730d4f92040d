from django.core.validators import RegexValidator
from django.db import models

from ..choices import SystemKind

code_validator = RegexValidator(r"^[a-z0-9][a-z0-9_-]{0,39}$", "Lower-case letters, digits, '-' and '_' only.")


class SourceSystem(models.Model):
    """A system the hub exchanges records with (an ERP, a support platform, a CRM)."""

    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=SystemKind.choices)
    connector_type = models.CharField(max_length=40, default="api", help_text="'api' systems push to the hub.")
    settings = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    trust_rank = models.PositiveIntegerField(default=100, help_text="Lower is more trusted; breaks ties in rules.")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_hint = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
