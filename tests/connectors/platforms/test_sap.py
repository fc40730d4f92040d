"""SAP S/4HANA Cloud connector against its simulator over real HTTP: the business-partner change feed with credit
accounts, Event Mesh CloudEvents, push by look-up-before-create on BusinessPartnerIDByExtSystem with CSRF tokens,
error shapes, authentication, mapping overrides, live standing, and a round trip."""

import json
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import time_machine

from canonical.models import CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.base import connector_for
from connectors.http import RemoteError, basic_auth
from connectors.models import Delivery, DeliveryState, SyncCursor, WebhookEvent
from connectors.platforms.sap.client import external_id
from connectors.platforms.sap.simulator import VERSIONED, PlatformSimulator
from connectors.receiver import Receiver
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import Knobs
from tests.conftest import ApiClient, webhook_system

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PARTNERS = "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner"


@pytest.fixture
def sim():
    with PlatformSimulator(knobs=Knobs()) as simulator:
        yield simulator


def sap_system(sim, code="s4", **kwargs):
    return platform_system(code, "sap", sim.base_url, sim.credentials(), kind="erp", **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=local_id)
    return golden_get(entity, xref.golden_id)


def customers_of(sim):
    return sorted(sim.customers)


def requests_to(sim, path, method="GET"):
    return [r for r in sim.requests if r.method == method and r.path.endswith(path)]


def ingest(system, entity, local_id, attributes, references=None, day=1):
    item = IngestItem(local_id, attributes, references or {}, datetime(2026, 11, day, tzinfo=UTC))
    [result] = source_records_ingest(system=system, entity=entity, items=[item])
    return result


def post_webhook(system, body: bytes, headers: dict):
    http_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **http_headers)


# --- pull --------------------------------------------------------------------------------------------------------
def test_full_load_reads_every_page_and_maps_partners_credit_accounts_and_contacts(sim):
    sim.seed(companies(12))
    system = sap_system(sim, settings={"page_size": 5})

    counts = system_pull(system)

    assert counts == {"customer": 12, "contact": len(sim.relationships)}
    assert len(requests_to(sim, PARTNERS)) >= 3 + 3  # 12 customers, then the persons, in pages of five
    first = customers_of(sim)[0]
    golden = golden_of(system, "customer", first)
    partner, [account] = sim.get_customer(first), sim.credit[first]
    assert (golden.name, golden.kind, golden.tax_id) == (partner["OrganizationBPName1"], "organization", "DE298277534")
    assert (golden.address_city, golden.address_country, golden.address_line1) == ("Berlin", "DE", "122 Main Street")
    assert (str(golden.credit_limit), golden.currency, golden.payment_terms) == ("25000.00", "EUR", "NT30")
    assert (golden.credit_status, golden.status) == ("ok", "active")
    assert golden_of(system, "customer", customers_of(sim)[3]).credit_status == "hold"  # seeded on credit hold
    assert account["CreditAccountIsBlocked"] is False
    relationship = next(r for r in sim.relationships.values() if r["BusinessPartnerCompany"] == first)
    person = golden_of(system, "contact", relationship["BusinessPartnerPerson"])
    assert (person.email, person.customer_id) == (relationship["_func"]["EmailAddress"], golden.id)
    assert person.last_name == sim.partners[relationship["BusinessPartnerPerson"]]["LastName"]
    raw = SourceRecord.objects.get(system=system, entity="customer", local_id=first).raw
    assert raw["to_Customer"]["CustomerAccountGroup"] == "CUST" and raw["CreditAccount"]["CreditSegment"] == "1000"


def test_incremental_pull_brings_a_credit_hold_set_in_sap_and_nothing_else(sim):
    sim.seed(companies(4))
    system = sap_system(sim)
    system_pull(system)
    cursor = SyncCursor.objects.get(system=system, entity="customer").cursor
    bp = customers_of(sim)[1]

    sim.advance(30)
    sim.set_credit_hold(bp, True)
    counts = system_pull(system)

    assert counts == {"customer": 1, "contact": 0}
    assert golden_of(system, "customer", bp).credit_status == "hold"
    assert SyncCursor.objects.get(system=system, entity="customer").cursor != cursor
    raw = SourceRecord.objects.get(system=system, entity="customer", local_id=bp).raw
    assert raw["CreditAccount"]["CreditAccountBlockReason"] == "01"  # unmapped, kept
    assert system_pull(system) == {"customer": 0, "contact": 0}


def test_holds_set_within_one_second_are_all_read_across_pages(sim):
    sim.seed(companies(9))
    system = sap_system(sim, settings={"page_size": 4})
    system_pull(system, "customer")
    sim.advance(60)
    sim.freeze()

    for bp in customers_of(sim):
        sim.set_credit_hold(bp, True)
    before = len(requests_to(sim, PARTNERS))
    assert system_pull(system, "customer") == {"customer": 9}

    assert len(requests_to(sim, PARTNERS)) - before >= 3  # nine rows of one second, four a page: $skip walks it
    assert {golden_of(system, "customer", bp).credit_status for bp in customers_of(sim)} == {"hold"}


def test_an_answer_cut_by_the_server_is_continued_from_the_cursor(sim):
    sim.max_page = 3
    sim.seed(companies(8))
    system = sap_system(sim)

    assert system_pull(system, "customer") == {"customer": 8}
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 8


def test_reading_the_feed_again_from_the_start_changes_no_golden_record(sim):
    sim.seed(companies(3))
    system = sap_system(sim)
    system_pull(system)
    versions = {bp: golden_of(system, "customer", bp).version for bp in sim.customers}
    SyncCursor.objects.filter(system=system).update(cursor="")

    system_pull(system)

    assert {bp: golden_of(system, "customer", bp).version for bp in sim.customers} == versions


def test_an_operator_can_restart_the_feed_from_a_date(sim):
    sim.seed(companies(2))
    system = sap_system(sim)
    system_pull(system, "customer")
    SyncCursor.objects.filter(system=system, entity="customer").update(cursor="2000-01-01")

    assert system_pull(system, "customer") == {"customer": 2}


def test_block_flags_translate_to_credit_status_and_status_and_a_system_can_change_the_rules(sim):
    sim.seed(companies(5))
    order, posting, archived, _, plain = customers_of(sim)  # the fourth is seeded on credit hold
    sim.set_blocks(order, OrderIsBlockedForCustomer="01")
    sim.set_blocks(posting, PostingIsBlocked=True)
    sim.update_partner(archived, {"BusinessPartnerIsBlocked": True})
    system = sap_system(sim)
    system_pull(system, "customer")

    statuses = {bp: (golden_of(system, "customer", bp).credit_status, golden_of(system, "customer", bp).status)
                for bp in (order, posting, archived)}  # fmt: skip
    assert statuses == {order: ("hold", "active"), posting: ("blocked", "active"), archived: ("ok", "inactive")}
    assert golden_of(system, "customer", plain).credit_status == "ok"

    lenient = sap_system(
        sim, code="s4-lenient", settings={"credit_status_rules": [["blocked", ["to_Customer.PostingIsBlocked"]]]}
    )
    system_pull(lenient, "customer")
    record = SourceRecord.objects.get(system=lenient, entity="customer", local_id=order)
    assert record.attributes["credit_status"] == "ok"


# --- webhooks ----------------------------------------------------------------------------------------------------
def test_cloud_events_valid_tampered_and_duplicate_and_one_event_costs_two_requests(sim):
    sim.seed(companies(2))
    system = sap_system(sim)
    system_pull(system)
    bp = customers_of(sim)[0]
    sim.set_credit_hold(bp, True)
    event = sim.events[-1]
    assert event["type"] == "sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1"
    assert event["data"] == {"BusinessPartner": bp} and event["specversion"] == "1.0"
    body, headers = sim.signed(event, sim.webhook_secret)

    wrong = {**headers, "Authorization": basic_auth(sim.webhook_user, "guess")}
    assert post_webhook(system, body, wrong).status_code == 401
    assert post_webhook(system, body, {"Content-Type": headers["Content-Type"]}).status_code == 401
    assert not WebhookEvent.objects.exists()

    first, again = post_webhook(system, body, headers), post_webhook(system, body, headers)
    assert (first.status_code, again.status_code, again.json()["duplicate"]) == (202, 200, True)
    assert "authorization" not in WebhookEvent.objects.get().headers
    before = len(sim.requests)
    assert process_webhooks() == ["processed"] and process_webhooks() == []
    assert len(sim.requests) - before == 2  # the partner (expanded) and its credit account
    assert golden_of(system, "customer", bp).credit_status == "hold"


def test_a_binary_mode_cloud_event_about_a_contact_person_is_read_as_a_contact(sim):
    sim.seed(companies(1))
    system = sap_system(sim)
    system_pull(system, "customer")
    [relationship, *_] = sim.relationships.values()
    person = relationship["BusinessPartnerPerson"]
    headers = {
        "Authorization": basic_auth(sim.webhook_user, sim.webhook_secret),
        "Content-Type": "application/json",
        "ce-id": "7f1b2c3d",
        "ce-source": "/default/sap.s4.beh/0LOCALSIM",
        "ce-type": "sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1",
        "ce-specversion": "1.0",
    }

    assert post_webhook(system, json.dumps({"BusinessPartner": person}).encode(), headers).status_code == 202
    assert process_webhooks() == ["processed"]
    contact = golden_of(system, "contact", person)
    assert contact.email == relationship["_func"]["EmailAddress"]
    assert contact.customer_id == golden_of(system, "customer", relationship["BusinessPartnerCompany"]).id


@pytest.mark.django_db(transaction=True)
def test_event_mesh_posts_a_credit_hold_to_the_running_hub_and_it_is_applied(sim, hub_web_process):
    sim.seed(companies(1))
    system = sap_system(sim)
    system_pull(system)
    [bp] = sim.customers
    sim.subscribe(f"{hub_web_process.url}/api/v1/webhooks/{system.code}/")

    sim.set_credit_hold(bp, True)
    sim.wait_until(lambda: len(sim.emitted) == 1)

    assert sim.emitted[0]["status"] == 202
    assert process_webhooks() == ["processed"]
    assert golden_of(system, "customer", bp).credit_status == "hold"


# --- push --------------------------------------------------------------------------------------------------------
KESTREL = {
    "kind": "organization",
    "name": "Kestrel Foods GmbH",
    "tax_id": "DE123456789",
    "address": {"line1": "7 Hafenstrasse", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
}


@pytest.mark.django_db(transaction=True)  # pushes run on worker threads, which see only committed rows
def test_push_creates_with_the_golden_id_then_updates_only_what_changed_and_links_the_contact(sim, zendesk):
    system = sap_system(sim)
    customer = ingest(zendesk, "customer", "1000", KESTREL)
    contact = ingest(
        zendesk,
        "contact",
        "P1",
        {"first_name": "Ines", "last_name": "Costa", "email": "ines@kestrel.example"},
        {"customer": "1000"},
    )
    drain_deliveries()
    # The two pushes run side by side: a contact whose customer is still on its way waits for it, then links to it.
    Delivery.objects.update(next_attempt_at=datetime.now(UTC))
    drain_deliveries()

    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    company = sim.find_partner(external_id(customer.golden_id))
    person = sim.find_partner(external_id(contact.golden_id))
    assert (company["OrganizationBPName1"], company["BusinessPartnerCategory"]) == ("Kestrel Foods GmbH", "2")
    created = sim.get_customer(company["BusinessPartner"])
    assert created["to_BusinessPartnerTax"]["results"][0]["BPTaxNumber"] == "DE123456789"
    assert created["to_BusinessPartnerAddress"]["results"][0]["CityName"] == "Hamburg"
    assert created["to_Customer"] is not None  # the customer roles made it a customer
    assert (person["FirstName"], person["LastName"], person["BusinessPartnerCategory"]) == ("Ines", "Costa", "1")
    [link] = sim.relationships.values()
    assert (link["BusinessPartnerCompany"], link["BusinessPartnerPerson"]) == (
        company["BusinessPartner"],
        person["BusinessPartner"],
    )
    assert link["_func"]["EmailAddress"] == "ines@kestrel.example"
    assert golden_of(system, "customer", company["BusinessPartner"]).id == customer.golden_id

    patches = len(requests_to(sim, "", method="PATCH"))
    moved = {**KESTREL, "address": {**KESTREL["address"], "city": "Bremen", "postal_code": "28195"}}
    ingest(zendesk, "customer", "1000", moved, day=2)
    drain_deliveries()
    assert len(sim.partners) == 2 and sim.addresses[company["BusinessPartner"]][0]["CityName"] == "Bremen"
    patched = [r.path.split("/")[-1].partition("(")[0] for r in sim.requests if r.method == "PATCH"][patches:]
    assert patched == ["A_BusinessPartnerAddress"]  # the name and tax number did not change: not written


def test_a_person_customer_is_a_person_business_partner_both_ways(sim, zendesk):
    system = sap_system(sim)
    result = ingest(zendesk, "customer", "77", {"kind": "person", "first_name": "Ada", "last_name": "Lovelace"})
    drain_deliveries()
    partner = sim.find_partner(external_id(result.golden_id))
    assert (partner["BusinessPartnerCategory"], partner["FirstName"], partner["LastName"]) == ("1", "Ada", "Lovelace")
    assert partner["OrganizationBPName1"] == ""

    assert system_pull(system, "customer") == {"customer": 1}
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=partner["BusinessPartner"])
    assert {k: record.attributes.get(k) for k in ("kind", "first_name", "last_name")} == {
        "kind": "person",
        "first_name": "Ada",
        "last_name": "Lovelace",
    }


def test_a_retry_after_a_lost_answer_finds_the_partner_it_created(sim, zendesk):
    sap_system(sim)
    customer = ingest(zendesk, "customer", "1000", KESTREL)
    # The first POST reached SAP but its answer was lost: the hub does not know the business partner.
    bp = sim.add_partner(
        {"OrganizationBPName1": "Kestrel Foods", "BusinessPartnerIDByExtSystem": external_id(customer.golden_id)}
    )

    drain_deliveries()

    assert len(sim.partners) == 1 and sim.partners[bp]["OrganizationBPName1"] == "Kestrel Foods GmbH"
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_an_expired_csrf_session_is_fetched_again_once(sim, zendesk):
    system = sap_system(sim)
    ingest(zendesk, "customer", "1000", KESTREL)
    drain_deliveries()
    fetches = len(requests_to(sim, "API_BUSINESS_PARTNER/"))
    sim.expire_sessions()

    ingest(zendesk, "customer", "1000", {**KESTREL, "name": "Kestrel Foods SE"}, day=2)
    drain_deliveries()

    assert {d.state for d in Delivery.objects.filter(system=system)} == {DeliveryState.DELIVERED}
    assert [p["OrganizationBPName1"] for p in sim.partners.values()] == ["Kestrel Foods SE"]
    refused = [r for r in sim.requests if r.method == "PATCH" and r.status == 403]
    assert len(refused) == 1 and len(requests_to(sim, "API_BUSINESS_PARTNER/")) == fetches + 1


def test_429_and_503_are_retried_and_a_validation_error_dead_letters(sim, zendesk):
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        system = sap_system(sim)
        sim.knobs.forced = [429, 503]
        ingest(zendesk, "customer", "1", {"kind": "organization", "name": "Lumen Optics AG"})
        drain_deliveries()
        delivery = Delivery.objects.get(system=system)
        assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 429)
        assert delivery.next_attempt_at - datetime.now(UTC) >= timedelta(seconds=1)  # Retry-After: 1
        for _ in range(5):
            clock.shift(timedelta(seconds=120))
            drain_deliveries()
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED and len(sim.partners) == 1

        ingest(zendesk, "customer", "2", {"kind": "organization", "name": "Atlas Freight " + "Logistics " * 5})
        clock.shift(timedelta(seconds=120))
        drain_deliveries()
        dead = Delivery.objects.get(system=system, state=DeliveryState.DEAD)
        assert dead.attempts == 1 and dead.last_status == 400 and "OrganizationBPName1" in dead.last_error
        assert len(sim.partners) == 1


def test_a_rate_limited_pull_reports_the_wait_sap_asks_for(sim):
    sim.seed(companies(2))
    system = sap_system(sim, settings={"page_size": 1})
    sim.knobs.rate_limit, sim.knobs.rate_window = 2, 3600

    with pytest.raises(RemoteError) as limited:
        system_pull(system, "customer")

    assert limited.value.status == 429 and not limited.value.permanent and limited.value.retry_after > 60
    assert "/IWFND/CM_BEC/429" in str(limited.value)
    assert SourceRecord.objects.filter(system=system).count() == 1  # the first page is kept with its cursor


# --- optimistic concurrency (ETags) ------------------------------------------------------------------------------
@contextmanager
def odata_session(sim):
    """A raw OData client of the simulator: Basic auth and a fetched CSRF token with its session cookie."""
    auth, accept = (sim.username, sim.password), {"Accept": "application/json"}
    with httpx.Client(base_url=sim.origin, auth=auth, headers=accept) as http:
        fetched = http.get("/sap/opu/odata/sap/API_BUSINESS_PARTNER/", headers={"X-CSRF-Token": "Fetch"})
        http.headers["X-CSRF-Token"] = fetched.headers["x-csrf-token"]
        yield http


def test_the_simulator_versions_entities_with_etags_only_when_asked():
    with PlatformSimulator(etags=True) as versioned, PlatformSimulator() as plain:
        for simulator in (versioned, plain):
            simulator.seed(companies(1))
        [bp] = versioned.customers
        address = (
            f"/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartnerAddress(BusinessPartner='{bp}',AddressID='1')"
        )
        partner = f"/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('{bp}')"
        with odata_session(versioned) as http:
            read = http.get(address)
            etag = read.headers["ETag"]
            assert etag == read.json()["d"]["__metadata"]["etag"] and etag.startswith("W/\"datetimeoffset'")

            missing = http.patch(address, json={"HouseNumber": "1"})
            stale = http.patch(address, json={"HouseNumber": "2"}, headers={"If-Match": "W/\"datetimeoffset'x'\""})
            assert (missing.status_code, stale.status_code) == (428, 412)
            assert "If-Match" in missing.json()["error"]["message"]["value"]
            assert "changed since it was read" in stale.json()["error"]["message"]["value"]
            assert {missing.json()["error"]["code"], stale.json()["error"]["code"]} == {"/IWBEP/CM_MGW_RT/022"}
            assert http.patch(address, json={"HouseNumber": "3"}, headers={"If-Match": etag}).status_code == 204
            assert http.patch(address, json={"HouseNumber": "4"}, headers={"If-Match": etag}).status_code == 412
            assert http.patch(address, json={"HouseNumber": "5"}, headers={"If-Match": "*"}).status_code == 204
            assert http.get(address).headers["ETag"] != etag and versioned.addresses[bp][0]["HouseNumber"] == "5"
            # The published EDMX gives the business partner no ETag: it is written without one.
            assert "ETag" not in http.get(partner).headers
            assert http.patch(partner, json={"SearchTerm1": "KESTREL"}).status_code == 204
        [plain_bp] = plain.customers
        with odata_session(plain) as http:
            read = http.get(address.replace(bp, plain_bp))
            assert "ETag" not in read.headers and "etag" not in read.json()["d"]["__metadata"]
            assert http.patch(address.replace(bp, plain_bp), json={"HouseNumber": "1"}).status_code == 204
        assert plain.preconditions == []


@pytest.fixture
def versioned_sim():
    with PlatformSimulator(knobs=Knobs(), etags={"A_BusinessPartner", *VERSIONED}) as simulator:
        yield simulator


def pushed_kestrel(sim, zendesk):
    customer = ingest(zendesk, "customer", "1000", KESTREL)
    drain_deliveries()
    return customer, sim.find_partner(external_id(customer.golden_id))["BusinessPartner"]


MOVED = {**KESTREL, "address": {**KESTREL["address"], "city": "Bremen", "postal_code": "28195"}}


def test_with_etags_a_push_writes_with_the_etag_it_read(versioned_sim, zendesk):
    sim = versioned_sim
    system = sap_system(sim)
    _, bp = pushed_kestrel(sim, zendesk)
    before = sim.get_customer(bp)

    ingest(zendesk, "customer", "1000", {**MOVED, "name": "Kestrel Foods SE"}, day=2)
    drain_deliveries()

    assert {d.state for d in Delivery.objects.filter(system=system)} == {DeliveryState.DELIVERED}
    seen = [(c["path"].rpartition("/")[2].partition("(")[0], c["if_match"]) for c in sim.preconditions]
    assert seen == [
        ("A_BusinessPartner", before["__metadata"]["etag"]),
        ("A_BusinessPartnerAddress", before["to_BusinessPartnerAddress"]["results"][0]["__metadata"]["etag"]),
    ]
    assert all(c["if_match"] == c["etag"] for c in sim.preconditions)
    after = sim.get_customer(bp)
    assert (after["OrganizationBPName1"], after["to_BusinessPartnerAddress"]["results"][0]["CityName"]) == (
        "Kestrel Foods SE",
        "Bremen",
    )
    assert after["__metadata"]["etag"] != before["__metadata"]["etag"]


def test_an_edit_in_sap_between_read_and_write_is_a_412_and_the_push_writes_again_after_reading(versioned_sim, zendesk):
    sim = versioned_sim
    system = sap_system(sim)
    _, bp = pushed_kestrel(sim, zendesk)
    # A clerk adds the house number after the connector read the address and before its PATCH arrives.
    sim.interleave(lambda: sim.update_partner(bp, {}, address={"HouseNumber": "7"}))

    ingest(zendesk, "customer", "1000", MOVED, day=2)
    drain_deliveries()

    delivery = Delivery.objects.filter(system=system).latest("pk")
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 0)  # recovered within the first try
    writes = [r.status for r in sim.requests if r.method == "PATCH" and "A_BusinessPartnerAddress" in r.path]
    assert writes == [412, 204]
    refused, accepted = sim.preconditions
    assert refused["if_match"] != refused["etag"] and accepted["if_match"] == accepted["etag"] == refused["etag"]
    assert requests_to(sim, "AddressID='1')")  # read again by key for its new ETag
    address = sim.addresses[bp][0]
    assert (address["CityName"], address["PostalCode"], address["HouseNumber"]) == ("Bremen", "28195", "7")


def test_an_entity_changed_again_before_the_second_write_is_retried_later_not_dead_lettered(versioned_sim, zendesk):
    sim = versioned_sim
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        system = sap_system(sim)
        _, bp = pushed_kestrel(sim, zendesk)
        for number in ("7", "9"):
            sim.interleave(lambda n=number: sim.update_partner(bp, {}, address={"HouseNumber": n}))

        ingest(zendesk, "customer", "1000", MOVED, day=2)
        drain_deliveries()
        delivery = Delivery.objects.filter(system=system).latest("pk")
        assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 412)

        clock.shift(timedelta(seconds=600))
        drain_deliveries()
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED
        assert (sim.addresses[bp][0]["CityName"], sim.addresses[bp][0]["HouseNumber"]) == ("Bremen", "9")


def test_a_write_without_the_etag_an_entity_requires_is_a_permanent_428(sim, zendesk):
    system = sap_system(sim)
    _, bp = pushed_kestrel(sim, zendesk)
    # The service starts versioning addresses after the connector read this one without an ETag.
    sim.interleave(lambda: sim.etags.add("A_BusinessPartnerAddress"))

    ingest(zendesk, "customer", "1000", MOVED, day=2)
    drain_deliveries()

    dead = Delivery.objects.get(system=system, state=DeliveryState.DEAD)
    assert (dead.attempts, dead.last_status) == (1, 428) and "Precondition required" in dead.last_error
    assert sim.preconditions[0]["if_match"] is None and sim.addresses[bp][0]["CityName"] == "Hamburg"


# --- authentication and mapping ----------------------------------------------------------------------------------
def test_wrong_credentials_are_refused_and_reported_as_permanent(sim):
    system = sap_system(sim)
    system.credentials = {"username": sim.username, "password": "wrong"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 401 and refused.value.permanent


def test_an_oauth_bearer_token_is_accepted(sim):
    sim.seed(companies(1))
    system = sap_system(sim)
    system.credentials = {"access_token": sim.token}
    system.save()
    assert system_pull(system, "customer") == {"customer": 1}


def test_a_mapping_override_reads_and_writes_an_extension_field(zendesk):
    with PlatformSimulator(custom_fields=("YY1_Website_bus",)) as custom:
        custom.seed(companies(1))
        [bp] = custom.customers
        custom.update_partner(bp, {"YY1_Website_bus": "acme.example"})
        system = sap_system(
            custom, mapping={"customer": {"fields": {"website": "YY1_Website_bus", "payment_terms": None}}}
        )
        system_pull(system, "customer")
        golden = golden_of(system, "customer", bp)
        assert golden.website == "acme.example" and not golden.payment_terms

        result = ingest(
            zendesk, "customer", "9", {"kind": "organization", "name": "Helios Solar Inc", "website": "helios.example"}
        )
        drain_deliveries()
        created = custom.find_partner(external_id(result.golden_id))
        assert (created["OrganizationBPName1"], created["YY1_Website_bus"]) == ("Helios Solar Inc", "helios.example")


# --- standing ----------------------------------------------------------------------------------------------------
def test_standing_reads_credit_blocks_and_overdue_items_live(sim):
    sim.seed(companies(4))
    held = customers_of(sim)[3]  # credit hold; index 3 has overdue invoices
    sim.set_blocks(held, DeliveryIsBlocked="01")
    system = sap_system(sim)

    standing = connector_for(system).standing(held)

    assert (standing.credit_status, standing.credit_limit, standing.currency) == ("hold", "100000.00", "USD")
    assert standing.blocks == ("delivery", "credit")
    assert standing.overdue == {
        "count": 2,
        "amount": "3576.00",
        "currency": "USD",
        "oldest_due_on": standing.overdue["oldest_due_on"],
    }
    assert standing.open_items == {"count": 3, "amount": "5476.50", "currency": "USD"}
    assert standing.overdue["oldest_due_on"] < datetime.now(UTC).date().isoformat() and standing.as_of

    clean = connector_for(system).standing(customers_of(sim)[1])
    assert (clean.credit_status, clean.blocks, clean.overdue["count"]) == ("ok", (), 0)


def test_a_slow_erp_makes_standing_fail_within_its_timeout(sim):
    sim.seed(companies(1))
    [bp] = sim.customers
    system = sap_system(sim, settings={"standing_timeout": 0.2})
    sim.knobs.latency = 1.0

    with pytest.raises(RemoteError) as slow:
        connector_for(system).standing(bp)
    assert not slow.value.permanent and "Timeout" in str(slow.value)


def test_standing_of_an_unknown_partner_is_a_permanent_error(sim):
    system = sap_system(sim)
    with pytest.raises(RemoteError) as missing:
        connector_for(system).standing("99999999")
    assert missing.value.status == 404 and missing.value.permanent


# --- round trip and standalone -----------------------------------------------------------------------------------
def test_round_trip_leaves_sap_the_golden_record_and_other_systems_agreeing(sim, zendesk):
    with Receiver(secret="crm-secret") as crm:
        webhook_system("crm", crm.url, "crm-secret")
        system = sap_system(sim)
        result = ingest(zendesk, "customer", "55", {"kind": "organization", "name": "Orchid Dental Group Ltd"})
        drain_deliveries()
        bp = sim.find_partner(external_id(result.golden_id))["BusinessPartner"]

        sim.set_credit_hold(bp, True)  # finance puts the new customer on hold
        assert post_webhook(system, *sim.signed(sim.events[-1], sim.webhook_secret)).status_code == 202
        assert process_webhooks() == ["processed"]
        drain_deliveries()

        golden = golden_get("customer", result.golden_id)
        assert golden.credit_status == "hold" and crm.state.records[result.golden_id]["data"]["credit_status"] == "hold"
        assert golden.name == sim.partners[bp]["OrganizationBPName1"] == "Orchid Dental Group Ltd"
        assert len(sim.partners) == 1 and golden_of(system, "customer", bp).id == golden.id


def test_mdm_simulate_serves_sap_with_sample_data():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mdm_simulate", "sap", "--port", "0", "--companies", "3"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        system = platform_system("s4-standalone", "sap", info["base_url"], info["credentials"], kind="erp")
        assert system_pull(system, "customer") == {"customer": 3}
    finally:
        process.terminate()
        process.wait(timeout=20)
