from datetime import UTC, datetime

import pytest

from canonical.choices import ConflictState
from canonical.models import (
    ChangeLog,
    Conflict,
    Contact,
    CrossReference,
    Customer,
    PendingReference,
    SourceRecord,
    StaleUpdate,
)
from canonical.services.ingest import IngestItem, source_records_ingest

pytestmark = pytest.mark.django_db


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, 0, tzinfo=UTC)


def ingest(system, entity, local_id, attributes, day=1, references=None):
    [result] = source_records_ingest(
        system=system,
        entity=entity,
        items=[IngestItem(local_id, attributes, references or {}, at(day))],
    )
    return result


ACME_ERP = {"kind": "organization", "name": "ACME Industrial Supply GmbH", "tax_id": "DE 123.456.789"}


def test_new_record_creates_golden_with_xref_history_and_change(sap):
    result = ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold"})
    assert result.outcome == "created"
    golden = Customer.objects.get(id=result.golden_id)
    assert golden.name == "ACME Industrial Supply GmbH" and golden.credit_status == "hold"
    assert CrossReference.objects.get(system=sap, local_id="100").golden_id == golden.id
    assert golden.history.count() == 1
    change = ChangeLog.objects.get(golden_id=golden.id)
    assert (change.action, change.version, change.system, change.local_id) == ("create", 1, "sap", "100")
    assert "credit_status" in change.changed and change.data["credit_status"] == "hold"


def test_resend_with_same_content_changes_nothing(sap):
    first = ingest(sap, "customer", "100", ACME_ERP, day=1)
    again = ingest(sap, "customer", "100", ACME_ERP, day=2)
    assert again.outcome == "unchanged"
    assert again.golden_id == first.golden_id
    assert Customer.history.count() == 1
    assert ChangeLog.objects.count() == 1


def test_older_change_is_recorded_as_stale_and_not_applied(sap):
    ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold"}, day=5)
    result = ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "ok"}, day=3)
    assert result.outcome == "stale"
    assert Customer.objects.get().credit_status == "hold"
    assert SourceRecord.objects.get().attributes["credit_status"] == "hold"
    stale = StaleUpdate.objects.get()
    assert stale.attributes["credit_status"] == "ok" and stale.source_updated_at == at(3)
    assert ChangeLog.objects.count() == 1


def test_newer_change_updates_golden_and_bumps_version(sap):
    first = ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "ok"}, day=1)
    result = ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold"}, day=2)
    assert result.outcome == "updated" and result.version == 2
    golden = Customer.objects.get(id=first.golden_id)
    assert golden.credit_status == "hold"
    assert golden.history.count() == 2
    assert list(ChangeLog.objects.values_list("version", "changed")) == [
        (1, sorted(["credit_status", "kind", "name", "tax_id"])),
        (2, ["credit_status"]),
    ]


def test_same_tax_id_in_another_format_joins_the_same_golden(sap, zendesk):
    erp = ingest(sap, "customer", "100", ACME_ERP)
    support = ingest(zendesk, "customer", "Z-9", {"name": "Acme Industrial Supplies", "tax_id": "de123456789"})
    assert support.golden_id == erp.golden_id
    assert support.outcome == "updated"
    assert Customer.objects.count() == 1
    assert CrossReference.objects.get(system=zendesk).method == "exact:tax"


def test_persons_join_by_email_but_organizations_do_not(sap, zendesk):
    a = ingest(sap, "customer", "P1", {"kind": "person", "first_name": "Ida", "email": "Ida@Example.org"})
    b = ingest(zendesk, "customer", "U1", {"kind": "person", "first_name": "Ida", "email": "ida@example.org"})
    assert a.golden_id == b.golden_id
    c = ingest(sap, "customer", "O1", {"kind": "organization", "name": "Alpha Tools GmbH", "email": "info@shared.org"})
    d = ingest(
        zendesk, "customer", "O9", {"kind": "organization", "name": "Beta Foods Ltd", "email": "info@shared.org"}
    )
    assert c.golden_id != d.golden_id


def test_support_cannot_lift_an_erp_credit_hold(sap, zendesk):
    erp = ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold"}, day=1)
    support = ingest(zendesk, "customer", "Z-9", {"tax_id": "DE123456789", "credit_status": "ok"}, day=9)
    assert support.outcome == "conflict"
    assert support.conflicts == [
        {"attribute": "credit_status", "proposed": "ok", "golden": "hold", "reason": "not_authorized"}
    ]
    golden = Customer.objects.get(id=erp.golden_id)
    assert golden.credit_status == "hold" and golden.version == 1
    assert SourceRecord.objects.get(system=zendesk).attributes["credit_status"] == "ok"
    conflict = Conflict.objects.get(state=ConflictState.OPEN)
    assert (conflict.golden_id, conflict.attribute, conflict.proposed_value) == (erp.golden_id, "credit_status", "ok")
    assert golden.lineage["credit_status"]["system"] == "sap"
    assert golden.lineage["credit_status"]["overruled"] == [{"system": "zendesk", "local_id": "Z-9", "value": "ok"}]


def test_conflict_resolves_itself_when_the_owner_agrees(sap, zendesk):
    ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold"}, day=1)
    ingest(zendesk, "customer", "Z-9", {"tax_id": "DE123456789", "credit_status": "ok"}, day=2)
    ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "ok"}, day=3)
    assert not Conflict.objects.filter(state=ConflictState.OPEN).exists()
    assert Conflict.objects.get().state == ConflictState.RESOLVED


def test_dismissed_conflict_stays_dismissed_until_the_value_changes(sap, zendesk):
    ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold"}, day=1)
    ingest(zendesk, "customer", "Z-9", {"tax_id": "DE123456789", "credit_status": "ok"}, day=2)
    Conflict.objects.update(state=ConflictState.DISMISSED)
    ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "hold", "payment_terms": "NT30"}, day=3)
    assert not Conflict.objects.filter(state=ConflictState.OPEN).exists()
    ingest(sap, "customer", "100", {**ACME_ERP, "credit_status": "blocked"}, day=4)
    assert Conflict.objects.filter(state=ConflictState.OPEN).count() == 1


def test_support_owns_email_even_when_the_erp_is_newer(sap, zendesk):
    ingest(zendesk, "customer", "Z-9", {"tax_id": "DE123456789", "email": "help@acme.de"}, day=1)
    result = ingest(sap, "customer", "100", {**ACME_ERP, "email": "billing@acme.de"}, day=5)
    assert Customer.objects.get(id=result.golden_id).email == "help@acme.de"


def test_erp_email_is_used_when_no_support_platform_has_one(sap):
    result = ingest(sap, "customer", "100", {**ACME_ERP, "email": "billing@acme.de"})
    golden = Customer.objects.get(id=result.golden_id)
    assert golden.email == "billing@acme.de"
    assert golden.lineage["email"]["rule"].startswith("fallback")


def test_contact_before_its_customer_is_held_then_resolved(zendesk):
    contact = ingest(
        zendesk, "contact", "U1", {"first_name": "Ann", "email": "ann@acme.de"}, references={"customer": "O1"}
    )
    assert contact.outcome == "created"
    assert contact.pending_references == ["customer"]
    assert Contact.objects.get(id=contact.golden_id).customer_id is None
    assert PendingReference.objects.filter(local_id="O1").exists()

    customer = ingest(zendesk, "customer", "O1", {"name": "Acme"})
    golden_contact = Contact.objects.get(id=contact.golden_id)
    assert golden_contact.customer_id == customer.golden_id
    assert golden_contact.version == 2
    assert not PendingReference.objects.exists()
    assert ChangeLog.objects.filter(golden_id=contact.golden_id, changed=["customer"]).exists()


def test_reference_resolves_within_the_same_system_only(sap, zendesk):
    ingest(sap, "customer", "O1", {"name": "SAP's O1"})
    contact = ingest(zendesk, "contact", "U1", {"first_name": "Ann"}, references={"customer": "O1"})
    assert contact.pending_references == ["customer"]


def test_one_batch_with_a_repeated_local_id_applies_both_in_order(sap):
    results = source_records_ingest(
        system=sap,
        entity="customer",
        items=[
            IngestItem("100", {**ACME_ERP, "credit_status": "ok"}, {}, at(1)),
            IngestItem("100", {**ACME_ERP, "credit_status": "hold"}, {}, at(2)),
        ],
    )
    assert [r.outcome for r in results] == ["created", "updated"]
    assert Customer.objects.get().credit_status == "hold"


def test_records_of_one_batch_sharing_a_tax_id_make_one_golden(sap, zendesk):
    results = source_records_ingest(
        system=sap,
        entity="customer",
        items=[
            IngestItem("1", {"name": "Acme Ltd", "tax_id": "GB 123 4567 89"}, {}, at(1)),
            IngestItem("2", {"tax_id": "gb123456789"}, {}, at(1)),
        ],
    )
    assert results[0].golden_id == results[1].golden_id
    assert Customer.objects.count() == 1
    assert [r.outcome for r in results] == ["created", "created"]


def test_each_golden_attribute_has_lineage(sap, zendesk):
    ingest(sap, "customer", "100", {**ACME_ERP, "address": {"city": "Berlin", "country": "DE"}}, day=2)
    result = ingest(zendesk, "customer", "Z-9", {"tax_id": "DE123456789", "phone": "+49 30 1234"}, day=3)
    lineage = Customer.objects.get(id=result.golden_id).lineage
    assert lineage["address"] == {
        "system": "sap",
        "local_id": "100",
        "source_updated_at": at(2).isoformat(),
        "rule": "authoritative (source_rank)",
    }
    assert lineage["phone"]["system"] == "zendesk"
    assert lineage["phone"]["rule"] == "authoritative (most_recent)"


def test_sweep_settles_a_reference_whose_target_arrived_in_a_racing_transaction(zendesk):
    from canonical.tasks import retry_pending_references

    customer = ingest(zendesk, "customer", "O1", {"name": "Acme"})
    contact = ingest(zendesk, "contact", "U1", {"first_name": "Ann"}, references={"customer": "O2"})
    # The customer O2 committed while the contact's transaction could not see it yet: its link exists, the
    # contact still waits.
    CrossReference.objects.filter(system=zendesk, entity="customer", local_id="O1").update(local_id="O2")
    assert PendingReference.objects.filter(local_id="O2").exists()
    assert retry_pending_references() == 1
    assert Contact.objects.get(id=contact.golden_id).customer_id == customer.golden_id
    assert not PendingReference.objects.exists()


def test_a_held_reference_follows_the_record_when_it_names_another_target(zendesk):
    contact = ingest(zendesk, "contact", "U1", {"first_name": "Ann"}, references={"customer": "O2"}, day=1)
    ingest(zendesk, "contact", "U1", {"first_name": "Ann"}, references={"customer": "O3"}, day=2)
    assert list(PendingReference.objects.values_list("local_id", flat=True)) == ["O3"]
    customer = ingest(zendesk, "customer", "O3", {"name": "Acme"})
    assert Contact.objects.get(id=contact.golden_id).customer_id == customer.golden_id
