"""The platform demo of ``make run``: a Zendesk and a ServiceNow simulator with overlapping customers, connected to
the hub, and one change made in Zendesk that reaches ServiceNow through the hub.

It serves both simulators in this process, configures two source systems for them (idempotent), waits until the
hub's workers have read both platforms and written the golden records back, then edits a customer's phone in the
Zendesk simulator as an agent would. Zendesk's signed webhook reaches the hub, a worker ingests it, survivorship
makes it the golden phone (support platforms own contact channels) and the delivery engine writes it to the
ServiceNow account. It prints each step with timings and keeps serving until stopped.
"""

import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from canonical.models import CrossReference, SourceRecord
from canonical.services.systems import source_system_create
from connectors.models import Delivery, DeliveryState
from connectors.platforms.servicenow.simulator import PlatformSimulator as ServiceNow
from connectors.platforms.zendesk.simulator import PlatformSimulator as Zendesk
from connectors.samples import companies
from connectors.services.outbox import subscription_add

ZENDESK, SERVICENOW = "zendesk-demo", "servicenow-demo"  # code prefixes: each run's systems get a number


class Command(BaseCommand):
    help = "Serve Zendesk and ServiceNow simulators wired to the hub and show a change crossing from one to the other."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hub", default="http://127.0.0.1:8000", help="the hub's base URL (for webhooks)")
        parser.add_argument("--zendesk-port", type=int, default=8101)
        parser.add_argument("--servicenow-port", type=int, default=8102)
        parser.add_argument("--companies", type=int, default=8, help="companies per platform")
        parser.add_argument("--overlap", type=int, default=4, help="companies both platforms hold")
        parser.add_argument("--pull-interval", type=int, default=10, help="seconds between change-feed reads")
        parser.add_argument("--timeout", type=float, default=180.0, help="give up waiting for the hub after this")
        parser.add_argument("--once", action="store_true", help="exit after the demo instead of serving on")

    def say(self, text: str) -> None:
        self.stdout.write(f"platform demo: {text}")
        self.stdout.flush()

    def handle(self, *args, **opts) -> None:
        sample = companies(2 * opts["companies"] - opts["overlap"])
        # Zendesk's exports hold back the last minute; the demo shortens that so the first read finds everything.
        zendesk = Zendesk(port=opts["zendesk_port"], export_delay=2.0)
        servicenow = ServiceNow(port=opts["servicenow_port"])
        zendesk.seed(sample[: opts["companies"]])
        servicenow.seed(sample[opts["companies"] - opts["overlap"] :])
        zendesk.start()
        servicenow.start()
        self.say(f"Zendesk simulator at {zendesk.base_url}, ServiceNow simulator at {servicenow.base_url}")
        codes = self._configure(zendesk, servicenow, opts)
        zendesk.subscribe(f"{opts['hub']}/api/v1/webhooks/{codes[0]}/", zendesk.webhook_secret)
        servicenow.subscribe(f"{opts['hub']}/api/v1/webhooks/{codes[1]}/", servicenow.webhook_secret)
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            try:
                self._show(zendesk, servicenow, codes, opts["timeout"], stop)
            except CommandError as exc:
                if opts["once"]:
                    raise
                self.say(f"{exc} (the simulators keep serving)")
            if not opts["once"]:
                stop.wait()
        except KeyboardInterrupt:
            self.say("stopping")
        finally:
            signal.signal(signal.SIGTERM, previous)
            zendesk.stop()
            servicenow.stop()

    def _configure(self, zendesk: Zendesk, servicenow: ServiceNow, opts: dict) -> tuple[str, str]:
        """Two source systems for this run's simulators. The simulators start empty of what an earlier run wrote
        to them, as a newly connected platform would: earlier runs' systems are disabled (their records and links
        stay explainable in the hub) and this run's get the next number."""
        from canonical.models import SourceSystem

        codes = []
        for prefix, connector, simulator, rank in (
            (ZENDESK, "zendesk", zendesk, 50),
            (SERVICENOW, "servicenow", servicenow, 60),
        ):
            with transaction.atomic():
                earlier = SourceSystem.objects.select_for_update().filter(code__startswith=f"{prefix}-")
                run = earlier.count() + 1
                earlier.update(enabled=False)
            system, _ = source_system_create(
                code=f"{prefix}-{run}", kind="support", name=f"{connector} simulator, demo run {run}", trust_rank=rank
            )
            system.connector_type = connector
            system.base_url = simulator.base_url
            system.credentials = simulator.credentials()
            system.pull_interval_seconds = opts["pull_interval"]
            system.save()
            for entity in ("customer", "contact"):
                subscription_add(system=system, entity=entity)
            codes.append(system.code)
        return codes[0], codes[1]

    def _wait(self, what: str, check, deadline: float, stop: threading.Event) -> float:
        started = time.monotonic()
        while not check():
            if time.monotonic() > deadline or stop.is_set():
                raise CommandError(f"gave up waiting for {what}; is the hub running with its worker and beat?")
            stop.wait(0.25)
        return time.monotonic() - started

    def _show(
        self, zendesk: Zendesk, servicenow: ServiceNow, codes: tuple[str, str], timeout: float, stop: threading.Event
    ) -> None:
        zendesk_code, servicenow_code = codes
        deadline = time.monotonic() + timeout

        seeded = {
            zendesk_code: len(zendesk.organizations) + len(zendesk.users),
            servicenow_code: len(servicenow.accounts) + len(servicenow.contacts),
        }

        def loaded() -> bool:
            """Every record the simulators were seeded with is linked in the hub (read by the pulls)."""
            linked = dict(
                SourceRecord.objects.filter(system__code__in=codes)
                .values_list("system__code")
                .annotate(n=Count("id"))
                .values_list("system__code", "n")
            )
            return all(linked.get(code, 0) >= n for code, n in seeded.items())

        def settled() -> bool:
            return (
                loaded() and not Delivery.objects.filter(system__code__in=codes, state=DeliveryState.PENDING).exists()
            )

        took = self._wait("both platforms' initial load", loaded, deadline, stop)
        self.say(f"the hub read both platforms ({took:.1f} s); golden records are being written back to each")
        started = time.monotonic()
        try:  # deliveries still retrying (a name another customer holds, a contact waiting) need not stop the demo
            took = self._wait("the initial deliveries", settled, min(deadline, started + 60), stop)
        except CommandError:
            took = time.monotonic() - started
            waiting = Delivery.objects.filter(system__code__in=codes, state=DeliveryState.PENDING).count()
            self.say(f"{waiting} deliveries are still being retried (admin: Connectors > Deliveries); going on")
        links: dict[str, dict[str, str]] = {}
        for code, golden_id, local_id in CrossReference.objects.filter(
            system__code__in=codes, entity="customer"
        ).values_list("system__code", "golden_id", "local_id"):
            links.setdefault(golden_id, {})[code] = local_id
        shared = {g: ids for g, ids in links.items() if len(ids) == 2}
        self.say(
            f"settled ({took:.1f} s): Zendesk holds {len(zendesk.organizations)} organizations, ServiceNow "
            f"{len(servicenow.accounts)} accounts; {len(shared)} golden customers are linked in both"
        )
        if not shared:
            raise CommandError("no customer is linked in both platforms")
        golden_id, ids = sorted(shared.items())[0]
        org = zendesk.organizations[int(ids[zendesk_code])]
        account = servicenow.accounts[ids[servicenow_code]]
        phone = "+49 30 5550 4711" if account.get("phone") != "+49 30 5550 4711" else "+49 30 5550 4712"
        self.say(f"an agent changes the phone of {org['name']!r} in Zendesk to {phone}")
        started = time.monotonic()
        zendesk.put_organization({"organization_fields": {"phone": phone}}, org["id"])
        self._wait(
            "the change to reach ServiceNow",
            lambda: servicenow.accounts[account["sys_id"]].get("phone") == phone,
            deadline + 60,
            stop,
        )
        self.say(
            f"ServiceNow account {account['sys_id']} (golden {golden_id}) shows {phone} after "
            f"{time.monotonic() - started:.2f} s: Zendesk webhook -> hub -> ServiceNow"
        )
