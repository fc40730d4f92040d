"""The ingest API's write: one record, with Idempotency-Key semantics, in one transaction."""

import hashlib
import json

from django.db import transaction

from mdmhub.problems import HubError

from ..choices import Outcome
from ..db import lock_keys
from ..models import IdempotencyKey, SourceSystem
from .ingest import IngestItem, ingest_in_transaction


def request_fingerprint(*parts: object) -> str:
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def source_record_put(
    *, system: SourceSystem, entity: str, item: IngestItem, idempotency_key: str = "", fingerprint: str = ""
) -> tuple[int, dict]:
    """Ingest one record. A repeated Idempotency-Key with the same body answers as the first time; another body, 422."""
    with transaction.atomic(durable=True):
        if idempotency_key:
            lock_keys([f"idem:{system.pk}:{idempotency_key}"])
            seen = IdempotencyKey.objects.filter(system=system, key=idempotency_key).first()
            if seen is not None:
                if seen.request_hash != fingerprint:
                    raise HubError(
                        "This Idempotency-Key was used with a different request.",
                        status=422,
                        title="Idempotency key reused",
                        errors={"Idempotency-Key": ["was used before with another request body or path"]},
                    )
                return seen.status_code, seen.response
        [result] = ingest_in_transaction(system=system, entity=entity, items=[item])
        body = {"entity": entity, **result.as_dict()}
        status = 201 if result.outcome == Outcome.CREATED else 200
        if idempotency_key:
            IdempotencyKey.objects.create(
                system=system, key=idempotency_key, request_hash=fingerprint, status_code=status, response=body
            )
    return status, body
