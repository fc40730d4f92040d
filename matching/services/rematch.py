"""Batch re-matching: every live golden record against its candidates, merging clear duplicates (the older
golden ID survives, so IDs stay stable) and opening review tasks for probable ones."""

from collections import Counter

from django.db import transaction

from canonical.models import GOLDEN_MODELS
from mdmhub.problems import HubError

from ..engine import Matcher, features_from_json
from ..models import MatchRun, NonMatch, RecordFeatures
from .merge import goldens_merge
from .review import data_fingerprint, review_tasks_open


def golden_rematch(*, entity: str, golden_id: str, matcher: Matcher) -> str:
    """Re-match one golden record; returns what happened: kept, merged or review."""
    rows = [
        (record_id, features_from_json(data))
        for record_id, data in RecordFeatures.objects.filter(golden_id=golden_id).values_list(
            "source_record_id", "features"
        )
    ]
    if not rows:
        return "kept"
    best = None
    for record_id, f in rows:
        for candidate in matcher.score(f, exclude={golden_id}):
            if best is None or candidate.probability > best[1].probability:
                best = (record_id, candidate)
            break
    if best is None:
        return "kept"
    record_id, candidate = best
    s = matcher.settings
    # Complete linkage across both golden records: every record of this one must clear the bar against the other.
    others = [matcher.score_against(f, candidate.golden_id) for _, f in rows]
    if candidate.linkable(s.auto_threshold) and all(o is not None and o.linkable(s.auto_threshold) for o in others):
        survivor, retired = sorted((golden_id, candidate.golden_id))
        a, b = survivor, retired
        refused = NonMatch.objects.filter(golden_a=a, golden_b=b).values_list("fingerprint", flat=True).first()
        if refused and refused == data_fingerprint([a, b]):
            return "kept"
        try:
            goldens_merge(entity=entity, survivor_id=survivor, retired_id=retired, reason="batch re-match")
        except HubError:
            return "kept"  # the other side was merged meanwhile
        return "merged"
    if candidate.probability >= s.review_threshold:
        matcher.explain(candidate)  # the steward sees why
        with transaction.atomic(durable=True):
            opened = review_tasks_open(entity=entity, proposals=[(record_id, golden_id, candidate)])
        return "review" if opened else "kept"
    return "kept"


def hash_shard(golden_id: str, shards: int) -> int:
    return sum(golden_id.encode()) % shards


def rematch_chunk(*, run_id: int, shard: int, limit: int = 200) -> tuple[int, Counter] | None:
    """Re-match the next ``limit`` golden records of one shard and move the shard's cursor past them.

    Returns (records done, outcome counts), or None when the shard is finished.
    """
    run = MatchRun.objects.get(pk=run_id)
    after = run.cursors.get(str(shard), "")
    model = GOLDEN_MODELS[run.entity]
    ids = []
    rows = model.objects.filter(merged_into__isnull=True, id__gt=after).order_by("id").values_list("id", flat=True)
    last = after
    for golden_id in rows.iterator(chunk_size=2000):
        last = golden_id
        if hash_shard(golden_id, run.shards) == shard:
            ids.append(golden_id)
            if len(ids) >= limit:
                break
    if not ids and last == after:
        return None
    matcher = Matcher(run.entity)
    counts: Counter = Counter()
    for golden_id in ids:
        outcome = golden_rematch(entity=run.entity, golden_id=golden_id, matcher=matcher)
        counts[outcome] += 1
        if outcome == "merged":
            matcher = Matcher(run.entity)  # the merge changed candidates this one had cached
    with transaction.atomic(durable=True):
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        run.cursors[str(shard)] = ids[-1] if len(ids) >= limit else last
        total = Counter(run.counts)
        total.update(counts)
        run.counts = dict(total)
        run.save(update_fields=["cursors", "counts"])
    return len(ids), counts
