"""The connector contract: what the delivery engine and the inbound paths ask of a platform module, and the registry
by connector type. A platform is one module under connectors/platforms/<name>/ that registers its class."""

import functools
from dataclasses import dataclass, field

from canonical.models import SourceSystem


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


class Connector:
    """Base class. ``push`` is required for systems that receive deliveries; the hooks for pulling changes and
    receiving webhooks are the later issues' (platform connectors)."""

    type: str = ""

    def __init__(self, system: SourceSystem) -> None:
        self.system = system
        self.settings = system.settings or {}

    def push(self, outbound: Outbound) -> PushResult:
        raise ConnectorNotCapable(f"{self.type} connectors do not receive deliveries")

    def pull_changes(self, entity: str, cursor: str | None) -> tuple[list[InboundChange], str | None]:
        raise ConnectorNotCapable(f"{self.type} connectors have no change feed")

    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        raise ConnectorNotCapable(f"{self.type} connectors receive no webhooks")

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        raise ConnectorNotCapable(f"{self.type} connectors receive no webhooks")


class ConnectorNotCapable(Exception):
    """The system's connector type does not do this (a configuration error, reported as such)."""


_REGISTRY: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    _REGISTRY[cls.type] = cls
    return cls


def connector_for(system: SourceSystem) -> Connector | None:
    """The system's connector, or None for systems that only call the hub ('api')."""
    _load_platforms()
    cls = _REGISTRY.get(system.connector_type)
    return cls(system) if cls else None


def connector_types() -> list[str]:
    _load_platforms()
    return sorted(_REGISTRY)


@functools.cache
def _load_platforms() -> None:
    from .platforms import webhook  # noqa: F401  (importing a platform registers it)
