from .api import IdempotencyKey, ImportBatch, ImportJob
from .changes import ChangeLog
from .golden import GOLDEN_MODELS, Contact, Contract, Customer, Entitlement, GoldenRecord
from .records import Conflict, CrossReference, PendingReference, SourceRecord, StaleUpdate
from .rules import OwnershipRule
from .systems import SourceSystem

__all__ = [
    "GOLDEN_MODELS",
    "ChangeLog",
    "Conflict",
    "Contact",
    "Contract",
    "CrossReference",
    "Customer",
    "Entitlement",
    "GoldenRecord",
    "IdempotencyKey",
    "ImportBatch",
    "ImportJob",
    "OwnershipRule",
    "PendingReference",
    "SourceRecord",
    "SourceSystem",
    "StaleUpdate",
]
