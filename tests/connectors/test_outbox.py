"""The outbox and delivery engine in one process, over real HTTP to the local receiver: fan-out, coalescing,
remote IDs, echoes, retries, Retry-After, dead letters and replay, the circuit breaker, metrics."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from canonical.models import ChangeLog, CrossReference
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.models import Delivery, DeliveryAttempt, DeliveryState, SystemHealth
from connectors.receiver import Receiver
from connectors.services.delivery import deliveries_process
from tests.conftest import ApiClient, webhook_system

pytestmark = pytest.mark.django_db

SECRET = "s3cret"


@pytest.fixture
def receiver():
    with Receiver(secret=SECRET) as r:
        yield r


def hook(code: str, url: str, **settings) -> object:
    return webhook_system(code, url, SECRET, **{"timeout": 5, **settings})


def ingest(system, local_id, attributes, day=1):
    item = IngestItem(local_id, attributes, {}, datetime(2026, 11, day, tzinfo=UTC))
    [result] = source_records_ingest(system=system, entity="customer", items=[item])
    return result


ACME = {"kind": "organization", "name": "ACME GmbH", "tax_id": "DE811907980", "credit_status": "ok"}


def drain(max_rounds: int = 20) -> None:
    for _ in range(max_rounds):
        if not deliveries_process(limit=100):
            return


def test_a_golden_change_is_delivered_with_the_golden_id_as_external_id_and_the_remote_id_kept(sap, receiver):
    target = hook("crm", receiver.url)
    golden = ingest(sap, "100", ACME).golden_id
    slot = Delivery.objects.get(system=target, golden_id=golden)
    assert (slot.state, slot.version, slot.change_id) == ("pending", 1, ChangeLog.objects.get().pk)
    drain()
    record = receiver.state.records[golden]
    assert record["data"]["credit_status"] == "ok" and record["version"] == 1
    assert CrossReference.objects.get(system=target).local_id == record["id"]  # the remote ID is remembered
    ingest(sap, "100", {**ACME, "credit_status": "hold"}, day=2)
    drain()
    assert receiver.state.records[golden]["data"]["credit_status"] == "hold"
    assert receiver.state.creations == {golden: 1}  # updated, never created twice
    assert Delivery.objects.get(system=target).state == DeliveryState.DELIVERED
    assert receiver.state.bad_signatures == 0


def test_a_burst_of_versions_coalesces_into_the_newest_state(sap, receiver):
    hook("crm", receiver.url)
    golden = ingest(sap, "100", ACME).golden_id
    for day, status in ((2, "hold"), (3, "blocked"), (4, "ok")):
        ingest(sap, "100", {**ACME, "credit_status": status}, day=day)
    drain()
    assert [seen.version for seen in receiver.state.requests] == [4]  # one request, the newest version
    assert receiver.state.records[golden]["data"]["credit_status"] == "ok"


def test_a_change_is_not_sent_back_to_the_system_it_came_from_unless_survivorship_overruled_it(sap, receiver):
    target = hook("crm", receiver.url)
    own = ingest(target, "C1", {"kind": "organization", "name": "Solo Ltd", "email": "a@solo.example"}).golden_id
    assert not Delivery.objects.filter(system=target, golden_id=own).exists()  # its own value, unchanged: an echo
    ingest(sap, "100", ACME)
    overruled = ingest(target, "C2", {**ACME, "credit_status": "ok", "email": "x@acme.example"}, day=2)
    # The support platform's credit status is not the ERP's to lose: the golden keeps sap's, so crm must hear it.
    assert Delivery.objects.filter(system=target, golden_id=overruled.golden_id).exists()


def test_a_validation_error_dead_letters_at_once_and_replay_delivers_exactly_once(sap, receiver):
    target = hook("crm", receiver.url)
    receiver.knobs.status = 422
    golden = ingest(sap, "100", ACME).golden_id
    drain()
    slot = Delivery.objects.get(system=target)
    assert slot.state == DeliveryState.DEAD and slot.attempts == 1 and "422" in slot.last_error
    assert len(receiver.state.requests) == 1
    api = ApiClient(target.token)
    [letter] = api.get("/api/v1/deliveries?state=dead").json()["results"]
    assert letter["golden_id"] == golden and "422" in letter["reason"] and letter["payload"]["data"]["name"]
    receiver.knobs.status = None
    assert api.post("/api/v1/deliveries/replay", {"ids": [letter["id"]]}).json() == {"replayed": 1}
    drain()
    assert receiver.state.creations == {golden: 1}
    assert api.post("/api/v1/deliveries/replay", {"ids": [letter["id"]]}).json() == {"replayed": 0}
    drain()
    assert len(receiver.state.requests) == 2  # the second replay had no effect
    assert api.post("/api/v1/deliveries/replay", {"ids": "all"}).status_code == 400


@override_settings(MDMHUB_CIRCUIT_FAILURES=100)
def test_a_system_failing_forever_dead_letters_after_the_configured_attempts_with_growing_gaps(sap, receiver):
    target = hook("crm", receiver.url, max_attempts=5)
    receiver.knobs.status = 503
    ingest(sap, "100", ACME)
    gaps = []
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        for _ in range(10):
            deliveries_process(limit=10)
            slot = Delivery.objects.get(system=target)
            if slot.state == DeliveryState.DEAD:
                break
            gap = (slot.next_attempt_at - datetime.now(UTC)).total_seconds()
            gaps.append(gap)
            clock.shift(timedelta(seconds=gap + 0.01))
    assert slot.state == DeliveryState.DEAD and len(receiver.state.requests) == 5
    assert len(gaps) == 4 and all(b > a for a, b in itertools.pairwise(gaps)), gaps
    assert DeliveryAttempt.objects.filter(delivery=slot, outcome="dead").count() == 1


def test_retry_after_pauses_that_system_only(sap):
    with Receiver(secret=SECRET) as slow, Receiver(secret=SECRET) as fast:
        slow.knobs.status, slow.knobs.status_retry_after = 429, 3
        hook("slow", slow.url)
        hook("fast", fast.url)
        with time_machine.travel(datetime.now(UTC), tick=False) as clock:
            ingest(sap, "100", ACME)
            deliveries_process(limit=10)
            assert len(slow.state.requests) == 1 and len(fast.state.requests) == 1
            ingest(sap, "200", {**ACME, "tax_id": "DE129273398", "name": "Other AG"})
            clock.shift(timedelta(seconds=2.5))
            drain()
            assert len(slow.state.requests) == 1  # paused: not called again before 3 s
            assert len(fast.state.requests) == 2  # the other receiver kept flowing
            slow.knobs.status = None
            clock.shift(timedelta(seconds=0.6))
            drain()
        assert len(slow.state.records) == 2


@override_settings(MDMHUB_CIRCUIT_FAILURES=3, MDMHUB_CIRCUIT_COOLDOWN=30)
def test_the_circuit_opens_after_consecutive_failures_and_one_probe_closes_it(sap, receiver):
    target = hook("crm", receiver.url, max_attempts=50)
    receiver.knobs.status = 500
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        for i in range(3):
            ingest(sap, str(i), {**ACME, "tax_id": f"DE{811907980 + i}", "name": f"Firm {i}"})
        deliveries_process(limit=10)
        health = SystemHealth.objects.get(system=target)
        assert health.circuit == "open" and health.paused_until > datetime.now(UTC) + timedelta(seconds=29)
        calls = len(receiver.state.requests)
        clock.shift(timedelta(seconds=10))
        drain()
        assert len(receiver.state.requests) == calls  # open: nothing is sent
        receiver.knobs.status = None
        clock.shift(timedelta(seconds=25))
        deliveries_process(limit=10)
        assert len(receiver.state.requests) == calls + 1  # half open: one probe
        assert SystemHealth.objects.get(system=target).circuit == "closed"
        clock.shift(timedelta(seconds=100))
        drain()
    assert len(receiver.state.records) == 3


def test_metrics_show_deliveries_by_state_latency_and_dead_letters(client, sap, receiver):
    hook("crm", receiver.url)
    ingest(sap, "100", ACME)
    drain()
    text = client.get("/metrics").content.decode()
    assert 'mdmhub_deliveries{system="crm",state="delivered"} 1' in text
    assert 'mdmhub_deliveries_delivered_total{system="crm"} 1' in text
    assert 'mdmhub_delivery_latency_seconds_count{system="crm"} 1' in text
    assert "# TYPE mdmhub_delivery_latency_seconds histogram" in text


def test_an_echo_of_what_the_hub_wrote_makes_no_golden_change_and_no_delivery(sap, receiver):
    target = hook("crm", receiver.url)
    golden = ingest(sap, "100", {**ACME, "email": "billing@acme.example"}).golden_id
    drain()
    written = receiver.state.records[golden]
    changes = ChangeLog.objects.count()
    # crm's webhook (or a poll) reports back the record the hub just wrote there, under crm's own ID.
    assert ingest(target, written["id"], written["data"], day=2).golden_id == golden
    assert ChangeLog.objects.count() == changes
    assert Delivery.objects.get(system=target).state == DeliveryState.DELIVERED
    drain()
    assert len(receiver.state.requests) == 1


def test_a_retry_after_a_timeout_updates_the_record_the_timed_out_request_created(sap, receiver):
    target = hook("crm", receiver.url, timeout=0.3)
    receiver.knobs.latency = 0.6  # the receiver creates the record, but answers after the hub gave up
    golden = ingest(sap, "100", ACME).golden_id
    deliveries_process(limit=10)
    slot = Delivery.objects.get(system=target)
    assert slot.state == DeliveryState.PENDING and slot.attempts == 1 and "Timeout" in slot.last_error
    receiver.knobs.latency = 0
    Delivery.objects.filter(pk=slot.pk).update(next_attempt_at=slot.updated_at)
    drain()
    receiver.wait_until(lambda state: len(state.requests) == 2, timeout=10)  # the timed-out request, then the retry
    assert receiver.state.creations == {golden: 1}
    assert CrossReference.objects.filter(system=target).count() == 1


def test_a_system_rate_limit_spreads_its_requests(sap, receiver):
    hook("crm", receiver.url, rate_per_second=2)
    for i in range(6):
        ingest(sap, str(i), {**ACME, "tax_id": f"DE{811907980 + i}", "name": f"Firm {i}"})
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        deliveries_process(limit=10)
        assert len(receiver.state.requests) == 2  # a burst of at most 2
        deliveries_process(limit=10)
        assert len(receiver.state.requests) == 2  # no tokens left within the same instant
        clock.shift(timedelta(seconds=1))
        deliveries_process(limit=10)
        assert len(receiver.state.requests) == 4  # 2 more per second
        clock.shift(timedelta(seconds=5))
        drain()
    assert len(receiver.state.records) == 6


def test_dead_letters_replay_by_system_or_all_from_the_api_and_admin(admin_client, sap, receiver):
    target = hook("crm", receiver.url)
    other = hook("erp2", receiver.url)
    receiver.knobs.status = 400
    ingest(sap, "100", ACME)
    drain()
    assert Delivery.objects.filter(state=DeliveryState.DEAD).count() == 2
    receiver.knobs.status = None
    steward = admin_client
    page = steward.post(
        "/admin/connectors/delivery/",
        {"action": "replay", "_selected_action": [Delivery.objects.get(system=target).pk]},
    )
    assert page.status_code == 302
    assert Delivery.objects.get(system=target).state == DeliveryState.PENDING
    assert Delivery.objects.get(system=other).state == DeliveryState.DEAD
    assert steward.get("/admin/connectors/delivery/?state__exact=dead").status_code == 200
    api = ApiClient(other.token)
    assert api.post("/api/v1/deliveries/replay", {"system": "crm"}).json() == {"replayed": 0}  # not its own
    assert api.post("/api/v1/deliveries/replay", {"all": True}).json() == {"replayed": 1}
    drain()
    assert not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists()


def test_attempts_older_than_the_audit_window_are_purged_in_batches(sap, receiver):
    from connectors.services.housekeeping import delivery_attempts_purge

    hook("crm", receiver.url)
    for i in range(5):
        ingest(sap, str(i), {**ACME, "tax_id": f"DE{811907980 + i}", "name": f"Firm {i}"})
    drain()
    assert DeliveryAttempt.objects.count() == 5
    DeliveryAttempt.objects.filter(pk__in=list(DeliveryAttempt.objects.values_list("pk", flat=True)[:3])).update(
        created_at=datetime.now(UTC) - timedelta(days=8)
    )
    assert delivery_attempts_purge(batch=2) == 3
    assert DeliveryAttempt.objects.count() == 2
