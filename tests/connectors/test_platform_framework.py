"""What every platform connector relies on: encrypted credentials and key rotation, requests confined to the base
URL, mapping as data with overrides, the webhook endpoint's refusals, and the pull schedule."""

import io
import logging
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from canonical.models import SourceSystem
from connectors.credentials import CredentialError
from connectors.http import ApiClient, OutsideBaseUrl
from connectors.mapping import ObjectMap, to_canonical, to_remote
from connectors.models import SyncCursor
from connectors.platforms.zendesk.simulator import PlatformSimulator
from connectors.samples import companies
from connectors.services.sync import pulls_claim, scheduled_pull
from tests.conftest import ApiClient as HubClient

from .platforms.conftest import platform_system

pytestmark = pytest.mark.django_db

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
TOKEN = "zd-very-secret-token-4711"


def stored_column(system: SourceSystem) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_encrypted FROM canonical_sourcesystem WHERE id = %s", [system.pk])
        return cursor.fetchone()[0]


@override_settings(MDMHUB_CREDENTIAL_KEYS=[KEY_A])
def test_credentials_are_encrypted_at_rest_and_keys_rotate():
    system = platform_system(
        "zd", "zendesk", "https://acme.zendesk.com/api/v2/", {"email": "a@b.c", "api_token": TOKEN}
    )
    assert TOKEN not in stored_column(system) and "api_token" not in stored_column(system)
    assert SourceSystem.objects.get(pk=system.pk).credentials["api_token"] == TOKEN

    with override_settings(MDMHUB_CREDENTIAL_KEYS=[KEY_B, KEY_A]):  # new key first, old still readable
        assert SourceSystem.objects.get(pk=system.pk).credentials["api_token"] == TOKEN
        before = stored_column(system)
        call_command("mdm_credentials", "rotate", stdout=io.StringIO())
        assert stored_column(system) != before
    with override_settings(MDMHUB_CREDENTIAL_KEYS=[KEY_B]):  # old key removed: still readable
        assert SourceSystem.objects.get(pk=system.pk).credentials["api_token"] == TOKEN
    with override_settings(MDMHUB_CREDENTIAL_KEYS=[KEY_A]), pytest.raises(CredentialError):
        SourceSystem.objects.get(pk=system.pk).credentials  # noqa: B018  (a removed key cannot read it)


def test_credentials_are_never_shown_in_admin_nor_logged(admin_client, caplog):
    with PlatformSimulator(api_token=TOKEN) as sim:
        sim.seed(companies(1))
        sim.advance(61)
        system = platform_system("zd", "zendesk", sim.base_url, sim.credentials())
        caplog.set_level(logging.DEBUG)
        from connectors.services.sync import system_pull

        system_pull(system)
    page = admin_client.get(f"/admin/canonical/sourcesystem/{system.pk}/change/").content.decode()
    assert "stored, encrypted" in page
    assert TOKEN not in page and sim.webhook_secret not in page
    assert TOKEN not in caplog.text

    # saving the form without new credentials keeps them; entering JSON replaces them
    form = {
        "code": "zd", "name": "zd", "kind": "support", "connector_type": "zendesk", "base_url": sim.base_url,
        "new_credentials": "", "pull_interval_seconds": "", "mapping": "{}", "settings": "{}", "enabled": "on",
        "trust_rank": "100", "subscriptions-TOTAL_FORMS": "0", "subscriptions-INITIAL_FORMS": "0",
        "cursors-TOTAL_FORMS": "0", "cursors-INITIAL_FORMS": "0",
    }  # fmt: skip
    answer = admin_client.post(f"/admin/canonical/sourcesystem/{system.pk}/change/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert SourceSystem.objects.get(pk=system.pk).credentials["api_token"] == TOKEN
    admin_client.post(
        f"/admin/canonical/sourcesystem/{system.pk}/change/",
        {**form, "new_credentials": '{"oauth_token": "new-one"}'},
    )
    assert SourceSystem.objects.get(pk=system.pk).credentials == {"oauth_token": "new-one"}
    bad = admin_client.post(f"/admin/canonical/sourcesystem/{system.pk}/change/", {**form, "new_credentials": "[1]"})
    assert bad.status_code == 200 and "flat JSON object" in bad.content.decode()


def test_requests_go_only_under_the_configured_base_url():
    api = ApiClient("https://acme.zendesk.com/api/v2/", {})
    assert api.url("organizations/1.json") == "https://acme.zendesk.com/api/v2/organizations/1.json"
    assert api.url("/api/v2/users/cursor?cursor=x") == "https://acme.zendesk.com/api/v2/users/cursor?cursor=x"
    assert api.url("https://acme.zendesk.com/api/v2/next?page=2").endswith("/next?page=2")
    assert api.url("//evil.example/x") == "https://acme.zendesk.com/api/v2/evil.example/x"  # a path, kept inside
    for elsewhere in (
        "https://evil.example/api/v2/organizations",
        "http://acme.zendesk.com/api/v2/organizations",  # not the configured scheme
        "https://acme.zendesk.com:8443/api/v2/organizations",
        "https://acme.zendesk.com/admin/secrets",
        "https://acme.zendesk.com/api/v2evil/x",
    ):
        with pytest.raises(OutsideBaseUrl) as refused:
            api.url(elsewhere)
        assert refused.value.permanent


def test_mapping_reads_and_writes_nested_fields_with_converters_and_overrides():
    mapping = ObjectMap(
        entity="contact",
        remote="users",
        fields={"first_name": "name|first", "last_name": "name|last", "email": "email", "phone": "fields.tel"},
        references={"customer": "organization_id"},
    )
    attributes, references = to_canonical(mapping, {"name": "Ada  Lovelace King", "email": "", "fields": {"tel": 42},
                                                    "organization_id": 7})  # fmt: skip
    assert attributes == {"first_name": "Ada", "last_name": "Lovelace King", "phone": "42"}
    assert references == {"customer": "7"}
    assert to_remote(mapping, {"first_name": "Ada", "last_name": "Byron", "phone": None}) == {
        "name": "Ada Byron",
        "fields": {"tel": None},
    }
    custom = mapping.overridden({"fields": {"phone": "custom.mobile", "email": None}})
    assert custom.fields["phone"] == "custom.mobile" and "email" not in custom.fields
    assert mapping.fields["phone"] == "fields.tel"  # the default is untouched


def test_webhook_endpoint_refuses_unknown_systems_and_systems_without_webhooks(sap):
    client = Client()
    unknown = client.post("/api/v1/webhooks/nope/", b"{}", content_type="application/json")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    api_only = client.post(f"/api/v1/webhooks/{sap.code}/", b"{}", content_type="application/json")
    assert api_only.status_code == 404 and "system" in api_only.content.decode()
    with override_settings(MDMHUB_WEBHOOK_MAX_BYTES=10):
        platform_system("zd", "zendesk", "https://x.zendesk.com/api/v2/", {"webhook_secret": "s"})
        big = client.post("/api/v1/webhooks/zd/", b'{"x": "0123456789"}', content_type="application/json")
    assert big.status_code == 413
    unsigned = HubClient().post("/api/v1/webhooks/zd/", {"id": "1"})
    assert unsigned.status_code == 401


def test_scheduled_pulls_are_leased_once_and_rescheduled_by_interval_or_retry_after(client):
    with PlatformSimulator() as sim:
        sim.seed(companies(2))
        sim.advance(61)
        system = platform_system("zd", "zendesk", sim.base_url, sim.credentials(), pull_interval=120)
        platform_system("quiet", "zendesk", sim.base_url, sim.credentials())  # no schedule: never pulled

        due = pulls_claim()
        assert sorted(due) == [(system.pk, "contact"), (system.pk, "customer")]
        assert pulls_claim() == []  # leased: a second sweeper finds nothing

        assert scheduled_pull(system.pk, "customer") == 2
        cursor = SyncCursor.objects.get(system=system, entity="customer")
        assert cursor.lease_until is None and cursor.last_error == ""
        assert timedelta(seconds=100) < cursor.next_pull_at - timezone.now() <= timedelta(seconds=120)

        sim.knobs.forced = [429]  # the simulator answers Retry-After: 1; the interval is longer and wins
        SyncCursor.objects.filter(pk=cursor.pk).update(next_pull_at=None)
        assert scheduled_pull(system.pk, "customer") == 0
        cursor.refresh_from_db()
        assert "429" in cursor.last_error and cursor.next_pull_at > timezone.now() + timedelta(seconds=100)
        metrics = client.get("/metrics").content.decode()
        assert 'mdmhub_pull_failing{system="zd",entity="customer"} 1' in metrics
        assert 'mdmhub_pull_age_seconds{system="zd",entity="customer"}' in metrics


def test_deliveries_to_a_scheduled_system_wait_for_its_initial_full_load(sap):
    from canonical.services.ingest import IngestItem, source_records_ingest
    from connectors.models import Delivery, DeliveryState
    from connectors.services.sync import system_pull

    from .platforms.conftest import drain_deliveries

    with PlatformSimulator() as sim:
        sim.seed(companies(1))
        sim.advance(61)
        system = platform_system("zd", "zendesk", sim.base_url, sim.credentials(), pull_interval=300)
        [seeded] = sim.organizations.values()
        source_records_ingest(
            system=sap,
            entity="customer",
            items=[
                IngestItem(
                    "1",
                    {"kind": "organization", "name": seeded["name"], "tax_id": seeded["organization_fields"]["tax_id"]},
                )
            ],
        )
        drain_deliveries()
        slot = Delivery.objects.get(system=system)
        assert slot.state == DeliveryState.PENDING and slot.attempts == 0  # held, not failed
        assert len(sim.organizations) == 1 and not sim.organizations[seeded["id"]]["external_id"]

        system_pull(system)  # the initial load links Zendesk's copy to the golden record (same tax ID)
        Delivery.objects.update(next_attempt_at=timezone.now())
        drain_deliveries()
        assert Delivery.objects.get(system=system).state == DeliveryState.DELIVERED
        assert len(sim.organizations) == 1  # updated in place, not created twice
        assert sim.organizations[seeded["id"]]["external_id"] == slot.golden_id
