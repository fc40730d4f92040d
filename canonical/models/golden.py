"""Golden records: one row per real-world customer, contact, entitlement and contract."""

from datetime import date
from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from matching.normalize import code_key, email_key, tax_id_key

from ..choices import CreditStatus, CustomerKind, EntitlementKind, Entity, Status, TermStatus
from ..history import history_user
from ..ids import new_golden_id
from ..schema import ADDRESS_PARTS, ATTRIBUTES, REFERENCES


class GoldenRecord(models.Model):
    """Shared shape of golden records: opaque ID, version, lineage, merge pointer."""

    ENTITY: str = ""

    id = models.CharField(primary_key=True, max_length=32, editable=False)
    version = models.PositiveIntegerField(default=1)
    lineage = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self.id:
            self.id = new_golden_id(self.ENTITY)
        super().save(*args, **kwargs)

    # --- canonical attributes <-> model fields -------------------------------------------------
    def to_attributes(self) -> dict:
        """The golden values in the canonical JSON shape used by source records and the API."""
        out: dict = {}
        for name, spec in ATTRIBUTES[self.ENTITY].items():
            if spec.kind == "address":
                parts = {p: getattr(self, f"address_{p}") for p in ADDRESS_PARTS}
                out[name] = {p: v for p, v in parts.items() if v} or None
                continue
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            out[name] = value if value not in ("", None) else None
        for ref in REFERENCES[self.ENTITY]:
            out[ref] = getattr(self, f"{ref}_id")
        return out

    def apply_attributes(self, values: dict) -> list[str]:
        """Set fields from canonical values; returns the attribute names that changed."""
        current = self.to_attributes()
        changed = [name for name, value in values.items() if current.get(name) != value]
        for name in changed:
            self._set_attribute(name, values[name])
        if changed:
            self.refresh_keys()
        return changed

    def _set_attribute(self, name: str, value: object) -> None:
        if name in REFERENCES[self.ENTITY]:
            setattr(self, f"{name}_id", value)
            return
        spec = ATTRIBUTES[self.ENTITY][name]
        if spec.kind == "address":
            value = value or {}
            for part in ADDRESS_PARTS:
                setattr(self, f"address_{part}", value.get(part) or "")
        elif spec.kind == "date":
            setattr(self, name, date.fromisoformat(value) if value else None)
        elif spec.kind == "decimal":
            setattr(self, name, Decimal(value) if value is not None else None)
        else:
            setattr(self, name, value or "")

    def refresh_keys(self) -> None:
        """Recompute the normalised identity keys kept beside the values."""


class Customer(GoldenRecord):
    """A golden customer: one real person or organization, whatever systems know it."""

    ENTITY = Entity.CUSTOMER

    kind = models.CharField(max_length=20, choices=CustomerKind.choices, blank=True)
    name = models.CharField(max_length=255, blank=True)
    first_name = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=120, blank=True)
    tax_id = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=255, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    address_line1 = models.CharField(max_length=255, blank=True)
    address_line2 = models.CharField(max_length=255, blank=True)
    address_city = models.CharField(max_length=120, blank=True)
    address_postal_code = models.CharField(max_length=20, blank=True)
    address_region = models.CharField(max_length=120, blank=True)
    address_country = models.CharField(max_length=2, blank=True)
    credit_status = models.CharField(max_length=20, choices=CreditStatus.choices, blank=True)
    credit_limit = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    payment_terms = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    tax_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name or self.id

    @property
    def display_name(self) -> str:
        return self.name or " ".join(p for p in (self.first_name, self.last_name) if p)

    def refresh_keys(self) -> None:
        self.tax_key = tax_id_key(self.tax_id)
        self.email_key = email_key(self.email)


class Contact(GoldenRecord):
    """A golden contact person at a customer."""

    ENTITY = Entity.CONTACT

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    first_name = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=120, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=120, blank=True)
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.email or self.id

    def refresh_keys(self) -> None:
        self.email_key = email_key(self.email)


class Entitlement(GoldenRecord):
    """A golden entitlement: a warranty, support plan or subscription on a product or serial number."""

    ENTITY = Entity.ENTITLEMENT

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="entitlements")
    sku = models.CharField(max_length=80, blank=True)
    serial_number = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=EntitlementKind.choices, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=TermStatus.choices, blank=True)
    identity_key = models.CharField(max_length=210, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sku} {self.serial_number}".strip() or self.id

    def refresh_keys(self) -> None:
        self.identity_key = f"{code_key(self.sku)}:{code_key(self.serial_number)}" if self.serial_number else ""


class Contract(GoldenRecord):
    """A golden service contract with its SLA level and term."""

    ENTITY = Entity.CONTRACT

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(max_length=80, blank=True)
    sla_level = models.CharField(max_length=40, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=TermStatus.choices, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    number_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number or self.id

    def refresh_keys(self) -> None:
        self.number_key = code_key(self.number)


GOLDEN_MODELS: dict[str, type[GoldenRecord]] = {
    Entity.CUSTOMER: Customer,
    Entity.CONTACT: Contact,
    Entity.ENTITLEMENT: Entitlement,
    Entity.CONTRACT: Contract,
}
