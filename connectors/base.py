"""The connector contract: what the delivery engine and the inbound paths ask of a platform module, and the registry
by connector type. A platform is one module under connectors/platforms/<name>/ that registers its class."""

import functools
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from canonical.models import CrossReference, SourceSystem

from .mapping import ObjectMap, get_path, to_canonical, to_remote


@dataclass(frozen=True)
class Outbound:
    """One golden record's newest state, to be written to one system."""

    entity: str
    golden_id: str
    version: int
    action: str  # create | update | merge | retire | unmerge
    data: dict
    changed: list[str]
    remote_id: str | None  # the system's local ID when the hub knows it
    correlation_id: str
    # Referenced golden records (a contact's customer) as this system's IDs; None where the system subscribes to
    # the referenced entity but has not been given it yet (push it later, linked), absent where it never will.
    refs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PushResult:
    """What the system answered. ``retry_after`` (seconds) when it asked us to slow down."""

    ok: bool
    status: int | None = None
    remote_id: str | None = None
    permanent: bool = False  # retrying cannot fix it (validation errors): dead-letter at once
    retry_after: float | None = None
    error: str = ""


@dataclass(frozen=True)
class InboundChange:
    """A record a system reports, in canonical form."""

    entity: str
    local_id: str
    attributes: dict
    references: dict = field(default_factory=dict)
    source_updated_at: str | None = None
    raw: dict | None = None  # the remote object as read: what the mapping does not cover is kept here
    deleted: bool = False


@dataclass(frozen=True)
class Standing:
    """A customer's financial standing as its ERP states it right now (``Connector.standing``), in canonical terms.
    Amounts are decimal strings; ``None`` where the ERP does not say."""

    credit_status: str | None = None  # CreditStatus: ok | hold | blocked
    credit_limit: str | None = None
    currency: str | None = None
    blocks: tuple[str, ...] = ()  # what the ERP blocks: "order", "delivery", "billing", "posting", "payment", "credit"
    overdue: dict | None = None  # {"count", "amount", "currency", "oldest_due_on"} of overdue open invoices
    open_items: dict | None = None  # {"count", "amount", "currency"} of all open receivables
    as_of: str | None = None  # the ERP's own timestamp of the facts, when it gives one


@dataclass(frozen=True)
class PullPage:
    """One page of a change feed: its records, the cursor to continue from, and whether the feed is drained."""

    changes: list[InboundChange]
    cursor: str | None
    done: bool


class Connector:
    """Base class of a platform module.

    - ``objects``: the default mapping per canonical entity (``ObjectMap``), overridden per system.
    - ``push(outbound)``: write one golden record's newest state; platform modules implement ``upsert`` and raise
      ``RemoteError`` (connectors/http.py), which the base turns into the delivery engine's decision.
    - ``pull_page(entity, cursor)``: one page of the change feed; a ``None`` cursor starts a full load.
    - ``verify_webhook`` / ``webhook_key`` / ``parse_webhook``: inbound events.
    """

    type: str = ""
    objects: dict[str, ObjectMap] = {}

    def __init__(self, system: SourceSystem) -> None:
        self.system = system
        self.settings = system.settings or {}

    # --- configuration ---------------------------------------------------------------------------------------------
    @cached_property
    def credentials(self) -> dict:
        return self.system.credentials

    def object_map(self, entity: str) -> ObjectMap:
        if entity not in self.objects:
            raise ConnectorNotCapable(f"{self.type} connectors do not exchange {entity} records")
        return self.objects[entity].overridden((self.system.mapping or {}).get(entity))

    def entities(self) -> list[str]:
        """Entities this connector reads, parents first (a contact's customer is read before the contact)."""
        return list(self.objects)

    def ref_id(self, outbound: Outbound, entity: str) -> str | None:
        """The system's ID of a record the outbound refers to. Raises a transient error while that record is yet to
        be delivered to the system, so the push waits for it instead of writing an unlinked record."""
        from .http import RemoteError

        if entity in outbound.refs and outbound.refs[entity] is None:
            raise RemoteError(None, f"the {entity} {outbound.data.get(entity)} is not in {self.system.code} yet")
        return outbound.refs.get(entity)

    def ref_or_find(self, outbound: Outbound, entity: str, find) -> str | None:
        """The system's ID of the record the outbound refers to: the hub's cross-reference, else ``find(golden ID)``
        in the platform (a push whose answer was lost may have created it there). Raises a transient error while
        that record is on its way to the system (it subscribes to the entity), so the push waits for it."""
        from .http import RemoteError

        golden_id = outbound.data.get(entity)
        if not golden_id:
            return None
        if known := outbound.refs.get(entity):
            return known
        found = find(golden_id)
        if found is None and entity in outbound.refs:
            raise RemoteError(None, f"the {entity} {golden_id} is not in {self.system.code} yet")
        return found

    def local_id(self, entity: str, golden_id: str | None) -> str | None:
        """This system's ID for a golden record, when the hub knows it."""
        if not golden_id:
            return None
        return (
            CrossReference.objects.filter(system=self.system, entity=entity, golden_id=golden_id)
            .values_list("local_id", flat=True)
            .first()
        )

    # --- mapping helpers -------------------------------------------------------------------------------------------
    def change_of(self, entity: str, record: dict) -> InboundChange:
        mapping = self.object_map(entity)
        attributes, references = to_canonical(mapping, record)
        updated = get_path(record, mapping.updated_field)
        return InboundChange(
            entity=entity,
            local_id=str(get_path(record, mapping.id_field)),
            attributes=attributes,
            references=references,
            source_updated_at=str(updated) if updated not in (None, "") else None,
            raw=record,
        )

    def remote_fields(self, entity: str, data: dict) -> dict:
        if entity == "customer" and not data.get("name") and (data.get("first_name") or data.get("last_name")):
            # A person customer: platforms name every account, so it goes by the person's name.
            full = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
            data = {**data, "name": full}
        return to_remote(self.object_map(entity), data)

    # --- capabilities ----------------------------------------------------------------------------------------------
    def push(self, outbound: Outbound) -> PushResult:
        from .http import RemoteError

        try:
            remote_id = self.upsert(outbound)
        except RemoteError as exc:
            return exc.result()
        return PushResult(ok=True, status=200, remote_id=remote_id)

    def upsert(self, outbound: Outbound) -> str | None:
        raise ConnectorNotCapable(f"{self.type} connectors do not receive deliveries")

    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        raise ConnectorNotCapable(f"{self.type} connectors have no change feed")

    def standing(self, local_id: str) -> Standing:
        """Ask the ERP directly for one customer's standing (its local ID): the live path of the standing API. Use
        a short timeout (``self.settings.get("standing_timeout", 2)``); raise ``RemoteError`` when the ERP fails."""
        raise ConnectorNotCapable(f"{self.type} connectors cannot report account standing")

    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        raise ConnectorNotCapable(f"{self.type} connectors receive no webhooks")

    # Headers that carry a secret in this platform's webhook scheme: never stored with the event.
    webhook_secret_headers: frozenset[str] = frozenset({"authorization", "cookie", "x-api-key"})

    def webhook_answer(self) -> tuple[bytes, str] | None:
        """The body and content type the platform expects back for an accepted event; None: a JSON receipt."""
        return None

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        """The event's identity for de-duplication: the platform's event ID where it sends one."""
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        raise ConnectorNotCapable(f"{self.type} connectors receive no webhooks")


class ConnectorNotCapable(Exception):
    """The system's connector type does not do this (a configuration error, reported as such)."""


_REGISTRY: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    _REGISTRY[cls.type] = cls
    return cls


# Connector types and the module that registers each (connectors/platforms/<name>/client.py).
PLATFORMS = ("webhook", "zendesk", "servicenow", "freshdesk", "salesforce", "sap", "odoo", "erpnext")


def connector_for(system: SourceSystem) -> Connector | None:
    """The system's connector, or None for systems that only call the hub ('api')."""
    cls = _connector_class(system.connector_type)
    return cls(system) if cls else None


def connector_types() -> list[str]:
    return [name for name in PLATFORMS if _connector_class(name)]


@functools.cache
def _connector_class(connector_type: str) -> type[Connector] | None:
    import importlib

    if connector_type not in PLATFORMS:
        return None
    importlib.import_module(f"{__package__}.platforms.{connector_type}.client")  # importing registers it
    return _REGISTRY.get(connector_type)
