"""Stewards' matching screens: the review queue and merge undo."""

from datetime import UTC, datetime

import pytest

from canonical.models import CrossReference, Customer
from canonical.services.ingest import IngestItem, source_records_ingest
from matching.engine import forget_cached
from matching.models import MatchMode, MatchSettings, Merge, ReviewState, ReviewTask

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def probabilistic():
    forget_cached()
    MatchSettings.objects.update_or_create(entity="customer", defaults={"mode": MatchMode.PROBABILISTIC})
    yield
    forget_cached()


@pytest.fixture
def task(sap, zendesk) -> ReviewTask:
    when = datetime(2026, 11, 1, tzinfo=UTC)
    for system, local_id, city in ((sap, "100", "Kiel"), (zendesk, "Z9", "Lübeck")):
        attributes = {"kind": "organization", "name": "Nordlicht Logistik GmbH", "address": {"city": city}}
        source_records_ingest(system=system, entity="customer", items=[IngestItem(local_id, attributes, {}, when)])
    return ReviewTask.objects.get()


def test_review_page_shows_both_records_the_difference_and_the_explanation(admin_client, task):
    page = admin_client.get(f"/admin/matching/reviewtask/{task.pk}/change/").content.decode()
    assert "zendesk Z9" in page and task.candidate_id in page
    assert "Lübeck" in page and "Kiel" in page
    assert "background:#fff3cd" in page  # the differing city is highlighted
    assert "Why the matcher thinks so" in page and "same" in page


def test_review_queue_filters_by_score_band(admin_client, task):
    band = "high" if task.score >= 0.9 else "mid" if task.score >= 0.7 else "low"
    other = "low" if band != "low" else "high"
    assert task.candidate_id in admin_client.get(f"/admin/matching/reviewtask/?band={band}").content.decode()
    assert task.candidate_id not in admin_client.get(f"/admin/matching/reviewtask/?band={other}").content.decode()


def test_approve_action_merges_and_undo_restores(admin_client, task):
    admin_client.post("/admin/matching/reviewtask/", {"action": "approve", "_selected_action": [task.pk]}, follow=True)
    task.refresh_from_db()
    assert task.state == ReviewState.APPROVED
    assert Customer.objects.get(id=task.golden_id).merged_into_id == task.candidate_id
    merge = Merge.objects.get()
    admin_client.post("/admin/matching/merge/", {"action": "undo", "_selected_action": [merge.pk]}, follow=True)
    assert Customer.objects.get(id=task.golden_id).merged_into_id is None
    assert CrossReference.objects.get(local_id="Z9").golden_id == task.golden_id


def test_reject_action_remembers_the_decision(admin_client, task):
    admin_client.post("/admin/matching/reviewtask/", {"action": "reject", "_selected_action": [task.pk]}, follow=True)
    task.refresh_from_db()
    assert task.state == ReviewState.REJECTED
