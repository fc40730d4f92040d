"""Merge and unmerge golden records, with history, change events and a record of each merge so it can be undone."""

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from canonical.choices import ChangeAction
from canonical.db import bulk_update_fast, copy_insert_history, pg_array
from canonical.ids import new_golden_id
from canonical.models import GOLDEN_MODELS, CrossReference, GoldenRecord
from canonical.schema import REFERENCES
from canonical.services.golden import GoldenRecompute, changes_append, golden_change
from mdmhub.correlation import get_correlation_id
from mdmhub.problems import HubError

from ..models import BlockingKey, Merge, RecordFeatures, ReviewState, ReviewTask
from ..selectors import open_review_pairs


def _locked_live(entity: str, ids: list[str]) -> dict[str, GoldenRecord]:
    model = GOLDEN_MODELS[entity]
    rows = {g.id: g for g in model.objects.select_for_update().filter(id__in=sorted(ids)).order_by("id")}
    for golden_id in ids:
        if golden_id not in rows:
            raise HubError(
                f"No {entity} {golden_id}.", status=404, title="Not found", errors={"golden_id": ["unknown"]}
            )
        if rows[golden_id].merged_into_id:
            raise HubError(
                f"{golden_id} was merged into {rows[golden_id].merged_into_id}.",
                status=409,
                title="Conflict",
                errors={"golden_id": ["already merged away"]},
            )
    return rows


def _move_links(entity: str, moves: list[tuple[CrossReference, str]], method: str, by: str, reason: str) -> None:
    """Point each (link, golden ID) at that golden record, with history, and move the records' matching state."""
    if not moves:
        return
    now = timezone.now()
    for link, to_golden in moves:
        link.golden_id, link.method, link.decided_by, link.updated_at = to_golden, method, by, now
    links = [link for link, _ in moves]
    bulk_update_fast(CrossReference, links, ["golden_id", "method", "decided_by", "updated_at"])
    copy_insert_history(CrossReference, links, history_type="~", reason=reason)
    moved = [(link.source_record_id, link.golden_id) for link in links if link.source_record_id]
    with connection.cursor() as cursor:
        for table in (RecordFeatures._meta.db_table, BlockingKey._meta.db_table):
            cursor.execute(
                f"UPDATE {table} t SET golden_id = v.golden_id"
                " FROM unnest(%s::bigint[], %s::varchar[]) AS v(record_id, golden_id)"
                " WHERE t.source_record_id = v.record_id",
                [pg_array(r for r, _ in moved), pg_array(g for _, g in moved)],
            )


def _recompute_dependents(entity: str, golden_ids: list[str], reason: str) -> None:
    """Records that refer to these (contacts of a customer, ...) resolve their references again."""
    for dependent, refs in REFERENCES.items():
        if entity in refs:
            model = GOLDEN_MODELS[dependent]
            ids = set(model.objects.filter(**{f"{entity}_id__in": golden_ids}).values_list("id", flat=True))
            if ids:
                GoldenRecompute(entity=dependent, reason=reason).run(ids)


def goldens_merge(*, entity: str, survivor_id: str, retired_id: str, user=None, reason: str = "") -> Merge:
    """Merge ``retired_id`` into ``survivor_id``: its links move, it resolves to the survivor from now on."""
    return goldens_merge_many(entity=entity, pairs=[(survivor_id, retired_id)], user=user, reason=reason)[0]


def merges_final(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Each retired ID's final survivor: (A, B) and (B, C) send C to A."""
    into = {}
    for survivor_id, retired_id in pairs:
        if survivor_id == retired_id:
            raise HubError("A record cannot be merged with itself.", errors={"retired_id": ["same as survivor"]})
        if retired_id in into:
            raise HubError(f"{retired_id} is merged twice.", errors={"retired_id": ["merged into two records"]})
        into[retired_id] = survivor_id
    final = {}
    for retired_id in into:
        target, seen = into[retired_id], {retired_id}
        while target in into:
            if target in seen:
                raise HubError("These merges form a cycle.", errors={"pairs": ["form a cycle"]})
            seen.add(target)
            target = into[target]
        final[retired_id] = target
    return final


def goldens_merge_many(
    *, entity: str, pairs: list[tuple[str, str]], user=None, reason: str = "", skip_merged: bool = False
) -> list[Merge]:
    """Merge (survivor, retired) pairs in one transaction: one recompute, one change-log append, one history write.

    A survivor that another pair retires is followed to its final survivor. ``skip_merged`` (batch re-match) drops
    pairs naming a record merged away meanwhile instead of refusing them all.
    """
    by = getattr(user, "username", "") or "system"
    with transaction.atomic(durable=True):
        if skip_merged:  # lock first: another worker may merge one of these until we hold it
            ids = sorted({golden_id for pair in pairs for golden_id in pair})
            locked = GOLDEN_MODELS[entity].objects.select_for_update().filter(id__in=ids).order_by("id")
            gone = {g for g, onward in locked.values_list("id", "merged_into_id") if onward is not None}
            pairs = [(s, r) for s, r in pairs if s not in gone and r not in gone]
        final = merges_final(pairs)
        if not final:
            return []
        goldens = _locked_live(entity, sorted({*final, *final.values()}))
        why = {r: reason or f"merged {r} into {final[r]}" for r in final}
        summary = reason or (next(iter(why.values())) if len(why) == 1 else f"merged {len(why)} golden records")
        links = list(CrossReference.objects.filter(entity=entity, golden_id__in=list(final)).order_by("pk"))
        by_retired: dict[str, list[CrossReference]] = {r: [] for r in final}
        for link in links:
            by_retired[link.golden_id].append(link)
        _move_links(entity, [(link, final[link.golden_id]) for link in links], "merge", by, summary)
        model = GOLDEN_MODELS[entity]
        retired = [goldens[r] for r in final]
        now = timezone.now()
        for golden in retired:
            golden.merged_into_id, golden.version, golden.updated_at = final[golden.id], golden.version + 1, now
        bulk_update_fast(model, retired, ["merged_into", "version", "updated_at"])
        for text in sorted(set(why.values())):
            rows = [g for g in retired if why[g.id] == text]
            copy_insert_history(model, rows, history_type="~", reason=text, user_id=getattr(user, "pk", None))
        survivors = set(final.values())
        recompute = GoldenRecompute(entity=entity, reason=summary, correlation_id=get_correlation_id())
        recompute.run(survivors, locked={g: goldens[g] for g in survivors})
        changes = [golden_change(g, ChangeAction.RETIRE, [], extra={"merged_into": final[g.id]}) for g in retired]
        for survivor_id in sorted(survivors):
            merged = sorted(r for r in final if final[r] == survivor_id)
            survivor = recompute.goldens.get(survivor_id, goldens[survivor_id])
            changes.append(golden_change(survivor, ChangeAction.MERGE, [], extra={"merged": merged}))
        changes_append(changes)
        _recompute_dependents(entity, list(final), summary)
        _review_tasks_follow(final, user, now)
        return Merge.objects.bulk_create(
            Merge(
                entity=entity,
                survivor_id=final[r],
                retired_id=r,
                moved_links=[link.pk for link in by_retired[r]],
                reason=why[r],
                decided_by=user if getattr(user, "pk", None) else None,
            )
            for r in final
        )


def _review_tasks_follow(final: dict[str, str], user, now) -> None:
    """Open review tasks naming a merged-away golden record: settled when the merge joined both sides, else asked
    about the survivor instead (once: a question already open about the same two records makes it obsolete)."""
    tasks = ReviewTask.objects.filter(state=ReviewState.OPEN).filter(
        Q(golden_id__in=list(final)) | Q(candidate_id__in=list(final))
    )
    settled, repointed = [], []
    for task in tasks.order_by("pk"):
        task.golden_id, task.candidate_id = (
            final.get(task.golden_id, task.golden_id),
            final.get(task.candidate_id, task.candidate_id),
        )
        (settled if task.golden_id == task.candidate_id else repointed).append(task)
    decided_by = user if getattr(user, "pk", None) else None
    ReviewTask.objects.filter(pk__in=[t.pk for t in settled]).update(
        state=ReviewState.APPROVED, decided_at=now, decided_by=decided_by
    )
    ids = {g for t in repointed for g in (t.golden_id, t.candidate_id)}
    asked = open_review_pairs(ids, exclude_tasks=[t.pk for t in repointed])
    for task in repointed:
        pair = tuple(sorted((task.golden_id, task.candidate_id)))
        if pair in asked:
            ReviewTask.objects.filter(pk=task.pk).update(state=ReviewState.OBSOLETE, decided_at=now)
        else:
            asked.add(pair)
            task.save(update_fields=["golden_id", "candidate_id"])


def golden_unmerge(*, entity: str, golden_id: str, record_ids: list[int], user=None, reason: str = "") -> str:
    """Detach source records from a golden record into another one, and return that one's ID.

    When the records are exactly those an earlier merge brought in, the merged-away golden record comes back
    under its old ID, so systems that kept that ID stay right; otherwise they form a new golden record.
    """
    by = getattr(user, "username", "") or "system"
    with transaction.atomic(durable=True):
        goldens = _locked_live(entity, [golden_id])
        links = list(CrossReference.objects.filter(entity=entity, golden_id=golden_id, source_record_id__in=record_ids))
        remaining = CrossReference.objects.filter(entity=entity, golden_id=golden_id).exclude(
            pk__in=[link.pk for link in links]
        )
        if not links or len(links) != len(set(record_ids)) or not remaining.exists():
            raise HubError(
                "Unmerge needs some, not all, of the golden record's own source records.",
                errors={"record_ids": ["must name some but not all source records of this golden record"]},
            )
        wanted = sorted(link.pk for link in links)
        merges = Merge.objects.select_for_update().filter(entity=entity, survivor_id=golden_id, undone_at__isnull=True)
        merge = next((m for m in merges.order_by("-created_at") if sorted(m.moved_links) == wanted), None)
        model = GOLDEN_MODELS[entity]
        if merge:
            target = model.objects.select_for_update().get(id=merge.retired_id)
            target.merged_into_id, target.version, target.updated_at = None, target.version + 1, timezone.now()
            bulk_update_fast(model, [target], ["merged_into", "version", "updated_at"])
            why = reason or f"undid merge of {merge.retired_id} into {golden_id}"
            copy_insert_history(model, [target], history_type="~", reason=why, user_id=getattr(user, "pk", None))
            merge.undone_at = timezone.now()
            merge.save(update_fields=["undone_at"])
            new_id = target.id
        else:
            new_id = new_golden_id(entity)
            why = reason or f"split {len(links)} records off {golden_id} into {new_id}"
        _move_links(entity, [(link, new_id) for link in links], "unmerge", by, why)
        recompute = GoldenRecompute(entity=entity, reason=why, correlation_id=get_correlation_id())
        recompute.run({golden_id, new_id})
        changes_append(
            [
                golden_change(
                    recompute.goldens.get(golden_id, goldens[golden_id]),
                    ChangeAction.UNMERGE,
                    [],
                    extra={"split_into": new_id},
                ),
                golden_change(recompute.goldens[new_id], ChangeAction.UNMERGE, [], extra={"split_from": golden_id}),
            ]
        )
        _recompute_dependents(entity, [golden_id, new_id], why)
    return new_id
