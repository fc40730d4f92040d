"""Steward review of probable duplicates: open tasks, approve (merge) or reject (remember they differ)."""

import hashlib

from django.db import connection, transaction
from django.utils import timezone

from canonical.db import copy_insert_skipping_conflicts, pg_array
from canonical.models import GOLDEN_MODELS, CrossReference

from ..engine import Scored
from ..models import NonMatch, ReviewState, ReviewTask
from ..selectors import open_review_pairs
from .merge import goldens_merge


def review_tasks_open(*, entity: str, proposals: list[tuple[int, str, Scored]], settled: bool = False) -> int:
    """Open a task per (record ID, its golden ID, best candidate) unless a steward already said they differ or a
    task for the same two golden records is open (in either direction). Returns how many were opened.

    ``settled`` (batch re-match, in a transaction of its own): first wait for merges other workers are making of
    these golden records, and leave out pairs naming one merged away (the next run looks at them again)."""
    if not proposals:
        return 0
    if settled:
        ids = sorted({g for _, golden_id, s in proposals for g in (golden_id, s.golden_id)})
        gone = {g for g, onward in _locked_for_share(entity, ids) if onward}
        proposals = [p for p in proposals if p[1] not in gone and p[2].golden_id not in gone]
    pairs = {tuple(sorted((golden_id, s.golden_id))) for _, golden_id, s in proposals}
    firsts, seconds = [a for a, _ in pairs], [b for _, b in pairs]
    skip = set(NonMatch.objects.filter(golden_a__in=firsts, golden_b__in=seconds).values_list("golden_a", "golden_b"))
    skip |= open_review_pairs(firsts + seconds)
    tasks: dict[tuple[str, str], ReviewTask] = {}
    now = timezone.now()
    for record_id, golden_id, s in proposals:
        pair = tuple(sorted((golden_id, s.golden_id)))
        if pair not in skip and pair not in tasks:
            tasks[pair] = ReviewTask(
                entity=entity,
                source_record_id=record_id,
                golden_id=golden_id,
                candidate_id=s.golden_id,
                score=round(s.probability, 6),
                explanation=s.explanation,
                created_at=now,
            )
    copy_insert_skipping_conflicts(ReviewTask, list(tasks.values()), key=["golden_id", "candidate_id"])
    return len(tasks)


def _locked_for_share(entity: str, ids: list[str]) -> list[tuple[str, str | None]]:
    table = connection.ops.quote_name(GOLDEN_MODELS[entity]._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, merged_into_id FROM {table} WHERE id = ANY(%s::text[]) ORDER BY id FOR SHARE", [pg_array(ids)]
        )
        return cursor.fetchall()


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
