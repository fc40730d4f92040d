"""Steward decisions on conflicts that survivorship raised."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..choices import ConflictState
from ..models import Conflict

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def conflicts_dismiss(*, conflict_ids: list[int], user: "AbstractBaseUser | None", note: str = "") -> int:
    """Dismiss the open conflicts among ``conflict_ids``; returns how many were dismissed.

    One conditional UPDATE: a conflict that a concurrent recompute has just resolved stays resolved, and a second
    click on the same conflicts changes nothing.
    """
    with transaction.atomic(durable=True):
        return Conflict.objects.filter(id__in=conflict_ids, state=ConflictState.OPEN).update(
            state=ConflictState.DISMISSED, resolved_at=timezone.now(), resolved_by=user, note=note
        )
