import re
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from canonical.choices import ConflictState
from canonical.models import (
    ChangeLog,
    Conflict,
    CrossReference,
    Customer,
    ImportJob,
    OwnershipRule,
    PendingReference,
    SourceRecord,
    SourceSystem,
    StaleUpdate,
)
from canonical.services.ingest import IngestItem, source_records_ingest
from canonical.services.systems import token_hash

pytestmark = pytest.mark.django_db


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 0, tzinfo=UTC)


def ingest_customer(system, local_id: str, attributes: dict, *, day: int = 1, raw: dict | None = None) -> str:
    item = IngestItem(local_id=local_id, attributes=attributes, source_updated_at=at(day), raw=raw)
    [result] = source_records_ingest(system=system, entity="customer", items=[item])
    return result.golden_id


@pytest.fixture
def acme(sap, zendesk) -> Customer:
    """One customer known to SAP (credit hold) and Zendesk (which claims credit is fine: an open conflict)."""
    raw = {"KUNNR": "SAP-1", "NAME1": "ACME <GmbH>"}
    golden_id = ingest_customer(
        sap, "SAP-1", {"name": "ACME GmbH", "tax_id": "DE123", "credit_status": "hold"}, day=2, raw=raw
    )
    same = ingest_customer(
        zendesk, "ZD-7", {"name": "Acme", "tax_id": "DE123", "credit_status": "ok", "email": "ap@acme.test"}, day=3
    )
    assert same == golden_id
    return Customer.objects.get(pk=golden_id)


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def section(html: str, title: str) -> str:
    """The part of an admin change page under one fieldset heading, up to the next fieldset."""
    start = html.index(f">{title}</h2>")
    end = html.find("</fieldset>", start)
    return html[start:end]


def test_customer_page_shows_links_to_both_systems_and_their_source_records(admin_client, acme):
    page = admin_client.get(change_url(acme))
    assert page.status_code == 200
    links = section(page.content.decode(), "Links")
    for code, local_id in [("sap", "SAP-1"), ("zendesk", "ZD-7")]:
        record = SourceRecord.objects.get(system__code=code, local_id=local_id)
        assert code in links
        assert local_id in links
        assert change_url(record) in links
    assert "exact:tax" in links


def test_customer_page_shows_lineage_with_the_rule_and_the_overruled_value(admin_client, acme):
    lineage = section(admin_client.get(change_url(acme)).content.decode(), "Lineage")
    row = re.search(r"<tr><td>credit_status</td>(.*?)</tr>", lineage, re.S).group(1)
    assert "<td>hold</td><td>sap</td><td>SAP-1</td>" in row
    assert "authoritative (source_rank)" in row
    assert "zendesk ZD-7: ok" in row


def test_customer_page_shows_the_open_conflict_raised_by_zendesk(admin_client, acme):
    conflict = Conflict.objects.get(golden_id=acme.pk, attribute="credit_status")
    conflicts = section(admin_client.get(change_url(acme)).content.decode(), "Open conflicts")
    assert change_url(conflict) in conflicts
    assert "ZD-7" in conflicts
    assert "System may not write this attribute" in conflicts


def test_golden_records_can_be_viewed_but_not_added_edited_or_deleted(admin_client, acme):
    assert admin_client.get(reverse("admin:canonical_customer_add")).status_code == 403
    assert admin_client.post(change_url(acme), {"name": "Typed by hand"}).status_code == 403
    assert admin_client.get(reverse("admin:canonical_customer_delete", args=[acme.pk])).status_code == 403
    acme.refresh_from_db()
    assert acme.name == "ACME GmbH"


def test_customer_search_finds_it_by_tax_id_and_by_a_systems_local_id(admin_client, acme, sap):
    other = Customer.objects.get(pk=ingest_customer(sap, "SAP-2", {"name": "Globex", "tax_id": "FR999"}))
    by_tax = admin_client.get(changelist_url(Customer), {"q": "DE123"}).content.decode()
    assert acme.pk in by_tax
    assert other.pk not in by_tax
    by_local_id = admin_client.get(changelist_url(Customer), {"q": "ZD-7"}).content.decode()
    assert acme.pk in by_local_id
    assert other.pk not in by_local_id


def test_merged_filter_separates_merged_away_records(admin_client, acme, sap):
    retired = Customer.objects.get(pk=ingest_customer(sap, "SAP-9", {"name": "ACME dup", "tax_id": "DE999"}))
    retired.merged_into = acme
    retired.save()
    merged = admin_client.get(changelist_url(Customer), {"merged": "yes"}).content.decode()
    active = admin_client.get(changelist_url(Customer), {"merged": "no"}).content.decode()
    assert retired.pk in merged and acme.pk not in merged
    assert acme.pk in active and retired.pk not in active


def test_customer_history_page_lists_the_ingest_changes(admin_client, acme):
    page = admin_client.get(reverse("admin:canonical_customer_history", args=[acme.pk]))
    assert page.status_code == 200
    assert "ingest from sap" in page.content.decode()


def test_cross_reference_history_page_shows_how_the_link_was_made(admin_client, acme):
    xref = CrossReference.objects.get(system__code="zendesk", local_id="ZD-7")
    page = admin_client.get(reverse("admin:canonical_crossreference_history", args=[xref.pk]))
    assert page.status_code == 200
    assert "linked on ingest" in page.content.decode()


def test_source_record_page_shows_the_raw_payload_escaped_and_links_its_golden(admin_client, acme):
    record = SourceRecord.objects.get(system__code="sap", local_id="SAP-1")
    html = admin_client.get(change_url(record)).content.decode()
    assert "KUNNR" in html
    assert "ACME &lt;GmbH&gt;" in html
    assert "ACME <GmbH>" not in html
    assert change_url(acme) in html


def test_source_records_cannot_be_added_or_edited(admin_client, acme):
    record = SourceRecord.objects.get(system__code="sap", local_id="SAP-1")
    assert admin_client.get(reverse("admin:canonical_sourcerecord_add")).status_code == 403
    assert admin_client.post(change_url(record), {"local_id": "X"}).status_code == 403


def test_dismiss_action_dismisses_open_conflicts_as_the_steward(admin_client, admin_user, acme):
    conflict = Conflict.objects.get(golden_id=acme.pk, attribute="credit_status")
    data = {"action": "dismiss_conflicts", "_selected_action": [conflict.pk]}
    response = admin_client.post(changelist_url(Conflict), data, follow=True)
    conflict.refresh_from_db()
    assert conflict.state == ConflictState.DISMISSED
    assert conflict.resolved_by == admin_user
    assert conflict.resolved_at is not None
    assert "Dismissed 1 conflict" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_dismiss_action_leaves_conflicts_that_are_no_longer_open(admin_client, acme):
    conflict = Conflict.objects.get(golden_id=acme.pk, attribute="credit_status")
    conflict.state, conflict.note = ConflictState.RESOLVED, "no longer in conflict"
    conflict.save()
    admin_client.post(changelist_url(Conflict), {"action": "dismiss_conflicts", "_selected_action": [conflict.pk]})
    conflict.refresh_from_db()
    assert conflict.state == ConflictState.RESOLVED
    assert conflict.resolved_by is None
    assert conflict.note == "no longer in conflict"


def test_conflict_changelist_lists_the_conflict_with_its_system(admin_client, acme):
    html = admin_client.get(changelist_url(Conflict), {"state__exact": "open"}).content.decode()
    assert acme.pk in html
    assert "zendesk" in html


def issued_token(response) -> str:
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    tokens = [match.group(0) for text in texts if (match := re.search(r"mdm_[\w-]+", text))]
    assert len(tokens) == 1, texts
    return tokens[0]


def test_token_action_shows_the_new_token_once_and_replaces_the_old_one(admin_client, sap):
    old_hash = SourceSystem.objects.get(pk=sap.pk).token_hash
    data = {"action": "issue_token", "_selected_action": [sap.pk]}
    response = admin_client.post(changelist_url(SourceSystem), data, follow=True)
    token = issued_token(response)
    sap.refresh_from_db()
    assert sap.token_hash != old_hash
    assert sap.token_hash == token_hash(token)
    page = admin_client.get(change_url(sap)).content.decode()
    assert token not in page
    assert sap.token_hash not in page


def test_adding_a_system_in_admin_issues_its_first_token(admin_client):
    data = {"code": "freshdesk", "name": "Freshdesk", "kind": "support", "connector_type": "api"}
    data |= {"settings": "{}", "mapping": "{}", "enabled": "on", "trust_rank": "70", "_save": "Save"}
    data |= {f"{inline}-{n}": "0" for inline in ("subscriptions", "cursors") for n in ("TOTAL_FORMS", "INITIAL_FORMS")}
    response = admin_client.post(reverse("admin:canonical_sourcesystem_add"), data, follow=True)
    assert response.status_code == 200
    system = SourceSystem.objects.get(code="freshdesk")
    assert system.token_hash == token_hash(issued_token(response))


def rule_form(rule: OwnershipRule, **changes) -> dict:
    data = {
        "entity": rule.entity,
        "attribute": rule.attribute,
        "authoritative": '["kind:erp"]',
        "contributors": "[]",
        "contributor_action": rule.contributor_action,
        "strategy": rule.strategy,
        "flag_conflicts": "on",
        "_save": "Save",
    }
    return data | changes


def test_ownership_rule_form_rejects_an_unknown_system_kind(admin_client):
    rule = OwnershipRule.objects.get(entity="customer", attribute="credit_status")
    page = admin_client.post(change_url(rule), rule_form(rule, authoritative='["kind:mainframe"]'))
    assert page.status_code == 200
    assert "Unknown system or kind: kind:mainframe" in page.content.decode()
    rule.refresh_from_db()
    assert rule.authoritative == ["kind:erp"]


def test_ownership_rule_form_rejects_an_attribute_the_entity_does_not_have(admin_client):
    rule = OwnershipRule.objects.get(entity="contact", attribute="email")
    page = admin_client.post(change_url(rule), rule_form(rule, attribute="credit_status"))
    assert "Not a contact attribute" in page.content.decode()
    rule.refresh_from_db()
    assert rule.attribute == "email"


def test_ownership_rule_form_saves_known_systems_in_rank_order(admin_client, sap):
    rule = OwnershipRule.objects.get(entity="customer", attribute="credit_status")
    response = admin_client.post(change_url(rule), rule_form(rule, authoritative='["sap", "kind:erp"]'))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.authoritative == ["sap", "kind:erp"]
    assert rule.contributors == []


@pytest.mark.parametrize(
    "model", [CrossReference, ChangeLog, StaleUpdate, PendingReference, ImportJob, SourceRecord, OwnershipRule]
)
def test_every_steward_list_renders(admin_client, acme, model):
    assert admin_client.get(changelist_url(model)).status_code == 200


def test_stale_updates_are_listed_with_their_source_record(admin_client, acme, sap):
    ingest_customer(sap, "SAP-1", {"name": "ACME from an old export", "tax_id": "DE123"}, day=1)
    stale = StaleUpdate.objects.get()
    html = admin_client.get(changelist_url(StaleUpdate)).content.decode()
    assert change_url(stale.source_record) in html
