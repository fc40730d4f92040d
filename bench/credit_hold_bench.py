"""Credit-hold propagation: from SAP to Zendesk and ServiceNow through the hub, by event and by poll.

    .venv/bin/python bench/credit_hold_bench.py [--companies 1000 --rate 50 --seconds 20]

A scratch database; the SAP, Zendesk and ServiceNow simulators in this process, each seeded with the same
companies; the hub as separate processes: gunicorn (2 workers), Celery workers and beat, Redis broker. The three
platforms are read once (the initial loads link the three copies of each company) and the initial sync settles.

Event path: holds are set in SAP at ``--rate`` per second for ``--seconds`` (each on another company), then
released the same way. Each change makes SAP emit its BusinessPartner.Changed CloudEvent to the hub. Latency of one
hold is from the event's arrival at the hub (``WebhookEvent.received_at``) to the later of the two support
platforms writing the new credit status to that company's account (the simulators' own write times). Targets
(issue #6): p50 under 1 s, p99 under 3 s at 50 holds/s.

Poll path: SAP's events are switched off and its change feed is read every ``--poll-interval`` seconds; holds set
on ``--poll-holds`` companies at once must reach both platforms within one interval plus delivery time.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import PYTHON, ROOT, celery_processes, fresh_database, record, stop_processes


class Seen:
    """When each support platform first wrote each credit status to each account (its own write time)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[tuple[str, str, str], float] = {}  # (platform, local ID, status) -> time

    def note(self, platform: str, local_id: str, status: str | None) -> None:
        if status:
            with self.lock:
                self.at.setdefault((platform, str(local_id), status), time.time())

    def forget(self, platform: str, local_id: str, status: str) -> None:
        with self.lock:
            self.at.pop((platform, str(local_id), status), None)


def observe(zendesk, servicenow, seen: Seen) -> None:
    """Record the platforms' writes as they happen (the benchmark reads the simulators; it changes nothing)."""
    put_organization, update = zendesk.put_organization, servicenow.update

    def zendesk_put(fields: dict, org_id=None, notify: bool = True):
        org = put_organization(fields, org_id, notify)
        seen.note("zendesk", org["id"], (fields.get("organization_fields") or {}).get("credit_status"))
        return org

    def servicenow_update(table: str, sys_id: str, fields: dict, **kwargs):
        row = update(table, sys_id, fields, **kwargs)
        if table == "customer_account":
            seen.note("servicenow", sys_id, fields.get("u_credit_status"))
        return row

    zendesk.put_organization, servicenow.update = zendesk_put, servicenow_update


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_hub(db: str, port: int, workers: int) -> list[subprocess.Popen]:
    """gunicorn (2 workers), ``workers`` Celery workers and beat, sweeping pulls and deliveries every second."""
    sweeps = {"MDMHUB_PULL_SWEEP_SECONDS": "1", "MDMHUB_DELIVERY_SWEEP_SECONDS": "1"}
    web = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "mdmhub.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": db, "LOG_LEVEL": "WARNING", **sweeps},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return [web, *celery_processes(db, workers, beat=True, env=sweeps)]


def wait(condition, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise SystemExit(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="holds per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the hold phase (and of the release)")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--poll-interval", type=int, default=5)
    parser.add_argument("--poll-holds", type=int, default=20)
    args = parser.parse_args()
    db = fresh_database("mdmhub_bench_holds")
    os.environ.update(DATABASE_URL=db, LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="mdmhub.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    import django

    django.setup()
    from django.utils import timezone

    from canonical.models import CrossReference, Customer
    from canonical.services.systems import source_system_create
    from connectors.models import Delivery, DeliveryState, SyncCursor, WebhookEvent
    from connectors.platforms.sap.simulator import PlatformSimulator as Sap
    from connectors.platforms.servicenow.simulator import PlatformSimulator as ServiceNow
    from connectors.platforms.zendesk.simulator import PlatformSimulator as Zendesk
    from connectors.samples import companies
    from connectors.services.outbox import subscription_add
    from connectors.services.sync import system_pull
    from mdmhub.celery import app

    app.control.purge()
    sample = companies(args.companies)
    sap_sim, zendesk_sim, servicenow_sim = Sap(), Zendesk(), ServiceNow()
    for sim in (sap_sim, zendesk_sim, servicenow_sim):
        sim.seed(sample)
        sim.start()
    seen = Seen()
    observe(zendesk_sim, servicenow_sim, seen)

    def system(code, kind, connector, sim):
        created, _ = source_system_create(code=code, kind=kind)
        created.connector_type, created.base_url, created.credentials = connector, sim.base_url, sim.credentials()
        created.save()
        return created

    sap = system("sap", "erp", "sap", sap_sim)
    zendesk = system("zendesk", "support", "zendesk", zendesk_sim)
    servicenow = system("servicenow", "support", "servicenow", servicenow_sim)
    started = time.monotonic()
    for each in (sap, zendesk, servicenow):
        system_pull(each, "customer")
    load_seconds = time.monotonic() - started
    for each in (zendesk, servicenow):
        subscription_add(system=each, entity="customer")
    port = free_port()
    hub = start_hub(db, port, args.workers)
    try:
        wait(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 60, "the web server")
        settle = wait(lambda: not Delivery.objects.filter(state=DeliveryState.PENDING).exists(), 600, "initial sync")
        print(f"initial loads {load_seconds:.1f} s, initial sync settled {settle:.1f} s", file=sys.stderr)
        links: dict[str, dict[str, str]] = {}
        in_good_standing = set(Customer.objects.filter(credit_status="ok").values_list("id", flat=True))
        for code, golden, local in CrossReference.objects.filter(entity="customer").values_list(
            "system__code", "golden_id", "local_id"
        ):
            links.setdefault(golden, {})[code] = local
        partners = [
            (ids["sap"], ids["zendesk"], ids["servicenow"])
            for golden, ids in links.items()
            if {"sap", "zendesk", "servicenow"} <= ids.keys() and golden in in_good_standing
        ]
        count = min(len(partners), int(args.rate * args.seconds))
        chosen = partners[:count]
        sap_sim.subscribe(f"http://127.0.0.1:{port}/api/v1/webhooks/sap/")

        results = {}
        for held, status in ((True, "hold"), (False, "ok")):
            events: dict[str, tuple[str, str, str, float]] = {}
            t0 = time.monotonic()
            for i, (bp, org, account) in enumerate(chosen):
                delay = t0 + i / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                seen.forget("zendesk", org, status)
                seen.forget("servicenow", account, status)
                sap_sim.set_credit_hold(bp, held)
                events[sap_sim.events[-1]["id"]] = (bp, org, account, time.time())
            achieved = count / (time.monotonic() - t0)

            def arrived(keys=events, status=status) -> bool:
                return all(
                    ("zendesk", org, status) in seen.at and ("servicenow", account, status) in seen.at
                    for _, org, account, _ in keys.values()
                )

            try:
                wait(arrived, 120, f"every {status} to reach both platforms")
            except SystemExit:
                missing = [
                    (bp, org, account, ("zendesk", org, status) in seen.at, ("servicenow", account, status) in seen.at)
                    for bp, org, account, _ in events.values()
                    if not (("zendesk", org, status) in seen.at and ("servicenow", account, status) in seen.at)
                ]
                print(f"{len(missing)} missing, e.g. {missing[:5]}", file=sys.stderr)
                raise
            received = {
                key.split(":", 2)[-1]: at.timestamp()
                for key, at in WebhookEvent.objects.filter(system=sap).values_list("key", "received_at")
            }
            from_hub, from_erp = [], []
            for event_id, (_, org, account, set_at) in events.items():
                done = max(seen.at[("zendesk", org, status)], seen.at[("servicenow", account, status)])
                from_erp.append(done - set_at)
                hub_at = next((at for key, at in received.items() if key.endswith(event_id)), None)
                if hub_at is not None:
                    from_hub.append(done - hub_at)
            results[status] = (achieved, from_hub, from_erp)
            print(
                f"{status}: {count} at {achieved:.1f}/s, from hub arrival p50 {pct(from_hub, 0.5):.3f} s "
                f"p99 {pct(from_hub, 0.99):.3f} s; from the ERP change p50 {pct(from_erp, 0.5):.3f} s",
                file=sys.stderr,
            )

        # Poll path: no events; SAP's change feed read every --poll-interval seconds.
        sap_sim.webhooks.clear()
        sap.pull_interval_seconds = args.poll_interval
        sap.save()
        switched = timezone.now()

        def caught_up() -> bool:  # a scheduled pull that began after the switch has read the event phase's changes
            cursor = SyncCursor.objects.filter(system=sap, entity="customer").first()
            return bool(cursor and cursor.lease_until is None and cursor.last_pull_at and cursor.last_pull_at > switched
                        and cursor.next_pull_at and cursor.next_pull_at > cursor.last_pull_at)  # fmt: skip

        wait(caught_up, 300, "the first scheduled pull")
        polled = chosen[: args.poll_holds]
        set_at = time.time()
        for bp, org, account in polled:
            seen.forget("zendesk", org, "hold")
            seen.forget("servicenow", account, "hold")
            sap_sim.set_credit_hold(bp, True)
        wait(
            lambda: all(
                ("zendesk", o, "hold") in seen.at and ("servicenow", a, "hold") in seen.at for _, o, a in polled
            ),
            120,
            "the polled holds",
        )
        poll = [max(seen.at[("zendesk", o, "hold")], seen.at[("servicenow", a, "hold")]) - set_at for _, o, a in polled]
    finally:
        stop_processes(hub)
        for sim in (sap_sim, zendesk_sim, servicenow_sim):
            sim.stop()

    rows = []
    for status, (achieved, from_hub, from_erp) in results.items():
        label = "hold" if status == "hold" else "release"
        rows.append(
            f"| {label} by event, {count:,} at {achieved:.0f}/s | {pct(from_hub, 0.5) * 1000:.0f} ms | "
            f"{pct(from_hub, 0.99) * 1000:.0f} ms | {max(from_hub) * 1000:.0f} ms | "
            f"{pct(from_erp, 0.5) * 1000:.0f} ms |"
        )
    body = f"""## Credit-hold propagation (bench/credit_hold_bench.py)

SAP, Zendesk and ServiceNow simulators (in the benchmark process) seeded with the same {args.companies:,} companies;
the hub as gunicorn (2 workers), {args.workers} Celery worker processes (`--pool solo`) and beat on PostgreSQL and
Redis. Initial loads {load_seconds:.0f} s; initial sync of {args.companies * 2:,} accounts settled in {settle:.0f} s.
Latency of one hold: from SAP's event arriving at the hub to the later of Zendesk and ServiceNow writing the new
credit status to that company's account. Targets: p50 < 1 s, p99 < 3 s at 50 holds/s.

| path | p50 | p99 | max | p50 from the ERP change |
|---|---:|---:|---:|---:|
{chr(10).join(rows)}

Poll path (events off, SAP's change feed read every {args.poll_interval} s, {len(poll)} holds set at once): every
hold reached both platforms within {max(poll):.1f} s (median {statistics.median(poll):.1f} s); target: one poll
interval ({args.poll_interval} s) plus delivery time."""
    print(body)
    record("credit-holds", body)


if __name__ == "__main__":
    main()
