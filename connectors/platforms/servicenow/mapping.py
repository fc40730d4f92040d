"""Default pairing of canonical records with ServiceNow CSM tables (overridable per system).

``customer_account`` (extends ``core_company``) carries name, phone, website and the address as ``street``, ``city``,
``state``, ``zip``, ``country``. Tax ID and credit status have no standard column: the defaults name custom columns
(``u_`` prefix, as ServiceNow gives every column an admin adds), which an installation renames by mapping override.
``customer_contact`` (extends ``sys_user``) refers to its account by the ``account`` reference column.

Entitlements are ``service_entitlement`` rows: ``start_date``, ``end_date`` (``yyyy-mm-dd``) and ``state``, owned by
an account through ``account``. Its ``product`` and ``asset`` columns refer to ``cmdb_model`` and ``alm_asset``
records, which the hub does not hold, so SKU, serial number and kind live in custom columns by default.

Contracts default to ``ast_contract``, the Contract table every instance has; CSM adds the ``account`` reference to
it. ``number`` is the contract number (ServiceNow fills ``CNTR…`` when none is given), ``starts``/``ends`` the term,
``total_cost`` the value. A currency field keeps its currency inside the field rather than in a column of its own,
so the currency code and the SLA level live in custom columns. Instances on the Customer Contracts and Entitlements
plugin keep customer contracts in ``sn_pss_core_service_contract``, which extends the contract table (same columns,
same ``account`` reference): point the system there with ``{"contract": {"remote": "sn_pss_core_service_contract"}}``.

``state`` values differ from the hub's term statuses; ``STATES`` translates them both ways, per entity.
"""

from dataclasses import dataclass

from ...mapping import ObjectMap

# The custom column that holds the golden ID on every table; ``settings["external_id_field"]`` renames it.
EXTERNAL_ID_FIELD = "u_mdm_golden_id"

ACCOUNT = ObjectMap(
    entity="customer",
    remote="customer_account",
    fields={
        "name": "name",
        "phone": "phone",
        "website": "website",
        "tax_id": "u_tax_id",
        "credit_status": "u_credit_status",
        "address.line1": "street",
        "address.city": "city",
        "address.region": "state",
        "address.postal_code": "zip",
        "address.country": "country",
    },
    id_field="sys_id",
    updated_field="sys_updated_on",
    constants={"kind": "organization"},
)

CONTACT = ObjectMap(
    entity="contact",
    remote="customer_contact",
    fields={
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "phone": "phone",
        "role": "title",
    },
    id_field="sys_id",
    updated_field="sys_updated_on",
    references={"customer": "account"},
)

ENTITLEMENT = ObjectMap(
    entity="entitlement",
    remote="service_entitlement",
    fields={
        "sku": "u_sku",
        "serial_number": "u_serial_number",
        "kind": "u_kind",
        "starts_on": "start_date",
        "ends_on": "end_date",
        "status": "state",
    },
    id_field="sys_id",
    updated_field="sys_updated_on",
    references={"customer": "account"},
)

CONTRACT = ObjectMap(
    entity="contract",
    remote="ast_contract",
    fields={
        "number": "number",
        "sla_level": "u_sla_level",
        "starts_on": "starts",
        "ends_on": "ends",
        "status": "state",
        "value": "total_cost",
        "currency": "u_currency",
    },
    id_field="sys_id",
    updated_field="sys_updated_on",
    references={"customer": "account"},
)


@dataclass(frozen=True)
class Translation:
    """One attribute's values: ServiceNow's to the hub's (``inbound``) and back (``outbound``). A value neither side
    knows passes unchanged, so the hub's validation names it instead of the connector hiding it."""

    inbound: dict[str, str]
    outbound: dict[str, str]

    def read(self, value: object) -> object:
        return self.inbound.get(value, value) if isinstance(value, str) else value

    def write(self, value: object) -> object:
        return self.outbound.get(value, value) if isinstance(value, str) else value


# Entitlement states (the Entitlement API lists active, cancelled, draft, expired, suspended). The hub has no
# "suspended": it reads as pending, not in force for now; pending is written back as draft.
ENTITLEMENT_STATE = Translation(
    inbound={
        "draft": "pending",
        "active": "active",
        "suspended": "pending",
        "expired": "expired",
        "cancelled": "cancelled",
    },
    outbound={"pending": "draft", "active": "active", "expired": "expired", "cancelled": "cancelled"},
)

# Contract states (Contract Management: draft, active, expired, cancelled; approval progress is in ``substate``).
CONTRACT_STATE = Translation(
    inbound={"draft": "pending", "active": "active", "expired": "expired", "cancelled": "cancelled"},
    outbound={"pending": "draft", "active": "active", "expired": "expired", "cancelled": "cancelled"},
)

# Canonical attribute -> its translation, per entity; the remote column is whatever the object map pairs it with.
STATES: dict[str, dict[str, Translation]] = {
    "entitlement": {"status": ENTITLEMENT_STATE},
    "contract": {"status": CONTRACT_STATE},
}

# The column ServiceNow requires on a new row that no canonical attribute fills, and what to name it from.
NAMED_ON_CREATE: dict[str, tuple[str, tuple[str, ...]]] = {
    "entitlement": ("entitlement_name", ("sku", "serial_number")),
}
