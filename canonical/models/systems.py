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
    # Platform connectors: where the system is, how to sign in (encrypted, see connectors/credentials.py), how often
    # its change feed is read, and installation-specific field names over the platform's default mapping.
    base_url = models.URLField(
        max_length=300, blank=True, help_text="The platform's API root; outbound requests go nowhere else."
    )
    credentials_encrypted = models.TextField(blank=True, editable=False)
    pull_interval_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Read the system's change feed this often; empty: never (webhooks only)."
    )
    mapping = models.JSONField(
        default=dict,
        blank=True,
        help_text='Overrides of the connector\'s field mapping, e.g. {"customer": {"fields": {"tax_id": '
        '"organization_fields.vat"}}}.',
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def credentials(self) -> dict:
        from connectors.credentials import decrypt

        return decrypt(self.credentials_encrypted)

    @credentials.setter
    def credentials(self, value: dict) -> None:
        from connectors.credentials import encrypt

        self.credentials_encrypted = encrypt(value)
