"""Outbound delivery speed: throughput of two Celery worker processes, and latency at a steady change rate.

    .venv/bin/python bench/delivery_bench.py

A scratch database, one webhook system subscribed to customers, the local receiver (connectors/receiver.py) in
this process. Throughput: N golden changes are made while no worker runs, then two worker processes drain them;
deliveries per second = N / drain time. Latency: with the workers (and beat) running, changes are made at a fixed
rate for a while; each delivery's latency is from its golden change's commit to the receiver's answer
(DeliveryAttempt.latency_ms). Targets (issue #4): 500 deliveries/s; p50 under 200 ms and p99 under 1 s at 100
changes/s.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import celery_processes, fresh_database, record, stop_processes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20_000, help="changes drained in the throughput phase")
    parser.add_argument("--rate", type=int, default=100, help="changes per second in the latency phase")
    parser.add_argument("--seconds", type=int, default=30, help="length of the latency phase")
    args = parser.parse_args()
    db = fresh_database("mdmhub_bench_delivery")
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mdmhub.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.db.models import Max, Min

    from canonical.services.ingest import IngestItem, source_records_ingest
    from canonical.services.systems import source_system_create
    from connectors.models import Delivery, DeliveryAttempt, DeliveryState, Subscription
    from connectors.receiver import Receiver
    from mdmhub.celery import app

    app.control.purge()
    sap, _ = source_system_create(code="sap", kind="erp")

    def changes(first: int, count: int, version: int) -> None:
        when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=version)
        items = [
            IngestItem(
                f"C{n}", {"kind": "organization", "name": f"Bench {n} Ltd", "credit_limit": str(version)}, {}, when
            )
            for n in range(first, first + count)
        ]
        source_records_ingest(system=sap, entity="customer", items=items)

    with Receiver("bench") as receiver:
        target, _ = source_system_create(code="receiver", kind="support")
        target.connector_type, target.settings = "webhook", {"url": receiver.url, "timeout": 5}
        target.credentials = {"secret": "bench"}
        target.save()
        Subscription.objects.create(system=target, entity="customer")

        for first in range(0, args.changes, 1000):
            changes(first, min(1000, args.changes - first), 1)
        app.control.purge()  # the kicks of the load: the workers must find the work themselves, all at once
        procs = celery_processes(db, 2, beat=True)
        started = time.perf_counter()
        while Delivery.objects.filter(state=DeliveryState.PENDING).exists():
            time.sleep(0.05)
        drain = time.perf_counter() - started
        throughput = args.changes / drain
        first, last = DeliveryAttempt.objects.aggregate(a=Min("created_at"), b=Max("created_at")).values()
        sustained = args.changes / (last - first).total_seconds()
        print(
            f"throughput: {args.changes:,} deliveries in {drain:.1f} s = {throughput:,.0f}/s with worker start-up; "
            f"{sustained:,.0f}/s from the first delivery to the last"
        )

        mark = DeliveryAttempt.objects.order_by("-id").values_list("id", flat=True).first() or 0
        batch = max(1, args.rate // 10)
        started = time.perf_counter()
        tick = 0
        while (elapsed := time.perf_counter() - started) < args.seconds:
            changes((tick * batch) % args.changes, batch, 2 + tick * batch // args.changes)
            tick += 1
            time.sleep(max(0.0, tick * 0.1 - (time.perf_counter() - started)))
        made = tick * batch
        deadline = time.monotonic() + 60
        while Delivery.objects.filter(state=DeliveryState.PENDING).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        stop_processes(procs)
        latencies = sorted(
            DeliveryAttempt.objects.filter(id__gt=mark, outcome="delivered").values_list("latency_ms", flat=True)
        )
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"latency at {made / elapsed:.0f} changes/s for {elapsed:.0f} s: {len(latencies):,} deliveries, "
        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {latencies[-1]:.0f} ms"
    )
    record(
        "delivery",
        f"""## Outbound delivery (bench/delivery_bench.py)

One webhook system subscribed to customers, the local receiver (connectors/receiver.py, a threaded HTTP server
in the benchmark process), two Celery worker processes (`--pool solo`, 16 push threads each) and beat, Redis
broker, PostgreSQL. Throughput: {args.changes:,} golden changes made with no worker running, then drained.
Latency: changes made at a steady rate while the workers run; latency is from the golden change's commit to the
receiver's answer.

| measure | result | target |
|---|---:|---:|
| sustained deliveries/s (drain of {args.changes:,}, first to last delivery) | {sustained:,.0f} | ≥ 500 |
| the same drain including worker start-up | {throughput:,.0f} | |
| latency p50 at {made / elapsed:.0f} changes/s | {p50:.0f} ms | < 200 ms |
| latency p99 at {made / elapsed:.0f} changes/s | {p99:.0f} ms | < 1,000 ms |""",
    )


if __name__ == "__main__":
    main()
