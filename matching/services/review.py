"""Steward review of probable duplicates: open tasks, approve (merge) or reject (remember they differ)."""

import hashlib

from django.db import transaction
from django.utils import timezone

from canonical.models import CrossReference

from ..engine import Scored
from ..models import NonMatch, ReviewState, ReviewTask
from .merge import goldens_merge


def review_tasks_open(*, entity: str, proposals: list[tuple[int, str, Scored]]) -> int:
    """Open a task per (record ID, its golden ID, best candidate) unless a steward already said they differ."""
    if not proposals:
        return 0
    pairs = {tuple(sorted((golden_id, s.golden_id))) for _, golden_id, s in proposals}
    refused = set(
        NonMatch.objects.filter(golden_a__in=[a for a, _ in pairs], golden_b__in=[b for _, b in pairs]).values_list(
            "golden_a", "golden_b"
        )
    )
    tasks = [
        ReviewTask(
            entity=entity,
            source_record_id=record_id,
            golden_id=golden_id,
            candidate_id=s.golden_id,
            score=round(s.probability, 6),
            explanation=s.explanation,
        )
        for record_id, golden_id, s in proposals
        if tuple(sorted((golden_id, s.golden_id))) not in refused
    ]
    ReviewTask.objects.bulk_create(tasks, ignore_conflicts=True, batch_size=500)
    return len(tasks)


def review_approve(*, task_ids: list[int], user=None) -> int:
    """Merge each task's record's golden record into the candidate, which keeps its ID."""
    done = 0
    for task in ReviewTask.objects.filter(pk__in=task_ids, state=ReviewState.OPEN).order_by("pk"):
        goldens_merge(
            entity=task.entity,
            survivor_id=task.candidate_id,
            retired_id=task.golden_id,
            user=user,
            reason=f"steward approved review {task.pk} (score {task.score:.3f})",
        )
        done += 1
    return done


def data_fingerprint(golden_ids: list[str]) -> str:
    """Changes when any source record of these golden records changes."""
    hashes = sorted(
        CrossReference.objects.filter(golden_id__in=golden_ids).values_list("source_record__content_hash", flat=True)
    )
    return hashlib.sha256("|".join(h or "" for h in hashes).encode()).hexdigest()


def review_reject(*, task_ids: list[int], user=None, note: str = "") -> int:
    """Remember that the two golden records are different; the pair is not proposed again while unchanged."""
    done = 0
    with transaction.atomic(durable=True):
        for task in ReviewTask.objects.select_for_update().filter(pk__in=task_ids, state=ReviewState.OPEN):
            a, b = sorted((task.golden_id, task.candidate_id))
            fingerprint = data_fingerprint([a, b])
            NonMatch.objects.update_or_create(
                golden_a=a,
                golden_b=b,
                defaults={
                    "entity": task.entity,
                    "fingerprint": fingerprint,
                    "decided_by": user if getattr(user, "pk", None) else None,
                },
            )
            task.state, task.decided_at, task.note = ReviewState.REJECTED, timezone.now(), note
            task.decided_by = user if getattr(user, "pk", None) else None
            task.save(update_fields=["state", "decided_at", "decided_by", "note"])
            done += 1
    return done
