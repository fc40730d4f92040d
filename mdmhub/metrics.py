"""``/metrics`` in Prometheus text format, read from PostgreSQL at scrape time (the workers are other processes,
so the database is where their counts meet)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from connectors.models import LATENCY_BUCKETS, SystemHealth


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def metrics_view(request: HttpRequest) -> HttpResponse:
    lines: list[str] = []

    def family(name: str, kind: str, help_text: str, samples: list[tuple[dict, float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            text = ",".join(f'{k}="{_label(str(v))}"' for k, v in labels.items())
            lines.append(f"{name}{{{text}}} {value}" if text else f"{name} {value}")

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.code, d.state, count(*), min(d.changed_at) FILTER (WHERE d.state = 'pending')"
            " FROM connectors_delivery d JOIN canonical_sourcesystem s ON s.id = d.system_id GROUP BY s.code, d.state"
        )
        rows = cursor.fetchall()
    family(
        "mdmhub_deliveries", "gauge", "Delivery slots by system and state (dead = dead letters).",
        [({"system": code, "state": state}, n) for code, state, n, _ in rows],
    )  # fmt: skip
    family(
        "mdmhub_delivery_queue_age_seconds", "gauge", "Age of the oldest undelivered change per system.",
        [({"system": code}, round((now - oldest).total_seconds(), 3)) for code, state, _, oldest in rows if oldest],
    )  # fmt: skip
    health = list(SystemHealth.objects.select_related("system"))
    for name, attr, text in (
        ("mdmhub_deliveries_delivered_total", "delivered_total", "Pushes the system acknowledged."),
        ("mdmhub_delivery_retries_total", "retried_total", "Failed pushes scheduled for another attempt."),
        ("mdmhub_dead_letters_total", "dead_total", "Deliveries moved to the dead-letter state."),
    ):
        family(name, "counter", text, [({"system": h.system.code}, getattr(h, attr)) for h in health])
    family(
        "mdmhub_circuit_open", "gauge", "1 while a system's circuit breaker holds its deliveries back.",
        [({"system": h.system.code}, int(h.circuit != "closed")) for h in health],
    )  # fmt: skip
    lines.append("# HELP mdmhub_delivery_latency_seconds From golden change commit to the system's acknowledgement.")
    lines.append("# TYPE mdmhub_delivery_latency_seconds histogram")
    for h in health:
        counts = list(h.latency_buckets) or [0] * len(LATENCY_BUCKETS)
        running = 0
        for bound, n in zip(LATENCY_BUCKETS, counts, strict=False):
            running += n
            lines.append(
                f'mdmhub_delivery_latency_seconds_bucket{{system="{_label(h.system.code)}",le="{bound}"}} {running}'
            )
        lines.append(f'mdmhub_delivery_latency_seconds_bucket{{system="{_label(h.system.code)}",le="+Inf"}} {running}')
        lines.append(
            f'mdmhub_delivery_latency_seconds_sum{{system="{_label(h.system.code)}"}} {round(h.latency_sum, 6)}'
        )
        lines.append(f'mdmhub_delivery_latency_seconds_count{{system="{_label(h.system.code)}"}} {running}')
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.code, w.state, count(*) FROM connectors_webhookevent w"
            " JOIN canonical_sourcesystem s ON s.id = w.system_id GROUP BY s.code, w.state"
        )
        events = cursor.fetchall()
        cursor.execute(
            "SELECT s.code, c.entity, c.last_pull_at, c.last_error <> '' FROM connectors_synccursor c"
            " JOIN canonical_sourcesystem s ON s.id = c.system_id"
        )
        cursors = cursor.fetchall()
    family(
        "mdmhub_webhook_events", "gauge", "Inbound webhook events by system and state (received = not applied yet).",
        [({"system": code, "state": state}, n) for code, state, n in events],
    )  # fmt: skip
    family(
        "mdmhub_pull_age_seconds", "gauge", "Time since each change feed was last read.",
        [({"system": code, "entity": entity}, round((now - at).total_seconds(), 3)) for code, entity, at, _ in cursors
         if at],
    )  # fmt: skip
    family(
        "mdmhub_pull_failing", "gauge", "1 while the last read of a change feed failed.",
        [({"system": code, "entity": entity}, int(failing)) for code, entity, _, failing in cursors],
    )  # fmt: skip
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8")
