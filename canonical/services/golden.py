"""Recompute golden records from their linked source records, and write what changed with history and change log."""

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from connectors.services.outbox import deliveries_fan_out
from mdmhub.correlation import get_correlation_id

from ..choices import ChangeAction, ConflictState
from ..db import bulk_update_fast, copy_insert, copy_insert_history, lock_changelog
from ..history import history_user
from ..models import GOLDEN_MODELS, ChangeLog, Conflict, CrossReference, GoldenRecord, PendingReference, SourceSystem
from ..schema import REFERENCES, attribute_names
from ..selectors import references_resolve, rules_for
from ..survivorship import ConflictFinding, SourceValues, survive

_NOT_UPDATED = {"id", "created_at"}


class _Link(NamedTuple):
    golden_id: str
    local_id: str
    system: SourceSystem


class _Record(NamedTuple):
    """What survivorship reads of a source record."""

    pk: int
    system_id: int
    attributes: dict
    references: dict
    source_updated_at: datetime | None


def _stored_links(entity: str, golden_ids: list[str]) -> list[tuple[_Link, _Record]]:
    """The links and source records of these golden records as plain tuples: model instances cost more to make
    than the survivorship that reads them (Django sends two signals per instance)."""
    if not golden_ids:
        return []
    rows = CrossReference.objects.filter(
        entity=entity, golden_id__in=golden_ids, source_record__isnull=False
    ).values_list(
        "golden_id", "local_id", "system_id", "source_record_id", "source_record__attributes",
        "source_record__references", "source_record__source_updated_at",
    )  # fmt: skip
    rows = list(rows)
    systems = SourceSystem.objects.in_bulk({row[2] for row in rows})
    return [
        (_Link(golden_id, local_id, systems[system_id]), _Record(record_id, system_id, attributes, references, at))
        for golden_id, local_id, system_id, record_id, attributes, references, at in rows
    ]


def _fresh_links(ids: list[str], fresh: dict[str, list[CrossReference]]) -> list[tuple[_Link, _Record]]:
    return [
        (
            _Link(link.golden_id, link.local_id, link.system),
            _Record(sr.pk, sr.system_id, sr.attributes, sr.references, sr.source_updated_at),
        )
        for gid in ids
        if gid in fresh
        for link in fresh[gid]
        if (sr := link.source_record) is not None
    ]


class GoldenRecompute:
    """One pass of survivorship over a set of golden records of one entity, inside the caller's transaction."""

    def __init__(self, *, entity: str, cause_system: str = "", correlation_id: str = "", reason: str = "") -> None:
        self.entity = entity
        self.model = GOLDEN_MODELS[entity]
        self.cause_system = cause_system
        self.correlation_id = correlation_id
        self.reason = reason or (f"ingest from {cause_system}" if cause_system else "recompute")
        self.goldens: dict[str, GoldenRecord] = {}
        self.created: set[str] = set()
        self.updated: set[str] = set()
        self._conflicts: dict[int, list[dict]] = defaultdict(list)
        self._pending: dict[int, list[str]] = defaultdict(list)
        self._golden_of_record: dict[int, str] = {}

    def conflicts_of(self, record_id: int) -> list[dict]:
        return self._conflicts.get(record_id, [])

    def pending_of(self, record_id: int) -> list[str]:
        return self._pending.get(record_id, [])

    def run(
        self,
        golden_ids: set[str],
        fresh: dict[str, list[CrossReference]] | None = None,
        locked: dict[str, GoldenRecord] | None = None,
    ) -> None:
        """Recompute ``golden_ids``. ``fresh`` holds the links of golden IDs made in this transaction, which have
        no other links yet, so they need not be read back; ``locked``, golden records the caller has already read
        ``FOR UPDATE`` in this transaction (a merge), so they need not be read again."""
        ids = sorted(golden_ids)
        if not ids:
            return
        fresh, locked = fresh or {}, locked or {}
        stored = [gid for gid in ids if gid not in fresh]
        existing = {gid: locked[gid] for gid in stored if gid in locked}
        if unread := [gid for gid in stored if gid not in locked]:
            existing.update(
                (g.id, g) for g in self.model.objects.select_for_update().filter(id__in=unread).order_by("id")
            )
        by_golden: dict[str, list[tuple[_Link, _Record]]] = defaultdict(list)
        for link, record in _stored_links(self.entity, stored) + _fresh_links(ids, fresh):
            by_golden[link.golden_id].append((link, record))
            self._golden_of_record[record.pk] = link.golden_id
        records = [sr for pairs in by_golden.values() for _, sr in pairs]
        ref_values = self._resolve_references(records)
        rules = rules_for(self.entity)
        names = attribute_names(self.entity)

        creates, updates, changes, findings = [], [], [], []
        now = timezone.now()
        for golden_id in ids:
            pairs = by_golden.get(golden_id)
            if not pairs:
                continue  # a golden record with no source left keeps its last values
            sources = [
                SourceValues(
                    system=link.system.code,
                    system_kind=link.system.kind,
                    trust_rank=link.system.trust_rank,
                    local_id=link.local_id,
                    record_id=sr.pk,
                    updated_at=sr.source_updated_at,
                    attributes={**sr.attributes, **ref_values.get(sr.pk, {})},
                )
                for link, sr in pairs
            ]
            survived = survive(names, sources, rules)
            findings.extend(survived.conflicts)
            golden = existing.get(golden_id)
            is_new = golden is None
            if is_new:
                golden = self.model(id=golden_id, version=1)
            changed = golden.apply_attributes(survived.values)
            lineage_changed = golden.lineage != survived.lineage
            golden.lineage = survived.lineage
            golden.updated_at = now
            self.goldens[golden_id] = golden
            cause = next((link.local_id for link, _ in pairs if link.system.code == self.cause_system), "")
            if is_new:
                golden.created_at = now
                creates.append(golden)
                self.created.add(golden_id)
                changes.append(self._change(golden, ChangeAction.CREATE, changed, cause))
            elif changed:
                golden.version += 1
                updates.append(golden)
                self.updated.add(golden_id)
                changes.append(self._change(golden, ChangeAction.UPDATE, changed, cause))
            elif lineage_changed:
                updates.append(golden)

        self._write(creates, updates, changes)
        self._sync_conflicts([sr.pk for sr in records], findings)
        self._sync_pending(records)

    def _change(self, golden: GoldenRecord, action: str, changed: list[str], local_id: str) -> ChangeLog:
        return golden_change(
            golden, action, changed, system=self.cause_system, local_id=local_id, correlation_id=self.correlation_id
        )

    def _write(self, creates: list, updates: list, changes: list[ChangeLog]) -> None:
        user = history_user()
        user_id = user.pk if user else None
        if creates:
            copy_insert(self.model, creates)
            copy_insert_history(self.model, creates, history_type="+", reason=self.reason, user_id=user_id)
        if updates:
            fields = [f.name for f in self.model._meta.concrete_fields if f.name not in _NOT_UPDATED]
            bulk_update_fast(self.model, updates, fields)
            copy_insert_history(self.model, updates, history_type="~", reason=self.reason, user_id=user_id)
        changes_append(changes)

    def _resolve_references(self, records: list["_Record"]) -> dict[int, dict]:
        """Turn each record's references (local IDs in its own system) into golden IDs."""
        if not REFERENCES[self.entity]:
            return {}
        values: dict[int, dict] = {}
        resolved_all = references_resolve([(sr.system_id, sr.references) for sr in records])
        for sr, resolved in zip(records, resolved_all, strict=True):
            for ref_entity, golden_id in resolved.items():
                if golden_id is None:
                    self._pending[sr.pk].append(ref_entity)
            values[sr.pk] = resolved
        return values

    def _sync_pending(self, records: list["_Record"]) -> None:
        """Make the held references of these records exactly what is still unresolved, in three queries."""
        if not REFERENCES[self.entity] or not records:
            return
        by_id = {sr.pk: sr for sr in records}
        desired = {
            (record_id, ref): by_id[record_id].references[ref]
            for record_id, refs in self._pending.items()
            if record_id in by_id
            for ref in refs
        }
        existing = {
            (row.source_record_id, row.entity): row
            for row in PendingReference.objects.filter(source_record_id__in=by_id)
        }
        # A row naming another local ID than the record now does is stale too: the reference changed.
        stale = [row.pk for key, row in existing.items() if desired.get(key) != row.local_id]
        if stale:
            PendingReference.objects.filter(pk__in=stale).delete()
        PendingReference.objects.bulk_create(
            [
                PendingReference(
                    source_record_id=record_id, system_id=by_id[record_id].system_id, entity=ref, local_id=local_id
                )
                for (record_id, ref), local_id in desired.items()
                if (record_id, ref) not in existing or existing[(record_id, ref)].pk in stale
            ]
        )

    def _sync_conflicts(self, record_ids: list[int], findings: list[ConflictFinding]) -> None:
        """Open conflicts for new findings, refresh changed ones, resolve those that no longer hold."""
        desired = {(f.record_id, f.attribute): f for f in findings}
        open_rows = (
            Conflict.objects.filter(source_record_id__in=record_ids, state=ConflictState.OPEN) if record_ids else []
        )
        now = timezone.now()
        stale_rows, refreshed = [], []
        for row in open_rows:
            finding = desired.pop((row.source_record_id, row.attribute), None)
            if finding is None:
                row.state, row.resolved_at, row.note = ConflictState.RESOLVED, now, "no longer in conflict"
                stale_rows.append(row)
            elif row.proposed_value != finding.proposed or row.golden_value != finding.golden:
                row.proposed_value, row.golden_value, row.reason = finding.proposed, finding.golden, finding.reason
                refreshed.append(row)
            if finding is not None:
                self._conflicts[row.source_record_id].append(_conflict_view(finding))
        if stale_rows:
            bulk_update_fast(Conflict, stale_rows, ["state", "resolved_at", "note"])
        if refreshed:
            bulk_update_fast(Conflict, refreshed, ["proposed_value", "golden_value", "reason"])
        if desired:
            # A steward's dismissal holds while both sides stay as they were when it was dismissed.
            dismissed = Conflict.objects.filter(
                source_record_id__in=[key[0] for key in desired], state=ConflictState.DISMISSED
            ).values_list("source_record_id", "attribute", "proposed_value", "golden_value")
            for record_id, attribute, proposed, golden in dismissed:
                finding = desired.get((record_id, attribute))
                if finding is not None and (finding.proposed, finding.golden) == (proposed, golden):
                    del desired[(record_id, attribute)]
        new_rows = []
        for (record_id, attribute), finding in desired.items():
            new_rows.append(
                Conflict(
                    entity=self.entity,
                    golden_id=self._golden_of_record[record_id],
                    attribute=attribute,
                    source_record_id=record_id,
                    proposed_value=finding.proposed,
                    golden_value=finding.golden,
                    reason=finding.reason,
                )
            )
            self._conflicts[record_id].append(_conflict_view(finding))
        if new_rows:
            Conflict.objects.bulk_create(new_rows)


def _conflict_view(finding: ConflictFinding) -> dict:
    return {
        "attribute": finding.attribute,
        "proposed": finding.proposed,
        "golden": finding.golden,
        "reason": finding.reason,
    }


def pending_references_settle(
    *, system_id: int | None = None, entity: str | None = None, local_ids: list[str] | None = None, cause: str = ""
) -> int:
    """Recompute records whose referenced record has arrived. Without arguments, settles every resolvable one."""
    if entity is not None and not any(entity in refs for refs in REFERENCES.values()):
        return 0
    pending = PendingReference.objects.all()
    if local_ids is not None:
        if not local_ids:
            return 0
        pending = pending.filter(system_id=system_id, entity=entity, local_id__in=local_ids)
    else:
        pending = pending.filter(
            Exists(
                CrossReference.objects.filter(
                    system_id=OuterRef("system_id"), entity=OuterRef("entity"), local_id=OuterRef("local_id")
                )
            )
        )
    by_entity: dict[str, set[str]] = defaultdict(set)
    for dependent_entity, golden_id in pending.values_list("source_record__entity", "source_record__xref__golden_id"):
        if golden_id:
            by_entity[dependent_entity].add(golden_id)
    for dependent_entity, golden_ids in sorted(by_entity.items()):
        GoldenRecompute(entity=dependent_entity, cause_system=cause, reason="referenced record arrived").run(golden_ids)
    return sum(len(ids) for ids in by_entity.values())


RECOMPUTE_BATCH = 500


def goldens_recompute_batch(*, entity: str, after_id: str = "", reason: str) -> str | None:
    """Recompute the next batch of live golden records of ``entity`` with IDs after ``after_id``.

    Returns the last ID done, or None when there is nothing left. One transaction per batch keeps locks short.
    """
    model = GOLDEN_MODELS[entity]
    with transaction.atomic(durable=True):
        ids = list(
            model.objects.filter(merged_into__isnull=True, id__gt=after_id)
            .order_by("id")
            .values_list("id", flat=True)[:RECOMPUTE_BATCH]
        )
        if not ids:
            return None
        GoldenRecompute(entity=entity, reason=reason).run(set(ids))
    return ids[-1]


def golden_change(
    golden: GoldenRecord,
    action: str,
    changed: list[str],
    *,
    system: str = "",
    local_id: str = "",
    correlation_id: str = "",
    extra: dict | None = None,
) -> ChangeLog:
    """A change-log row for a golden record as it is now; ``extra`` adds keys such as ``merged_into``."""
    return ChangeLog(
        entity=golden.ENTITY,
        golden_id=golden.id,
        version=golden.version,
        action=action,
        changed=sorted(changed),
        data={**golden.to_attributes(), **(extra or {})},
        system=system,
        local_id=local_id,
        correlation_id=correlation_id or get_correlation_id(),
    )


def changes_append(changes: list[ChangeLog]) -> None:
    """Append to the change log under the lock that keeps its IDs in commit order (see canonical.db), and open
    the deliveries of each change to its subscribers, in the same transaction (the outbox)."""
    if changes:
        lock_changelog()
        copy_insert(ChangeLog, changes)
        deliveries_fan_out(changes)
