"""The outbox: golden changes fan out into delivery slots in the change's own transaction; after commit, workers
lease due slots, push the newest state through each system's connector, and record the outcome.

Every step is idempotent and PostgreSQL holds all of its state: a lost Celery message or a killed worker only
delays a delivery until the sweeper (or the lease expiry) hands it to another worker.
"""

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from canonical.db import pg_array
from canonical.models import ChangeLog, SourceRecord, SourceSystem

from ..models import Delivery, DeliveryState, Subscription

log = logging.getLogger(__name__)


def _subscriptions(entities: set[str]) -> dict[str, list[Subscription]]:
    subs = Subscription.objects.filter(entity__in=entities, enabled=True, system__enabled=True).select_related("system")
    by_entity: dict[str, list[Subscription]] = defaultdict(list)
    for sub in subs:
        by_entity[sub.entity].append(sub)
    return by_entity


def _echoes(changes: Sequence[ChangeLog], subs: dict[str, list[Subscription]]) -> set[int]:
    """IDs of changes whose cause system still holds exactly the surviving values: sending those back would be an
    echo. When survivorship overruled what the system sent, the system gets the golden values back."""
    subscribed = {(sub.system.code, sub.entity) for entity_subs in subs.values() for sub in entity_subs}
    caused = [c for c in changes if (c.system, c.entity) in subscribed and c.local_id]
    if not caused:
        return set()
    wanted = {(c.system, c.entity, c.local_id) for c in caused}
    records = SourceRecord.objects.filter(
        system__code__in={s for s, _, _ in wanted},
        entity__in={e for _, e, _ in wanted},
        local_id__in={lid for *_, lid in wanted},
    ).values_list("system__code", "entity", "local_id", "attributes")
    sent = {(s, e, lid): attrs for s, e, lid, attrs in records}
    echoes = set()
    for c in caused:
        attrs = sent.get((c.system, c.entity, c.local_id))
        if attrs is not None and all(c.data.get(name) == value for name, value in attrs.items() if name in c.data):
            echoes.add(c.pk)
    return echoes


def deliveries_fan_out(changes: Sequence[ChangeLog]) -> int:
    """Open or refresh the delivery slot of each (subscribed system, changed golden record). Runs inside the
    transaction that writes the changes, so a change never exists without its deliveries, nor the reverse."""
    if not changes:
        return 0
    subs = _subscriptions({c.entity for c in changes})
    if not subs:
        return 0
    echoes = _echoes(changes, subs)
    newest: dict[tuple[int, str, str], ChangeLog] = {}
    for change in changes:
        for sub in subs.get(change.entity, ()):
            if change.system == sub.system.code and change.pk in echoes:
                continue  # the system sent exactly this: never echo it back
            if sub.attributes and change.action == "update" and not set(change.changed) & set(sub.attributes):
                continue  # nothing it subscribes to changed
            key = (sub.system_id, change.entity, change.golden_id)
            if key not in newest or newest[key].version < change.version:
                newest[key] = change
    if not newest:
        return 0
    return _slots_upsert([(key, change.pk, change.version, change.correlation_id) for key, change in newest.items()])


_SLOTS_UPSERT = (
    "INSERT INTO connectors_delivery AS d (system_id, entity, golden_id, change_id, version, delivered_version,"
    " state, changed_at, next_attempt_at, attempts, lease_token, last_error, correlation_id, updated_at)"
    " SELECT s, e, g, c, v, 0, 'pending', %s, %s, 0, '', '', k, %s"
    " FROM {source}"
    " ON CONFLICT (system_id, entity, golden_id) DO UPDATE SET"
    "  change_id = EXCLUDED.change_id, version = EXCLUDED.version, correlation_id = EXCLUDED.correlation_id,"
    "  updated_at = EXCLUDED.updated_at,"
    "  changed_at = CASE WHEN d.state = 'pending' THEN d.changed_at ELSE EXCLUDED.changed_at END,"
    "  next_attempt_at = CASE WHEN d.state = 'pending' THEN d.next_attempt_at ELSE EXCLUDED.next_attempt_at END,"
    "  attempts = CASE WHEN d.state = 'pending' THEN d.attempts ELSE 0 END,"
    "  state = 'pending'"
    " WHERE EXCLUDED.version > d.version"
)


def _slots_upsert(rows: list[tuple[tuple[int, str, str], int, int, str]]) -> int:
    """Open or refresh slots: ((system, entity, golden), change id, version, correlation ID) each. A slot that
    exists takes a newer version; it keeps its retry schedule while pending, and a delivered or dead slot becomes
    pending again (the new state supersedes whatever failed)."""
    if not rows:
        return 0
    now = timezone.now()
    source = (
        "unnest(%s::int[], %s::varchar[], %s::varchar[], %s::bigint[], %s::int[], %s::varchar[]) AS t(s, e, g, c, v, k)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _SLOTS_UPSERT.format(source=source),
            [
                now,
                now,
                now,
                pg_array(key[0] for key, *_ in rows),
                pg_array(key[1] for key, *_ in rows),
                pg_array(key[2] for key, *_ in rows),
                pg_array(change_id for _, change_id, _, _ in rows),
                pg_array(version for _, _, version, _ in rows),
                pg_array(correlation for *_, correlation in rows),
            ],
        )
    transaction.on_commit(kick, robust=True)
    return len(rows)


def deliveries_open(*, system_id: int, entity: str, golden_ids: list[str] | None = None) -> int:
    """Make sure the system gets the current state of these golden records (all live ones of the entity when
    ``golden_ids`` is None): a new subscriber's initial sync, or a record another delivery refers to. Slots already
    at that version are left alone; retired records are not sent to a system that never had them."""
    now = timezone.now()
    wanted = "" if golden_ids is None else " AND c.golden_id = ANY(%s)"
    source = (
        "(SELECT DISTINCT ON (c.golden_id) %s::int AS s, c.entity AS e, c.golden_id AS g, c.id AS c, c.version AS v,"
        " c.correlation_id AS k, c.action AS a FROM canonical_changelog c"
        f" WHERE c.entity = %s{wanted} ORDER BY c.golden_id, c.version DESC) AS t WHERE t.a <> 'retire'"
    )
    params = [now, now, now, system_id, entity] + ([list(golden_ids)] if golden_ids is not None else [])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SLOTS_UPSERT.format(source=source), params)
        opened = cursor.rowcount
        transaction.on_commit(kick, robust=True)
    return opened


def subscription_add(*, system, entity: str, attributes: list[str] | None = None) -> Subscription:
    """Subscribe a system to an entity and send it every live golden record of that entity (its initial sync)."""
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            system=system, entity=entity, defaults={"attributes": attributes or []}
        )
        if created:
            deliveries_open(system_id=system.pk, entity=entity)
    return subscription


def kick() -> None:
    """Wake a worker after commit. If the broker is down the sweeper finds the work anyway."""
    from ..tasks import deliveries_run

    deliveries_run.delay()


def lease_seconds() -> float:
    # Longer than any push can take (the HTTP timeout), so a lease only expires when its worker is gone: a stuck
    # request finishing after another worker re-sent the slot could otherwise land an older version last.
    return float(settings.MDMHUB_DELIVERY_LEASE_SECONDS)


# A slot is due when it waits, its time has come, no live lease holds it, and its system is not paused.
DUE = (
    "d.state = 'pending' AND d.next_attempt_at <= %s AND (d.lease_until IS NULL OR d.lease_until < %s)"
    " AND NOT EXISTS (SELECT 1 FROM connectors_systemhealth h WHERE h.system_id = d.system_id AND h.paused_until > %s)"
    # A disabled system receives nothing; its slots wait, and resume when it is enabled again.
    " AND EXISTS (SELECT 1 FROM canonical_sourcesystem s WHERE s.id = d.system_id AND s.enabled)"
)


def deliveries_due() -> int:
    """How many slots are due now (what the sweeper wakes workers for)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM connectors_delivery d WHERE {DUE}", [now, now, now])
        return cursor.fetchone()[0]


def deliveries_lease(*, limit: int, now: datetime | None = None) -> list[Delivery]:
    """Lease up to ``limit`` due slots (any system not paused), each to this caller alone."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE connectors_delivery SET lease_until = %s, lease_token = %s WHERE id IN ("
            f" SELECT d.id FROM connectors_delivery d WHERE {DUE}"
            " ORDER BY d.next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED)"
            " RETURNING id",
            [now + timedelta(seconds=lease_seconds()), token, now, now, now, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return list(Delivery.objects.filter(pk__in=ids, lease_token=token).select_related("system"))


def dead_letters_replay(*, ids: Sequence[int] | None = None, system: SourceSystem | None = None) -> int:
    """Send dead letters again (their newest state). Replaying what is no longer dead does nothing."""
    rows = Delivery.objects.filter(state=DeliveryState.DEAD)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if system is not None:
        rows = rows.filter(system=system)
    with transaction.atomic(durable=True):
        count = rows.update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None, last_error=""
        )
        if count:
            transaction.on_commit(kick, robust=True)
    return count
