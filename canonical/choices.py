from django.db import models


class Entity(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    CONTACT = "contact", "Contact"
    ENTITLEMENT = "entitlement", "Entitlement"
    CONTRACT = "contract", "Contract"


class SystemKind(models.TextChoices):
    ERP = "erp", "ERP"
    SUPPORT = "support", "Support platform"
    CRM = "crm", "CRM"


class CustomerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class CreditStatus(models.TextChoices):
    OK = "ok", "OK"
    HOLD = "hold", "On hold"
    BLOCKED = "blocked", "Blocked"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


class TermStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class EntitlementKind(models.TextChoices):
    WARRANTY = "warranty", "Warranty"
    SUPPORT = "support", "Support"
    SUBSCRIPTION = "subscription", "Subscription"


class ContributorAction(models.TextChoices):
    ACCEPT = "accept", "Accept if most recent"
    REVIEW = "review", "Open a steward task"
    IGNORE = "ignore", "Record and ignore"


class Strategy(models.TextChoices):
    SOURCE_RANK = "source_rank", "Source rank"
    MOST_RECENT = "most_recent", "Most recent"
    MOST_COMPLETE = "most_complete", "Most complete"


class Outcome(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    STALE = "stale", "Stale"
    CONFLICT = "conflict", "Conflict"


class ChangeAction(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    MERGE = "merge", "Merge"
    UNMERGE = "unmerge", "Unmerge"
    RETIRE = "retire", "Retire"


class ConflictState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class ConflictReason(models.TextChoices):
    NOT_AUTHORIZED = "not_authorized", "System may not write this attribute"
    REVIEW = "review", "Contributor change awaits review"
