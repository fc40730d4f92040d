"""The path the hub exists for: finance puts an account on hold in SAP and support agents see it. With real
processes (the hub's web server, a Celery worker, beat) and the SAP, Zendesk and ServiceNow simulators over HTTP:
a hold set in SAP reaches the golden record and both support platforms' account records, by SAP's event and, with
events off, by the scheduled poll; the same path releases it."""

import pytest

from canonical.models import CrossReference, Customer
from connectors.models import Delivery, DeliveryState
from connectors.platforms.sap.simulator import PlatformSimulator as Sap
from connectors.platforms.servicenow.simulator import PlatformSimulator as ServiceNow
from connectors.platforms.zendesk.simulator import PlatformSimulator as Zendesk
from connectors.samples import companies
from connectors.services.outbox import subscription_add
from connectors.services.sync import system_pull
from tests.conftest import wait_until

from ..connectors.platforms.conftest import platform_system
from .conftest import WorkerProcess


@pytest.fixture
def platforms():
    sample = companies(4)
    sims = (Sap(), Zendesk(), ServiceNow())
    for sim in sims:
        sim.seed(sample)
        sim.start()
    yield sims
    for sim in sims:
        sim.stop()


def golden_of(system, local_id: str) -> Customer:
    return Customer.objects.get(
        id=CrossReference.objects.get(system=system, entity="customer", local_id=local_id).golden_id
    )


def test_a_credit_hold_set_in_sap_reaches_zendesk_and_servicenow_by_event_and_by_poll(
    celery_worker_process, hub_web_process, platforms, monkeypatch, tmp_path
):
    sap_sim, zendesk_sim, servicenow_sim = platforms
    monkeypatch.setenv("MDMHUB_PULL_SWEEP_SECONDS", "1")
    sap = platform_system("sap-erp", "sap", sap_sim.base_url, sap_sim.credentials(), kind="erp", subscribe=())
    zendesk = platform_system("zd", "zendesk", zendesk_sim.base_url, zendesk_sim.credentials(), subscribe=())
    servicenow = platform_system(
        "sn", "servicenow", servicenow_sim.base_url, servicenow_sim.credentials(), subscribe=()
    )
    for system in (sap, zendesk, servicenow):  # the initial loads link the three copies of each company
        system_pull(system, "customer")
    for system in (zendesk, servicenow):  # then the support platforms subscribe: every golden customer is sent
        subscription_add(system=system, entity="customer")
    beat = WorkerProcess("beat", "-l", "INFO", "-s", str(tmp_path / "beat-schedule"), ready="beat: Starting")
    try:
        wait_until(lambda: not Delivery.objects.filter(state=DeliveryState.PENDING).exists(), 60, "initial sync")
        partner = next(bp for bp, account in sap_sim.credit.items() if not account[0]["CreditAccountIsBlocked"])
        golden = golden_of(sap, partner)
        org_id = int(CrossReference.objects.get(system=zendesk, entity="customer", golden_id=golden.id).local_id)
        account_id = CrossReference.objects.get(system=servicenow, entity="customer", golden_id=golden.id).local_id
        assert len(zendesk_sim.organizations) == len(servicenow_sim.accounts) == 4  # updated in place, none doubled

        def support_shows(status: str) -> bool:
            return (
                zendesk_sim.organizations[org_id]["organization_fields"].get("credit_status") == status
                and servicenow_sim.accounts[account_id].get("u_credit_status") == status
            )

        assert support_shows("ok")
        # Event path: SAP's BusinessPartner.Changed CloudEvent -> webhook -> worker -> golden -> both platforms.
        sap_sim.subscribe(f"{hub_web_process.url}/api/v1/webhooks/{sap.code}/")
        sap_sim.set_credit_hold(partner, True)
        zendesk_sim.wait_until(lambda: support_shows("hold"), timeout=30)
        golden.refresh_from_db()
        assert golden.credit_status == "hold"
        sap_sim.set_credit_hold(partner, False)
        zendesk_sim.wait_until(lambda: support_shows("ok"), timeout=30)

        # Poll path: no events, the change feed read every 2 s.
        sap_sim.webhooks.clear()
        sap.pull_interval_seconds = 2
        sap.save()
        sap_sim.set_credit_hold(partner, True)
        zendesk_sim.wait_until(lambda: support_shows("hold"), timeout=30)
        golden.refresh_from_db()
        assert golden.credit_status == "hold"
    finally:
        beat.stop()
    assert not Delivery.objects.filter(state=DeliveryState.DEAD).exists()
