"""Run a platform simulator as a standalone HTTP server, seeded with sample companies and contacts."""

import contextlib
import json
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from connectors.samples import companies
from connectors.simulator import Knobs, simulator_class

PLATFORMS = ["zendesk", "servicenow", "freshdesk", "salesforce", "sap", "odoo", "erpnext"]


class Command(BaseCommand):
    help = "Serve a platform simulator (support platforms and ERPs) on a local port."

    def add_arguments(self, parser) -> None:
        parser.add_argument("platform", choices=PLATFORMS)
        parser.add_argument("--port", type=int, default=0, help="0: any free port")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--companies", type=int, default=20, help="sample companies to seed")
        parser.add_argument("--offset", type=int, default=0, help="skip this many sample companies (overlap demos)")
        parser.add_argument("--webhook-url", default="", help="send the platform's webhooks here")
        parser.add_argument("--webhook-secret", default="", help="sign them with this secret")
        parser.add_argument("--latency", type=float, default=0.0)
        parser.add_argument("--error-rate", type=float, default=0.0)
        parser.add_argument("--rate-limit", type=int, default=None, help="requests per minute")

    def handle(self, *args, platform: str, port: int, host: str, **options) -> None:
        knobs = Knobs(latency=options["latency"], error_rate=options["error_rate"], rate_limit=options["rate_limit"])
        try:
            simulator = simulator_class(platform)(port=port, knobs=knobs, host=host)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
        sample = companies(options["companies"] + options["offset"])[options["offset"] :]
        simulator.seed(sample)
        if options["webhook_url"]:
            simulator.subscribe(options["webhook_url"], options["webhook_secret"])
        simulator.start()
        info = {"platform": platform, "base_url": simulator.base_url, "credentials": simulator.credentials()}
        self.stdout.write(json.dumps(info), ending="\n")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
        simulator.stop()
