"""A steward's ownership-rule edit reaches existing golden records through a real Celery worker."""

import json

import pytest

from canonical.models import Customer, OwnershipRule
from canonical.services.ingest import IngestItem, source_records_ingest

pytestmark = pytest.mark.integration


def test_rule_edit_in_admin_recomputes_goldens_in_a_worker(admin_client, sap, zendesk, celery_worker_process):
    source_records_ingest(
        system=sap, entity="customer", items=[IngestItem("100", {"tax_id": "DE811907980", "email": "billing@acme.de"})]
    )
    source_records_ingest(
        system=zendesk, entity="customer", items=[IngestItem("Z1", {"tax_id": "DE811907980", "email": "help@acme.de"})]
    )
    golden = Customer.objects.get()
    assert golden.email == "help@acme.de"  # support platforms own e-mail by default

    rule = OwnershipRule.objects.get(entity="customer", attribute="email")
    form = {
        "entity": "customer",
        "attribute": "email",
        "authoritative": json.dumps(["kind:erp"]),
        "contributors": json.dumps([]),
        "contributor_action": rule.contributor_action,
        "strategy": "source_rank",
        "fallback_to_any": "on",
    }
    page = admin_client.post(f"/admin/canonical/ownershiprule/{rule.pk}/change/", form)
    assert page.status_code == 302, page.content

    celery_worker_process.wait_for("canonical.tasks.recompute_entity", timeout=60)
    celery_worker_process.wait_for("succeeded", timeout=60)
    golden.refresh_from_db()
    assert golden.email == "billing@acme.de"
    assert golden.lineage["email"]["system"] == "sap"
    assert golden.history.first().history_change_reason.startswith("rule customer.email changed")
