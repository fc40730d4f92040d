"""Pushing leased delivery slots: build each golden record's newest state, respect each system's rate limit and
circuit breaker, push concurrently (the slots of one batch are distinct records), and record every outcome.

Retry state lives in the rows: attempts, next attempt time, last error. Celery countdowns are never used.
"""

import logging
import random
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import db
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from canonical.db import copy_insert, copy_insert_history, lock_keys
from canonical.models import ChangeLog, CrossReference
from canonical.schema import REFERENCES
from mdmhub.correlation import get_correlation_id, set_correlation_id

from ..base import ConnectorNotCapable, Outbound, PushResult, connector_for
from ..models import LATENCY_BUCKETS, Delivery, DeliveryAttempt, DeliveryState, Subscription, SyncCursor, SystemHealth
from .outbox import deliveries_lease, deliveries_open

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    delivery: Delivery
    pushed: Outbound
    result: PushResult
    acked_at: datetime
    committed_at: datetime

    @property
    def latency(self) -> float:
        """Seconds from the golden change's commit to the system's answer."""
        return (self.acked_at - self.committed_at).total_seconds()


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter: a random wait up to base * 2^attempts, capped."""
    ceiling = min(settings.MDMHUB_DELIVERY_BACKOFF_CAP, settings.MDMHUB_DELIVERY_BACKOFF_BASE * 2 ** max(attempts, 0))
    return random.uniform(ceiling / 2, ceiling)


def _outbounds(deliveries: list[Delivery]) -> dict[int, tuple[Outbound, datetime]]:
    changes = ChangeLog.objects.in_bulk([d.change_id for d in deliveries])
    systems = {d.system_id for d in deliveries}
    referred = {v for c in changes.values() for k, v in c.data.items() if k in _REFERENCE_NAMES and v}
    remote = {
        (system_id, entity, golden_id): local_id
        for system_id, entity, golden_id, local_id in CrossReference.objects.filter(
            system_id__in=systems, golden_id__in={d.golden_id for d in deliveries} | referred
        ).values_list("system_id", "entity", "golden_id", "local_id")
    }
    only, subscribed = {}, set()
    subscriptions = Subscription.objects.filter(system_id__in=systems)
    for system_id, entity, attrs in subscriptions.values_list("system_id", "entity", "attributes"):
        subscribed.add((system_id, entity))
        if attrs:
            only[(system_id, entity)] = set(attrs)
    built, awaited = {}, defaultdict(set)
    for d in deliveries:
        change = changes[d.change_id]
        data = change.data
        if wanted := only.get((d.system_id, d.entity)):
            data = {k: v for k, v in data.items() if k in wanted}
        refs = {}
        for ref in REFERENCES[d.entity]:
            target = change.data.get(ref)
            local = remote.get((d.system_id, ref, target)) if target else None
            if local is not None or (target and (d.system_id, ref) in subscribed):
                refs[ref] = local
                if local is None:
                    awaited[(d.system_id, ref)].add(target)
        outbound = Outbound(
            entity=d.entity,
            golden_id=d.golden_id,
            version=change.version,
            action=change.action,
            data=data,
            changed=list(change.changed),
            remote_id=remote.get((d.system_id, d.entity, d.golden_id)),
            correlation_id=change.correlation_id or d.correlation_id,
            refs=refs,
        )
        built[d.pk] = (outbound, change.created_at)
    # A record waits for what it refers to: make sure that is on its way (a customer that has not changed since the
    # system subscribed has no slot yet).
    for (system_id, entity), golden_ids in awaited.items():
        deliveries_open(system_id=system_id, entity=entity, golden_ids=sorted(golden_ids))
    return built


_REFERENCE_NAMES = {name for names in REFERENCES.values() for name in names}


def _tokens_take(system_id: int, rate: float | None, wanted: int, now: datetime) -> int:
    """Take up to ``wanted`` requests from the system's token bucket (``rate`` per second, burst ``rate``)."""
    if not rate:
        return wanted
    with transaction.atomic(durable=True):
        health, _ = SystemHealth.objects.select_for_update().get_or_create(system_id=system_id)
        burst = max(1.0, rate)
        if health.refilled_at is None:
            available = burst
        else:
            available = min(burst, health.tokens + rate * (now - health.refilled_at).total_seconds())
        granted = min(wanted, int(available))
        health.tokens, health.refilled_at = available - granted, now
        health.save(update_fields=["tokens", "refilled_at", "updated_at"])
    return granted


def _admit(deliveries: list[Delivery], now: datetime) -> tuple[list[Delivery], list[Delivery]]:
    """Split a leased batch into what may be pushed now and what waits (rate limit; one probe through a circuit
    that is half open)."""
    by_system: dict[int, list[Delivery]] = defaultdict(list)
    for d in deliveries:
        by_system[d.system_id].append(d)
    health = {h.system_id: h for h in SystemHealth.objects.filter(system_id__in=by_system)}
    loading = _initial_load_pending(deliveries)
    go, wait = [], []
    held = [d for d in deliveries if (d.system_id, d.entity) in loading]
    if held:
        _release(held, now + timedelta(seconds=settings.MDMHUB_PULL_SWEEP_SECONDS))
    for system_id, items in by_system.items():
        items = [d for d in items if (system_id, d.entity) not in loading]
        if not items:
            continue
        limit = len(items)
        if (h := health.get(system_id)) and h.circuit != "closed":
            limit = 1  # half open: one probe decides whether the system is back
        limit = _tokens_take(system_id, items[0].system.settings.get("rate_per_second"), limit, now)
        go += items[:limit]
        wait += items[limit:]
    return go, wait


def _initial_load_pending(deliveries: list[Delivery]) -> set[tuple[int, str]]:
    """(system, entity) pairs whose change feed is scheduled but has never been read to its end. Writing to such a
    system before the hub knows what it already holds would create a second copy of each record it has: deliveries
    wait (without spending attempts) until the initial full load is done."""
    systems = {d.system_id for d in deliveries if d.system.pull_interval_seconds}
    if not systems:
        return set()
    loaded = set(
        SyncCursor.objects.filter(system_id__in=systems, loaded_at__isnull=False).values_list("system_id", "entity")
    )
    return {(d.system_id, d.entity) for d in deliveries if d.system_id in systems} - loaded


def _push(delivery: Delivery, outbound: Outbound) -> PushResult:
    set_correlation_id(outbound.correlation_id)
    connector = connector_for(delivery.system)
    if connector is None:
        return PushResult(
            ok=False, permanent=True, error=f"connector type {delivery.system.connector_type!r} cannot push"
        )
    try:
        return connector.push(outbound)
    except ConnectorNotCapable as exc:
        return PushResult(ok=False, permanent=True, error=str(exc))
    except Exception as exc:  # a connector bug must not lose the delivery: record it and retry later
        log.exception("push failed", extra={"system": delivery.system.code, "golden_id": delivery.golden_id})
        return PushResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        # A connector that read the database did so on this pool thread's own connection: close it, so no idle
        # connection per thread outlives the push (and tests can drop their database).
        db.connections.close_all()


_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=settings.MDMHUB_DELIVERY_CONCURRENCY, thread_name_prefix="push")
    return _pool


def deliveries_process(*, limit: int = 100) -> Counter:
    """Lease a batch of due deliveries, push them, record the outcomes. Returns counts by outcome."""
    now = timezone.now()
    leased = deliveries_lease(limit=limit, now=now)
    if not leased:
        return Counter()
    go, wait = _admit(leased, now)
    if wait:
        _release(wait, now + timedelta(seconds=0.2))
    built = _outbounds(go)
    if behind := _behind_their_references(go, built):
        # Pushed after what they refer to (a contact after its customer), without spending an attempt.
        _release(behind, now + timedelta(seconds=REFERENCE_WAIT_SECONDS))
        go = [d for d in go if d not in behind]
    caller = get_correlation_id()
    futures = [(d, _executor().submit(_push, d, built[d.pk][0])) for d in go]
    outcomes = [Outcome(d, built[d.pk][0], f.result(), timezone.now(), built[d.pk][1]) for d, f in futures]
    set_correlation_id(caller)
    return _record(outcomes)


REFERENCE_WAIT_SECONDS = 0.5


def _behind_their_references(go: list[Delivery], built: dict) -> list[Delivery]:
    """Deliveries whose referenced record is not in the system yet but is on its way (its slot is pending). One
    whose reference cannot arrive (dead, or not subscribed) is pushed, and the connector's error counts."""
    awaiting = {
        d.pk: [(ref, outbound.data.get(ref)) for ref, local in outbound.refs.items() if local is None]
        for d in go
        if (outbound := built[d.pk][0]).refs and None in outbound.refs.values()
    }
    if not awaiting:
        return []
    pending = set(
        Delivery.objects.filter(
            system_id__in={d.system_id for d in go if d.pk in awaiting},
            golden_id__in={golden for refs in awaiting.values() for _, golden in refs},
            state=DeliveryState.PENDING,
        ).values_list("system_id", "entity", "golden_id")
    )
    return [
        d
        for d in go
        if d.pk in awaiting and all((d.system_id, ref, golden) in pending for ref, golden in awaiting[d.pk])
    ]


def _release(deliveries: list[Delivery], at: datetime) -> None:
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(lease_until=None, next_attempt_at=at)


def _decide(outcome: Outcome, now: datetime) -> tuple[str, datetime]:
    d, result = outcome.delivery, outcome.result
    if result.ok:
        return "delivered", now
    max_attempts = int(d.system.settings.get("max_attempts", settings.MDMHUB_DELIVERY_MAX_ATTEMPTS))
    if result.permanent or d.attempts + 1 >= max_attempts:
        return "dead", now
    wait = result.retry_after if result.retry_after is not None else backoff_seconds(d.attempts)
    return "retry", now + timedelta(seconds=wait)


def _record(outcomes: list[Outcome]) -> Counter:
    now = timezone.now()
    decided = [(o, *_decide(o, now)) for o in outcomes]
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            # Only the lease holder writes: if the lease expired and another worker took the slot, this is dropped.
            cursor.execute(
                "UPDATE connectors_delivery d SET"
                " delivered_version = CASE WHEN v.outcome = 'delivered' THEN v.pushed ELSE d.delivered_version END,"
                " state = CASE WHEN v.outcome = 'dead' THEN 'dead'"
                "  WHEN v.outcome = 'delivered' AND d.version <= v.pushed THEN 'delivered' ELSE 'pending' END,"
                " attempts = CASE WHEN v.outcome = 'delivered' THEN 0 ELSE d.attempts + 1 END,"
                " next_attempt_at = v.next_at, lease_until = NULL, lease_token = '',"
                " last_status = v.status, last_error = v.error,"
                " delivered_at = CASE WHEN v.outcome = 'delivered' THEN v.acked ELSE d.delivered_at END,"
                " changed_at = CASE WHEN v.outcome = 'delivered' AND d.version > v.pushed"
                "  THEN (SELECT c.created_at FROM canonical_changelog c WHERE c.id = d.change_id)"
                "  ELSE d.changed_at END,"
                " updated_at = %s"
                " FROM unnest(%s::bigint[], %s::varchar[], %s::int[], %s::varchar[], %s::timestamptz[], %s::int[],"
                "  %s::text[], %s::timestamptz[]) AS v(id, token, pushed, outcome, next_at, status, error, acked)"
                " WHERE d.id = v.id AND d.lease_token = v.token",
                [
                    now,
                    [o.delivery.pk for o, _, _ in decided],
                    [o.delivery.lease_token for o, _, _ in decided],
                    [o.pushed.version for o, _, _ in decided],
                    [outcome for _, outcome, _ in decided],
                    [at for _, _, at in decided],
                    [o.result.status for o, _, _ in decided],
                    [o.result.error for o, _, _ in decided],
                    [o.acked_at for o, _, _ in decided],
                ],
            )
        copy_insert(DeliveryAttempt, [_attempt(o, outcome) for o, outcome, _ in decided])
        _remember_remote_ids([o for o, outcome, _ in decided if outcome == "delivered" and o.result.remote_id])
        _health_update(decided, now)
    counts = Counter(outcome for _, outcome, _ in decided)
    caller = get_correlation_id()
    for o, outcome, _ in decided:
        set_correlation_id(o.pushed.correlation_id)  # each line carries the ID of the change it delivers
        log.log(
            logging.INFO if outcome == "delivered" else logging.WARNING,
            "delivery %s",
            outcome,
            extra={
                "system": o.delivery.system.code,
                "golden_id": o.delivery.golden_id,
                "version": o.pushed.version,
                "status": o.result.status,
                "error": o.result.error,
            },
        )
    set_correlation_id(caller)
    return counts


def _attempt(o: Outcome, outcome: str) -> DeliveryAttempt:
    return DeliveryAttempt(
        delivery_id=o.delivery.pk,
        system_code=o.delivery.system.code,
        golden_id=o.delivery.golden_id,
        version=o.pushed.version,
        outcome=outcome,
        status=o.result.status,
        error=o.result.error,
        remote_id=o.result.remote_id or "",
        latency_ms=o.latency * 1000 if o.result.ok else None,
        payload={"action": o.pushed.action, "data": o.pushed.data, "changed": o.pushed.changed},
        correlation_id=o.pushed.correlation_id,
    )


def _remember_remote_ids(outcomes: list[Outcome]) -> None:
    """A record created in a system gets its local ID in the cross-reference, so later pushes update it."""
    new = [
        CrossReference(
            system_id=o.delivery.system_id,
            entity=o.delivery.entity,
            local_id=o.result.remote_id,
            golden_id=o.delivery.golden_id,
            method="delivery",
        )
        for o in outcomes
        if o.pushed.remote_id != o.result.remote_id
    ]
    if not new:
        return
    # The same keys ingest locks before it reads cross-references: a record the system reports (its webhook for the
    # record this push just created) is linked either before this or after, never twice.
    lock_keys(f"sr:{x.system_id}:{x.entity}:{x.local_id}" for x in new)
    known = set(
        CrossReference.objects.filter(
            system_id__in={x.system_id for x in new}, local_id__in={x.local_id for x in new}
        ).values_list("system_id", "entity", "local_id")
    )
    fresh = [x for x in new if (x.system_id, x.entity, x.local_id) not in known]
    copy_insert(CrossReference, fresh)
    copy_insert_history(CrossReference, fresh, history_type="+", reason="created by delivery")


def _health_update(decided: list, now: datetime) -> None:
    """Consecutive failures open a system's circuit for a cool-down; a success closes it; Retry-After pauses it."""
    decided_by: dict[int, list] = defaultdict(list)
    for row in decided:
        decided_by[row[0].delivery.system_id].append(row)
    threshold = settings.MDMHUB_CIRCUIT_FAILURES
    for system_id, rows in decided_by.items():
        items = [o for o, _, _ in rows]
        health, _ = SystemHealth.objects.select_for_update().get_or_create(system_id=system_id)
        if any(o.result.ok for o in items):
            health.failures, health.circuit = 0, "closed"
        else:
            health.failures += sum(not o.result.permanent for o in items)
            if health.failures >= threshold:
                health.circuit = "open"
                health.paused_until = max(
                    health.paused_until or now, now + timedelta(seconds=settings.MDMHUB_CIRCUIT_COOLDOWN)
                )
        outcomes = Counter(outcome for _, outcome, _ in rows)
        health.delivered_total += outcomes["delivered"]
        health.retried_total += outcomes["retry"]
        health.dead_total += outcomes["dead"]
        buckets = list(health.latency_buckets) or [0] * len(LATENCY_BUCKETS)
        for o in items:
            if o.result.ok:
                latency = o.latency
                health.latency_sum += latency
                for i, bound in enumerate(LATENCY_BUCKETS):
                    if latency <= bound:
                        buckets[i] += 1
                        break
        health.latency_buckets = buckets
        waits = [o.result.retry_after for o in items if o.result.retry_after]
        if waits:
            health.paused_until = max(health.paused_until or now, now + timedelta(seconds=max(waits)))
        health.save()
