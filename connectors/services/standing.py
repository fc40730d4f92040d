"""Account standing and entitlement validation: what support agents ask before approving a replacement.

``standing_of`` answers from the golden record (credit facts, each with the system that owns it and when that system
last confirmed it) and, when asked live, from the owning ERP directly under a short deadline; an ERP that is slow or
down yields the stored facts marked stale, never an error. ``coverage_of`` decides whether a product or serial number
is covered on a date, by which entitlement or contract, or why not.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.db import connections
from django.utils import timezone

from canonical.choices import CreditStatus, Entity, SystemKind, TermStatus
from canonical.models import Contract, CrossReference, Customer, Entitlement, SourceRecord, SourceSystem
from canonical.selectors import golden_get

from ..base import ConnectorNotCapable, connector_for
from ..http import RemoteError
from ..models import StandingSnapshot

log = logging.getLogger(__name__)

CREDIT_FACTS = ("credit_status", "credit_limit", "currency", "payment_terms", "status")
ON_HOLD = {CreditStatus.HOLD, CreditStatus.BLOCKED}


class UnknownCustomer(Exception):
    """No live golden customer has that golden ID or local ID."""


def customer_resolve(*, golden_id: str | None = None, system: str | None = None, local_id: str | None = None):
    """The live golden customer named by its golden ID (a merged-away ID resolves to the survivor) or by one
    system's local ID. Raises ``UnknownCustomer``."""
    if golden_id:
        record = golden_get(Entity.CUSTOMER, golden_id)
    else:
        xref = CrossReference.objects.filter(system__code=system, entity=Entity.CUSTOMER, local_id=local_id).first()
        record = golden_get(Entity.CUSTOMER, xref.golden_id) if xref else None
    if record is None:
        raise UnknownCustomer()
    return record


def _facts(customer: Customer) -> dict[str, dict]:
    """Each credit fact with the system and record it came from and when that system last confirmed it."""
    values = customer.to_attributes()
    sources = {
        (entry.get("system"), entry.get("local_id"))
        for name in CREDIT_FACTS
        if isinstance(entry := customer.lineage.get(name), dict)
    }
    confirmed = {
        (code, lid): (received, stated)
        for code, lid, received, stated in SourceRecord.objects.filter(
            entity=Entity.CUSTOMER,
            system__code__in={c for c, _ in sources},
            local_id__in={lid for _, lid in sources},
        ).values_list("system__code", "local_id", "updated_at", "source_updated_at")
    }
    facts = {}
    for name in CREDIT_FACTS:
        entry = customer.lineage.get(name) if isinstance(customer.lineage.get(name), dict) else {}
        received, stated = confirmed.get((entry.get("system"), entry.get("local_id")), (None, None))
        facts[name] = {
            "value": values.get(name),
            "system": entry.get("system"),
            "local_id": entry.get("local_id"),
            "confirmed_at": received,  # when the owning system last sent this record (unchanged re-sends count)
            "as_of": stated,  # the system's own time of the record
        }
    return facts


def _owner(customer: Customer, facts: dict) -> tuple[SourceSystem, str] | None:
    """The ERP to ask live: the one whose value the credit status is, else the most trusted linked ERP."""
    links = list(
        CrossReference.objects.filter(
            entity=Entity.CUSTOMER, golden_id=customer.id, system__kind=SystemKind.ERP, system__enabled=True
        )
        .select_related("system")
        .order_by("system__trust_rank", "system__code")
    )
    owner = facts["credit_status"]["system"]
    links.sort(key=lambda x: x.system.code != owner)
    for link in links:
        if link.system.connector_type not in ("api", "webhook"):
            return link.system, link.local_id
    return None


_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="standing")


def _ask(system: SourceSystem, local_id: str):
    try:
        return connector_for(system).standing(local_id)
    finally:
        connections.close_all()


def standing_of(customer: Customer, *, live: bool) -> dict:
    facts = _facts(customer)
    answer = {
        "customer": customer.id,
        "name": customer.name or " ".join(p for p in (customer.first_name, customer.last_name) if p),
        "credit": facts,
        "on_hold": facts["credit_status"]["value"] in ON_HOLD,
        "source": "stored",
        "stale": False,
        "entitlements": _terms(Entitlement, customer, ("sku", "serial_number", "kind")),
        "contracts": _terms(Contract, customer, ("number", "sla_level", "value", "currency")),
        "erp": None,
    }
    owner = _owner(customer, facts)
    if owner is not None:
        snapshot = StandingSnapshot.objects.filter(customer_id=customer.id, system=owner[0]).first()
        if snapshot is not None:
            answer["erp"] = {
                "system": owner[0].code,
                "local_id": owner[1],
                **snapshot.data,
                "read_at": snapshot.fetched_at,
            }
    if not live:
        return answer
    if owner is None:
        answer.update(stale=True, live_error="no linked ERP can be asked directly")
        return answer
    system, local_id = owner
    deadline = float(system.settings.get("standing_timeout", settings.MDMHUB_STANDING_TIMEOUT))
    try:
        fresh = _pool.submit(_ask, system, local_id).result(timeout=deadline)
    except (RemoteError, ConnectorNotCapable, FutureTimeout) as exc:
        reason = "timed out" if isinstance(exc, FutureTimeout) else str(exc)[:300]
        log.warning("live standing of %s from %s failed: %s", customer.id, system.code, reason)
        answer.update(stale=True, live_error=f"{system.code}: {reason}")
        return answer
    now = timezone.now()
    data = {k: v for k, v in asdict(fresh).items() if k != "blocks"} | {"blocks": list(fresh.blocks)}
    StandingSnapshot.objects.update_or_create(
        customer_id=customer.id, system=system, defaults={"data": data, "fetched_at": now}
    )
    for name in ("credit_status", "credit_limit", "currency"):
        if data.get(name) is not None:
            facts[name] = {**facts[name], "value": data[name], "system": system.code, "local_id": local_id,
                           "confirmed_at": now, "as_of": data.get("as_of")}  # fmt: skip
    answer.update(
        source="live",
        on_hold=facts["credit_status"]["value"] in ON_HOLD or bool(data["blocks"]),
        erp={"system": system.code, "local_id": local_id, **data, "read_at": now},
    )
    return answer


def _terms(model, customer: Customer, fields: tuple[str, ...]) -> list[dict]:
    """The customer's entitlements or contracts that are in force today (active, or dated to include today)."""
    today = timezone.localdate()
    rows = model.objects.filter(customer=customer, merged_into__isnull=True).order_by("id")
    out = []
    for row in rows:
        if _state_on(row, today) != "in_force":
            continue
        item = {"id": row.id, **{f: getattr(row, f) for f in fields}}
        item.update(starts_on=row.starts_on, ends_on=row.ends_on, status=row.status or None)
        entry = row.lineage.get("ends_on") or row.lineage.get("status") or {}
        item["confirmed_by"] = entry.get("system") if isinstance(entry, dict) else None
        out.append(item)
    return out


def _state_on(row, day: date) -> str:
    """in_force | cancelled | expired | not_yet_active, by status and dates (dates win over a stale status)."""
    if row.status == TermStatus.CANCELLED:
        return "cancelled"
    if row.ends_on and row.ends_on < day:
        return "expired"
    if row.starts_on and row.starts_on > day:
        return "not_yet_active"
    if row.status == TermStatus.EXPIRED and not row.ends_on:
        return "expired"
    return "in_force"


def coverage_of(customer: Customer, *, sku: str | None, serial_number: str | None, day: date) -> dict:
    """Whether the product (SKU and/or serial number) is covered on ``day``: by a matching entitlement in force, else
    by a service contract in force (contracts cover the customer's products), and not while the account is on hold.
    """
    entitlements = Entitlement.objects.filter(customer=customer, merged_into__isnull=True)
    matching = [
        e
        for e in entitlements
        if (not serial_number or e.serial_number.casefold() == serial_number.casefold())
        and (not sku or e.sku.casefold() == sku.casefold())
    ]
    states = {e.id: _state_on(e, day) for e in matching}
    by, reason = None, None
    valid = [e for e in matching if states[e.id] == "in_force"]
    if valid:
        chosen = max(valid, key=lambda e: e.ends_on or date.max)
        by = {"entity": "entitlement", "id": chosen.id, "sku": chosen.sku, "serial_number": chosen.serial_number,
              "kind": chosen.kind, "starts_on": chosen.starts_on, "ends_on": chosen.ends_on}  # fmt: skip
    else:
        contracts = [c for c in Contract.objects.filter(customer=customer, merged_into__isnull=True)]
        in_force = [c for c in contracts if _state_on(c, day) == "in_force"]
        if in_force:
            chosen = max(in_force, key=lambda c: c.ends_on or date.max)
            by = {"entity": "contract", "id": chosen.id, "number": chosen.number, "sla_level": chosen.sla_level,
                  "starts_on": chosen.starts_on, "ends_on": chosen.ends_on}  # fmt: skip
        elif matching:
            order = ("not_yet_active", "cancelled", "expired")
            reason = max((states[e.id] for e in matching), key=order.index)
        else:
            reason = "no_coverage"
    on_hold = customer.credit_status in ON_HOLD
    if by is not None and on_hold:
        reason = "account_on_hold"
    return {
        "customer": customer.id,
        "date": day,
        "covered": by is not None and not on_hold,
        "reason": reason,
        "by": by,
        "credit_status": customer.credit_status or None,
        "candidates": [
            {"id": e.id, "sku": e.sku, "serial_number": e.serial_number, "state": states[e.id], "ends_on": e.ends_on}
            for e in matching
        ],
    }
