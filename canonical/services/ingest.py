"""Ingest: one or many source records of one system and entity, through the same rules.

Steps per batch (one transaction, see DESIGN.md): upsert source records (unchanged / stale / changed), link new
ones to golden records through matching, recompute survivorship of every touched golden record, save goldens
with history, append the change log, and settle references that arrived before their target.
"""

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from matching.services import Prepared, identify_batch, prepare
from matching.services.identify import probabilistic
from matching.services.index import records_index
from matching.services.review import review_tasks_open
from mdmhub.correlation import get_correlation_id

from ..choices import Outcome
from ..db import bulk_update_fast, copy_insert, copy_insert_history, lock_keys
from ..history import history_user
from ..ids import new_golden_id
from ..models import CrossReference, SourceRecord, SourceSystem, StaleUpdate
from ..selectors import references_resolve
from .golden import GoldenRecompute, pending_references_settle


@dataclass(frozen=True)
class IngestItem:
    """One record as a system sent it, already validated into canonical form."""

    local_id: str
    attributes: dict
    references: dict = field(default_factory=dict)
    source_updated_at: datetime | None = None
    raw: dict | None = None


@dataclass
class IngestResult:
    local_id: str
    outcome: str
    golden_id: str | None = None
    version: int | None = None
    conflicts: list[dict] = field(default_factory=list)
    pending_references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "local_id": self.local_id,
            "outcome": self.outcome,
            "golden_id": self.golden_id,
            "version": self.version,
            "conflicts": self.conflicts,
            "pending_references": self.pending_references,
        }


def content_hash(attributes: dict, references: dict) -> str:
    blob = json.dumps({"a": attributes, "r": references}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def source_records_ingest(*, system: SourceSystem, entity: str, items: Sequence[IngestItem]) -> list[IngestResult]:
    """Ingest records of one system and entity in one transaction; answers one result per item, in order."""
    with transaction.atomic(durable=True):
        return ingest_in_transaction(system=system, entity=entity, items=items)


def ingest_in_transaction(*, system: SourceSystem, entity: str, items: Sequence[IngestItem]) -> list[IngestResult]:
    """The body of ``source_records_ingest`` for callers that own the transaction (bulk import)."""
    results: list[IngestResult] = []
    for chunk in _without_repeats(items):
        results.extend(_ingest_chunk(system, entity, chunk))
    return results


def _without_repeats(items: Sequence[IngestItem]) -> Iterator[list[IngestItem]]:
    """Split so each chunk names a local ID once; a repeat is applied after the first, in order."""
    chunk: list[IngestItem] = []
    seen: set[str] = set()
    for item in items:
        if item.local_id in seen:
            yield chunk
            chunk, seen = [], set()
        chunk.append(item)
        seen.add(item.local_id)
    if chunk:
        yield chunk


def _ingest_chunk(system: SourceSystem, entity: str, items: list[IngestItem]) -> list[IngestResult]:
    now = timezone.now()
    correlation_id = get_correlation_id()
    customers = [""] * len(items)
    if probabilistic(entity):  # a contact's customer is matching evidence
        resolved = references_resolve([(system.pk, item.references) for item in items])
        customers = [refs.get("customer") or "" for refs in resolved]
    prepared = {
        item.local_id: prepare(entity, item.attributes, customer)
        for item, customer in zip(items, customers, strict=True)
    }
    lock_keys(
        [f"sr:{system.pk}:{entity}:{item.local_id}" for item in items]
        + [key for p in prepared.values() for key in p.lock_keys]
    )
    local_ids = [item.local_id for item in items]
    existing = {
        sr.local_id: sr for sr in SourceRecord.objects.filter(system=system, entity=entity, local_id__in=local_ids)
    }
    xrefs = {x.local_id: x for x in CrossReference.objects.filter(system=system, entity=entity, local_id__in=local_ids)}

    results: dict[str, IngestResult] = {}
    to_create: list[SourceRecord] = []
    to_update: list[SourceRecord] = []
    touched_only: list[SourceRecord] = []
    stale: list[StaleUpdate] = []
    changed_attrs: dict[str, set[str]] = {}
    for item in items:
        digest = content_hash(item.attributes, item.references)
        when = item.source_updated_at or now
        record = existing.get(item.local_id)
        golden_id = xrefs[item.local_id].golden_id if item.local_id in xrefs else None
        if record is not None and record.source_updated_at and when < record.source_updated_at:
            stale.append(
                StaleUpdate(
                    source_record=record,
                    attributes=item.attributes,
                    references=item.references,
                    source_updated_at=when,
                    correlation_id=correlation_id,
                )
            )
            results[item.local_id] = IngestResult(item.local_id, Outcome.STALE, golden_id)
            continue
        if record is not None and record.content_hash == digest:
            if record.source_updated_at is None or when > record.source_updated_at:
                record.source_updated_at = when
                touched_only.append(record)
            results[item.local_id] = IngestResult(item.local_id, Outcome.UNCHANGED, golden_id)
            continue
        if record is None:
            record = SourceRecord(system=system, entity=entity, local_id=item.local_id)
            to_create.append(record)
            changed_attrs[item.local_id] = set(item.attributes) | set(item.references)
        else:
            to_update.append(record)
            before = {**record.attributes, **record.references}
            after = {**item.attributes, **item.references}
            changed_attrs[item.local_id] = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        record.attributes = item.attributes
        record.references = item.references
        record.raw = item.raw if item.raw is not None else {}
        record.source_updated_at = when
        record.content_hash = digest
        record.updated_at = now

    if stale:
        StaleUpdate.objects.bulk_create(stale)
    if touched_only:
        bulk_update_fast(SourceRecord, touched_only, ["source_updated_at", "updated_at"])
    if to_update:
        bulk_update_fast(
            SourceRecord,
            to_update,
            ["attributes", "references", "raw", "source_updated_at", "content_hash", "updated_at"],
        )
    copy_insert(SourceRecord, to_create)
    # A record the hub created in the system (delivery) has a cross-reference before the system ever sent it: the
    # first time the system reports it, the link gains its source record, so survivorship sees the system's values.
    adopted = [
        xrefs[r.local_id] for r in to_create if r.local_id in xrefs and xrefs[r.local_id].source_record_id is None
    ]
    for xref in adopted:
        xref.source_record_id = next(r.pk for r in to_create if r.local_id == xref.local_id)
    if adopted:
        bulk_update_fast(CrossReference, adopted, ["source_record_id"])

    changed = to_create + to_update
    if not changed:
        return [results[item.local_id] for item in items]

    unlinked = [r for r in changed if r.local_id not in xrefs]
    new_links, fresh, features = _link_unlinked(system, entity, unlinked, xrefs, prepared)
    new_ids = {r.local_id for r in unlinked}
    records_index(entity=entity, items=[(r, xrefs[r.local_id].golden_id, features[r.pk]) for r in unlinked], fresh=True)
    records_index(
        entity=entity,
        items=[(r, xrefs[r.local_id].golden_id, None) for r in changed if r.local_id not in new_ids],
        fresh=False,
    )
    recompute = GoldenRecompute(entity=entity, cause_system=system.code, correlation_id=correlation_id)
    recompute.run({xrefs[r.local_id].golden_id for r in changed}, fresh=fresh)
    pending_references_settle(
        system_id=system.pk, entity=entity, local_ids=[x.local_id for x in new_links], cause=system.code
    )

    for record in changed:
        golden_id = xrefs[record.local_id].golden_id
        golden = recompute.goldens.get(golden_id)
        conflicts = recompute.conflicts_of(record.pk)
        pending = recompute.pending_of(record.pk)
        if golden_id in recompute.created:
            outcome = Outcome.CREATED
        elif any(c["attribute"] in changed_attrs[record.local_id] for c in conflicts):
            outcome = Outcome.CONFLICT
        elif golden_id in recompute.updated or record.local_id in new_ids:
            outcome = Outcome.UPDATED
        else:
            outcome = Outcome.UNCHANGED
        results[record.local_id] = IngestResult(
            record.local_id, outcome, golden_id, golden.version if golden else None, conflicts, pending
        )
    return [results[item.local_id] for item in items]


def _link_unlinked(
    system: SourceSystem,
    entity: str,
    records: list[SourceRecord],
    xrefs: dict[str, CrossReference],
    prepared: dict[str, Prepared],
) -> tuple[list[CrossReference], dict[str, list[CrossReference]], dict[int, object]]:
    """Give records without a cross-reference one, through identity matching, and open review tasks for
    probable duplicates.

    Returns the new links, the links of golden IDs created here (which no stored record links to yet), and the
    normalised features the matcher computed per record ID.
    """
    if not records:
        return [], {}, {}
    found = identify_batch(entity, [(r.pk, prepared[r.local_id]) for r in records], lambda: new_golden_id(entity))
    links = [
        CrossReference(
            system=system,
            entity=entity,
            local_id=record.local_id,
            golden_id=match.golden_id,
            source_record=record,
            method=match.method,
            score=match.score,
        )
        for record, match in zip(records, found, strict=True)
    ]
    copy_insert(CrossReference, links)
    user = history_user()
    copy_insert_history(
        CrossReference, links, history_type="+", reason="linked on ingest", user_id=user.pk if user else None
    )
    new_goldens = {match.golden_id for match in found if match.is_new}
    fresh: dict[str, list[CrossReference]] = {}
    for link in links:
        xrefs[link.local_id] = link
        if link.golden_id in new_goldens:
            fresh.setdefault(link.golden_id, []).append(link)
    reviews = [(r.pk, m.golden_id, m.review) for r, m in zip(records, found, strict=True) if m.review is not None]
    review_tasks_open(entity=entity, proposals=reviews)
    return links, fresh, {r.pk: m.features for r, m in zip(records, found, strict=True)}
