"""The default pairing of Salesforce objects with canonical entities, and the translation of picklist values.

Standard fields are the documented ones; ``Tax_Id__c`` and ``Credit_Status__c`` are custom fields an installation
creates (any other name is set per system, e.g. ``{"customer": {"fields": {"tax_id": "VAT_Number__c"}}}``). The
external-ID field that carries the golden ID is a connector setting (``external_id_field``), not a mapped attribute:
it is written on every push and read back only into the raw payload.
"""

from dataclasses import dataclass

from ...mapping import ObjectMap

ACCOUNT = ObjectMap(
    entity="customer",
    remote="Account",
    fields={
        "name": "Name",
        "phone": "Phone",
        "website": "Website",
        "tax_id": "Tax_Id__c",
        "credit_status": "Credit_Status__c",
        "address.line1": "BillingStreet",
        "address.city": "BillingCity",
        "address.postal_code": "BillingPostalCode",
        "address.region": "BillingState",
        "address.country": "BillingCountry",
    },
    id_field="Id",
    updated_field="SystemModstamp",
    constants={"kind": "organization"},
)

CONTACT = ObjectMap(
    entity="contact",
    remote="Contact",
    fields={
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "phone": "Phone",
        "role": "Title",
    },
    id_field="Id",
    updated_field="SystemModstamp",
    references={"customer": "AccountId"},
)

DEFAULT_EXTERNAL_ID_FIELD = "Mdm_Golden_Id__c"

# Entitlements and service contracts belong to an account (``AccountId``). SKU and serial number live on the Asset
# and Product records an entitlement points to, which the hub does not hold, so they default to custom fields; the
# SLA level likewise. A contract's ``Name`` carries its number: ``ContractNumber`` is an auto-number Salesforce
# assigns, which the hub could not write (it is read into the raw payload). ``GrandTotal`` is summed from the
# contract's line items, so the value is read and never written; ``CurrencyIsoCode`` exists in multi-currency orgs.
ENTITLEMENT = ObjectMap(
    entity="entitlement",
    remote="Entitlement",
    fields={
        "sku": "Sku__c",
        "serial_number": "Serial_Number__c",
        "kind": "Type",
        "starts_on": "StartDate",
        "ends_on": "EndDate",
        "status": "Status",
    },
    id_field="Id",
    updated_field="SystemModstamp",
    references={"customer": "AccountId"},
)

SERVICE_CONTRACT = ObjectMap(
    entity="contract",
    remote="ServiceContract",
    fields={
        "number": "Name",
        "sla_level": "Sla_Level__c",
        "starts_on": "StartDate",
        "ends_on": "EndDate",
        "status": "Status",
        "value": "GrandTotal",
        "currency": "CurrencyIsoCode",
    },
    id_field="Id",
    updated_field="SystemModstamp",
    references={"customer": "AccountId"},
)

# Fields Salesforce computes: a write naming one fails (INVALID_FIELD_FOR_INSERT_UPDATE), so pushes leave them out.
# ``Status`` of both objects follows the dates: Inactive before StartDate, Active until EndDate, Expired after it.
READ_ONLY = {
    "Entitlement": frozenset({"Status"}),
    "ServiceContract": frozenset({"Status", "ContractNumber", "GrandTotal"}),
}
# Fields set when a record is created and never changed after (an entitlement cannot move to another account). The
# relationship by external ID (``Account``) sets the same field.
CREATE_ONLY = {"Entitlement": frozenset({"AccountId", "Account"})}
# Fields a new record needs that no canonical attribute fills: (field, the attributes that make its value). Set on
# creation only, so an agent's renaming stands.
NAMED_ON_CREATE = {"entitlement": ("Name", ("sku", "serial_number"))}
# Read with every record and kept in the raw payload, for stewards.
ALSO_READ = {"Entitlement": ("Name",), "ServiceContract": ("ContractNumber",)}


@dataclass(frozen=True)
class Picklist:
    """One attribute's values: Salesforce's to the hub's (``inbound``) and the hub's to Salesforce's (``outbound``).
    Values missing from a table pass unchanged, so the hub's validation reports them rather than the connector
    guessing."""

    inbound: dict[str, str]
    outbound: dict[str, str]

    def read(self, value: object) -> object:
        return self.inbound.get(value, value) if isinstance(value, str) else value

    def write(self, value: object) -> object:
        return self.outbound.get(value, value) if isinstance(value, str) else value

    def overridden(self, override: dict | None) -> "Picklist":
        if not override:
            return self
        return Picklist({**self.inbound, **(override.get("inbound") or {})},
                        {**self.outbound, **(override.get("outbound") or {})})  # fmt: skip


# Inactive means "not started yet", which the hub calls pending. Salesforce has no cancelled: a cancelled term is
# not in force, and with the standard Status field read-only this only matters where a system maps status to a
# writable field of its own.
TERM_STATUS = Picklist(
    inbound={"Active": "active", "Inactive": "pending", "Expired": "expired"},
    outbound={"active": "Active", "pending": "Inactive", "expired": "Expired", "cancelled": "Inactive"},
)
# Entitlement Type is a picklist each org defines: the support channels Salesforce suggests, plus the two kinds the
# hub knows beyond support as an administrator would add them. ``settings["picklists"]`` adapts them per system.
ENTITLEMENT_TYPE = Picklist(
    inbound={"Phone Support": "support", "Web Support": "support", "Email Support": "support",
             "Warranty": "warranty", "Subscription": "subscription"},
    outbound={"support": "Phone Support", "warranty": "Warranty", "subscription": "Subscription"},
)  # fmt: skip
PICKLISTS = {
    "entitlement": {"status": TERM_STATUS, "kind": ENTITLEMENT_TYPE},
    "contract": {"status": TERM_STATUS},
}
