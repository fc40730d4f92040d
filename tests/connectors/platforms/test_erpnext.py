"""ERPNext connector against its simulator over real HTTP: full load and incremental pull on ``modified``, credit
holds reaching the hub, Frappe webhooks, push by look-up-before-create on the golden-ID custom field, the live
standing, rate limits and error shapes, authentication, mapping overrides, and a round trip."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine

from canonical.models import CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.base import Outbound, connector_for
from connectors.http import RemoteError
from connectors.models import Delivery, DeliveryState, SyncCursor, WebhookEvent, WebhookState
from connectors.platforms.erpnext.client import judge
from connectors.platforms.erpnext.simulator import PlatformSimulator
from connectors.receiver import Receiver
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import Knobs
from tests.conftest import ApiClient, webhook_system

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def sim():
    with PlatformSimulator(knobs=Knobs()) as simulator:
        yield simulator


def erpnext_system(sim, **kwargs):
    return platform_system("erpnext", "erpnext", sim.origin, sim.credentials(), kind="erp", **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=local_id)
    return golden_get(entity, xref.golden_id)


def seed_over_time(sim, count):
    for company in companies(count):
        sim.seed([company])
        sim.advance(1)


def reads(sim, doctype):
    return [r for r in sim.requests if r.method == "GET" and r.path == f"/api/resource/{doctype}"]


def ingest(system, entity, local_id, attributes, references=None, day=1):
    item = IngestItem(local_id, attributes, references or {}, datetime(2026, 11, day, tzinfo=UTC))
    [result] = source_records_ingest(system=system, entity=entity, items=[item])
    return result


def post_webhook(system, body: bytes, headers: dict):
    http_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **http_headers)


# --- pull --------------------------------------------------------------------------------------------------------
def test_full_load_reads_every_page_and_maps_customers_credit_addresses_and_contacts(sim):
    seed_over_time(sim, 12)
    system = erpnext_system(sim, settings={"page_size": 5})

    counts = system_pull(system)

    assert counts == {"customer": 12, "contact": len(sim.contacts)}
    assert len(reads(sim, "Customer")) >= 3  # 12 customers in pages of 5
    customer = sim.customers["Lumen Optics Pty Ltd"]
    golden = golden_of(system, "customer", customer["name"])
    assert (golden.name, golden.kind, golden.tax_id, golden.currency, golden.payment_terms) == (
        "Lumen Optics Pty Ltd",
        "organization",
        customer["tax_id"],
        customer["default_currency"],
        customer["payment_terms"],
    )
    assert str(golden.credit_limit) == f"{customer['credit_limits'][0]['credit_limit']:.2f}"
    assert (golden.credit_status, golden.status) == ("ok", "active")
    address = sim.addresses[customer["customer_primary_address"]]
    assert (golden.address_line1, golden.address_city, address["country"], golden.address_country) == (
        address["address_line1"],
        "Munich",
        "Germany",
        "DE",
    )
    frozen = next(c for c in sim.customers.values() if c["is_frozen"])
    assert golden_of(system, "customer", frozen["name"]).credit_status == "hold"
    contact = next(c for c in sim.contacts.values() if c["links"][0]["link_name"] == customer["name"])
    person = golden_of(system, "contact", contact["name"])
    assert (person.first_name, person.last_name, person.email) == (
        contact["first_name"],
        contact["last_name"],
        contact["email_id"],
    )
    assert person.customer_id == golden.id
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=customer["name"])
    assert record.raw["territory"] == "Germany" and record.raw["customer_group"] == "Commercial"  # unmapped


def test_customers_saved_in_one_instant_are_paged_through_by_offset(sim):
    sim.freeze()
    sim.seed(companies(9))  # a bulk import: one modified for all
    system = erpnext_system(sim, settings={"page_size": 4})

    assert system_pull(system, "customer") == {"customer": 9}
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 9
    assert system_pull(system, "customer") == {"customer": 0}


def test_incremental_pull_reads_only_what_changed_since_the_stored_cursor(sim):
    seed_over_time(sim, 4)
    system = erpnext_system(sim)
    system_pull(system)
    cursor = SyncCursor.objects.get(system=system, entity="customer").cursor

    sim.advance(30)
    name = next(iter(sim.customers))
    sim.update("Customer", name, {"tax_id": "DE999999999", "customer_details": "moved to the new plant"})
    counts = system_pull(system)

    assert counts == {"customer": 1, "contact": 0}
    assert golden_of(system, "customer", name).tax_id == "DE999999999"
    assert SyncCursor.objects.get(system=system, entity="customer").cursor != cursor
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=name)
    assert record.raw["customer_details"] == "moved to the new plant"  # unmapped, kept


def test_a_customer_saved_in_the_cursors_instant_after_the_pull_is_read_and_nothing_else_is(sim):
    sim.freeze()
    sim.seed(companies(3))
    system = erpnext_system(sim)
    system_pull(system, "customer")

    late = sim.insert("Customer", {"customer_name": "Late Arrival Ltd", "customer_type": "Company", **_GROUPS})
    assert late["modified"] == json.loads(SyncCursor.objects.get(system=system, entity="customer").cursor)["since"]
    assert system_pull(system, "customer") == {"customer": 1}
    assert golden_of(system, "customer", late["name"]).name == "Late Arrival Ltd"
    assert system_pull(system, "customer") == {"customer": 0}


def test_a_credit_hold_set_in_erpnext_reaches_the_golden_record_on_the_next_pull(sim):
    seed_over_time(sim, 3)
    system = erpnext_system(sim)
    system_pull(system)
    name = next(n for n, c in sim.customers.items() if not c["is_frozen"])
    assert golden_of(system, "customer", name).credit_status == "ok"

    sim.advance(5)
    sim.set_credit_hold(name, True)
    assert system_pull(system, "customer") == {"customer": 1}
    assert golden_of(system, "customer", name).credit_status == "hold"

    sim.advance(5)
    sim.set_credit_hold(name, False)
    system_pull(system, "customer")
    assert golden_of(system, "customer", name).credit_status == "ok"


def test_a_disabled_customer_reads_as_blocked_and_inactive(sim):
    sim.seed(companies(1))
    [name] = sim.customers
    sim.update("Customer", name, {"disabled": 1})
    system = erpnext_system(sim)

    system_pull(system, "customer")

    golden = golden_of(system, "customer", name)
    assert (golden.credit_status, golden.status) == ("blocked", "inactive")


def test_an_individual_customer_reads_as_a_person_with_first_and_last_name(sim):
    sim.insert("Customer", {"customer_name": "Ines Costa", "customer_type": "Individual", **_GROUPS})
    system = erpnext_system(sim)

    system_pull(system, "customer")

    golden = golden_of(system, "customer", "Ines Costa")
    assert (golden.kind, golden.first_name, golden.last_name) == ("person", "Ines", "Costa")


_GROUPS = {"customer_group": "Individual", "territory": "All Territories"}


def test_modified_is_read_in_the_sites_time_zone(sim):
    sim.seed(companies(1))
    [(name, customer)] = sim.customers.items()
    system = erpnext_system(sim, settings={"time_zone": "Europe/Berlin"})

    system_pull(system, "customer")

    record = SourceRecord.objects.get(system=system, entity="customer", local_id=name)
    local = datetime.fromisoformat(customer["modified"]).replace(tzinfo=ZoneInfo("Europe/Berlin"))
    assert record.source_updated_at == local


# --- webhooks ----------------------------------------------------------------------------------------------------
def test_webhooks_valid_tampered_and_duplicate(sim):
    seed_over_time(sim, 2)
    system = erpnext_system(sim)
    system_pull(system)
    name = next(n for n, c in sim.customers.items() if not c["is_frozen"])
    sim.set_credit_hold(name, True)
    event = sim.events[-1]
    assert event == {
        "doctype": "Customer",
        "name": name,
        "modified": sim.customers[name]["modified"],
        "event": "on_update",
    }
    body, headers = sim.signed(event, sim.webhook_secret)

    tampered = post_webhook(system, body.replace(b"on_update", b"on_trash"), headers)
    assert tampered.status_code == 401 and tampered["Content-Type"] == "application/problem+json"
    unsigned = post_webhook(system, body, {})
    assert unsigned.status_code == 401 and not WebhookEvent.objects.exists()

    first, again = post_webhook(system, body, headers), post_webhook(system, body, headers)
    assert (first.status_code, again.status_code, again.json()["duplicate"]) == (202, 200, True)
    assert process_webhooks() == ["processed"] and process_webhooks() == []
    golden = golden_of(system, "customer", name)
    assert golden.credit_status == "hold"

    replayed = post_webhook(system, body, headers)  # captured and sent again later: the same change, applied once
    assert replayed.status_code == 200 and process_webhooks() == []
    assert WebhookEvent.objects.count() == 1 and golden_of(system, "customer", name).version == golden.version


def test_an_address_event_rereads_the_customers_it_is_linked_to(sim):
    sim.seed(companies(1))
    system = erpnext_system(sim)
    system_pull(system)
    [(name, customer)] = sim.customers.items()
    sim.update("Address", customer["customer_primary_address"], {"city": "Potsdam", "pincode": "14467"})

    assert post_webhook(system, *sim.signed(sim.events[-1], sim.webhook_secret)).status_code == 202
    assert process_webhooks() == ["processed"]

    golden = golden_of(system, "customer", name)
    assert (golden.address_city, golden.address_postal_code) == ("Potsdam", "14467")


@pytest.mark.django_db(transaction=True)
def test_a_frappe_webhook_posts_to_the_running_hub_and_the_hold_is_applied(sim, hub_web_process):
    sim.seed(companies(1))
    system = erpnext_system(sim)
    system_pull(system)
    [name] = sim.customers
    sim.subscribe(f"{hub_web_process.url}/api/v1/webhooks/{system.code}/", sim.webhook_secret)

    sim.set_credit_hold(name, True)
    sim.wait_until(lambda: len(sim.emitted) == 1)

    assert sim.emitted[0]["status"] == 202
    assert process_webhooks() == ["processed"]
    assert golden_of(system, "customer", name).credit_status == "hold"


# --- push --------------------------------------------------------------------------------------------------------
KESTREL = {
    "kind": "organization",
    "name": "Kestrel Foods GmbH",
    "tax_id": "DE123456789",
    "address": {"line1": "12 Hafenstrasse", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
    "credit_status": "hold",
    "credit_limit": "90000.00",
}


@pytest.mark.django_db(transaction=True)  # pushes run on worker threads
def test_push_creates_with_the_golden_id_then_updates_the_same_records_and_links_the_contact(sim, sap):
    system = erpnext_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    drain_deliveries()  # the customer first: pushed in one batch, the contact may look it up before it exists
    person = {"first_name": "Ines", "last_name": "Costa", "email": "ines@kestrel.example", "phone": "+49 40 1234"}
    contact = ingest(sap, "contact", "P1", person, {"customer": "1000"})
    drain_deliveries()

    [created] = sim.customers.values()
    assert (created["mdm_golden_id"], created["customer_name"], created["tax_id"], created["customer_type"]) == (
        customer.golden_id,
        "Kestrel Foods GmbH",
        "DE123456789",
        "Company",
    )
    assert (created["is_frozen"], created["credit_limits"]) == (0, [])  # financials stay ERPNext's
    address = sim.addresses[created["customer_primary_address"]]
    assert (address["city"], address["country"], address["links"][0]["link_name"]) == (
        "Hamburg",
        "Germany",
        created["name"],
    )
    [linked] = sim.contacts.values()
    assert (linked["mdm_golden_id"], linked["email_id"], linked["links"][0]["link_name"]) == (
        contact.golden_id,
        "ines@kestrel.example",
        created["name"],
    )
    assert "".join(c for c in linked["phone"] if c.isdigit()) == "49401234"
    assert golden_of(system, "customer", created["name"]).id == customer.golden_id

    moved = {**KESTREL, "tax_id": "DE987654321", "address": {**KESTREL["address"], "city": "Bremen"}}
    ingest(sap, "customer", "1000", moved, day=2)
    ingest(sap, "contact", "P1", {**person, "email": "ines.costa@kestrel.example"}, {"customer": "1000"}, day=2)
    drain_deliveries()
    assert (len(sim.customers), len(sim.addresses), len(sim.contacts)) == (1, 1, 1)
    assert sim.customers[created["name"]]["tax_id"] == "DE987654321"
    assert sim.addresses[created["customer_primary_address"]]["city"] == "Bremen"
    emails = sim.contacts[linked["name"]]["email_ids"]
    assert sim.contacts[linked["name"]]["email_id"] == "ines.costa@kestrel.example"
    assert sorted(e["email_id"] for e in emails) == ["ines.costa@kestrel.example", "ines@kestrel.example"]


def test_a_retry_after_a_lost_answer_finds_the_record_it_created(sim, sap):
    erpnext_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    # The first POST reached ERPNext but its answer was lost: the hub does not know the name.
    created = sim.insert(
        "Customer",
        {"customer_name": "Kestrel Foods", "customer_type": "Company", "mdm_golden_id": customer.golden_id, **_GROUPS},
        notify=False,
    )

    drain_deliveries()

    assert list(sim.customers) == [created["name"]] and sim.customers[created["name"]]["tax_id"] == "DE123456789"
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


@pytest.mark.django_db(transaction=True)  # pushes run on worker threads
def test_a_contact_waits_for_its_customer_to_reach_erpnext(sim, sap):
    system = erpnext_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    ingest(sap, "contact", "P1", {"first_name": "Ines", "last_name": "Costa"}, {"customer": "1000"})
    later = datetime.now(UTC) + timedelta(hours=1)
    Delivery.objects.filter(golden_id=customer.golden_id).update(next_attempt_at=later)  # the customer is held up

    drain_deliveries()
    waiting = Delivery.objects.get(system=system, entity="contact")
    assert waiting.state == DeliveryState.PENDING and waiting.attempts == 0  # waits, spending no attempt
    assert not sim.contacts

    for _ in range(2):
        Delivery.objects.update(next_attempt_at=datetime.now(UTC))
        drain_deliveries()

    [created], [person] = sim.customers.values(), sim.contacts.values()
    assert person["links"] == [{**person["links"][0], "link_doctype": "Customer", "link_name": created["name"]}]
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_a_contact_keeps_its_other_rows_and_links_when_the_hub_updates_or_relinks_it(sim):
    sim.seed(companies(1))
    system = erpnext_system(sim)
    system_pull(system)
    [(name, contact), *_] = sim.contacts.items()
    [customer] = sim.customers
    address = next(iter(sim.addresses))
    links = [*contact["links"], {"link_doctype": "Address", "link_name": address}]
    sim.update("Contact", name, {"links": links, "phone_nos": [*contact["phone_nos"], {"phone": "+49 30 0000"}]})
    golden = golden_of(system, "contact", name)
    customer_golden = golden_of(system, "customer", customer).id
    connector = connector_for(system)

    update = {"first_name": "Clara", "phone": "+49 30 0000", "customer": customer_golden}
    assert connector.upsert(_contact(golden.id, update, name, {"customer": customer})) == name
    saved = sim.contacts[name]
    assert (saved["first_name"], saved["phone"]) == ("Clara", "+49 30 0000")
    assert [r["phone"] for r in saved["phone_nos"]] == [contact["phone_nos"][0]["phone"], "+49 30 0000"]
    assert [(link["link_doctype"], link["link_name"]) for link in saved["links"]] == [
        ("Customer", customer),
        ("Address", address),
    ]

    other = sim.insert("Customer", {"customer_name": "Other Reseller", "customer_type": "Company", **_GROUPS})
    connector.upsert(_contact(golden.id, {"customer": "golden-of-other"}, name, {"customer": other["name"]}))
    assert [(link["link_doctype"], link["link_name"]) for link in sim.contacts[name]["links"]] == [
        ("Customer", "Other Reseller"),
        ("Address", address),
    ]


def _contact(golden_id, data, remote_id, refs):
    return Outbound("contact", golden_id, 2, "update", data, list(data), remote_id, "test", refs)


def test_a_missing_golden_id_field_dead_letters_instead_of_touching_records(sap):
    with PlatformSimulator(custom_fields={}) as bare:
        bare.seed(companies(2))
        before = json.dumps(bare.customers, sort_keys=True)
        erpnext_system(bare)
        ingest(sap, "customer", "1000", KESTREL)

        drain_deliveries()

        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.DEAD and "Field not permitted in query: mdm_golden_id" in (
            delivery.last_error
        )
        assert delivery.last_status == 417 and json.dumps(bare.customers, sort_keys=True) == before


def test_429_and_5xx_are_retried_after_the_wait_asked_and_a_validation_error_dead_letters(sap):
    with (
        PlatformSimulator(mandatory={"Customer": ("tax_id",)}) as strict,
        time_machine.travel(datetime.now(UTC), tick=False) as clock,
    ):
        system = erpnext_system(strict)
        strict.knobs.forced = [429, 503]
        ingest(sap, "customer", "1", {"kind": "organization", "name": "Lumen Optics AG", "tax_id": "CH123"})
        drain_deliveries()
        delivery = Delivery.objects.get(system=system)
        assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 429)
        assert delivery.next_attempt_at - datetime.now(UTC) >= timedelta(seconds=1)  # Retry-After: 1
        for _ in range(5):
            clock.shift(timedelta(seconds=120))
            drain_deliveries()
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED and len(strict.customers) == 1

        ingest(sap, "customer", "2", {"kind": "organization", "name": "Atlas Freight BV"})  # no tax ID
        clock.shift(timedelta(seconds=120))
        drain_deliveries()
        dead = Delivery.objects.get(system=system, state=DeliveryState.DEAD)
        assert dead.attempts == 1 and dead.last_status == 417
        assert "MandatoryError" in dead.last_error and "Tax Id" in dead.last_error
        assert len(strict.customers) == 1


def test_a_rate_limited_pull_reports_the_wait_erpnext_asks_for(sim):
    sim.seed(companies(2))
    system = erpnext_system(sim, settings={"page_size": 1})
    sim.knobs.rate_limit, sim.knobs.rate_window = 2, 3600  # the page and its first document, then over budget

    with pytest.raises(RemoteError) as limited:
        system_pull(system, "customer")

    assert limited.value.status == 429 and not limited.value.permanent
    assert 3000 < limited.value.retry_after <= 3601
    assert SourceRecord.objects.filter(system=system).count() == 0  # the page failed whole; its cursor did not move
    assert not SyncCursor.objects.get(system=system, entity="customer").cursor


def test_frappe_error_answers_are_judged_by_their_exception_type():
    def answer(status, exc_type="", headers=None):
        notice = json.dumps({"message": f"{exc_type} happened"})
        body = {"exc_type": exc_type, "_server_messages": json.dumps([notice])} if exc_type else None
        return judge(httpx.Response(status, json=body, headers=headers or {}))

    stale = answer(417, "TimestampMismatchError")
    assert not stale.permanent and "TimestampMismatchError happened" in str(stale)
    assert answer(417, "LinkValidationError").permanent and answer(409, "DuplicateEntryError").permanent
    assert answer(429, headers={"X-RateLimit-Reset": "42"}).retry_after == 42.0
    assert not answer(502).permanent


# --- standing ----------------------------------------------------------------------------------------------------
def test_standing_reports_credit_open_and_overdue_invoices_as_erpnext_states_them(sim):
    sim.seed(companies(6))
    name = next(c["name"] for c in sim.customers.values() if c["customer_name"].startswith("Orchid"))  # key C0006
    system = erpnext_system(sim)
    open_invoices = [i for i in sim.docs["Sales Invoice"].values() if i["customer"] == name and i["outstanding_amount"]]
    overdue = sorted((i for i in open_invoices if i["due_date"] < sim.today()), key=lambda i: i["due_date"])

    standing = connector_for(system).standing(name)

    currency, limit = sim.customers[name]["default_currency"], sim.customers[name]["credit_limits"][0]["credit_limit"]
    exceeded = sum(i["outstanding_amount"] for i in open_invoices) > limit
    assert (standing.credit_status, standing.currency, standing.credit_limit) == ("ok", currency, f"{limit:.2f}")
    assert standing.blocks == (("credit",) if exceeded else ())
    assert standing.overdue == {
        "count": 2,
        "amount": f"{sum(i['outstanding_amount'] for i in overdue):.2f}",
        "currency": currency,
        "oldest_due_on": overdue[0]["due_date"],
    }
    assert standing.open_items == {
        "count": 3,
        "amount": f"{sum(i['outstanding_amount'] for i in open_invoices):.2f}",
        "currency": currency,
    }
    assert standing.as_of


def test_standing_of_a_frozen_customer_over_its_limit_names_the_blocks(sim):
    sim.seed(companies(1))
    [name] = sim.customers
    sim.update("Customer", name, {"credit_limits": [{"company": "MDM Demo Ltd", "credit_limit": 100}]})
    sim.set_credit_hold(name, True)

    standing = connector_for(erpnext_system(sim)).standing(name)

    assert (standing.credit_status, standing.credit_limit, standing.blocks) == ("hold", "100.00", ("posting", "credit"))


def test_standing_from_a_slow_erpnext_fails_within_the_timeout(sim):
    sim.seed(companies(1))
    [name] = sim.customers
    system = erpnext_system(sim, settings={"standing_timeout": 0.2})
    sim.knobs.latency = 1.0

    with pytest.raises(RemoteError) as failed:
        connector_for(system).standing(name)
    assert "Timeout" in str(failed.value) and not failed.value.permanent


def test_standing_of_an_unknown_customer_is_a_permanent_error(sim):
    with pytest.raises(RemoteError) as failed:
        connector_for(erpnext_system(sim)).standing("Nobody Ltd")
    assert failed.value.status == 404 and failed.value.permanent


# --- authentication and mapping ----------------------------------------------------------------------------------
def test_wrong_credentials_are_refused_and_reported_as_permanent(sim):
    system = erpnext_system(sim)
    system.credentials = {"api_key": sim.api_key, "api_secret": "wrong"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 401 and refused.value.permanent
    assert "AuthenticationError" in str(refused.value)


def test_an_oauth_bearer_token_is_accepted(sim):
    sim.seed(companies(1))
    system = erpnext_system(sim)
    system.credentials = {"access_token": sim.oauth_token}
    system.save()
    assert system_pull(system, "customer") == {"customer": 1}


def test_mapping_and_golden_id_field_overrides_read_and_write_installation_fields(sap):
    fields = {"Customer": ("custom_vat_number", "custom_golden_id"), "Contact": ("custom_golden_id",)}
    with PlatformSimulator(custom_fields=fields) as custom:
        custom.insert(
            "Customer",
            {"customer_name": "Vega Pharma SA", "customer_type": "Company", "custom_vat_number": "FR4030", **_GROUPS},
        )
        system = erpnext_system(
            custom,
            mapping={"customer": {"fields": {"tax_id": "custom_vat_number", "website": None}}},
            settings={"external_id_field": "custom_golden_id"},
        )
        system_pull(system, "customer")
        assert golden_of(system, "customer", "Vega Pharma SA").tax_id == "FR4030"

        golden = ingest(sap, "customer", "9", {"kind": "organization", "name": "Helios Solar Inc", "tax_id": "US123"})
        drain_deliveries()
        created = custom.customers["Helios Solar Inc"]
        assert (created["custom_vat_number"], created["custom_golden_id"]) == ("US123", golden.golden_id)


# --- round trip and standalone -----------------------------------------------------------------------------------
def test_round_trip_leaves_erpnext_the_golden_record_and_other_systems_agreeing(sim, zendesk):
    with Receiver(secret="crm-secret") as crm:
        webhook_system("crm", crm.url, "crm-secret")
        system = erpnext_system(sim)
        result = ingest(zendesk, "customer", "55", {"kind": "organization", "name": "Orchid Dental Group Ltd"})
        drain_deliveries()
        [name] = sim.customers

        sim.update("Customer", name, {"tax_id": "GB555000111"}, user="finance@erp.example")  # edited in ERPNext
        sim.set_credit_hold(name, True)
        for event in sim.events:
            assert post_webhook(system, *sim.signed(event, sim.webhook_secret)).status_code == 202
        assert "processed" in process_webhooks()
        assert set(WebhookEvent.objects.values_list("state", flat=True)) == {WebhookState.PROCESSED}
        drain_deliveries()

        golden = golden_get("customer", result.golden_id)
        assert (golden.tax_id, golden.credit_status) == (sim.customers[name]["tax_id"], "hold")
        sent = crm.state.records[result.golden_id]["data"]
        assert (sent["tax_id"], sent["credit_status"]) == ("GB555000111", "hold")
        assert golden.name == sim.customers[name]["customer_name"] == "Orchid Dental Group Ltd"
        assert len(sim.customers) == 1 and golden_of(system, "customer", name).id == golden.id


def test_the_simulator_runs_standalone_with_the_credentials_it_prints():
    simulator = PlatformSimulator(port=0)
    simulator.seed(companies(3))
    simulator.start()
    try:
        creds = simulator.credentials()
        headers = {"Authorization": f"token {creds['api_key']}:{creds['api_secret']}"}
        answer = httpx.get(f"{simulator.base_url}resource/Customer", params={"limit_page_length": 0}, headers=headers)
        assert answer.status_code == 200 and len(answer.json()["data"]) == 3
        assert simulator.get_customer(answer.json()["data"][0]["name"])["credit_limits"]
    finally:
        simulator.stop()
