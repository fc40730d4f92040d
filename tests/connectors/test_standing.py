"""The standing API and entitlement validation over stored facts: lineage per fact, addressing by any system's local
ID, merged IDs, coverage by entitlement or contract, account holds, and input errors."""

from datetime import UTC, datetime

import pytest

from canonical.services.ingest import IngestItem, source_records_ingest
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

ACME = {"kind": "organization", "name": "ACME GmbH", "tax_id": "DE811907980", "credit_status": "ok",
        "credit_limit": "50000", "currency": "EUR", "payment_terms": "NET30"}  # fmt: skip


def ingest(system, entity, local_id, attributes, references=None, day=1):
    item = IngestItem(local_id, attributes, references or {}, datetime(2026, 11, day, tzinfo=UTC))
    [result] = source_records_ingest(system=system, entity=entity, items=[item])
    return result


@pytest.fixture
def acme(sap, zendesk):
    golden = ingest(sap, "customer", "100", ACME).golden_id
    ingest(zendesk, "customer", "ZD-7", {"kind": "organization", "name": "Acme", "tax_id": "DE 811 907 980",
                                         "credit_status": "ok"})  # fmt: skip
    ingest(sap, "entitlement", "W-1", {"sku": "PUMP-9", "serial_number": "SN-001", "kind": "warranty",
                                       "starts_on": "2026-01-01", "ends_on": "2027-12-31", "status": "active"},
           {"customer": "100"})  # fmt: skip
    ingest(sap, "entitlement", "W-0", {"sku": "PUMP-9", "serial_number": "SN-000", "kind": "warranty",
                                       "starts_on": "2020-01-01", "ends_on": "2022-12-31", "status": "active"},
           {"customer": "100"})  # fmt: skip
    return golden


def test_standing_names_each_credit_fact_with_its_owner_and_confirmation(acme, zendesk_api):
    answer = zendesk_api.get(f"/api/v1/customers/{acme}/standing")
    assert answer.status_code == 200
    body = answer.json()
    credit = body["credit"]
    assert credit["credit_status"]["value"] == "ok" and credit["credit_status"]["system"] == "sap"
    assert credit["credit_status"]["local_id"] == "100" and credit["credit_status"]["confirmed_at"]
    assert credit["credit_limit"]["value"] == "50000.00" and credit["payment_terms"]["value"] == "NET30"
    assert body["on_hold"] is False and body["source"] == "stored" and body["stale"] is False
    assert [e["serial_number"] for e in body["entitlements"]] == ["SN-001"]  # the expired one is not in force

    by_local = zendesk_api.get("/api/v1/standing?system=zendesk&local_id=ZD-7")
    assert by_local.status_code == 200 and by_local.json()["customer"] == acme


def test_live_standing_without_an_erp_that_can_be_asked_falls_back_to_stored_marked_stale(acme, zendesk_api):
    body = zendesk_api.get(f"/api/v1/customers/{acme}/standing?live=1").json()
    assert body["stale"] is True and body["source"] == "stored" and "no linked ERP" in body["live_error"]
    assert body["credit"]["credit_status"]["value"] == "ok"


def test_a_hold_set_by_the_erp_shows_in_standing_and_blocks_coverage(acme, sap, zendesk_api):
    ingest(sap, "customer", "100", {**ACME, "credit_status": "hold"}, day=2)
    assert zendesk_api.get(f"/api/v1/customers/{acme}/standing").json()["on_hold"] is True
    answer = zendesk_api.post(
        "/api/v1/entitlements/validate", {"customer": acme, "serial_number": "sn-001", "date": "2026-12-01"}
    ).json()
    assert answer["covered"] is False and answer["reason"] == "account_on_hold"
    assert answer["by"]["serial_number"] == "SN-001"  # what would cover it, were the account not on hold


@pytest.mark.parametrize(
    ("request_body", "covered", "reason", "by"),
    [
        ({"serial_number": "SN-001", "date": "2026-12-01"}, True, None, "entitlement"),
        ({"sku": "PUMP-9", "date": "2026-12-01"}, True, None, "entitlement"),
        ({"serial_number": "SN-000", "date": "2026-12-01"}, False, "expired", None),
        ({"serial_number": "SN-001", "date": "2025-06-01"}, False, "not_yet_active", None),
        ({"serial_number": "SN-999", "date": "2026-12-01"}, False, "no_coverage", None),
    ],
)
def test_coverage_by_entitlement_with_the_reason_when_not(acme, zendesk_api, request_body, covered, reason, by):
    answer = zendesk_api.post("/api/v1/entitlements/validate", {"customer": acme, **request_body}).json()
    assert (answer["covered"], answer["reason"]) == (covered, reason)
    assert (answer["by"] or {}).get("entity") == by


def test_a_service_contract_in_force_covers_what_no_entitlement_does(acme, sap, zendesk_api):
    ingest(sap, "contract", "K-1", {"number": "SC-2026-1", "sla_level": "gold", "starts_on": "2026-01-01",
                                    "ends_on": "2026-12-31", "status": "active"}, {"customer": "100"})  # fmt: skip
    answer = zendesk_api.post(
        "/api/v1/entitlements/validate",
        {"customer": {"system": "zendesk", "local_id": "ZD-7"}, "sku": "OTHER", "date": "2026-12-01"},
    ).json()
    assert answer["covered"] is True and answer["by"]["entity"] == "contract" and answer["by"]["number"] == "SC-2026-1"


def test_bad_requests_name_the_field(acme, zendesk_api):
    cases = [
        ({"sku": "X"}, "customer"),
        ({"customer": acme}, "sku"),
        ({"customer": acme, "sku": "X", "date": "31.12.2026"}, "date"),
        ({"customer": acme, "sku": 5}, "sku"),
        ({"customer": {"system": "zendesk"}, "sku": "X"}, "customer.local_id"),
        ({"customer": acme, "sku": "X", "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        answer = zendesk_api.post("/api/v1/entitlements/validate", body)
        assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json", body
        assert field in [e["field"] for e in answer.json()["errors"]], (body, answer.json())
    assert zendesk_api.post("/api/v1/entitlements/validate", {"customer": "cus_nope", "sku": "X"}).status_code == 404
    assert zendesk_api.get("/api/v1/customers/cus_nope/standing").status_code == 404
    assert zendesk_api.get("/api/v1/standing?system=zendesk").status_code == 400
    assert zendesk_api.get(f"/api/v1/customers/{acme}/standing?live=maybe").status_code == 400
    assert ApiClient().get(f"/api/v1/customers/{acme}/standing").status_code in (401, 403)


# --- live: the owning ERP asked directly (the SAP simulator) ------------------------------------------------------
@pytest.fixture
def sap_sim():
    from connectors.platforms.sap.simulator import PlatformSimulator
    from connectors.samples import companies

    with PlatformSimulator() as sim:
        sim.seed(companies(4))
        yield sim


def test_live_standing_asks_the_owning_erp_and_keeps_what_it_said(sap_sim, zendesk_api):
    from connectors.services.sync import system_pull

    from .platforms.conftest import platform_system

    erp = platform_system("s4", "sap", sap_sim.base_url, sap_sim.credentials(), kind="erp", subscribe=())
    system_pull(erp, "customer")
    partner = sorted(sap_sim.customers)[3]  # on credit hold, with overdue items
    stored = zendesk_api.get(f"/api/v1/standing?system=s4&local_id={partner}").json()
    assert stored["source"] == "stored" and stored["erp"] is None and stored["on_hold"] is True

    sap_sim.set_blocks(partner, DeliveryIsBlocked="01")  # finance blocks deliveries; the hub has not read it yet
    live = zendesk_api.get(f"/api/v1/standing?system=s4&local_id={partner}&live=1").json()
    assert live["source"] == "live" and live["stale"] is False
    assert live["erp"]["system"] == "s4" and "delivery" in live["erp"]["blocks"]
    assert live["erp"]["overdue"]["count"] >= 1 and live["credit"]["credit_status"]["system"] == "s4"

    again = zendesk_api.get(f"/api/v1/standing?system=s4&local_id={partner}").json()  # stored, with the ERP's word
    assert again["source"] == "stored" and again["erp"]["overdue"] == live["erp"]["overdue"]
    assert again["erp"]["read_at"]


def test_live_standing_from_a_slow_or_failing_erp_answers_stored_facts_marked_stale(sap_sim, zendesk_api):
    from connectors.services.sync import system_pull

    from .platforms.conftest import platform_system

    erp = platform_system("s4", "sap", sap_sim.base_url, sap_sim.credentials(), kind="erp", subscribe=(),
                          settings={"standing_timeout": 0.3})  # fmt: skip
    system_pull(erp, "customer")
    partner = sorted(sap_sim.customers)[0]
    sap_sim.knobs.latency = 2.0  # slower than the deadline
    slow = zendesk_api.get(f"/api/v1/standing?system=s4&local_id={partner}&live=1")
    assert slow.status_code == 200
    body = slow.json()
    assert body["stale"] is True and body["source"] == "stored" and "s4" in body["live_error"]
    assert body["credit"]["credit_status"]["value"] == "ok"
    sap_sim.knobs.latency = 0.0
    sap_sim.knobs.forced = [503, 503, 503]
    down = zendesk_api.get(f"/api/v1/standing?system=s4&local_id={partner}&live=1").json()
    assert down["stale"] is True and "503" in down["live_error"]
