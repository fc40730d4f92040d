"""Reads. Each returns values or querysets; none writes."""

import time
from collections import defaultdict

from django.db import connection
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


_systems: tuple[float, dict[str, int], dict[int, str]] = (0.0, {}, {})


def system_codes(*, refresh: bool = False) -> tuple[dict[str, int], dict[int, str]]:
    """(code -> id, id -> code) of all source systems, cached per process for a few seconds.

    Codes cannot be renamed (admin) nor systems deleted, and they are few, so hot read paths skip a join.
    """
    global _systems
    expires, by_code, by_id = _systems
    if refresh or expires < time.monotonic():
        pairs = list(SourceSystem.objects.values_list("code", "id"))
        by_code, by_id = dict(pairs), {pk: code for code, pk in pairs}
        _systems = (time.monotonic() + 10, by_code, by_id)
    return by_code, by_id


def system_id_of(code: str) -> int | None:
    by_code, _ = system_codes()
    if code not in by_code:
        by_code, _ = system_codes(refresh=True)  # a system added since the cache was filled
    return by_code.get(code)


def system_code_of(system_id: int) -> str:
    _, by_id = system_codes()
    if system_id not in by_id:
        _, by_id = system_codes(refresh=True)
    return by_id.get(system_id, str(system_id))


def forget_systems() -> None:
    global _systems
    _systems = (0.0, {}, {})


def xref_lookup(system_code: str, entity: str, local_id: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The golden ID a local ID names and every (system, local ID) of that golden record, in one query.

    Raw SQL: this is the hub's hottest read, and building the ORM query cost more than running it.
    """
    system_id = system_id_of(system_code)
    if system_id is None:
        return None, []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT golden_id, system_id, local_id FROM canonical_crossreference"
            " WHERE entity = %s AND golden_id = (SELECT golden_id FROM canonical_crossreference"
            " WHERE system_id = %s AND entity = %s AND local_id = %s)",
            [entity, system_id, entity, local_id],
        )
        rows = cursor.fetchall()
    if not rows:
        return None, []
    links = sorted((system_code_of(sid), lid) for _, sid, lid in rows)
    return rows[0][0], links


def xref_resolve(system: SourceSystem, entity: str, local_ids: list[str]) -> dict[str, tuple[str, list]]:
    """For many local IDs of one system: local ID -> (golden ID, [(system, local ID), ...]), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH wanted AS (SELECT local_id, golden_id FROM canonical_crossreference"
            " WHERE system_id = %s AND entity = %s AND local_id = ANY(%s))"
            " SELECT w.local_id, w.golden_id, x.system_id, x.local_id FROM wanted w"
            " JOIN canonical_crossreference x ON x.golden_id = w.golden_id AND x.entity = %s",
            [system.pk, entity, local_ids, entity],
        )
        rows = cursor.fetchall()
    found: dict[str, tuple[str, list]] = {}
    for local_id, golden_id, system_id, other_local_id in rows:
        entry = found.setdefault(local_id, (golden_id, []))
        entry[1].append((system_code_of(system_id), other_local_id))
    return found


def changes_after(cursor: int, limit: int) -> QuerySet[ChangeLog]:
    return ChangeLog.objects.filter(id__gt=cursor).order_by("id")[:limit]


def references_resolve(records: list[tuple[int, dict]]) -> list[dict[str, str | None]]:
    """For (system ID, references) pairs, each reference's golden ID (None while the target is unknown): one query
    per (system, referenced entity)."""
    wanted: dict[tuple[int, str], set[str]] = defaultdict(set)
    for system_id, references in records:
        for ref_entity, local_id in references.items():
            wanted[(system_id, ref_entity)].add(local_id)
    found: dict[tuple[int, str, str], str] = {}
    for (system_id, ref_entity), local_ids in wanted.items():
        rows = CrossReference.objects.filter(system_id=system_id, entity=ref_entity, local_id__in=local_ids)
        for local_id, golden_id in rows.values_list("local_id", "golden_id"):
            found[(system_id, ref_entity, local_id)] = golden_id
    return [
        {ref_entity: found.get((system_id, ref_entity, local_id)) for ref_entity, local_id in references.items()}
        for system_id, references in records
    ]
