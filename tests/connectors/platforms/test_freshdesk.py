"""Freshdesk connector against its simulator over real HTTP: full load and incremental pull (contacts by
``_updated_since``, companies by the filter API with its 300-result cap), webhooks by the configured Basic scheme,
push by look-up-before-create, rate limits and errors, mapping overrides, and a round trip."""

import json

import httpx
import pytest
from django.utils import timezone

from canonical.models import ChangeLog, CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.base import connector_for
from connectors.http import RemoteError, basic_auth
from connectors.models import Delivery, DeliveryState, SyncCursor, SystemHealth, WebhookEvent
from connectors.platforms.freshdesk.simulator import PlatformSimulator
from connectors.receiver import Receiver
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import iso
from tests.conftest import ApiClient, webhook_system

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db

# Pushes run on the delivery engine's worker threads, which see only committed rows (a contact's customer ID among
# them); the rollback restores the rows migrations load (ownership rules) for the tests after.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sim():
    with PlatformSimulator() as simulator:
        yield simulator


def freshdesk_system(sim, **kwargs):
    return platform_system("freshdesk", "freshdesk", sim.base_url, sim.credentials(), **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=str(local_id))
    return golden_get(entity, xref.golden_id)


def calls(sim, method, path):
    return [r for r in sim.requests if r.method == method and r.path == f"/api/v2/{path}"]


def make_due(system) -> None:
    """Jump over the backoff and the Retry-After pause (their timing is the delivery engine's own tests')."""
    Delivery.objects.filter(system=system).update(next_attempt_at=timezone.now())
    SystemHealth.objects.filter(system=system).update(paused_until=None)


def deliver(system) -> None:
    """Deliver everything, letting a contact that waited for its customer's Freshdesk ID go once it has one."""
    drain_deliveries()
    make_due(system)
    drain_deliveries()


def sap_customer(sap, local_id="1000", **attributes):
    values = {"kind": "organization", "name": "Kestrel Foods GmbH", "tax_id": "DE123456789", **attributes}
    [result] = source_records_ingest(system=sap, entity="customer", items=[IngestItem(local_id, values)])
    return result


def sap_contact(sap, local_id="P1", customer="1000", **attributes):
    values = {"first_name": "Ines", "last_name": "Costa", "email": "ines@kestrel.example", **attributes}
    item = IngestItem(local_id, values, {"customer": customer})
    [result] = source_records_ingest(system=sap, entity="contact", items=[item])
    return result


def freshdesk_get(sim, path, key=None, **params):
    auth = basic_auth(key or sim.api_key, "X")
    return httpx.get(sim.base_url + path, params=params, headers={"Authorization": auth})


# --- pull -------------------------------------------------------------------------------------------------------------
def test_full_load_follows_link_pagination_and_maps_companies_and_contacts(sim):
    sim.seed(companies(12))
    system = freshdesk_system(sim, settings={"per_page": 5})

    counts = system_pull(system)

    assert counts == {"customer": 12, "contact": len(sim.contacts)}
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 12
    assert SourceRecord.objects.filter(system=system, entity="contact").count() == len(sim.contacts)
    assert len(calls(sim, "GET", "companies")) == 3  # 5 + 5 + 2, following Link rel="next"
    assert len(calls(sim, "GET", "contacts")) == -(-len(sim.contacts) // 5)
    company = next(iter(sim.companies.values()))
    golden = golden_of(system, "customer", company["id"])
    assert (golden.name, golden.website) == (company["name"], company["domains"][0])
    assert golden.tax_id == company["custom_fields"]["cf_tax_id"]
    assert golden.address_city == company["custom_fields"]["cf_city"]
    contact = next(c for c in sim.contacts.values() if c["company_id"] == company["id"])
    person = golden_of(system, "contact", contact["id"])
    assert f"{person.first_name} {person.last_name}" == contact["name"] and person.email == contact["email"]
    assert person.customer_id == golden.id


def test_unmapped_values_are_kept_in_the_raw_payload(sim):
    sim.seed(companies(1))
    system = freshdesk_system(sim)
    system_pull(system)
    [company] = sim.companies.values()
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=str(company["id"]))
    assert record.raw["custom_fields"]["cf_segment"] == "mid-market" and record.raw["account_tier"] == "Basic"
    contact = SourceRecord.objects.filter(system=system, entity="contact").first()
    assert contact.raw["time_zone"] == "Eastern Time (US & Canada)" and contact.raw["language"] == "en"


def test_incremental_pull_reads_only_what_changed_and_updates_the_golden(sim):
    sim.seed(companies(4))
    system = freshdesk_system(sim)
    system_pull(system)
    cursors = dict(SyncCursor.objects.filter(system=system).values_list("entity", "cursor"))
    assert all(json.loads(c)["since"] for c in cursors.values())

    sim.advance(3600)
    company = next(iter(sim.companies.values()))
    contact = next(iter(sim.contacts.values()))
    sim.agent_edit("company", company["id"], name="Renamed Holdings Ltd")
    sim.agent_edit("contact", contact["id"], phone="+49 30 5550 0000")
    searches_before = len(calls(sim, "GET", "search/companies"))
    counts = system_pull(system)

    # The filter API answers every company updated that day; the connector keeps only the one changed since.
    assert counts == {"customer": 1, "contact": 1}
    assert len(calls(sim, "GET", "search/companies")) == searches_before + 1
    assert golden_of(system, "customer", company["id"]).name == "Renamed Holdings Ltd"
    assert golden_of(system, "contact", contact["id"]).phone == "+49 30 5550 0000"
    assert dict(SyncCursor.objects.filter(system=system).values_list("entity", "cursor")) != cursors


def test_repeated_items_change_nothing(sim):
    sim.seed(companies(3))
    system = freshdesk_system(sim)
    system_pull(system)
    changes = ChangeLog.objects.count()
    assert system_pull(system) == {"customer": 0, "contact": 0}  # the overlap's records are known by the cursor

    SyncCursor.objects.filter(system=system).update(cursor="")  # read everything again, as after a lost cursor
    again = system_pull(system)

    assert again == {"customer": 3, "contact": len(sim.contacts)}
    assert ChangeLog.objects.count() == changes


def test_more_changes_than_the_filter_api_reaches_are_read_from_the_full_listing(sim):
    sim.agent_create("company", name="Early Bird Ltd")
    sim.advance(3600)
    for n in range(310):
        sim.agent_create("company", name=f"Bulk Company {n:03d} Ltd")
    connector = connector_for(freshdesk_system(sim))
    early = iso(sim.now() - 1800)

    seen, cursor, done = [], json.dumps({"since": early}), False
    while not done:
        page = connector.pull_page("customer", cursor)
        seen += [change.local_id for change in page.changes]
        cursor, done = page.cursor, page.done

    assert len(calls(sim, "GET", "search/companies")) == 1  # total 310 > 30 x 10: it cannot page through them
    assert len(calls(sim, "GET", "companies")) == 4  # 100 a page
    assert len(seen) == 310 and "Early Bird Ltd" not in {sim.companies[int(i)]["name"] for i in seen}

    sim.advance(3600)
    touched = [int(seen[0]), int(seen[-1])]
    for company_id in touched:
        sim.agent_edit("company", company_id, note="called back")
    again, done = [], False
    while not done:  # still more than 300 updated that day: the listing again, filtered by time here
        page = connector.pull_page("customer", cursor)
        again += [int(change.local_id) for change in page.changes]
        cursor, done = page.cursor, page.done
    assert sorted(again) == sorted(touched)


def test_the_simulator_enforces_freshdesk_documented_limits(sim):
    sim.seed(companies(2))
    query = "\"updated_at:>'2020-01-01'\""
    assert freshdesk_get(sim, "search/companies", query=query, page="10").json()["total"] == 2
    refused = [
        freshdesk_get(sim, "search/companies", query=query, page="11"),  # at most 10 pages
        freshdesk_get(sim, "search/companies", query="updated_at:>'2020-01-01'"),  # not in double quotes
        freshdesk_get(sim, "search/companies", query="\"updated_at:>'2020-01-01T10:00:00Z'\""),  # dates only
        freshdesk_get(sim, "search/companies", query=query, per_page="50"),  # 30 a page, fixed
        freshdesk_get(sim, "contacts", per_page="101"),  # at most 100
        freshdesk_get(sim, "contacts", updated_since="2020-01-01T00:00:00Z"),  # the parameter is _updated_since
    ]
    for answer in refused:
        assert answer.status_code == 400, answer.request.url
        assert answer.json()["description"] == "Validation failed" and answer.json()["errors"][0]["code"]


def test_wrong_credentials_are_refused_and_reported(sim):
    answer = freshdesk_get(sim, "companies", key="not-the-key")
    assert answer.status_code == 401 and answer.json()["code"] == "invalid_credentials"
    system = freshdesk_system(sim)
    system.credentials = {"api_key": "not-the-key"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 401 and refused.value.permanent


def test_a_pull_over_the_rate_limit_reports_freshdesk_retry_after(sim):
    sim.seed(companies(1))
    sim.knobs.rate_limit, sim.knobs.rate_window = 1, 60
    answer = freshdesk_get(sim, "companies")
    assert answer.headers["X-RateLimit-Total"] == "1" and answer.headers["X-RateLimit-Remaining"] == "0"
    assert answer.headers["X-RateLimit-Used-CurrentRequest"] == "1"
    with pytest.raises(RemoteError) as limited:
        system_pull(freshdesk_system(sim), "customer")
    assert limited.value.status == 429 and not limited.value.permanent and limited.value.retry_after >= 1


# --- webhooks ---------------------------------------------------------------------------------------------------------
def post_webhook(system, body: bytes, headers: dict):
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **headers)


def test_webhooks_valid_wrongly_authenticated_and_duplicate(sim):
    sim.seed(companies(2))
    system = freshdesk_system(sim)
    system_pull(system)
    contact = next(iter(sim.contacts.values()))
    sim.advance(60)
    sim.agent_edit("contact", contact["id"], phone="+44 20 7946 1234")
    payload = sim.ticket_event(contact["id"], contact["company_id"])
    body = json.dumps(payload).encode()
    headers = sim.sign(body, {})
    version = golden_of(system, "contact", contact["id"]).version

    for wrong in ({}, sim.sign(body, {"secret": "guessed"}), sim.sign(body, {"user": "someone", "secret": "x"})):
        refused = post_webhook(system, body, wrong)
        assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
    assert not WebhookEvent.objects.exists()
    assert golden_of(system, "contact", contact["id"]).version == version

    first = post_webhook(system, body, headers)
    again = post_webhook(system, body, headers)  # Freshdesk retries a delivery it thinks failed
    assert first.status_code == 202 and again.status_code == 200 and again.json()["duplicate"] is True
    assert "authorization" not in WebhookEvent.objects.get().headers  # the secret is not stored with the event
    assert process_webhooks() == ["processed"]
    assert process_webhooks() == []
    golden = golden_of(system, "contact", contact["id"])
    assert golden.phone == "+44 20 7946 1234" and golden.version == version + 1


# --- push -------------------------------------------------------------------------------------------------------------
@committed
def test_push_creates_with_the_golden_id_then_updates_the_same_records_and_links_contacts(sim, sap):
    system = freshdesk_system(sim)
    customer = sap_customer(sap, website="https://www.kestrel.example/about")
    contact = sap_contact(sap)
    deliver(system)

    [company] = sim.companies.values()
    assert company["custom_fields"]["cf_mdm_golden_id"] == customer.golden_id
    assert company["name"] == "Kestrel Foods GmbH" and company["custom_fields"]["cf_tax_id"] == "DE123456789"
    assert company["domains"] == ["kestrel.example"]
    [person] = sim.contacts.values()
    assert person["unique_external_id"] == contact.golden_id and person["company_id"] == company["id"]
    assert person["name"] == "Ines Costa" and person["email"] == "ines@kestrel.example"
    assert CrossReference.objects.get(system=system, golden_id=customer.golden_id).local_id == str(company["id"])

    sap_customer(sap, website="https://www.kestrel.example/about", credit_status="hold")
    sap_contact(sap, role="Head of Purchasing")
    deliver(system)
    assert len(sim.companies) == 1 and len(sim.contacts) == 1
    assert sim.companies[company["id"]]["custom_fields"]["cf_credit_status"] == "hold"
    assert sim.contacts[person["id"]]["job_title"] == "Head of Purchasing"
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}


@committed
def test_a_lost_answer_is_retried_without_creating_a_second_record(sim, sap):
    system = freshdesk_system(sim)
    sim.index_lag = 300  # the search index has not seen the company yet when the retry looks for it
    sim.lose_answers = 1
    customer = sap_customer(sap)
    deliver(system)
    assert len(sim.companies) == 1 and Delivery.objects.get().state == DeliveryState.DELIVERED
    assert [r.status for r in calls(sim, "POST", "companies")] == [504, 409]  # the retry learns the name is taken
    [company] = sim.companies.values()
    assert CrossReference.objects.get(system=system, golden_id=customer.golden_id).local_id == str(company["id"])

    sim.lose_answers = 1
    contact = sap_contact(sap)
    deliver(system)
    [person] = sim.contacts.values()
    assert person["unique_external_id"] == contact.golden_id and person["company_id"] == company["id"]
    assert [r.status for r in calls(sim, "POST", "contacts")] == [504]  # the retry found it by unique_external_id


@committed
def test_a_contact_freshdesk_already_has_by_email_is_claimed_not_duplicated(sim, sap):
    system = freshdesk_system(sim)
    agent_made = sim.agent_create("contact", name="I. Costa", email="INES@kestrel.example")
    sap_customer(sap)
    contact = sap_contact(sap)
    deliver(system)
    [person] = sim.contacts.values()
    assert person["id"] == agent_made["id"] and person["unique_external_id"] == contact.golden_id
    assert person["name"] == "Ines Costa"
    assert [r.status for r in calls(sim, "POST", "contacts")] == [409]


def test_rate_limits_and_transient_errors_are_retried_and_validation_errors_dead_letter(sim, sap):
    system = freshdesk_system(sim, subscribe=("customer",))
    sim.knobs.forced = [429, 503]
    sap_customer(sap)
    drain_deliveries()  # 429 Retry-After 1: the system is paused, nothing is due yet
    delivery = Delivery.objects.get(system=system)
    assert delivery.state == DeliveryState.PENDING and delivery.last_status == 429
    assert SystemHealth.objects.get(system=system).paused_until > timezone.now()
    make_due(system)
    drain_deliveries()  # 503: transient, retried later
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.last_status == 503
    make_due(system)
    drain_deliveries()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(sim.companies) == 1

    sap_customer(sap, "2000", name="Vega Pharma SA", tax_id="FR40303265045", website="vega pharma dot com")
    drain_deliveries()
    dead = Delivery.objects.exclude(pk=delivery.pk).get(system=system)
    assert dead.state == DeliveryState.DEAD and dead.attempts == 1
    assert "400" in dead.last_error and "domains" in dead.last_error
    assert len(sim.companies) == 1


def test_mapping_override_reads_and_writes_an_installation_specific_field(sim, sap):
    company = sim.agent_create("company", name="Vega Pharma SA", custom_fields={"cf_vat_number": "FR40303265045"})
    system = freshdesk_system(sim, mapping={"customer": {"fields": {"tax_id": "custom_fields.cf_vat_number"}}})
    system_pull(system, "customer")
    assert golden_of(system, "customer", company["id"]).tax_id == "FR40303265045"

    sap_customer(sap, "9", name="Helios Solar Inc", tax_id="US12-3456789")
    drain_deliveries()
    [created] = sim.find("company", name="Helios Solar Inc")
    assert created["custom_fields"]["cf_vat_number"] == "US12-3456789"
    assert created["custom_fields"]["cf_tax_id"] is None


# --- round trip and standalone ----------------------------------------------------------------------------------------
@committed
def test_round_trip_leaves_freshdesk_the_golden_record_and_other_systems_agreeing(sim, sap):
    system = freshdesk_system(sim)
    with Receiver(secret="crm-secret") as crm_receiver:
        webhook_system("crm", crm_receiver.url, "crm-secret", entity="contact")
        sap_customer(sap)
        contact = sap_contact(sap, phone="+49 30 1234 0000")
        deliver(system)
        [person] = sim.contacts.values()
        assert person["phone"] == "+49 30 1234 0000"
        system_pull(system)  # the first full load: what the hub wrote comes back, linked to the same golden records

        sim.advance(3600)
        sim.agent_edit("contact", person["id"], phone="+49 30 1234 9999")  # an agent corrects the number
        assert system_pull(system) == {"customer": 0, "contact": 1}
        golden = golden_get("contact", contact.golden_id)
        assert golden.phone == "+49 30 1234 9999"
        deliver(system)

        assert crm_receiver.state.records[contact.golden_id]["data"]["phone"] == "+49 30 1234 9999"
        assert len(sim.contacts) == 1 and sim.contacts[person["id"]]["phone"] == golden.phone
        assert golden_of(system, "contact", person["id"]).id == contact.golden_id


def test_the_simulator_runs_standalone_as_the_command_starts_it():
    simulator = PlatformSimulator(port=0)
    simulator.seed(companies(3))
    simulator.start()
    try:
        credentials = simulator.credentials()
        answer = httpx.get(
            simulator.base_url + "companies", headers={"Authorization": basic_auth(credentials["api_key"], "X")}
        )
        assert answer.status_code == 200 and len(answer.json()) == 3
        assert set(credentials) == {"api_key", "webhook_user", "webhook_secret"}
    finally:
        simulator.stop()
