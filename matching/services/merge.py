"""Merge and unmerge golden records, with history, change events and a record of each merge so it can be undone."""

from django.db import transaction
from django.utils import timezone

from canonical.choices import ChangeAction
from canonical.db import bulk_update_fast, copy_insert_history
from canonical.ids import new_golden_id
from canonical.models import GOLDEN_MODELS, CrossReference, GoldenRecord
from canonical.schema import REFERENCES
from canonical.services.golden import GoldenRecompute, changes_append, golden_change
from mdmhub.correlation import get_correlation_id
from mdmhub.problems import HubError

from ..models import BlockingKey, Merge, RecordFeatures, ReviewState, ReviewTask


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


def _move_links(entity: str, links: list[CrossReference], to_golden: str, method: str, by: str, reason: str) -> None:
    for link in links:
        link.golden_id, link.method, link.decided_by, link.updated_at = to_golden, method, by, timezone.now()
    bulk_update_fast(CrossReference, links, ["golden_id", "method", "decided_by", "updated_at"])
    copy_insert_history(CrossReference, links, history_type="~", reason=reason)
    record_ids = [link.source_record_id for link in links if link.source_record_id]
    RecordFeatures.objects.filter(source_record_id__in=record_ids).update(golden_id=to_golden)
    BlockingKey.objects.filter(source_record_id__in=record_ids).update(golden_id=to_golden)


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
    if survivor_id == retired_id:
        raise HubError("A record cannot be merged with itself.", errors={"retired_id": ["same as survivor"]})
    by = getattr(user, "username", "") or "system"
    why = reason or f"merged {retired_id} into {survivor_id}"
    with transaction.atomic(durable=True):
        goldens = _locked_live(entity, [survivor_id, retired_id])
        links = list(CrossReference.objects.filter(entity=entity, golden_id=retired_id))
        _move_links(entity, links, survivor_id, "merge", by, why)
        retired = goldens[retired_id]
        retired.merged_into_id, retired.version, retired.updated_at = survivor_id, retired.version + 1, timezone.now()
        bulk_update_fast(type(retired), [retired], ["merged_into", "version", "updated_at"])
        copy_insert_history(type(retired), [retired], history_type="~", reason=why, user_id=getattr(user, "pk", None))
        recompute = GoldenRecompute(entity=entity, reason=why, correlation_id=get_correlation_id())
        recompute.run({survivor_id})
        survivor = recompute.goldens.get(survivor_id, goldens[survivor_id])
        changes_append(
            [
                golden_change(retired, ChangeAction.RETIRE, [], extra={"merged_into": survivor_id}),
                golden_change(survivor, ChangeAction.MERGE, [], extra={"merged": [retired_id]}),
            ]
        )
        _recompute_dependents(entity, [retired_id], why)
        ReviewTask.objects.filter(state=ReviewState.OPEN, golden_id__in=[retired_id, survivor_id]).filter(
            candidate_id__in=[retired_id, survivor_id]
        ).update(state=ReviewState.APPROVED, decided_at=timezone.now(), decided_by=user if user else None)
        return Merge.objects.create(
            entity=entity,
            survivor_id=survivor_id,
            retired_id=retired_id,
            moved_links=[link.pk for link in links],
            reason=why,
            decided_by=user if getattr(user, "pk", None) else None,
        )


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
        merge = (
            Merge.objects.select_for_update()
            .filter(entity=entity, survivor_id=golden_id, undone_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        model = GOLDEN_MODELS[entity]
        if merge and sorted(merge.moved_links) == sorted(link.pk for link in links):
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
        _move_links(entity, links, new_id, "unmerge", by, why)
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
