"""Reads. Each returns values or querysets; none writes."""

from django.db.models import QuerySet

from .models import GOLDEN_MODELS, ChangeLog, CrossReference, GoldenRecord, OwnershipRule, SourceSystem
from .survivorship import Rule


def rules_for(entity: str) -> dict[str, Rule]:
    return {row.attribute: row.as_rule() for row in OwnershipRule.objects.filter(entity=entity)}


def system_get(code: str) -> SourceSystem | None:
    return SourceSystem.objects.filter(code=code).first()


def golden_get(entity: str, golden_id: str) -> GoldenRecord | None:
    """The golden record with this ID, following merges to the survivor."""
    model = GOLDEN_MODELS[entity]
    seen: set[str] = set()
    record = model.objects.filter(id=golden_id).first()
    while record is not None and record.merged_into_id and record.merged_into_id not in seen:
        seen.add(record.id)
        record = model.objects.filter(id=record.merged_into_id).first()
    return record


def golden_links(golden_ids: list[str]) -> dict[str, list[dict]]:
    """Every (system, local ID) linked to each golden ID."""
    links: dict[str, list[dict]] = {gid: [] for gid in golden_ids}
    rows = (
        CrossReference.objects.filter(golden_id__in=golden_ids)
        .order_by("system__code", "local_id")
        .values_list("golden_id", "system__code", "local_id", "method", "created_at")
    )
    for golden_id, system, local_id, method, created in rows:
        links[golden_id].append({"system": system, "local_id": local_id, "method": method, "linked_at": created})
    return links


def xref_lookup(system_code: str, entity: str, local_id: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The golden ID a local ID names and every (system, local ID) of that golden record, in one query."""
    rows = list(
        CrossReference.objects.filter(
            entity=entity,
            golden_id__in=CrossReference.objects.filter(
                system__code=system_code, entity=entity, local_id=local_id
            ).values("golden_id"),
        )
        .order_by("system__code", "local_id")
        .values_list("golden_id", "system__code", "local_id")
    )
    if not rows:
        return None, []
    return rows[0][0], [(system, lid) for _, system, lid in rows]


def xref_resolve(system: SourceSystem, entity: str, local_ids: list[str]) -> dict[str, tuple[str, list]]:
    """For many local IDs of one system: local ID -> (golden ID, [(system, local ID), ...])."""
    golden_of = dict(
        CrossReference.objects.filter(system=system, entity=entity, local_id__in=local_ids).values_list(
            "local_id", "golden_id"
        )
    )
    links: dict[str, list] = {gid: [] for gid in golden_of.values()}
    if links:
        rows = CrossReference.objects.filter(entity=entity, golden_id__in=list(links)).values_list(
            "golden_id", "system__code", "local_id"
        )
        for golden_id, code, local_id in rows:
            links[golden_id].append((code, local_id))
    return {lid: (gid, links[gid]) for lid, gid in golden_of.items()}


def changes_after(cursor: int, limit: int) -> QuerySet[ChangeLog]:
    return ChangeLog.objects.filter(id__gt=cursor).order_by("id")[:limit]
