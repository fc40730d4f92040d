"""Odoo connector against its simulator over real HTTP, on its protocols (JSON-2, JSON-RPC, XML-RPC): full load and
incremental pull on write_date, credit holds (partner tags) reaching the hub, webhooks by the automation rule with
Basic auth, push by look-up-before-create on ``ref``, rate limits and error shapes, authentication, mapping
overrides, live standing, and a round trip."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from canonical.models import CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.base import Outbound, connector_for
from connectors.http import RemoteError, basic_auth
from connectors.models import Delivery, DeliveryState, SyncCursor, WebhookEvent
from connectors.platforms.odoo.simulator import COUNTRIES, PlatformSimulator
from connectors.receiver import Receiver
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import Knobs
from tests.conftest import ApiClient, webhook_system

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PARTNERS = "res.partner"


@pytest.fixture
def sim():
    with PlatformSimulator(knobs=Knobs()) as simulator:
        yield simulator


def odoo_system(sim, **kwargs):
    return platform_system("odoo", "odoo", sim.base_url, sim.credentials(), kind="erp", **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=str(local_id))
    return golden_get(entity, xref.golden_id)


def seed_over_time(sim, count):
    """Sample companies written one second apart, as they would be over a working day."""
    for company in companies(count):
        sim.seed([company])
        sim.advance(1)


def calls(sim, model, method="search_read"):
    return [r for r in sim.requests if r.path == f"/json/2/{model}/{method}"]


def xml_calls(sim, service):
    return [r for r in sim.requests if r.path == f"/xmlrpc/2/{service}"]


def ingest(system, entity, local_id, attributes, references=None, day=1):
    item = IngestItem(local_id, attributes, references or {}, datetime(2026, 11, day, tzinfo=UTC))
    [result] = source_records_ingest(system=system, entity=entity, items=[item])
    return result


def digits(phone):
    return "".join(c for c in phone or "" if c.isdigit())


def deliver_all(rounds=3):
    """Push everything, then again what waited for a record pushed in the same batch (its customer)."""
    for _ in range(rounds):
        drain_deliveries()
        Delivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=datetime.now(UTC))
    drain_deliveries()


def customer_named(sim, name):
    return next(p for p in sim.customers.values() if p["name"] == name)


# --- pull --------------------------------------------------------------------------------------------------------
def test_full_load_reads_every_page_and_maps_partners_contacts_and_finance(sim):
    seed_over_time(sim, 12)
    system = odoo_system(sim, settings={"page_size": 5})

    customers = system_pull(system, "customer")
    pages = len(calls(sim, PARTNERS))
    contacts = system_pull(system, "contact")

    assert (customers, contacts) == ({"customer": 12}, {"contact": len(sim.contacts)})
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 12
    assert pages == 3  # one request per page: 12 customers in pages of 5 (the boundary second is read again)
    assert len(calls(sim, "res.partner.category")) == 1  # credit tags looked up once, not per page
    partner = customer_named(sim, "Kestrel Foods AG")
    golden = golden_of(system, "customer", partner["id"])
    assert (golden.name, golden.tax_id, golden.kind, golden.status) == (
        "Kestrel Foods AG",
        partner["vat"],
        "organization",
        "active",
    )
    assert (golden.address_city, golden.address_postal_code, golden.address_country) == ("Amsterdam", "1012 AB", "NL")
    assert (golden.currency, golden.payment_terms, str(golden.credit_limit)) == (
        "EUR",
        "End of Following Month",
        "22500.00",
    )
    assert golden.credit_status == "ok"
    contact = next(c for c in sim.contacts.values() if c["parent_id"] == partner["id"])
    person = golden_of(system, "contact", contact["id"])
    assert (f"{person.first_name} {person.last_name}", person.email, person.role) == (
        contact["name"],
        contact["email"],
        contact["function"],
    )
    assert person.customer_id == golden.id
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=str(partner["id"]))
    assert record.raw["comment"] == "<p>Sample customer C0005</p>" and record.raw["credit"] > 0  # unmapped, kept


def test_partners_that_odoo_does_not_count_as_customers_are_not_read(sim):
    sim.seed(companies(2))
    sim.insert(PARTNERS, {"name": "Paper Supplier Ltd", "is_company": True, "supplier_rank": 1}, notify=False)
    system = odoo_system(sim)

    assert system_pull(system, "customer") == {"customer": 2}
    assert "Hub Demo Company" not in {r.raw["name"] for r in SourceRecord.objects.filter(system=system)}


def test_incremental_pull_reads_only_what_changed_since_the_stored_cursor(sim):
    seed_over_time(sim, 4)
    system = odoo_system(sim)
    system_pull(system)
    cursor = SyncCursor.objects.get(system=system, entity="customer").cursor

    sim.advance(30)
    partner = next(iter(sim.customers.values()))
    sim.update(PARTNERS, partner["id"], {"street": "7 Harbour Road", "comment": "<p>moved</p>"})
    counts = system_pull(system)

    assert counts == {"customer": 1, "contact": 0}
    assert golden_of(system, "customer", partner["id"]).address_line1 == "7 Harbour Road"
    assert SyncCursor.objects.get(system=system, entity="customer").cursor != cursor
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=str(partner["id"]))
    assert record.raw["comment"] == "<p>moved</p>"


def test_a_credit_hold_set_in_odoo_reaches_the_hub_on_the_next_pull_and_so_does_its_release(sim):
    seed_over_time(sim, 3)
    system = odoo_system(sim)
    system_pull(system)
    partner = next(iter(sim.customers.values()))
    assert golden_of(system, "customer", partner["id"]).credit_status == "ok"

    sim.advance(60)
    sim.set_credit_hold(partner["id"], True)
    assert system_pull(system, "customer") == {"customer": 1}
    assert golden_of(system, "customer", partner["id"]).credit_status == "hold"

    sim.advance(60)
    sim.set_credit_hold(partner["id"], False)
    assert system_pull(system, "customer") == {"customer": 1}
    assert golden_of(system, "customer", partner["id"]).credit_status == "ok"


def test_credit_tags_and_the_over_limit_rule_are_configurable(sim):
    sim.seed(companies(2))
    stop = sim.insert("res.partner.category", {"name": "Stop Supply"}, notify=False)
    first, second = sim.customers.values()
    sim.update(PARTNERS, first["id"], {"category_id": [[4, stop["id"]]]}, notify=False)
    sim.update(PARTNERS, second["id"], {"credit_limit": 100.0}, notify=False)  # far below its open invoices
    system = odoo_system(sim, settings={"credit_tags": {"Stop Supply": "blocked"}, "over_limit": "hold"})

    system_pull(system, "customer")

    assert golden_of(system, "customer", first["id"]).credit_status == "blocked"
    assert golden_of(system, "customer", second["id"]).credit_status == "hold"


def test_an_archived_customer_reads_as_inactive(sim):
    seed_over_time(sim, 2)
    system = odoo_system(sim)
    system_pull(system, "customer")
    partner = next(iter(sim.customers.values()))

    sim.advance(5)
    sim.update(PARTNERS, partner["id"], {"active": False})

    assert system_pull(system, "customer") == {"customer": 1}
    assert golden_of(system, "customer", partner["id"]).status == "inactive"


def test_records_written_within_one_second_are_read_through_the_offset_and_an_edit_in_it_is_read_again(sim):
    sim.freeze()
    sim.seed(companies(9))  # all written in the same second
    system = odoo_system(sim, settings={"page_size": 4})

    assert system_pull(system, "customer") == {"customer": 9}
    assert len(calls(sim, PARTNERS)) == 3  # offsets 0, 4 and 8 within the second
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 9

    partner = next(iter(sim.customers.values()))
    sim.update(PARTNERS, partner["id"], {"phone": "+49 30 1234 0000"})  # same second as the cursor
    assert system_pull(system, "customer") == {"customer": 1}
    assert digits(golden_of(system, "customer", partner["id"]).phone) == "493012340000"
    assert system_pull(system, "customer") == {"customer": 0}


def test_reading_the_feed_again_from_the_start_changes_no_golden_record(sim):
    seed_over_time(sim, 3)
    system = odoo_system(sim)
    system_pull(system)
    versions = {i: golden_of(system, "customer", i).version for i in sim.customers}
    SyncCursor.objects.filter(system=system).update(cursor="")

    system_pull(system)

    assert {i: golden_of(system, "customer", i).version for i in sim.customers} == versions


def test_an_operator_can_restart_the_feed_from_a_date(sim):
    seed_over_time(sim, 3)
    system = odoo_system(sim)
    system_pull(system, "customer")
    second = sorted(p["write_date"] for p in sim.customers.values())[1]
    SyncCursor.objects.filter(system=system, entity="customer").update(cursor=second)

    assert system_pull(system, "customer") == {"customer": 2}


def test_json_rpc_reads_the_same_feed_with_one_request_per_page(sim):
    seed_over_time(sim, 5)
    system = odoo_system(sim, settings={"protocol": "jsonrpc", "page_size": 3})

    assert system_pull(system, "customer") == {"customer": 5}

    rpc = [r for r in sim.requests if r.path == "/jsonrpc"]
    assert len(rpc) <= 1 + 3 + 1  # authenticate (once per process), three pages, the credit tags
    partner = customer_named(sim, "Bluefin Analytics Ltd")
    golden = golden_of(system, "customer", partner["id"])
    assert (golden.name, golden.address_country, golden.currency) == ("Bluefin Analytics Ltd", "GB", "GBP")


def test_xml_rpc_reads_the_feed_in_full_then_incrementally_with_one_request_per_page(sim):
    seed_over_time(sim, 5)
    system = odoo_system(sim, settings={"protocol": "xmlrpc", "page_size": 3})

    assert system_pull(system, "customer") == {"customer": 5}
    assert len(xml_calls(sim, "common")) <= 1  # authenticate, once per process
    assert len(xml_calls(sim, "object")) == 3 + 1  # three pages (the boundary second read again), the credit tags
    partner = customer_named(sim, "Bluefin Analytics Ltd")
    golden = golden_of(system, "customer", partner["id"])
    assert (golden.name, golden.address_country, golden.currency) == ("Bluefin Analytics Ltd", "GB", "GBP")
    term = sim.models["account.payment.term"][partner["property_payment_term_id"]]["name"]
    assert (golden.payment_terms, golden.credit_status) == (term, "ok")
    assert system_pull(system, "contact") == {"contact": len(sim.contacts)}

    before = len(sim.requests)
    sim.advance(30)
    sim.update(PARTNERS, partner["id"], {"street": "7 Harbour Road"})
    assert system_pull(system, "customer") == {"customer": 1}
    assert [r.path for r in sim.requests[before:]] == ["/xmlrpc/2/object"]  # one page, no new authentication
    assert golden_of(system, "customer", partner["id"]).address_line1 == "7 Harbour Road"


def test_xml_rpc_faults_are_judged_by_the_exception_they_stand_for(sim):
    sim.seed(companies(1))
    system = odoo_system(sim, settings={"protocol": "xmlrpc", "extra_fields": ["x_not_installed"]})

    with pytest.raises(RemoteError) as unknown_field:  # fault 1: a server error, named by its traceback
        system_pull(system, "customer")
    assert unknown_field.value.status is None and not unknown_field.value.permanent
    assert "ValueError: Invalid field 'x_not_installed'" in str(unknown_field.value)

    with pytest.raises(RemoteError) as missing:  # fault 2, told apart from other user errors by its message
        connector_for(system).standing("999999")
    assert missing.value.status == 404 and missing.value.permanent and "MissingError" in str(missing.value)


# --- webhooks ----------------------------------------------------------------------------------------------------
def post_webhook(system, body: bytes, headers: dict):
    http_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **http_headers)


def test_webhooks_valid_tampered_and_duplicate(sim):
    seed_over_time(sim, 2)
    system = odoo_system(sim)
    system_pull(system)
    partner = next(iter(sim.customers.values()))
    sim.set_credit_hold(partner["id"], True)
    event = sim.events[-1]
    assert event == {
        "_action": "Notify mdmhub(#12)",
        "_id": partner["id"],
        "_model": PARTNERS,
        "write_date": partner["write_date"],
    }
    body, headers = sim.signed(event, sim.webhook_password)
    assert body == json.dumps(event, sort_keys=True).encode()  # the bytes Odoo posts

    wrong = post_webhook(system, body, {"Authorization": basic_auth(sim.webhook_username, "guess")})
    assert wrong.status_code == 401 and wrong["Content-Type"] == "application/problem+json"
    assert post_webhook(system, body, {}).status_code == 401
    assert not WebhookEvent.objects.exists()

    first, again = post_webhook(system, body, headers), post_webhook(system, body, headers)
    assert (first.status_code, again.status_code, again.json()["duplicate"]) == (202, 200, True)
    assert "authorization" not in WebhookEvent.objects.get().headers  # the secret is not stored
    assert process_webhooks() == ["processed"] and process_webhooks() == []
    assert golden_of(system, "customer", partner["id"]).credit_status == "hold"


def test_a_forged_event_can_only_cause_a_re_read_of_what_odoo_says(sim):
    sim.seed(companies(1))
    system = odoo_system(sim)
    system_pull(system)
    [partner] = sim.customers.values()
    vendor = sim.insert(PARTNERS, {"name": "Paper Supplier Ltd", "is_company": True}, notify=False)
    golden = golden_of(system, "customer", partner["id"])
    forged = {"_id": partner["id"], "_model": PARTNERS, "name": "Evil Corp", "write_date": "2099-01-01 00:00:00"}
    headers = {"Authorization": basic_auth(sim.webhook_username, sim.webhook_password)}

    assert post_webhook(system, json.dumps(forged).encode(), headers).status_code == 202
    assert post_webhook(system, json.dumps({**forged, "_id": vendor["id"]}).encode(), headers).status_code == 202
    process_webhooks()

    assert set(WebhookEvent.objects.values_list("state", flat=True)) == {"processed"}

    assert golden_of(system, "customer", partner["id"]).name == partner["name"]  # the body's values are not used
    assert golden_of(system, "customer", partner["id"]).version == golden.version
    assert not CrossReference.objects.filter(system=system, local_id=str(vendor["id"])).exists()


def test_webhooks_are_refused_until_a_secret_is_configured(sim):
    sim.seed(companies(1))
    system = odoo_system(sim)
    system.credentials = {"api_key": sim.api_key, "database": sim.database}
    system.save()
    [partner] = sim.customers.values()
    body = json.dumps({"_id": partner["id"], "_model": PARTNERS}).encode()

    assert post_webhook(system, body, {"Authorization": basic_auth("", "")}).status_code == 401
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_automation_rule_posts_to_the_running_hub_and_the_hold_is_applied(sim, hub_web_process):
    sim.seed(companies(1))
    system = odoo_system(sim)
    system_pull(system)
    [partner] = sim.customers.values()
    host = hub_web_process.url.removeprefix("http://")
    sim.subscribe(f"http://{sim.webhook_username}:{sim.webhook_password}@{host}/api/v1/webhooks/{system.code}/")

    sim.set_credit_hold(partner["id"], True)
    sim.wait_until(lambda: len(sim.emitted) == 1)

    assert sim.emitted[0]["status"] == 202
    assert process_webhooks() == ["processed"]
    assert golden_of(system, "customer", partner["id"]).credit_status == "hold"


# --- push --------------------------------------------------------------------------------------------------------
KESTREL = {
    "kind": "organization",
    "name": "Kestrel Foods GmbH",
    "tax_id": "DE123456789",
    "address": {"line1": "1 Hafenstrasse", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
}


@pytest.mark.django_db(transaction=True)  # pushes run on worker threads, which see only committed rows
def test_push_creates_with_the_golden_id_then_updates_the_same_partner_and_links_the_contact(sim, zendesk):
    system = odoo_system(sim)
    customer = ingest(zendesk, "customer", "1000", KESTREL)
    contact = ingest(zendesk, "contact", "P1", {"first_name": "Ines", "last_name": "Costa"}, {"customer": "1000"})
    deliver_all()

    [partner] = sim.customers.values()
    assert (partner["ref"], partner["name"], partner["vat"], partner["is_company"]) == (
        customer.golden_id,
        "Kestrel Foods GmbH",
        "DE123456789",
        True,
    )
    assert (partner["country_id"], partner["city"], partner["customer_rank"]) == (COUNTRIES["DE"][0], "Hamburg", 1)
    [person] = sim.contacts.values()
    assert (person["name"], person["parent_id"], person["ref"], person["type"]) == (
        "Ines Costa",
        partner["id"],
        contact.golden_id,
        "contact",
    )
    assert golden_of(system, "customer", partner["id"]).id == customer.golden_id

    ingest(zendesk, "customer", "1000", {**KESTREL, "website": "kestrel.example"}, day=2)
    drain_deliveries()
    assert len(sim.customers) == 1 and sim.partners[partner["id"]]["website"] == "kestrel.example"
    assert sim.partners[partner["id"]]["write_uid"] == 2  # written by the integration user: no webhook echo
    assert not sim.events


def test_a_retry_after_a_lost_answer_finds_the_partner_it_created(sim, zendesk):
    odoo_system(sim)
    customer = ingest(zendesk, "customer", "1000", KESTREL)
    # The first create reached Odoo but its answer was lost: the hub does not know the partner's ID.
    created = sim.insert(PARTNERS, {"name": "Kestrel Foods", "ref": customer.golden_id, "customer_rank": 1})

    drain_deliveries()

    assert list(sim.customers) == [created["id"]] and created["name"] == "Kestrel Foods GmbH"
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_a_partner_known_to_the_hub_keeps_its_own_ref_and_finance_fields(sim):
    sim.seed(companies(1))
    system = odoo_system(sim)
    [partner] = sim.customers.values()
    sim.update(PARTNERS, partner["id"], {"ref": "CUST-0042"}, notify=False)
    before = dict(sim.partners[partner["id"]])
    data = {"name": partner["name"], "website": "acme-industrial.example", "credit_limit": "1.00", "currency": "USD"}
    outbound = Outbound(
        "customer", "G-1", 2, "update", {**data, "credit_status": "ok"}, ["website"], str(partner["id"]), "t"
    )

    result = connector_for(system).push(outbound)

    after = sim.partners[partner["id"]]
    assert (result.ok, result.remote_id, after["website"]) == (True, str(partner["id"]), "acme-industrial.example")
    assert after["ref"] == "CUST-0042" and after["credit_limit"] == before["credit_limit"]
    assert after["currency_id"] == before["currency_id"] and after["category_id"] == before["category_id"]


@pytest.mark.django_db(transaction=True)  # pushes run on worker threads, which see only committed rows
def test_a_contact_waits_for_its_customer_to_reach_odoo(sim, zendesk):
    system = odoo_system(sim)
    customer = ingest(zendesk, "customer", "1000", KESTREL)
    ingest(zendesk, "contact", "P1", {"first_name": "Ines", "last_name": "Costa"}, {"customer": "1000"})
    later = datetime.now(UTC) + timedelta(hours=1)
    Delivery.objects.filter(golden_id=customer.golden_id).update(next_attempt_at=later)  # the customer is held up

    drain_deliveries()
    waiting = Delivery.objects.get(system=system, entity="contact")
    assert waiting.state == DeliveryState.PENDING and waiting.attempts == 0  # waits, spending no attempt
    assert not sim.contacts

    for _ in range(2):
        Delivery.objects.update(next_attempt_at=datetime.now(UTC))
        drain_deliveries()

    [partner], [person] = sim.customers.values(), sim.contacts.values()
    assert person["parent_id"] == partner["id"]
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_a_person_customer_is_an_individual_partner_and_reads_back_with_first_and_last_name(sim, zendesk):
    system = odoo_system(sim)
    customer = ingest(zendesk, "customer", "7", {"kind": "person", "first_name": "Greta", "last_name": "Lindqvist"})
    drain_deliveries()

    [partner] = sim.customers.values()
    assert (partner["name"], partner["is_company"]) == ("Greta Lindqvist", False)
    system_pull(system, "customer")
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=str(partner["id"]))
    assert record.attributes["kind"] == "person"
    assert (record.attributes["first_name"], record.attributes["last_name"]) == ("Greta", "Lindqvist")
    assert golden_of(system, "customer", partner["id"]).id == customer.golden_id


def test_429_and_5xx_are_retried_after_the_wait_asked_and_a_validation_error_dead_letters(sim, zendesk):
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        system = odoo_system(sim, subscribe=("customer", "contact"))
        sim.knobs.forced = [429, 503]
        ingest(zendesk, "customer", "1", KESTREL)
        drain_deliveries()
        delivery = Delivery.objects.get(system=system)
        assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 429)
        assert delivery.next_attempt_at - datetime.now(UTC) >= timedelta(seconds=1)  # Retry-After: 1
        for _ in range(5):
            clock.shift(timedelta(seconds=120))
            drain_deliveries()
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED and len(sim.customers) == 1

        ingest(zendesk, "contact", "P9", {"email": "accounts@kestrel.example"}, {"customer": "1"})  # no name
        clock.shift(timedelta(seconds=120))
        drain_deliveries()
        dead = Delivery.objects.get(system=system, state=DeliveryState.DEAD)
        assert dead.attempts == 1 and dead.last_status == 422
        assert "ValidationError" in dead.last_error and "Contacts require a name" in dead.last_error
        assert not sim.contacts


def test_a_rate_limited_pull_reports_the_wait_the_proxy_asks_for(sim):
    seed_over_time(sim, 2)
    system = odoo_system(sim, settings={"page_size": 1})
    sim.knobs.rate_limit, sim.knobs.rate_window = 1, 3600  # one request per hour

    with pytest.raises(RemoteError) as limited:
        system_pull(system, "customer")

    assert limited.value.status == 429 and not limited.value.permanent
    assert 3000 < limited.value.retry_after <= 3601
    assert "werkzeug.exceptions.TooManyRequests" in str(limited.value)
    assert SourceRecord.objects.filter(system=system).count() == 1  # the first page is kept with its cursor


def test_json_rpc_pushes_and_reports_odoo_errors_from_a_200_answer(sim, zendesk):
    system = odoo_system(sim, settings={"protocol": "jsonrpc"})
    customer = ingest(zendesk, "customer", "1", KESTREL)
    ingest(zendesk, "contact", "P9", {"email": "accounts@kestrel.example"}, {"customer": "1"})  # no name

    deliver_all()

    [partner] = sim.customers.values()
    assert partner["ref"] == customer.golden_id
    dead = Delivery.objects.get(system=system, entity="contact")
    assert dead.state == DeliveryState.DEAD and "Contacts require a name" in dead.last_error


def test_xml_rpc_pushes_creates_and_updates_and_a_validation_fault_dead_letters(sim, zendesk):
    system = odoo_system(sim, settings={"protocol": "xmlrpc"})
    customer = ingest(zendesk, "customer", "1", KESTREL)
    ingest(zendesk, "contact", "P9", {"email": "accounts@kestrel.example"}, {"customer": "1"})  # no name

    deliver_all()

    [partner] = sim.customers.values()
    assert (partner["ref"], partner["name"], partner["country_id"], partner["write_uid"]) == (
        customer.golden_id,
        "Kestrel Foods GmbH",
        COUNTRIES["DE"][0],
        2,
    )
    dead = Delivery.objects.get(system=system, entity="contact")
    assert (dead.state, dead.attempts, dead.last_status) == (DeliveryState.DEAD, 1, 422)
    assert "Contacts require a name" in dead.last_error  # fault 2: a user error (XML-RPC names no subclass)
    assert not sim.contacts

    ingest(zendesk, "customer", "1", {**KESTREL, "website": "kestrel.example"}, day=2)
    drain_deliveries()
    assert len(sim.customers) == 1 and sim.partners[partner["id"]]["website"] == "kestrel.example"


def test_xml_rpc_push_to_a_partner_deleted_in_odoo_creates_it_again(sim):
    system = odoo_system(sim, settings={"protocol": "xmlrpc"})
    outbound = Outbound("customer", "G-7", 1, "update", {"kind": "organization", "name": "Atlas"}, [], "424242", "t")

    result = connector_for(system).push(outbound)

    [partner] = sim.customers.values()
    assert (result.ok, result.remote_id) == (True, str(partner["id"]))
    assert (partner["name"], partner["ref"]) == ("Atlas", "G-7")


# --- authentication and mapping ----------------------------------------------------------------------------------
def test_a_wrong_api_key_is_refused_and_reported_as_permanent_on_both_protocols(sim):
    system = odoo_system(sim)
    system.credentials = {**sim.credentials(), "api_key": "not-the-key"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 401 and refused.value.permanent and "Invalid apikey" in str(refused.value)

    for protocol in ("jsonrpc", "xmlrpc"):
        system.settings = {"protocol": protocol}
        system.save()
        with pytest.raises(RemoteError) as refused:
            system_pull(system, "customer")
        assert refused.value.status == 401 and refused.value.permanent


def test_a_key_revoked_after_authentication_gets_odoos_access_denied_fault_and_is_permanent(sim):
    sim.seed(companies(1))
    system = odoo_system(sim, settings={"protocol": "xmlrpc"})
    assert system_pull(system, "customer") == {"customer": 1}

    sim.api_key = "a-new-key"  # revoked in Odoo; the hub still holds the old one
    sim.advance(5)
    sim.update(PARTNERS, next(iter(sim.customers)), {"phone": "+31 20 000 0000"})
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")

    assert refused.value.status == 401 and refused.value.permanent
    assert "AccessDenied" in str(refused.value) and refused.value.body["faultCode"] == 3


def test_a_wrong_database_is_refused(sim):
    system = odoo_system(sim)
    system.credentials = {**sim.credentials(), "database": "someone-else"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 404 and refused.value.permanent


def test_mapping_and_external_id_field_overrides_read_and_write_custom_fields(zendesk):
    custom = {PARTNERS: {"x_vat_number": "char", "x_mdm_id": "char"}}
    with PlatformSimulator(custom_fields=custom) as odoo:
        partner = odoo.insert(PARTNERS, {"name": "Vega Pharma SA", "x_vat_number": "FR40303265045", "customer_rank": 1})
        system = odoo_system(
            odoo,
            mapping={"customer": {"fields": {"tax_id": "x_vat_number", "website": None}}},
            settings={"external_id_field": "x_mdm_id"},
        )
        system_pull(system, "customer")
        assert golden_of(system, "customer", partner["id"]).tax_id == "FR40303265045"

        golden = ingest(zendesk, "customer", "9", {"kind": "organization", "name": "Helios Solar Inc", "tax_id": "US1"})
        drain_deliveries()
        created = next(p for p in odoo.customers.values() if p["name"] == "Helios Solar Inc")
        assert (created["x_vat_number"], created["x_mdm_id"], created.get("ref")) == ("US1", golden.golden_id, None)


# --- standing ----------------------------------------------------------------------------------------------------
def test_standing_reports_credit_open_and_overdue_invoices_live(sim):
    fields = {"name": "Atlas Freight BV", "is_company": True, "customer_rank": 1, "currency_id": 1}
    partner = sim.insert(PARTNERS, {**fields, "credit_limit": 5000.0, "use_partner_credit_limit": True}, notify=False)
    sim.set_credit_hold(partner["id"], True)
    sim.add_invoice(partner["id"], 1200.0, -30)
    sim.add_invoice(partner["id"], 800.0, -5, "partial")
    sim.add_invoice(partner["id"], 500.0, 10)
    sim.add_invoice(partner["id"], 300.0, -60, "paid")
    system = odoo_system(sim)

    standing = connector_for(system).standing(str(partner["id"]))

    assert (standing.credit_status, standing.credit_limit, standing.currency, standing.blocks) == (
        "hold",
        "5000.00",
        "EUR",
        ("credit",),
    )
    oldest = (sim.today() - timedelta(days=30)).isoformat()
    assert standing.overdue == {"count": 2, "amount": "1600.00", "currency": "EUR", "oldest_due_on": oldest}
    assert standing.open_items == {"count": 3, "amount": "2100.00", "currency": "EUR"}
    assert standing.as_of and datetime.fromisoformat(standing.as_of).tzinfo is not None
    assert sim.get_customer(partner["id"])["credit"] == 2100.0  # Odoo's receivable agrees


def test_standing_of_an_unknown_partner_and_of_a_slow_odoo_raise(sim):
    sim.seed(companies(1))
    system = odoo_system(sim, settings={"standing_timeout": 0.2})
    connector = connector_for(system)

    with pytest.raises(RemoteError) as missing:
        connector.standing("999999")
    assert missing.value.status == 404 and "MissingError" in str(missing.value)

    [partner] = sim.customers.values()
    sim.knobs.latency = 1.0
    with pytest.raises(RemoteError) as slow:
        connector.standing(str(partner["id"]))
    assert slow.value.status is None and not slow.value.permanent  # timed out: transient


@pytest.mark.parametrize("protocol", ["jsonrpc", "xmlrpc"])
def test_standing_over_the_older_rpc(sim, protocol):
    sim.seed(companies(4))
    held = next(p for p in sim.customers.values() if p["category_id"])
    sim.add_invoice(held["id"], 900.0, -12)
    system = odoo_system(sim, settings={"protocol": protocol})

    standing = connector_for(system).standing(str(held["id"]))

    as_odoo_reads_it = sim.get_customer(held["id"])
    currency = as_odoo_reads_it["currency_id"][1]
    assert (standing.credit_status, standing.currency, standing.blocks) == ("hold", currency, ("credit",))
    assert standing.open_items["amount"] == f"{as_odoo_reads_it['credit']:.2f}" and standing.open_items["count"] >= 2
    assert standing.overdue["count"] >= 1 and standing.overdue["oldest_due_on"] <= str(sim.today() - timedelta(12))
    assert standing.as_of and datetime.fromisoformat(standing.as_of).tzinfo is not None


# --- round trip and standalone -------------------------------------------------------------------------------------
def test_round_trip_leaves_odoo_the_golden_record_and_other_systems_agreeing(sim, zendesk):
    with Receiver(secret="crm-secret") as crm:
        webhook_system("crm", crm.url, "crm-secret")
        system = odoo_system(sim)
        result = ingest(zendesk, "customer", "55", {"kind": "organization", "name": "Orchid Dental Group Ltd"})
        drain_deliveries()
        [partner] = sim.customers.values()

        sim.advance(5)
        sim.set_credit_hold(partner["id"], True)  # finance puts the new customer on hold in Odoo
        assert post_webhook(system, *sim.signed(sim.events[-1], sim.webhook_password)).status_code == 202
        assert process_webhooks() == ["processed"]
        drain_deliveries()

        golden = golden_get("customer", result.golden_id)
        assert golden.credit_status == "hold" and golden.name == sim.partners[partner["id"]]["name"]
        assert crm.state.records[result.golden_id]["data"]["credit_status"] == "hold"
        assert len(sim.customers) == 1 and golden_of(system, "customer", partner["id"]).id == golden.id


def test_mdm_simulate_serves_odoo_with_sample_data():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mdm_simulate", "odoo", "--port", "0", "--companies", "3"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        system = platform_system("odoo-standalone", "odoo", info["base_url"], info["credentials"], kind="erp")
        assert system_pull(system, "customer") == {"customer": 3}
    finally:
        process.terminate()
        process.wait(timeout=20)
