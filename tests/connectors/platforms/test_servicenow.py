"""ServiceNow connector against its simulator over real HTTP: full load and incremental pull on sys_updated_on,
webhooks by the documented Business Rule scheme, push by look-up-before-create on the golden-ID column, rate limits
and error shapes, authentication, mapping overrides, and a round trip."""

import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from canonical.models import CrossReference, SourceRecord
from canonical.selectors import golden_get
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.http import RemoteError, basic_auth
from connectors.models import Delivery, DeliveryState, SyncCursor, WebhookEvent
from connectors.platforms.servicenow.simulator import PlatformSimulator
from connectors.platforms.webhook.client import signature
from connectors.receiver import Receiver
from connectors.samples import companies
from connectors.services.sync import system_pull
from connectors.simulator import Knobs
from tests.conftest import ApiClient, webhook_system

from .conftest import drain_deliveries, platform_system, process_webhooks

pytestmark = pytest.mark.django_db

ACCOUNTS, CONTACTS = "customer_account", "customer_contact"
ENTITLEMENTS, CONTRACTS = "service_entitlement", "ast_contract"


@pytest.fixture
def sim():
    with PlatformSimulator(knobs=Knobs()) as simulator:
        yield simulator


def servicenow_system(sim, **kwargs):
    return platform_system("servicenow", "servicenow", sim.base_url, sim.credentials(), **kwargs)


def golden_of(system, entity, local_id):
    xref = CrossReference.objects.get(system=system, entity=entity, local_id=local_id)
    return golden_get(entity, xref.golden_id)


def seed_over_time(sim, count):
    """Sample companies written one second apart, as they would be over a working day."""
    for company in companies(count):
        sim.seed([company])
        sim.advance(1)


def table_reads(sim, table):
    return [r for r in sim.requests if r.method == "GET" and r.path.endswith(f"/table/{table}")]


def ingest(system, entity, local_id, attributes, references=None, day=1):
    item = IngestItem(local_id, attributes, references or {}, datetime(2026, 11, day, tzinfo=UTC))
    [result] = source_records_ingest(system=system, entity=entity, items=[item])
    return result


def deliver_all(rounds: int = 3):
    """Drain deliveries, sending a record that waited for its customer again at once: a batch pushes in parallel, so
    a contact may be tried before the customer beside it has landed, and its backoff is not what is tested here."""
    for _ in range(rounds):
        drain_deliveries()
        if not Delivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=datetime.now(UTC)):
            return


def digits(phone):
    return "".join(c for c in phone or "" if c.isdigit())


# --- pull --------------------------------------------------------------------------------------------------------
def test_full_load_reads_every_page_and_maps_accounts_and_contacts(sim):
    seed_over_time(sim, 12)
    system = servicenow_system(sim, settings={"page_size": 5})

    counts = system_pull(system)

    assert counts == {
        "customer": 12,
        "contact": len(sim.contacts),
        "entitlement": len(sim.tables[ENTITLEMENTS]),
        "contract": len(sim.tables[CONTRACTS]),
    }
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 12
    assert SourceRecord.objects.filter(system=system, entity="contact").count() == len(sim.contacts)
    assert len(table_reads(sim, ACCOUNTS)) >= 3  # 12 accounts in pages of 5
    account = next(iter(sim.accounts.values()))
    golden = golden_of(system, "customer", account["sys_id"])
    assert (golden.name, golden.tax_id, golden.kind) == (account["name"], account["u_tax_id"], "organization")
    assert (golden.address_city, golden.address_postal_code) == (account["city"], account["zip"])
    contact = next(c for c in sim.contacts.values() if c["account"] == account["sys_id"])
    person = golden_of(system, "contact", contact["sys_id"])
    assert (person.first_name, person.last_name, person.email) == (
        contact["first_name"],
        contact["last_name"],
        contact["email"],
    )
    assert person.customer_id == golden.id
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=account["sys_id"])
    assert record.raw["number"] == account["number"] and record.raw["sys_created_on"] == account["sys_created_on"]


def test_a_second_holding_more_rows_than_a_page_is_read_through_the_link_header(sim):
    sim.freeze()
    sim.seed(companies(9))  # all written in the same second
    system = servicenow_system(sim, settings={"page_size": 4})

    assert system_pull(system, "customer") == {"customer": 9}
    assert len(table_reads(sim, ACCOUNTS)) == 3  # offsets 0, 4 and 8 of the Link chain
    assert SourceRecord.objects.filter(system=system, entity="customer").count() == 9


def test_incremental_pull_reads_only_what_changed_since_the_stored_cursor(sim):
    seed_over_time(sim, 4)
    system = servicenow_system(sim)
    system_pull(system)
    cursor = SyncCursor.objects.get(system=system, entity="customer").cursor

    sim.advance(30)
    account = next(iter(sim.accounts.values()))
    sim.update(ACCOUNTS, account["sys_id"], {"phone": "+49 30 555 0101", "notes": "moved office"})
    counts = system_pull(system)

    assert counts == {"customer": 1, "contact": 0, "entitlement": 0, "contract": 0}
    assert digits(golden_of(system, "customer", account["sys_id"]).phone) == "49305550101"
    assert SyncCursor.objects.get(system=system, entity="customer").cursor != cursor
    record = SourceRecord.objects.get(system=system, entity="customer", local_id=account["sys_id"])
    assert record.raw["notes"] == "moved office"  # unmapped, kept


def test_a_record_edited_again_within_the_cursors_second_is_read_again_and_nothing_else_is(sim):
    sim.freeze()
    sim.seed(companies(3))
    system = servicenow_system(sim)
    system_pull(system, "customer")

    account = next(iter(sim.accounts.values()))
    sim.update(ACCOUNTS, account["sys_id"], {"phone": "+44 20 7946 2222"})  # same second as the cursor
    assert system_pull(system, "customer") == {"customer": 1}
    assert digits(golden_of(system, "customer", account["sys_id"]).phone) == "442079462222"
    assert system_pull(system, "customer") == {"customer": 0}


def test_reading_the_feed_again_from_the_start_changes_no_golden_record(sim):
    seed_over_time(sim, 3)
    system = servicenow_system(sim)
    system_pull(system)
    versions = {sys_id: golden_of(system, "customer", sys_id).version for sys_id in sim.accounts}
    SyncCursor.objects.filter(system=system).update(cursor="")

    system_pull(system)

    assert {sys_id: golden_of(system, "customer", sys_id).version for sys_id in sim.accounts} == versions


def test_an_operator_can_restart_the_feed_from_a_date(sim):
    seed_over_time(sim, 3)
    system = servicenow_system(sim)
    system_pull(system, "customer")
    second = sorted(a["sys_updated_on"] for a in sim.accounts.values())[1]
    SyncCursor.objects.filter(system=system, entity="customer").update(cursor=second)

    assert system_pull(system, "customer") == {"customer": 2}


# --- webhooks ----------------------------------------------------------------------------------------------------
def post_webhook(system, body: bytes, headers: dict):
    http_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return ApiClient().request("post", f"/api/v1/webhooks/{system.code}/", raw=body, **http_headers)


def test_webhooks_valid_tampered_duplicate_and_replayed(sim):
    seed_over_time(sim, 2)
    system = servicenow_system(sim)
    system_pull(system)
    account = next(iter(sim.accounts.values()))
    sim.update(ACCOUNTS, account["sys_id"], {"phone": "+49 30 999 9999"})
    event = sim.events[-1]
    assert event == {
        "table": ACCOUNTS,
        "sys_id": account["sys_id"],
        "operation": "update",
        "sys_updated_on": account["sys_updated_on"],
        "sys_mod_count": "1",
    }
    body, headers = sim.signed(event, sim.webhook_secret)

    tampered = post_webhook(system, body.replace(b'"update"', b'"delete"'), headers)
    assert tampered.status_code == 401 and tampered["Content-Type"] == "application/problem+json"
    assert not WebhookEvent.objects.exists()

    first, again = post_webhook(system, body, headers), post_webhook(system, body, headers)
    assert (first.status_code, again.status_code, again.json()["duplicate"]) == (202, 200, True)
    assert process_webhooks() == ["processed"] and process_webhooks() == []
    golden = golden_of(system, "customer", account["sys_id"])
    assert digits(golden.phone) == "49309999999"

    sim.advance(-600)  # an event signed ten minutes ago, replayed now: outside the window
    old_body, old_headers = sim.signed({**event, "sys_mod_count": "7"}, sim.webhook_secret)
    sim.advance(600)
    assert post_webhook(system, old_body, old_headers).status_code == 401
    assert (
        WebhookEvent.objects.count() == 1 and golden_of(system, "customer", account["sys_id"]).version == golden.version
    )


@pytest.mark.django_db(transaction=True)
def test_the_business_rule_posts_to_the_running_hub_and_the_change_is_applied(sim, hub_web_process):
    sim.seed(companies(1))
    system = servicenow_system(sim)
    system_pull(system)
    [account] = sim.accounts.values()
    sim.subscribe(f"{hub_web_process.url}/api/v1/webhooks/{system.code}/", sim.webhook_secret)

    sim.update(ACCOUNTS, account["sys_id"], {"website": "orchid.example"})
    sim.wait_until(lambda: len(sim.emitted) == 1)

    assert sim.emitted[0]["status"] == 202
    assert process_webhooks() == ["processed"]
    assert golden_of(system, "customer", account["sys_id"]).website == "orchid.example"


def test_two_edits_in_one_second_are_two_events(sim):
    sim.freeze()
    sim.seed(companies(1))
    system = servicenow_system(sim)
    [account] = sim.accounts.values()
    sim.update(ACCOUNTS, account["sys_id"], {"phone": "+1 512 555 0001"})
    sim.update(ACCOUNTS, account["sys_id"], {"phone": "+1 512 555 0002"})
    statuses = [post_webhook(system, *sim.signed(event, sim.webhook_secret)).status_code for event in sim.events]
    assert statuses == [202, 202]


def test_a_hex_signature_in_the_hubs_own_format_is_accepted_too(sim):
    sim.seed(companies(1))
    system = servicenow_system(sim)
    [account] = sim.accounts.values()
    body = json.dumps({"table": ACCOUNTS, "sys_id": account["sys_id"], "operation": "insert", "sys_mod_count": "0"})
    stamp = str(int(time.time()))
    good = {"X-Mdmhub-Timestamp": stamp, "X-Mdmhub-Signature": signature(sim.webhook_secret, stamp, body.encode())}
    bad = {**good, "X-Mdmhub-Signature": signature("not-the-secret", stamp, body.encode())}

    assert post_webhook(system, body.encode(), bad).status_code == 401
    assert post_webhook(system, body.encode(), good).status_code == 202


def test_a_basic_auth_secret_is_the_other_webhook_scheme(sim):
    sim.seed(companies(1))
    system = servicenow_system(sim)
    system.credentials = {**sim.credentials(), "webhook_secret": "", "webhook_username": "sn", "webhook_password": "pw"}
    system.save()
    [contact, *_] = sim.contacts.values()
    body = (
        b'{"table":"customer_contact","sys_id":"%s","operation":"insert","sys_mod_count":"0"}'
        % contact["sys_id"].encode()
    )

    wrong = post_webhook(system, body, {"Authorization": basic_auth("sn", "guess")})
    right = post_webhook(system, body, {"Authorization": basic_auth("sn", "pw")})

    assert (wrong.status_code, right.status_code) == (401, 202)
    assert "authorization" not in WebhookEvent.objects.get().headers  # the secret is not stored
    assert process_webhooks() == ["processed"]
    assert golden_of(system, "contact", contact["sys_id"]).email == contact["email"]


# --- push --------------------------------------------------------------------------------------------------------
KESTREL = {"kind": "organization", "name": "Kestrel Foods GmbH", "tax_id": "DE123456789", "phone": "+49 30 1234 5678"}


# Pushes run on worker threads, which see only committed rows.
@pytest.mark.django_db(transaction=True)
def test_push_creates_with_the_golden_id_then_updates_the_same_record_and_links_the_contact(sim, sap):
    system = servicenow_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    contact = ingest(sap, "contact", "P1", {"first_name": "Ines", "last_name": "Costa"}, {"customer": "1000"})
    deliver_all()

    [account] = sim.accounts.values()
    assert (account["u_mdm_golden_id"], account["name"], account["u_tax_id"]) == (
        customer.golden_id,
        "Kestrel Foods GmbH",
        "DE123456789",
    )
    [person] = sim.contacts.values()
    assert (person["name"], person["account"], person["u_mdm_golden_id"]) == (
        "Ines Costa",
        account["sys_id"],
        contact.golden_id,
    )
    assert golden_of(system, "customer", account["sys_id"]).id == customer.golden_id

    ingest(sap, "customer", "1000", {**KESTREL, "credit_status": "hold"}, day=2)
    drain_deliveries()
    assert len(sim.accounts) == 1 and sim.accounts[account["sys_id"]]["u_credit_status"] == "hold"
    assert sim.accounts[account["sys_id"]]["sys_mod_count"] == "1"


def test_a_retry_after_a_lost_answer_finds_the_record_it_created(sim, sap):
    servicenow_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    # The first POST reached ServiceNow but its answer was lost: the hub does not know the sys_id.
    created = sim.insert(ACCOUNTS, {"name": "Kestrel Foods", "u_mdm_golden_id": customer.golden_id}, notify=False)

    drain_deliveries()

    assert list(sim.accounts) == [created["sys_id"]] and created["name"] == "Kestrel Foods GmbH"
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_a_table_without_the_golden_id_column_dead_letters_instead_of_overwriting_another_record(sap):
    with PlatformSimulator(custom_columns={}) as bare:
        bare.seed(companies(2))
        before = {sys_id: dict(row) for sys_id, row in bare.accounts.items()}
        servicenow_system(bare)
        ingest(sap, "customer", "1000", KESTREL)

        drain_deliveries()

        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.DEAD and "u_mdm_golden_id" in delivery.last_error
        assert bare.accounts == before


# Pushes run on worker threads, which see only committed rows.
@pytest.mark.django_db(transaction=True)
def test_a_contact_waits_for_its_customer_to_reach_servicenow(sim, sap):
    system = servicenow_system(sim)
    customer = ingest(sap, "customer", "1000", KESTREL)
    ingest(sap, "contact", "P1", {"first_name": "Ines", "last_name": "Costa"}, {"customer": "1000"})
    later = datetime.now(UTC) + timedelta(hours=1)
    Delivery.objects.filter(golden_id=customer.golden_id).update(next_attempt_at=later)  # the customer is held up

    drain_deliveries()
    waiting = Delivery.objects.get(system=system, entity="contact")
    assert waiting.state == DeliveryState.PENDING and waiting.attempts == 0  # waits, spending no attempt
    assert not sim.contacts

    Delivery.objects.update(next_attempt_at=datetime.now(UTC))
    drain_deliveries()
    Delivery.objects.update(next_attempt_at=datetime.now(UTC))
    drain_deliveries()

    [account], [person] = sim.accounts.values(), sim.contacts.values()
    assert person["account"] == account["sys_id"]
    assert set(Delivery.objects.filter(system=system).values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_429_and_5xx_are_retried_after_the_wait_asked_and_a_data_policy_refusal_dead_letters(sap):
    with (
        PlatformSimulator(mandatory={ACCOUNTS: ("phone",)}) as strict,
        time_machine.travel(datetime.now(UTC), tick=False) as clock,
    ):
        system = servicenow_system(strict)
        strict.knobs.forced = [429, 503]
        ingest(sap, "customer", "1", {"kind": "organization", "name": "Lumen Optics AG", "phone": "+41 44 555 1000"})
        drain_deliveries()
        delivery = Delivery.objects.get(system=system)
        assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 429)
        assert delivery.next_attempt_at - datetime.now(UTC) >= timedelta(seconds=1)  # Retry-After: 1
        for _ in range(5):
            clock.shift(timedelta(seconds=120))
            drain_deliveries()
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED and len(strict.accounts) == 1

        ingest(sap, "customer", "2", {"kind": "organization", "name": "Atlas Freight BV"})  # no phone
        clock.shift(timedelta(seconds=120))
        drain_deliveries()
        dead = Delivery.objects.get(system=system, state=DeliveryState.DEAD)
        assert dead.attempts == 1 and dead.last_status == 403 and "Data Policy Exception" in dead.last_error
        assert len(strict.accounts) == 1


def test_a_rate_limited_pull_reports_the_wait_servicenow_asks_for(sim):
    sim.seed(companies(2))
    system = servicenow_system(sim, settings={"page_size": 1})
    sim.knobs.rate_limit, sim.knobs.rate_window = 1, 3600  # one request per hour

    with pytest.raises(RemoteError) as limited:
        system_pull(system, "customer")

    assert limited.value.status == 429 and not limited.value.permanent
    assert 3000 < limited.value.retry_after <= 3601
    assert "Rate limit exceeded" in str(limited.value) and "rate limit rule" in str(limited.value)
    assert SourceRecord.objects.filter(system=system).count() == 1  # the first page is kept with its cursor


# --- entitlements and contracts ----------------------------------------------------------------------------------
def test_full_load_reads_entitlements_and_contracts_linked_to_their_golden_customer(sim):
    seed_over_time(sim, 6)  # the sample states cycle through every ServiceNow state
    system = servicenow_system(sim, settings={"page_size": 4})

    counts = system_pull(system)

    assert (counts["entitlement"], counts["contract"]) == (len(sim.tables[ENTITLEMENTS]), len(sim.tables[CONTRACTS]))
    assert len(table_reads(sim, ENTITLEMENTS)) >= 3  # 9 entitlements in pages of 4
    for row in sim.tables[ENTITLEMENTS].values():
        entitlement = golden_of(system, "entitlement", row["sys_id"])
        customer = golden_of(system, "customer", row["account"])
        assert entitlement.customer_id == customer.id
        assert (entitlement.sku, entitlement.serial_number, entitlement.kind) == (
            row["u_sku"],
            row["u_serial_number"],
            row["u_kind"],
        )
        assert (entitlement.starts_on.isoformat(), entitlement.ends_on.isoformat()) == (
            row["start_date"],
            row["end_date"],
        )
    for row in sim.tables[CONTRACTS].values():
        contract = golden_of(system, "contract", row["sys_id"])
        assert contract.customer_id == golden_of(system, "customer", row["account"]).id
        assert (contract.number, contract.sla_level, contract.currency) == (
            row["number"],
            row["u_sla_level"],
            row["u_currency"],
        )
        assert contract.value == Decimal(row["total_cost"]) and contract.ends_on.isoformat() == row["ends"]


def test_servicenow_states_read_as_the_hubs_term_statuses(sim):
    seed_over_time(sim, 6)
    system = servicenow_system(sim)
    system_pull(system)

    def read(entity, table):
        return {(r["state"], golden_of(system, entity, r["sys_id"]).status) for r in sim.tables[table].values()}

    assert read("entitlement", ENTITLEMENTS) == {
        ("active", "active"),
        ("draft", "pending"),
        ("suspended", "pending"),
        ("expired", "expired"),
        ("cancelled", "cancelled"),
    }
    assert read("contract", CONTRACTS) == {
        ("active", "active"),
        ("draft", "pending"),
        ("expired", "expired"),
        ("cancelled", "cancelled"),
    }


def test_a_state_the_hub_does_not_know_is_kept_in_the_raw_record_not_guessed(sim):
    sim.seed(companies(1))
    system = servicenow_system(sim)
    [row, *_] = sim.tables[ENTITLEMENTS].values()
    sim.update(ENTITLEMENTS, row["sys_id"], {"state": "on_hold"})

    system_pull(system)

    record = SourceRecord.objects.get(system=system, entity="entitlement", local_id=row["sys_id"])
    assert "status" not in record.attributes and record.raw["state"] == "on_hold"
    assert "attributes.status" in record.raw["_invalid"]


def test_incremental_pull_reads_an_entitlement_and_a_contract_edited_in_servicenow(sim):
    seed_over_time(sim, 3)
    system = servicenow_system(sim)
    system_pull(system)

    sim.advance(30)
    entitlement = next(r for r in sim.tables[ENTITLEMENTS].values() if r["state"] == "active")
    contract = next(iter(sim.tables[CONTRACTS].values()))
    sim.update(ENTITLEMENTS, entitlement["sys_id"], {"state": "cancelled", "end_date": "2025-06-30"})
    sim.update(CONTRACTS, contract["sys_id"], {"total_cost": "99000.00", "state": "expired"})
    counts = system_pull(system)

    assert counts == {"customer": 0, "contact": 0, "entitlement": 1, "contract": 1}
    golden = golden_of(system, "entitlement", entitlement["sys_id"])
    assert (golden.status, golden.ends_on.isoformat()) == ("cancelled", "2025-06-30")
    golden = golden_of(system, "contract", contract["sys_id"])
    assert (golden.status, golden.value) == ("expired", Decimal("99000.00"))
    assert system_pull(system) == {"customer": 0, "contact": 0, "entitlement": 0, "contract": 0}


def test_a_business_rule_event_on_an_entitlement_is_read_back_through_the_table_api(sim):
    sim.seed(companies(1))
    system = servicenow_system(sim)
    system_pull(system)
    [row, *_] = sim.tables[ENTITLEMENTS].values()

    sim.update(ENTITLEMENTS, row["sys_id"], {"u_serial_number": "SN-REPLACED-7", "state": "expired"})
    assert post_webhook(system, *sim.signed(sim.events[-1], sim.webhook_secret)).status_code == 202
    assert process_webhooks() == ["processed"]

    golden = golden_of(system, "entitlement", row["sys_id"])
    assert (golden.serial_number, golden.status) == ("SN-REPLACED-7", "expired")


def test_contracts_can_be_read_from_the_plugins_service_contract_table(sim):
    sim.seed(companies(1))
    [account] = sim.accounts.values()
    row = sim.insert(
        "sn_pss_core_service_contract",
        {"account": account["sys_id"], "starts": "2026-02-01", "state": "active", "total_cost": "4200.00"},
    )
    system = servicenow_system(sim, mapping={"contract": {"remote": "sn_pss_core_service_contract"}})

    assert system_pull(system)["contract"] == 1
    golden = golden_of(system, "contract", row["sys_id"])
    assert (golden.number, golden.value, golden.status) == (row["number"], Decimal("4200.00"), "active")
    assert golden.customer_id == golden_of(system, "customer", account["sys_id"]).id


GOLD_SUPPORT = {
    "sku": "SUP-GOLD",
    "serial_number": "SN-88-1",
    "kind": "support",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "status": "pending",
}
SERVICE_CONTRACT = {
    "number": "SC-2026-0042",
    "sla_level": "gold",
    "starts_on": "2026-01-01",
    "ends_on": "2027-12-31",
    "status": "pending",
    "value": "18000.00",
    "currency": "EUR",
}


# Pushes run on worker threads, which see only committed rows.
@pytest.mark.django_db(transaction=True)
def test_push_creates_entitlements_and_contracts_on_the_customers_account_then_updates_them(sim, sap):
    system = servicenow_system(sim, subscribe=("customer", "contact", "entitlement", "contract"))
    ingest(sap, "customer", "1000", KESTREL)
    entitlement = ingest(sap, "entitlement", "E1", GOLD_SUPPORT, {"customer": "1000"})
    contract = ingest(sap, "contract", "K1", SERVICE_CONTRACT, {"customer": "1000"})
    deliver_all()

    [account] = sim.accounts.values()
    [ent] = sim.tables[ENTITLEMENTS].values()
    assert (ent["account"], ent["u_mdm_golden_id"], ent["state"]) == (account["sys_id"], entitlement.golden_id, "draft")
    assert (ent["u_sku"], ent["start_date"], ent["end_date"]) == ("SUP-GOLD", "2026-01-01", "2026-12-31")
    assert ent["entitlement_name"] == "SUP-GOLD SN-88-1"  # ServiceNow requires a name
    [con] = sim.tables[CONTRACTS].values()
    assert (con["account"], con["u_mdm_golden_id"], con["number"], con["state"]) == (
        account["sys_id"],
        contract.golden_id,
        "SC-2026-0042",
        "draft",
    )
    assert (con["total_cost"], con["u_currency"], con["starts"]) == ("18000.00", "EUR", "2026-01-01")
    assert golden_of(system, "contract", con["sys_id"]).id == contract.golden_id

    sim.update(ENTITLEMENTS, ent["sys_id"], {"entitlement_name": "Gold support, Kestrel HQ"})  # an agent renames it
    ingest(sap, "entitlement", "E1", {**GOLD_SUPPORT, "status": "active"}, {"customer": "1000"}, day=2)
    ingest(sap, "contract", "K1", {**SERVICE_CONTRACT, "status": "cancelled", "value": "0.00"}, {"customer": "1000"}, 2)
    deliver_all()

    assert list(sim.tables[ENTITLEMENTS]) == [ent["sys_id"]] and list(sim.tables[CONTRACTS]) == [con["sys_id"]]
    assert (ent["state"], ent["entitlement_name"]) == ("active", "Gold support, Kestrel HQ")
    assert (con["state"], con["total_cost"], con["sys_mod_count"]) == ("cancelled", "0.00", "1")


@pytest.mark.django_db(transaction=True)
def test_an_entitlement_waits_for_its_customer_to_reach_servicenow(sim, sap):
    system = servicenow_system(sim, subscribe=("customer", "entitlement"))
    customer = ingest(sap, "customer", "1000", KESTREL)
    ingest(sap, "entitlement", "E1", GOLD_SUPPORT, {"customer": "1000"})
    later = datetime.now(UTC) + timedelta(hours=1)
    Delivery.objects.filter(golden_id=customer.golden_id).update(next_attempt_at=later)

    drain_deliveries()
    waiting = Delivery.objects.get(system=system, entity="entitlement")
    assert waiting.state == DeliveryState.PENDING and waiting.attempts == 0  # waits, spending no attempt
    assert not sim.tables[ENTITLEMENTS]

    Delivery.objects.update(next_attempt_at=datetime.now(UTC))
    deliver_all()

    [account], [ent] = sim.accounts.values(), sim.tables[ENTITLEMENTS].values()
    assert ent["account"] == account["sys_id"]


# --- authentication and mapping ----------------------------------------------------------------------------------
def test_wrong_credentials_are_refused_and_reported_as_permanent(sim):
    system = servicenow_system(sim)
    system.credentials = {"username": sim.username, "password": "wrong"}
    system.save()
    with pytest.raises(RemoteError) as refused:
        system_pull(system, "customer")
    assert refused.value.status == 401 and refused.value.permanent
    assert "User Not Authenticated" in str(refused.value)


def test_an_oauth_bearer_token_is_accepted(sim):
    sim.seed(companies(1))
    system = servicenow_system(sim)
    system.credentials = {"token": sim.token}
    system.save()
    assert system_pull(system, "customer") == {"customer": 1}


def test_mapping_and_external_id_column_overrides_read_and_write_installation_columns(sap):
    columns = {ACCOUNTS: ("u_vat_number", "u_golden"), CONTACTS: ("u_golden",)}
    with PlatformSimulator(custom_columns=columns) as custom:
        account = custom.insert(ACCOUNTS, {"name": "Vega Pharma SA", "u_vat_number": "FR40303265045"})
        system = servicenow_system(
            custom,
            mapping={"customer": {"fields": {"tax_id": "u_vat_number", "credit_status": None}}},
            settings={"external_id_field": "u_golden"},
        )
        system_pull(system, "customer")
        assert golden_of(system, "customer", account["sys_id"]).tax_id == "FR40303265045"

        golden = ingest(sap, "customer", "9", {"kind": "organization", "name": "Helios Solar Inc", "tax_id": "US123"})
        drain_deliveries()
        created = next(a for a in custom.accounts.values() if a["name"] == "Helios Solar Inc")
        assert (created["u_vat_number"], created["u_golden"]) == ("US123", golden.golden_id)


# --- round trip --------------------------------------------------------------------------------------------------
def test_round_trip_leaves_servicenow_the_golden_record_and_other_systems_agreeing(sim, sap):
    with Receiver(secret="crm-secret") as crm:
        webhook_system("crm", crm.url, "crm-secret")
        system = servicenow_system(sim)
        result = ingest(sap, "customer", "55", {"kind": "organization", "name": "Orchid Dental Group Ltd"})
        drain_deliveries()
        [account] = sim.accounts.values()

        sim.update(ACCOUNTS, account["sys_id"], {"phone": "+44 20 7946 1111"})  # an agent adds the phone
        assert post_webhook(system, *sim.signed(sim.events[-1], sim.webhook_secret)).status_code == 202
        assert process_webhooks() == ["processed"]
        drain_deliveries()

        golden = golden_get("customer", result.golden_id)
        assert digits(golden.phone) == digits(sim.accounts[account["sys_id"]]["phone"]) == "442079461111"
        assert digits(crm.state.records[result.golden_id]["data"]["phone"]) == "442079461111"
        assert golden.name == sim.accounts[account["sys_id"]]["name"] == "Orchid Dental Group Ltd"
        assert len(sim.accounts) == 1 and golden_of(system, "customer", account["sys_id"]).id == golden.id
