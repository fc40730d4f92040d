"""Reads of matching state that services share."""

from collections.abc import Collection

from .models import ReviewState, ReviewTask


def open_review_pairs(golden_ids: Collection[str], exclude_tasks: Collection[int] = ()) -> set[tuple[str, str]]:
    """The (sorted) pairs of these golden records that an open review task asks about, in either direction."""
    ids = list(golden_ids)
    tasks = ReviewTask.objects.filter(state=ReviewState.OPEN, golden_id__in=ids, candidate_id__in=ids)
    return {
        tuple(sorted(pair)) for pair in tasks.exclude(pk__in=exclude_tasks).values_list("golden_id", "candidate_id")
    }
