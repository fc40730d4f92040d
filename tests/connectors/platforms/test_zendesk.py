"""Zendesk connector against its simulator over real HTTP: full load, incremental pull, webhooks, push by
create_or_update, rate limits and errors, mapping overrides, and a round trip."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from canonical.models import CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.http import RemoteError
from connectors.models import Delivery, DeliveryState, SyncCursor, SystemHealth, WebhookEvent
from connectors.platforms.zendesk.simulator import PlatformSimulator
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import Knobs
from tests.conftest import ApiClient

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def sim():
    with PlatformSimulator(knobs=Knobs()) as simulator:
        yield simulator


def zendesk_system(sim, **kwargs):
    return platform_system("zendesk", "zendesk", sim.base_url, sim.credentials(), **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=str(local_id))
    return golden_get(entity, xref.golden_id)


def test_full_load_follows_pagination_to_the_end_and_maps_organizations_and_users(sim):
    sim.seed(companies(12))
    sim.advance(61)  # Zendesk's export leaves out the last minute
    system = zendesk_system(sim, settings={"page_size": 5})

    counts = system_pull(system)

    assert counts["customer"] >= 12 and counts["contact"] >= len(sim.users)
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 12
    assert SourceRecord.objects.filter(system=system, entity="contact").count() == len(sim.users)
    exports = [r for r in sim.requests if "/incremental/" in r.path]
    assert len(exports) >= 3 + 2  # several pages of each feed
    org = next(iter(sim.organizations.values()))
    golden = golden_of(system, "customer", org["id"])
    assert golden.name == org["name"]
    assert golden.tax_id == org["organization_fields"]["tax_id"]
    assert golden.address_city == org["organization_fields"]["address_city"]
    user = next(u for u in sim.users.values() if u["organization_id"] == org["id"])
    contact = golden_of(system, "contact", user["id"])
    assert f"{contact.first_name} {contact.last_name}" == user["name"]
    assert contact.customer_id == golden.id
    # what the mapping does not cover is kept in the raw payload
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=str(org["id"]))
    assert record.raw["url"] == org["url"] and record.raw["created_at"] == org["created_at"]


def test_incremental_pull_reads_only_what_changed_since_the_stored_cursor(sim):
    sim.seed(companies(4))
    sim.advance(61)
    system = zendesk_system(sim)
    system_pull(system)
    cursor = SyncCursor.objects.get(system=system, entity="customer").cursor
    assert cursor

    org = next(iter(sim.organizations.values()))
    sim.put_organization({"name": "Renamed Holdings Ltd"}, org["id"])
    sim.advance(61)
    counts = system_pull(system)

    assert counts["customer"] == 1
    assert golden_of(system, "customer", org["id"]).name == "Renamed Holdings Ltd"
    assert SyncCursor.objects.get(system=system, entity="customer").cursor != cursor


def test_a_repeated_page_changes_nothing(sim):
    sim.seed(companies(3))
    sim.advance(61)
    system = zendesk_system(sim)
    system_pull(system)
    versions = {g.id: g.version for g in (golden_of(system, "customer", o) for o in sim.organizations)}
    SyncCursor.objects.filter(system=system).update(cursor="")  # read everything again

    system_pull(system)

    after = {g.id: g.version for g in (golden_of(system, "customer", o) for o in sim.organizations)}
    assert after == versions


def make_due(system) -> None:
    """Jump over the backoff and the Retry-After pause (their timing is the delivery engine's own tests')."""
    Delivery.objects.filter(system=system).update(next_attempt_at=timezone.now())
    SystemHealth.objects.filter(system=system).update(paused_until=None)


def post_webhook(system, body: bytes, headers: dict):
    http_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **http_headers)


def test_webhooks_valid_tampered_replayed_and_duplicate(sim):
    sim.seed(companies(2))
    sim.advance(61)
    system = zendesk_system(sim)
    system_pull(system)
    org = next(iter(sim.organizations.values()))
    sim.put_organization({"organization_fields": {"phone": "+49 30 999999"}}, org["id"])
    event = sim.events[-1]
    body, headers = sim.signed(event, sim.webhook_secret)

    tampered = post_webhook(system, body.replace(b"updated", b"deleted"), headers)
    assert tampered.status_code == 401 and tampered["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in tampered.json()["errors"]] == ["signature"]
    assert not WebhookEvent.objects.exists()

    first = post_webhook(system, body, headers)
    again = post_webhook(system, body, headers)
    assert first.status_code == 202 and again.status_code == 200 and again.json()["duplicate"] is True
    assert WebhookEvent.objects.count() == 1
    assert process_webhooks() == ["processed"]
    assert process_webhooks() == []
    golden = golden_of(system, "customer", org["id"])
    assert golden.phone.replace(" ", "") in {"+4930999999", "+49 30 999999".replace(" ", "")}
    version = golden.version

    sim.advance(-600)  # an event captured ten minutes ago and replayed now: outside the timestamp window
    stale_body, stale_headers = sim.signed({**event, "id": "another"}, sim.webhook_secret)
    sim.advance(600)
    replay = post_webhook(system, stale_body, stale_headers)
    assert replay.status_code == 401
    assert golden_of(system, "customer", org["id"]).version == version


def test_push_creates_by_external_id_then_updates_the_same_records_and_links_contacts(sim, sap):
    system = zendesk_system(sim)
    [customer] = source_records_ingest(
        system=sap,
        entity="customer",
        items=[IngestItem("1000", {"kind": "organization", "name": "Kestrel Foods GmbH", "tax_id": "DE123456789"})],
    )
    source_records_ingest(
        system=sap,
        entity="contact",
        items=[
            IngestItem(
                "P1",
                {"first_name": "Ines", "last_name": "Costa", "email": "ines@kestrel.example"},
                {"customer": "1000"},
            )
        ],
    )
    drain_deliveries()
    contact_slot = Delivery.objects.get(system=system, entity="contact")
    if contact_slot.state == DeliveryState.PENDING:  # it was in the batch of its customer: deferred, not failed
        assert contact_slot.attempts == 0 and "not in" not in contact_slot.last_error
    make_due(system)  # the contact waited for its customer's Zendesk ID
    drain_deliveries()

    [org] = sim.organizations.values()
    assert org["external_id"] == customer.golden_id and org["name"] == "Kestrel Foods GmbH"
    assert org["organization_fields"]["tax_id"] == "DE123456789"
    [user] = sim.users.values()
    assert user["name"] == "Ines Costa" and user["organization_id"] == org["id"]
    assert CrossReference.objects.get(system=system, entity="customer", golden_id=customer.golden_id).local_id == str(
        org["id"]
    )

    source_records_ingest(
        system=sap,
        entity="customer",
        items=[
            IngestItem(
                "1000",
                {
                    "kind": "organization",
                    "name": "Kestrel Foods GmbH",
                    "tax_id": "DE123456789",
                    "credit_status": "hold",
                },
                source_updated_at=datetime(2030, 1, 1, tzinfo=UTC),
            )
        ],
    )
    drain_deliveries()
    assert len(sim.organizations) == 1
    assert sim.organizations[org["id"]]["organization_fields"]["credit_status"] == "hold"


def test_an_organization_created_by_hand_in_zendesk_is_claimed_not_duplicated(sim, sap):
    sim.put_organization({"name": "Atlas Freight BV"}, notify=False)
    zendesk_system(sim)
    source_records_ingest(
        system=sap, entity="customer", items=[IngestItem("7", {"kind": "organization", "name": "Atlas Freight BV"})]
    )
    drain_deliveries()
    [org] = sim.organizations.values()
    assert org["external_id"] and Delivery.objects.get().state == DeliveryState.DELIVERED


def test_rate_limits_and_transient_errors_are_retried_and_validation_errors_dead_letter(sim, sap):
    system = zendesk_system(sim)
    sim.knobs.forced = [429, 503]
    source_records_ingest(
        system=sap, entity="customer", items=[IngestItem("1", {"kind": "organization", "name": "Lumen Optics AG"})]
    )
    drain_deliveries()  # first answer 429 Retry-After 1: the system is paused, nothing is due yet
    delivery = Delivery.objects.get(system=system)
    assert delivery.state == DeliveryState.PENDING and delivery.attempts >= 1
    make_due(system)
    drain_deliveries()  # 503: transient, retried later
    make_due(system)
    drain_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(sim.organizations) == 1

    source_records_ingest(
        system=sap,
        entity="contact",
        items=[IngestItem("X", {"first_name": "No", "last_name": "Mail", "email": "bad@x.example"}, {"customer": "1"})],
    )
    sim.knobs.forced = [422]
    drain_deliveries()
    dead = Delivery.objects.get(system=system, entity="contact")
    assert dead.state == DeliveryState.DEAD and "422" in dead.last_error


def test_wrong_credentials_are_refused_and_reported(sim):
    system = zendesk_system(sim)
    system.credentials = {"email": "admin@example.com", "api_token": "wrong"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 401 and refused.value.permanent


def test_oauth_bearer_is_accepted(sim):
    sim.seed(companies(1))
    sim.advance(61)
    system = zendesk_system(sim)
    system.credentials = {"oauth_token": sim.oauth_token}
    system.save()
    assert system_pull(system, "customer")["customer"] == 1


def test_mapping_override_reads_and_writes_an_installation_specific_field(sim, sap):
    org = sim.put_organization({"name": "Vega Pharma SA", "organization_fields": {"vat_number": "FR40303265045"}})
    sim.advance(61)
    system = zendesk_system(sim, mapping={"customer": {"fields": {"tax_id": "organization_fields.vat_number"}}})
    system_pull(system, "customer")
    assert golden_of(system, "customer", org["id"]).tax_id == "FR40303265045"

    source_records_ingest(
        system=sap,
        entity="customer",
        items=[IngestItem("9", {"kind": "organization", "name": "Helios Solar Inc", "tax_id": "US12-3456789"})],
    )
    drain_deliveries()
    created = next(o for o in sim.organizations.values() if o["name"] == "Helios Solar Inc")
    assert created["organization_fields"] == {"vat_number": "US12-3456789"} | {
        k: v for k, v in created["organization_fields"].items() if k != "vat_number"
    }
    assert "tax_id" not in created["organization_fields"]


def test_round_trip_leaves_zendesk_and_the_golden_record_agreeing(sim, sap):
    system = zendesk_system(sim)
    [result] = source_records_ingest(
        system=sap,
        entity="customer",
        items=[
            IngestItem("55", {"kind": "organization", "name": "Orchid Dental Group Ltd", "phone": "+44 20 7946 0000"})
        ],
    )
    drain_deliveries()
    [org] = sim.organizations.values()

    sim.put_organization({"organization_fields": {"phone": "+44 20 7946 1111"}}, org["id"])  # an agent edits it
    sim.advance(61)
    system_pull(system, "customer")
    drain_deliveries()

    golden = golden_get("customer", result.golden_id)
    assert golden.phone == "+44 20 7946 1111"  # support platforms own contact channels
    assert sim.organizations[org["id"]]["organization_fields"]["phone"] == golden.phone
    assert sim.organizations[org["id"]]["name"] == golden.name
    assert len(sim.organizations) == 1
