"""Inbound from platforms: reading change feeds (pull) and applying webhook events, both into ingest.

Pull: each (system, entity) has a ``SyncCursor``. A pull reads pages until the platform says the feed is drained;
each page's records and the cursor after it are written in one transaction, so a crash re-reads at most one page
and ingest absorbs repeats (an unchanged record is a no-op, an older one is recorded as stale). A full load is a
pull from no cursor. Beat's sweeper leases due cursors so two workers never read the same feed at once.

Webhooks: the verified raw event is stored first (its key makes a duplicate delivery a no-op) and answered; a task
then asks the connector what changed (platforms send thin events: the connector re-reads the record) and ingests.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from canonical.models import SourceSystem
from canonical.schema import clean_attributes, clean_references
from canonical.services.ingest import IngestItem, ingest_in_transaction
from mdmhub.correlation import get_correlation_id

from ..base import ConnectorNotCapable, InboundChange, connector_for
from ..http import RemoteError
from ..models import SyncCursor, WebhookEvent, WebhookState

log = logging.getLogger(__name__)


def items_of(changes: list[InboundChange]) -> dict[str, list[IngestItem]]:
    """Ingest items per entity. Values the schema refuses are left out of the attributes and named in the raw
    payload (``_invalid``), which keeps the whole remote object anyway."""
    out: dict[str, list[IngestItem]] = {}
    for change in changes:
        attributes, errors = clean_attributes(change.entity, change.attributes)
        references, ref_errors = clean_references(change.entity, change.references)
        errors.update(ref_errors)
        raw = dict(change.raw or {})
        if errors:
            raw["_invalid"] = errors
            log.warning("invalid values in %s %s: %s", change.entity, change.local_id, sorted(errors))
        when = _when(change.source_updated_at)
        out.setdefault(change.entity, []).append(IngestItem(change.local_id, attributes, references, when, raw=raw))
    return out


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = (
            parse_datetime(value.replace(" ", "T", 1)) if "T" not in value and " " in value else parse_datetime(value)
        )
    except ValueError:
        return None
    if parsed is None:
        return None
    return timezone.make_aware(parsed, UTC) if timezone.is_naive(parsed) else parsed


def changes_ingest(system: SourceSystem, changes: list[InboundChange]) -> int:
    """Ingest in the caller's transaction; parents before children (the connector's entity order)."""
    grouped = items_of(changes)
    done = 0
    for entity in sorted(grouped, key=_PARENTS_FIRST.index):
        done += len(ingest_in_transaction(system=system, entity=entity, items=grouped[entity]))
    return done


_PARENTS_FIRST = ["customer", "contact", "entitlement", "contract"]


# --- pull ------------------------------------------------------------------------------------------------------------
def system_pull(system: SourceSystem, entity: str | None = None, max_pages: int = 1000) -> dict[str, int]:
    """Read the system's change feed (one entity, or all it has, parents first) to the end. Returns records read
    per entity. Raises ``RemoteError`` when the platform fails; the cursor keeps what was read before."""
    connector = connector_for(system)
    if connector is None:
        raise ConnectorNotCapable(f"{system.code} has no connector")
    counts: dict[str, int] = {}
    for name in [entity] if entity else connector.entities():
        state, _ = SyncCursor.objects.get_or_create(system=system, entity=name)
        cursor, read = state.cursor or None, 0
        for _ in range(max_pages):
            page = connector.pull_page(name, cursor)
            with transaction.atomic(durable=True):
                if page.changes:
                    changes_ingest(system, page.changes)
                read += len(page.changes)
                cursor = page.cursor if page.cursor is not None else cursor
                SyncCursor.objects.filter(pk=state.pk).update(
                    cursor=cursor or "", last_pull_at=timezone.now(), pulled_total=state.pulled_total + read
                )
            if page.done:
                SyncCursor.objects.filter(pk=state.pk, loaded_at__isnull=True).update(loaded_at=timezone.now())
                break
        counts[name] = read
    return counts


def pulls_claim(now: datetime | None = None) -> list[tuple[int, str]]:
    """Lease the (system, entity) feeds whose pull is due, so exactly one worker reads each."""
    now = now or timezone.now()
    _cursors_ensure()
    lease = now + timedelta(seconds=settings.MDMHUB_PULL_LEASE_SECONDS)
    with transaction.atomic(durable=True):
        due = list(
            SyncCursor.objects.select_for_update(skip_locked=True)
            .filter(system__enabled=True, system__pull_interval_seconds__gt=0)
            .filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now))
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .values_list("pk", "system_id", "entity")[:100]
        )
        SyncCursor.objects.filter(pk__in=[pk for pk, _, _ in due]).update(lease_until=lease)
    return [(system_id, entity) for _, system_id, entity in due]


def _cursors_ensure() -> None:
    """A scheduled system gets a cursor per entity its connector reads (so the sweeper finds it)."""
    have = set(SyncCursor.objects.values_list("system_id", "entity"))
    for system in SourceSystem.objects.filter(enabled=True, pull_interval_seconds__gt=0):
        connector = connector_for(system)
        if connector is None:
            continue
        try:
            entities = connector.entities()
        except ConnectorNotCapable:
            continue
        for entity in entities:
            if (system.pk, entity) not in have:
                SyncCursor.objects.get_or_create(system=system, entity=entity)


def scheduled_pull(system_id: int, entity: str) -> int:
    """One scheduled pull: read the feed, then set the next time (interval, or the platform's Retry-After)."""
    system = SourceSystem.objects.get(pk=system_id)
    error, wait = "", float(system.pull_interval_seconds or 60)
    read = 0
    try:
        read = system_pull(system, entity).get(entity, 0)
    except RemoteError as exc:
        error = str(exc)[:1000]
        if exc.retry_after:
            wait = max(wait, exc.retry_after)
        log.warning("pull of %s %s failed: %s", system.code, entity, error)
    SyncCursor.objects.filter(system_id=system_id, entity=entity).update(
        lease_until=None, last_error=error, next_pull_at=timezone.now() + timedelta(seconds=wait)
    )
    return read


# --- webhooks ------------------------------------------------------------------------------------------------------
class BadSignature(Exception):
    """The webhook does not verify against the system's secret (or is outside its time window)."""


def webhook_receive(system: SourceSystem, headers: dict[str, str], body: bytes) -> tuple[WebhookEvent | None, bool]:
    """Verify and store one inbound event. Returns (event, created); a duplicate returns the stored event and False.
    Raises ``BadSignature`` (nothing stored) or ``ConnectorNotCapable``."""
    connector = connector_for(system)
    if connector is None:
        raise ConnectorNotCapable(f"{system.code} receives no webhooks")
    if not connector.verify_webhook(headers, body):
        raise BadSignature()
    key = connector.webhook_key(headers, body)[:200]
    kept = {k: v for k, v in headers.items() if k.lower() not in connector.webhook_secret_headers}
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                system=system,
                key=key,
                headers=kept,
                body=body.decode("utf-8", errors="replace"),
                correlation_id=get_correlation_id() or "",
            )
    except IntegrityError:
        return WebhookEvent.objects.filter(system=system, key=key).first(), False
    return event, True


def webhook_event_process(event_id: int) -> str:
    """Apply one stored event (once: the row is locked and must still be ``received``), together with whatever else
    its system has waiting: under a burst of events one task applies many in one transaction, and the tasks queued
    for the others find nothing left to do. Returns what became of ``event_id``."""
    system_id = WebhookEvent.objects.filter(pk=event_id).values_list("system_id", flat=True).first()
    if system_id is None:
        return "skipped"
    outcome = webhook_events_process(system_id=system_id, first=event_id)
    return outcome.get(event_id, "skipped")


WEBHOOK_BATCH = 100


def webhook_events_process(*, system_id: int, first: int | None = None, limit: int = WEBHOOK_BATCH) -> dict[int, str]:
    """Lock up to ``limit`` received events of one system (``first`` among them when still waiting), read what each
    names, and ingest all their changes in one transaction. An event whose platform read fails stays received (the
    sweeper retries it) or fails for good after ``MDMHUB_DELIVERY_MAX_ATTEMPTS``."""
    outcome: dict[int, str] = {}
    with transaction.atomic(durable=True):
        waiting = WebhookEvent.objects.select_for_update(skip_locked=True).filter(
            system_id=system_id, state=WebhookState.RECEIVED
        )
        events = list(waiting.filter(pk=first)) if first else []
        events += list(waiting.exclude(pk=first).order_by("pk")[: limit - len(events)])
        if not events:
            return outcome
        system = events[0].system
        connector = connector_for(system)
        changes: list[InboundChange] = []
        now = timezone.now()
        for event in events:
            event.attempts += 1
            try:
                changes += connector.parse_webhook(event.headers, event.body.encode())
            except RemoteError as exc:
                event.error = str(exc)[:1000]
                if exc.permanent or event.attempts >= settings.MDMHUB_DELIVERY_MAX_ATTEMPTS:
                    event.state = WebhookState.FAILED
                outcome[event.pk] = "failed" if event.state == WebhookState.FAILED else "retry"
                continue
            event.state, event.processed_at, event.error = WebhookState.PROCESSED, now, ""
            outcome[event.pk] = "processed"
        if changes:
            changes_ingest(system, _newest_per_record(changes))
        WebhookEvent.objects.bulk_update(events, ["state", "processed_at", "error", "attempts"])
    return outcome


def _newest_per_record(changes: list[InboundChange]) -> list[InboundChange]:
    """One change per record (the last read wins: events re-read the record, so later reads are newer)."""
    newest = {(c.entity, c.local_id): c for c in changes}
    return list(newest.values())


def webhooks_unprocessed(older_than_seconds: float = 30.0) -> list[int]:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        WebhookEvent.objects.filter(state=WebhookState.RECEIVED, received_at__lte=cutoff).values_list("pk", flat=True)[
            :500
        ]
    )
