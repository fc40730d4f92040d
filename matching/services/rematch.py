"""Batch re-matching: every live golden record against its candidates, merging clear duplicates (the older
golden ID survives, so IDs stay stable) and opening review tasks for probable ones."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from canonical.db import bulk_update_fast
from canonical.models import GOLDEN_MODELS

from ..engine import FeatureCache, Matcher, Scored
from ..models import MatchRun, NonMatch, ReviewState, ReviewTask
from .merge import goldens_merge_many, merges_final
from .review import data_fingerprint, review_tasks_open


@dataclass
class Plan:
    """What a chunk of re-matching decided, written at the end in two transactions (merges one by one cost a
    transaction, a recompute and a change-log append each: 80% of a re-match's time)."""

    merges: list[tuple[str, str]] = field(default_factory=list)
    retired: set[str] = field(default_factory=set)
    proposals: list[tuple[int, str, Scored]] = field(default_factory=list)
    proposed: set[tuple[str, str]] = field(default_factory=set)
    refused: dict[tuple[str, str], str] = field(default_factory=dict)  # steward said "not the same": fingerprint
    # Open review tasks scored again: (task ID, golden ID, candidate ID, today's best pair), and those to withdraw
    # (task ID, golden ID, candidate ID, why)
    rescored: list[tuple[int, str, str, Scored]] = field(default_factory=list)
    withdrawn: list[tuple[int, str, str, str]] = field(default_factory=list)

    def propose(self, record_id: int | None, golden_id: str, candidate: Scored, matcher: Matcher) -> bool:
        """Plan a review task for a pair once, whichever of the two is re-matched first: a task always asks
        whether the newer golden record (larger ID) should merge into the older one, as ingest asks it."""
        pair = tuple(sorted((golden_id, candidate.golden_id)))
        if pair in self.proposed:
            return False
        self.proposed.add(pair)
        if golden_id < candidate.golden_id:
            turned = matcher.turned(candidate, golden_id, record_id)
            record_id, golden_id, candidate = candidate.best_record, pair[1], turned
        matcher.explain(candidate)  # the steward sees why
        self.proposals.append((record_id, golden_id, candidate))
        return True

    def live_proposals(self) -> list[tuple[int, str, Scored]]:
        """The proposals between golden records that stay apart once the planned merges are made (a record merged
        away later in the chunk is asked about under its survivor's ID)."""
        final = merges_final(self.merges)
        live = []
        for record_id, golden_id, s in self.proposals:
            mine, theirs = final.get(golden_id, golden_id), final.get(s.golden_id, s.golden_id)
            if mine != theirs:
                s.golden_id = theirs
                live.append((record_id, mine, s))
        return live

    def load_refusals(self, golden_ids: list[str]) -> None:
        rows = NonMatch.objects.filter(Q(golden_a__in=golden_ids) | Q(golden_b__in=golden_ids))
        self.refused = {(a, b): fp for a, b, fp in rows.values_list("golden_a", "golden_b", "fingerprint")}


def golden_rematch(*, entity: str, golden_id: str, matcher: Matcher, plan: Plan) -> str:
    """Re-match one golden record: plan a merge or a review task, or keep it. Returns merged, review or kept."""
    rows = [] if golden_id in plan.retired else matcher.members(golden_id)
    if not rows:
        return "kept"
    ranked = [matcher.score(f, exclude={golden_id}) for _, f in rows]
    best: dict[str, tuple[int | None, Scored]] = {}  # each candidate golden record at its best record pair
    for (record_id, _), scored in zip(rows, ranked, strict=True):
        for c in scored:
            if c.golden_id not in best or c.probability > best[c.golden_id][1].probability:
                best[c.golden_id] = (record_id, c)
    if not best:
        return "kept"
    order = sorted(best.values(), key=lambda pair: (-pair[1].probability, pair[1].golden_id))
    s = matcher.settings
    # The first candidate, best first, that clears the bar as ingest's decide() would take it: one that scores
    # highest but rests on a name alone, or is contradicted somewhere, does not hide a linkable one behind it.
    for _, candidate in order:
        if not candidate.linkable(s.auto_threshold):
            continue
        # Complete linkage across both golden records: every record of this one must clear the bar against the
        # other (each record's own ranking has usually scored it already).
        others = [
            next((c for c in scored if c.golden_id == candidate.golden_id), None)
            or matcher.score_against(f, candidate.golden_id)
            for (_, f), scored in zip(rows, ranked, strict=True)
        ]
        if not all(o is not None and o.linkable(s.auto_threshold) for o in others):
            continue
        survivor, retired = sorted((golden_id, candidate.golden_id))
        fingerprint = plan.refused.get((survivor, retired))
        if fingerprint and fingerprint == data_fingerprint([survivor, retired]):
            continue
        plan.merges.append((survivor, retired))
        plan.retired.add(retired)
        matcher.merged(survivor, retired)  # later records of the chunk see the merged record
        return "merged"
    record_id, candidate = order[0]
    if candidate.probability >= s.review_threshold and plan.propose(record_id, golden_id, candidate, matcher):
        return "review"
    return "kept"


def review_tasks_rescore(
    *, entity: str, golden_ids: list[str], matcher: Matcher, plan: Plan, opened_before: datetime
) -> None:
    """Score the open review tasks about these golden records again, with today's weights: the task's golden
    record's records against the candidate's, best pair. A task opened by an older model (the default weights
    before training) or under a lower review threshold may no longer belong in the queue; plan_apply withdraws
    those below the review threshold and shows the others' current score and explanation. Tasks naming a record
    this chunk merges are left to the merge, which settles or re-points them, and tasks opened since the run
    started (``opened_before``) were scored with today's weights already."""
    tasks = [
        (pk, golden_id, candidate_id)
        for pk, golden_id, candidate_id in ReviewTask.objects.filter(
            entity=entity, state=ReviewState.OPEN, golden_id__in=golden_ids, created_at__lt=opened_before
        ).values_list("pk", "golden_id", "candidate_id")
        if golden_id not in plan.retired and candidate_id not in plan.retired
    ]
    matcher.load([candidate_id for _, _, candidate_id in tasks])
    threshold = matcher.settings.review_threshold
    for pk, golden_id, candidate_id in tasks:
        best = None
        for _, f in matcher.members(golden_id):
            scored = matcher.score_against(f, candidate_id)
            if scored is not None and (best is None or scored.probability > best.probability):
                best = scored
        if best is None:
            plan.withdrawn.append((pk, golden_id, candidate_id, "withdrawn by the re-match: nothing left to compare"))
        elif best.probability < threshold:
            why = f"withdrawn by the re-match: scores {best.probability:.3f} now, under the review bar {threshold}"
            plan.withdrawn.append((pk, golden_id, candidate_id, why))
        else:
            matcher.explain(best)
            plan.rescored.append((pk, golden_id, candidate_id, best))


def _rescored_write(plan: Plan) -> int:
    """Withdraw the re-scored tasks now below the review threshold, show the rest's current score; only tasks still
    open and still asking about the same two golden records (the other worker's merges may have moved one
    meanwhile), locked in ID order. Returns how many were withdrawn."""
    wanted = [(pk, g, c) for pk, g, c, _ in plan.withdrawn + plan.rescored]
    if not wanted:
        return 0
    still = set(
        ReviewTask.objects.select_for_update()
        .filter(pk__in=[pk for pk, _, _ in wanted], state=ReviewState.OPEN)
        .order_by("pk")
        .values_list("pk", "golden_id", "candidate_id")
    )
    now = timezone.now()
    withdrawn = [
        ReviewTask(pk=pk, state=ReviewState.OBSOLETE, decided_at=now, note=why)
        for pk, g, c, why in plan.withdrawn
        if (pk, g, c) in still
    ]
    rescored = [
        ReviewTask(pk=pk, score=round(s.probability, 6), explanation=s.explanation)
        for pk, g, c, s in plan.rescored
        if (pk, g, c) in still
    ]
    bulk_update_fast(ReviewTask, withdrawn, ["state", "decided_at", "note"])
    bulk_update_fast(ReviewTask, rescored, ["score", "explanation"])
    return len(withdrawn)


def _retried_on_deadlock(write, attempts: int = 3):
    """Run ``write`` in a transaction of its own, again when PostgreSQL broke a deadlock by aborting it (the other
    re-match worker's merge re-pointing review tasks while this one inserts some of the same)."""
    for attempt in range(attempts):
        try:
            with transaction.atomic(durable=True):
                return write()
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != "40P01" or attempt == attempts - 1:
                raise


def plan_apply(*, entity: str, plan: Plan) -> Counter:
    """Open the planned review tasks, then make the planned merges (skipping any whose records another worker
    merged meanwhile: the next run looks at them again). Returns what was done."""
    counts: Counter = Counter()
    proposals = plan.live_proposals()
    opened = _retried_on_deadlock(lambda: review_tasks_open(entity=entity, proposals=proposals, settled=True))
    withdrawn = _retried_on_deadlock(lambda: _rescored_write(plan))
    merged = goldens_merge_many(entity=entity, pairs=plan.merges, reason="batch re-match", skip_merged=True)
    counts.update(review=opened, merged=len(merged), withdrawn=withdrawn)
    counts["kept"] += len(plan.proposals) - opened + len(plan.merges) - len(merged)
    return +counts


def hash_shard(golden_id: str, shards: int) -> int:
    return sum(golden_id.encode()) % shards


def rematch_chunk(
    *, run_id: int, shard: int, limit: int = 1000, features: FeatureCache | None = None
) -> tuple[int, Counter] | None:
    """Re-match the next ``limit`` golden records of one shard and move the shard's cursor past them. A worker
    doing chunk after chunk passes one ``features`` cache to all of them.

    Returns (records done, outcome counts), or None when the shard is finished.
    """
    run = MatchRun.objects.get(pk=run_id)
    after = run.cursors.get(str(shard), "")
    model = GOLDEN_MODELS[run.entity]
    ids: list[str] = []
    last = after
    live = model.objects.filter(merged_into__isnull=True).order_by("id").values_list("id", flat=True)
    while len(ids) < limit and (page := list(live.filter(id__gt=last)[: limit * run.shards])):
        for golden_id in page:
            last = golden_id
            if hash_shard(golden_id, run.shards) == shard:
                ids.append(golden_id)
                if len(ids) >= limit:
                    break
    if not ids and last == after:
        return None
    matcher = Matcher(run.entity, features)
    matcher.preload(ids)  # the chunk's records and their candidates in a few queries; merges keep it current
    plan = Plan()
    plan.load_refusals(ids)
    counts: Counter = Counter()
    for golden_id in ids:
        if golden_rematch(entity=run.entity, golden_id=golden_id, matcher=matcher, plan=plan) == "kept":
            counts["kept"] += 1
    review_tasks_rescore(entity=run.entity, golden_ids=ids, matcher=matcher, plan=plan, opened_before=run.started_at)
    counts.update(plan_apply(entity=run.entity, plan=plan))
    with transaction.atomic(durable=True):
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        run.cursors[str(shard)] = ids[-1] if len(ids) >= limit else last
        total = Counter(run.counts)
        total.update(counts)
        run.counts = dict(total)
        run.save(update_fields=["cursors", "counts"])
    return len(ids), counts
