"""Batch re-matching: every live golden record against its candidates, merging clear duplicates (the older
golden ID survives, so IDs stay stable) and opening review tasks for probable ones."""

from collections import Counter

from django.db import transaction

from canonical.models import GOLDEN_MODELS
from mdmhub.problems import HubError

from ..engine import Matcher, features_from_json
from ..models import NonMatch, RecordFeatures
from .merge import goldens_merge
from .review import data_fingerprint, review_tasks_open


def golden_rematch(*, entity: str, golden_id: str, matcher: Matcher) -> str:
    """Re-match one golden record; returns what happened: kept, merged or review."""
    rows = list(RecordFeatures.objects.filter(golden_id=golden_id).values_list("source_record_id", "features"))
    if not rows:
        return "kept"
    best = None
    for record_id, data in rows:
        f = features_from_json(data)
        for candidate in matcher.score(f, exclude={golden_id}):
            if best is None or candidate.probability > best[1].probability:
                best = (record_id, candidate)
            break
    if best is None:
        return "kept"
    record_id, candidate = best
    s = matcher.settings
    if candidate.probability >= s.auto_threshold and candidate.weakest >= s.auto_threshold:
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
        with transaction.atomic(durable=True):
            opened = review_tasks_open(entity=entity, proposals=[(record_id, golden_id, candidate)])
        return "review" if opened else "kept"
    return "kept"


def goldens_to_rematch(entity: str, after: str, shard: int, shards: int, limit: int) -> list[str]:
    model = GOLDEN_MODELS[entity]
    ids = model.objects.filter(merged_into__isnull=True, id__gt=after).order_by("id").values_list("id", flat=True)
    out = []
    for golden_id in ids.iterator(chunk_size=2000):
        if hash_shard(golden_id, shards) == shard:
            out.append(golden_id)
            if len(out) >= limit:
                break
    return out


def hash_shard(golden_id: str, shards: int) -> int:
    return int.from_bytes(golden_id[-4:].encode(), "big") % shards


def rematch_counts() -> Counter:
    return Counter()
