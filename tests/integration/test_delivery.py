"""The delivery engine under real failure: real Celery worker processes killed with SIGKILL, a Redis restart,
receivers failing at random over real HTTP; atomicity at commit; correlation IDs end to end."""

import json
import random
import subprocess
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.utils import DatabaseError

from canonical.models import ChangeLog, Customer
from canonical.services.ingest import IngestItem, source_records_ingest
from connectors.models import Delivery, DeliveryAttempt, DeliveryState
from connectors.receiver import Knobs, Receiver
from tests.conftest import ApiClient, wait_until, webhook_system

from .conftest import WorkerProcess

pytestmark = pytest.mark.integration

SECRET = "storm"
FAST = {
    # Short clocks so a killed worker's lease, backoff and an open circuit pass within the test's patience.
    "MDMHUB_DELIVERY_LEASE_SECONDS": "5",
    "MDMHUB_DELIVERY_BACKOFF_BASE": "0.2",
    "MDMHUB_DELIVERY_BACKOFF_CAP": "2",
    "MDMHUB_CIRCUIT_COOLDOWN": "1",
    "MDMHUB_DELIVERY_SWEEP_SECONDS": "1",
}


def hook(code: str, url: str) -> object:
    return webhook_system(code, url, SECRET, timeout=2, max_attempts=1000)


def redis_restart() -> None:
    """Stop the test broker without saving and start a fresh one; return once it accepts connections."""
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)  # returns when it is gone
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "", "--appendonly", "no"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # it outlives the test, as the machine's Redis does
    )
    output = []
    for line in server.stdout:
        output.append(line)
        if "Ready to accept connections" in line:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its log pipe drained
            return
    raise AssertionError(f"Redis did not come back:\n{''.join(output[-20:])}")


def undelivered() -> list[dict]:
    return list(Delivery.objects.exclude(state=DeliveryState.DELIVERED).values("state", "attempts", "last_error")[:5])


def test_crash_storm_delivers_every_final_state_exactly_once_per_record(transactional_db, sap, monkeypatch, tmp_path):
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    from mdmhub.celery import app

    app.control.purge()
    rng = random.Random(5)
    receivers = [Receiver(SECRET, Knobs(fail_rate=0.2, retry_after=1, seed=i)) for i in range(3)]
    for i, receiver in enumerate(receivers):
        receiver.__enter__()
        hook(f"target{i}", receiver.url)
    beat = WorkerProcess("beat", "-l", "INFO", "-s", str(tmp_path / "beat-schedule"), ready="beat: Starting")
    workers = [WorkerProcess(), WorkerProcess()]
    kills = 0
    try:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for version in range(10):  # 500 records x 10 versions = 5,000 golden changes
            for chunk in range(0, 500, 100):
                items = [
                    IngestItem(
                        f"C{n}",
                        {
                            "kind": "organization",
                            "name": f"Storm {n} GmbH",
                            "tax_id": f"DE{100000000 + n}",
                            "credit_limit": str(1000 + version),
                            "credit_status": ["ok", "hold"][version % 2],
                        },
                        {},
                        start + timedelta(minutes=version),
                    )
                    for n in range(chunk, chunk + 100)
                ]
                source_records_ingest(system=sap, entity="customer", items=items)
            victim = rng.randrange(len(workers))
            workers[victim].kill()
            kills += 1
            workers[victim] = WorkerProcess()
            if version == 4:
                redis_restart()
        assert ChangeLog.objects.count() == 5000 and kills == 10
        wait_until(lambda: not undelivered(), timeout=240, what="every delivery delivered")
    finally:
        for w in workers:
            w.stop()
        beat.stop()
        for receiver in receivers:
            receiver.__exit__(None, None, None)
    final = {c.golden_id: c for c in ChangeLog.objects.order_by("id")}  # each record's newest change
    assert len(final) == 500
    for receiver in receivers:
        state = receiver.state
        assert set(state.records) == set(final)
        for golden_id, change in final.items():
            assert state.records[golden_id]["version"] == change.version == 10
            assert state.records[golden_id]["data"] == change.data
        assert set(state.creations.values()) == {1}  # no record created twice remotely
        assert state.out_of_order == []  # no version applied after a newer one
        assert sum(seen.status in (429, 500) for seen in state.requests) > 50  # the failures really happened
    assert not Delivery.objects.filter(state=DeliveryState.DEAD).exists()


def test_the_correlation_id_of_an_ingest_reaches_the_receiver_and_every_log_line(transactional_db, sap):
    from mdmhub.celery import app

    app.control.purge()
    with Receiver(SECRET) as receiver:
        target = hook("crm", receiver.url)
        worker = WorkerProcess()
        try:
            answer = ApiClient(sap.token).put(
                "/api/v1/systems/sap/customer/4711",
                {"attributes": {"kind": "organization", "name": "Trace AG", "tax_id": "DE129273398"}},
                **{"X-Correlation-ID": "trace-4711-abc"},
            )
            assert answer.status_code in (200, 201), answer.content
            line = worker.wait_for('"msg": "delivery delivered"', timeout=60)
        finally:
            worker.stop()
    assert json.loads(line)["correlation_id"] == "trace-4711-abc"
    [request] = receiver.state.requests
    assert request.headers["x-correlation-id"] == "trace-4711-abc"
    assert ChangeLog.objects.get().correlation_id == "trace-4711-abc"
    assert DeliveryAttempt.objects.get(delivery__system=target).correlation_id == "trace-4711-abc"
    task_lines = [json.loads(x) for x in worker.lines if x.startswith("{") and "connectors.tasks" in x]
    assert task_lines and {x["correlation_id"] for x in task_lines} == {"trace-4711-abc"}  # received, ran, succeeded


@pytest.mark.parametrize("table", ["canonical_changelog", "connectors_delivery"])
def test_a_failure_just_before_commit_leaves_neither_the_change_nor_its_outbox_event(transactional_db, sap, table):
    hook("crm", "http://127.0.0.1:9/never-called")
    with connection.cursor() as cursor:
        # A deferred constraint trigger fires at COMMIT: the last moment before the transaction becomes visible.
        cursor.execute(
            "CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'injected failure at commit'; END $$"
        )
        cursor.execute(
            f"CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON {table}"
            " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit()"
        )
    try:
        with pytest.raises(DatabaseError, match="injected failure at commit"):
            source_records_ingest(
                system=sap, entity="customer", items=[IngestItem("1", {"name": "Atom GmbH", "tax_id": "DE811907980"})]
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER fail_at_commit ON {table}")
            cursor.execute("DROP FUNCTION fail_at_commit()")
    assert (Customer.objects.count(), ChangeLog.objects.count(), Delivery.objects.count()) == (0, 0, 0)
    source_records_ingest(
        system=sap, entity="customer", items=[IngestItem("1", {"name": "Atom GmbH", "tax_id": "DE811907980"})]
    )
    assert (Customer.objects.count(), ChangeLog.objects.count(), Delivery.objects.count()) == (1, 1, 1)
