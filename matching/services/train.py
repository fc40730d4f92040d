"""Learn match weights from the stored records: m, u and the prior by EM over blocked (candidate) pairs, u started
from random pairs, m anchored by pairs sharing a unique identifier and by steward decisions."""

import random

from django.db import connection, transaction

from ..engine import KINDS, features_from_json, forget_cached, params_for
from ..features import Features
from ..models import MatchModel, RecordFeatures, ReviewState, ReviewTask
from ..scoring import FSParams, comparators_for, compare, default_params
from ..training import em, estimate_u

MAX_BLOCK = 50
MAX_PAIRS = 400_000
RANDOM_PAIRS = 100_000


def _sample(entity: str, kind: str, size: int, seed: int) -> list[Features]:
    """About ``size`` stored records of one kind, spread evenly over the table (every n-th record ID), chosen in SQL:
    slicing the queryset with a step read and decoded every row first (two million JSON documents at 1M records)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM matching_recordfeatures WHERE entity = %s AND features->>'kind' = %s", [entity, kind]
        )
        step = max(1, cursor.fetchone()[0] // max(size, 1))
        cursor.execute(
            "SELECT features FROM matching_recordfeatures"
            " WHERE entity = %s AND features->>'kind' = %s AND source_record_id %% %s = 0 ORDER BY source_record_id",
            [entity, kind, step],
        )
        sample = [features_from_json(data) for (data,) in cursor.fetchall()]
    random.Random(seed).shuffle(sample)
    return sample[:size]


def _candidate_pairs(entity: str, kind: str, seed: int, max_pairs: int = MAX_PAIRS) -> list[tuple[Features, Features]]:
    """Pairs of stored records of one kind that share a blocking key, as the matcher meets them: whole blocks of at
    most MAX_BLOCK records, and every n-th block (by a hash of its key) when all blocks would make more than
    ``max_pairs`` pairs. Sampling records instead (every n-th one, as before) shrinks every block n-fold, so blocks
    far above the cap (a common surname in a big city) entered training although the matcher never compares within
    them: at 1M records EM learned a person prior of 0.67 (0.21 from whole blocks, 0.29 at 100k where no sampling
    was needed), and the re-match opened 396k review tasks instead of 127k."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM matching_blockingkey"
            " WHERE entity = %s GROUP BY key HAVING count(*) BETWEEN 2 AND %s) AS blocks",
            [entity, MAX_BLOCK],
        )
        step = max(1, -(-cursor.fetchone()[0] // max_pairs))
        cursor.execute(
            "WITH sampled AS (SELECT key FROM matching_blockingkey WHERE entity = %s"
            "  AND mod(hashtextextended(key, %s), %s) = 0 GROUP BY key HAVING count(*) BETWEEN 2 AND %s)"
            " SELECT b.key, f.source_record_id, f.features FROM sampled s"
            " JOIN matching_blockingkey b ON b.entity = %s AND b.key = s.key"
            " JOIN matching_recordfeatures f ON f.source_record_id = b.source_record_id"
            " WHERE f.features->>'kind' = %s",
            [entity, seed, step, MAX_BLOCK, entity, kind],
        )
        rows = cursor.fetchall()
    features: dict[int, Features] = {}
    blocks: dict[str, list[int]] = {}
    for key, record_id, data in rows:
        if record_id not in features:
            features[record_id] = features_from_json(data)
        blocks.setdefault(key, []).append(record_id)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                seen.add((a, b) if a < b else (b, a))
    pairs = sorted(seen)
    if len(pairs) > max_pairs:
        pairs = random.Random(seed).sample(pairs, max_pairs)
    return [(features[a], features[b]) for a, b in pairs]


def _labelled(entity: str, kind: str, comparators) -> list[tuple[tuple[int, ...], bool]]:
    """Steward decisions as (comparison vector, same entity?) pairs; features read in two queries."""
    tasks = list(
        ReviewTask.objects.filter(entity=entity, state__in=[ReviewState.APPROVED, ReviewState.REJECTED])
        .order_by("-decided_at")
        .values_list("source_record_id", "candidate_id", "state")[:5000]
    )
    mine = dict(
        RecordFeatures.objects.filter(source_record_id__in=[t[0] for t in tasks]).values_list(
            "source_record_id", "features"
        )
    )
    members: dict[str, list[tuple[int, Features]]] = {}
    for golden_id, record_id, data in RecordFeatures.objects.filter(golden_id__in={t[1] for t in tasks}).values_list(
        "golden_id", "source_record_id", "features"
    ):
        members.setdefault(golden_id, []).append((record_id, features_from_json(data)))
    pairs = []
    for record_id, candidate_id, state in tasks:
        if record_id not in mine:
            continue
        a = features_from_json(mine[record_id])
        if entity == "customer" and a.kind != kind:
            continue
        others = [f for other_id, f in members.get(candidate_id, []) if other_id != record_id][:3]
        pairs += [(compare(comparators, a, other), state == ReviewState.APPROVED) for other in others]
    return pairs


ANCHORS = {"tax_id": 1, "email": 2}


def _anchored(comparators, vectors: list[tuple[int, ...]]) -> list[tuple[tuple[int, ...], bool]]:
    """Blocked pairs agreeing on a unique identifier, as matches, with that identifier hidden so it does not
    learn from its own selection."""
    index = {c.name: i for i, c in enumerate(comparators)}
    anchored = []
    for vector in vectors:
        for name, level in ANCHORS.items():
            i = index.get(name)
            if i is not None and vector[i] == level:
                anchored.append(((*vector[:i], -1, *vector[i + 1 :]), True))
                break
    return anchored


def match_model_train(
    *, entity: str, kind: str, sample_size: int = 100_000, seed: int = 1, max_pairs: int = MAX_PAIRS
) -> FSParams:
    """Fit and store the model for (entity, kind): u started from ``sample_size`` random records' pairs, EM over at
    most ``max_pairs`` candidate pairs. Returns the new parameters."""
    comparators = comparators_for(entity, kind)
    sample = _sample(entity, kind, sample_size, seed)
    if len(sample) < 50:
        return params_for(entity, kind)
    rng = random.Random(seed)
    random_pairs = (compare(comparators, rng.choice(sample), rng.choice(sample)) for _ in range(RANDOM_PAIRS))
    start = default_params(comparators)
    start = FSParams(m=start.m, u=estimate_u(comparators, random_pairs), prior=start.prior)
    vectors = [compare(comparators, a, b) for a, b in _candidate_pairs(entity, kind, seed, max_pairs)]
    labelled = _labelled(entity, kind, comparators) + _anchored(comparators, vectors)
    # Scores are only ever computed for candidate pairs, so u must be the chance of agreeing *among candidates*:
    # candidates agree on their blocking fields (a surname, a name token) whether they match or not, and a u taken
    # from random pairs makes every candidate look like a match (prior 0.99+, thousands of review tasks). EM
    # re-estimates u on the candidate pairs, starting from the random-pair u; pairs that share a unique identifier
    # (that identifier hidden) and steward decisions anchor m, so the split cannot drift.
    params = em(comparators, start, vectors, labelled, label_weight=1.0, learn_u=True)
    with transaction.atomic(durable=True):
        MatchModel.objects.update_or_create(
            entity=entity, kind=kind, defaults={"params": params.as_json(), "decisions_used": len(labelled)}
        )
    forget_cached()
    return params


def match_models_train(*, entity: str, sample_size: int = 100_000) -> dict[str, FSParams]:
    return {kind: match_model_train(entity=entity, kind=kind, sample_size=sample_size) for kind in KINDS[entity]}
