"""Salesforce connector against its simulator over real HTTP: SOQL full load and incremental pull, Outbound Message
webhooks, upsert by external ID, OAuth client credentials, limits and errors, mapping overrides, entitlements and
service contracts (computed Status, picklist translation), and a round trip."""

import json
import threading
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.utils import timezone

from canonical.models import CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.base import Outbound, connector_for
from connectors.http import RemoteError
from connectors.models import Delivery, DeliveryState, SyncCursor, SystemHealth, WebhookEvent
from connectors.platforms.salesforce.simulator import PlatformSimulator
from connectors.receiver import Receiver
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import Knobs
from tests.conftest import ApiClient, webhook_system

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db

GOLDEN_ID = "Mdm_Golden_Id__c"


@pytest.fixture
def sim():
    with PlatformSimulator(knobs=Knobs(), page_size=5) as simulator:
        yield simulator


def salesforce_system(sim, **kwargs):
    return platform_system("sf", "salesforce", sim.base_url, sim.credentials(), **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=local_id)
    return golden_get(entity, xref.golden_id)


def digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def make_due(system) -> None:
    """Jump over the backoff and the Retry-After pause (their timing is the delivery engine's own tests')."""
    Delivery.objects.filter(system=system).update(next_attempt_at=timezone.now())
    SystemHealth.objects.filter(system=system).update(paused_until=None)


def ingest(system, entity, local_id, attributes, references=None):
    [result] = source_records_ingest(
        system=system, entity=entity, items=[IngestItem(local_id, attributes, references or {})]
    )
    return result


def queries(sim) -> list:
    return [r for r in sim.requests if "/query" in r.path]


# --- pull -------------------------------------------------------------------------------------------------------------
def test_full_load_follows_next_records_url_to_the_end_and_maps_accounts_and_contacts(sim):
    sim.seed(companies(8))
    system = salesforce_system(sim, settings={"extra_fields": {"customer": ["Industry"]}})

    counts = system_pull(system)

    accounts, contacts = sim.records["Account"], sim.records["Contact"]
    assert counts == {"customer": 8, "contact": len(contacts), "entitlement": 16, "contract": 8}
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 8
    assert SourceRecord.objects.filter(system=system, entity="contact").count() == len(contacts)
    assert len([r for r in queries(sim) if "/query/" in r.path]) >= 1 + (len(contacts) - 1) // 5  # followed the pages
    account = next(iter(accounts.values()))
    golden = golden_of(system, "customer", account["Id"])
    assert (golden.name, golden.tax_id, golden.address_city) == (
        account["Name"],
        account["Tax_Id__c"],
        account["BillingCity"],
    )
    contact = next(c for c in contacts.values() if c["AccountId"] == account["Id"])
    person = golden_of(system, "contact", contact["Id"])
    assert (person.first_name, person.last_name, person.customer_id) == (
        contact["FirstName"],
        contact["LastName"],
        golden.id,
    )
    raw = SourceRecord.objects.get(system=system, entity="customer", local_id=account["Id"]).raw
    assert raw["Industry"] == "Manufacturing"  # unmapped, kept
    assert raw["attributes"]["type"] == "Account" and GOLDEN_ID in raw


def test_incremental_pull_reads_only_the_records_changed_since_the_stored_cursor(sim):
    sim.seed(companies(6))
    system = salesforce_system(sim)
    system_pull(system)
    cursor = SyncCursor.objects.get(system=system, entity="customer").cursor
    first, second = list(sim.records["Account"])[:2]

    sim.advance(60)
    sim.update("Account", first, {"Phone": "+49 30 5550 0001"})
    sim.update("Account", second, {"Website": "renamed.example"})
    counts = system_pull(system)

    assert counts == {"customer": 2, "contact": 0, "entitlement": 0, "contract": 0}
    assert digits(golden_of(system, "customer", first).phone) == "493055500001"
    assert golden_of(system, "customer", second).website == "renamed.example"
    assert SyncCursor.objects.get(system=system, entity="customer").cursor != cursor


def test_reading_the_feed_again_from_the_start_changes_nothing(sim):
    sim.seed(companies(4))
    system = salesforce_system(sim)
    system_pull(system)
    ids = list(sim.records["Account"])
    versions = [golden_of(system, "customer", i).version for i in ids]
    SyncCursor.objects.filter(system=system).update(cursor="")

    assert system_pull(system)["customer"] == 4
    assert [golden_of(system, "customer", i).version for i in ids] == versions


def test_an_expired_query_locator_restarts_from_the_newest_record_read(sim):
    sim.seed(companies(12))
    system = salesforce_system(sim)
    page = connector_for(system).pull_page("customer", None)
    assert not page.done and len(page.changes) == 5
    SyncCursor.objects.create(system=system, entity="customer", cursor=page.cursor)
    sim.locators.clear()  # the query locator timed out between two pulls

    system_pull(system, "customer")

    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 7  # the 7 not read yet
    assert json.loads(SyncCursor.objects.get(system=system, entity="customer").cursor).get("next") is None


# --- webhooks (Outbound Messages) -------------------------------------------------------------------------------------
def post_message(system, body: bytes, headers: dict):
    http_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **http_headers)


def test_outbound_messages_are_verified_applied_once_and_refused_when_forged(sim):
    sim.seed(companies(2))
    system = salesforce_system(sim)
    system_pull(system)
    account_id = next(iter(sim.records["Account"]))
    sim.update("Account", account_id, {"Phone": "+44 20 7946 4242"})
    body, headers = sim.signed({"sobject": "Account", "ids": [account_id]}, sim.webhook_secret)

    guessed = post_message(system, body, sim.sign(body, {"secret": "guessed"}))
    other_org = post_message(system, body.replace(sim.organization_id.encode(), b"00D5e000000OTHERAAA"), headers)
    unsigned = post_message(system, body, {})
    assert [r.status_code for r in (guessed, other_org, unsigned)] == [401, 401, 401]
    assert not WebhookEvent.objects.exists()

    first, again = post_message(system, body, headers), post_message(system, body, headers)
    assert (first.status_code, again.status_code) == (202, 200)
    for answer in (first, again):  # Salesforce stops resending only on its SOAP acknowledgement
        assert answer["Content-Type"].startswith("text/xml")
        assert ET.fromstring(answer.content).findtext(".//{http://soap.sforce.com/2005/09/outbound}Ack") == "true"
    assert process_webhooks() == ["processed"] and process_webhooks() == []
    assert digits(golden_of(system, "customer", account_id).phone) == "442079464242"
    assert "authorization" not in WebhookEvent.objects.get().headers  # the secret is not stored


def test_an_outbound_message_for_a_record_deleted_since_is_skipped(sim):
    sim.seed(companies(1))
    system = salesforce_system(sim)
    account_id = next(iter(sim.records["Account"]))
    body, headers = sim.signed({"sobject": "Account", "ids": [account_id]}, sim.webhook_secret)
    del sim.records["Account"][account_id]

    assert post_message(system, body, headers).status_code == 202
    assert process_webhooks() == ["processed"]
    assert not SourceRecord.objects.filter(system=system).exists()


# --- push -------------------------------------------------------------------------------------------------------------
KESTREL = {"kind": "organization", "name": "Kestrel Foods GmbH", "tax_id": "DE123456789", "phone": "+49 89 5550 1234"}


def test_push_upserts_by_golden_id_creating_once_then_updating_and_links_contacts(sim, sap):
    system = salesforce_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    ingest(sap, "contact", "P1", {"first_name": "Ines", "last_name": "Costa", "role": "Buyer"}, {"customer": "1000"})
    drain_deliveries()
    make_due(system)  # a contact pushed before its account exists is retried, not dead-lettered
    drain_deliveries()

    [account] = sim.records["Account"].values()
    assert (account[GOLDEN_ID], account["Name"], account["Tax_Id__c"]) == (
        customer.golden_id,
        "Kestrel Foods GmbH",
        "DE123456789",
    )
    [contact] = sim.records["Contact"].values()
    assert (contact["LastName"], contact["Title"], contact["AccountId"]) == ("Costa", "Buyer", account["Id"])
    assert CrossReference.objects.get(system=system, entity="customer").local_id == account["Id"]
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}

    ingest(sap, "customer", "1000", {**KESTREL, "credit_status": "hold"})
    drain_deliveries()
    assert len(sim.records["Account"]) == 1 and account["Credit_Status__c"] == "hold"

    # An answer lost on the way back: the hub does not know the ID and pushes again. The upsert finds the record.
    connector = connector_for(system)
    again = Outbound("customer", customer.golden_id, 9, "update", {"name": "Kestrel Foods GmbH"}, ["name"], None, "c")
    assert connector.push(again).remote_id == account["Id"]
    assert len(sim.records["Account"]) == 1


def contact_outbound(customer_golden_id: str, refs: dict) -> Outbound:
    data = {"first_name": "Ines", "last_name": "Costa", "customer": customer_golden_id}
    return Outbound("contact", "CT00000000000001", 1, "create", data, list(data), None, "corr", refs)


def test_a_contact_whose_account_is_not_in_salesforce_yet_waits_instead_of_dead_lettering(sim, sap):
    system = salesforce_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    connector = connector_for(system)

    early = connector.push(contact_outbound(customer.golden_id, {"customer": None}))
    assert not early.ok and not early.permanent
    assert not sim.records["Contact"]

    drain_deliveries()  # the account arrives
    [account] = sim.records["Account"].values()
    assert connector.push(contact_outbound(customer.golden_id, {"customer": account["Id"]})).ok
    [contact] = sim.records["Contact"].values()
    assert contact["AccountId"] == account["Id"] and contact[GOLDEN_ID] == "CT00000000000001"


def test_a_contact_of_an_account_that_came_from_salesforce_is_linked_by_the_account_id(sim):
    account_id = sim.create("Account", {"Name": "Redwood Timber Ltd"})  # no golden ID on it in Salesforce
    system = salesforce_system(sim)
    system_pull(system, "customer")
    golden_id = golden_of(system, "customer", account_id).id

    pushed = connector_for(system).push(contact_outbound(golden_id, {"customer": account_id}))

    assert pushed.ok
    assert sim.get("Contact", pushed.remote_id)["AccountId"] == account_id


def test_without_customer_deliveries_contacts_are_linked_by_the_golden_id_on_the_account(sim, sap):
    system = salesforce_system(sim, subscribe=("contact",))
    stamped = ingest(sap, "customer", "1000", KESTREL)
    ingest(sap, "customer", "2000", {"kind": "organization", "name": "Atlas Freight BV"})
    account_id = sim.create("Account", {"Name": "Kestrel Foods", GOLDEN_ID: stamped.golden_id})  # a data load did it
    ingest(sap, "contact", "P1", {"first_name": "Ines", "last_name": "Costa"}, {"customer": "1000"})
    ingest(sap, "contact", "P2", {"first_name": "Hugo", "last_name": "Novak"}, {"customer": "2000"})

    drain_deliveries()

    [contact] = sim.records["Contact"].values()
    assert (contact["LastName"], contact["AccountId"]) == ("Costa", account_id)
    dead = Delivery.objects.get(system=system, state=DeliveryState.DEAD)  # Atlas has no account with its golden ID
    assert "Foreign key external ID" in dead.last_error


def test_a_record_that_came_from_salesforce_is_updated_by_its_id_and_stamped_with_the_golden_id(sim, sap):
    account_id = sim.create("Account", {"Name": "Atlas Freight BV", "Tax_Id__c": "NL001234567B01"})
    system = salesforce_system(sim)
    system_pull(system, "customer")
    golden = golden_of(system, "customer", account_id)

    sap_record = ingest(
        sap, "customer", "77", {"kind": "organization", "name": "Atlas Freight B.V.", "tax_id": "NL001234567B01"}
    )
    assert sap_record.golden_id == golden.id  # matched on the tax ID
    drain_deliveries()

    assert list(sim.records["Account"]) == [account_id]
    assert sim.records["Account"][account_id][GOLDEN_ID] == golden.id
    assert sim.records["Account"][account_id]["Name"] == "Atlas Freight B.V."  # the ERP owns the name
    assert Delivery.objects.get(system=system).state == DeliveryState.DELIVERED


def test_limits_and_transient_errors_are_retried_and_validation_errors_dead_letter(sim, sap):
    system = salesforce_system(sim, subscribe=("customer",))
    sim.knobs.forced = [429, 503]
    ingest(sap, "customer", "1", {"kind": "organization", "name": "Lumen Optics AG"})
    drain_deliveries()  # 429 with Retry-After: paused, nothing due yet
    delivery = Delivery.objects.get(system=system)
    assert delivery.state == DeliveryState.PENDING and delivery.last_status == 429
    make_due(system)
    drain_deliveries()  # 503: transient
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.last_status == 503
    make_due(system)
    drain_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(sim.records["Account"]) == 1

    sim.daily_limit = sim.api_usage  # the org's rolling 24-hour API allowance is spent
    ingest(sap, "customer", "1", {"kind": "organization", "name": "Lumen Optics AG", "website": "lumen.example"})
    drain_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and "REQUEST_LIMIT_EXCEEDED" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(minutes=10)  # a long wait, not a dead letter
    sim.daily_limit = 1_000_000
    make_due(system)
    drain_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED

    nameless = ingest(sap, "customer", "2", {"kind": "person", "email": "someone@example.com"})
    drain_deliveries()
    dead = Delivery.objects.get(system=system, golden_id=nameless.golden_id)
    assert dead.state == DeliveryState.DEAD and "REQUIRED_FIELD_MISSING" in dead.last_error


def test_several_records_with_the_same_golden_id_dead_letter_instead_of_guessing(sim, sap):
    system = salesforce_system(sim, subscribe=("customer",))
    result = ingest(sap, "customer", "5", {"kind": "organization", "name": "Harbor & Finch Ltd"})
    for name in ("Harbor & Finch", "Harbor and Finch"):
        sim.create("Account", {"Name": name, GOLDEN_ID: result.golden_id})

    drain_deliveries()

    dead = Delivery.objects.get(system=system)
    assert dead.state == DeliveryState.DEAD and dead.last_status == 300
    assert len(sim.records["Account"]) == 2


# --- entitlements and service contracts -------------------------------------------------------------------------------
def day(sim, offset: int) -> str:
    """A date ``offset`` days from the simulator's today, as Salesforce writes dates."""
    return (sim.now_dt().date() + timedelta(days=offset)).isoformat()


def rest(sim) -> httpx.Client:
    """A plain REST client of the org, as any integration would have: to see what Salesforce itself accepts."""
    creds = sim.credentials()
    form = {
        "grant_type": "client_credentials",
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
    }
    token = httpx.post(sim.base_url + "services/oauth2/token", data=form).json()["access_token"]
    return httpx.Client(base_url=sim.base_url + "services/data/v60.0/", headers={"Authorization": f"Bearer {token}"})


def of_account(sim, sobject: str, account_id: str, **match) -> dict:
    [record] = [r for r in sim.records[sobject].values() if r["AccountId"] == account_id
                and all(r[k] == v for k, v in match.items())]  # fmt: skip
    return record


def test_full_load_reads_entitlements_and_contracts_linked_to_their_golden_customers(sim):
    sim.seed(companies(4))
    system = salesforce_system(sim)

    counts = system_pull(system)

    assert (counts["entitlement"], counts["contract"]) == (8, 4)
    first, second = list(sim.records["Account"])[:2]
    customer = golden_of(system, "customer", first)
    warranty = of_account(sim, "Entitlement", first, Type="Warranty")
    golden = golden_of(system, "entitlement", warranty["Id"])
    assert (golden.sku, golden.serial_number, golden.kind, golden.status, golden.customer_id) == (
        "HW-200",
        warranty["Serial_Number__c"],
        "warranty",
        "expired",  # Salesforce's Expired: it ended a year ago
        customer.id,
    )
    assert (golden.starts_on.isoformat(), golden.ends_on.isoformat()) == (warranty["StartDate"], warranty["EndDate"])
    support = golden_of(system, "entitlement", of_account(sim, "Entitlement", first, Type="Phone Support")["Id"])
    assert (support.kind, support.status) == ("support", "active")

    contract = of_account(sim, "ServiceContract", first)
    terms = golden_of(system, "contract", contract["Id"])
    assert (terms.number, terms.sla_level, terms.status, terms.value, terms.currency, terms.customer_id) == (
        contract["Name"],
        "Gold",
        "active",
        Decimal("12000.00"),
        "EUR",
        customer.id,
    )
    later = golden_of(system, "contract", of_account(sim, "ServiceContract", second)["Id"])
    assert later.status == "pending"  # Salesforce's Inactive: it starts next month
    raw = SourceRecord.objects.get(system=system, entity="contract", local_id=contract["Id"]).raw
    assert raw["ContractNumber"] == contract["ContractNumber"] and GOLDEN_ID in raw  # kept for stewards


def test_incremental_pull_reads_the_entitlement_and_contract_an_agent_edited(sim):
    sim.seed(companies(3))
    system = salesforce_system(sim)
    system_pull(system)
    first, second = list(sim.records["Account"])[:2]
    support = of_account(sim, "Entitlement", first, Type="Phone Support")["Id"]
    contract = of_account(sim, "ServiceContract", second)["Id"]

    sim.advance(60)
    sim.update("Entitlement", support, {"EndDate": day(sim, -1)})  # ended yesterday
    sim.update("ServiceContract", contract, {"StartDate": day(sim, -10), "Sla_Level__c": "Platinum"})
    counts = system_pull(system)

    assert counts == {"customer": 0, "contact": 0, "entitlement": 1, "contract": 1}
    assert golden_of(system, "entitlement", support).status == "expired"
    assert (golden_of(system, "contract", contract).status, golden_of(system, "contract", contract).sla_level) == (
        "active",
        "Platinum",
    )


def test_an_outbound_message_for_a_service_contract_is_applied_by_reading_the_contract_again(sim):
    sim.seed(companies(1))
    system = salesforce_system(sim)
    system_pull(system)
    [contract_id] = sim.records["ServiceContract"]
    sim.update("ServiceContract", contract_id, {"Sla_Level__c": "Bronze"})
    body, headers = sim.signed({"sobject": "ServiceContract", "ids": [contract_id]}, sim.webhook_secret)

    assert post_message(system, body, headers).status_code == 202
    assert process_webhooks() == ["processed"]
    assert golden_of(system, "contract", contract_id).sla_level == "Bronze"


def test_push_creates_entitlements_and_contracts_on_the_account_and_updates_them_without_computed_fields(sim, sap):
    system = salesforce_system(sim, subscribe=("customer", "entitlement", "contract"))
    ingest(sap, "customer", "1000", KESTREL)
    warranty = {"sku": "KX-200", "serial_number": "SN-778", "kind": "warranty", "status": "active",
                "starts_on": day(sim, -30), "ends_on": day(sim, 335)}  # fmt: skip
    entitlement = ingest(sap, "entitlement", "E1", warranty, {"customer": "1000"})
    terms = {"number": "SC-2026-0042", "sla_level": "Gold", "status": "active", "value": "24000.00",
             "currency": "EUR", "starts_on": day(sim, -30), "ends_on": day(sim, 335)}  # fmt: skip
    contract = ingest(sap, "contract", "K1", terms, {"customer": "1000"})
    drain_deliveries()
    make_due(system)  # what was pushed before its account existed waits and goes again
    drain_deliveries()

    [account] = sim.records["Account"].values()
    [created] = sim.records["Entitlement"].values()
    assert (created["AccountId"], created[GOLDEN_ID], created["Name"], created["Type"], created["Status"]) == (
        account["Id"],
        entitlement.golden_id,
        "KX-200 SN-778",  # Salesforce requires a name; it is made once, on creation
        "Warranty",
        "Active",  # worked out by Salesforce from the dates, never written
    )
    [agreement] = sim.records["ServiceContract"].values()
    assert (agreement["AccountId"], agreement[GOLDEN_ID], agreement["Name"], agreement["Sla_Level__c"]) == (
        account["Id"],
        contract.golden_id,
        "SC-2026-0042",
        "Gold",
    )
    assert agreement["GrandTotal"] is None and agreement["CurrencyIsoCode"] == "EUR"  # the total is Salesforce's own
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}

    sim.update("Entitlement", created["Id"], {"Name": "Kestrel oven warranty"}, notify=False)  # an agent renames it
    ingest(sap, "entitlement", "E1", {**warranty, "ends_on": day(sim, -1), "status": "expired"}, {"customer": "1000"})
    ingest(sap, "contract", "K1", {**terms, "sla_level": "Platinum"}, {"customer": "1000"})
    drain_deliveries()

    assert len(sim.records["Entitlement"]) == len(sim.records["ServiceContract"]) == 1
    assert (created["EndDate"], sim.get("Entitlement", created["Id"])["Status"]) == (day(sim, -1), "Expired")
    assert (created["Name"], created["AccountId"]) == ("Kestrel oven warranty", account["Id"])
    assert agreement["Sla_Level__c"] == "Platinum"
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_an_entitlement_pushed_again_without_its_id_is_found_by_golden_id_and_keeps_its_account(sim, sap):
    system = salesforce_system(sim, subscribe=("customer",))
    customer = ingest(sap, "customer", "1000", KESTREL)
    drain_deliveries()
    [account_id] = sim.records["Account"]
    connector = connector_for(system)

    def entitlement_outbound(version: int, sku: str) -> Outbound:
        data = {"sku": sku, "kind": "support", "customer": customer.golden_id}
        refs = {"customer": account_id}
        return Outbound("entitlement", "EN00000000000001", version, "update", data, ["sku"], None, "corr", refs)

    created = connector.push(entitlement_outbound(1, "KX-200"))
    again = connector.push(entitlement_outbound(2, "KX-300"))  # the first answer was lost: still no Salesforce ID

    assert created.ok and again.ok and again.remote_id == created.remote_id
    [entitlement] = sim.records["Entitlement"].values()
    assert (entitlement["Sku__c"], entitlement["Type"], entitlement["AccountId"]) == (
        "KX-300",
        "Phone Support",
        account_id,
    )


def test_salesforce_refuses_writes_of_computed_fields_and_of_an_entitlements_account():
    with PlatformSimulator() as sim:
        sim.seed(companies(2))
        first, second = list(sim.records["Account"])
        entitlement = of_account(sim, "Entitlement", first, Type="Warranty")["Id"]
        contract = of_account(sim, "ServiceContract", first)["Id"]
        with rest(sim) as client:
            answers = [
                client.patch(f"sobjects/Entitlement/{entitlement}", json={"Status": "Active"}),
                client.patch(f"sobjects/ServiceContract/{contract}", json={"ContractNumber": "42"}),
                client.patch(f"sobjects/Entitlement/{entitlement}", json={"AccountId": second}),
                client.post("sobjects/ServiceContract/", json={"Name": "SC-9", "GrandTotal": 5}),
            ]
            moved = client.patch(f"sobjects/ServiceContract/{contract}", json={"AccountId": second})

        assert [(a.status_code, a.json()[0]["errorCode"], a.json()[0]["fields"]) for a in answers] == [
            (400, "INVALID_FIELD_FOR_INSERT_UPDATE", ["Status"]),
            (400, "INVALID_FIELD_FOR_INSERT_UPDATE", ["ContractNumber"]),
            (400, "INVALID_FIELD_FOR_INSERT_UPDATE", ["AccountId"]),
            (400, "INVALID_FIELD_FOR_INSERT_UPDATE", ["GrandTotal"]),
        ]
        assert moved.status_code == 204 and sim.records["ServiceContract"][contract]["AccountId"] == second
        assert sim.get("Entitlement", entitlement)["Status"] == "Expired"


def test_term_statuses_and_entitlement_types_translate_both_ways_with_per_system_values(sim, sap):
    sim.add_field("ServiceContract", "Hub_Status__c")  # a writable status field an administrator added
    mapping = {"contract": {"fields": {"status": "Hub_Status__c"}}}
    picklists = {"entitlement": {"kind": {"inbound": {"Onsite Support": "support"},
                                          "outbound": {"support": "Onsite Support"}}}}  # fmt: skip
    system = salesforce_system(sim, subscribe=("customer", "entitlement", "contract"), mapping=mapping,
                               settings={"picklists": picklists})  # fmt: skip
    account_id = sim.create("Account", {"Name": "Lumen Optics AG"})
    contract_id = sim.create("ServiceContract", {"Name": "SC-7", "AccountId": account_id, "Hub_Status__c": "Inactive"})
    entitlement_id = sim.create("Entitlement", {"Name": "Onsite", "AccountId": account_id, "Type": "Onsite Support"})
    system_pull(system)
    assert golden_of(system, "contract", contract_id).status == "pending"
    assert golden_of(system, "entitlement", entitlement_id).kind == "support"

    ingest(sap, "customer", "1000", KESTREL)
    ingest(sap, "contract", "K1", {"number": "SC-8", "status": "cancelled"}, {"customer": "1000"})
    ingest(sap, "contract", "K2", {"number": "SC-9", "status": "expired"}, {"customer": "1000"})
    ingest(sap, "entitlement", "E1", {"sku": "ON-1", "kind": "support"}, {"customer": "1000"})
    drain_deliveries()
    make_due(system)
    drain_deliveries()

    assert sim.find("ServiceContract", "Name", "SC-8")[0]["Hub_Status__c"] == "Inactive"  # no cancelled in Salesforce
    assert sim.find("ServiceContract", "Name", "SC-9")[0]["Hub_Status__c"] == "Expired"
    assert sim.find("Entitlement", "Sku__c", "ON-1")[0]["Type"] == "Onsite Support"


# --- authentication ---------------------------------------------------------------------------------------------------
def test_the_client_credentials_token_is_reused_and_fetched_again_once_when_the_session_expires(sim):
    sim.seed(companies(2))
    system = salesforce_system(sim)
    system_pull(system)
    system_pull(system)
    fetched = sim.token_requests
    assert fetched == 1

    sim.expire_sessions()
    system_pull(system)

    assert sim.token_requests == fetched + 1
    assert [r.status for r in sim.requests if r.path.startswith("/services/data")].count(401) == 1


def test_wrong_credentials_are_refused(sim):
    system = salesforce_system(sim)
    system.credentials = {**sim.credentials(), "client_secret": "wrong"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 400 and refused.value.permanent and "invalid_client" in str(refused.value)

    system.credentials = {"access_token": "00D!forged"}
    system.save()
    with pytest.raises(RemoteError) as forged:
        system_pull(system, "customer")
    assert forged.value.status == 401 and forged.value.permanent and "INVALID_SESSION_ID" in str(forged.value)


def test_a_pre_issued_access_token_is_accepted():
    with PlatformSimulator(access_token="00D5e000000SIMab!pre-issued") as sim:
        sim.seed(companies(1))
        system = platform_system("sf", "salesforce", sim.base_url, {"access_token": "00D5e000000SIMab!pre-issued"})
        assert system_pull(system, "customer") == {"customer": 1}
        assert sim.token_requests == 0


# --- mapping ----------------------------------------------------------------------------------------------------------
def test_a_mapping_override_reads_and_writes_an_installation_specific_field(sim, sap):
    sim.add_field("Account", "VAT_Number__c")
    account_id = sim.create("Account", {"Name": "Vega Pharma SA", "VAT_Number__c": "FR40303265045"})
    system = salesforce_system(sim, mapping={"customer": {"fields": {"tax_id": "VAT_Number__c"}}})
    system_pull(system, "customer")
    assert golden_of(system, "customer", account_id).tax_id == "FR40303265045"

    ingest(sap, "customer", "9", {"kind": "organization", "name": "Helios Solar Inc", "tax_id": "US12-3456789"})
    drain_deliveries()

    [created] = sim.find("Account", "Name", "Helios Solar Inc")
    assert created["VAT_Number__c"] == "US12-3456789" and created["Tax_Id__c"] is None


def test_a_custom_external_id_field_and_an_older_api_version(sap):
    with PlatformSimulator() as sim:
        sim.add_field("Account", "Hub_Key__c", external_id=True)
        settings = {"external_id_field": "Hub_Key__c", "api_version": "45.0"}
        rest_url = sim.base_url + "services/data/v45.0/"  # configured with the REST path: cut back to the root
        system = platform_system("sf", "salesforce", rest_url, sim.credentials(), settings=settings)
        result = ingest(sap, "customer", "3", {"kind": "organization", "name": "Copperline Cables AG"})
        drain_deliveries()
        ingest(sap, "customer", "3", {"kind": "organization", "name": "Copperline Cables AG", "website": "cc.example"})
        drain_deliveries()  # v45 answers the update 204, without the ID: it is read back

        [account] = sim.records["Account"].values()
        assert account["Hub_Key__c"] == result.golden_id and account[GOLDEN_ID] is None
        assert account["Website"] == "cc.example"
        assert Delivery.objects.get(system=system).state == DeliveryState.DELIVERED
        assert all("/v45.0/" in r.path for r in sim.requests if r.path.startswith("/services/data"))


# --- the whole loop ---------------------------------------------------------------------------------------------------
class Listener:
    """An Outbound Message endpoint in front of the hub: keeps what Salesforce sent and acknowledges it in SOAP."""

    def __init__(self, ack: bytes) -> None:
        self.received: list[tuple[dict, bytes]] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                listener.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(ack)))
                self.end_headers()
                self.wfile.write(ack)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/webhooks/sf/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_round_trip_leaves_salesforce_the_golden_record_and_other_systems_agreeing(sim, sap):
    system = salesforce_system(sim, subscribe=("customer",))
    listener = Listener(connector_for(system).webhook_answer()[0])
    sim.subscribe(listener.url, secret=sim.webhook_secret)
    with Receiver(secret="s3cret") as receiver:
        webhook_system("crm", receiver.url, "s3cret")
        result = ingest(sap, "customer", "55", {"kind": "organization", "name": "Orchid Dental Group Ltd",
                                                 "phone": "+44 20 7946 0000"})  # fmt: skip
        drain_deliveries()
        [account_id] = sim.records["Account"]

        sim.update("Account", account_id, {"Phone": "+44 20 7946 1111"})  # an agent edits it: an Outbound Message
        sim.wait_until(lambda: len(sim.emitted) == 1)
        listener.close()
        assert sim.emitted[0]["status"] == 200
        [(headers, body)] = listener.received
        assert headers["content-type"].startswith("text/xml")
        assert post_message(system, body, headers).status_code == 202
        assert process_webhooks() == ["processed"]
        drain_deliveries()

        golden = golden_get("customer", result.golden_id)
        assert digits(golden.phone) == digits(sim.records["Account"][account_id]["Phone"]) == "442079461111"
        assert digits(receiver.state.records[result.golden_id]["data"]["phone"]) == "442079461111"
        assert len(sim.records["Account"]) == 1


def test_the_simulator_runs_standalone_with_the_sample_companies():
    sim = PlatformSimulator(port=0)
    sim.seed(companies(3))
    sim.start()
    try:
        creds = sim.credentials()
        token = httpx.post(
            sim.base_url + "services/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": creds["client_id"],
                  "client_secret": creds["client_secret"]},
        ).json()["access_token"]  # fmt: skip
        answer = httpx.get(
            sim.base_url + "services/data/v60.0/query",
            params={"q": "SELECT Id, Name FROM Account ORDER BY SystemModstamp, Id"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.json()["totalSize"] == 3 and answer.headers["Sforce-Limit-Info"] == "api-usage=1/100000"
        malformed = httpx.get(
            sim.base_url + "services/data/v60.0/query",
            params={"q": "SELECT Id FROM Account WHERE Name = 'x'"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert malformed.status_code == 400 and malformed.json()[0]["errorCode"] == "MALFORMED_QUERY"
    finally:
        sim.stop()
